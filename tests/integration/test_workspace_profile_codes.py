"""A deployment profile's own code values on the coach's forms, on the coach page in-process (Streamlit's AppTest):
a municipality that adds a scope of consent (``[codes.consent_scope]`` in its profile) has it offered on the
*Toestemming* form, as the check that takes it (:func:`ingest.record.record`) and every label already do."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.db import Database

PROFILE = (Path(__file__).resolve().parents[2] / "graph" / "profiles" / "enschede.toml").read_text() + """
[codes.consent_scope]
extra = [
  { value = "gegevensuitwisseling schuldhulp", nl = "gegevensuitwisseling met de schuldhulpverlening", en = "data exchange with debt counselling" },
]
"""


def test_a_scope_of_consent_the_profile_adds_is_offered_on_the_form(
        coach_page: AppTest, household_t1: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "enschede-schuldhulp.toml"
    profile.write_text(PROFILE)
    monkeypatch.setenv("WIJKNET_PROFILE", str(profile))
    at = coach_page
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.session_state["ws_kind"] = "consent"
    at.run()
    assert not at.exception
    scope = next(s for s in at.selectbox if s.label == "Reikwijdte *")
    assert "gegevensuitwisseling met de schuldhulpverlening" in scope.options, scope.options
