"""A backup's integrity, without a database: the manifest names every file with its SHA-256 and is signed with
the audit signing key; restore refuses a tampered, unsigned or foreign-signed backup and any file name outside
the backup's own list before it stops the server; the audit log's head is copied before the log."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from graph import backup as bk
from graph.backup import Manifest, check_backup, restore, sign_manifest
from graph.errors import WijknetError
from graph.settings import NEO4J_VERSION, load_settings
from queries.access import Actor, Role, audit_action
from queries.audit import AuditLog, default_audit_log
from queries.audit_keys import AuditKeys

ADMIN = Actor("beheer", Role.ADMIN, "Gemeente")


@pytest.fixture()
def state(state: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The unit tests' private state directory (tests/unit/conftest.py); restore must never stop a server here."""

    def no_stop(*_: object) -> None:
        raise AssertionError("restore stopped the server before the backup was checked")

    monkeypatch.setattr(bk.server, "stop", no_stop)
    return state


def _made(tmp_path: Path, *, state_files: tuple[str, ...] = ("audit.sqlite",)) -> Path:
    """A backup directory as :func:`graph.backup.backup` leaves it (a stand-in dump), signed on this host."""
    src = tmp_path / "bk"
    src.mkdir()
    (src / "neo4j.dump").write_bytes(b"dump of the graph")
    (src / "audit.sqlite").write_bytes(b"the audit log")
    names = ("neo4j.dump", *(n for n in state_files if "/" not in n and (src / n).is_file()))
    m = Manifest("2026-12-04T10:00:00+00:00", NEO4J_VERSION, 6, 6, "c" * 64, True, state_files,
                 files={n: bk.sha256_file(src / n) for n in names})
    (src / "manifest.json").write_text(json.dumps(asdict(sign_manifest(m, AuditKeys.from_settings()))))
    return src


def _manifest(src: Path) -> dict[str, object]:
    return dict(json.loads((src / "manifest.json").read_text()))


def test_an_intact_signed_backup_passes_the_check(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    m = check_backup(src, AuditKeys.from_settings().public_key())
    assert set(m.files) == {"neo4j.dump", "audit.sqlite"} and len(m.signature) == 128


def test_a_changed_file_is_refused(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    (src / "neo4j.dump").write_bytes(b"dump of another graph")
    with pytest.raises(WijknetError, match="neo4j.dump does not match its SHA-256"):
        restore(load_settings(), src)


def test_a_missing_file_is_refused(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    (src / "audit.sqlite").unlink()
    with pytest.raises(WijknetError, match="audit.sqlite is missing"):
        restore(load_settings(), src)


def test_an_unsigned_backup_is_refused(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    raw = _manifest(src)
    raw.pop("signature")
    (src / "manifest.json").write_text(json.dumps(raw))
    with pytest.raises(WijknetError, match="is not signed"):
        restore(load_settings(), src)


@pytest.mark.parametrize("field", ["checksum", "nodes"])
def test_a_manifest_changed_after_signing_is_refused(state: Path, tmp_path: Path, field: str) -> None:
    src = _made(tmp_path)
    raw = _manifest(src)
    raw[field] = "d" * 64 if field == "checksum" else 7
    (src / "manifest.json").write_text(json.dumps(raw))
    with pytest.raises(WijknetError, match="does not verify with this host.s audit signing key"):
        restore(load_settings(), src)


def test_a_backup_signed_with_another_key_is_refused(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    m = check_backup(src, AuditKeys.from_settings().public_key())
    other = AuditKeys(tmp_path / "o" / "mac", tmp_path / "o" / "sign")
    (src / "manifest.json").write_text(json.dumps(asdict(sign_manifest(replace(m, signature=""), other))))
    with pytest.raises(WijknetError, match="does not verify with this host.s audit signing key"):
        restore(load_settings(), src)


def test_without_a_signing_key_on_this_host_nothing_is_restored(state: Path, tmp_path: Path) -> None:
    src = _made(tmp_path)
    Path(load_settings().audit_signing_key_file).unlink()
    with pytest.raises(WijknetError, match="cannot be checked"):
        restore(load_settings(), src)


@pytest.mark.parametrize("name", ["../users.sqlite", "/etc/passwd", "sub/audit.sqlite", "notes.txt", ".."])
def test_a_file_name_outside_the_backup_list_is_refused_even_when_signed(state: Path, tmp_path: Path,
                                                                        name: str) -> None:
    src = _made(tmp_path, state_files=("audit.sqlite", name))
    with pytest.raises(WijknetError, match="not a file a wijknet backup holds"):
        restore(load_settings(), src)
    assert not (state / "users.sqlite").exists()


def test_the_audit_head_is_copied_before_the_log(state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    log = default_audit_log()
    for i in range(3):
        audit_action(log, ADMIN, "view_audit_log", target=str(i))
    copied: list[str] = []
    real = bk._copy_state_file

    def copy_while_writing(source: Path, target: Path) -> None:
        real(source, target)
        copied.append(source.name)
        audit_action(log, ADMIN, "view_audit_log", target="during the backup")  # a record between two copies

    monkeypatch.setattr(bk, "_copy_state_file", copy_while_writing)
    dest = tmp_path / "copy"
    dest.mkdir()
    bk.copy_state(load_settings(), dest)
    log.close()
    assert copied[:2] == ["audit.sqlite.head", "audit.sqlite"]
    # the copied log holds at least what its copied head names: a backup is never newer than its audit head
    check = AuditLog(dest / "audit.sqlite").check([])
    assert check.intact, check.summary()
