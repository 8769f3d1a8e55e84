# The wijknet app (Streamlit + CLI). Neo4j runs in its own container (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WIJKNET_STATE_DIR=/var/lib/wijknet
WORKDIR /opt/wijknet
# The PDF brief: WeasyPrint's pango and the fonts it prints in (scripts/system.sh, PDF_PACKAGES); the slim image
# has neither, and without a font nothing is printed at all.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fontconfig \
        fonts-dejavu-core fonts-noto-color-emoji && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY queries ./queries
COPY app ./app
# Read from the project folder at run time (graph.settings.PROJECT_ROOT): the shipped mappings, and Streamlit's
# settings (the app runs in that folder: no usage statistics, no error details, no file watcher, the theme).
COPY mappings ./mappings
COPY .streamlit ./.streamlit
# Installed in place (-e), as ./run.sh does: PROJECT_ROOT is then /opt/wijknet, where the two folders above are.
# The keys (pseudonyms, audit chain and signature) live under the user's home, in a volume of their own
# (docker-compose.yml: wijknet-secrets), never in the state volume with the data they protect.
RUN pip install --no-cache-dir -e . \
    && useradd --system --create-home --home-dir /home/wijknet wijknet \
    && mkdir -p /var/lib/wijknet /home/wijknet/.config/wijknet \
    && chown wijknet /var/lib/wijknet /home/wijknet/.config /home/wijknet/.config/wijknet \
    && chmod 700 /home/wijknet/.config/wijknet
USER wijknet
EXPOSE 8501
CMD ["wijknet", "serve", "--address", "0.0.0.0"]
