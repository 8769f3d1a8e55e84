"""One name per thing on a page: two organisations or areas of one name are told apart by their id."""

from __future__ import annotations

import doctest

from queries.analytics import labels


def test_the_examples_hold() -> None:
    result = doctest.testmod(labels)
    assert result.attempted >= 2 and result.failed == 0


def test_a_name_told_apart_does_not_meet_another_name() -> None:
    # three alike, one without a name, and one whose name is another's id: every shown name differs
    shown = labels.distinct_names({"A": "Wijkteam", "B": "Wijkteam", "C": " Wijkteam ", "D": "", "E": "D"})
    assert shown == {"A": "Wijkteam (A)", "B": "Wijkteam (B)", "C": "Wijkteam (C)", "D": "D (D)", "E": "D (E)"}
    assert len(set(shown.values())) == len(shown)
