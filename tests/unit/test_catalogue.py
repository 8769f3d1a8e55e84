"""The one translation catalogue (app/catalogue.py): every key has a Dutch and an English text with the same
placeholders, every key is used by the app, and every role, purpose, page, sidebar section, audit action, node
kind and code value a page can show has a label — so no page falls back to a raw identifier."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from app.catalogue import CATALOGUE
from app.i18n import DYNAMIC_PREFIXES, code_label, language, readable, role_label, t
from graph.model import CODE_LISTS, LABELS, LOAD_KINDS
from ingest.mapping import SOURCE_KINDS
from queries.access import PURPOSES, ROLE_PURPOSES, WRITE_ACTIONS, Role

APP = Path(__file__).resolve().parents[2] / "app"
_LITERAL = re.compile(r"""(?<![\w.])_?t\(\s*f?["']([^"'{]+)["']""")
_PREFIX = re.compile(r"""(?<![\w.])_?t\(\s*f["']([^"'{]+)\{""")  # t(f"coach.section_{s}"): a family of keys


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(APP.rglob("*.py")))


def test_every_key_has_dutch_and_english_with_the_same_placeholders() -> None:
    for key, texts in CATALOGUE.items():
        assert isinstance(texts, tuple) and len(texts) == 2, key
        nl, en = texts
        assert nl.strip() and en.strip(), f"{key}: a language is empty"
        assert _fields(nl) == _fields(en), f"{key}: placeholders differ: {nl!r} / {en!r}"


def test_every_key_is_used() -> None:
    source = _sources()
    used = set(_LITERAL.findall(source))
    families = tuple(_PREFIX.findall(source))
    unused = [k for k in CATALOGUE
              if not k.startswith(DYNAMIC_PREFIXES + families) and k not in used and f'"{k}"' not in source
              and k not in ("term.coach", "term.coaches")]
    assert unused == [], f"keys no page uses: {unused}"


def test_every_literal_key_in_the_app_exists() -> None:
    missing = sorted({k for k in _LITERAL.findall(_sources()) if not k.endswith((".", "_"))} - set(CATALOGUE))
    assert missing == [], f"t() keys missing from app/catalogue.py: {missing}"


def test_dynamic_families_are_complete() -> None:
    from app.nav import PAGES

    for key in CATALOGUE:
        if key.startswith("code."):
            _, name, value = key.split(".", 2)
            assert value in {str(v) for v in CODE_LISTS[name].values}, key

    assert {f"role.{r.value}" for r in Role} <= set(CATALOGUE)
    purposes = set(PURPOSES) | set(ROLE_PURPOSES.values()) | {a.purpose for a in WRITE_ACTIONS.values()}
    assert {f"purpose.{p}" for p in purposes} <= set(CATALOGUE)
    assert {f"action.{a}" for a in WRITE_ACTIONS} <= set(CATALOGUE)
    assert {f"page.{p.url_path}" for p in PAGES} <= set(CATALOGUE)
    assert {f"section.{p.section}" for p in PAGES} <= set(CATALOGUE)
    assert {f"node.{label}" for label in LABELS} <= set(CATALOGUE)
    assert {f"load.{kind}" for kind in SOURCE_KINDS} <= set(CATALOGUE)
    assert {f"record.{kind}" for kind in LOAD_KINDS} <= set(CATALOGUE)


def test_the_ingest_page_names_what_was_written_or_missed_in_words() -> None:
    """What a load wrote and which rows of the previous import a file lacks: by kind in the page's words, never
    as the row key's code (``organisation:ORG-1``)."""
    from app.i18n import record_kind, row_keys

    assert record_kind("involvement") == "betrokkenheden" and record_kind("client_system") == "banden in het cliëntsysteem"
    assert row_keys(["organisation:ORG-UP-1", "organisation:ORG-UP-2", "membership:HH-1|PER-*****2"]) == (
        "organisaties ORG-UP-1, ORG-UP-2; lidmaatschappen van een huishouden HH-1 · PER-*****2")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_code_value_has_a_label(lang: str) -> None:
    for name, codes in CODE_LISTS.items():
        for code in codes.codes:
            label = code_label(name, code.value, lang=lang)
            short = CATALOGUE.get(f"code.{name}.{code.value}")
            meaning = code.nl if lang == "nl" else code.en
            assert label and label == (short[0 if lang == "nl" else 1] if short else meaning), (name, code.value)
            if isinstance(code.value, str) and "_" in code.value:
                assert code.value not in label, (name, code.value, label)


def test_dutch_is_the_default_and_english_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert language() == "nl"
    assert t("page.coach") == "Huishouden" and role_label("data_steward") == "gegevensbeheerder"
    assert readable("woonbegeleider · WONEN · since 01-01-2008") == "woonbegeleider · wonen · sinds 01-01-2008"
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert t("page.coach") == "Household" and role_label("data_steward") == "data steward"


def test_the_coach_role_is_named_in_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment that calls the generalist something else changes term.coach only."""
    monkeypatch.setitem(CATALOGUE, "term.coach", ("buurtregisseur", "neighbourhood director"))
    monkeypatch.setitem(CATALOGUE, "term.coaches", ("buurtregisseurs", "neighbourhood directors"))
    assert role_label("coach", lang="nl") == "buurtregisseur"
    assert t("page.caseload", lang="nl") == "Caseload per buurtregisseur"
    assert "buurtregisseurs" in t("signin.intro", lang="nl")
    others = [k for k, (nl, en) in CATALOGUE.items()
              if k not in ("term.coach", "term.coaches") and re.search(r"(?i)wijkcoach", nl)]
    assert others == [], f"name the coach as {{coach}} instead: {others}"


def test_the_language_setting_is_checked() -> None:
    from graph.errors import ConfigError
    from graph.settings import load_settings

    assert load_settings({"WIJKNET_LANGUAGE": "EN"}).language == "en"
    assert load_settings({}).language == "nl"
    with pytest.raises(ConfigError, match="WIJKNET_LANGUAGE"):
        load_settings({"WIJKNET_LANGUAGE": "fr"})


def test_disclosure_control_has_one_dutch_name() -> None:
    """The overlap and collaboration pages said "Onthullingscontrole", the home page and the exports
    "openbaarmakingscontrole": one policymaker read two words for one protection (walk of 04-12-2026)."""
    names = {word for nl, _en in CATALOGUE.values()
             for word in re.findall(r"(?i)\b(onthullingscontrole|openbaarmakingscontrole)\b", nl)}
    assert {w.lower() for w in names} == {"openbaarmakingscontrole"}
