"""Stage *report*: what a run tells the data steward — the report files and the rejects file.

The report itself (:class:`ingest.validate.Report`: rows read = loaded + rejected, problems with the row's key
and the cell as written, notes) is filled by every stage; here it is written next to the export's other
reports: ``<file>.report.txt``/``.csv``/``.json`` and, when valid rows were loaded beside rejected ones,
``<file>.rejects.csv`` (row numbers, row keys, masked cells, reasons — never the clear row).
"""

from __future__ import annotations

from pathlib import Path

from ingest.validate import Report

__all__ = ["write_reports"]


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
