"""The audit log: append-only (triggers), hash chain (edits, deletions, cut-off tail), escaping, fail closed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from queries.access import Actor, Role, audit_action
from queries.audit import AuditLog, AuditUnavailable, escape_field

COACH = Actor("coach1", Role.COACH, "Wijkcoaches", "PRO-1", trace_id="abc123", access_point="web:127.0.0.1")


def _log(tmp_path: Path, n: int = 3) -> AuditLog:
    log = AuditLog(tmp_path / "audit.sqlite")
    for i in range(n):
        audit_action(log, COACH, "view_household", target=f"HH-{i}", purpose="case_consultation")
    return log


def test_record_has_every_field(tmp_path: Path) -> None:
    log = _log(tmp_path, 1)
    [rec] = list(log.records())
    assert (rec.user, rec.role, rec.organisation, rec.action, rec.target, rec.purpose, rec.result) == (
        "coach1", "coach", "Wijkcoaches", "view_household", "HH-0", "case_consultation", "ok")
    assert (rec.on_behalf_of, rec.access_point, rec.trace_id) == ("PRO-1", "web:127.0.0.1", "abc123")
    assert rec.at.endswith("+00:00")  # UTC


def test_intact_chain_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    assert log.verify() is None
    assert log.count() == 3
    assert log.head()[0] == 3


@pytest.mark.parametrize("statement", ["UPDATE audit SET target = 'HH-X' WHERE seq = 2",
                                       "DELETE FROM audit WHERE seq = 2"])
def test_triggers_refuse_edits(tmp_path: Path, statement: str) -> None:
    log = _log(tmp_path)
    conn = sqlite3.connect(log.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.close()
    assert [r.target for r in log.records()] == ["HH-0", "HH-1", "HH-2"]


def _tamper(path: Path, *statements: str) -> None:
    # Someone with the file drops the triggers first; the chain must still tell.
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_chain_detects_an_edited_record(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _tamper(log.path, "UPDATE audit SET user = 'coach2' WHERE seq = 2")
    assert log.verify() == 2


def test_chain_detects_a_removed_record(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _tamper(log.path, "DELETE FROM audit WHERE seq = 2")
    assert log.verify() == 2  # the missing record itself is named


def test_head_detects_a_cut_off_tail(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _tamper(log.path, "DELETE FROM audit WHERE seq = 3")
    assert log.verify() == 3


def test_log_injection_is_stored_as_one_escaped_line(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    forged = "X\n2025-01-01T00:00Z admin VIEW household=HH-9"
    log.record(user=forged, role="", organisation="", action="sign_in", result="denied")
    [rec] = list(log.records())
    assert rec.user == "X\\n2025-01-01T00:00Z admin VIEW household=HH-9"
    assert "\n" not in rec.user
    assert escape_field("a\tb\x00c\u2028") == "a\\tb\\x00c\\u2028"


def test_unwritable_store_raises_audit_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    log = AuditLog(blocker / "audit.sqlite")
    with pytest.raises(AuditUnavailable, match="no data is shown"):
        audit_action(log, COACH, "view_household", target="HH-1")


def test_old_logs_without_new_columns_still_verify_and_grow(tmp_path: Path) -> None:
    # A log made by the first version (no on_behalf_of/access_point/trace_id columns) keeps verifying.
    path = tmp_path / "audit.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("""CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
        user TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, purpose TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);""")
    conn.close()
    log = AuditLog(path)
    log.record(user="u", role="admin", organisation="", action="x")  # no extended fields: old hashing
    audit_action(log, COACH, "view_household", target="HH-1")
    assert log.verify() is None
    assert log.count() == 2


def test_record_is_visible_to_other_readers_at_once(tmp_path: Path) -> None:
    log = _log(tmp_path, 2)  # the writer stays open between records
    other = sqlite3.connect(tmp_path / "audit.sqlite")
    try:
        assert other.execute("SELECT count(*) FROM audit").fetchone()[0] == 2
    finally:
        other.close()
    assert AuditLog(tmp_path / "audit.sqlite").verify() is None
    assert log.count() == 2  # and the writer, still open, keeps working


def test_replaced_log_file_is_reopened_not_written_behind(tmp_path: Path) -> None:
    """A restore (or an administrator) replaces the file: the next record must land in the new file."""
    log = _log(tmp_path, 2)
    path = tmp_path / "audit.sqlite"
    fresh = AuditLog(tmp_path / "elsewhere.sqlite")
    audit_action(fresh, COACH, "view_household", target="HH-NEW")
    fresh.close()
    path.unlink()
    (tmp_path / "elsewhere.sqlite").rename(path)
    (tmp_path / "audit.sqlite.head").write_text((tmp_path / "elsewhere.sqlite.head").read_text())
    audit_action(log, COACH, "view_household", target="HH-AFTER")
    assert [r.target for r in AuditLog(path).records()] == ["HH-NEW", "HH-AFTER"]
    assert AuditLog(path).verify() is None


def _write_many(path: str, who: str, n: int) -> int:
    """Append ``n`` records through a log object of its own; return how many failed."""
    log = AuditLog(Path(path))
    failed = 0
    for i in range(n):
        try:
            audit_action(log, COACH, "view_household", target=f"{who}-{i}")
        except AuditUnavailable:
            failed += 1
    log.close()
    return failed


def test_many_writers_on_one_log_all_succeed_and_the_head_is_the_last_record(tmp_path: Path) -> None:
    """The app, the CLI and concurrent imports each hold their own log object on the same file (CI saw two of ten
    concurrent imports refused as 'audit unavailable': a new log's columns added twice, and one shared temporary
    head file): every record must land, and the chain and the head file must stay intact."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    path = tmp_path / "audit.sqlite"
    failed: list[int] = []
    threads = [threading.Thread(target=lambda w=w: failed.append(_write_many(str(path), f"T{w}", 60)))
               for w in range(8)]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        procs = [pool.submit(_write_many, str(path), f"P{w}", 60) for w in range(2)]
        for t in threads:
            t.start()
        failed.extend(p.result() for p in procs)
        for t in threads:
            t.join()
    assert failed == [0] * 10
    log = AuditLog(path)
    assert log.count() == 600
    check = log.check()
    assert check.intact, check.summary()
    audit_action(log, COACH, "view_household", target="after")  # a head written out of order is only stale
    seq, mac = log.head()
    assert seq == 601
    assert (tmp_path / "audit.sqlite.head").read_text().split()[:2] == [str(seq), mac]  # then log id and its MAC
    assert not list(tmp_path.glob("*.tmp")), "no temporary head file is left behind"



def test_a_record_committed_during_a_check_is_not_reported_as_truncation(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The administrator's check runs while users work. A record committed (and its head written) just after the
    check has read the log must not make the head file look ahead of the log: that would be a false 'truncated'."""
    import queries.audit as audit

    path = tmp_path / "audit.sqlite"
    _log(tmp_path, 3)
    walk = audit._Scan._walk

    def walk_then_someone_writes(self: audit._Scan, conn: sqlite3.Connection, wanted: set[int]) -> None:
        walk(self, conn, wanted)
        conn.rollback()  # the walk's read is over; the writer commits and writes the head
        audit_action(AuditLog(path), COACH, "view_household", target="during-the-check")

    monkeypatch.setattr(audit._Scan, "_walk", walk_then_someone_writes)
    check = AuditLog(path).check()
    assert check.intact, check.summary()
    assert check.last_seq == 3
    monkeypatch.undo()
    assert AuditLog(path).check().intact and AuditLog(path).count() == 4
