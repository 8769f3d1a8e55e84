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


def test_every_code_list_value_is_documented_with_its_meaning() -> None:
    """Issue 17: the allowed values of coded fields were nowhere in the docs; "hoofd" fitted no member role; the
    involvement roles' meaning (which decides "dubbele casemanager") was undefined."""
    from graph.model import CODE_LISTS

    text = (ROOT / "docs" / "ingest.md").read_text()
    for cl in CODE_LISTS.values():
        assert f"#### `{cl.name}`" in text
        for c in cl.codes:
            assert f"| `{c.value}` | {c.nl} | {c.en} |" in text, (cl.name, c.value)
    assert "hoofd" in CODE_LISTS["member_role"].values
    meaning = {c.value: c.en for c in CODE_LISTS["involvement_role"].codes}
    assert "holds the case" in meaning["casemanager"] and "without holding a case" in meaning["regie"]


def test_every_source_kind_has_an_example_mapping_export_and_docs() -> None:
    from ingest.mapping import SOURCE_KINDS, load_mapping

    text = (ROOT / "docs" / "ingest.md").read_text()
    examples = {load_mapping(p).kind.name: p for p in (ROOT / "mappings").glob("*.yaml")}
    assert set(examples) == set(SOURCE_KINDS)
    for kind, path in examples.items():
        assert f"| `{kind}` |" in text and f"### `mappings/{path.name}`" in text
    exports = {p.stem for p in (ROOT / "tests" / "fixtures" / "exports").glob("*.csv")}
    with_export = {load_mapping(ROOT / "mappings" / f"{stem}.yaml").kind.name for stem in exports}
    assert set(SOURCE_KINDS) - with_export == {"referral"}  # a spreadsheet: verwijzingen.xlsx.yaml's own tests
