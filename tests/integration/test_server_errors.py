"""Errors that need the real server: wrong password, port taken, starting twice."""

from __future__ import annotations

import socket

import pytest

from graph import server
from graph.db import Database
from graph.errors import AuthFailed, PortInUse
from graph.settings import load_settings


def test_wrong_password(db: Database) -> None:
    bad = Database(db.uri, "neo4j", "not-the-password", "neo4j")
    with pytest.raises(AuthFailed, match=r"refused the user name or password: check NEO4J_USER and NEO4J_PASSWORD"):
        bad.verify()
    bad.close()


def test_starting_twice_is_harmless(db: Database) -> None:
    settings = load_settings()
    if not settings.managed:
        pytest.skip("NEO4J_URI points at an external server")
    first = server.running_info(settings)
    again = server.start(settings)
    assert first is not None and again == first
    db.verify()


def test_port_taken(tmp_path_factory: pytest.TempPathFactory, db: Database) -> None:
    state = tmp_path_factory.mktemp("other-state")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        settings = load_settings({"WIJKNET_STATE_DIR": str(state), "WIJKNET_BOLT_PORT": str(port)})
        with pytest.raises(PortInUse, match=rf"Port {port} on 127\.0\.0\.1 is taken by another program: stop it, "
                                            r"or set WIJKNET_BOLT_PORT"):
            server.start(settings)
