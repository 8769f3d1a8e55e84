"""The command line's edge: what reaches a person when a command fails in a way no command foresaw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_MANY_LINES = """
import typer
from app.cli import _friendly

def listing() -> None:
    for i in range(200_000):
        typer.echo(f"regel {i}")

try:
    _friendly(listing, in_language=False)()
except typer.Exit as exc:  # what the command line makes of it
    raise SystemExit(exc.exit_code) from None
"""


def test_output_piped_into_a_reader_that_stops_early_ends_quietly() -> None:
    """`wijknet … | head` once said "Error: something unexpected went wrong (BrokenPipeError)" and logged it as an
    unexpected error (an outside test)."""
    import os

    r, w = os.pipe()
    reader = subprocess.Popen(["head", "-n", "1"], stdin=r, stdout=subprocess.PIPE)
    os.close(r)
    try:
        proc = subprocess.run([sys.executable, "-c", _MANY_LINES], cwd=ROOT, stdout=w, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(w)
    first, _ = reader.communicate(timeout=10)
    assert first == b"regel 0\n"
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == 1
