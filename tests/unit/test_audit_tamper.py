"""The audit log against the host itself: every tamper an attacker with the state directory (but not the audit
key) can do is reported by ``wijknet audit verify`` given the last checkpoint the administrator shipped away.

Each test writes a few records through the real log, takes a checkpoint with ``wijknet audit checkpoint``, copies
the checkpoint file elsewhere (what the administrator ships), tampers with the state directory — removing the
head file and the local checkpoint file too, as an attacker would — and runs ``wijknet audit verify``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import stat
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from app.cli import app
from queries.access import Actor, Role, audit_action
from queries.audit import AuditLog, AuditRecord, default_audit_log

COACH = Actor("coach1", Role.COACH, "Wijkcoaches", "PRO-1", trace_id="abc123", access_point="web:127.0.0.1")



def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _write(n: int) -> AuditLog:
    log = default_audit_log()
    for i in range(n):
        audit_action(log, COACH, "view_household", target=f"HH-{i}", purpose="case_consultation")
    log.close()
    return log


def _shipped(tmp_path: Path, n: int = 5) -> Path:
    """n records, one checkpoint taken by the administrator and copied off the host."""
    log = _write(n)
    out = cli("audit", "checkpoint")
    assert out.exit_code == 0, out.output
    shipped = tmp_path / "elsewhere" / "checkpoints.jsonl"
    shipped.parent.mkdir(parents=True)
    shutil.copy(log.path.with_name("audit-checkpoints.jsonl"), shipped)
    return shipped


def _tamper(path: Path, *statements: str, wipe_anchors: bool = True) -> None:
    """What an attacker with the state directory does: drop the triggers, edit, remove head and checkpoints."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()
    if wipe_anchors:
        path.with_name(path.name + ".head").unlink(missing_ok=True)
        path.with_name("audit-checkpoints.jsonl").unlink(missing_ok=True)


def _verify(shipped: Path | None = None) -> Result:
    args = ["audit", "verify", "--no-graph"]
    if shipped is not None:
        args += ["--checkpoint", str(shipped)]
    return cli(*args)


def _audit_path(state: Path) -> Path:
    return state / "audit.sqlite"


# -- the intact case -----------------------------------------------------------------------------------------------

def test_intact_log_with_its_checkpoint_verifies(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    _write(2)  # records after the checkpoint are fine
    out = _verify(shipped)
    assert out.exit_code == 0, out.output
    assert "intact: 8 records" in out.stdout
    assert "checkpoint" in out.stdout


def test_shipped_checkpoint_is_checked_with_the_public_key_kept_elsewhere(state: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    shipped = _shipped(tmp_path)
    out = cli("audit", "public-key")
    assert out.exit_code == 0 and len(out.stdout.strip()) == 64
    pub = tmp_path / "elsewhere" / "audit-signing.pub"
    pub.write_text(out.stdout)
    out = cli("audit", "verify", "--no-graph", "--checkpoint", str(shipped), "--public-key", str(pub))
    assert out.exit_code == 0, out.output
    # a host whose signing key was swapped (to re-sign forged checkpoints) fails against the kept public key
    other = tmp_path / "elsewhere" / "other.pub"
    other.write_text(Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex())
    out = cli("audit", "verify", "--no-graph", "--checkpoint", str(shipped), "--public-key", str(other))
    assert out.exit_code == 1 and "signature" in out.output


def test_checkpoint_command_prints_a_signed_line_and_the_public_key(state: Path, tmp_path: Path) -> None:
    _write(3)
    out = cli("audit", "checkpoint", "--json")
    assert out.exit_code == 0, out.output
    cp = json.loads(out.stdout)
    assert cp["seq"] == 4 and cp["records"] == 4 and len(cp["sig"]) == 128 and len(cp["public_key"]) == 64
    assert [r.action for r in default_audit_log().records()][-1] == "audit_checkpoint"  # audited first


# -- the observed failures ---------------------------------------------------------------------------------------

def test_truncated_tail_with_head_removed_is_detected(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)  # 5 records + the checkpoint's own record = 6
    _tamper(_audit_path(state), "DELETE FROM audit WHERE seq >= 5")
    out = _verify(shipped)
    assert out.exit_code == 1
    assert "truncated" in out.output and "ends at record 4" in out.output and "6 records" in out.output
    assert "intact" not in out.output


def test_an_older_checkpoint_line_appended_does_not_hide_a_cut_off_tail(state: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside test (06-12-2026): the log and its head rolled back to an earlier copy, and a copy of an older,
    validly signed checkpoint line appended to the checkpoint file (the shipped one too), made `verify` compare
    only that last line and say "intact". Every line is compared, and a line that goes back is a finding."""
    monkeypatch.setenv("WIJKNET_AUDIT_CHECKPOINT_EVERY", "3")
    _write(4)  # a checkpoint through record 3
    early = tmp_path / "early"
    early.mkdir()
    for name in ("audit.sqlite", "audit.sqlite.head"):  # the attacker's earlier copy of the log and its head
        shutil.copy(state / name, early / name)
    _write(5)  # checkpoints through records 6 and 9
    checkpoints = state / "audit-checkpoints.jsonl"
    lines = checkpoints.read_text().splitlines()
    assert [json.loads(ln)["seq"] for ln in lines] == [3, 6, 9]
    assert _verify().exit_code == 0
    checkpoints.write_text("\n".join([*lines, lines[0]]) + "\n")  # a line that goes back, the log whole
    assert "copied or moved" in _verify().output and _verify().exit_code == 1
    for name in ("audit.sqlite", "audit.sqlite.head"):  # the tail cut: back to the copy of 4 records
        shutil.copy(early / name, state / name)
    checkpoints.write_text("\n".join([*lines, lines[0]]) + "\n")  # the line through record 3 once more
    shipped = tmp_path / "elsewhere.jsonl"
    shutil.copy(checkpoints, shipped)
    out = _verify(shipped)
    assert out.exit_code == 1, out.output
    assert "intact" not in out.output
    assert "truncated: it ends at record 4" in out.output and "through record 9" in out.output
    assert "through record 3) stands in the checkpoint file" in out.output and "copied or moved" in out.output
    # without the appended line the cut is found all the same
    checkpoints.write_text("\n".join(lines) + "\n")
    out = _verify()
    assert out.exit_code == 1 and "copied or moved" not in out.output and "through record 9" in out.output


def test_deleted_middle_record_is_detected(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    _tamper(_audit_path(state), "DELETE FROM audit WHERE seq = 3")
    out = _verify(shipped)
    assert out.exit_code == 1
    assert "record 3 is missing" in out.output and "intact" not in out.output


def test_a_finding_is_english_in_the_cli_and_dutch_on_the_audit_page(state: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from app.i18n import say

    _write(5)
    _tamper(_audit_path(state), "DELETE FROM audit WHERE seq = 3")
    log = default_audit_log()
    [line] = [x for x in log.check([]).summary() if "gap" in x]
    log.close()
    assert line == "The audit log has a gap: record 3 is missing (deleted from the middle)."
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert say(line) == "Het auditlog heeft een gat: regel 3 ontbreekt (uit het midden verwijderd)."


@pytest.mark.parametrize("statement", ["DROP TABLE audit", "DELETE FROM audit"])
def test_dropped_or_emptied_table_with_head_removed_is_detected(state: Path, tmp_path: Path, statement: str) -> None:
    shipped = _shipped(tmp_path)
    _tamper(_audit_path(state), statement)
    out = _verify(shipped)
    assert out.exit_code == 1
    assert "no records" in out.output and "6 records" in out.output and "intact" not in out.output
    # without any checkpoint, the seal left in the file still tells an emptied log from a new one
    out = _verify()
    assert out.exit_code == 1 and "was sealed as log" in out.output


def test_automatic_checkpoints_every_n_records(state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from queries.audit_checkpoint import checkpoints_in

    monkeypatch.setenv("WIJKNET_AUDIT_CHECKPOINT_EVERY", "3")
    _write(7)
    lines = (state / "audit-checkpoints.jsonl").read_text().splitlines()
    assert [json.loads(ln)["seq"] for ln in lines] == [3, 6]
    cp = checkpoints_in(state / "audit-checkpoints.jsonl")[-1]
    assert cp is not None and cp.records == 6
    assert default_audit_log().check([("the file", cp)]).intact


def test_no_record_without_the_audit_key(state: Path, tmp_path: Path) -> None:
    from queries.audit import AuditUnavailable

    (tmp_path / "keys").mkdir(mode=0o700)
    (tmp_path / "keys" / "audit.key").write_text("not a key")
    with pytest.raises(AuditUnavailable, match="no data is shown"):
        _write(1)


def _sha256_rechain(path: Path) -> None:
    """Rewrite a record and recompute the plain SHA-256 chain and the head (an attacker without the key)."""
    conn = sqlite3.connect(path)
    cols = [c[1] for c in conn.execute("PRAGMA table_info(audit)")]
    fields = [f for f in cols if f not in ("seq", "prev_hash", "hash")]
    prev = "0" * 64
    last = (0, prev)
    for row in conn.execute(f"SELECT seq, {', '.join(fields)} FROM audit ORDER BY seq").fetchall():
        seq, values = row[0], dict(zip(fields, row[1:], strict=True))
        if seq == 2:
            values["user"] = "someone-else"
        body = json.dumps({k: values[k] for k in asdict(AuditRecord(*[""] * 8))}, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256((prev + body).encode()).hexdigest()
        conn.execute("UPDATE audit SET user = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (values["user"], prev, digest, seq))
        prev, last = digest, (seq, digest)
    conn.commit()
    conn.close()
    path.with_name(path.name + ".head").write_text(f"{last[0]} {last[1]}\n")


def test_rewritten_and_rechained_record_is_detected(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    _tamper(_audit_path(state), wipe_anchors=False)
    _sha256_rechain(_audit_path(state))
    out = _verify(shipped)
    assert out.exit_code == 1
    assert "record 2 was altered" in out.output and "intact" not in out.output
    # even without the shipped checkpoint: the chain is keyed, a SHA-256 rechain does not pass
    out = _verify()
    assert out.exit_code == 1 and "record 2 was altered" in out.output


def test_replaced_log_file_is_detected(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    other = AuditLog(tmp_path / "other" / "audit.sqlite")  # a valid log made with the same key, longer
    for i in range(12):
        audit_action(other, COACH, "view_household", target=f"HH-X{i}")
    other.close()
    _tamper(_audit_path(state))
    shutil.copy(other.path, _audit_path(state))
    out = _verify(shipped)
    assert out.exit_code == 1
    assert "replaced" in out.output and "intact" not in out.output


def test_forged_checkpoint_is_refused(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    line = json.loads(shipped.read_text().splitlines()[-1])
    line["seq"] = 3  # claims fewer records, so that a truncation would pass
    shipped.write_text(json.dumps(line) + "\n")
    out = _verify(shipped)
    assert out.exit_code == 1 and "signature" in out.output


# -- retention: a recorded cut is not a silent delete -----------------------------------------------------------

def test_recorded_cut_verifies_and_a_silent_one_does_not(state: Path, tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    from app.auth import default_store

    default_store().add_user("beheer", Role.ADMIN, password_hash="x")
    out = cli("audit", "cut", "--before", tomorrow, "--as", "beheer")
    assert out.exit_code == 0, out.output
    assert "removed 6 records" in out.stdout
    recs = list(default_audit_log().records())
    # audited as the admin before the cut (the cut never reaches it), the keyed cut record, the outcome
    assert [(r.user, r.action, r.result) for r in recs] == [("beheer", "audit_cut", "ok")] * 2 + [
        ("beheer", "audit_cut", "cut")]
    assert "through_seq" in recs[1].detail and "removed=6" in recs[2].detail
    out = _verify(shipped)
    assert out.exit_code == 0, out.output
    assert "intact: 3 records" in out.stdout and "cut" in out.stdout

    # a silent delete of the first records, made to look like a log that starts later
    shipped2 = _shipped(tmp_path / "again")
    _tamper(_audit_path(state), "DELETE FROM audit WHERE seq <= 8")
    out = _verify(shipped2)
    assert out.exit_code == 1 and "without a recorded cut" in out.output


def test_a_cut_needs_an_admin_account_and_a_refused_one_removes_nothing(state: Path, tmp_path: Path) -> None:
    from app.auth import default_store

    _write(4)
    default_store().add_user("steward", Role.DATA_STEWARD, password_hash="x")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    for args, said in ((), "Noem het account waarmee u werkt"), (("--as", "steward"), "mag dit niet"):
        out = CliRunner().invoke(app, ["audit", "cut", "--before", tomorrow, *args], env={"WIJKNET_CLI_ACCOUNT": ""})
        assert out.exit_code == 1 and said in out.output
    recs = list(default_audit_log().records())
    assert [r.action for r in recs] == ["view_household"] * 4 + ["audit_cut"] * 2, "nothing removed"
    assert recs[4].user.startswith("cli:") and [r.result for r in recs[4:]] == ["denied"] * 2
    assert recs[5].user == "steward" and recs[5].role == "data_steward"


# -- logs written before the keyed chain: sealed only by an administrator -------------------------------------------

def _legacy_log(path: Path, n: int = 3) -> None:
    """A log as the version before the keyed chain wrote it: no seal, no extended columns, plain SHA-256 links."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("""CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
        user TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, purpose TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);""")
    prev = "0" * 64
    for i in range(n):
        rec = AuditRecord("2025-01-01T00:00:00.000+00:00", "u", "admin", "", "x", f"T{i}", "", "ok")
        body = {k: v for k, v in asdict(rec).items() if k not in ("on_behalf_of", "access_point", "trace_id")}
        digest = hashlib.sha256((prev + json.dumps(body, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()
        conn.execute("INSERT INTO audit (at, user, role, organisation, action, target, purpose, result, detail, "
                     "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (*tuple(asdict(rec).values())[:9], prev, digest))
        prev = digest
    conn.commit()
    conn.close()


def _admin(name: str = "beheer") -> None:
    from app.auth import default_store

    default_store().add_user(name, Role.ADMIN, password_hash="x")


def test_an_old_sha256_log_takes_no_record_until_an_admin_seals_it(state: Path) -> None:
    from queries.audit import AuditUnavailable

    _legacy_log(_audit_path(state))
    out = _verify()
    assert out.exit_code == 1 and "The audit log has no seal: its 3 records" in out.output
    with pytest.raises(AuditUnavailable, match=r"has 3 records but no seal, so nothing is written and no data is "
                                               r"shown.*wijknet audit seal --as ACCOUNT"):
        _write(1)  # a write never seals a log that has records: it fails closed
    from app.auth import default_store

    default_store().add_user("kijker", Role.POLICYMAKER, password_hash="x")
    out = cli("audit", "seal", "--as", "kijker")  # refused; the refusal cannot be recorded in an unsealed log
    assert out.exit_code == 1 and "no seal" in out.output
    _admin()
    out = cli("audit", "seal", "--as", "beheer")
    assert out.exit_code == 0, out.output
    assert "records through 3 were written before the keyed chain" in out.stdout
    _write(2)
    recs = list(default_audit_log().records())
    assert [(r.user, r.action, r.result) for r in recs[3:]] == [
        ("beheer", "audit_seal", "ok"), ("beheer", "audit_seal", "sealed"), ("coach1", "view_household", "ok"),
        ("coach1", "view_household", "ok")]
    assert json.loads(recs[3].detail)["kept_without_key"] == 3
    out = _verify()
    assert out.exit_code == 0, out.output
    assert "intact: 7 records" in out.stdout
    assert "Records 1–3 were written before the keyed chain: they cannot be verified with the audit key. Record 4 " \
           "seals them as they were then (`wijknet audit seal` by beheer)" in out.stdout
    out = cli("audit", "seal", "--as", "beheer")  # once is enough
    assert out.exit_code == 0 and "needs no seal" in out.stdout


def test_a_sealed_old_record_cannot_be_rewritten(state: Path) -> None:
    _legacy_log(_audit_path(state))
    _admin()
    assert cli("audit", "seal", "--as", "beheer").exit_code == 0
    _tamper(_audit_path(state), "UPDATE audit SET target = 'T9' WHERE seq = 2", wipe_anchors=False)
    _sha256_rechain(_audit_path(state))  # the old chain recomputed: it no longer links to the keyed seal record
    out = _verify()
    assert out.exit_code == 1 and "intact" not in out.output


def test_an_old_log_with_a_broken_chain_is_not_sealed(state: Path) -> None:
    _legacy_log(_audit_path(state))
    _tamper(_audit_path(state), "UPDATE audit SET target = 'T9' WHERE seq = 2", wipe_anchors=False)
    _admin()
    out = cli("audit", "seal", "--as", "beheer")
    assert out.exit_code == 1 and "is not sealed" in out.output and "record 2 was altered" in out.output
    assert len(list(default_audit_log().records())) == 3, "nothing written"


def test_an_old_log_sealed_by_a_write_of_an_earlier_version_needs_the_admin_seal_record(state: Path) -> None:
    """Until 2026-12-03 the first write sealed an old log by itself (keyed from the next record on): such a log
    names no one who accepted its old records, so verify reports them until an admin seals them."""
    from queries.audit import _mac, _seal_mac
    from queries.audit_keys import AuditKeys

    path = _audit_path(state)
    _legacy_log(path)
    default_audit_log().count()  # the current schema
    key = AuditKeys.from_settings().mac_key()
    value = json.dumps({"log_id": "a" * 32, "keyed_from": 4}, sort_keys=True)
    conn = sqlite3.connect(path)
    prev = conn.execute("SELECT hash FROM audit WHERE seq = 3").fetchone()[0]
    rec = AuditRecord("2026-01-01T00:00:00.000+00:00", "u", "admin", "", "x", "T3", "", "ok")
    conn.execute("INSERT INTO audit_meta (name, value, mac) VALUES ('chain', ?, ?)", (value, _seal_mac(key, value)))
    conn.execute(f"INSERT INTO audit (seq, {', '.join(asdict(rec))}, prev_hash, hash) VALUES "
                 f"(4, {', '.join('?' * len(asdict(rec)))}, ?, ?)",
                 (*asdict(rec).values(), prev, _mac(key, "a" * 32, 4, prev, rec)))
    conn.commit()
    conn.close()
    out = _verify()
    assert out.exit_code == 1 and "Records 1–3 were written before the keyed chain, and no seal record" in out.output
    _write(1)  # such a log is sealed: the app goes on writing to it
    _admin()
    out = cli("audit", "seal", "--as", "beheer")
    assert out.exit_code == 0 and "records through 3" in out.stdout, out.output
    out = _verify()
    assert out.exit_code == 0, out.output
    assert "Record 7 seals them" in out.stdout  # 5: the view, 6: the admin's ok record, 7: the seal record


# -- permissions ---------------------------------------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_are_created_private(state: Path, tmp_path: Path) -> None:
    from app.errors import log_unexpected
    from ingest.resolve import StateStore

    _shipped(tmp_path)
    StateStore(state / "ingest.sqlite")
    log_unexpected(RuntimeError("boom"))
    assert _mode(state) == 0o700
    for name in ("audit.sqlite", "audit.sqlite.head", "audit-checkpoints.jsonl", "ingest.sqlite",
                 "wijknet-errors.log"):
        assert _mode(state / name) == 0o600, name
    for name in ("audit.key", "audit-signing.key"):
        assert _mode(tmp_path / "keys" / name) == 0o600, name
    assert _mode(tmp_path / "keys") == 0o700


def test_start_up_tightens_too_open_state(state: Path) -> None:
    from graph.files import check_state_permissions
    from graph.settings import load_settings

    _write(1)
    (state / "audit.sqlite").chmod(0o644)
    (state / "wijknet-errors.log").write_text("")
    (state / "wijknet-errors.log").chmod(0o666)
    state.chmod(0o755)
    notes = check_state_permissions(load_settings())
    assert _mode(state) == 0o700
    assert _mode(state / "audit.sqlite") == 0o600 and _mode(state / "wijknet-errors.log") == 0o600
    assert any("audit.sqlite" in n and "0644" in n for n in notes)
    assert check_state_permissions(load_settings()) == []  # nothing left to tighten


def test_db_start_tightens_too_open_state_before_anything_else(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(1)
    (state / "audit.sqlite").chmod(0o644)
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing answers: the command fails after the check
    out = cli("db", "start")
    assert f"Tightened {state / 'audit.sqlite'} from mode 0644 to 0600" in out.output
    assert _mode(state / "audit.sqlite") == 0o600


# -- the system clock set back ---------------------------------------------------------------------------------

class _Behind(datetime):
    """The system clock, set back an hour."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
        return datetime.now(tz) - timedelta(hours=1)


def test_a_clock_set_back_is_reported_in_the_cli_and_in_dutch_on_the_audit_page(
        state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.i18n import say

    _write(3)
    with monkeypatch.context() as m:
        m.setattr("queries.audit.datetime", _Behind)
        _write(2)  # records 4 and 5 dated an hour before record 3
    log = default_audit_log()
    recs = list(log.records())
    check = log.check([])
    log.close()
    assert recs[3].at < recs[2].at and recs[4].at > recs[3].at
    [line] = [x for x in check.summary() if "clock" in x]
    assert line == (f"Record 4 is dated {recs[3].at}, before record 3 ({recs[2].at}): the system clock was set "
                    "back, so the order of the records in time cannot be trusted from there.")
    assert [f.seq for f in check.findings] == [4]
    out = _verify()
    assert out.exit_code == 1 and "Record 4 is dated" in out.output and "intact" not in out.output
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert say(line).startswith(f"Regel 4 is gedateerd {recs[3].at}, vóór regel 3 ({recs[2].at})")


def test_records_written_concurrently_keep_their_order_in_time(state: Path) -> None:
    import threading

    logs = [default_audit_log() for _ in range(4)]

    def write(log: AuditLog) -> None:
        for i in range(25):
            audit_action(log, COACH, "view_household", target=f"HH-{i}", purpose="case_consultation")

    threads = [threading.Thread(target=write, args=(log,)) for log in logs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = logs[0].check([])
    for log in logs:
        log.close()
    assert check.records == 100 and check.intact, check.summary()


# -- a trigger of the attacker's own beside the log's (an outside review, twenty-fourth session) ---------------------

_DROP_COACH = ("CREATE TRIGGER audit_ix BEFORE INSERT ON audit WHEN NEW.user = 'coach1' AND "
               "NEW.action = 'view_household' BEGIN SELECT RAISE(IGNORE); END")


@pytest.mark.parametrize("open_first", [False, True], ids=["added-before-opening", "added-while-open"])
def test_a_trigger_that_drops_records_stops_every_write(state: Path, open_first: bool) -> None:
    """A trigger added with the file alone (no key) made chosen inserts vanish: the record "was written", the
    household page was served, and the next record chained onto the real last one, so verify said intact. Every
    write is now refused while the log holds a schema object that is not its own, and a record that did not land
    as written is never taken as written."""
    from queries.audit import AuditUnavailable

    log = _write(2)
    if open_first:  # the app's connection is open when the trigger arrives
        audit_action(log, COACH, "view_overview")
    _tamper(_audit_path(state), _DROP_COACH, wipe_anchors=False)
    with pytest.raises(AuditUnavailable):
        audit_action(log, COACH, "view_household", target="HH-LDH-000071", purpose="case_consultation")
    with pytest.raises(AuditUnavailable):  # not only the records the trigger picks: the log is not the log's own
        audit_action(log, COACH, "view_overview")
    log.close()
    out = _verify()
    assert out.exit_code == 1
    assert "audit_ix" in out.output and "intact" not in out.output


def test_a_log_trigger_rewritten_under_its_own_name_is_reported(state: Path) -> None:
    """The same under a name the log uses: audit_no_update replaced by a trigger that drops inserts."""
    from queries.audit import AuditUnavailable

    log = _write(2)
    _tamper(_audit_path(state), "CREATE TRIGGER audit_no_update BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END",
            wipe_anchors=False)
    with pytest.raises(AuditUnavailable):
        audit_action(log, COACH, "view_household", target="HH-1", purpose="case_consultation")
    log.close()
    out = _verify()
    assert out.exit_code == 1 and "audit_no_update" in out.output


def test_a_record_that_did_not_land_is_not_taken_as_written(state: Path) -> None:
    """Belt and braces below the schema check: an insert that stored no row (or another row) raises."""
    from queries import audit as audit_module
    from queries.audit import AuditUnavailable

    log = _write(1)
    real = audit_module._schema_problems
    try:
        audit_module._schema_problems = lambda conn: []  # as if the schema check missed it
        _tamper(_audit_path(state), _DROP_COACH, wipe_anchors=False)
        with pytest.raises(AuditUnavailable):
            audit_action(log, COACH, "view_household", target="HH-2", purpose="case_consultation")
    finally:
        audit_module._schema_problems = real
        log.close()


@pytest.mark.parametrize("column", [
    "x TEXT",
    "g TEXT GENERATED ALWAYS AS (CASE WHEN target = 'HH-DROP' THEN NULL ELSE 1 END) VIRTUAL NOT NULL "
    "ON CONFLICT IGNORE",
], ids=["added-column", "generated-column-that-drops-inserts"])
def test_a_log_table_rebuilt_with_a_column_of_its_own_is_reported(state: Path, column: str) -> None:
    """An outside test: tables were compared by type only, so `audit verify` said "intact" for an audit table with
    an added column — one generated NOT NULL ON CONFLICT IGNORE drops the inserts it picks. Every write is refused
    and verify names the table."""
    from queries.audit import AuditUnavailable

    log = _write(2)
    _tamper(_audit_path(state), f"ALTER TABLE audit ADD COLUMN {column}", wipe_anchors=False)
    with pytest.raises(AuditUnavailable):
        audit_action(log, COACH, "view_household", target="HH-DROP", purpose="case_consultation")
    log.close()
    out = _verify()
    assert out.exit_code == 1 and "table audit" in out.output and "intact" not in out.output, out.output
