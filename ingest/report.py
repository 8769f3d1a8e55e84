"""Stage *report*: what a run tells the data steward — the report files and the rejects file.

The report itself (:class:`ingest.validate.Report`: rows read = loaded + rejected, problems with the row's key
and the cell as written, notes) is filled by every stage; here it is written next to the export's other
reports: ``<file>.report.txt``/``.csv``/``.json`` and, when valid rows were loaded beside rejected ones,
``<file>.rejects.csv`` (row numbers, row keys, masked cells, reasons — never the clear row). Those files keep
English headings and reasons, comma-separated (scripts read them). The *Load data* page's download is
:func:`steward_csv`: the same problems as the page shows them, for the source system's owner who opens it in
a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.validate import Report, spreadsheet_safe

__all__ = ["steward_csv", "write_reports"]


def write_reports(report: Report, report_dir: Path | None, path: Path) -> None:
    """Write the report files of ``path``'s run into ``report_dir`` (nothing without one)."""
    if report_dir is None:
        return
    paths = report.write(report_dir, path.name)
    if report.problem_count and report.status == "loaded":
        rejects = report_dir / f"{path.name}.rejects.csv"
        rejects.write_text(report.to_csv(), encoding="utf-8")
        report.rejects_file = str(rejects)
        paths[0].write_text(report.to_text(max_lines=10_000), encoding="utf-8")


def steward_csv(report: Report, headings: Sequence[str], words: Callable[[str], str]) -> bytes:
    """The report's problems as a page shows them, as a file for a spreadsheet: the seven ``headings`` (file,
    row, key, column, value, reason, code) in the page's language, each value and reason put into words by
    ``words`` (the page's :func:`app.i18n.say`), ``;``-separated (Dutch Excel reads a comma file as one column),
    UTF-8 with a byte order mark (without one Excel reads é and ë as two characters each), every cell through the
    spreadsheet-injection rule (:func:`ingest.validate.spreadsheet_safe`)."""
    if len(headings) != 7:
        raise ValueError(f"steward_csv needs 7 headings, got {len(headings)}")
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")  # CRLF: a carriage return in a value is quoted
    w.writerow(headings)
    for f in report.file_problems:
        w.writerow([spreadsheet_safe(v) for v in (report.file, "", "", "", "", words(f), "file")])
    for p in report.problems:
        w.writerow([spreadsheet_safe(v) for v in (p.file, p.row or "", p.key, p.column, words(p.value),
                                                  words(p.reason), p.code)])
    return out.getvalue().encode("utf-8-sig")
