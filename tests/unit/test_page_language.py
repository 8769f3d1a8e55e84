"""What a page shows in the page's language, from the catalogue: the explanation sheet of an exported workbook
(the CLI's exports stay English) and a signal's kind and status in the inbox."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from app.i18n import t
from queries.analytics.disclosure import SUPPRESSED
from queries.analytics.exports import to_excel_bytes
from tests.english import english_words


def _readme(data: bytes) -> tuple[str, list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    return sheet.title, [str(c.value) for c in sheet["A"]]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_workbooks_explanation_is_in_the_pages_language(lang: str) -> None:
    table = pd.DataFrame({"Huishoudens": [12, None]}, index=pd.Index(["Wijk A", "Wijk B"], name="Wijk"))
    readme = (t("export.readme", lang=lang), t("export.heading", lang=lang),
              t("export.legend", lang=lang, x=SUPPRESSED))
    title, lines = _readme(to_excel_bytes({"verdeling": table}, t("export.note", lang=lang), readme=readme))
    assert title == readme[0] and lines == [readme[1], t("export.note", lang=lang), readme[2]]
    if lang == "nl":
        assert english_words(" ".join([title, *lines])) == [], lines


def test_the_cli_workbook_stays_english() -> None:
    title, lines = _readme(to_excel_bytes({"t": pd.DataFrame({"n": [1]})}))
    assert title == "Read me" and lines[1] == "Aggregates with disclosure control."


def test_every_signal_kind_and_status_has_words() -> None:
    """The inbox names a signal's kind and status from the catalogue (never the stored identifier)."""
    from app.catalogue import CATALOGUE
    from graph.notice_rules import NOTICE_KINDS
    from queries.notices import NOTICE_STATUSES

    assert {f"notice.kind.{k}" for k in NOTICE_KINDS} <= set(CATALOGUE)
    assert {f"notice.status.{s}" for s in NOTICE_STATUSES} <= set(CATALOGUE)
    assert all(CATALOGUE[f"notice.kind.{k}"][0] == v.title_nl for k, v in NOTICE_KINDS.items())


def test_the_overlap_pages_flag_tables_have_dutch_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two flag tables of the overlap page (queries.aggregates._flag_cube) and their exports."""
    from app.aggregate_widgets import localised

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    for label in ("2+ organisations on one member and domain", "dubbele casemanager"):
        table = pd.DataFrame({label: [3], "other households": [40]}, index=pd.Index(["A1"], name="area"))
        shown = localised(table)
        headers = " ".join(map(str, [*shown.columns, *shown.index.names]))
        assert english_words(headers) == [] and "organisations" not in headers, headers


def test_a_recorded_fact_reads_in_the_apps_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coach's workspace (app/workspace.py: fact_line, also in the brief): Dutch as before, English by the
    setting."""
    from datetime import date

    from app.workspace import fact_line
    from queries.workspace import Fact, Member, Workspace

    ws = Workspace("HH", [Member("m1", "Anna", "moeder")], [])
    advice = Fact("advice", "ADV-1", 1, {"date": date(2009, 3, 1), "decision_type": "woningtoewijzing",
                                         "organisation_name": "Domijn", "decision_asked": "urgentie"}, None, None)
    support = Fact("informal_support", "P-1>m1", 1, {"name": "Henk", "neighbour": True, "support": "boodschappen",
                                                     "member_id": "m1", "since": date(2009, 1, 1),
                                                     "until": date(2009, 6, 30)}, None, None)
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert fact_line(ws, advice) == "Advies 01-03-2009 onder mandaat woningtoewijzing (Domijn): urgentie · wacht op besluit"
    assert fact_line(ws, support) == "Henk (buur: boodschappen) voor Anna, sinds 01-01-2009 t/m 30-06-2009"
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert fact_line(ws, advice) == ("Advice 01-03-2009 under mandate allocation of a dwelling (Domijn): urgentie · "
                                     "awaiting a decision")
    assert fact_line(ws, support) == "Henk (neighbour: boodschappen) for Anna, since 01-01-2009 through 30-06-2009"


def test_the_maps_controls_speak_the_apps_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ecomap import _TOOLS, _toolbar
    from app.orgmap import orgmap_html

    nodes = pd.DataFrame({"name": ["Alifa", "SMD"], "group": ["a", "b"]}, index=pd.Index(["o1", "o2"]))
    edges = pd.DataFrame({"source": ["o1"], "target": ["o2"], "n": [3]})
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert "Passend" in _toolbar() and "Zoek naam of organisatie" in _toolbar()
    page = orgmap_html(nodes, edges, color="group", colours={"a": "#000", "b": "#111"})
    assert "Toon banden vanaf" in page and "Geen banden boven de drempel." in page
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert "Fit" in _toolbar() and "Passend" not in _toolbar()
    page = orgmap_html(nodes, edges, color="group", colours={"a": "#000", "b": "#111"})
    assert "Show ties from" in page and "No ties above the threshold." in page and "banden" not in page
    assert "__FOUND__" in _TOOLS  # filled per page by ecomap_html, in the page's language


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_workspace_shows_code_values_in_the_pages_language(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A recorded fact's coded values (an advice's decision, a goal's state) in the page's language."""
    from app.workspace import _code
    from graph.model import CODE_LISTS

    monkeypatch.setenv("WIJKNET_LANGUAGE", lang)
    for name in ("advice_outcome", "goal_status", "agreement_kind", "agreement_status", "life_domain"):
        for code in CODE_LISTS[name].codes:
            assert _code(name, code.value) == (code.nl if lang == "nl" else code.en), (name, code.value)
    assert _code("advice_outcome", None) == ""


def test_a_threshold_signal_is_said_in_the_pages_language() -> None:
    from app.notices_ui import detail_text
    from queries.notices import NoticeEntry

    fields = dict.fromkeys(NoticeEntry.__dataclass_fields__)
    e = NoticeEntry(**{**fields, "kind": "double_casemanager", "detail": "2 actieve professionals met functie x",
                       "args": ("2", "schuldhulpverlener")})
    assert detail_text(e, "en") == "2 active casemanagers with the function schuldhulpverlener"
    assert detail_text(e, "nl") == "2 actieve casemanagers met functie schuldhulpverlener"
    older = NoticeEntry(**{**fields, "kind": "ping_pong", "detail": "pingpong tussen A en B", "args": ()})
    assert detail_text(older, "en") == "pingpong tussen A en B"  # made before signals kept their values


def test_no_dutch_sentence_of_the_catalogue_has_an_english_word() -> None:
    """Every Dutch text of the catalogue, its placeholders ({name}) and code (`wijknet ...`) left out, reads as
    Dutch (the handover page said "seed 2008" beside "modulariteit")."""
    import re

    from app.catalogue import CATALOGUE

    def words(text: str) -> str:
        return re.sub(r"\{[^}]*\}|`[^`]*`", " ", text)

    assert {key: english_words(words(nl)) for key, (nl, _) in CATALOGUE.items() if english_words(words(nl))} == {}
