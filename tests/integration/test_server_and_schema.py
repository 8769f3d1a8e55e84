"""The managed server and the schema, against the real Neo4j of this test session."""

from __future__ import annotations

from graph.db import Database
from graph.schema import SCHEMA_VERSION, apply_schema, describe_schema
from queries.overview import overview


def test_server_is_neo4j_5_26(db: Database) -> None:
    row = db.execute("components", "CALL dbms.components() YIELD versions, edition "
                     "RETURN versions[0] AS v, edition").first()
    assert row is not None
    assert row["v"].startswith("5.26.")
    assert row["edition"] == "community"


def test_schema_twice_is_the_same_schema(db: Database) -> None:
    first = describe_schema(db)
    assert apply_schema(db) == SCHEMA_VERSION
    assert describe_schema(db) == first
    names = {entry for _, entry in first}
    assert any("uniq_household_id" in n for n in names)
    assert any("idx_involvement_since" in n for n in names)


def test_schema_version_recorded(db: Database) -> None:
    row = db.execute("v", "MATCH (v:SchemaVersion {id: 'wijknet'}) RETURN v.version AS version").first()
    assert row == {"version": SCHEMA_VERSION}


def test_overview_of_empty_database(db: Database) -> None:
    ov = overview(db)
    assert ov.empty
    assert ov.counts["Household"] == 0
    assert ov.first_date is None


def test_managed_server_heap_is_the_configured_one(db: Database) -> None:
    """WIJKNET_NEO4J_HEAP reaches the JVM (the server runs without Neo4j's launcher script)."""
    import pytest

    from graph.settings import load_settings

    settings = load_settings()
    if not settings.managed:
        pytest.skip("an external server (NEO4J_URI) has its own memory settings")
    row = db.execute("t_jmx", "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                     "RETURN attributes.HeapMemoryUsage.value.properties.max AS max").first()
    args = db.execute("t_jmx_args", "CALL dbms.queryJmx('java.lang:type=Runtime') YIELD attributes "
                      "RETURN attributes.InputArguments.value AS args").first()
    assert row is not None and args is not None
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = settings.neo4j_heap.lower()
    expected = int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)
    assert f"-Xmx{settings.neo4j_heap}" in args["args"]
    # G1 reports the maximum as given; the throughput collector the tests' servers run (tests/conftest.py) one
    # survivor space less (1,069,023,232 bytes of 1g)
    assert expected * 0.95 <= row["max"] <= expected


def test_managed_server_runs_with_neo4js_jvm_options(db: Database) -> None:
    """The page cache reaches its buffers directly (the --add-opens of Neo4j's own launcher), instead of the
    slower fallback that debug.log warns about."""
    import pytest

    from graph import server
    from graph.settings import load_settings

    settings = load_settings()
    if not settings.managed:
        pytest.skip("an external server (NEO4J_URI) is started by its own launcher")
    log = (settings.state_dir / "neo4j" / "logs" / "debug.log").read_text(errors="replace")
    assert "Started." in log or "started" in log.lower()
    assert "Reflection access to java.nio.DirectByteBuffer is not available" not in log
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in server.JVM_OPTIONS
