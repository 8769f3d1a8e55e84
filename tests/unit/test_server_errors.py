"""Every error of the server lifecycle is one actionable sentence (issue 2, item 2)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graph import server
from graph.db import Database
from graph.errors import JavaMissing, JavaTooOld, MavenMissing, Unreachable
from graph.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def _fake_java(tmp_path: Path, version_line: str) -> Path:
    java = tmp_path / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return java


def test_no_java(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(JavaMissing, match=r"Java was not found: install Java 17 or 21"):
        server.check_java()


def test_java_too_old(tmp_path: Path) -> None:
    java = _fake_java(tmp_path, 'openjdk version "11.0.22" 2024-01-16')
    with pytest.raises(JavaTooOld, match=r"Java 11 at .* is too old for Neo4j 5.26: install Java 17 or 21"):
        server.check_java(str(java))


def test_java_1_8_style_version_is_too_old(tmp_path: Path) -> None:
    java = _fake_java(tmp_path, 'java version "1.8.0_392"')
    with pytest.raises(JavaTooOld, match=r"Java 8 "):
        server.check_java(str(java))


def test_java_17_is_accepted(tmp_path: Path) -> None:
    java = _fake_java(tmp_path, 'openjdk version "17.0.15" 2025-04-15')
    assert server.check_java(str(java)) == str(java)


def test_java_home_wins_over_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    java = _fake_java(tmp_path / "bin", 'openjdk version "21.0.1"')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert server.java_executable() == str(java)


def test_no_maven_and_no_cache(tmp_path: Path) -> None:
    settings = load_settings({"WIJKNET_CACHE_DIR": str(tmp_path / "cache"), "WIJKNET_STATE_DIR": str(tmp_path)})
    with pytest.raises(MavenMissing, match=r"Maven was not found and Neo4j 5\.26\.\d+ is not cached in .*install Maven"):
        server.ensure_jars(settings, mvn="")


def test_unreachable_server_is_one_sentence() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Database(f"bolt://127.0.0.1:{port}", "neo4j", "x", "neo4j")
    with pytest.raises(Unreachable, match=rf"Cannot reach Neo4j at bolt://127\.0\.0\.1:{port}: start it with "
                                          r"`wijknet db start`, or check NEO4J_URI\."):
        db.verify()
    db.close()


def test_cli_shows_no_traceback_when_unreachable(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "x",
           "WIJKNET_STATE_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "app.cli", "db", "status"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip() == f"Error: Cannot reach Neo4j at bolt://127.0.0.1:{port}: start it with " \
                                  "`wijknet db start`, or check NEO4J_URI."


def test_password_file_is_private(tmp_path: Path) -> None:
    pw = server._ensure_password(tmp_path)
    assert len(pw) >= 20
    assert stat.S_IMODE((tmp_path / "password").stat().st_mode) == 0o600
    assert server._ensure_password(tmp_path) == pw  # stable across starts


def test_password_never_reads_as_an_option(tmp_path: Path) -> None:
    for n in range(200):
        home = tmp_path / str(n)
        home.mkdir()
        assert not server._ensure_password(home).startswith("-")
    # a password file left by an earlier version, never set in the server, is replaced
    old = tmp_path / "old"
    old.mkdir()
    (old / "password").write_text("-abc")
    assert not server._ensure_password(old).startswith("-")
    # ... but not once the server has its store: that password is the one the server knows
    (old / "password").write_text("-abc")
    (old / "data" / "dbms").mkdir(parents=True)
    assert server._ensure_password(old) == "-abc"


@pytest.mark.parametrize("value", ["1.5g", "-Xmx1g", "lots", "0g", "1 g", ""])
def test_memory_sizes_must_be_jvm_sizes(value: str) -> None:
    from graph.errors import ConfigError
    from graph.settings import load_settings

    with pytest.raises(ConfigError, match="WIJKNET_NEO4J_HEAP must be a size like 512m or 2g"):
        load_settings({"WIJKNET_NEO4J_HEAP": value})
    assert load_settings({"WIJKNET_NEO4J_HEAP": " 2g "}).neo4j_heap == "2g"
    assert server._java_cmd("java", Path("lib"), Path("home"), "Main", heap="2g")[1:3] == ["-Xms2g", "-Xmx2g"]


def test_extra_jvm_options_reach_the_server_and_the_admin_tool_and_must_be_options(tmp_path: Path) -> None:
    """WIJKNET_NEO4J_JVM_OPTIONS (the tests' -XX:TieredStopAtLevel=1) goes on every Java command line of the
    local server, before the main class; a word that is not an option is refused by name, not passed on."""
    from graph.errors import ConfigError
    from graph.settings import load_settings

    s = load_settings({"WIJKNET_NEO4J_JVM_OPTIONS": " -XX:TieredStopAtLevel=1  -Dx=y "})
    assert s.neo4j_jvm_options == ("-XX:TieredStopAtLevel=1", "-Dx=y")
    cmd = server._java_cmd("java", Path("lib"), Path("home"), "Main", "--arg", extra=s.neo4j_jvm_options)
    assert cmd.index("-XX:TieredStopAtLevel=1") < cmd.index("-Dx=y") < cmd.index("Main") < cmd.index("--arg")
    assert load_settings({}).neo4j_jvm_options == ()
    with pytest.raises(ConfigError, match="each starting with a dash: 'TieredStopAtLevel=1' is not one"):
        load_settings({"WIJKNET_NEO4J_JVM_OPTIONS": "-Xss1m TieredStopAtLevel=1"})


def test_two_processes_fetching_the_jars_at_once_both_get_them(tmp_path: Path) -> None:
    """On a fresh machine the test workers (and an app started beside them) resolve the jars at the same time:
    they must not pull each other's half-fetched directory away (seen: one of two workers failed every test with
    "Maven could not fetch Neo4j"). Maven runs once; both get the complete lib directory."""
    calls = tmp_path / "calls"
    mvn = tmp_path / "mvn"
    mvn.write_text("#!/bin/sh\n"  # a stand-in for Maven: slow, and it writes into -DoutputDirectory as Maven does
                   f"echo run >> {calls}\n"
                   "for a in \"$@\"; do case $a in -DoutputDirectory=*) out=${a#-DoutputDirectory=};; esac; done\n"
                   "mkdir -p \"$out\"; sleep 1; echo jar > \"$out/neo4j.jar\"\n")
    mvn.chmod(mvn.stat().st_mode | stat.S_IEXEC)
    code = ("import sys; from graph import server; from graph.settings import load_settings; "
            f"s = load_settings({{'WIJKNET_CACHE_DIR': {str(tmp_path / 'cache')!r}, "
            f"'WIJKNET_STATE_DIR': {str(tmp_path)!r}}}); "
            f"lib = server.ensure_jars(s, mvn={str(mvn)!r}); print(sorted(p.name for p in lib.iterdir()))")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outs]
    assert [out.strip() for out, _ in outs] == ["['neo4j.jar']"] * 3
    assert calls.read_text().split() == ["run"]
