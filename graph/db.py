"""The driver and the one function through which every query runs.

:func:`connect` returns a :class:`Database` for the configured server (``NEO4J_URI``) or for the managed local
server. :meth:`Database.execute` runs a named query with a timeout and a row cap, logs the query *name*
(never parameter values) and returns one :class:`Results` shape. :meth:`Database.stream` is its streaming
sibling for the few readers that turn a large result into a compact snapshot (never into a page).

Every write transaction also sets ``(:SchemaVersion {id: 'wijknet'}).data_token`` to a fresh random value, in
the same transaction: :meth:`Database.data_token` is therefore a cheap, exact "has anything changed" key for
caches derived from the graph (:mod:`queries.snapshot`). A random value, not a counter, so that a reset or a
restored backup can never reuse a key for different content.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, unit_of_work
from neo4j import exceptions as nx

from graph import server
from graph.errors import AuthFailed, ConstraintViolated, QueryFailed, Unreachable
from graph.said import said
from graph.settings import Settings, load_settings

__all__ = ["Database", "Results", "as_date", "connect", "plain"]

log = logging.getLogger("wijknet.db")

_READ_ATTEMPTS = 3
_BUMP_TOKEN = "MERGE (v:SchemaVersion {id: 'wijknet'}) SET v.data_token = randomUUID()"
_READ_TOKEN = "MATCH (v:SchemaVersion {id: 'wijknet'}) RETURN v.data_token AS token"
_Rows = tuple[list[str], list[dict[str, Any]], bool]  # column names, rows, truncated
_GRAPH_TYPES = (neo4j.graph.Node, neo4j.graph.Relationship, neo4j.graph.Path)
T = TypeVar("T")
#: a statement inside :meth:`Database.write_transaction`: (name, cypher, params[, last]) → rows
TxRun = Callable[..., list[dict[str, Any]]]


def as_date(value: Any) -> date | None:
    """A date the database returned (a ``neo4j.time.Date``) as a Python ``date``; anything else ``None``."""
    native = value.to_native() if hasattr(value, "to_native") else value
    return native if isinstance(native, date) else None


def plain(value: Any) -> Any:
    """``value`` as :meth:`neo4j.Record.data` gives it (nodes as their properties, relationships and paths as
    tuples and lists; lists and maps converted all the way down; every other value as it is), in a fraction
    of its time: ``data()`` tests each nested value against abstract base classes, which took about 1 ms for
    the coach page's one row, a tenth of the page's data time (bench/bench_household.py)."""
    kind = type(value)
    if kind is list:
        return [plain(v) for v in value]
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, _GRAPH_TYPES):
        return neo4j.Record({"v": value}).data()["v"]  # type: ignore[no-untyped-call]
    return value


@dataclass(frozen=True)
class Results:
    """Rows of one named query."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    elapsed_ms: float
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def first(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None

    def to_df(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


@dataclass
class Database:
    """A connection to one Neo4j database; thread-safe (one per process is enough)."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    query_timeout: float = 30.0
    row_cap: int = 200_000
    snapshot_dir: Path | None = None  # where caches derived from the graph may be kept (None: memory only)
    _driver: neo4j.Driver | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def driver(self) -> neo4j.Driver:
        with self._lock:
            if self._driver is None:
                self._driver = GraphDatabase.driver(self.uri, auth=(self.user, self.password),
                                                    max_connection_pool_size=50,
                                                    notifications_min_severity="OFF")
            return self._driver

    def close(self) -> None:
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    def detached(self) -> Database:
        """The same database on a driver of its own (opened when first used; the caller closes it)."""
        return replace(self, _driver=None, _lock=threading.Lock())

    def verify(self) -> None:
        """Raise :class:`AuthFailed` or :class:`Unreachable` with a clear sentence if the server can't be used."""
        try:
            self.driver.verify_connectivity()
        except nx.AuthError:
            raise AuthFailed(said("said.db.auth_local", "Neo4j at {uri} refused the user name or password: check "
                                  "NEO4J_USER and NEO4J_PASSWORD (for the local server, `wijknet db reset` starts "
                                  "afresh).", uri=self.uri)) from None
        except (nx.ServiceUnavailable, OSError, nx.DriverError):
            raise server.unreachable(self.uri) from None

    def execute(
        self,
        name: str,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        data: bool = True,
        timeout: float | None = None,
        row_cap: int | None = None,
    ) -> Results:
        """Run ``cypher`` (known as ``name``) with ``params`` as parameters and return its rows.

        Values always travel as parameters; ``cypher`` comes from a ``.cypher`` file or the loader. A ``write``
        also renews the data token in the same transaction, unless ``data=False``: bookkeeping that changes
        nothing the app shows (an index or a constraint, which Neo4j allows no data write beside; the schema
        version; the import ledger).
        """
        cap = row_cap or self.row_cap
        seconds = timeout or self.query_timeout
        t0 = time.perf_counter()

        def collect(result: neo4j.Result) -> _Rows:
            keys = list(result.keys())
            rows: list[dict[str, Any]] = []
            truncated = False
            for record in result:
                if len(rows) >= cap:
                    truncated = True
                    break
                rows.append({k: plain(v) for k, v in zip(keys, record.values(), strict=True)})
            result.consume()
            return keys, rows, truncated

        @unit_of_work(timeout=seconds)
        def work(tx: neo4j.ManagedTransaction) -> _Rows:
            result = tx.run(cypher, dict(params or {}))
            # anything derived from the graph is stale from this commit on; sent right behind the statement
            # (pipelined: the server runs them in order), so it costs no round trip of its own
            bump = tx.run(_BUMP_TOKEN) if data else None
            out = collect(result)
            if bump is not None:
                bump.consume()
            return out

        with self._errors(name):
            if write:
                with self._session(neo4j.WRITE_ACCESS) as session:
                    keys, rows, truncated = session.execute_write(work)
            else:
                keys, rows, truncated = self._read(name, cypher, dict(params or {}), seconds, collect)
        elapsed = (time.perf_counter() - t0) * 1000
        log.debug("query %s: %d rows in %.1f ms", name, len(rows), elapsed)
        if truncated:
            log.warning("query %s truncated at %d rows", name, cap)
        return Results(name=name, columns=keys, rows=rows, elapsed_ms=elapsed, truncated=truncated)

    def execute_all(self, name: str, statements: list[tuple[str, str, Mapping[str, Any], bool]], *,
                    timeout: float | None = None) -> list[list[dict[str, Any]]]:
        """Run several writes in *one* transaction, in order: all of them commit or none does; return the rows
        each statement returned (most return none).

        ``statements`` are ``(name, cypher, params, data)`` as for :meth:`execute` (``data=False`` marks
        bookkeeping); the data token is renewed once when any of them writes data. For a load batch whose
        records of several kinds and its ledger entry must land together. ``name`` names the whole in errors.
        """
        t0 = time.perf_counter()

        @unit_of_work(timeout=timeout or self.query_timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[list[dict[str, Any]]]:
            # Pipelined: each run waits only for the server to accept its statement, not for its result, so the
            # driver packs the next statement's parameters while the server executes the previous one. The
            # server still runs them in order; a failure surfaces at the latest when the results are consumed.
            results = [tx.run(cypher, dict(params)) for _, cypher, params, _ in statements]
            if any(data for *_, data in statements):
                results.append(tx.run(_BUMP_TOKEN))
            return [[r.data() for r in result] for result in results][:len(statements)]

        with self._errors(name), self._session(neo4j.WRITE_ACCESS) as session:
            out: list[list[dict[str, Any]]] = session.execute_write(work)
        log.debug("query %s: %s in %.1f ms", name, ", ".join(n for n, *_ in statements),
                  (time.perf_counter() - t0) * 1000)
        return out

    def write_transaction(self, name: str, work: Callable[[TxRun], T], *, timeout: float | None = None) -> T:
        """Run ``work`` in *one* write transaction and return what it returns; the data token is renewed in it.

        ``work`` gets ``run(name, cypher, params, last=False)``, which runs one statement of the transaction and
        returns its rows (as :meth:`execute` gives them): for a write that must read before it writes and decide
        in Python in between (:mod:`ingest.record`: the household's context, the checks, the write), in one
        transaction instead of a read and a write of their own. ``last=True`` marks the final write: the token's
        renewal is sent right behind it (pipelined, no round trip of its own). An exception from ``work`` rolls
        everything back and is raised as it is; a transient failure runs ``work`` again, so it must not keep
        state between attempts.
        """
        t0 = time.perf_counter()

        @unit_of_work(timeout=timeout or self.query_timeout)
        def unit(tx: neo4j.ManagedTransaction) -> T:
            bumped: list[neo4j.Result] = []

            def run(_name: str, cypher: str, params: Mapping[str, Any], last: bool = False) -> list[dict[str, Any]]:
                result = tx.run(cypher, dict(params))
                if last and not bumped:
                    bumped.append(tx.run(_BUMP_TOKEN))
                keys = list(result.keys())
                return [{k: plain(v) for k, v in zip(keys, record.values(), strict=True)} for record in result]

            out = work(run)
            if not bumped:
                tx.run(_BUMP_TOKEN).consume()
            return out

        with self._errors(name), self._session(neo4j.WRITE_ACCESS) as session:
            out: T = session.execute_write(unit)
        log.debug("query %s: one transaction in %.1f ms", name, (time.perf_counter() - t0) * 1000)
        return out

    def data_token(self) -> str | None:
        """The graph's data token: it changes with every committed write (``None`` before the first one)."""
        row = self.execute("data_token", _READ_TOKEN).first()
        return row["token"] if row else None

    def stream(self, name: str, cypher: str, params: Mapping[str, Any] | None = None, *,
               timeout: float | None = None, fetch_size: int = 10_000) -> Iterator[tuple[Any, ...]]:
        """Run a read and yield its rows as tuples, without holding them all (no row cap).

        For the few callers that fold a large result into something small (a snapshot), never for a page.
        Errors are raised as by :meth:`execute`; a transient failure is not retried (rows may have been used).
        """
        t0 = time.perf_counter()
        n = 0
        with self._errors(name), self._session(neo4j.READ_ACCESS, fetch_size=fetch_size) as session:
            result = session.run(neo4j.Query(cypher, timeout=timeout or self.query_timeout), dict(params or {}))
            for record in result:
                n += 1
                yield tuple(record.values())
        log.debug("query %s: streamed %d rows in %.1f ms", name, n, (time.perf_counter() - t0) * 1000)

    @contextmanager
    def _errors(self, name: str) -> Iterator[None]:
        """Driver errors of the query ``name`` as wijknet's one-sentence errors."""
        try:
            yield
        except nx.AuthError:
            raise AuthFailed(said("said.db.auth", "Neo4j at {uri} refused the user name or password: check "
                                  "NEO4J_USER and NEO4J_PASSWORD.", uri=self.uri)) from None
        except (nx.ServiceUnavailable, nx.SessionExpired):
            raise server.unreachable(self.uri) from None
        except nx.ConstraintError as exc:
            log.info("query %s broke a constraint: %s", name, exc.code)
            raise ConstraintViolated(said("said.db.constraint", "The query '{name}' would break a uniqueness "
                                          "constraint in Neo4j ({code}).", name=name, code=str(exc.code))) from exc
        except nx.Neo4jError as exc:
            log.warning("query %s failed: %s", name, exc.code)
            raise QueryFailed(said("said.db.query_failed", "The query '{name}' failed in Neo4j ({code}).", name=name,
                                   code=str(exc.code))) from exc

    def _session(self, mode: str, **config: Any) -> neo4j.Session:
        # The driver's bookmark manager makes every session see the writes of the sessions before it, also on
        # a cluster (neo4j:// routing), without passing bookmarks around.
        return self.driver.session(database=self.database, default_access_mode=mode,
                                   bookmark_manager=self.driver.execute_query_bookmark_manager, **config)

    def _read(self, name: str, cypher: str, params: dict[str, Any], seconds: float,
              collect: Callable[[neo4j.Result], _Rows]) -> _Rows:
        """A read as one auto-commit query: one network round trip instead of a transaction's BEGIN/RUN/COMMIT.

        Reads change nothing, so a transient failure (a leader switch, a deadlock report) is retried here, as
        ``execute_read`` would, with a short back-off; anything else is raised at once.
        """
        delay = 0.05
        for attempt in range(_READ_ATTEMPTS):
            try:
                with self._session(neo4j.READ_ACCESS) as session:
                    return collect(session.run(neo4j.Query(cypher, timeout=seconds), params))
            except (nx.TransientError, nx.SessionExpired, nx.ServiceUnavailable) as exc:
                if attempt == _READ_ATTEMPTS - 1 or (isinstance(exc, nx.TransientError) and not exc.is_retryable()):
                    raise
                log.info("query %s: retrying after %s", name, type(exc).__name__)
                time.sleep(delay)
                delay *= 4
        raise AssertionError("unreachable")  # pragma: no cover

    def write_batches(self, name: str, cypher: str, batches: Iterable[list[dict[str, Any]]]) -> int:
        """Run ``cypher`` once per batch as ``$rows`` in its own write transaction; return rows written."""
        n = 0
        for batch in batches:
            if batch:
                self.execute(name, cypher, {"rows": batch}, write=True, timeout=600)
                n += len(batch)
        return n


def in_background(db: Database, work: Callable[[Database], object], *, name: str) -> threading.Thread:
    """Run ``work`` in a daemon thread on its own driver to ``db``'s database, closed when ``work`` is done.

    The owner of ``db`` may close it at any moment (a command done, a test's end): a driver shared with the thread
    would then be closed under the thread's query (its connection written to from two threads at once), or opened
    again by the thread's next query and left for the garbage collector. On a server of its own (Community) the
    thread's reads see every write committed before they start, as on the shared driver."""
    own = db.detached()

    def run() -> None:
        try:
            work(own)
        finally:
            own.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def connect(settings: Settings | None = None, *, start: bool = True) -> Database:
    """A :class:`Database` for ``NEO4J_URI`` or for the managed local server (started when ``start``)."""
    s = settings or load_settings()
    if s.neo4j_uri:
        return Database(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database,
                        s.query_timeout, s.row_cap, s.state_dir / "snapshots")
    info = server.start(s) if start else server.running_info(s)
    if info is None:
        raise Unreachable(said("said.db.not_running", "The local Neo4j server is not running: start it with "
                               "`wijknet db start`, or set NEO4J_URI."))
    return Database(info.uri, "neo4j", server.read_password(s) or "", s.neo4j_database,
                    s.query_timeout, s.row_cap, s.state_dir / "snapshots")
