"""Backup and restore of the managed server with Neo4j's own ``neo4j-admin database dump/load``.

Community edition dumps only an offline database, so :func:`backup` stops the server for the dump and starts it
again. A backup directory holds ``neo4j.dump``, consistent copies of the application's own stores from the state
directory (:data:`STATE_FILES`: the audit log, its head and its checkpoint file when that is kept in the state
directory, the user accounts, the ingest side store; SQLite files are copied with SQLite's online backup API) and ``manifest.json`` with node/relationship counts and a content checksum, which
:func:`restore` verifies. The pseudonymisation secret is *not* copied: it must be kept in a separate secret
store (see ``docs/operations.md``); without it new imports cannot be linked to existing persons. Neither are the
audit keys (``WIJKNET_AUDIT_KEY_FILE``, ``WIJKNET_AUDIT_SIGNING_KEY_FILE``): without the first the restored audit
log cannot be verified or continued.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph import server
from graph.checksum import GraphDigest, content_checksum
from graph.db import connect
from graph.errors import ServerError, WijknetError
from graph.files import private_dir
from graph.settings import NEO4J_VERSION, Settings

__all__ = ["STATE_FILES", "Manifest", "backup", "restore"]

#: Application stores in the state directory that a backup carries (when they exist).
STATE_FILES: tuple[str, ...] = ("audit.sqlite", "audit.sqlite.head", "audit-checkpoints.jsonl", "users.sqlite",
                                 "ingest.sqlite")


@dataclass(frozen=True)
class Manifest:
    created_at: str
    neo4j_version: str
    nodes: int
    relationships: int
    checksum: str
    audit_included: bool
    state_files: tuple[str, ...] = ()


def _require_managed(settings: Settings) -> None:
    if not settings.managed:
        raise WijknetError("NEO4J_URI is set: back up that server with its own tools (`neo4j-admin database dump` "
                           "on the server, or Aura's snapshots); wijknet backs up only the server it manages.")


def _admin_or_fail(settings: Settings, *args: str) -> None:
    proc = server.admin(settings, *args)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-2:]
        raise ServerError(f"neo4j-admin {' '.join(args[:2])} failed: {' '.join(tail)}")


def backup(settings: Settings, dest: Path) -> Manifest:
    """Dump the database and copy the audit log into ``dest`` (created; must be empty or absent)."""
    _require_managed(settings)
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise WijknetError(f"The backup directory {dest} is not empty: choose a new directory.")
    private_dir(dest)
    was_running = server.running_info(settings) is not None
    db = connect(settings)
    digest = content_checksum(db)
    db.close()
    server.stop(settings)
    try:
        _admin_or_fail(settings, "database", "dump", "neo4j", f"--to-path={dest}", "--overwrite-destination=true")
    finally:
        if was_running:
            server.start(settings)
    copied = []
    for name in STATE_FILES:
        source = settings.state_dir / name
        if not source.exists():
            continue
        if name.endswith(".sqlite"):
            src = sqlite3.connect(source)
            dst = sqlite3.connect(dest / name)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            shutil.copy2(source, dest / name)
        (dest / name).chmod(0o600)
        copied.append(name)
    manifest = Manifest(datetime.now(UTC).isoformat(timespec="seconds"), NEO4J_VERSION, digest.nodes,
                        digest.relationships, digest.checksum, "audit.sqlite" in copied, tuple(copied))
    (dest / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    return manifest


def restore(settings: Settings, src: Path) -> GraphDigest:
    """Load a backup made by :func:`backup` (replacing the database) and verify counts and checksum."""
    _require_managed(settings)
    src = Path(src)
    try:
        raw = json.loads((src / "manifest.json").read_text())
        raw["state_files"] = tuple(raw.get("state_files", ()))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError):
        raise WijknetError(f"{src} is not a wijknet backup (no readable manifest.json).") from None
    if not (src / "neo4j.dump").exists():
        raise WijknetError(f"{src} has no neo4j.dump: the backup is incomplete.")
    server.stop(settings)
    _admin_or_fail(settings, "database", "load", "neo4j", f"--from-path={src}", "--overwrite-destination=true")
    for name in manifest.state_files:
        # The side store (ingest.sqlite) keeps a write-ahead log: an old one beside the restored file would be
        # replayed into it when it is next opened.
        for side in ("-wal", "-shm", "-journal"):
            (settings.state_dir / f"{name}{side}").unlink(missing_ok=True)
        shutil.copy2(src / name, settings.state_dir / name)
    server.start(settings)
    db = connect(settings)
    digest = content_checksum(db)
    db.close()
    if (digest.nodes, digest.relationships, digest.checksum) != (manifest.nodes, manifest.relationships,
                                                                 manifest.checksum):
        raise WijknetError(f"The restored database does not match the backup ({digest.nodes} nodes / "
                           f"{digest.relationships} relationships, expected {manifest.nodes} / "
                           f"{manifest.relationships}): keep the backup and report this.")
    return digest
