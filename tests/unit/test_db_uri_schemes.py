"""The app works with a cluster or Aura by configuration only: ``NEO4J_URI`` with the routing scheme
``neo4j://`` or the TLS variants gives a routing/TLS driver, and no local server is started. No network:
the driver connects lazily, so nothing here opens a socket."""

from __future__ import annotations

import neo4j
import pytest

from graph import server
from graph.db import Database, connect
from graph.settings import load_settings


@pytest.fixture
def no_local_server(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any attempt to start or look up the managed server (there must be none)."""
    calls: list[str] = []
    monkeypatch.setattr(server, "start", lambda *a, **k: calls.append("start"))
    monkeypatch.setattr(server, "running_info", lambda *a, **k: calls.append("running_info"))
    return calls


@pytest.mark.parametrize(("uri", "driver_type", "encrypted"), [
    ("neo4j://cluster.example.invalid:7687", neo4j.Neo4jDriver, False),
    ("neo4j+s://abcd1234.databases.neo4j.io", neo4j.Neo4jDriver, True),
    ("neo4j+ssc://cluster.example.invalid", neo4j.Neo4jDriver, True),
    ("bolt://db.example.invalid:7687", neo4j.BoltDriver, False),
    ("bolt+s://db.example.invalid:7687", neo4j.BoltDriver, True),
])
def test_connect_accepts_routing_and_tls_uris(no_local_server: list[str], uri: str,
                                              driver_type: type, encrypted: bool) -> None:
    settings = load_settings({"NEO4J_URI": f"  {uri} ", "NEO4J_USER": "wijknet", "NEO4J_PASSWORD": "pw",
                              "NEO4J_DATABASE": "wijk", "WIJKNET_STATE_DIR": "/nonexistent-state"})
    db = connect(settings)
    try:
        assert (db.uri, db.user, db.password, db.database) == (uri, "wijknet", "pw", "wijk")
        assert isinstance(db.driver, driver_type)
        assert db.driver.encrypted is encrypted
    finally:
        db.close()
    assert no_local_server == []


def test_database_accepts_routing_uri_directly() -> None:
    db = Database("neo4j://a.example.invalid:7687", "neo4j", "pw", "neo4j")
    try:
        assert isinstance(db.driver, neo4j.Neo4jDriver)
        assert db.driver is db.driver  # one driver per Database, created once
    finally:
        db.close()
    assert db._driver is None


def test_computing_ahead_is_on_unless_said_no_and_a_misspelling_is_refused() -> None:
    from graph.errors import ConfigError
    from graph.settings import load_settings

    assert load_settings({}).compute_ahead is True
    assert [load_settings({"WIJKNET_COMPUTE_AHEAD": v}).compute_ahead for v in ("no", "Nee", " off ", "0", "ja")] \
        == [False, False, False, False, True]
    with pytest.raises(ConfigError, match="WIJKNET_COMPUTE_AHEAD must be yes or no, not 'noo'"):
        load_settings({"WIJKNET_COMPUTE_AHEAD": "noo"})
