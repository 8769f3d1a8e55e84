"""`wijknet signals list` writes one line per signal. The other professional's phone stood before the since-date
("… · gezondheid en welzijn · 053-4358313 sinds 07-11-2011"), which reads as a number in use since then (an outside
review of the signals, 2026-12-05); the page puts the date with the involvement and the contact apart."""

from __future__ import annotations

from datetime import date

import pytest

import app.cli  # noqa: F401  (the commands are imported through the CLI, which they import)
from app.commands.signals import _line
from queries.notices import NoticeEntry


def test_the_since_date_goes_with_the_involvement_and_the_phone_after_it() -> None:
    e = NoticeEntry(key="new_involvement|HH-1|I1", kind="new_involvement", title="Nieuwe betrokkenheid", status="new",
                    day=date(2011, 11, 7), created_at="", household_id="HH-1", own_involvement=None,
                    other_involvement="I1", own_life_domain=None, other_organisation="Mediant",
                    other_professional="Ayse Pots", other_function="casemanager GGZ",
                    other_life_domain="GEZONDHEID_WELZIJN", other_since=date(2011, 11, 7), contact="053-4358313",
                    detail=None, count=None)
    assert _line(e) == ("07-11-2011  ongelezen   Nieuwe betrokkenheid [HH-1]: Mediant · Ayse Pots · casemanager GGZ · "
                        "gezondheid en welzijn · sinds 07-11-2011 · contact 053-4358313")


def test_a_partners_line_says_their_own_involvement_in_words_and_every_life_domain() -> None:
    """A partner's card stands for every pair with the other professional: their life domains listed, the partner's
    own involvement said in words, never its id ("[uw betrokkenheid I-LATE-1]" before)."""
    e = NoticeEntry(key="match|I-LATE-1|I9", kind="match", title="Ook betrokken", status="new", day=date(2026, 11, 25),
                    created_at="", household_id=None, own_involvement="I-LATE-1", other_involvement="I9",
                    own_life_domain="ZORG_HULPVERLENING", other_organisation="Wijkcoaches", other_professional="Coach Een",
                    other_function="wijkcoach", other_life_domain="WONEN", other_since=date(2026, 1, 5),
                    contact="06-1", detail=None, count=None,
                    keys=(("match|I-LATE-1|I9", date(2026, 11, 25)), ("match|I-LATE-1|I8", date(2026, 11, 25))),
                    other_life_domains=("WONEN", "WERK_PARTICIPATIE"),
                    own=(("SMD", "ZORG_HULPVERLENING", date(2026, 11, 25)),))
    line = _line(e)
    assert "I-LATE-1" not in line, line
    assert "[over uw betrokkenheid bij SMD (zorg en hulpverlening, sinds 25-11-2026)]" in line, line
    assert "wonen, werk en participatie" in line, line


def test_the_line_is_in_the_apps_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The status, the kind's title and the words around the dates follow WIJKNET_LANGUAGE, as the inbox page does
    (the lines were fixed Dutch while every other command's output followed it)."""
    e = NoticeEntry(key="new_involvement|HH-1|I1", kind="new_involvement", title="Nieuwe betrokkenheid", status="done",
                    day=date(2011, 11, 7), created_at="", household_id="HH-1", own_involvement=None,
                    other_involvement="I1", own_life_domain=None, other_organisation="Mediant",
                    other_professional="Ayse Pots", other_function=None,
                    other_life_domain="GEZONDHEID_WELZIJN", other_since=date(2011, 11, 7), contact="053-4358313",
                    detail=None, count=None)
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    line = _line(e)
    assert line.startswith("07-11-2011  dealt with  New involvement [HH-1]: Mediant · Ayse Pots · "), line
    assert line.endswith(" · since 07-11-2011 · contact 053-4358313"), line
    assert not {"afgehandeld", "Nieuwe", "sinds"} & set(line.replace(":", " ").split()), line
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    assert _line(e).startswith("07-11-2011  afgehandeld Nieuwe betrokkenheid [HH-1]: ")
