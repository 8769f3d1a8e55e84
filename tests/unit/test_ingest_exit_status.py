"""`wijknet ingest`'s exit status per outcome: a script runs the nightly load and acts on it."""

from __future__ import annotations

import pytest

import app.cli  # noqa: F401  (the command modules are loaded through the CLI that wires them)
from app.commands.ingest import EXIT_FILE_REJECTED, EXIT_OK, EXIT_ROWS_REJECTED, exit_status
from ingest.validate import Report


def _r(status: str, read: int, loaded: int, rejected: int, problems: tuple[str, ...] = ()) -> Report:
    return Report("f.csv", "m", status=status, rows_read=read, rows_valid=read - rejected, rows_loaded=loaded,
                  rows_rejected=rejected, file_problems=list(problems))


@pytest.mark.parametrize(("reports", "expected"), [
    ([_r("loaded", 5, 5, 0)], EXIT_OK),
    ([_r("loaded", 5, 4, 1)], EXIT_ROWS_REJECTED),
    ([_r("rejected", 5, 0, 5, ("bad encoding",))], EXIT_FILE_REJECTED),
    ([_r("loaded", 5, 0, 5)], EXIT_FILE_REJECTED),
    # Loaded before (same file hash): nothing happens now, so nothing was rejected now — the report repeats the
    # first import's numbers, which a script must not read as new rejections.
    ([_r("already_imported", 5, 4, 1)], EXIT_OK),
    ([_r("already_imported", 5, 4, 1), _r("loaded", 3, 2, 1)], EXIT_ROWS_REJECTED),
])
def test_exit_status(reports: list[Report], expected: int) -> None:
    assert exit_status(reports) == expected
