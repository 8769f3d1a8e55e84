"""The Docker deployment files are valid (no Docker engine is needed to check them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_shape() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "healthcheck" in neo4j and neo4j["volumes"][0].endswith(":/data")
    app = compose["services"]["app"]
    assert app["build"] == "."
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert all(p.startswith("127.0.0.1:") for p in app["ports"]), "publish the app on loopback only"
    assert (ROOT / "Dockerfile").exists()


def test_compose_config_validates_when_a_compose_client_exists() -> None:
    env = {**os.environ, "NEO4J_PASSWORD": "checkonly123"}
    if shutil.which("docker-compose"):
        cmd = ["docker-compose", "config", "-q"]
    elif shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        cmd = ["docker", "compose", "config", "-q"]
    else:
        return  # the YAML shape test above still ran
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_image_installs_what_the_pdf_brief_needs() -> None:
    """The slim Python image has no pango and no font: the Dockerfile installs every package that run.sh and test.sh
    install for the PDF brief (scripts/system.sh), so the container prints it as the local app does."""
    import re
    import shlex

    system = (ROOT / "scripts" / "system.sh").read_text()
    wanted = shlex.split(re.search(r"PDF_PACKAGES=\(([^)]*)\)", system).group(1))  # type: ignore[union-attr]
    assert "libpango-1.0-0" in wanted and "fonts-noto-color-emoji" in wanted
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    install = [line for line in dockerfile.splitlines() if "apt-get install" in line]
    assert install, "the Dockerfile installs no Debian package"
    missing = [p for p in wanted if not any(p in shlex.split(line) for line in install)]
    assert missing == [], f"the Dockerfile does not install {missing}"


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text().replace("\\\n", " ")


def test_the_image_holds_what_the_app_reads_from_its_project_folder() -> None:
    """The app reads the shipped mappings (ingest.kept_mappings.SHIPPED_DIR) and Streamlit's settings (the app runs
    in graph.settings.PROJECT_ROOT) from the project folder. A plain `pip install .` made that folder site-packages,
    where neither is: the image offered no mapping to a data steward and ran Streamlit without its settings."""
    import re

    from graph.settings import PROJECT_ROOT
    from ingest.kept_mappings import SHIPPED_DIR

    text = _dockerfile()
    copied = {m.group(2).removeprefix("./").rstrip("/") for m in re.finditer(r"^COPY\s+(\S+)\s+(\S+)\s*$", text, re.M)}
    needed = {SHIPPED_DIR.relative_to(PROJECT_ROOT).as_posix(), ".streamlit", "graph", "ingest", "queries", "app"}
    assert needed - copied == set(), f"the image lacks {sorted(needed - copied)}"
    install = next(line for line in text.splitlines() if "pip install" in line)
    assert re.search(r"pip install\b.*\s-e\s+\.", install), "installed in place, so PROJECT_ROOT is the copied folder"


def test_the_keys_live_in_their_own_volume_not_with_the_data() -> None:
    """The pseudonym, audit and signing keys default to ~/.config/wijknet (graph.settings): the image's user has its
    home where docker-compose.yml mounts the secrets volume, so the keys are kept apart from the state volume (the
    data and audit log they protect). The user's home was the state folder, so the keys lay in the state volume and
    the secrets volume stayed empty."""
    import re

    from graph.settings import SETTINGS

    text = _dockerfile()
    home = re.search(r"useradd\b[^&]*--home-dir\s+(\S+)", text)
    assert home, "the image's user has an explicit home"
    state = re.search(r"WIJKNET_STATE_DIR=(\S+)", text)
    assert state
    app = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["app"]
    mounts = dict(v.split(":", 1) for v in app["volumes"])
    assert mounts["wijknet-state"] == state.group(1)
    keys = {Path(s.default.replace("~", home.group(1), 1)).parent for s in SETTINGS if s.name.endswith("KEY_FILE")
            or s.name == "WIJKNET_SECRET_FILE"}
    assert keys == {Path(mounts["wijknet-secrets"])}
    assert not any(k.is_relative_to(state.group(1)) for k in keys)


@pytest.mark.parametrize("stamp", [".wijknet-installed", ".wijknet-installed-dev"])
def test_run_sh_passes_its_arguments_to_serve_not_to_the_bootstrap(tmp_path: Path, stamp: str) -> None:
    """`./run.sh --port 8600` (README: run.sh's arguments go to `wijknet serve`). run.sh sources the bootstrap,
    and a sourced script without arguments sees its caller's: the bootstrap took `--port` for the extras to install
    and ran pip with `.[--port]` (a pip traceback, no app). Here the environment is one already installed (a stamp
    that matches pyproject.toml: the app's, or the tests' made by test.sh, which holds the app's too), whose python
    refuses pip: run.sh must reach `wijknet serve --help` without it."""
    import hashlib
    import os
    import subprocess
    import sys

    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    real = Path(sys.executable)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "pip was run" >&2; exit 3; fi\n'
                      f'exec "{real}" "$@"\n')
    python.chmod(0o755)
    (venv / "bin" / "wijknet").symlink_to(real.parent / "wijknet")
    (venv / stamp).write_text(hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + "\n")
    env = {**os.environ, "WIJKNET_VENV": str(venv)}
    proc = subprocess.run(["bash", str(ROOT / "run.sh"), "--port", "8600", "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "pip was run" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "Usage: wijknet serve" in proc.stdout
