"""Signed checkpoints of the audit log: which log (its id), how far (last sequence number and record count),
its head MAC, when — signed with the Ed25519 audit signing key.

A checkpoint is kept in two places besides the host's log: an append-only file of JSON lines
(``WIJKNET_AUDIT_CHECKPOINT_FILE``) that the administrator ships off the host, and the graph
(``(:AuditCheckpoint)`` nodes). ``wijknet audit verify`` compares the log with every checkpoint of each, and
checks that a file's lines go forward, so a log cut short, emptied, rewritten or replaced after a checkpoint was
taken does not pass.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from graph.db import Database
from graph.errors import WijknetError
from graph.files import private_file
from queries import registry
from queries.audit_keys import key_id

__all__ = ["Checkpoint", "CheckpointError", "append_checkpoint", "checkpoints_in", "graph_checkpoints",
           "write_checkpoint_to_graph"]


class CheckpointError(WijknetError):
    """A checkpoint file cannot be read."""


@dataclass(frozen=True)
class Checkpoint:
    log_id: str
    seq: int
    head: str
    records: int
    at: str
    key_id: str = ""
    sig: str = ""

    def payload(self) -> bytes:
        """The bytes that are signed: every field but the signature, canonical JSON."""
        body = {k: v for k, v in asdict(self).items() if k != "sig"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: Ed25519PrivateKey) -> Checkpoint:
        unsigned = replace(self, key_id=key_id(key.public_key()), sig="")
        return replace(unsigned, sig=key.sign(unsigned.payload()).hex())

    def signature_ok(self, public: Ed25519PublicKey) -> bool:
        try:
            public.verify(bytes.fromhex(self.sig), self.payload())
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> Checkpoint:
        return cls(log_id=str(raw["log_id"]), seq=int(str(raw["seq"])), head=str(raw["head"]),
                   records=int(str(raw["records"])), at=str(raw["at"]), key_id=str(raw.get("key_id", "")),
                   sig=str(raw.get("sig", "")))


def append_checkpoint(path: Path, cp: Checkpoint) -> None:
    """Append ``cp`` as one line to ``path`` (created 0600; flushed to disk before returning)."""
    private_file(path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(cp.to_line() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def checkpoints_in(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file ``path``, in the order of its lines (none when the file is missing).

    Each is compared with the log, not only the last: a copy of an older, validly signed line appended at the end
    made the last line vouch for a log cut back to it (an outside test of 06-12-2026), while the line through the
    later record stood in the file unread. :meth:`queries.audit.AuditLog.check` also reports a line that does not
    go forward from the one before it."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CheckpointError(f"The checkpoint file {path} cannot be read ({exc.strerror}).") from None
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            raise CheckpointError(f"Line {number} of {path} is not a wijknet audit checkpoint.") from None
    return found


def write_checkpoint_to_graph(db: Database, cp: Checkpoint) -> None:
    """Store ``cp`` as an ``(:AuditCheckpoint)`` node (idempotent per log and sequence number)."""
    registry.run(db, "audit_checkpoint_write", {"id": f"{cp.log_id}:{cp.seq}", **asdict(cp)}, write=True,
                 data=False)


def graph_checkpoints(db: Database) -> list[Checkpoint]:
    """Every ``(:AuditCheckpoint)`` in the graph, by record."""
    return [Checkpoint.from_dict(row) for row in registry.run(db, "audit_checkpoints").rows]
