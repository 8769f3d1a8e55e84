"""Backup and restore of the managed server with Neo4j's own ``neo4j-admin database dump/load``.

Community edition dumps only an offline database, so :func:`backup` stops the server for the dump and starts it
again. A backup directory holds ``neo4j.dump``, consistent copies of the application's own stores from the state
directory (:data:`STATE_FILES`: the audit log, its head and its checkpoint file when that is kept in the state
directory, the user accounts, the ingest side store; SQLite files are copied with SQLite's online backup API) and
``manifest.json`` with node/relationship counts, a content checksum and the SHA-256 of every file, signed with the
audit signing key (``WIJKNET_AUDIT_SIGNING_KEY_FILE``, :mod:`queries.audit_keys`). The audit log's head is copied
before the log, so the copied log always holds the record its copied head names (a backup is never newer than
its audit head).

:func:`restore` checks the backup before it touches anything (:func:`check_backup`): the signature (a manifest
unsigned, changed after signing or signed with another key is refused), every file name against the files a
backup can hold (no ``../``, no absolute path, nothing else) and every file's SHA-256; after the load it verifies
counts and checksum. The pseudonymisation secret is *not* copied: it must be kept in a separate secret
store (see ``docs/operations.md``); without it new imports cannot be linked to existing persons. Neither are the
audit keys (``WIJKNET_AUDIT_KEY_FILE``, ``WIJKNET_AUDIT_SIGNING_KEY_FILE``): without the first the restored audit
log cannot be verified or continued, without the second no backup can be checked, so none is restored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature

from graph import server
from graph.checksum import GraphDigest, content_checksum
from graph.db import connect
from graph.errors import ServerError, WijknetError
from graph.files import private_dir
from graph.settings import NEO4J_VERSION, Settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from queries.audit_keys import AuditKeys

__all__ = ["DUMP", "STATE_FILES", "Manifest", "backup", "check_backup", "copy_state", "restore", "sha256_file",
           "sign_manifest"]

#: Application stores in the state directory that a backup carries (when they exist), in the order they are
#: copied: the audit log's head before the log (the log copied later holds at least the record the head names).
STATE_FILES: tuple[str, ...] = ("audit.sqlite.head", "audit.sqlite", "audit-checkpoints.jsonl", "users.sqlite",
                                 "ingest.sqlite")
#: The database dump ``neo4j-admin database dump`` writes.
DUMP = "neo4j.dump"


@dataclass(frozen=True)
class Manifest:
    created_at: str
    neo4j_version: str
    nodes: int
    relationships: int
    checksum: str
    audit_included: bool
    state_files: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)  # every file of the backup: its SHA-256
    key_id: str = ""  # the signing key (:func:`queries.audit_keys.key_id`)
    signature: str = ""  # Ed25519 over :meth:`signed_bytes`, hex

    def signed_bytes(self) -> bytes:
        """What the signature covers: every field but the signature, as canonical JSON."""
        fields = asdict(self)
        fields.pop("signature")
        fields["state_files"] = list(self.state_files)
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _keys() -> AuditKeys:
    from queries.audit_keys import AuditKeys

    return AuditKeys.from_settings()


def sign_manifest(manifest: Manifest, keys: AuditKeys) -> Manifest:
    """``manifest`` signed with the audit signing key of ``keys`` (created on first use, like a checkpoint's)."""
    from queries.audit_keys import key_id

    signer = keys.signer()
    unsigned = replace(manifest, key_id=key_id(signer.public_key()), signature="")
    return replace(unsigned, signature=signer.sign(unsigned.signed_bytes()).hex())


def _require_managed(settings: Settings) -> None:
    if not settings.managed:
        raise WijknetError("NEO4J_URI is set: back up that server with its own tools (`neo4j-admin database dump` "
                           "on the server, or Aura's snapshots); wijknet backs up only the server it manages.")


def _admin_or_fail(settings: Settings, *args: str) -> None:
    proc = server.admin(settings, *args)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-2:]
        raise ServerError(f"neo4j-admin {' '.join(args[:2])} failed: {' '.join(tail)}")


def backup(settings: Settings, dest: Path, *, keys: AuditKeys | None = None) -> Manifest:
    """Dump the database and copy the application's stores into ``dest`` (created; must be empty or absent),
    with a manifest signed with the audit signing key (``keys``, by default the settings')."""
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
    copied = copy_state(settings, dest)
    files = {name: sha256_file(dest / name) for name in (DUMP, *copied)}
    manifest = sign_manifest(Manifest(datetime.now(UTC).isoformat(timespec="seconds"), NEO4J_VERSION, digest.nodes,
                                      digest.relationships, digest.checksum, "audit.sqlite" in copied,
                                      tuple(copied), files), keys or _keys())
    (dest / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    (dest / "manifest.json").chmod(0o600)
    return manifest


def _copy_state_file(source: Path, target: Path) -> None:
    if source.name.endswith(".sqlite"):
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        shutil.copy2(source, target)
    target.chmod(0o600)


def copy_state(settings: Settings, dest: Path) -> list[str]:
    """Copy the application's stores of :data:`STATE_FILES` that exist into ``dest``, in that order; their names."""
    copied = []
    for name in STATE_FILES:
        source = settings.state_dir / name
        if source.exists():
            _copy_state_file(source, Path(dest) / name)
            copied.append(name)
    return copied


def _manifest(src: Path) -> Manifest:
    try:
        raw: dict[str, Any] = json.loads((src / "manifest.json").read_text())
        raw["state_files"] = tuple(raw.get("state_files", ()))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError):
        raise WijknetError(f"{src} is not a wijknet backup (no readable manifest.json).") from None
    if not isinstance(manifest.files, dict) or not all(isinstance(v, str) for v in manifest.files.values()):
        raise WijknetError(f"{src} is not a wijknet backup (its manifest.json lists no files).")
    return manifest


def check_backup(src: Path, public_key: Ed25519PublicKey | None) -> Manifest:
    """The manifest of the backup in ``src`` once its signature, its file names and every file's SHA-256 check out;
    :class:`WijknetError` naming what does not (nothing is read beyond ``src``'s own listed files)."""
    src = Path(src)
    manifest = _manifest(src)
    if not manifest.signature:
        raise WijknetError(f"The backup {src} is not signed: its manifest.json carries no signature, so it cannot "
                           "be told from a forged or altered one; nothing was restored.")
    if public_key is None:
        raise WijknetError(f"The backup {src} cannot be checked: this host has no audit signing key "
                           "(WIJKNET_AUDIT_SIGNING_KEY_FILE); restore that key from the secret store first.")
    try:
        public_key.verify(bytes.fromhex(manifest.signature), manifest.signed_bytes())
    except (InvalidSignature, ValueError):
        raise WijknetError(f"The signature of the backup {src} does not verify with this host's audit signing key: "
                           "the manifest was changed after the backup, or made with another key; nothing was "
                           "restored.") from None
    allowed = {DUMP, *STATE_FILES}
    for name in (*manifest.files, *manifest.state_files):
        if name not in allowed:
            raise WijknetError(f"The backup {src} names {name!r}, which is not a file a wijknet backup holds "
                               f"({', '.join(sorted(allowed))}); nothing was restored.")
    for name in (DUMP, *manifest.state_files):
        if name not in manifest.files:
            raise WijknetError(f"The backup {src} lists {name} without its SHA-256; nothing was restored.")
    for name, expected in manifest.files.items():
        path = src / name
        if not path.is_file():
            raise WijknetError(f"The backup {src} is incomplete: {name} is missing; nothing was restored.")
        if sha256_file(path) != expected:
            raise WijknetError(f"In the backup {src}, {name} does not match its SHA-256 in the manifest: it was "
                               "changed or damaged after the backup; nothing was restored.")
    return manifest


def restore(settings: Settings, src: Path, *, keys: AuditKeys | None = None) -> GraphDigest:
    """Load a backup made by :func:`backup` (replacing the database) once :func:`check_backup` passes, and verify
    counts and checksum.

    The side store comes back as the backup had it, erasure register included: ``wijknet db restore`` adds the
    current register back and erases again what it names (:func:`queries.privacy.erase_registered`)."""
    _require_managed(settings)
    src = Path(src)
    manifest = check_backup(src, (keys or _keys()).public_key())
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
