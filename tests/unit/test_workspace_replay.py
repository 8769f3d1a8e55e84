"""The workspace's replay without a database: what held on a date, what was known at a moment, advice awaiting a
decision, and who recorded what."""

from __future__ import annotations

from datetime import UTC, date, datetime

from queries.workspace import Fact, FactVersion, Workspace, recorded_by

T1 = datetime(2026, 1, 1, 9, tzinfo=UTC)
T2 = datetime(2026, 2, 1, 9, tzinfo=UTC)


def _ws() -> Workspace:
    tie = Fact("client_system", "P-WS-1", 2, {"name": "Oma", "relation": "oma (verhuisd)", "since": date(2025, 6, 1),
                                              "until": date(2026, 1, 31)}, "account:coach1", T2, "verhuisd")
    advice = Fact("advice", "ADV-1", 1, {"date": date(2026, 1, 5), "outcome": None}, "account:coach1", T1)
    loaded = Fact("agreement", "A1", 0, {"date": date(2008, 9, 15), "status": "open"}, "export x", None)
    old = FactVersion("client_system", "P-WS-1", 1, {"relation": "oma", "since": date(2025, 6, 1)},
                      "account:coach1", T1, T2, "coach1")
    return Workspace("HH-1", [], [tie, advice, loaded], [old])


def test_valid_on_follows_the_dates_of_each_kind() -> None:
    ws = _ws()
    assert [f.id for f in ws.valid_on(date(2025, 5, 31)).facts] == ["A1"]
    assert [f.id for f in ws.valid_on(date(2026, 1, 10)).facts] == ["P-WS-1", "ADV-1", "A1"]
    assert [f.id for f in ws.valid_on(date(2026, 2, 1)).facts] == ["ADV-1", "A1"]  # the tie ended on 31-01


def test_known_at_shows_the_version_known_then_and_nothing_recorded_later() -> None:
    ws = _ws()
    before = ws.known_at(datetime(2025, 12, 1, tzinfo=UTC))
    assert [f.id for f in before.facts] == ["A1"]
    between = ws.known_at(datetime(2026, 1, 15, tzinfo=UTC))
    tie = next(f for f in between.facts if f.id == "P-WS-1")
    assert (tie.version, tie.values["relation"]) == (1, "oma")
    assert next(f for f in ws.known_at(T2).facts if f.id == "P-WS-1").values["relation"] == "oma (verhuisd)"


def test_awaiting_decision_and_who_recorded() -> None:
    ws = _ws()
    assert [f.id for f in ws.awaiting_decision()] == ["ADV-1"]
    assert [f.recorded_by for f in ws.facts] == ["coach1", "coach1", None]
    assert recorded_by("account:coach2") == "coach2" and recorded_by("synthetic:2008") is None
