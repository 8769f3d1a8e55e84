"""Dates typed into a field (the coach page's date beside the slider)."""

from __future__ import annotations

from datetime import date

import pytest

from app.dates import parse_typed_date


@pytest.mark.parametrize(("text", "expected"), [
    ("01-06-2007", date(2007, 6, 1)), ("1-6-2007", date(2007, 6, 1)), ("01/06/2007", date(2007, 6, 1)),
    ("1.6.2007", date(2007, 6, 1)), ("2007-06-01", date(2007, 6, 1)), (" 29-02-2008 ", date(2008, 2, 29)),
])
def test_typed_dates(text: str, expected: date) -> None:
    assert parse_typed_date(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("31-02-2009", "bestaat niet"), ("2009", "geen datum"), ("06-2007", "geen datum"), ("", "geen datum"),
    ("01-13-2007", "bestaat niet"), ("gisteren", "geen datum"),
])
def test_typed_dates_refused_with_a_sentence(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_typed_date(text)
