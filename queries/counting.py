"""One counting engine for the overlap metrics, with two production backends behind one interface.

:class:`OverlapCounts` is what :mod:`queries.aggregates` counts with: households per area, the overlap rows of
one date, the quarterly trend, the coach intakes and effect, and the organisations sharing households in a
period — always small, already counted rows. Two backends give the same rows:

* the overlap snapshot (:class:`queries.snapshot.OverlapSnapshot`, numpy over integer columns read once per
  change of the graph) — the normal case, tens of milliseconds;
* :class:`CypherCounts` — the named ``overlap_*`` / ``org_collaboration_shared`` queries, used while a fresh
  snapshot is being read.

:func:`overlap_counts` picks the snapshot when it is current (or recent enough, ``max_age_s``), otherwise
Cypher. The pandas oracle that defines the metrics row by row is in ``tests/overlap_oracle.py``; the tests hold
both backends to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import pandas as pd

from graph.db import Database
from queries import snapshot
from queries.analytics import overlap
from queries.registry import run

__all__ = ["CypherCounts", "OverlapCounts", "overlap_counts"]


class OverlapCounts(Protocol):
    """The overlap metrics as counted rows (see the module docstring); both backends return the same rows."""

    def households(self, area: str | None) -> pd.DataFrame:
        """area, name, area_kind, households (areas with households; one area, or all)."""
        ...

    def overlap_rows(self, as_of: date, area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        """The rows of ``overlap_counts``: households per (area, bin, same, double) and per organisation pair."""
        ...

    def overlap_cells(self, as_of: date, life_domain: str | None) -> overlap.OverlapCells:
        """The same counts for every area at once, as arrays (what the overlap page publishes together)."""
        ...

    def trend_rows(self, dates: Sequence[date], area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        """The rows of ``overlap_trend_counts``: (day, bin, households) for days with work."""
        ...

    def coach_intakes(self, area: str | None) -> list[date]:
        """The first coach intake of every coached household (of ``area``), sorted."""
        ...

    def coach_effect_rows(self, area: str | None, life_domain: str | None, after_days: int, min_before: int,
                          until: date | None = None) -> list[dict[str, Any]]:
        """The rows of ``overlap_coach_effect_counts``: (group, n_before, n_after, households), of the coached
        households whose ``after_days`` have passed by ``until`` (None: all)."""
        ...

    def shared_rows(self, start: date, end: date, area: str | None, life_domain: str | None
                    ) -> list[dict[str, Any]]:
        """The rows of ``org_collaboration_shared``: households served per organisation and shared per pair."""
        ...


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class CypherCounts:
    """The overlap metrics counted in the database by the named queries (a few hundred rows come back)."""

    db: Database

    def households(self, area: str | None) -> pd.DataFrame:
        return run(self.db, "overlap_households", {"area": area}).to_df()

    def overlap_rows(self, as_of: date, area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        return run(self.db, "overlap_counts", {"as_of": as_of, "area": area, "life_domain": life_domain}).rows

    def overlap_cells(self, as_of: date, life_domain: str | None) -> overlap.OverlapCells:
        # The pair rows carry no area: one query per area.
        hh = self.households(None)
        return overlap.cells_from_rows({str(a): self.overlap_rows(as_of, str(a), life_domain) for a in hh["area"]},
                                       dict(zip(hh["area"], hh["area_kind"], strict=True)))

    def trend_rows(self, dates: Sequence[date], area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        rows = run(self.db, "overlap_trend_counts", {"dates": list(dates), "area": area, "life_domain": life_domain}
                   ).rows
        for r in rows:
            r["day"] = _native(r.get("day"))
        return rows

    def coach_intakes(self, area: str | None) -> list[date]:
        return sorted(_native(r["intake"]) for r in run(self.db, "overlap_coach_intakes", {"area": area}).rows)

    def coach_effect_rows(self, area: str | None, life_domain: str | None, after_days: int, min_before: int,
                          until: date | None = None) -> list[dict[str, Any]]:
        return run(self.db, "overlap_coach_effect_counts", {"area": area, "life_domain": life_domain,
                                                            "after_days": after_days, "min_before": min_before,
                                                            "until": until}).rows

    def shared_rows(self, start: date, end: date, area: str | None, life_domain: str | None
                    ) -> list[dict[str, Any]]:
        return run(self.db, "org_collaboration_shared",
                   {"from": start, "to": end, "area": area, "life_domain": life_domain}).rows


def overlap_counts(db: Database, *, max_age_s: float = 0.0) -> tuple[OverlapCounts, snapshot.OverlapSnapshot | None]:
    """The engine to count with now, and the snapshot it is (None: Cypher, while a fresh snapshot is read).

    ``max_age_s``: see :func:`queries.snapshot.current` (0 = exact)."""
    snap = snapshot.current(db, max_age_s=max_age_s)
    return (snap if snap is not None else CypherCounts(db)), snap
