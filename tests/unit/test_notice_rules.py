"""The signal rules are declared once (graph/notice_rules.py) and documented (docs/signals.md)."""

from __future__ import annotations

import doctest
from pathlib import Path

import graph.notice_rules as rules
from graph.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_rules_module_examples_hold() -> None:
    result = doctest.testmod(rules)
    assert result.attempted and not result.failed


def test_settings_reach_the_rules() -> None:
    r = rules.notice_rules(load_settings({"WIJKNET_NOTICE_RETENTION_DAYS": "365",
                                          "WIJKNET_NOTICE_MAX_CASEMANAGERS": "7"}))
    assert (r.retention_days, r.max_casemanagers) == (365, 7)


def test_every_kind_is_documented_with_its_dutch_title() -> None:
    text = (ROOT / "docs" / "signals.md").read_text()
    for kind in rules.NOTICE_KINDS.values():
        assert f"| `{kind.name}` | {kind.title_nl} |" in text, kind.name
