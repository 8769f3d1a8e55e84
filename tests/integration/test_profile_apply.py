"""``wijknet profile apply`` (issue 17, part 8): a municipality's areas and organisations come from its profile,
through the same audited ingest as a file — here Leeuwarden's Frontlijnteam, on an empty database, with only
documented commands each in its own process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.db import Database
from tests.integration.test_first_real_load import PASSWORD, count, own_state, wijknet  # noqa: F401
from tests.writers import session_audit


@pytest.fixture(scope="module")
def leeuwarden(own_state: Path) -> Iterator[Path]:  # noqa: F811
    old = os.environ.get("WIJKNET_PROFILE")
    os.environ["WIJKNET_PROFILE"] = "leeuwarden"
    try:
        from app.auth import default_store
        from queries.access import Role

        default_store().add_user("steward-lwd", Role.DATA_STEWARD, password=PASSWORD)
        yield own_state
    finally:
        if old is None:
            os.environ.pop("WIJKNET_PROFILE", None)
        else:
            os.environ["WIJKNET_PROFILE"] = old


def test_apply_loads_the_profiles_areas_and_organisations_with_aliases(db: Database, leeuwarden: Path) -> None:
    res = wijknet("profile", "apply", "--as", "steward-lwd")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    area = db.execute("t_profile_area", "MATCH (a:Area) RETURN a.code AS code, a.name AS name, a.kind AS kind",
                      {}).rows
    assert area == [{"code": "HS", "name": "Heechterp-Schieringen", "kind": "werkgebied"}]
    assert count(db, "MATCH (o:Organisation) RETURN count(o) AS n") == 12
    fier = db.execute("t_profile_fier", "MATCH (o:Organisation {id: 'ORG-FIER'}) RETURN o.aliases AS a", {}).first()
    assert fier is not None and "Fier Fryslan" in str(fier["a"])
    # audited as the steward, like any load: before (ok) and after (loaded), for each of the two files
    recs = [(r.action, r.result) for r in session_audit().records() if r.user == "steward-lwd"]
    assert recs == [("ingest_load", "ok"), ("ingest_load", "loaded")] * 2


def test_a_rerun_is_already_imported_and_changes_nothing(db: Database, leeuwarden: Path) -> None:
    before = count(db, "MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n) AS n")
    res = wijknet("profile", "apply", "--as", "steward-lwd")
    assert res.returncode == 0 and res.stdout.count("already imported") == 2, res.stdout + res.stderr
    assert count(db, "MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n) AS n") == before


def test_apply_is_refused_without_an_account(db: Database, leeuwarden: Path) -> None:
    res = wijknet("profile", "apply")  # no account named
    assert res.returncode == 1 and "account" in res.stderr and "Traceback" not in res.stderr
