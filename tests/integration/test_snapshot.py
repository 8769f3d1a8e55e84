"""The data token and the overlap snapshot against the real Neo4j: used only while it equals the graph."""

from __future__ import annotations

import stat
import time
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from graph.db import Database
from graph.model import LIFE_DOMAINS
from ingest.loader import load_records
from queries import aggregates, counting, snapshot
from queries.audit import AuditLog
from queries.registry import run
from tests.integration.test_aggregates import AS_OF, BELEID, LEAD, keyed, records


@pytest.fixture(scope="module")
def loaded(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    load_records(db, list(records()))
    db.snapshot_dir = tmp_path_factory.mktemp("snapshots")
    snapshot.forget()
    return db


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_every_write_changes_the_token_and_reads_do_not(loaded: Database) -> None:
    before = loaded.data_token()
    assert before
    loaded.execute("t", "MATCH (n:Household) RETURN count(n) AS n")
    assert loaded.data_token() == before
    loaded.execute("t", "MERGE (a:Area {code: 'TOKEN'}) SET a.name = 'x', a.kind = 'experiment'", write=True)
    after = loaded.data_token()
    assert after and after != before
    loaded.execute("t", "MATCH (a:Area {code: 'TOKEN'}) DETACH DELETE a", write=True)
    assert loaded.data_token() not in (before, after)  # random, not a counter: never reused


def test_execute_all_is_one_transaction_with_one_token(loaded: Database) -> None:
    from graph.errors import QueryFailed

    before = loaded.data_token()
    mk = "MERGE (a:Area {code: $c}) SET a.name = 'x', a.kind = 'experiment'"
    with pytest.raises(QueryFailed):  # the second statement fails: the first one is rolled back with it
        loaded.execute_all("t", [("a", mk, {"c": "ALL-1"}, True), ("b", "RETURN 1/0 AS x", {}, True)])
    assert loaded.execute("t", "MATCH (a:Area {code: 'ALL-1'}) RETURN a").rows == []
    assert loaded.data_token() == before
    loaded.execute_all("t", [("a", mk, {"c": "ALL-1"}, True), ("b", mk, {"c": "ALL-2"}, True)])
    assert len(loaded.execute("t", "MATCH (a:Area) WHERE a.code STARTS WITH 'ALL-' RETURN a").rows) == 2
    after = loaded.data_token()
    assert after != before
    loaded.execute_all("t", [("ledger", "MERGE (i:Import {file_hash: 'ALL'})", {}, False)])
    assert loaded.data_token() == after  # bookkeeping only: the token stays
    loaded.execute("t", "MATCH (n) WHERE n.code STARTS WITH 'ALL-' OR n.file_hash = 'ALL' DETACH DELETE n", write=True)


def test_current_reads_once_saves_privately_and_follows_the_graph(loaded: Database) -> None:
    snapshot.forget()
    snap = snapshot.current(loaded, wait=True)
    assert snap is not None and snap.token == loaded.data_token()
    files = list(loaded.snapshot_dir.glob("overlap-*.npz"))  # type: ignore[union-attr]
    assert [f.name for f in files] == [f"overlap-{snap.token}.npz"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    # No identifier of a household, person or professional is in the file: codes only.
    data = files[0].read_bytes()
    for identifier in (b"N11", b"HH-", b"P-A", b"P-COACH"):
        assert identifier not in data
    # A fresh process (memory forgotten) reads the file instead of the graph.
    snapshot.forget()
    again = snapshot.current(loaded)
    assert again is not None and again.token == snap.token and again.periods == snap.periods
    # After a write the snapshot is stale: None now (the caller counts in Cypher), a new one in the background.
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.until = date('2008-01-01')", write=True)
    assert snapshot.current(loaded) is None
    deadline = time.monotonic() + 60
    fresh = None
    while fresh is None and time.monotonic() < deadline:
        time.sleep(0.2)
        fresh = snapshot.current(loaded)
    assert fresh is not None and fresh.token == loaded.data_token() != snap.token
    assert [f.name for f in loaded.snapshot_dir.glob("overlap-*.npz")] == [  # type: ignore[union-attr]
        f"overlap-{fresh.token}.npz"]


def test_a_damaged_file_is_read_again_from_the_graph(loaded: Database) -> None:
    snap = snapshot.current(loaded, wait=True)
    assert snap is not None
    path = loaded.snapshot_dir / f"overlap-{snap.token}.npz"  # type: ignore[operator]
    path.write_bytes(b"not a snapshot")
    snapshot.forget()
    assert snapshot.OverlapSnapshot.load(path) is None
    rebuilt = snapshot.current(loaded, wait=True)
    assert rebuilt is not None and rebuilt.periods == snap.periods


def test_views_give_the_same_tables_from_the_snapshot_and_from_cypher(
        loaded: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot.current(loaded, wait=True)
    called: list[str] = []
    real = aggregates.run

    def spy(db: Database, name: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        called.append(name)
        return real(db, name, params, **kw)

    monkeypatch.setattr(aggregates, "run", spy)
    monkeypatch.setattr(counting, "run", spy)  # the Cypher engine's counts
    fast = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5)
    fast_trend = aggregates.overlap_trend(loaded, audit, BELEID, first_year=2008, last_year=2009, k=5)
    fast_effect = aggregates.coach_effect_view(loaded, audit, BELEID, k=5)
    period = {"start": date(2004, 1, 1), "end": date(2012, 12, 31), "k": 5}
    fast_collab = aggregates._collaboration_view(loaded, audit, LEAD, **period)
    fast_handovers = aggregates._handover_view(loaded, audit, LEAD, **period)
    lead_counts = {"org_handover_counts", "org_collaboration_referral_counts", "org_collaboration_consultation_pairs",
                   "org_collaboration_mandates", "handover_edges", "handover_derived"}
    assert not [n for n in called if n.startswith("overlap_") or n in lead_counts], called  # nothing counted in Cypher
    monkeypatch.setattr(snapshot, "current", lambda db, wait=False, max_age_s=0.0: None)
    slow = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5)
    slow_trend = aggregates.overlap_trend(loaded, audit, BELEID, first_year=2008, last_year=2009, k=5)
    slow_effect = aggregates.coach_effect_view(loaded, audit, BELEID, k=5)
    slow_collab = aggregates._collaboration_view(loaded, audit, LEAD, **period)
    slow_handovers = aggregates._handover_view(loaded, audit, LEAD, **period)
    assert {"overlap_counts", "overlap_trend_counts", "overlap_coach_effect_counts"} | lead_counts <= set(called)
    for a, b in ((fast_collab.organisations, slow_collab.organisations), (fast_collab.edges, slow_collab.edges),
                 (fast_collab.followup, slow_collab.followup)):
        assert a.equals(b)
    for name in ("edges", "org_communities", "professional_communities", "pairs", "areas", "periods",
                 "chain_lengths", "longest_chains", "ping_pong"):
        assert getattr(fast_handovers, name).equals(getattr(slow_handovers, name)), name
    assert fast_handovers.handovers == slow_handovers.handovers > 0
    assert fast_handovers.org_quality == slow_handovers.org_quality
    assert fast_handovers.professional_quality == slow_handovers.professional_quality
    for a, b in ((fast.distribution, slow.distribution), (fast.pair_matrix, slow.pair_matrix),
                 (fast.same_member_domain, slow.same_member_domain), (fast_trend, slow_trend),
                 (fast_effect, slow_effect)):
        assert a.equals(b)
    assert not fast.distribution.empty and not fast_trend.empty and not fast_effect.empty


def test_snapshot_rows_on_dates_without_work(loaded: Database) -> None:
    snap = snapshot.read_snapshot(loaded, "x")
    assert snap.overlap_rows(date(1990, 1, 1), None, None) == []
    assert snap.trend_rows([date(1990, 3, 31)], None, None) == []
    assert keyed(snap.overlap_rows(AS_OF, "NO-SUCH-AREA", None)) == {}
    assert snap.households("NO-SUCH-AREA").empty


def test_pages_may_show_a_recent_snapshot_while_a_fresh_one_is_read(loaded: Database, audit: AuditLog) -> None:
    old = snapshot.current(loaded, wait=True)
    assert old is not None
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = 'changed'", write=True)
    lagging = snapshot.current(loaded, max_age_s=300)  # what the overlap page asks for
    assert lagging is old  # shown (with its read time) while the fresh one is read
    assert snapshot.current(loaded) is None or snapshot.current(loaded).token != old.token  # exact: never the old
    view = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5, max_age_s=300)
    # the old snapshot, or the fresh one if the background read has finished meanwhile: never counted live
    assert view.counted_at is not None and view.counted_at.timestamp() >= old.read_at - 1e-3
    # Behind the data for longer than the page allows: the exact path.
    with snapshot._lock:
        if (loaded.uri, loaded.database, old.token) in snapshot._stale_since:  # not yet replaced by the fresh one
            snapshot._stale_since[(loaded.uri, loaded.database, old.token)] -= 3600
    stale = snapshot.current(loaded, max_age_s=300)
    assert stale is None or stale.token == loaded.data_token()


def _no_background_read() -> None:
    """Wait until an earlier test's background read is over (a new one would not start beside it)."""
    deadline = time.monotonic() + 120
    while snapshot._building and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_read_asked_for_while_the_background_reads_the_same_data_waits_for_it(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """``current(wait=True)`` while a background read of the same data runs (a page after a write, then the CLI or
    a test): one read, and both get the same snapshot. Before, both read the graph and whichever finished last
    replaced the other in memory, so the caller's snapshot was no longer the one shown (CI, stop 38)."""
    import threading

    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    token = loaded.data_token()
    assert token is not None
    reads: list[str] = []
    release = threading.Event()
    real = snapshot.read_snapshot

    def slow(db: Database, tok: str) -> snapshot.OverlapSnapshot:
        reads.append(tok)
        release.wait(10)
        return real(db, tok)

    _no_background_read()
    monkeypatch.setattr(snapshot, "read_snapshot", slow)
    monkeypatch.setattr(snapshot, "_last_build", {})  # no pause since an earlier read
    snapshot._build_in_background(loaded, token)
    deadline = time.monotonic() + 30
    while not reads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reads == [token]  # the background read has started and is waiting
    got: list[snapshot.OverlapSnapshot | None] = []
    waiting = threading.Thread(target=lambda: got.append(snapshot.current(loaded, wait=True)))
    waiting.start()
    time.sleep(0.2)
    release.set()
    waiting.join(30)
    assert reads == [token]  # read once
    assert got and got[0] is not None and got[0] is snapshot.current(loaded)


def test_a_command_closing_its_database_leaves_a_background_read_its_own_connection(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI, stop 44: ``wijknet report collaboration`` closed its database while a snapshot read it had started in the
    background was still querying through it. The close wrote GOODBYE on the connection the thread was writing to
    (BufferError, exit 2), and the thread's next query opened the driver again, left for the garbage collector (an
    unraisable ResourceWarning failing a later test). The thread now reads on a driver of its own, closed by it."""
    import threading

    mine = loaded.detached()  # the command's own database, as ``connect()`` gives it
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    token = mine.data_token()
    assert token is not None
    used: list[Database] = []
    started, release = threading.Event(), threading.Event()
    real = snapshot.read_snapshot

    def held(db: Database, tok: str) -> snapshot.OverlapSnapshot:
        used.append(db)
        started.set()
        release.wait(10)
        return real(db, tok)

    _no_background_read()
    monkeypatch.setattr(snapshot, "read_snapshot", held)
    monkeypatch.setattr(snapshot, "_last_build", {})
    snapshot._build_in_background(mine, token)
    assert started.wait(30)
    mine.close()  # the command is done while the read goes on
    release.set()
    for thread in [t for t in threading.enumerate() if t.name == "overlap-snapshot"]:
        thread.join(60)  # the read, then its driver closed by its thread
    assert mine._driver is None  # not opened again behind its owner's back
    assert used and used[0] is not mine and used[0]._driver is None  # the thread's own driver, closed by it
    fresh = snapshot.current(loaded)
    assert fresh is not None and fresh.token == token  # and the read was not cut off


def test_a_snapshot_read_long_ago_of_data_that_just_changed_is_still_shown(loaded: Database,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The age that counts is how long the data has differed from the snapshot, not when it was read: figures read
    at 9:00 of data nobody changed until a coach's write at 14:00 are still shown at 14:00 while a fresh read runs
    (the setting says "after the data changed"); before, the first write of the day sent every page to Cypher."""
    old = snapshot.current(loaded, wait=True)
    assert old is not None
    object.__setattr__(old, "read_at", old.read_at - 5 * 3600)  # read five hours ago
    monkeypatch.setattr(snapshot, "_build_in_background", lambda db, token: None)  # the fresh read is still running
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    assert snapshot.current(loaded, max_age_s=300) is old
    assert snapshot.current(loaded) is None  # exact: never the old one


def test_a_large_graph_with_nothing_to_show_is_being_computed_not_counted_in_cypher(
        loaded: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No snapshot in memory or on disk (a new installation's first page) and more households than
    WIJKNET_CYPHER_COUNT_LIMIT: the pages get "being computed" while the snapshot is read, instead of every user
    starting a whole-city count in Cypher (25 users at 80,000 households: the overlap took 119 s that way)."""
    saved_dir = loaded.snapshot_dir
    monkeypatch.setattr(loaded, "snapshot_dir", tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    started: list[str] = []
    monkeypatch.setattr(snapshot, "_build_in_background", lambda db, token: started.append(token))
    snapshot.forget()
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    called: list[str] = []
    for module in (aggregates, counting):
        real = module.run
        monkeypatch.setattr(module, "run", lambda db, name, *a, _r=real, **kw: called.append(name) or _r(db, name, *a, **kw))
    households = next(int(r["count"]) for r in run(loaded, "label_counts").rows if r["label"] == "Household")
    monkeypatch.setenv("WIJKNET_CYPHER_COUNT_LIMIT", str(households - 1))
    for ask in (lambda: aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5, max_age_s=300),
                lambda: aggregates._collaboration_view(loaded, audit, LEAD, start=date(2008, 1, 1),
                                                      end=date(2010, 12, 31), max_age_s=300),
                lambda: aggregates._handover_view(loaded, audit, LEAD, start=date(2008, 1, 1), end=date(2010, 12, 31),
                                                 max_age_s=300)):
        with pytest.raises(snapshot.BeingComputed, match=f"{households:,} households"):
            ask()
    assert started and not [n for n in called if n.startswith(("overlap_", "org_", "handover"))]  # nothing counted
    assert snapshot.current(loaded) is None  # exact callers (the CLI) still count in Cypher
    monkeypatch.setenv("WIJKNET_CYPHER_COUNT_LIMIT", str(households))  # at or under the limit: counted in Cypher
    assert aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5, max_age_s=300).counted_at is None
    monkeypatch.setattr(loaded, "snapshot_dir", saved_dir)


def test_a_new_process_shows_the_last_saved_snapshot_while_a_fresh_one_is_read(loaded: Database) -> None:
    """After a restart (nothing in memory) while the graph keeps changing, a page that allows an age shows the file
    the previous process saved — it does not count the whole graph in Cypher per request (at 80,000 households
    the overlap took minutes that way, and the lead's handover page met the row cap)."""
    saved = snapshot.current(loaded, wait=True)
    assert saved is not None
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    snapshot.forget()  # a new process: nothing in memory, the file of the previous one on disk
    shown = snapshot.current(loaded, max_age_s=300)
    # the saved one, or the fresh one if the background read has finished meanwhile: never nothing
    assert shown is not None and shown.read_at >= saved.read_at
    exact = snapshot.current(loaded)
    assert exact is None or exact.token == loaded.data_token()  # exact: never the old one


def test_advice_a_coach_records_is_counted_from_the_next_snapshot(loaded: Database) -> None:
    """The collaboration page's mandate figures come from the snapshot; advice recorded in the app (the very
    statement ingest.record runs) is in the snapshot read after it, counted as the query counts it."""
    period = (date(2004, 1, 1), date(2012, 12, 31))
    params = {"from": period[0], "to": period[1], "area": None, "life_domain": None}
    before = snapshot.current(loaded, wait=True)
    assert before is not None and before.mandate_rows(*period, None, None) == \
        run(loaded, "org_collaboration_mandates", params).rows
    adopted = {r["organisation_id"]: r["adopted"] for r in before.mandate_rows(*period, None, None)}["OB"]
    text = (Path(__file__).parents[2] / "ingest" / "cypher" / "record_advice.cypher").read_text()
    for n, outcome in enumerate(("adopted", None)):  # the second awaits the partner's decision: not counted
        loaded.execute("record_advice", text, {
            "household_id": "N16", "professional_id": "P-COACH", "mandate_id": "M1", "id": f"ADV-WS-T{n}",
            "props": {"date": date(2010, 3, 1), "outcome": outcome, "decision_asked": None, "decided_at": None},
            "source": "coach:P-COACH", "now": date(2010, 3, 1)}, write=True)
    after = snapshot.current(loaded, wait=True)
    assert after is not None and after.token != before.token
    for area, domain, lo in ((None, None, period[0]), ("NVL", None, date(2010, 1, 1)), ("SVZ", None, period[0]),
                             (None, "WONEN", period[0]), (None, "INKOMEN_FINANCIEN_SCHULDEN", date(2010, 3, 2))):
        params = {"from": lo, "to": period[1], "area": area, "life_domain": domain}
        assert after.mandate_rows(lo, period[1], area, domain) == \
            run(loaded, "org_collaboration_mandates", params).rows, (area, domain)
    assert {r["organisation_id"]: r["adopted"] for r in after.mandate_rows(*period, None, None)}["OB"] == adopted + 1


def test_policy_views_are_kept_per_snapshot_and_filters_audited_every_time(loaded: Database, audit: AuditLog,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The same snapshot with the same filters gives the same overlap, trend and coach-effect tables: the second
    request is not counted again (25 users at 80,000 households: the coach effect's p50 was 4.8 s), but it is
    audited; a page changing the table it was given does not change the next one; another date is counted."""
    assert snapshot.current(loaded, wait=True) is not None
    views = (lambda: aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5),
             lambda: aggregates.overlap_trend(loaded, audit, BELEID, first_year=2008, last_year=2009, k=5),
             lambda: aggregates.coach_effect_view(loaded, audit, BELEID, k=5))
    first = [ask() for ask in views]
    counted: list[str] = []
    for name in ("overlap_rows", "overlap_cells", "trend_rows", "coach_effect_rows"):
        real = getattr(snapshot.OverlapSnapshot, name)
        monkeypatch.setattr(snapshot.OverlapSnapshot, name,
                            lambda self, *a, _n=name, _r=real, **kw: counted.append(_n) or _r(self, *a, **kw))
    before = len(list(audit.records(user=BELEID.user)))
    kept = first[0].distribution.copy(), first[1].copy()
    first[0].distribution.iloc[0, 0] = -1  # a page changing what it was given
    first[1].iloc[0, 0] = -1
    again = [ask() for ask in views]
    assert counted == [] and len(list(audit.records(user=BELEID.user))) == before + 3
    assert again[0].distribution.equals(kept[0]) and again[1].equals(kept[1])
    assert again[0].pair_matrix.equals(first[0].pair_matrix) and again[2].equals(first[2])
    aggregates.overlap_view(loaded, audit, BELEID, as_of=date(2009, 6, 30), k=5)
    assert "overlap_cells" in counted


def test_a_background_read_gets_the_overlap_pages_decisions_before_the_pages_are_given_it(
        loaded: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    """With :func:`aggregates.prepare_figures` registered (the app does, app/state.py), a snapshot read in the
    background is given to the pages only once the pair matrices' linear programmes of every year end (the dates
    they are published for, a chain) are solved: no policymaker's first request of a date waits for them (issue
    22, 25 users at 80,000 households). What was computed ahead is what the page computes on request."""
    import shutil

    from graph.settings import load_settings
    from queries.analytics.overlap import quarter_ends

    def clear_decisions() -> None:
        for cache in (aggregates._WIDENED, aggregates._PAIRS, aggregates._VIEWS, aggregates._CHAINS):
            monkeypatch.setattr(cache, "_items", type(cache._items)())
        shutil.rmtree(aggregates._kept_dir(loaded), ignore_errors=True)  # type: ignore[arg-type]

    dates = quarter_ends(2007, 2010)
    monkeypatch.setattr(snapshot, "_prepare", [aggregates.prepare_figures])
    monkeypatch.setattr(snapshot, "_last_build", {})
    old = snapshot.current(loaded, wait=True)
    assert old is not None
    clear_decisions()
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    assert snapshot.current(loaded, max_age_s=300) is old  # shown while the fresh one is read and prepared
    deadline = time.monotonic() + 120
    while (fresh := snapshot.current(loaded)) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fresh is not None and fresh.token == loaded.data_token()
    solved: list[int] = []
    real = aggregates._widen_pairs
    monkeypatch.setattr(aggregates, "_widen_pairs", lambda *a, **kw: solved.append(1) or real(*a, **kw))
    chained: list[int] = []
    chain = aggregates._chain_of_quarters
    monkeypatch.setattr(aggregates, "_chain_of_quarters", lambda *a, **kw: chained.append(1) or chain(*a, **kw))
    ahead = {d: aggregates.overlap_view(loaded, audit, BELEID, as_of=d).pair_matrix for d in dates}
    assert solved == []  # every date's programmes were solved before the snapshot was shown
    for domain in LIFE_DOMAINS:  # and every life domain's chain of quarters, for the trend filtered on it
        aggregates.overlap_trend(loaded, audit, BELEID, first_year=2004, last_year=2010, life_domain=domain)
    assert chained == []
    assert aggregates.overlap_view(loaded, audit, BELEID, as_of=dates[0]).k == load_settings().k
    clear_decisions()
    asked = {d: aggregates.overlap_view(loaded, audit, BELEID, as_of=d).pair_matrix for d in dates}
    assert solved  # on request the programmes run: the check above is not empty
    for d in dates:
        pd.testing.assert_frame_equal(ahead[d], asked[d])


def test_after_a_load_a_new_process_finds_the_pair_matrices_and_chains_hidden_cells_on_disk(
        loaded: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``wijknet ingest`` / ``demo load`` / ``profile apply`` do after a load (:func:`aggregates.ready_after_load`)
    leaves the pair matrices' hidden cells of every year end on disk: the first overlap page of a new app process
    (nothing in memory) solves no linear programme — the bench's cold overlap page took 3.2 s on every tier while
    the chain of year ends was solved on that first request — and shows what a request computes itself. The chains
    of quarters (the trend, the flag tables) the load's command leaves to the app: once the app computed them, a
    restarted app reads them from disk too, the same tables."""
    import shutil

    from queries.analytics import disclosure
    from queries.analytics.overlap import is_pair_date, quarter_ends

    kept = aggregates._kept_dir(loaded)
    assert kept is not None
    shutil.rmtree(kept, ignore_errors=True)
    monkeypatch.setattr(snapshot, "_prepare", [])  # only this test's requests decide (no app's background)
    aggregates.forget()
    snapshot.forget()
    # WIJKNET_COMPUTE_AHEAD=no (the tests' setting): the snapshot is read, nothing is computed ahead
    monkeypatch.setenv("WIJKNET_COMPUTE_AHEAD", "no")
    said = aggregates.ready_after_load(loaded)
    assert said.startswith("Overlap snapshot ready:") and "computed ahead" not in said
    assert not kept.exists() or not any(kept.iterdir())
    monkeypatch.setenv("WIJKNET_COMPUTE_AHEAD", "yes")  # a deployment's default
    aggregates.forget()
    snapshot.forget()
    said = aggregates.ready_after_load(loaded)
    assert said.startswith("Overlap snapshot ready:") and "hidden cells computed ahead" in said
    assert any(kept.iterdir())
    aggregates.forget()  # a new process: only the files are left
    snapshot.forget()
    solved: list[int] = []
    real = aggregates._widen_pairs
    monkeypatch.setattr(aggregates, "_widen_pairs", lambda *a, **kw: solved.append(1) or real(*a, **kw))
    chained: list[int] = []
    chain = disclosure._chain_hidden
    monkeypatch.setattr(disclosure, "_chain_hidden", lambda *a, **kw: chained.append(1) or chain(*a, **kw))
    dates = [d for d in quarter_ends(2004, 2010) if is_pair_date(d)]
    ahead = {d: aggregates.overlap_view(loaded, audit, BELEID, as_of=d).pair_matrix for d in dates}
    assert solved == []
    assert any(m is not None and len(m) for m in ahead.values())

    def trends() -> dict[tuple[str | None, str], pd.DataFrame]:
        """The trend of every life domain, and its flag tables on a date inside the data (chains of their own)."""
        out: dict[tuple[str | None, str], pd.DataFrame] = {}
        for domain in (None, *LIFE_DOMAINS):
            out[domain, "trend"] = aggregates.overlap_trend(loaded, audit, BELEID, first_year=2004, last_year=2010,
                                                            life_domain=domain)
            view = aggregates.overlap_view(loaded, audit, BELEID, as_of=dates[-2], life_domain=domain)
            out[domain, "same"], out[domain, "double"] = view.same_member_domain, view.double_casemanager
        return out

    computed = trends()  # the app computes the life domains' chains once ...
    assert chained
    aggregates.forget()  # ... and a restarted app reads them
    snapshot.forget()
    chained.clear()
    assert_trends_equal(trends(), computed)
    assert chained == []
    aggregates.forget()
    shutil.rmtree(kept)
    asked = {d: aggregates.overlap_view(loaded, audit, BELEID, as_of=d).pair_matrix for d in dates}
    assert solved  # without the files the programmes run: the checks above are not empty
    assert_trends_equal(trends(), computed)
    assert chained
    for d in dates:
        pd.testing.assert_frame_equal(ahead[d], asked[d])


def assert_trends_equal(got: dict[tuple[str | None, str], pd.DataFrame],
                        want: dict[tuple[str | None, str], pd.DataFrame]) -> None:
    assert got.keys() == want.keys()
    for key, table in want.items():
        pd.testing.assert_frame_equal(got[key], table)
        assert got[key].attrs == table.attrs, key


def test_a_preparation_that_takes_too_long_does_not_hold_the_fresh_snapshot_back(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preparing every quarter end of a city of many wijken takes minutes: after PREPARE_BUDGET_S the fresh snapshot
    is shown all the same, and the preparation goes on beside the pages."""
    import threading

    release = threading.Event()
    finished: list[str] = []

    def slow(db: Database, snap: snapshot.OverlapSnapshot) -> None:
        release.wait(30)
        finished.append(snap.token)

    _no_background_read()
    monkeypatch.setattr(snapshot, "_prepare", [slow])
    monkeypatch.setattr(snapshot, "_last_build", {})
    monkeypatch.setattr(snapshot, "PREPARE_BUDGET_S", 0.5)
    loaded.execute("t", "MATCH (i:Involvement) WITH i LIMIT 1 SET i.role = i.role", write=True)
    token = loaded.data_token()
    snapshot.current(loaded, max_age_s=300)  # starts the background read
    deadline = time.monotonic() + 20
    while (fresh := snapshot.current(loaded)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fresh is not None and fresh.token == token  # shown while its preparation still runs
    assert finished == []
    release.set()
    deadline = time.monotonic() + 10
    while not finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert finished == [token]  # and the preparation went on to its end
