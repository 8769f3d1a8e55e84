"""The local Neo4j Community server that wijknet manages when no ``NEO4J_URI`` is given.

The official server jars (``org.neo4j:neo4j`` + ``org.neo4j.app:neo4j-server``, version
:data:`graph.settings.NEO4J_VERSION`) are resolved once with Maven into ``<cache dir>/neo4j-<version>/lib``
and started with ``java -cp 'lib/*' org.neo4j.server.CommunityEntryPoint --console-mode``. The server binds to
127.0.0.1 only, has auth on, and keeps its data, logs and generated password in ``<state dir>/neo4j``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graph.errors import (
    JavaMissing,
    JavaTooOld,
    MavenMissing,
    PortInUse,
    ServerStartFailed,
    Unreachable,
)
from graph.files import private_dir
from graph.said import said
from graph.settings import NEO4J_VERSION, Settings

__all__ = [
    "ServerInfo",
    "check_java",
    "ensure_jars",
    "java_executable",
    "read_password",
    "reset",
    "running_info",
    "start",
    "stop",
]

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
MIN_JAVA = 17

# Popen objects of servers this process started: kept so they are reaped (not garbage-collected while running).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class ServerInfo:
    """What ``start`` returns and ``server.json`` records."""

    pid: int
    bolt_port: int
    version: str
    home: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def _home(settings: Settings) -> Path:
    return settings.state_dir / "neo4j"


def import_dir(settings: Settings) -> Path:
    """The managed server's import directory (``file:///`` URLs of LOAD CSV resolve in it)."""
    return _home(settings) / "import"


def _lib_dir(settings: Settings) -> Path:
    return settings.cache_dir / f"neo4j-{NEO4J_VERSION}" / "lib"


def java_executable() -> str | None:
    """The ``java`` to use: ``$JAVA_HOME/bin/java`` if set, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def check_java(java: str | None = None) -> str:
    """Return the java executable; raise :class:`JavaMissing` / :class:`JavaTooOld` otherwise."""
    java = java or java_executable()
    if not java:
        raise JavaMissing("Java was not found: install Java 17 or 21 (e.g. `apt-get install openjdk-17-jre-headless`) "
                          "or set JAVA_HOME.")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except OSError:
        raise JavaMissing(f"Java at {java} cannot be run: install Java 17 or 21 or set JAVA_HOME.") from None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    major = int(match.group(1)) if match else 0
    if major == 1 and match and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise JavaTooOld(f"Java {major or '?'} at {java} is too old for Neo4j 5.26: install Java 17 or 21 "
                         "and put it on PATH or set JAVA_HOME.")
    return java


def ensure_jars(settings: Settings, *, mvn: str | None = None) -> Path:
    """Resolve the Neo4j server jars into the cache (once) and return the lib directory.

    Safe when several processes ask at once (the test workers on a fresh machine, an app started beside them): the
    first holds a lock on ``<cache>/neo4j-<version>/.lock`` while Maven runs; the others wait for it and then find
    the directory complete.
    """
    lib = _lib_dir(settings)
    marker = lib.parent / "complete"
    if marker.exists():
        return lib
    mvn = mvn if mvn is not None else shutil.which("mvn")
    if not mvn:
        raise MavenMissing(f"Maven was not found and Neo4j {NEO4J_VERSION} is not cached in {lib.parent}: "
                           "install Maven (`apt-get install maven`) or copy the jars there.")
    lib.parent.mkdir(parents=True, exist_ok=True)
    with open(lib.parent / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, also when this process dies
        if not marker.exists():  # another process may have fetched them while this one waited
            _fetch_jars(mvn, lib)
            marker.write_text(NEO4J_VERSION)
    return lib


def _fetch_jars(mvn: str, lib: Path) -> None:
    template = resources.files("graph.neo4j").joinpath("pom.xml.in").read_text()
    with tempfile.TemporaryDirectory(prefix="wijknet-mvn-") as tmp:
        pom = Path(tmp) / "pom.xml"
        pom.write_text(template.replace("@VERSION@", NEO4J_VERSION))
        staging = lib.parent / "lib.partial"
        shutil.rmtree(staging, ignore_errors=True)
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
             f"-DoutputDirectory={staging}", "-DincludeScope=runtime"],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            raise ServerStartFailed(f"Maven could not fetch Neo4j {NEO4J_VERSION} (is Maven Central reachable?): "
                                    + " ".join(tail))
        shutil.rmtree(lib, ignore_errors=True)
        staging.rename(lib)


def read_password(settings: Settings) -> str | None:
    path = _home(settings) / "password"
    return path.read_text().strip() if path.exists() else None


def _ensure_password(home: Path) -> str:
    """The server's password, created on first use (0600). It goes on neo4j-admin's command line, so it is
    hex: a URL-safe token starting with ``-`` (1 in 64) was read as an option and the first start failed."""
    path = home / "password"
    if path.exists():
        password = path.read_text().strip()
        if not password.startswith("-") or (home / "data" / "dbms").exists():
            return password
        path.unlink()  # an unusable password from an earlier version, never set in the server
    password = secrets.token_hex(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password)
    return password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_taken(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child counts as dead.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True


def _bolt_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def running_info(settings: Settings) -> ServerInfo | None:
    """The running managed server, or ``None``."""
    path = _home(settings) / "server.json"
    if not path.exists():
        return None
    try:
        info = ServerInfo(**json.loads(path.read_text()))
    except (ValueError, TypeError):
        return None
    return info if pid_alive(info.pid) else None


def _write_conf(home: Path, settings: Settings, port: int) -> Path:
    conf_dir = home / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs", "plugins", "run", "import"):
        (home / sub).mkdir(exist_ok=True)
    conf = conf_dir / "neo4j.conf"
    conf.write_text("\n".join([
        "# Written by wijknet (graph/server.py); edits are overwritten on start.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.plugins={home / 'plugins'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.import={import_dir(settings)}",
        f"server.memory.heap.initial_size={settings.neo4j_heap}",
        f"server.memory.heap.max_size={settings.neo4j_heap}",
        f"server.memory.pagecache.size={settings.neo4j_pagecache}",
        "dbms.usage_report.enabled=false",
        "db.transaction.timeout=0",
        # Bolt's network threads wait this many seconds for new work before they end, once the databases are
        # stopped and checkpointed (twice: Neo4j's default of 5 made every stop take ten seconds longer).
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "",
    ]))
    return conf_dir


#: The JVM options of the ``server.jvm.additional`` lines in the neo4j.conf that Neo4j 5 ships (what its launcher
#: would pass), less ``-XX:+AlwaysPreTouch`` (it touches the whole heap at start: slow starts, for a gain only a
#: long-running server sees). Without the ``--add-opens`` the page cache falls back to a slower way of reaching
#: its buffers (debug.log warns "Reflection access to java.nio.DirectByteBuffer is not available").
JVM_OPTIONS = (
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


def _java_cmd(java: str, lib: Path, home: Path, main: str, *args: str, heap: str | None = None,
              extra: tuple[str, ...] = ()) -> list[str]:
    """The JVM command line. The server is started without Neo4j's launcher script, which is what turns
    ``server.memory.heap.*`` into JVM options, so ``heap`` is passed here (without it the JVM took a quarter of
    the machine's memory, whatever ``WIJKNET_NEO4J_HEAP`` said); ``extra``: ``WIJKNET_NEO4J_JVM_OPTIONS``."""
    memory = [f"-Xms{heap}", f"-Xmx{heap}"] if heap else []
    return [java, *memory, *JVM_OPTIONS, *extra, "-Dfile.encoding=UTF-8", "-cp", f"{lib}/*", main, *args]


def _admin_env(home: Path) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def admin(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``neo4j-admin`` (the AdminTool from the same jars) with the managed home."""
    java = check_java()
    lib = ensure_jars(settings)
    home = _home(settings)
    return subprocess.run(_java_cmd(java, lib, home, ADMIN_TOOL, *args, extra=settings.neo4j_jvm_options),
                          capture_output=True, text=True, env=_admin_env(home))


def start(settings: Settings, *, progress: bool = False) -> ServerInfo:
    """Start the managed server if it is not running; return its info. Starting twice is harmless."""
    info = running_info(settings)
    if info is not None:
        return info
    java = check_java()
    lib = ensure_jars(settings)
    home = _home(settings)
    private_dir(home)
    port_file = home / "bolt_port"
    if settings.bolt_port:
        port = settings.bolt_port
    elif port_file.exists() and not _port_taken(int(port_file.read_text())):
        port = int(port_file.read_text())
    else:
        port = _free_port()
    if _port_taken(port):
        raise PortInUse(f"Port {port} on 127.0.0.1 is taken by another program: stop it, or set "
                        "WIJKNET_BOLT_PORT to a free port (0 picks one).")
    port_file.write_text(str(port))
    _write_conf(home, settings, port)
    password = _ensure_password(home)
    if not (home / "data" / "dbms").exists():
        proc = subprocess.run(_java_cmd(java, lib, home, ADMIN_TOOL, "dbms", "set-initial-password", password,
                                        extra=settings.neo4j_jvm_options),
                              capture_output=True, text=True, env=_admin_env(home))
        if proc.returncode != 0:
            raise ServerStartFailed("Neo4j could not set its initial password: "
                                    + (proc.stderr or proc.stdout).strip()[-300:])
    log = home / "logs" / "console.log"
    with open(log, "ab") as out:
        proc_ = subprocess.Popen(
            _java_cmd(java, lib, home, ENTRY_POINT, f"--home-dir={home}", f"--config-dir={home / 'conf'}",
                      "--console-mode", heap=settings.neo4j_heap, extra=settings.neo4j_jvm_options),
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env=_admin_env(home),
        )
    _CHILDREN[proc_.pid] = proc_
    info = ServerInfo(pid=proc_.pid, bolt_port=port, version=NEO4J_VERSION, home=str(home))
    deadline = time.monotonic() + settings.start_timeout
    while time.monotonic() < deadline:
        if proc_.poll() is not None:
            text = log.read_text(errors="replace")[-4000:]
            if "Address already in use" in text or "BindException" in text:
                raise PortInUse(f"Port {port} on 127.0.0.1 is taken by another program: stop it, or set "
                                "WIJKNET_BOLT_PORT to a free port.")
            raise ServerStartFailed(f"Neo4j exited while starting (code {proc_.returncode}); see {log}.")
        if _bolt_open(port) and "Started." in log.read_text(errors="replace")[-20000:]:
            (home / "server.json").write_text(json.dumps(info.__dict__))
            return info
        time.sleep(0.5)
    _terminate(proc_.pid)
    raise ServerStartFailed(f"Neo4j did not answer on {info.uri} within {settings.start_timeout:.0f} s; see {log}.")


def _reap(pid: int) -> None:
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()


def _terminate(pid: int, timeout: float = 60) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            _reap(pid)
            return
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def stop(settings: Settings) -> bool:
    """Stop the managed server; return True if one was running."""
    info = running_info(settings)
    server_json = _home(settings) / "server.json"
    if info is None:
        server_json.unlink(missing_ok=True)
        return False
    _terminate(info.pid)
    server_json.unlink(missing_ok=True)
    return True


def kill(settings: Settings) -> bool:
    """Kill the managed server abruptly (SIGKILL), as a crash would. For crash tests."""
    info = running_info(settings)
    if info is None:
        return False
    os.killpg(info.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while pid_alive(info.pid) and time.monotonic() < deadline:
        try:
            os.waitpid(info.pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    _reap(info.pid)
    (_home(settings) / "server.json").unlink(missing_ok=True)
    return True


def reset(settings: Settings) -> None:
    """Stop the server and delete its data (the password and port are kept)."""
    stop(settings)
    home = _home(settings)
    shutil.rmtree(home / "data", ignore_errors=True)


def data_size_bytes(settings: Settings) -> int:
    """Bytes on disk of the managed server's data directory."""
    root = _home(settings) / "data"
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def unreachable(uri: str) -> Unreachable:
    """The one error for 'nothing answers at uri'."""
    return Unreachable(said("said.db.unreachable", "Cannot reach Neo4j at {uri}: start it with `wijknet db start`, "
                            "or check NEO4J_URI.", uri=uri))
