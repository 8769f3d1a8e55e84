"""``wijknet serve`` stops with its app: a SIGTERM to the command (a service manager's stop, ``kill PID``) reached
only the command, and Streamlit kept running on the port, so the next ``wijknet serve`` said the port was taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from graph.db import Database
from graph.server import _free_port


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_sigterm_to_serve_stops_the_app_and_frees_its_port(neo4j_db: Database, test_env: dict[str, str]) -> None:
    port = _free_port()  # the one the managed Neo4j's ports are picked with
    env = {**os.environ, **test_env, "NEO4J_URI": neo4j_db.uri, "NEO4J_USER": neo4j_db.user,
           "NEO4J_PASSWORD": neo4j_db.password, "WIJKNET_DEMO_USERS": "0"}
    wijknet = str(Path(sys.executable).parent / "wijknet")
    proc = subprocess.Popen([wijknet, "serve", "--no-demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while not _listening(port):
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)  # to the command only, as `kill PID` does
        code = proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _listening(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _listening(port), "Streamlit kept the port after the command stopped"
        assert code == 0  # a stop asked for is no failure
    finally:
        # serve recorded its k as the deployment's (queries.aggregates.deployment_k): not for the tests after it
        neo4j_db.execute("t_forget_k", "MATCH (v:SchemaVersion {id: 'wijknet'}) REMOVE v.disclosure_k", write=True,
                         data=False)
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # anything left of the group (the app, if it survived)
            except ProcessLookupError:
                pass
