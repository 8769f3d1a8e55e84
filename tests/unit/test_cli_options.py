"""What the commands' options take before anything is read or written (found by a steward's first load): one
date rule for every command, a retention period with its unit, an outbox folder that is a folder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from app.cli import app
from app.commands import option_date
from graph.clock import today as dutch_today


@pytest.mark.parametrize("text", ["31-12-2008", "2008-12-31", " 31-12-2008 ", "31-12-2008"])
def test_a_date_option_takes_the_dutch_and_the_iso_form(text: str) -> None:
    assert option_date(text, "--as-of") == date(2008, 12, 31)


@pytest.mark.parametrize(("text", "said"), [
    ("2008/12/31x", "is not a date: write dd-mm-yyyy or yyyy-mm-dd"),
    ("gisteren", "is not a date: write dd-mm-yyyy or yyyy-mm-dd"),
    # a date written rightly of a day the calendar lacks is said so (an outside test read "is not a date")
    ("31-13-2008", "'31-13-2008' is not a day of the calendar"),
    ("30-02-2009", "'30-02-2009' is not a day of the calendar"),
])
def test_a_date_option_that_is_no_date_says_how_to_write_one(text: str, said: str) -> None:
    """A usage error (status 2 on the command line, as an unknown option), not a failure of the command."""
    with pytest.raises(typer.BadParameter, match=said):
        option_date(text, "--as-of")


def test_a_date_option_can_refuse_a_day_to_come() -> None:
    today = dutch_today()
    assert option_date(f"{today:%d-%m-%Y}", "--as-of", not_after=today) == today
    with pytest.raises(typer.BadParameter, match="is after"):
        option_date(f"{today + timedelta(days=1):%d-%m-%Y}", "--as-of", not_after=today)


@pytest.mark.parametrize(("args", "said"), [
    (["--older-than", "2"], "'2' has no unit: write 2d for days or 2y for years"),
    (["--older-than", "99999y"], "is not a retention period"),
    (["--older-than", "0d"], "is not a retention period"),
    (["--older-than", "2y", "--as-of", "01-01-2099"], "is after"),  # a date option's value: a usage error (2)
    (["--older-than", "2y", "--as-of", "2099-01-01"], "is after"),
])
def test_retention_refuses_a_period_without_unit_and_a_cut_off_from_a_day_to_come(args: list[str], said: str) -> None:
    """Observed: ``--older-than 2`` counted days (with --yes it deletes what ended two days ago), ``--as-of`` in
    2099 was taken, ``99999y`` ended in "something unexpected went wrong"."""
    out = CliRunner().invoke(app, ["privacy", "retention", *args, "--as", "nobody"])
    assert out.exit_code == (2 if "--as-of" in args else 1), out.output
    assert said in out.output and "unexpected" not in out.output, out.output


def test_the_outbox_is_written_only_to_a_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "export.csv"
    a_file.write_text("x\n")
    out = CliRunner().invoke(app, ["signals", "export", str(a_file), "--as", "nobody"])
    assert out.exit_code == 1 and "is a file, not a folder" in out.output, out.output
    out = CliRunner().invoke(app, ["signals", "export", "", "--as", "nobody"])
    assert out.exit_code == 1 and "OUT_DIR is empty" in out.output, out.output
