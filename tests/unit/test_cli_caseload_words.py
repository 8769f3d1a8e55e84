"""The caseload commands' Dutch lines: one household in the singular."""

from __future__ import annotations

import app.cli  # noqa: F401  (the commands are imported through the CLI, which they import)
from app.commands.caseload import count_households


def test_one_household_is_said_in_the_singular() -> None:
    assert [count_households(n) for n in (0, 1, 2)] == ["0 huishoudens", "1 huishouden", "2 huishoudens"]
