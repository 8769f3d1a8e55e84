"""The pages' Excel downloads: counts and decimals are numbers a spreadsheet adds up (only a hidden cell is the
text ``x``), and the *Lees mij* sheet says what the export is — page, table, filters and k. The CSV for programs
keeps its form (a column with a hidden cell is text, decimals with a point); the pages' Dutch CSV is Dutch Excel's
(``;``, decimal comma, byte order mark; docs/security.md, "Exports")."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from queries.analytics.exports import to_csv_bytes, to_excel_bytes


def _overlap_like() -> pd.DataFrame:
    """As the overlap page's tables come: Int64 counts with one hidden cell, a mean with one hidden cell."""
    return pd.DataFrame({"1": pd.array([165, 1113, pd.NA], dtype="Int64"),
                         "2": pd.array([20, 30, 40], dtype="Int64"),
                         "mean": pd.array([8.15, pd.NA, 2.5], dtype="Float64")},
                        index=pd.Index(["Noord", "Zuid", "Totaal"], name="Wijk"))


def _trend_like() -> pd.DataFrame:
    """The trend: every column has a hidden quarter somewhere."""
    return pd.DataFrame({"0": pd.array([pd.NA, 12, 14], dtype="Int64"), "1": pd.array([7, pd.NA, 9], dtype="Int64")},
                        index=pd.Index(["2012 K1", "2012 K2", "2012 K3"], name="Kwartaal"))


def _sheet(data: bytes, name: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_counts_and_decimals_in_excel_are_numbers_and_only_a_hidden_cell_is_text() -> None:
    book = to_excel_bytes({"verdeling": _overlap_like(), "trend": _trend_like()})
    assert _sheet(book, "verdeling") == [["Wijk", "1", "2", "mean"], ["Noord", 165, 20, 8.15],
                                        ["Zuid", 1113, 30, "x"], ["Totaal", "x", 40, 2.5]]
    assert _sheet(book, "trend") == [["Kwartaal", "0", "1"], ["2012 K1", "x", 7], ["2012 K2", 12, "x"],
                                    ["2012 K3", 14, 9]]
    # what SUM sees: the numeric cells (text counts as nothing)
    ws = openpyxl.load_workbook(io.BytesIO(book))["verdeling"]
    assert sum(c.value for c in ws["B"] if c.data_type == "n") == 165 + 1113
    assert [c.data_type for c in ws["D"][1:]] == ["n", "s", "n"]


def test_the_csv_keeps_its_form_with_decimal_points() -> None:
    rows = list(csv.reader(io.StringIO(to_csv_bytes(_overlap_like()).decode(), newline="")))
    assert rows == [["Wijk", "1", "2", "mean"], ["Noord", "165", "20", "8.15"], ["Zuid", "1113", "30", "x"],
                    ["Totaal", "x", "40", "2.5"]]


def test_the_read_me_sheet_says_what_the_export_is(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.aggregate_widgets import export_about

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    about = export_about({"as_of": date(2012, 12, 31), "area": "WK01", "life_domain": None},
                         page="Overlappende casemanagers", table="Verdeling per wijk", k=10,
                         area_label={None: "Alle wijken", "WK01": "Noord (experimentwijk)"})
    assert about == ["Pagina: Overlappende casemanagers", "Tabel: Verdeling per wijk", "Peildatum: 31-12-2012",
                     "Wijk: Noord (experimentwijk)", "Leefgebied: Alle leefgebieden",
                     "k = 10: een aantal kleiner dan 10 is niet getoond."]
    period = export_about({"start": date(2012, 1, 1), "end": date(2012, 12, 31), "area": None,
                           "life_domain": "WONEN", "derived": True, "gap_days": 60}, page="Overdrachtclusters",
                          table=None, k=15)
    assert period[1:4] == ["Periode: 01-01-2012 t/m 31-12-2012", "Wijk: Alle wijken", "Leefgebied: wonen"]
    assert period[4:6] == ["Afgeleide overdrachten meetellen: ja", "Gat (dagen): 60"]  # the gap, in Dutch
    book = to_excel_bytes({"verdeling": _overlap_like()}, "Aantallen met openbaarmakingscontrole.",
                          readme=("Lees mij", "wijknet-export", "'x' = verborgen"), about=about)
    lines = [row[0] for row in _sheet(book, "Lees mij")]
    assert lines[:4] == ["wijknet-export", "Pagina: Overlappende casemanagers", "Tabel: Verdeling per wijk",
                         "Peildatum: 31-12-2012"]
    assert "k = 10: een aantal kleiner dan 10 is niet getoond." in lines


@pytest.mark.parametrize("names", [["Van", "Naar"], [None, None]])
def test_a_table_with_two_row_labels_exports_to_csv_and_excel(names: list[str | None]) -> None:
    """The collaboration map's table (van, naar, aantal) has two row labels: a review commit named an unnamed row
    label with ``rename_axis``, which refuses a two-level index, so its CSV and Excel downloads failed in the app
    (the button gave nothing; CI waited 30 s for the file). Named levels keep their names, unnamed ones are headed
    ``group_1``, ``group_2``. In Excel every row carries its own labels: merged cells left "OC, x" without its
    "OA" once sorted."""
    table = pd.DataFrame({"n": pd.array([15, pd.NA], dtype="Int64")},
                         index=pd.MultiIndex.from_tuples([("OA", "OB"), ("OA", "OC")], names=names))
    rows = list(csv.reader(io.StringIO(to_csv_bytes(table).decode())))
    heading = [names[0] or "group_1", names[1] or "group_2", "n"]
    assert rows == [heading, ["OA", "OB", "15"], ["OA", "OC", "x"]]
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Kaart": table})))["Kaart"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [heading, ["OA", "OB", 15], ["OA", "OC", "x"]]


def test_the_dutch_csv_opens_in_dutch_excel_with_its_numbers() -> None:
    # Dutch Excel splits a CSV on ';' and reads '8,15' as a number; a comma file was one column, '8.15' a date or
    # text, and without a byte order mark 'Zoë' was read as 'ZoÃ«'.
    table = _overlap_like().rename(index={"Noord": "Zoë-Noord"})
    table["change"] = [-0.5, 1.25, None]
    raw = to_csv_bytes(table, dutch=True)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Wijk", "1", "2", "mean", "change"],
                    ["Zoë-Noord", "165", "20", "8,15", "-0,5"],
                    ["Zuid", "1113", "30", "x", "1,25"],
                    ["Totaal", "x", "40", "2,5", "x"]]


def test_the_dutch_csv_keeps_a_formula_inert_and_labels_of_two_levels() -> None:
    pairs = pd.DataFrame({"n": pd.array([15, pd.NA], dtype="Int64")},
                         index=pd.MultiIndex.from_tuples([("=HYPERLINK(\"http://x\")", "B"), ("A", "B")]))
    rows = list(csv.reader(io.StringIO(to_csv_bytes(pairs, dutch=True).decode("utf-8-sig")), delimiter=";"))
    assert rows == [["group_1", "group_2", "n"], ["'=HYPERLINK(\"http://x\")", "B", "15"], ["A", "B", "x"]]


def test_an_export_is_named_by_its_table_period_and_area() -> None:
    # "collaboration_metrics.csv" for every area and period: the next download overwrote the last, and its
    # name was English
    from app.aggregate_widgets import export_file_name, sheet_names

    assert export_file_name("Actieve casemanagers per huishouden", {"as_of": date(2008, 9, 30), "area": "SVZ"},
                            {"SVZ": "Stadsveld-Zuid (controlewijk)"}) == \
        "actieve-casemanagers-per-huishouden-30-09-2008-stadsveld-zuid-controlewijk"
    assert export_file_name("Wie geeft door aan wie?", {"start": date(2008, 1, 1), "end": date(2008, 12, 31),
                                                       "area": None}) == "wie-geeft-door-aan-wie-01-01-2008-31-12-2008"
    # the trend and the coach effect do not depend on the peildatum: named by their years and the day measured up
    # to (a review's downloads of 30-09-2004 held 2004-2012 and intakes up to 2012)
    assert export_file_name("Trend per kwartaal", {"years": "2004-2012", "area": None}) == "trend-per-kwartaal-2004-2012"
    # and the life domain by its meaning: a "wonen" download had the unfiltered one's name (an outside walk)
    assert export_file_name("Trend per kwartaal", {"years": "2004-2012", "life_domain": "WONEN"}) == \
        "trend-per-kwartaal-2004-2012-wonen"
    assert export_file_name("Voor en na de intake door de wijkcoach", {"until": date(2012, 12, 31), "area": "SVZ"},
                            {"SVZ": "Stadsveld-Zuid (controlewijk)"}) == \
        "voor-en-na-de-intake-door-de-wijkcoach-tot-en-met-31-12-2012-stadsveld-zuid-controlewijk"
    from app.aggregate_widgets import export_about

    about = export_about({"until": date(2012, 12, 31), "area": None, "life_domain": None}, page="Overlap",
                         table="Voor en na", k=10)
    assert "Gemeten tot en met: 31-12-2012 (de laatste dag met gegevens; de peildatum van de pagina telt hier " \
           "niet)" in about and not any(line.startswith("Peildatum") for line in about)
    assert export_file_name("Ülkü's team / ☺", {}) == "ulku-s-team"
    assert export_file_name("☺", {}) == "wijknet"
    assert sheet_names(["Lees mij", "Actieve casemanagers per huishouden", "pingpong", "Lees mij"]) == \
        ["Lees mij", "Actieve casemanagers per huisho", "pingpong", "Lees mij (2)"]
    assert sheet_names(["a/b:c", "x" * 40, "x" * 40]) == ["abc", "x" * 31, "x" * 27 + " (2)"]
