"""Docs that cannot rot: every setting, label and relationship type is documented; generated docs are current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.gendocs import generated_docs
from graph.model import LABELS, REL_TYPES
from graph.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in (ROOT / "docs" / "configuration.md").read_text()
    assert setting in (ROOT / "README.md").read_text(), f"README's configuration section lacks {setting}"


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_described(name: str) -> None:
    assert re.search(rf"^\| `{name}` \|", (ROOT / "docs" / "model.md").read_text(), re.M)


@pytest.mark.parametrize("name", sorted(REL_TYPES))
def test_every_relationship_type_is_described(name: str) -> None:
    assert re.search(rf"^\| `{name}` \|", (ROOT / "docs" / "model.md").read_text(), re.M)


@pytest.mark.parametrize("path", sorted(generated_docs()))
def test_generated_docs_are_current(path: str) -> None:
    assert (ROOT / path).read_text() == generated_docs()[path], f"run `wijknet docs` to refresh {path}"
