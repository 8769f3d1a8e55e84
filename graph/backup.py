"""Backup and restore of the managed server with Neo4j's own ``neo4j-admin database dump/load``.

Community edition dumps only an offline database, so :func:`backup` stops the server for the dump and starts it
again. A backup directory holds ``neo4j.dump``, a copy of the audit log (``audit.sqlite``, made with SQLite's
online backup API) and ``manifest.json`` with node/relationship counts and a content checksum, which
:func:`restore` verifies. The pseudonymisation secret is *not* copied: it must be kept in a separate secret
store (see ``docs/operations.md``); without it new imports cannot be linked to existing persons.
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
from graph.settings import NEO4J_VERSION, Settings

__all__ = ["Manifest", "backup", "restore"]


@dataclass(frozen=True)
class Manifest:
    created_at: str
    neo4j_version: str
    nodes: int
    relationships: int
    checksum: str
    audit_included: bool


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
    dest.mkdir(parents=True, exist_ok=True)
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
    audit = settings.state_dir / "audit.sqlite"
    if audit.exists():
        src = sqlite3.connect(audit)
        dst = sqlite3.connect(dest / "audit.sqlite")
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    manifest = Manifest(datetime.now(UTC).isoformat(timespec="seconds"), NEO4J_VERSION, digest.nodes,
                        digest.relationships, digest.checksum, audit.exists())
    (dest / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    return manifest


def restore(settings: Settings, src: Path) -> GraphDigest:
    """Load a backup made by :func:`backup` (replacing the database) and verify counts and checksum."""
    _require_managed(settings)
    src = Path(src)
    try:
        manifest = Manifest(**json.loads((src / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        raise WijknetError(f"{src} is not a wijknet backup (no readable manifest.json).") from None
    if not (src / "neo4j.dump").exists():
        raise WijknetError(f"{src} has no neo4j.dump: the backup is incomplete.")
    server.stop(settings)
    _admin_or_fail(settings, "database", "load", "neo4j", f"--from-path={src}", "--overwrite-destination=true")
    if manifest.audit_included:
        shutil.copy2(src / "audit.sqlite", settings.state_dir / "audit.sqlite")
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
