"""The restore drill: backup, destroy, restore, verify counts and the content checksum (issue 7)."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest

from graph import server
from graph.backup import Manifest, backup, check_backup, restore
from graph.checksum import content_checksum
from graph.db import Database
from graph.errors import WijknetError
from graph.settings import load_settings
from ingest.loader import load_records
from queries.audit import AuditLog
from queries.audit_keys import AuditKeys

S = "test:backup"
RECORDS = [
    ("area", {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment", "source": S}),
    ("organisation", {"id": "ORG-A", "name": "Alifa", "sector": "welzijn", "source": S}),
    ("professional", {"id": "PRO-1", "name": "A. Jansen", "function": "maatschappelijk werker",
                      "organisation_id": "ORG-A", "since": date(2005, 1, 1), "source": S}),
    ("household", {"id": "HH-1", "address_key": "7544AB|1|", "postcode": "7544AB", "house_number": 1,
                   "area_code": "NVL", "source": S}),
    ("person", {"id": "P-1", "birth_year": 1970, "source": S}),
    ("membership", {"household_id": "HH-1", "person_id": "P-1", "role": "vader", "since": date(2000, 1, 1),
                    "source": S}),
    ("involvement", {"id": "INV-1", "professional_id": "PRO-1", "organisation_id": "ORG-A",
                     "life_domain": "WONEN", "role": "casemanager", "since": date(2008, 1, 1),
                     "person_ids": ["P-1"], "source": S}),
    ("household", {"id": "HH-2", "address_key": "7544AB|2|", "postcode": "7544AB", "house_number": 2,
                   "area_code": "NVL", "source": S}),
    *[r for p in ("P-2", "P-3") for r in (
        ("person", {"id": p, "birth_year": 1980, "display_name": f"Naam{p}", "source": S}),
        ("membership", {"household_id": "HH-2", "person_id": p, "role": "kind", "since": date(2000, 1, 1),
                        "source": S}))],
]


def test_backup_destroy_restore_verifies(db: Database, tmp_path: Path) -> None:
    """The drill, with an erasure between the backup and the restore: the backup brings the erased household and
    person back, the erasure register (kept through the restore) names them, so the restore erases them again,
    audited, and says how many, not who. (One drill for both: each restore restarts the server.)"""
    from queries.privacy import erase_household, erase_person
    from tests.integration.test_access_matrix import ACTORS
    from tests.integration.test_privacy import _remnants

    settings = load_settings()
    if not settings.managed:
        pytest.skip("the drill manages the local server")
    db.execute("wipe", "MATCH (n) DETACH DELETE n", write=True)
    load_records(db, RECORDS)
    audit = AuditLog(settings.state_dir / "audit.sqlite", checkpoint_file=settings.audit_checkpoint_file)
    audit.record(user="drill", role="admin", organisation="", action="drill")
    checkpoint = audit.checkpoint()
    before = content_checksum(db)
    # IN_AREA ×2, WORKS_FOR, HAS_MEMBER ×3, PERFORMS, ON_BEHALF_OF, CONCERNS
    assert (before.nodes, before.relationships) == (9, 9)

    # as an operator runs it: audited as the OS user before the copy is made (the copy holds that record) and after
    from typer.testing import CliRunner

    from app.cli import app
    from app.identity import cli_access_point

    out = CliRunner().invoke(app, ["db", "backup", str(tmp_path / "bk")])
    assert out.exit_code == 0, out.output
    raw = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    manifest = Manifest(**{**raw, "state_files": tuple(raw["state_files"])})
    assert (manifest.nodes, manifest.checksum) == (before.nodes, before.checksum)
    assert [(r.action, r.result, r.user) for r in audit.records()][-2:] == [
        ("db_backup", "ok", cli_access_point()), ("db_backup", "ok", cli_access_point())]
    assert before.checksum[:12] in list(audit.records())[-1].detail
    assert (tmp_path / "bk" / "neo4j.dump").stat().st_size > 0
    assert "audit-checkpoints.jsonl" in manifest.state_files
    # every file with its SHA-256, signed with the audit signing key (restore checks both before it loads)
    assert set(manifest.files) == {"neo4j.dump", *manifest.state_files} and len(manifest.signature) == 128
    assert check_backup(tmp_path / "bk", AuditKeys.from_settings().public_key()) == manifest
    assert stat.S_IMODE((tmp_path / "bk").stat().st_mode) == 0o700

    erase_household(db, audit, ACTORS["steward"], "HH-1", apply=True)  # with its only member P-1
    erase_person(db, audit, ACTORS["steward"], "P-2", apply=True)
    erased = content_checksum(db)

    # destroy: the server stopped and its data directory gone, as on a machine that lost its disk (the restore
    # starts the server on what it loads; starting an empty one first cost the drill a server start and stop)
    server.reset(settings)
    db.close()
    assert server.running_info(settings) is None and server.data_size_bytes(settings) == 0
    (settings.state_dir / "audit.sqlite").unlink()
    (settings.state_dir / "audit.sqlite.head").unlink()

    # restored as an operator runs it: audited as the OS user before and, in the restored log, after
    out = CliRunner().invoke(app, ["db", "restore", str(tmp_path / "bk"), "--yes"])
    assert out.exit_code == 0, out.output
    db.close()
    assert content_checksum(db) == erased  # the backup, checked against its checksum, then erased again
    for gone in ("HH-1", "P-1", "INV-1", "P-2", "NaamP-2", "7544AB|1|"):
        assert _remnants(db, gone) == [], gone
    assert _remnants(db, "P-3") and _remnants(db, "HH-2")
    assert "2 gewiste personen opnieuw verwijderd" in out.output and "1 gewist huishouden" in out.output
    assert "P-1" not in out.output and "P-2" not in out.output and "HH-1" not in out.output
    restored_audit = AuditLog(settings.state_dir / "audit.sqlite")
    recs = list(restored_audit.records())
    assert [(r.user, r.action, r.result) for r in recs][-7:] == [
        ("drill", "drill", "ok"), (cli_access_point(), "db_backup", "ok"),
        ("system:restore", "privacy_erase_household", "ok"), ("system:restore", "privacy_erase_household", "erased"),
        ("system:restore", "privacy_erase", "ok"), ("system:restore", "privacy_erase", "erased"),
        (cli_access_point(), "db_restore", "restored")]
    assert recs[-1].access_point == cli_access_point() and before.checksum[:12] in recs[-1].detail
    assert "reerased_people=2 reerased_households=1" in recs[-1].detail
    assert restored_audit.verify() is None  # chain and head came back together
    assert restored_audit.check([("the drill", checkpoint)]).intact  # and match the checkpoint of the backup


def test_restore_refuses_a_directory_without_manifest(db: Database, tmp_path: Path) -> None:
    with pytest.raises(WijknetError, match="is not a wijknet backup"):
        restore(load_settings(), tmp_path)


def test_backup_refuses_a_non_empty_directory(db: Database, tmp_path: Path) -> None:
    (tmp_path / "x").write_text("x")
    with pytest.raises(WijknetError, match="is not empty"):
        backup(load_settings(), tmp_path)
