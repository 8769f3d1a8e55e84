"""Sentences said below ``app/`` (graph.said) reach a person in the catalogue's words.

Every ``said("said.…", "English …", …)`` in graph/, ingest/ and queries/ has its key in app/catalogue.py with the
same English text (so the CLI, the JSON reports and an English page say the same) and a Dutch text with the same
placeholders; every ``said.`` entry of the catalogue is said somewhere. The ingest's reasons, read on the Load data
page, are Dutch there by default.
"""

from __future__ import annotations

import ast
import pickle
import re
import string
from copy import deepcopy
from pathlib import Path

import pytest

from app.catalogue import CATALOGUE
from app.i18n import say
from graph.model import REL_TYPES
from graph.said import DATE_PATTERNS, Said, message_of, said

ROOT = Path(__file__).resolve().parents[2]
#: the domain labels a reference problem can name (``said.node.<Label>``, built at run time)
REFERENCED = ("Area", "Household", "Person", "Organisation", "Professional", "Involvement", "Handover", "Referral",
              "Mandate", "Advice", "Plan", "Goal", "Agreement", "LadderScore", "Signal", "Consent", "Consultation")


def _said_calls() -> dict[str, set[str]]:
    """key → the English texts it is said with, from every literal ``said(key, english, …)`` below app/."""
    found: dict[str, set[str]] = {}
    # app/auth.py: the account store's refusals, said in the CLI (English) and on the users page; app/identity.py:
    # a command's account refused, said in the app's language (every refusal on the command line); app/accounts.py:
    # the first admin's bootstrap refused, likewise
    for paths in [*(sorted((ROOT / package).rglob("*.py")) for package in ("graph", "ingest", "queries")),
                  [ROOT / "app" / "auth.py", ROOT / "app" / "identity.py", ROOT / "app" / "accounts.py"]]:
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said" and len(node.args) >= 2:
                    key, english = node.args[0], node.args[1]
                    if isinstance(key, ast.Constant) and isinstance(english, ast.Constant):
                        found.setdefault(key.value, set()).add(english.value)
                # said_count(key, n, one, more): "<key>_one" said with ``one``, the key with ``more``
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said_count" and len(node.args) >= 4:
                    key, one, more = node.args[0], node.args[2], node.args[3]
                    if all(isinstance(a, ast.Constant) for a in (key, one, more)):
                        found.setdefault(f"{key.value}_one", set()).add(one.value)  # type: ignore[attr-defined]
                        found.setdefault(key.value, set()).add(more.value)  # type: ignore[attr-defined]
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_said_sentence_is_in_the_catalogue_with_the_same_english() -> None:
    calls = _said_calls()
    assert len(calls) > 60  # the scan sees the ingest's sentences
    for key, texts in calls.items():
        assert key.startswith("said."), key
        assert key in CATALOGUE, f"{key} is said below app/ but missing from app/catalogue.py"
        nl, en = CATALOGUE[key]
        assert texts == {en}, f"{key}: the catalogue's English differs from what is said: {texts} / {en!r}"
        assert _fields(nl) == _fields(en), key


def test_every_said_entry_of_the_catalogue_is_said() -> None:
    calls = _said_calls()
    from ingest.record import KINDS
    from ingest.validate import DATE_ORDER

    fields = {name for pair in DATE_ORDER for name in pair}
    # the coach's forms: a kind's label and its fields' labels, said on the page (said.form.<kind>[.<field>])
    forms = {k.label.key for k in KINDS.values()} | {f.label.key for k in KINDS.values() for f in k.fields}  # type: ignore[attr-defined]
    assert {k for k in CATALOGUE if k.startswith("said.form.")} == forms
    unused = [k for k in CATALOGUE if k.startswith("said.") and k not in calls
              and k.removeprefix("said.node.") not in REFERENCED and k.removeprefix("said.field.") not in fields
              and k.removeprefix("said.rel.") not in REL_TYPES and k not in forms
              and k.removeprefix("said.date_pattern.") not in DATE_PATTERNS]
    assert unused == []
    assert {f"said.rel.{t}" for t in REL_TYPES} <= set(CATALOGUE)  # a merge names what it moved
    assert {f"said.date_pattern.{p}" for p in DATE_PATTERNS} <= set(CATALOGUE)  # a date not in its format
    assert {f"said.node.{label}" for label in REFERENCED} <= set(CATALOGUE)
    assert {k for k in CATALOGUE if k.startswith("said.field.")} == {f"said.field.{name}" for name in fields}


def test_a_said_sentence_is_english_text_and_dutch_on_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    s = said("said.file.too_many_rows", "{name} has more than {n} rows, the limit; split it.", name="a.csv",
             n=1_000_000)
    assert s == "a.csv has more than 1,000,000 rows, the limit; split it."  # the CLI and the JSON report
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert say(s) == "a.csv heeft meer dan 1.000.000 rijen, de grens; splits het bestand."
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert say(s) == str(s)
    assert say("a plain sentence") == "a plain sentence" and say(None) == ""


def test_a_said_sentence_survives_pickling_copying_and_exceptions() -> None:
    s = said("said.ingest.duplicate_row", "duplicate of row {row}", row="3")
    for copy in (pickle.loads(pickle.dumps(s)), deepcopy(s), message_of(ValueError(s))):
        assert isinstance(copy, Said) and copy == s and copy.key == s.key and copy.params == {"row": "3"}
    assert message_of(ValueError("plain")) == "plain"


def test_the_ingest_report_reasons_are_dutch_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from ingest.mapping import mapping_from_dict
    from ingest.validate import check_row

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    mapping = mapping_from_dict({"name": "t", "kind": "goal", "source": "T", "fields": {
        "id": {"column": "nr"}, "plan_id": {"column": "plan"}, "life_domain": {"column": "domein"},
        "description": {"column": "tekst"}, "since": {"column": "sinds", "type": "date"},
        "status_since": {"column": "bereikt", "type": "date"}}})
    index = {"nr": 0, "plan": 1, "domein": 2, "tekst": 3, "sinds": 4, "bereikt": 5}
    row, problems = check_row(mapping, index, "doelen.csv", 2, ["1", "", "WONEN", "x", "01-05-2009", "31-02-2009"],
                              date(2026, 1, 1))
    assert row is None
    assert sorted(say(p.reason) for p in problems) == ["datum bestaat niet", "verplichte waarde is leeg"]
    row, problems = check_row(mapping, index, "doelen.csv", 2, ["1", "P", "WONEN", "x", "01-05-2009", "01-04-2009"],
                              date(2026, 1, 1))
    assert [str(p.reason) for p in problems] == ["status_since is before since"]  # the CLI names the fields
    assert [say(p.reason) for p in problems] == ["de datum van de status ligt vóór de begindatum"]
    assert [say(p.reason, lang="en") for p in problems] == ["the date of the status is before the start date"]


@pytest.mark.parametrize("fmt", ["dd-mm-yyyy", "dd-mm-jjjj", "yyyy/mm/dd", "jjjj.mm.dd"])
def test_a_date_not_in_its_format_names_the_format_in_the_pages_letters(fmt: str) -> None:
    """A mapping's date format is said as a Dutch steward writes it (jjjj for the year) on a page, as written in
    the CLI; a mapping may give it either way."""
    from datetime import date

    from ingest.mapping import mapping_from_dict
    from ingest.validate import check_row

    mapping = mapping_from_dict({"name": "t", "kind": "goal", "source": "T", "fields": {
        "id": {"column": "nr"}, "plan_id": {"column": "plan"}, "life_domain": {"column": "domein"},
        "description": {"column": "tekst"}, "since": {"column": "sinds", "type": "date", "format": fmt}}})
    index = {"nr": 0, "plan": 1, "domein": 2, "tekst": 3, "sinds": 4}
    english = fmt.replace("jjjj", "yyyy")
    good = "2009-05-01" if english.startswith("yyyy") else "01-05-2009"
    row, _ = check_row(mapping, index, "doelen.csv", 2, ["1", "P", "WONEN", "x", good.replace("-", english[2 if
                       english.startswith("dd") else 4])], date(2026, 1, 1))
    assert row is not None and row["since"] == date(2009, 5, 1)
    _, problems = check_row(mapping, index, "doelen.csv", 2, ["1", "P", "WONEN", "x", "1 mei 2009"], date(2026, 1, 1))
    assert [say(p.reason) for p in problems] == [f"datum niet in de vorm {english.replace('yyyy', 'jjjj')}"]
    assert [str(p.reason) for p in problems] == [f"date not in the format {english}"]
    assert [say(p.reason, lang="en") for p in problems] == [f"date not in the format {english}"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_end_before_its_start_is_said_with_the_fields_labels(lang: str) -> None:
    """Every pair of date fields the row check compares: the reason names no raw field on a page."""
    from datetime import date

    from graph.profile import code_values
    from ingest.mapping import ALLOWED, BSN_FIELDS, SOURCE_KINDS, mapping_from_dict
    from ingest.validate import DATE_ORDER, check_row

    def constant(kind: str, name: str) -> object:  # a valid value for a field the test does not look at
        codes = ALLOWED.get((kind, name)) or ALLOWED.get(("*", name))
        return code_values(codes)[0] if codes else "2009-01-01" if name in ("date", "since", "signed_at") else "x"

    for start, end in DATE_ORDER:
        kind = next(k for k, s in SOURCE_KINDS.items() if start in s.fields and end in s.fields)
        fields: dict[str, object] = {start: {"column": "a", "type": "date"}, end: {"column": "b", "type": "date"}}
        for group in SOURCE_KINDS[kind].subjects:
            for name in next(g for g in group if not set(g) & set(BSN_FIELDS)):
                fields.setdefault(name, {"constant": constant(kind, name)})
        for name in SOURCE_KINDS[kind].required:
            fields.setdefault(name, {"constant": constant(kind, name)})
        mapping = mapping_from_dict({"name": "t", "kind": kind, "source": "T", "fields": fields})
        _, problems = check_row(mapping, {"a": 0, "b": 1}, "f.csv", 2, ["01-05-2009", "01-04-2009"],
                                date(2026, 1, 1))
        reasons = [say(p.reason, lang=lang) for p in problems if p.code == "end_before_start"]
        assert reasons, (kind, start, end, [str(p.reason) for p in problems])
        raw = {start, end} - ({"date"} if lang == "en" else set())  # "date" is also an English word
        for reason in reasons:
            assert not raw & set(reason.split()), reason


def test_a_merge_summary_names_relationships_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.merge import MergeResult

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    result = MergeResult("P-1", "P-2", {"<HAS_MEMBER": 1, "<CONCERNS": 2}, {"IN_CLIENT_SYSTEM>": 1}, 1)
    summary = result.summary()
    assert summary == ("P-2 merged into P-1: 3 relationships moved (<CONCERNS 2, <HAS_MEMBER 1); "
                       "IN_CLIENT_SYSTEM> 1 already held by the survivor (kept once); 1 between the two dropped.")
    assert say(summary) == ("P-2 samengevoegd in P-1: 3 relaties verplaatst (betrokkenheden en verwijzingen: 2, lid "
                            "van een huishouden: 1); in een cliëntsysteem: 1 had de overblijvende persoon al (één keer "
                            "bewaard); 1 tussen de twee vervallen.")
    assert say(summary, lang="en").startswith("P-2 merged into P-1: 3 relationships moved (involvements and referrals 2")
    assert not re.search(r"[A-Z]{2,}_|[<>]", say(summary)), say(summary)


def test_docstring_examples() -> None:
    import doctest

    import app.i18n
    import graph.said
    import ingest.intake
    import queries.household

    for module in (graph.said, app.i18n, queries.household, ingest.intake):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_a_refusal_is_english_in_the_cli_and_dutch_on_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import user_message
    from graph.errors import AccessDenied
    from queries.access import Actor, Role, check_household_request
    from queries.audit import AuditLog

    monkeypatch.setenv("WIJKNET_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    lead = Actor("lead", Role.PROJECT_LEAD, "Gemeente", None)
    with pytest.raises(AccessDenied) as caught:
        check_household_request(AuditLog(tmp_path / "audit.sqlite"), lead, "HH-1", purpose="home_visit_preparation")
    assert str(caught.value) == "Your role (project_lead) may not open a household."
    assert user_message(caught.value) == "Uw rol (projectleider) mag geen huishouden openen."


def test_a_consent_row_withdrawn_before_it_was_signed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's consent withdrawn (until) before it was signed was loaded: a consent in force on no day."""
    from datetime import date

    from ingest.mapping import mapping_from_dict
    from ingest.validate import check_row

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    mapping = mapping_from_dict({"name": "t", "kind": "consent", "source": "T", "fields": {
        "id": {"constant": "CNS-1"}, "organisation_id": {"constant": "O-1"},
        "scope": {"constant": "inzage dossier"}, "person_source_id": {"constant": "P-1"},
        "signed_at": {"column": "a", "type": "date"}, "until": {"column": "b", "type": "date"}}})
    row, problems = check_row(mapping, {"a": 0, "b": 1}, "toestemming.csv", 2, ["01-05-2009", "01-04-2009"],
                              date(2026, 1, 1))
    assert row is None
    assert [say(p.reason) for p in problems] == ["de einddatum ligt vóór de datum van ondertekening"]
