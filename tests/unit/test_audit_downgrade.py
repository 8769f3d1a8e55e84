"""Two attacks on the audit log by someone who can write the state directory (the log, its head file, the local
checkpoint file) but holds no audit key — found by the security review of 2026-12-03:

* a *seal downgrade*: remove the seal, rewrite the records and recompute the plain SHA-256 chain of logs written
  before the keyed chain, so that the app's next record would seal the rewritten log afresh;
* a *tail cut*: remove the newest records after the last checkpoint and rewrite the head file to match.

``wijknet audit verify`` must report both. Uses the fixtures of ``tests/unit/test_audit_tamper.py``; no Neo4j.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from queries.access import audit_action
from queries.audit import AuditRecord, AuditUnavailable, _hash, default_audit_log
from tests.unit.test_audit_tamper import COACH, _shipped, _verify, _write, cli

pytestmark = pytest.mark.usefixtures("state")  # a private state directory, key files outside it, no Neo4j

_FIELDS = list(AuditRecord.__dataclass_fields__)


def _downgrade_and_erase(path: Path, target: str, *, wipe_anchors: bool = True) -> None:
    """No key needed: drop the seal (audit_meta 'chain'), delete every record about ``target``, renumber the rest
    1..n and recompute the plain SHA-256 chain of logs written before the keyed chain, rewrite the head file,
    remove the local checkpoint file."""
    conn = sqlite3.connect(path)
    for trig in ("audit_no_update", "audit_no_delete", "audit_meta_no_update", "audit_meta_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trig}")
    conn.execute("DELETE FROM audit_meta")
    rows = conn.execute(f"SELECT {', '.join(_FIELDS)} FROM audit WHERE target != ? ORDER BY seq", (target,)).fetchall()
    conn.execute("DELETE FROM audit")
    prev = "0" * 64
    for seq, row in enumerate(rows, start=1):
        digest = _hash(prev, AuditRecord(*row))
        conn.execute(f"INSERT INTO audit (seq, {', '.join(_FIELDS)}, prev_hash, hash) VALUES "
                     f"({', '.join('?' * (len(_FIELDS) + 3))})", (seq, *row, prev, digest))
        prev = digest
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'audit'")
    conn.commit()
    conn.close()
    if wipe_anchors:
        path.with_name(path.name + ".head").write_text(f"{len(rows)} {prev}\n")
        path.with_name("audit-checkpoints.jsonl").unlink(missing_ok=True)


def test_a_removed_seal_with_a_recomputed_sha256_chain_is_reported_and_never_resealed(tmp_path: Path) -> None:
    shipped = _shipped(tmp_path)                       # a coach looked at HH-0 … HH-4; a checkpoint shipped
    log = default_audit_log()
    assert any(r.target == "HH-2" for r in log.records())
    _downgrade_and_erase(log.path, "HH-2")             # the look at HH-2 is erased, no key used
    # The app goes on: it must not seal the rewritten log afresh (that would make it pass as intact).
    with pytest.raises(AuditUnavailable, match="no seal"):
        audit_action(default_audit_log(), COACH, "view_household", target="HH-9", purpose="case_consultation")
    assert not any(r.target == "HH-9" for r in default_audit_log().records())
    out = _verify()
    assert out.exit_code == 1, "audit verify accepted a log rewritten without the key:\n" + out.output
    assert "The audit log has no seal: its 5 records" in out.output and "intact" not in out.output
    out = _verify(shipped)
    assert out.exit_code == 1 and "is of the sealed log" in out.output and "its seal was removed" in out.output
    # An administrator who seals it all the same (without comparing first) is still caught by the shipped copy.
    from app.auth import default_store
    from queries.access import Role

    default_store().add_user("beheer", Role.ADMIN, password_hash="x")
    assert cli("audit", "seal", "--as", "beheer").exit_code == 0
    out = _verify(shipped)
    assert out.exit_code == 1 and "replaced" in out.output


@pytest.mark.parametrize("left", ["head", "checkpoint"])
def test_a_log_whose_head_or_local_checkpoint_shows_a_removed_seal_is_not_sealed(left: str) -> None:
    from app.auth import default_store
    from queries.access import Role

    log = _write(3)
    assert cli("audit", "checkpoint").exit_code == 0
    _downgrade_and_erase(log.path, "HH-1", wipe_anchors=False)
    (log.head_path if left == "checkpoint" else log.path.with_name("audit-checkpoints.jsonl")).unlink()
    default_store().add_user("beheer", Role.ADMIN, password_hash="x")
    out = cli("audit", "seal", "--as", "beheer")
    assert out.exit_code == 1 and "is not sealed" in out.output and "its seal was removed" in out.output
    assert not default_audit_log().sealed()


def _forged_head(seq: int, mac: str, head: str) -> str:
    """A head file naming ``seq`` in the current format, with a MAC made up without the key."""
    _, _, log_id, head_mac = head.split()
    return f"{seq} {mac} {log_id} {'0' * len(head_mac)}\n"


@pytest.mark.parametrize(("rewrite", "said"), [
    ("unkeyed", "carries no MAC"),  # the format before the keyed head: sequence number and record MAC only
    ("forged", "its MAC does not match"),
    ("removed", "is missing"),
])
def test_a_tail_cut_after_the_last_checkpoint_with_a_rewritten_head_is_reported(tmp_path: Path, rewrite: str,
                                                                                 said: str) -> None:
    shipped = _shipped(tmp_path)                       # the administrator shipped a checkpoint (record 6)
    log = _write(3)                                    # later: three more looks
    conn = sqlite3.connect(log.path)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq > 7")    # remove the last two looks
    seq, mac = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    conn.commit()
    conn.close()
    if rewrite == "removed":
        log.head_path.unlink()
    else:                                              # a head naming the new last record, without the key
        log.head_path.write_text(f"{seq} {mac}\n" if rewrite == "unkeyed"
                                 else _forged_head(seq, mac, log.head_path.read_text()))
    for anchor in (shipped, None):                     # the shipped checkpoint is older than the cut: no help
        out = _verify(anchor)
        assert out.exit_code == 1, f"two records removed from the tail, head {rewrite}, verify says:\n{out.output}"
        assert said in out.output and "intact" not in out.output


def test_the_head_file_names_its_log_and_carries_a_mac() -> None:
    log = _write(2)
    seq, mac, log_id, head_mac = log.head_path.read_text().split()
    assert (int(seq), mac) == log.head() and len(log_id) == 32 and len(head_mac) == 64
    assert _verify().exit_code == 0
