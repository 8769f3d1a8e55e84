"""The workspace's person field: the members now first, who left after them and said so with the day (an outside
review of the coach's views, 2026-12-05: a member who had left was offered like the others, so a ladder score could
be recorded for someone who no longer lives there without a word)."""

from __future__ import annotations

from datetime import date, timedelta

from app.workspace import _member_options
from graph.clock import today as dutch_today
from queries.household import HouseholdInfo, HouseholdView
from queries.workspace import Member, Workspace


def test_a_member_who_left_comes_last_and_says_since_when() -> None:
    left_on = date(2011, 3, 1)
    ws = Workspace("HH-1", [
        Member("P-STEP", "Kevin Bos", "kind", until=left_on),            # left in 2011
        Member("P-MUM", "Anja Bos", "moeder"),
        Member("P-BACK", "Sem Bos", "kind", until=date(2009, 1, 1)),      # left, and came back:
        Member("P-BACK", "Sem Bos", "kind"),                              # a member now
        Member("P-SOON", "Mila Bos", "kind", until=dutch_today() + timedelta(days=30)),  # moving out next month
    ], [])
    view = HouseholdView(HouseholdInfo("HH-1", None, None, None, None, None, None), [], [], [], [], [], [], [], [],
                         [])
    options = _member_options(ws, view)
    assert list(options) == ["P-MUM", "P-BACK", "P-SOON", "P-STEP"]
    assert options["P-STEP"].endswith("— vertrokken op 01-03-2011"), options
    assert not any("vertrokken" in options[p] for p in ("P-MUM", "P-BACK", "P-SOON")), options
