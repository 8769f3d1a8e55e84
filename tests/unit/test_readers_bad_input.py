"""Bad files found by an outside test (issue 17, part 6), each fixed at the reader: an oversized field, an
unbalanced quote, mixed encodings, a symlink or a non-regular file, an over-long or odd upload name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.readers import UPLOAD_LIMITS, FileProblem, check_upload_name, open_table, receive_upload

HEADER = "bsn;naam;datum\n"


def _rows(path: Path) -> list[tuple[int, list[object] | None, str]]:
    return list(open_table(path).rows())


def test_an_oversized_field_is_a_row_problem_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "groot.csv"
    path.write_text(HEADER + "111222333;Jan;01-01-2009\n111222333;" + "x" * 5_000_000 + ";02-01-2009\n"
                    "111222333;Piet;03-01-2009\n", encoding="utf-8")
    rows = _rows(path)
    assert [n for n, _, _ in rows] == [2, 3, 4]
    n, cells, reason = rows[1]
    assert cells is None
    assert "naam" in reason and "5,000,000 characters" in reason
    assert rows[2][1] == ["111222333", "Piet", "03-01-2009"]


def test_an_unbalanced_quote_never_swallows_rows_silently(tmp_path: Path) -> None:
    lines = [f"111222333;Naam {i};0{i % 9 + 1}-01-2009" for i in range(20)]
    lines[3] = '111222333;"Naam 3;04-01-2009'
    path = tmp_path / "quote.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FileProblem, match=r"line 5.*quote") as exc:
        _rows(path)
    assert "Naam" not in str(exc.value)


def test_an_unbalanced_quote_in_the_last_column_is_found_too(tmp_path: Path) -> None:
    path = tmp_path / "quote_last.csv"
    path.write_text(HEADER + '111222333;Jan;"01-01-2009\n111222333;Piet;02-01-2009\n111222333;Kees;03-01-2009\n',
                    encoding="utf-8")
    with pytest.raises(FileProblem, match=r"line 2.*quote"):
        _rows(path)


def test_a_quoted_line_break_inside_a_value_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(HEADER + '111222333;"Jan\nde Vries";01-01-2009\n111222333;Piet;02-01-2009\n', encoding="utf-8")
    rows = _rows(path)
    assert [cells for _, cells, _ in rows] == [["111222333", "Jan\nde Vries", "01-01-2009"],
                                               ["111222333", "Piet", "02-01-2009"]]


@pytest.mark.parametrize("text", ["Ë", "ö", "é", "€", "ü", "ß", "–", "“"])
def test_a_file_mixing_utf8_and_cp1252_lines_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode() + f"111222333;{text}lbers;01-01-2009\n".encode()
                     + f"111222333;Br{text}k;02-01-2009\n".encode("cp1252"))
    with pytest.raises(FileProblem, match=r"(?i)mixes.*line 2.*line 3|mixes.*line 3.*line 2"):
        _rows(path)


@pytest.mark.parametrize("text", ["Ë", "ö", "é", "€", "ü", "–", "“"])
def test_utf8_saved_as_cp1252_and_again_as_utf8_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "double.csv"
    garbled = text.encode("utf-8").decode("cp1252", errors="replace")
    path.write_text(HEADER + f"111222333;{garbled}lbers;01-01-2009\n", encoding="utf-8")
    with pytest.raises(FileProblem, match="double-encoded"):
        _rows(path)


def test_plain_cp1252_dutch_text_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes((HEADER + "111222333;Anaïs Müller-Öztürk é ë € – “x”;01-01-2009\n").encode("cp1252"))
    rows = _rows(path)
    assert rows[0][1] == ["111222333", "Anaïs Müller-Öztürk é ë € – “x”", "01-01-2009"]


@pytest.mark.parametrize("declared", ["cp1252", "latin-1", "iso-8859-15"])
def test_a_utf8_export_under_a_mapping_declaring_a_code_page_is_read_as_utf8_and_said(tmp_path: Path,
                                                                                       declared: str) -> None:
    """Observed: the shipped BRP mapping declares cp1252; a UTF-8 export under it stored "ZoÃ« Peeters"."""
    path = tmp_path / "brp.csv"
    path.write_text(HEADER + "111222333;Zoë Peeters – ’t Hof;01-01-2009\n", encoding="utf-8")
    table = open_table(path, encoding=declared)
    assert [cells for _, cells, _ in table.rows()] == [["111222333", "Zoë Peeters – ’t Hof", "01-01-2009"]]
    assert any("the file is UTF-8: read as UTF-8" in n and declared in n for n in table.notes), table.notes


@pytest.mark.parametrize("declared", ["cp1252", "latin-1"])
def test_a_code_page_export_under_its_declared_code_page_is_read_as_declared(tmp_path: Path, declared: str) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes((HEADER + "111222333;Zoë Anaïs Müller;01-01-2009\n").encode(declared))
    table = open_table(path, encoding=declared)
    assert [cells for _, cells, _ in table.rows()] == [["111222333", "Zoë Anaïs Müller", "01-01-2009"]]
    assert not any("UTF-8" in n for n in table.notes)
    ascii_only = tmp_path / "ascii.csv"  # plain ASCII is both: read as declared, nothing to say
    ascii_only.write_text(HEADER + "111222333;Jan;01-01-2009\n", encoding="ascii")
    assert not any("UTF-8" in n for n in open_table(ascii_only, encoding=declared).notes)


def test_a_symlink_is_refused_and_nothing_of_its_target_is_shown(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:geheim\n", encoding="utf-8")
    link = tmp_path / "export.csv"
    link.symlink_to(secret)
    with pytest.raises(FileProblem, match="symbolic link") as exc:
        open_table(link)
    assert "geheim" not in str(exc.value) and "root" not in str(exc.value)


def test_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not a regular file"):
        open_table(fifo)


@pytest.mark.parametrize("name", ["a" * 300 + ".csv", "export\n2009.csv", "export\x1b[31m.csv", "export\u202e.csv",
                                  "  .csv"])
def test_over_long_or_odd_upload_names_are_refused_with_a_sentence(name: str, tmp_path: Path) -> None:
    with pytest.raises(FileProblem):
        check_upload_name(name)
    with pytest.raises(FileProblem):
        receive_upload(name, b"a;b\n1;2\n", tmp_path, UPLOAD_LIMITS)
    assert list(tmp_path.iterdir()) == []


def test_an_ordinary_upload_name_is_kept() -> None:
    assert check_upload_name("Export wijkteam (december) 2009-12.csv") == "Export wijkteam (december) 2009-12.csv"


def test_rows_keep_their_numbers_after_a_blank_line(tmp_path: Path) -> None:
    """An outside review: after an empty line (or one of delimiters only) every later row was reported one too
    low, in CSV and Excel alike, so the steward looked for a bad date on the wrong line. Blank lines are skipped
    but counted: a row's number is the line (the Excel row) it is on, the header being 1."""
    import openpyxl

    path = tmp_path / "leeg.csv"
    path.write_text(HEADER + "111222333;Jan;01-01-2009\n\n;;\n111222333;Piet;31-09-2009\n", encoding="utf-8")
    assert [(n, cells) for n, cells, _ in _rows(path)] == [
        (2, ["111222333", "Jan", "01-01-2009"]), (5, ["111222333", "Piet", "31-09-2009"])]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["bsn", "naam", "datum"], ["111222333", "Jan", "01-01-2009"], [None, None, None],
                ["111222333", "Piet", "31-09-2009"]):
        sheet.append(row)
    xlsx = tmp_path / "leeg.xlsx"
    book.save(xlsx)
    assert [n for n, _, _ in _rows(xlsx)] == [2, 4]
