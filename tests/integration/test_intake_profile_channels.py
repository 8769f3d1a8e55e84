"""A deployment profile's own signal channels on the project lead's page *Aanmeldingen en caseload*: Leeuwarden's
frontline team registers a signal that came from knocking on doors (``aanbellen``) or from the housing
corporation's rent arrears (``huurachterstand``), the channels its profile adds (graph/profiles/leeuwarden.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from tests.access_records import records

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "intake.py")


@pytest.fixture(scope="module")
def data(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records())
    return db


def test_a_signal_from_a_channel_the_profile_adds_is_registered(data: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    store = default_store()
    acc = store.get("channellead") or store.add_user("channellead", Role.PROJECT_LEAD, password="a long lead password")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.run()
    channel = next(s for s in at.selectbox if s.label == "Kanaal")
    assert "aangebeld door een frontlijnwerker (outreachend)" in channel.options
    channel.set_value("aanbellen")
    next(s for s in at.selectbox if s.label == "Wijk").set_value("A1")
    next(b for b in at.button if b.label == "Signaal registreren").click().run()
    assert not at.exception
    shown = " ".join(str(e.value) for kind in ("success", "error") for e in at.get(kind))
    assert "is geregistreerd" in shown, shown
    assert "aangebeld door een frontlijnwerker (outreachend)" in " ".join(str(m.value) for m in at.markdown)
