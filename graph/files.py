"""Private state files: every file wijknet keeps about people or secrets is created 0600 in a 0700 directory.

One place for it, so that no store is left to the process umask (which made ``audit.sqlite``, ``ingest.sqlite``
and the error log world-readable):

* :func:`private_dir` creates a directory 0700 (and tightens it when wijknet owns it: the state directory);
* :func:`private_file` creates a file 0600 without truncating it, before SQLite or ``open`` touches it
  (SQLite gives its journal and write-ahead files the mode of the database file);
* :func:`check_state_permissions` runs at start-up (``wijknet serve``, ``wijknet db start``, the app): anything
  group- or world-accessible is tightened and named; what cannot be tightened (another owner) is refused with
  the ``chmod`` that fixes it.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

from graph.errors import ConfigError
from graph.settings import Settings

__all__ = ["STATE_FILE_NAMES", "check_state_permissions", "create_secret_file", "private_dir", "private_file",
           "replace_private"]

#: Files in the state directory that hold personal data, secrets or the audit trail.
STATE_FILE_NAMES: tuple[str, ...] = (
    "audit.sqlite", "audit.sqlite.head", "audit-checkpoints.jsonl", "users.sqlite", "ingest.sqlite",
    "wijknet-errors.log", "demo-password", "neo4j/password",
)
_SIDE_FILES = ("-journal", "-wal", "-shm")


def create_secret_file(path: Path) -> None:
    """Create ``path`` with 32 random bytes as hex, mode 0600 (its directory 0700), unless it exists; when two
    threads or processes race, the first one's secret is kept.

    The secret is written to a private temporary file first and then linked into place (``link`` fails when the
    name exists): a reader never sees the file empty or half-written, which for a pseudonym key would mean a
    different key.
    """
    if path.exists():
        return
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:  # another thread or process created it first: use theirs
            pass
        except OSError:  # a file system without hard links: create it exclusively, as before
            _create_exclusive(path, Path(tmp).read_text())
    finally:
        os.unlink(tmp)


def _create_exclusive(path: Path, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """Create ``path`` (and missing parents) with mode 0700; with ``tighten`` also chmod an existing one.

    Existing directories are left alone unless ``tighten``: a key file may live in a shared directory
    (``/etc``, ``/run/secrets``) whose mode is not ours to change.
    """
    path = Path(path)
    if not path.exists():
        if not path.parent.exists():
            private_dir(path.parent)  # missing parents are ours too (mkdir(parents=True) ignores the mode)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    elif tighten and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def replace_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600: through a temporary file of this writer's own beside it,
    renamed over ``path``. Readers see the old content or the new, never part of it, and writers at the same
    time (threads or processes) never write into or rename away each other's temporary file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600, exclusive
    try:
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists with mode 0600 (created empty when missing, never truncated); return it.

    A file created here is 0600 from its first byte (``os.open`` with the mode, not a ``chmod`` afterwards).
    """
    path = Path(path)
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o600)
    else:
        os.close(fd)
    return path


def _tighten(path: Path, want: int, notes: list[str]) -> None:
    try:
        mode = stat.S_IMODE(path.lstat().st_mode)
    except FileNotFoundError:
        return
    if path.is_symlink() or not mode & 0o077:
        return
    try:
        os.chmod(path, want)
    except OSError:
        raise ConfigError(f"{path} can be read by others (mode {mode:04o}) and wijknet cannot change that: run "
                          f"`chmod {want:o} {path}` as its owner, then start again.") from None
    notes.append(f"Tightened {path} from mode {mode:04o} to {want:04o} (state files are for wijknet only).")


def check_state_permissions(settings: Settings) -> list[str]:
    """Tighten the state directory (0700), its state files and the key files (0600); return what changed.

    Raises :class:`ConfigError` when a too-open file cannot be tightened (it belongs to another user).
    """
    notes: list[str] = []
    state = settings.state_dir
    if state.exists():
        _tighten(state, 0o700, notes)
        for name in STATE_FILE_NAMES:
            for side in ("", *_SIDE_FILES):
                _tighten(state / f"{name}{side}", 0o600, notes)
    for key in (settings.secret_file, settings.audit_key_file, settings.audit_signing_key_file,
                settings.audit_checkpoint_file):
        _tighten(key, 0o600, notes)
    return notes
