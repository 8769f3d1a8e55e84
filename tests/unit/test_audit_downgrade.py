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

from tests.unit.test_audit_tamper import _shipped, _verify, _write, state  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("state")  # a private state directory, key files outside it, no Neo4j

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
