"""The demo stays out of a municipality's real data: once any real file has been imported (the import ledger
knows it), neither ``wijknet serve`` nor the sign-in page loads the synthetic neighbourhood or makes demo
accounts; on an empty store the demo is still the default."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.auth import UserStore
from graph.db import Database
from graph.errors import WijknetError
from graph.settings import load_settings
from ingest.demo import demo_allowed, ensure_demo
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from queries.access import SYSTEM_DEMO
from tests.conftest import wipe
from tests.writers import STEWARD, session_audit

ROOT = Path(__file__).resolve().parents[2]


def _households(db: Database) -> int:
    row = db.execute("t_demo_real", "MATCH (h:Household) RETURN count(h) AS n", {}).first()
    assert row is not None
    return int(row["n"])


@pytest.fixture()
def real(db: Database) -> Database:
    """The municipality's own areas, imported from a file as a data steward does."""
    wipe(db)
    ctx = IngestContext.from_settings(db, today=date(2010, 1, 1))
    report = ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / "gebieden.yaml"),
                         ROOT / "tests" / "fixtures" / "exports" / "gebieden.csv")
    assert report.rows_loaded == 3
    return db


def test_an_empty_store_gets_the_demo(db: Database) -> None:
    wipe(db)
    assert demo_allowed(db)
    assert ensure_demo(db, session_audit(), SYSTEM_DEMO, seed=7, households=3) is not None
    assert _households(db) > 0
    assert demo_allowed(db)  # the demo itself is no real import: a second start keeps it


def test_the_demo_is_not_loaded_over_imported_files(real: Database) -> None:
    assert not demo_allowed(real)
    with pytest.raises(WijknetError, match="gebieden.csv"):
        ensure_demo(real, session_audit(), SYSTEM_DEMO, seed=7, households=3)
    with pytest.raises(WijknetError, match="1 imported file "):
        ensure_demo(real, session_audit(), SYSTEM_DEMO, seed=7, households=3, force=True)
    assert _households(real) == 0


def test_first_start_makes_no_demo_accounts_over_imported_files(real: Database, tmp_path: Path) -> None:
    from app.cli import first_start

    store = UserStore(tmp_path / "users.sqlite")
    settings = load_settings()
    assert settings.demo_users
    said = first_start(real, settings, demo=True, store=store, password_file=tmp_path / "demo-password")
    assert _households(real) == 0
    assert [a.username for a in store.list_users()] == []
    assert not (tmp_path / "demo-password").exists()
    assert "gebieden.csv" in said


def test_sign_in_page_makes_no_demo_accounts_over_imported_files(real: Database, tmp_path: Path) -> None:
    from app.signin import ensure_demo_accounts

    store = UserStore(tmp_path / "users.sqlite")
    assert ensure_demo_accounts(real, store, tmp_path / "demo-password") == []
    assert store.list_users() == []


def test_sign_in_page_makes_demo_accounts_on_the_demo(db: Database, tmp_path: Path) -> None:
    from app.signin import ensure_demo_accounts

    wipe(db)
    ensure_demo(db, session_audit(), SYSTEM_DEMO, seed=7, households=3)
    store = UserStore(tmp_path / "users.sqlite")
    created = ensure_demo_accounts(db, store, tmp_path / "demo-password")
    assert "datasteward" in created and "coach1" in created
