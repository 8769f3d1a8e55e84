"""Secret files (the pseudonym key, the audit keys) are created whole: a reader never sees a half-written one.

CI saw two of ten concurrent imports refused with "the audit key … is not 32 bytes": the key file was created
empty and filled afterwards, and another thread read it in between. A pseudonym key read half-written would be
worse: a different key, so different pseudonyms, silently.
"""

from __future__ import annotations

import functools
import multiprocessing
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from graph.files import create_secret_file
from ingest.pseudonym import load_or_create_key
from queries.audit_keys import AuditKeys
from tests.together import at_once


def _read_key(path: str) -> bytes:
    return load_or_create_key(Path(path))


def test_racing_creators_all_read_the_one_key(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / f"keys-{attempt}" / "pseudonym.key"
        seen = at_once(functools.partial(load_or_create_key, path))
        assert len(set(seen)) == 1 and isinstance(seen[0], bytes) and len(seen[0]) == 64, seen
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"], "no temporary file is left behind"


def test_racing_processes_read_the_one_key(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "pseudonym.key"
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        keys = set(pool.map(_read_key, [str(path)] * 8))
    assert keys == {path.read_text().strip().encode()}


def test_racing_audit_logs_share_the_one_mac_key(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / f"audit-{attempt}.key"
        seen = at_once(AuditKeys(path, tmp_path / "signing.key").mac_key)
        assert len(set(seen)) == 1 and isinstance(seen[0], bytes) and len(seen[0]) == 32, seen


def test_an_existing_secret_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_text("ab" * 32)
    create_secret_file(path)
    assert path.read_text() == "ab" * 32
