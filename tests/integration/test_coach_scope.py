"""The coach page in-process (Streamlit's AppTest) when the project lead moves the open household to another
coach: the next run shows nothing of it (the refusal, audited), and a brief generated after the move is
refused (audited), not served from what the session still holds."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import AccessDenied
from ingest.intake import move_caseload
from queries.access import Actor, Role
from queries.audit import default_audit_log

LEAD = Actor("scopelead", Role.PROJECT_LEAD, "Gemeente")
REFUSAL = "U bent niet aan dit huishouden toegewezen"


def _shown(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("subheader", "caption", "markdown", "warning", "error")
                    for e in getattr(at, kind))


def _records() -> list[tuple[str, str, str]]:
    return [(r.action, r.result, r.detail) for r in default_audit_log().records(target="HH-T1")
            if r.user == "scopecoach"]


def test_a_household_moved_to_another_coach_is_not_shown_again_nor_its_brief_served(
        coach_page: AppTest, household_t1: Database, downloads: list[Any]) -> None:
    at = coach_page.run()
    assert not at.exception
    assert "Velveweg 12" in _shown(at)
    at.segmented_control[0].set_value("brief").run()
    assert not at.exception
    assert len(downloads) == 2 and "<html" in downloads[0]()[:200].lower()  # a brief, served while in scope
    before = len(_records())

    move_caseload(household_t1, default_audit_log(), LEAD, "PR-COACH-1", "PR-COACH-2", dutch_today(),
                  household_ids=["HH-T1"])
    for make in list(downloads):  # the buttons of the run before the move, clicked after it
        with pytest.raises(AccessDenied):
            make()
    at.run()  # the coach moves the slider, or anything else
    assert not at.exception
    shown = _shown(at)
    assert REFUSAL in shown
    assert "Velveweg" not in shown and "7513 AB" not in shown and not at.slider
    assert _records()[before:] == [("download_brief", "denied", "not in caseload"),
                                   ("download_brief", "denied", "not in caseload"),
                                   ("view_household", "denied", "not in caseload")]
    at.run()
    assert "Velveweg" not in _shown(at)
