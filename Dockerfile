# The wijknet app (Streamlit + CLI). Neo4j runs in its own container (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WIJKNET_STATE_DIR=/var/lib/wijknet
WORKDIR /opt/wijknet
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY queries ./queries
COPY app ./app
COPY .streamlit ./.streamlit
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/wijknet wijknet \
    && mkdir -p /var/lib/wijknet && chown wijknet /var/lib/wijknet
USER wijknet
EXPOSE 8501
CMD ["wijknet", "serve", "--address", "0.0.0.0"]
