"""The audit log in words: every result, action and wijknet-made organisation the code can write into an audit
record has a Dutch label, found in the code itself (tests/audit_values.py), not in a hand-copied list."""

from __future__ import annotations

import pytest

from app.catalogue import CATALOGUE
from app.i18n import action_label, organisation_label, result_label
from tests.audit_values import actions_written, organisations_written, results_written


def test_the_code_is_read_for_what_it_writes() -> None:
    """The scan finds the values the reviewers saw raw, so an empty scan cannot pass the tests below."""
    assert {"failed", "loaded", "added", "registered", "opened", "ok", "denied", "validated"} <= results_written()
    assert {"export_report_collaboration", "export_overlap_trend", "view_household", "sign_in"} <= actions_written()
    assert organisations_written() == {"command line", "wijknet"}


@pytest.mark.parametrize("result", sorted(results_written()))
def test_every_result_the_code_writes_reads_in_dutch(result: str) -> None:
    assert f"result.{result}" in CATALOGUE, f"no Dutch word for the audit result {result!r}"
    assert result_label(result, lang="nl") == CATALOGUE[f"result.{result}"][0]


def _actions() -> list[str]:
    """What the scan finds, and the collaboration page's map exports, named by their tie (``collaboration_{edge}``)."""
    from queries.analytics.collaboration import EDGE_TYPES

    return sorted(actions_written() | {f"export_collaboration_{edge}" for edge in EDGE_TYPES})


@pytest.mark.parametrize("action", _actions())
def test_every_action_the_code_writes_reads_in_dutch(action: str) -> None:
    assert f"action.{action}" in CATALOGUE, f"no Dutch name for the audit action {action!r}"


@pytest.mark.parametrize("organisation", sorted(organisations_written()))
def test_wijknets_own_organisations_read_in_dutch(organisation: str) -> None:
    assert f"org.{organisation}" in CATALOGUE


def test_the_words_the_reviewers_saw_raw() -> None:
    assert result_label("failed", lang="nl") == "mislukt"
    assert organisation_label("command line", lang="nl") == "opdrachtregel"
    assert action_label("export_report_collaboration", lang="nl") == "export: rapport samenwerking"
    assert result_label("failed", lang="en") == "failed"


def test_an_unknown_value_stays_itself() -> None:
    assert result_label("something_new", lang="nl") == "something_new"
    assert organisation_label("Wijkcoaches Zuid", lang="nl") == "Wijkcoaches Zuid"
