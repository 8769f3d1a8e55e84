"""Aggregate views for the project lead and policymakers: overlap, collaboration, handover clusters.

Every function here checks the actor's role, writes one audit record *before* data is read (if the audit
log cannot be written nothing is served), runs named queries, hands the rows to :mod:`queries.analytics`
and returns tables **with disclosure control applied**. No function returns a row per person or household.

The overlap tables, the trend and the coach effect are counted by one engine behind
:class:`queries.counting.OverlapCounts`: the *overlap snapshot* (:mod:`queries.snapshot`: the involvement
periods as integer columns, read once per change of the graph) in tens of milliseconds, or, while a fresh
snapshot is being read, the named Cypher counts, which give the same rows. Every overlap page first takes the
same six steps (:func:`_overlap_request`). The collaboration and handover pages count handovers (explicit and
derived), referrals, joint consultations, mandates and advice from the same snapshot (else in Cypher, the
handover page then reading one row per handover up to the row cap, a memory guard); the handover page counts
its tables and clusters the professionals with numpy from integer columns
(:mod:`queries.analytics.handover_counts`), and only a few hundred aggregated rows reach the tables. The
pandas oracle in ``tests/overlap_oracle.py`` defines the overlap metrics; ``tests/integration/test_aggregates.py``
holds both engines to it.

Who may see what:

* overlap (counts of casemanagers per household): policymaker, project lead, admin;
* collaboration and handover clusters (organisation level): project lead, admin.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

import numpy as np
import pandas as pd

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import WijknetError
from graph.model import LIFE_DOMAINS
from graph.said import said
from graph.settings import load_settings
from queries import counting, snapshot
from queries.access import Actor, Role, audit_action, require_role
from queries.analytics import collaboration, communities, disclosure, handover_counts, labels, overlap
from queries.analytics.arrays import run_starts
from queries.audit import AuditLog
from queries.registry import run

__all__ = [
    "COLLABORATION_ROLES",
    "GAP_DAYS",
    "OVERLAP_ROLES",
    "CollaborationView",
    "HandoverView",
    "OverlapView",
    "coach_effect_view",
    "collaboration_view",
    "handover_view",
    "organisations",
    "overlap_trend",
    "overlap_view",
    "record_export",
]

OVERLAP_ROLES: tuple[Role, ...] = (Role.POLICYMAKER, Role.PROJECT_LEAD, Role.ADMIN)
COLLABORATION_ROLES: tuple[Role, ...] = (Role.PROJECT_LEAD, Role.ADMIN)


def deployment_k(db: Database, k: int | None = None) -> int:
    """The disclosure threshold a request publishes at: ``k`` when given (tests, benchmarks), else the higher of
    this process's ``WIJKNET_K`` and the k the deployment's app was started with (recorded in the graph by
    ``wijknet serve``, :func:`record_deployment_k`). A command run with a lower ``WIJKNET_K`` beside the pages thus
    publishes at the pages' k: an outside test read the cells the pages hide at k = 10 with ``WIJKNET_K=5 wijknet
    report overlap --as beleid``. A higher k is taken (more protection)."""
    if k is not None:
        return disclosure.disclosure_k(k)
    return max(disclosure.disclosure_k(None), recorded_k(db) or 0)


def recorded_k(db: Database) -> int | None:
    """The k the deployment's app was last started with (None: never recorded, e.g. no ``wijknet serve`` yet)."""
    row = run(db, "disclosure_k").first()
    return int(row["k"]) if row is not None and row["k"] is not None else None


def record_deployment_k(db: Database, k: int) -> None:
    """Record ``k`` as the deployment's threshold (``wijknet serve``, audited by its caller when it changes)."""
    run(db, "disclosure_k_record", {"k": int(disclosure.disclosure_k(k))}, write=True, data=False)


#: A derived handover: an involvement ended and another began for the same person and life domain within this many
#: days. One value for every page (the handover page offered any gap: two gaps subtracted singled out one handover).
GAP_DAYS = 30


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _check_filters(area: str | None, life_domain: str | None) -> None:
    if life_domain is not None and life_domain not in LIFE_DOMAINS:
        raise WijknetError(said("said.aggregates.unknown_life_domain", "Unknown life domain {value!r}; choose one "
                                "of: {choices}.", value=life_domain, choices=", ".join(LIFE_DOMAINS)))
    if area is not None and not area.strip():
        raise WijknetError(said("said.aggregates.empty_area", "The area code is empty; leave it out to see all "
                                "areas."))


def _detail(**filters: Any) -> str:
    return ";".join(f"{k}={v}" for k, v in filters.items() if v is not None)


def _households(db: Database, area: str | None) -> pd.DataFrame:
    """Households per area counted in the database (the Cypher engine's)."""
    return counting.CypherCounts(db).households(area)


def _kept_dir(db: Database) -> Path | None:
    """Where the overlap page's disclosure decisions are kept by content: ``decisions/`` in the database's
    snapshot directory, shared by every process on that state dir (the app, the CLI); the files hold which cells
    are hidden for a digest of the counts, nothing of a household."""
    return None if db.snapshot_dir is None else Path(db.snapshot_dir) / "decisions"


@dataclasses.dataclass(frozen=True)
class _OnDisk:
    """Decisions kept in ``folder`` by the digest of what they were decided from (:class:`disclosure.Kept`), the
    newest ``limit`` files: the pair matrices' hidden cells (:func:`_pair_content`) and the chains of quarters
    (:func:`disclosure.suppress_chain`). A new process — the app restarted, a command after a load — on the same
    counts reads them instead of solving their linear programmes again."""

    folder: Path | None
    #: how many decisions the disk keeps (a few hundred bytes to a few kilobytes each): the pair matrices of every
    #: quarter end of a decade by life domain, and the chains of some dozens of snapshots
    limit: int = 2048

    def get(self, digest: str, shape: tuple[int, ...]) -> np.ndarray | None:
        if self.folder is None:
            return None
        try:
            kept = np.load(self.folder / f"{digest}.npy", allow_pickle=False)
        except (OSError, ValueError):
            return None
        return kept if kept.shape == shape and kept.dtype == bool else None

    def put(self, digest: str, hidden: np.ndarray) -> None:
        folder = self.folder
        if folder is None or (folder / f"{digest}.npy").exists():
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            part = folder / f".{digest}.{threading.get_ident()}.npy"
            np.save(part, hidden, allow_pickle=False)
            part.replace(folder / f"{digest}.npy")  # whole or not at all: another process may read it at once
            names = [n for n in os.listdir(folder) if n.endswith(".npy") and not n.startswith(".")]
            if len(names) > self.limit:  # the oldest go (counts of snapshots long replaced); dated only then
                kept = sorted((folder / n for n in names), key=lambda f: f.stat().st_mtime)
                for old in kept[:-self.limit]:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache: the next call solves again


@dataclass(frozen=True)
class _Request:
    """What every overlap page has after the same six steps (:func:`_overlap_request`)."""

    k: int
    counts: counting.OverlapCounts             # the engine: the snapshot, or Cypher while one is read
    snap: snapshot.OverlapSnapshot | None
    households: pd.DataFrame                   # area, name, area_kind, households (all areas)
    per_area: pd.Series                        # households per area
    kinds: dict[str, list[str]]                # area kind -> its areas
    hidden: dict[str, bool]                    # which households-per-area totals are hidden
    kept: _OnDisk = _OnDisk(None)              # where the disclosure decisions are kept by content


def _overlap_request(db: Database, audit: AuditLog, actor: Actor, action: str, *, area: str | None,
                     life_domain: str | None, k: int | None, max_age_s: float, detail: str,
                     check: Callable[[], None] | None = None, known_area: bool = True) -> _Request:
    """The shape every overlap page shares, named once: (1) the actor's role is checked, (2) the filters
    (and ``check``, the page's own), (3) k is settled, (4) the request is audited before any data is read,
    (5) the counting engine is chosen (the snapshot, or Cypher while one is read), (6) the households per
    area, their kinds and which of their totals are hidden are read (an unknown area is refused when
    ``known_area``)."""
    require_role(audit, actor, action, *OVERLAP_ROLES)
    _check_filters(area, life_domain)
    if check is not None:
        check()
    k = deployment_k(db, k)
    # the threshold goes with the record: a table published at another k is seen as such (an outside test put a
    # k = 5 report beside the k = 10 publication to narrow a hidden cell)
    audit_action(audit, actor, action, detail=f"{detail};k={k}" if detail else f"k={k}")
    counts, snap = counting.overlap_counts(db, max_age_s=max_age_s)
    return dataclasses.replace(_counted_request(counts, snap, k, area, known_area=known_area),
                               kept=_OnDisk(_kept_dir(db)))


def _counted_request(counts: counting.OverlapCounts, snap: snapshot.OverlapSnapshot | None, k: int,
                     area: str | None, *, known_area: bool = True) -> _Request:
    """Step (6) of :func:`_overlap_request` with the engine chosen: no role, audit or database of its own.

    From a snapshot the households per area and which of their totals are hidden are the same for every
    request with the same k: worked out once (they are shared, and never changed by the pages' code)."""
    key = None if snap is None else ("households", id(snap), snap.token, snap.read_at, k)
    if (known := _HOUSEHOLDS.get(key)) is None:
        hh = counts.households(None)
        known = _HOUSEHOLDS.keep(key, (hh, hh.set_index("area")["households"].astype("int64"), _kinds(hh),
                                       _households_hidden(hh, k)))
    hh_all, per_area, kinds, hidden = known
    if known_area and area is not None and area not in set(hh_all["area"]):
        raise WijknetError(said("said.aggregates.unknown_area", "Unknown area {area!r} (or it has no households); "
                                "leave it out to see all areas.", area=area))
    return _Request(k=k, counts=counts, snap=snap, households=hh_all, per_area=per_area, kinds=kinds, hidden=hidden)


def record_export(audit: AuditLog, actor: Actor, what: str, fmt: str, **filters: Any) -> None:
    """Audit one export or download of an aggregate (call it before the file is handed out)."""
    audit_action(audit, actor, f"export_{what}", target=fmt, detail=_detail(**filters))


@dataclass(frozen=True)
class OverlapView:
    """The policymaker's overlap tables at one date, all with disclosure control applied."""

    as_of: date
    k: int
    distribution: pd.DataFrame          # area x bins, with totals
    by_area_kind: pd.DataFrame          # experiment/control x bins, with totals
    same_member_domain: pd.DataFrame    # households with 2+ organisations on one member and life domain
    double_casemanager: pd.DataFrame    # households with two professionals of the same function
    pair_matrix: pd.DataFrame           # organisation x organisation, households served by both
    area_names: dict[str, str] = field(default_factory=dict)
    #: when the overlap snapshot these tables were counted from was read (None: counted in the database now)
    counted_at: datetime | None = None
    #: the pair matrix is published for year ends only (:func:`overlap.is_pair_date`): on another date it is
    #: empty and these are the published pair dates before and after ``as_of`` (empty on a year end)
    pair_dates: tuple[date, ...] = ()


def _kinds(hh: pd.DataFrame) -> dict[str, list[str]]:
    """Area kind -> its areas (the groups published beside the areas)."""
    return {str(kind): sorted(g["area"]) for kind, g in hh.groupby("area_kind")}


def _households_hidden(hh: pd.DataFrame, k: int) -> dict[str, bool]:
    """Which households-per-area totals (areas, area kinds, all) are hidden: decided once, for every date,
    life domain and area filter (they are the ``Total`` column of every overlap table)."""
    per_area = hh.set_index("area")[["households"]].astype("int64")
    shown = disclosure.suppress_hierarchy(per_area, _kinds(hh), k, row_totals=False)
    return {str(r): bool(pd.isna(v)) for r, v in shown["households"].items()}


def _lower(bin_label: str) -> int:
    return int(bin_label.split("–")[0].rstrip("+"))


#: The coach effect's control cohorts: control-area households with at least ``m`` casemanagers on the day
#: before the median intake, i.e. the control row's bins from ``m`` up on that day. Every distribution is
#: protected with these sums (published or not), so the day the coach effect uses is protected like any other.
COHORTS: dict[int, list[str]] = {m: [b for b in overlap.BINS if _lower(b) >= m] for m in (2,)}
CONTROL = "control"


def _cube(dist: pd.DataFrame, kinds: dict[str, list[str]], hidden: dict[str, bool], k: int) -> pd.DataFrame:
    """The protected distribution of one date and life domain: areas, area kinds, total and control cohorts."""
    partial = {m: (CONTROL, bins) for m, bins in COHORTS.items()} if CONTROL in kinds else {}
    return disclosure.suppress_hierarchy(dist, kinds, k, total_hidden=hidden, partial_sums=partial)


#: The first year of the chain of quarters (:func:`_quarter_cubes`): the first the pages offer. A chain started
#: earlier gives the same states as long as the data starts later (nothing changes before it).
CHAIN_FIRST_YEAR = 2000


def _quarter_cubes(r: _Request, life_domain: str | None, first_year: int, last_year: int
                   ) -> dict[date, tuple[str, pd.DataFrame]]:
    """The protected distribution (:func:`_cube`) of every quarter end up to ``last_year``, protected as one chain
    from :data:`CHAIN_FIRST_YEAR` (or ``first_year`` if earlier): a cell that did not change since the quarter
    before keeps its state (:func:`disclosure.suppress_chain`). The trend and the overlap table on a quarter's end
    take their cells from here, so they agree, and no quarter's shown cells give away a cell hidden on the next.
    Remembered per snapshot, life domain and k; a quarter is (its label, its protected cube)."""
    start = min(CHAIN_FIRST_YEAR, first_year)
    return _kept_chain("chain", r, life_domain, start, last_year,
                       lambda: _chain_of_quarters(r, life_domain, start, last_year))


_C = TypeVar("_C")


def _kept_chain(kind: str, r: _Request, life_domain: str | None, start: int, last_year: int,
                build: Callable[[], dict[date, _C]]) -> dict[date, _C]:
    """A chain of quarter ends from ``start`` (``kind``: the distribution's, the flag tables'), remembered per
    snapshot, life domain and k: the one kept when it reaches ``last_year``, else ``build()`` (one build at a time
    per key; without a snapshot, built on every call)."""
    key = None if r.snap is None else (kind, id(r.snap), r.snap.token, r.snap.read_at, start, life_domain, r.k)
    with _one_at_a_time(key):
        known = _CHAINS.get(key)
        if known is not None and known[0] >= last_year:
            return cast(dict[date, _C], known[1])
        chain = build()
        _CHAINS.keep(key, (last_year, chain))
        return chain


def _chain_of_quarters(r: _Request, life_domain: str | None, start: int, last_year: int
                       ) -> dict[date, tuple[str, pd.DataFrame]]:
    dates = overlap.quarter_ends(start, last_year)
    per = {a: overlap.trend_from_counts(r.counts.trend_rows(dates, a, life_domain), dates, int(r.per_area[a]))
           for a in r.per_area.index}
    tables = []
    for q in range(len(dates)):
        counts = pd.DataFrame({a: per[a].iloc[q] for a in r.per_area.index}).T.astype("int64")
        counts.index.name = "area"
        tables.append(counts)
    partial = {m: (CONTROL, bins) for m, bins in COHORTS.items()} if CONTROL in r.kinds else {}
    protected = disclosure.suppress_chain(tables, r.kinds, r.k, total_hidden=r.hidden, partial_sums=partial,
                                          kept=r.kept)
    labels = per[r.per_area.index[0]].index if len(r.per_area) else []
    return {d: (str(label), cube) for d, label, cube in zip(dates, labels, protected, strict=True)}


def _restrict(cube: pd.DataFrame, rows: list[str], area: str | None, label: str | None = None) -> pd.DataFrame:
    """The published rows of a protected cube. With an area filter, every row (the area, its kind, the total)
    is that area's row: the filtered request shows cells of the unfiltered one, with the same suppression."""
    if area is None:
        return cube.loc[[*rows, disclosure.TOTAL]]
    one = cube.loc[[area]]
    out = pd.concat([one.rename(index={area: label or area}), one.rename(index={area: disclosure.TOTAL})])
    out.index.name = cube.index.name
    return out


SAME_LABEL, DOUBLE_LABEL = "2+ organisations on one member and domain", "dubbele casemanager"


def _flag_raw(flags: pd.Series, per_area: pd.Series, label: str) -> pd.DataFrame:
    """A flag table before protection: per area the households flagged and the rest of the area's households."""
    return pd.DataFrame({label: flags.reindex(per_area.index, fill_value=0),
                         "other households": per_area - flags.reindex(per_area.index, fill_value=0)})


def _flag_cube(flags: pd.Series, per_area: pd.Series, hidden: dict[str, bool], k: int, label: str) -> pd.DataFrame:
    return disclosure.suppress_hierarchy(_flag_raw(flags, per_area, label), {}, k, total_hidden=hidden)


def _flag_chain(r: _Request, life_domain: str | None, last_year: int
                ) -> dict[date, tuple[pd.DataFrame, pd.DataFrame]]:
    """The two protected flag tables (2+ organisations on one member and domain, dubbele casemanager) of every
    quarter end up to ``last_year``, each protected as one chain from :data:`CHAIN_FIRST_YEAR`, as the
    distribution is (:func:`_quarter_cubes`): protected one quarter at a time, the secondary cell chosen in the
    all-areas row moved between areas from one quarter to the next, and an unchanged cell hidden on one date and
    shown on the next narrowed a small cell of the first to a window under k
    (``test_disclosure_attack.py::test_the_flag_tables_linked_over_consecutive_quarters_reveal_no_small_cell``).
    Counted once per snapshot, life domain and k: every quarter end's counts (:meth:`Counting.overlap_cells`)."""
    return _kept_chain("flags", r, life_domain, CHAIN_FIRST_YEAR, last_year,
                       lambda: _flag_tables_chained(r, life_domain, last_year))


def _flag_tables_chained(r: _Request, life_domain: str | None, last_year: int
                         ) -> dict[date, tuple[pd.DataFrame, pd.DataFrame]]:
    dates = overlap.quarter_ends(CHAIN_FIRST_YEAR, last_year)
    # Before the first period starts every count is 0, after the last start or end it stays as it is then:
    # counted once for each side (a chain from 2000 to today holds decades of such quarters).
    span = r.snap.span() if r.snap is not None else None

    def like(d: date) -> object:  # the date whose counts ``d`` has: itself, or "before" / "after" the data
        return d if span is None or span[0] <= d <= span[1] else ("before" if d < span[0] else "after")

    counted: dict[object, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for d in dates:
        if like(d) not in counted:
            t = overlap.from_cells(r.counts.overlap_cells(d, life_domain), r.per_area.to_dict())
            counted[like(d)] = (_flag_raw(_series(t["same_member_domain"]), r.per_area, SAME_LABEL),
                                _flag_raw(_series(t["double_casemanager"]), r.per_area, DOUBLE_LABEL))
    same = disclosure.suppress_chain([counted[like(d)][0] for d in dates], {}, r.k, total_hidden=r.hidden,
                                     kept=r.kept)
    double = disclosure.suppress_chain([counted[like(d)][1] for d in dates], {}, r.k, total_hidden=r.hidden,
                                       kept=r.kept)
    return dict(zip(dates, zip(same, double, strict=True), strict=True))


def _pair_cube(r: _Request, cells: overlap.OverlapCells, as_of: date, life_domain: str | None, dist: pd.DataFrame,
               cube: pd.DataFrame, area: str | None) -> pd.DataFrame:
    """The organisation-pair matrix of ``area`` (None: all areas), cut from the protected pair matrices of every
    area and of all areas (:func:`_pair_grid`)."""
    orgs, grid, hidden = _pair_grid(r, cells, as_of, life_domain, dist, cube)
    at = 0 if area is None else 1 + list(r.per_area.index).index(area)
    own = np.flatnonzero(grid[at].any(axis=1))  # the organisations active in ``area``
    names = [cells.organisations[o] for o in orgs[own]]
    values, mask = grid[at][np.ix_(own, own)], hidden[at][np.ix_(own, own)]
    return pd.DataFrame({o: pd.arrays.IntegerArray(values[:, n].copy(), mask[:, n].copy())
                         for n, o in enumerate(names)}, index=pd.Index(names, name="organisation"), columns=names)


def _pair_grid(r: _Request, cells: overlap.OverlapCells, as_of: date, life_domain: str | None, dist: pd.DataFrame,
               cube: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pair matrices of all areas and of every area (``grid[0]`` all, ``grid[1 + n]`` area ``n``) on the
    organisations of all areas (sorted by name), and which of their cells are hidden: remembered per snapshot,
    date, life domain and k (every area filter cuts its matrix from these).

    Each pair is first protected with the same pair in the other areas (for each pair the areas add up to the
    whole, :func:`_pair_hidden`); then :func:`_widen_pairs` hides more until no small hidden cell is pinned to a
    window narrower than k by what the matrices mean (:func:`_pair_at_most`)."""
    key = _pairs_key(r, as_of, life_domain)
    with _one_at_a_time(key):
        if (known := _PAIRS.get(key)) is not None:
            return cast(tuple[np.ndarray, np.ndarray, np.ndarray], known)
        return _pair_grid_of(r, cells, life_domain, dist, cube, key, _pairs_before(r, as_of, life_domain))


def _pairs_key(r: _Request, as_of: date, life_domain: str | None) -> tuple[Any, ...] | None:
    return None if r.snap is None else ("pairs", id(r.snap), r.snap.token, r.snap.read_at, as_of, life_domain, r.k)


class _Before(NamedTuple):
    """The protected pair matrices of the published pair date before (the end of the year before,
    :func:`_pair_grid`), what the next one is protected with: ``orgs`` (indices into the organisations), ``grid``
    and ``hidden`` as :func:`_pair_grid` gives them, and that date's distribution, counted (``dist``) and
    protected (``cube``)."""
    orgs: np.ndarray
    grid: np.ndarray
    hidden: np.ndarray
    dist: pd.DataFrame
    cube: pd.DataFrame


def _pairs_before(r: _Request, as_of: date, life_domain: str | None) -> _Before | None:
    """The pair matrices of the published pair date before ``as_of`` (the end of the year before,
    :func:`overlap.is_pair_date`) as they were protected (None: ``as_of`` is no year end, or no organisation was
    active before it). The pair matrices are a chain, as the quarters of the trend are: a cell that did not change
    since the published date before is the same unknown to an attacker who knows that, so each year end is
    protected together with the one before it (:func:`_widen_pairs`), and that one with its own before it.

    Walks back to the last year end whose matrices are remembered (or to the first with an organisation active),
    then protects forward from there, one date at a time: a request for a date after many forgotten ones reads
    each date's counts once (the linear programmes of a date with the same numbers as before are kept by content,
    :func:`_pair_content`, so they are not solved again)."""
    if not overlap.is_pair_date(as_of) or not len(r.per_area):
        return None
    walk: list[tuple[date, overlap.OverlapCells]] = []
    start: _Before | None = None
    day = overlap.pair_date_before(as_of)
    while True:
        if (known := _PAIRS.get(_pairs_key(r, day, life_domain))) is not None:
            start = _Before(*cast(tuple[np.ndarray, np.ndarray, np.ndarray], known),
                            *_distribution_of(r, day, life_domain, r.counts.overlap_cells(day, life_domain)))
            break
        cells = r.counts.overlap_cells(day, life_domain)
        if not cells.active(cells.shared(None)).size:
            break  # no organisation active: the chain starts after it (the same for every counting engine)
        walk.append((day, cells))
        day = overlap.pair_date_before(day)
    before = start
    for day, cells in reversed(walk):  # forward, the oldest first
        key = _pairs_key(r, day, life_domain)
        with _one_at_a_time(key):
            dist, cube = _distribution_of(r, day, life_domain, cells)
            grid = _PAIRS.get(key)
            if grid is None:
                grid = _pair_grid_of(r, cells, life_domain, dist, cube, key, before)
            before = _Before(*cast(tuple[np.ndarray, np.ndarray, np.ndarray], grid), dist, cube)
    return before


def _distribution_of(r: _Request, day: date, life_domain: str | None,
                     cells: overlap.OverlapCells) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A year end's distribution, counted and protected (its link of the chain of quarters): what its pair
    matrices were protected with."""
    dist = _frame(overlap.from_cells(cells, r.per_area.to_dict())["distribution"])
    return dist, _quarter_cubes(r, life_domain, day.year, day.year)[day][1]


def _pair_grid_of(r: _Request, cells: overlap.OverlapCells, life_domain: str | None, dist: pd.DataFrame,
                  cube: pd.DataFrame, key: tuple[Any, ...] | None, before: _Before | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k, areas = r.k, list(r.per_area.index)
    whole = cells.shared(None)
    orgs = cells.active(whole)
    grid = np.stack([whole, *(cells.shared(a) for a in areas)])[:, orgs][:, :, orgs]
    hidden = np.zeros(grid.shape, dtype=bool)
    small = ((grid > 0) & (grid < k)).any(axis=0)
    for i, j in zip(*np.nonzero(np.triu(small)), strict=True):
        hide = np.array(_pair_hidden(tuple(int(v) for v in grid[:, i, j]), k))
        hidden[:, i, j] = hidden[:, j, i] = hide
    rows = [disclosure.TOTAL, *areas]
    content = _pair_content(grid, rows, dist, cube, r.kinds, k, orgs, before)
    if (widened := _WIDENED.get(content)) is None:
        if (widened := r.kept.get(content[1], grid.shape)) is None:
            widened = _widen_pairs(grid, hidden, rows, dist, cube, r.kinds, k, orgs, before)
            r.kept.put(content[1], widened)
        _WIDENED.keep(content, widened)
    return cast(tuple[np.ndarray, np.ndarray, np.ndarray], _PAIRS.keep(key, (orgs, grid, widened)))


@functools.cache
def _pair_rules() -> bytes:
    """The rules :func:`_widen_pairs` applies, part of the content key: this module's source with the disclosure
    module's fingerprint (:func:`disclosure.rules_fingerprint`), so hidden cells kept on disk by another version
    of the code are never reused (a constant bumped by hand once stood here)."""
    return hashlib.blake2b(Path(__file__).read_bytes() + disclosure.rules_fingerprint(), digest_size=20).digest()


def _pair_content(grid: np.ndarray, rows: list[str], dist: pd.DataFrame, cube: pd.DataFrame,
                  kinds: dict[str, list[str]], k: int, orgs: np.ndarray | None = None,
                  before: _Before | None = None) -> tuple[Any, ...]:
    """Everything :func:`_widen_pairs` decides from, as a short key: the same numbers give the same hidden cells,
    so a new snapshot (any change of the graph) whose counts for a date are those of the one before (a change on
    another date, or the same data read again) reuses them without its linear programmes. With the year end
    before (``before``): its numbers and its hidden cells too."""
    digest = hashlib.blake2b(_pair_rules(), digest_size=20)
    for part in (grid.shape, rows, sorted(kinds.items()), k, list(dist.index), list(dist.columns),
                 sorted(cube.attrs.get("partial_sums", {}).items())):
        digest.update(repr(part).encode())
    arrays = [grid, dist.to_numpy(dtype="int64"), cube.isna().to_numpy()]
    if before is not None:
        digest.update(repr(("before", before.grid.shape, list(before.dist.index), list(before.dist.columns),
                            sorted(before.cube.attrs.get("partial_sums", {}).items()))).encode())
        arrays += [np.asarray(orgs, dtype=np.int64), before.orgs.astype(np.int64), before.grid, before.hidden,
                   before.dist.to_numpy(dtype="int64"), before.cube.isna().to_numpy()]
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return ("widened", digest.hexdigest())


def _pair_at_most(grid: np.ndarray, hidden: np.ndarray, rows: list[str], two_plus: list[str],
                  cube_hidden: set[Any]) -> list[disclosure.AtMost]:
    """What the pair matrices mean beyond their sums, as inequalities on their cells (``("pair", s, i, j)``,
    ``i <= j``, ``s`` the scope: 0 all areas, else an area) and on the cells of the distribution
    (``(row, column)``) of the same scope (``rows[s]``): for each pair ``pair <= served(i)``, ``pair <= served(j)``
    (the diagonal), ``served(i) + served(j) - pair <= households`` and ``pair <=`` the households with 2 or more
    casemanagers (two organisations active on a household are two professionals). Only the inequalities with a
    hidden cell in them (the others are facts about shown numbers); those that only bound a hidden diagonal or
    distribution cell from below by shown pairs are one inequality each (the largest such pair)."""
    out: list[disclosure.AtMost] = []
    n = grid.shape[1]
    iu, ju = np.triu_indices(n, 1)
    for s, row in enumerate(rows):
        v, h = grid[s], hidden[s]
        diag_h = np.diag(h)
        hh: Any = (row, disclosure.TOTAL)
        pairs_h = h[iu, ju]

        def pair(i: int, j: int, s: int = s) -> tuple[str, int, int, int]:
            return ("pair", s, i, j) if i <= j else ("pair", s, j, i)

        two_hidden = any((row, b) in cube_hidden for b in two_plus)
        for i, j in zip(iu[pairs_h].tolist(), ju[pairs_h].tolist(), strict=True):
            out.append(([(1.0, pair(i, j)), (-1.0, pair(i, i))], 0.0))
            out.append(([(1.0, pair(i, j)), (-1.0, pair(j, j))], 0.0))
            out.append(([(1.0, pair(i, j)), *((-1.0, (row, b)) for b in two_plus)], 0.0))
        shown = ~pairs_h & (v[iu, ju] > 0)
        for i in np.flatnonzero(diag_h).tolist():  # served(i) >= the largest shown pair of i
            mine = shown & ((iu == i) | (ju == i))
            if mine.any():
                out.append(([(-1.0, pair(i, i))], -float(v[iu[mine], ju[mine]].max())))
        if two_hidden and shown.any():  # the households with 2+ casemanagers >= the largest shown pair
            out.append(([(-1.0, (row, b)) for b in two_plus], -float(v[iu[shown], ju[shown]].max())))
        third = pairs_h | diag_h[iu] | diag_h[ju] | (hh in cube_hidden)
        for i, j in zip(iu[third].tolist(), ju[third].tolist(), strict=True):
            if v[i, i] and v[j, j]:
                out.append(([(1.0, pair(i, i)), (1.0, pair(j, j)), (-1.0, pair(i, j)), (-1.0, hh)], 0.0))
    return out


def _tag(key: Any) -> Any:
    """A cell of the pair date before, as a key of its own in the joint system of :func:`_widen_pairs`."""
    return ("before", *key) if isinstance(key, tuple) else ("before", key)


def _pair_system(grid: np.ndarray, hidden: np.ndarray, rows: list[str], dist: pd.DataFrame, cube: pd.DataFrame,
                 kinds: dict[str, list[str]]) -> tuple[dict[Any, int], list[disclosure.Relation], set[Any],
                                                       list[disclosure.AtMost]]:
    """One date's pair matrices with its distribution, as :func:`disclosure.narrowed` takes them: the
    cells (``("pair", s, i, j)``, ``i <= j``, and ``(row, column)``), the sums (the distribution's; for each pair
    with a hidden cell the areas to all areas), the hidden cells and what the matrices mean
    (:func:`_pair_at_most`)."""
    partial = {m: (CONTROL, bins) for m, bins in COHORTS.items()} if CONTROL in kinds else {}
    values, relations, _, _ = disclosure._hierarchy_system(
        dist, kinds, row_totals=True, partial_sums=partial, total_label=disclosure.TOTAL)
    values = dict(values)
    relations = list(relations)
    cube_hidden = {(a, c) for a in cube.index for c in cube.columns if pd.isna(cube.loc[a, c])}
    cube_hidden |= {("partial", m) for m, h in cube.attrs.get("partial_sums", {}).items() if h}
    two_plus = [b for b in overlap.BINS if _lower(b) >= 2]
    n_scopes, n = grid.shape[0], grid.shape[1]
    iu, ju = np.triu_indices(n)
    for s in range(n_scopes):
        values.update({("pair", s, i, j): int(grid[s, i, j]) for i, j in zip(iu.tolist(), ju.tolist(), strict=True)})
    cols = np.flatnonzero(hidden[:, iu, ju].any(axis=0))
    relations += [([("pair", s, int(iu[c]), int(ju[c])) for s in range(1, n_scopes)],
                   ("pair", 0, int(iu[c]), int(ju[c]))) for c in cols]
    mask = {("pair", s, int(iu[c]), int(ju[c])) for c in cols for s in range(n_scopes) if hidden[s, iu[c], ju[c]]}
    return values, relations, mask | cube_hidden, _pair_at_most(grid, hidden, rows, two_plus, cube_hidden)


def _links(grid: np.ndarray, orgs: np.ndarray, before: _Before, values: dict[Any, int],
           earlier: dict[Any, int]) -> tuple[list[disclosure.Relation], dict[Any, Any]]:
    """The cells that did not change since the pair date before, each the same unknown on both dates: an
    equality per such cell (a pair cell of organisations of which one served nobody before is 0 then, a
    shown constant); and for every pair cell before of organisations active now, its cell now (the same scope
    and pair), by its key in the joint system."""
    at_before = {int(o): n for n, o in enumerate(before.orgs)}
    relations: list[disclosure.Relation] = []
    back: dict[Any, Any] = {}
    n = grid.shape[1]
    for i in range(n):
        for j in range(i, n):
            a, b = at_before.get(int(orgs[i])), at_before.get(int(orgs[j]))
            for s in range(grid.shape[0]):
                now = ("pair", s, i, j)
                if a is None or b is None:
                    if grid[s, i, j] == 0:
                        relations.append(([now], ("zero",)))
                    continue
                then = _tag(("pair", s, *sorted((a, b))))
                back[then] = now
                if earlier[then] == values[now]:
                    relations.append(([now], then))
    for key, v in list(values.items()):
        if key[0] != "pair" and earlier.get(_tag(key)) == v:
            relations.append(([key], _tag(key)))
    return relations, back


def _widen_pairs(grid: np.ndarray, hidden: np.ndarray, rows: list[str], dist: pd.DataFrame, cube: pd.DataFrame,
                 kinds: dict[str, list[str]], k: int, orgs: np.ndarray | None = None,
                 before: _Before | None = None) -> np.ndarray:
    """Hide more pair cells until no small hidden one is pinned to a window narrower than ``k`` by the sums (areas
    to all areas, the distribution's), the inequalities of :func:`_pair_at_most` and "no count is negative"
    (:func:`disclosure.narrowed`, linear programmes over the pair matrices of every area and of all areas with
    the protected distribution of that date, whose cells stay as they are).

    With the pair date before (``before``, as it was protected): its cells too, as they were published, and
    every cell that did not change since then linked to itself before (:func:`_links`): an attacker who knows
    that nothing changed takes a cell shown on one date for the same cell hidden on the other, and intersects
    what each date leaves open of a cell hidden on both. A small cell of either date narrowed that way hides
    more cells of this date (the date before is published as it is).

    A narrowed cell hides one more cell of its pair in another scope (the smallest shown positive one), else of
    the diagonal of one of its organisations (served); the pair is then protected again with what it hides
    (:func:`disclosure.protect`, so no area sum has one hidden cell). A cell nothing can widen is left after
    every cell of its pair and diagonals is hidden."""
    hidden = hidden.copy()
    n_scopes = grid.shape[0]
    earlier: dict[Any, int] = {}
    earlier_rel: list[disclosure.Relation] = []
    earlier_hidden: set[Any] = set()
    earlier_at_most: list[disclosure.AtMost] = []
    back: dict[Any, Any] = {}
    if before is not None and orgs is not None:
        v0, r0, h0, m0 = _pair_system(before.grid, before.hidden, rows, before.dist, before.cube, kinds)
        earlier = {_tag(c): x for c, x in v0.items()}
        earlier[("zero",)] = 0
        earlier_rel = [([_tag(c) for c in parts], _tag(total)) for parts, total in r0]
        earlier_hidden = {_tag(c) for c in h0}
        earlier_at_most = [([(a, _tag(c)) for a, c in terms], bound) for terms, bound in m0]
    given_up: set[Any] = set()
    wide: set[Any] = set()  # shown at least k wide: hiding more never narrows them, so never solved again
    links: list[disclosure.Relation] | None = None
    same: set[Any] = set()
    while True:
        values, relations, masked, at_most = _pair_system(grid, hidden, rows, dist, cube, kinds)
        check = {c for c in masked if c[0] == "pair" and 0 < values[c] < k} - given_up - wide
        if earlier:
            if links is None:  # the counts are the same every round (only what is hidden changes): linked once
                links, back = _links(grid, orgs, before, values, earlier)  # type: ignore[arg-type]
                same = {total for parts, total in links if total[0] == "before"}
            # a cell before linked to its cell now is the same unknown: its range is that cell's, checked now
            check |= {c for c in earlier_hidden if c[1] == "pair" and 0 < earlier[c] < k and c not in same} \
                - given_up - wide
            values.update(earlier)
            relations += earlier_rel + links
            masked |= earlier_hidden
            at_most += earlier_at_most
        if not check:
            return hidden
        found = disclosure.narrowed(values, masked, relations, at_most, k, check=check, wide=wide)
        if not found:
            return hidden
        done: set[tuple[int, int]] = set()
        for cell in found:
            if cell[0] == "before" and cell not in back:
                given_up.add(cell)  # one of its organisations serves nobody now: nothing now widens it
                continue
            _, s, i, j = back.get(cell, cell)  # a cell of the date before: widened by its pair now
            if (i, j) in done or (i, i) in done or (j, j) in done:
                continue  # changed this round: check again first
            for a, b in ((i, j), (i, i), (j, j)):
                column = grid[:, a, b]
                free = [t for t in range(n_scopes) if not hidden[t, a, b] and column[t] > 0]
                if free:
                    hidden[min(free, key=lambda t: (int(column[t]), t)), a, b] = True
                    preset = {t: True for t in range(n_scopes) if hidden[t, a, b]}
                    again = disclosure.protect(dict(enumerate(int(x) for x in column)),
                                               [(list(range(1, n_scopes)), 0)], k, preset=preset)
                    for t in again:
                        hidden[t, a, b] = hidden[t, b, a] = True
                    done.add((a, b))
                    break
            else:
                given_up.add(cell)


@functools.lru_cache(maxsize=4096)
def _pair_hidden(values: tuple[int, ...], k: int) -> tuple[bool, ...]:
    """Which of one organisation pair's counts to hide — all areas first, then each area, the areas adding up
    to all: :func:`disclosure.protect` of exactly that, remembered (a request for one date with another area
    filter, life domain or k protects the same pairs again)."""
    hidden = disclosure.protect(dict(enumerate(values)), [(list(range(1, len(values))), 0)], k)
    return tuple(n in hidden for n in range(len(values)))


def overlap_view(db: Database, audit: AuditLog, actor: Actor, *, as_of: date, area: str | None = None,
                 life_domain: str | None = None, k: int | None = None, max_age_s: float = 0.0,
                 pairs: bool = True) -> OverlapView:
    """Overlapping casemanagers at ``as_of``, the end of a quarter: distribution, same member and domain,
    doubles, pair matrix (another date is refused: :func:`_check_quarter_end`).

    ``pairs=False``: without the pair matrix (an empty table), for a page that does not show it (the home pages'
    key figures); its protection only adds hidden pair cells, so the other tables are the same either way and the
    linear programmes it takes are not run. The pair matrix is published for the end of a year only (31
    December, :func:`overlap.is_pair_date`): on another quarter end it is empty and ``pair_dates`` names the year
    ends before and after (the other tables stay quarterly).

    Disclosure control is decided once for everything the report publishes, over all areas (see
    docs/security.md, "Disclosure control"): the areas, area kinds and total of the distribution in one
    protected table, the flag tables beside it, the pair matrices of every area with that of all areas, and
    the households per area (the ``Total`` column) the same for every date and life domain. A request for
    one area shows that area's cells of the protected tables, so comparing a filtered and an unfiltered
    request gives nothing the unfiltered one does not.

    ``max_age_s``: see :func:`queries.snapshot.current` (0 = exact; the pages pass WIJKNET_SNAPSHOT_MAX_AGE).
    """
    r = _overlap_request(db, audit, actor, "view_overlap", area=area, life_domain=life_domain, k=k,
                         max_age_s=max_age_s, check=lambda: _check_quarter_end(as_of),
                         detail=_detail(as_of=as_of, area=area, life_domain=life_domain))
    key = _view_key(db, r.snap, "overlap", as_of, area, life_domain, r.k, pairs, lead=False)
    if (hit := _VIEWS.get(key)) is not None:
        return _copied(hit)  # type: ignore[no-any-return]
    return _copied(_VIEWS.keep(key, _overlap_tables(r, as_of, area, life_domain, pairs=pairs)))


def prepare_figures(db: Database, snap: snapshot.OverlapSnapshot, *, today: date | None = None,
                    kept_only: bool = False) -> list[date]:
    """Compute ahead, from ``snap``, what the overlap page's first request on a quarter end would wait for: the
    chain of quarters, and the pair matrices' disclosure decisions (their linear programmes) of every year end the
    page offers (the pair matrix is published for year ends only, :func:`overlap.is_pair_date`), for all areas and
    the default k; the data's year ends newest first (the pair matrices are a chain, :func:`_pairs_before`: the
    newest protects every year end before it first), then those after its last change; then the chain of quarters
    of every life domain (the trend and tables filtered on one) and the flag tables' chains, and the pair
    matrices' chain of every life domain. Returns the year ends done (for all life domains).

    The app runs it on every snapshot read in the background before the pages are given it, and on the snapshot
    file it starts with (:func:`snapshot.prepare_with`). It publishes nothing and reads nothing from the graph
    (only ``snap``), so there is no request to audit; a page asking for a date meanwhile waits for that date's
    computation instead of doing it again (:func:`_one_at_a_time`).

    ``kept_only``: only the pair matrices' hidden cells of every year end for all life domains together, which are
    kept on disk (:func:`ready_after_load`: a command that ends right after, and the page's default filters)."""
    today = today or dutch_today()
    k = disclosure.disclosure_k(None)
    r = dataclasses.replace(_counted_request(snap, snap, k, None), kept=_OnDisk(_kept_dir(db)))
    if not len(r.per_area) or (span := snap.span()) is None:
        return []
    first, last = span
    ends = [d for d in overlap.quarter_ends(max(first.year, CHAIN_FIRST_YEAR), today.year)
            if d <= today and overlap.is_pair_date(d)]
    order = [d for d in reversed(ends) if d <= last] + [d for d in ends if d > last]
    _quarter_cubes(r, None, CHAIN_FIRST_YEAR, today.year)  # the whole chain at once
    if kept_only:
        for d in order:
            _pairs_only(r, d, None)
        return order
    _flag_chain(r, None, today.year)  # likewise the flag tables' (a year end's tables take theirs from it)
    for d in order:
        _overlap_tables(r, d, None, None, pairs=True)
    for domain in LIFE_DOMAINS:  # the trend per life domain: its chain, and the flag tables'
        _quarter_cubes(r, domain, CHAIN_FIRST_YEAR, today.year)
        _flag_chain(r, domain, today.year)
    if ends:
        for domain in LIFE_DOMAINS:  # the pair matrices per life domain: the last year end protects the chain
            _overlap_tables(r, ends[-1], None, domain, pairs=True)
    return order


def _pairs_only(r: _Request, as_of: date, life_domain: str | None) -> None:
    """The pair matrices of ``as_of`` protected (:func:`_pair_grid`), without the page's other tables: what
    :func:`_overlap_tables` computes of them."""
    cells = r.counts.overlap_cells(as_of, life_domain)
    dist, cube = _distribution_of(r, as_of, life_domain, cells)
    _pair_grid(r, cells, as_of, life_domain, dist, cube)


def ready_after_load(db: Database) -> str:
    """What a command does after it changed the graph (``wijknet ingest``, ``demo load``, ``profile apply``), so
    that the first policymaker to open the overlap page does not wait: the overlap snapshot read
    (:func:`snapshot.ensure`), then the pair matrices' hidden cells of every year end for all life domains
    together (:func:`prepare_figures`, ``kept_only``; the life domains' are left to the app's background). Those
    are kept on disk by content, shared with the app: a new app process — and the running one, when it reads the
    new snapshot — finds them there instead of solving their linear programmes while a page waits (the bench's
    cold overlap page took 3.2 s without them on any municipality's size). One sentence on the outcome."""
    said_ready, snap = snapshot.ensure(db)
    if snap is None or _kept_dir(db) is None or not load_settings().compute_ahead:
        return said_ready
    t0 = time.perf_counter()
    try:
        done = prepare_figures(db, snap, kept_only=True)
    except Exception as exc:  # noqa: BLE001 - computing ahead only: the page computes what is missing when asked
        return f"{said_ready} The overlap page's figures could not be computed ahead ({type(exc).__name__})."
    if not done:  # no year end with data yet
        return said_ready
    return f"{said_ready} The overlap page's hidden cells computed ahead ({time.perf_counter() - t0:.1f} s)."


def _check_quarter_end(as_of: date) -> None:
    """The overlap tables are published for the end of a quarter only, the dates of the trend: the hidden cells
    are chosen per date, and two nearby dates count almost the same households, so the cells shown on one day
    pinned a cell hidden on the next (docs/security.md). On a quarter's end a table is a row of the trend."""
    if not overlap.is_quarter_end(as_of):
        before, after = overlap.quarter_ends_around(as_of)
        raise WijknetError(said(
            "said.aggregates.not_quarter_end", "The overlap table is published for the end of a quarter only "
            "(31 March, 30 June, 30 September, 31 December), as the trend is: {date} is not one. Choose {before} "
            "or {after}.", date=f"{as_of:%d-%m-%Y}", before=f"{before:%d-%m-%Y}", after=f"{after:%d-%m-%Y}"))


def _overlap_tables(r: _Request, as_of: date, area: str | None, life_domain: str | None, *,
                    pairs: bool = True) -> OverlapView:
    """The protected overlap tables of :func:`overlap_view`, counted with ``r``'s engine."""
    k, snap, hh_all, per_area, kinds, hidden = r.k, r.snap, r.households, r.per_area, r.kinds, r.hidden
    cells = r.counts.overlap_cells(as_of, life_domain)  # every area at once
    t = overlap.from_cells(cells, per_area.to_dict())
    # On a quarter's end the distribution is that quarter's link of the chain of quarters (the trend's row, cell
    # for cell); another day (a control cohort's, not published as a table) is protected on its own.
    if overlap.is_quarter_end(as_of) and len(per_area):
        cube = _quarter_cubes(r, life_domain, as_of.year, as_of.year)[as_of][1]
    else:
        cube = _cube(_frame(t["distribution"]), kinds, hidden, k)
    area_rows = list(per_area.index)
    label = None if area is None else str(hh_all.set_index("area").loc[area, "area_kind"])
    by_kind = cube.copy()
    by_kind.index.name = "area_kind"
    if overlap.is_quarter_end(as_of) and len(per_area):  # a link of the flag tables' chain, as the distribution
        same, double = _flag_chain(r, life_domain, as_of.year)[as_of]
    else:
        same = _flag_cube(_series(t["same_member_domain"]), per_area, hidden, k, SAME_LABEL)
        double = _flag_cube(_series(t["double_casemanager"]), per_area, hidden, k, DOUBLE_LABEL)
    names = hh_all if area is None else hh_all[hh_all["area"] == area]
    # The pair matrix is published for year ends only: each is protected together with the one before it (a
    # chain, :func:`_pairs_before`), a quarter as long as a chain of quarter ends (docs/security.md).
    on_pair_date = overlap.is_pair_date(as_of)
    return OverlapView(
        as_of=as_of, k=k,
        distribution=_restrict(cube, area_rows, area),
        by_area_kind=_restrict(by_kind, list(kinds), area, label),
        same_member_domain=_restrict(same, area_rows, area),
        double_casemanager=_restrict(double, area_rows, area),
        pair_matrix=(_pair_cube(r, cells, as_of, life_domain, _frame(t["distribution"]), cube, area)
                     if pairs and on_pair_date else pd.DataFrame(index=pd.Index([], name="organisation"))),
        area_names=dict(zip(names["area"], names["name"], strict=True)),
        counted_at=datetime.fromtimestamp(snap.read_at, UTC) if snap is not None else None,
        pair_dates=() if on_pair_date else overlap.pair_dates_around(as_of),
    )


def _frame(value: pd.DataFrame | pd.Series) -> pd.DataFrame:
    assert isinstance(value, pd.DataFrame)
    return value


def _series(value: pd.DataFrame | pd.Series) -> pd.Series:
    assert isinstance(value, pd.Series)
    return value


def overlap_trend(db: Database, audit: AuditLog, actor: Actor, *, first_year: int = 2004, last_year: int = 2012,
                  area: str | None = None, life_domain: str | None = None, k: int | None = None,
                  max_age_s: float = 0.0) -> pd.DataFrame:
    """Households per number of active casemanagers at the end of every quarter (rows), with a total per quarter."""
    def years() -> None:
        if not 1900 < first_year <= last_year < 2100:
            raise WijknetError(said("said.aggregates.bad_years", "The period {first}–{last} is not a valid range "
                                    "of years.", first=str(first_year), last=str(last_year)))

    r = _overlap_request(db, audit, actor, "view_overlap_trend", area=area, life_domain=life_domain, k=k,
                         max_age_s=max_age_s, check=years,
                         detail=_detail(first_year=first_year, last_year=last_year, area=area,
                                        life_domain=life_domain))
    k, per_area = r.k, r.per_area
    key = _view_key(db, r.snap, "trend", first_year, last_year, area, life_domain, k, lead=False)
    if (hit := _VIEWS.get(key)) is not None:
        return _copied(hit)
    dates = overlap.quarter_ends(first_year, last_year)
    # Each quarter is protected like the overlap tables on that date (all areas, kinds and total together), in
    # one chain of quarters, so the trend shows the same cells, with the same suppression, as the distribution
    # on a quarter's end, and consecutive quarters give nothing away together.
    cubes = _quarter_cubes(r, life_domain, first_year, last_year) if len(per_area) else {}
    quarters = [cubes[d][1].loc[area if area is not None else disclosure.TOTAL].rename(cubes[d][0])
                for d in dates if d in cubes]
    # No total row: adding quarters up would count a household once per quarter.
    out = pd.DataFrame(quarters, columns=[*overlap.BINS, disclosure.TOTAL]).astype("Int64")
    out.index.name = "quarter"
    return _copied(_VIEWS.keep(key, out))


def coach_effect_view(db: Database, audit: AuditLog, actor: Actor, *, area: str | None = None,
                      life_domain: str | None = None, after_days: int = 365, min_before: int = 2,
                      k: int | None = None, max_age_s: float = 0.0, until: date | None = None) -> pd.DataFrame:
    """Casemanagers before vs after coach intake, coached households vs the control area.

    Rows: (group, moment); columns: households per bin, ``households`` and ``mean`` (active casemanagers
    per household). ``area`` narrows the coached group; the control group is always the control area.

    Only coached households whose ``after_days`` have fully passed by ``until`` are counted (their "after" is
    measured; a later intake would be counted on a day without data). ``until`` defaults to the data's last day,
    or today when the data run on. The table's ``attrs`` say which day that was (``until``, ISO) and how many
    coached households were left out for it (``left_out``; ``None`` when that number is below k and so not
    published).
    """
    def cohort() -> None:
        if min_before not in COHORTS:
            # The control cohort is protected as part of the distribution on its day (COHORTS): other cut-offs
            # would publish a sum that distribution is not protected for.
            raise WijknetError(said("said.aggregates.cohort", "The control group is households with at least "
                                    "{cohorts} casemanagers before intake; {value} is not offered.",
                                    cohorts=", ".join(map(str, COHORTS)), value=str(min_before)))

    r = _overlap_request(db, audit, actor, "view_coach_effect", area=area, life_domain=life_domain, k=k,
                         max_age_s=max_age_s, check=cohort, known_area=False,
                         detail=_detail(area=area, life_domain=life_domain, after_days=after_days))
    k = r.k
    if until is None:
        from queries.analytics.periods import data_day
        from queries.overview import data_period

        until = data_day(data_period(db)[1], dutch_today())
    key = _view_key(db, r.snap, "coach_effect", area, life_domain, after_days, min_before, k, until, lead=False)
    if (hit := _VIEWS.get(key)) is not None:
        return _copied(hit)
    cut = until

    def effect(where: str | None) -> pd.DataFrame:
        return overlap.coach_effect_from_counts(
            r.counts.coach_effect_rows(where, life_domain, after_days, min_before, until=cut), after_days=after_days)

    raw = effect(area)
    # The coached rows of every area add up to those of all areas: protected together, so that a filtered
    # request shows the cells of the unfiltered one. The control rows (one cohort per request) on their own.
    areas = list(r.households["area"])
    parts = {a: effect(a) for a in areas}
    parts[None] = raw if area is None else effect(None)
    cols = [*overlap.BINS, "households"]
    values: dict[Any, int] = {}
    relations: list[disclosure.Relation] = []
    for (group, moment), row in raw.iterrows():
        coached = str(group).startswith("coached")
        for where in ([*areas, None] if coached else ["request"]):
            source = parts[where].loc[(group, moment)] if coached else row
            for c in cols:
                values[(where, group, moment, c)] = int(source[c])
            relations.append(([(where, group, moment, b) for b in overlap.BINS], (where, group, moment, "households")))
        if coached:
            for c in cols:
                relations.append(([(a, group, moment, c) for a in areas], (None, group, moment, c)))
    hidden = disclosure.protect(values, relations, k, preset=_control_cohort(r, raw, area, life_domain,
                                                                          min_before, after_days, until))
    table = raw[cols].astype("Int64")
    for group, moment in raw.index:
        where = area if str(group).startswith("coached") else "request"
        for c in cols:
            if (where, group, moment, c) in hidden:
                table.loc[(group, moment), c] = pd.NA
    # A mean with the households tells the sum of casemanagers, a further equation on the bins: shown only
    # where none of its row is hidden.
    mean = (raw["sum_casemanagers"] / raw["households"].where(raw["households"] > 0)).round(2)
    complete = table[cols].notna().all(axis=1).to_numpy()
    table["mean"] = mean.where(complete & (raw["households"].to_numpy() > 0)).astype("Float64")
    # the coached households whose time after intake has not fully come by ``until``: said beside the table, as a
    # count of households protected like any other (a number from 1 to k - 1 is not published)
    pending = sum(1 for d in r.counts.coach_intakes(area) if d + timedelta(days=after_days) > until)
    # (as JSON values: Streamlit and pyarrow write a table's attrs into its metadata)
    table.attrs.update(until=until.isoformat(), left_out=disclosure.shown_count(pending, k))
    return _copied(_VIEWS.keep(key, table))


def _control_cohort(r: _Request, raw: pd.DataFrame, area: str | None, life_domain: str | None, min_before: int,
                    after_days: int, until: date) -> dict[Any, bool]:
    """The control rows' cells that are cells of the distribution on the day before the median intake (of every
    coached household, whatever ``area``: the control rows are the same for every area filter).

    The control cohort before intake is the control area's row of that day's distribution from ``min_before``
    casemanagers up, and its households (before and after) is that part's sum (:data:`COHORTS`). These cells
    take the suppression of that day's protected distribution, so that the coach effect and the overlap
    report on that day cannot be combined. Empty when there is no such relation (no coached households or no
    control area)."""
    control = [(g, m) for g, m in raw.index if not str(g).startswith("coached")]
    if min_before not in COHORTS or len(control) != 2:
        return {}
    # the median intake of every coached household counted (those whose time after intake has come by ``until``),
    # whatever the area filter: one control cohort for every filter
    intakes = [d for d in r.counts.coach_intakes(None) if d + timedelta(days=after_days) <= until]
    kinds, k = r.kinds, r.k
    if not intakes or CONTROL not in kinds:
        return {}
    day = intakes[(len(intakes) - 1) // 2] - timedelta(days=1)
    per_kind = r.households.groupby("area_kind")["households"].sum().astype("int64")
    t = overlap.from_database_counts(r.counts.overlap_rows(day, None, life_domain), r.per_area.to_dict(),
                                     per_kind.to_dict())
    dist = _frame(t["distribution"])
    cube = _cube(dist, kinds, r.hidden, k)
    (group, before), (_, after) = control
    part = COHORTS[min_before]
    true = dist.loc[kinds[CONTROL]].sum(axis=0)
    if any(int(raw.loc[(group, before), b]) != (int(true[b]) if b in part else 0) for b in overlap.BINS):
        return {}  # not the same households (should not happen): nothing to align
    preset: dict[Any, bool] = {("request", group, before, b): bool(b in part and pd.isna(cube.loc[CONTROL, b]))
                               for b in overlap.BINS}
    cohort_hidden = bool(cube.attrs["partial_sums"][min_before])
    preset[("request", group, before, "households")] = cohort_hidden
    preset[("request", group, after, "households")] = cohort_hidden
    return preset


def organisations(db: Database, audit: AuditLog, actor: Actor) -> pd.DataFrame:
    """The organisations (id, name, sector, covenant group); no client data, so any aggregate role."""
    require_role(audit, actor, "list_organisations", *OVERLAP_ROLES)
    return _organisations(db).reset_index()


def _organisations(db: Database) -> pd.DataFrame:
    """The organisations by id, each ``name`` the one a page shows for it (told apart where two share a name:
    :func:`queries.analytics.labels.distinct_names`)."""
    orgs = run(db, "org_names").to_df()
    if orgs.empty:
        return pd.DataFrame(columns=["name", "sector", "covenant_group", "mandating"], index=pd.Index([], name="id"))
    orgs = orgs.set_index("id")
    names = labels.distinct_names(orgs["name"].to_dict())
    return orgs.assign(name=[names[str(i)] for i in orgs.index])


def _dates(rows: list[dict[str, Any]], *cols: str) -> list[dict[str, Any]]:
    for r in rows:
        for c in cols:
            r[c] = _native(r.get(c))
    return rows


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise WijknetError(said("said.aggregates.period_swapped", "The period starts ({start}) after it ends "
                                "({end}); swap the dates.", start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}"))


def _check_year(start: date, end: date) -> None:
    """The collaboration and handover figures count events (handovers, referrals, advice) in a period: they are
    published per calendar year only. Two periods that overlap, each with its own small cells hidden, gave away what
    both hid: 2009 and 2009-2010 published the handovers of 2010 (8, hidden on its own) as their difference, and per
    area too (an outside test). Years do not overlap, so no two published tables count the same events."""
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        raise WijknetError(said("said.aggregates.period_year", "These figures are counted per calendar year (1 "
                                "January to 31 December), not for {start} to {end}: figures of periods that overlap "
                                "would give away the cells each hides.", start=f"{start:%d-%m-%Y}",
                                end=f"{end:%d-%m-%Y}"))


def year_period(year: int) -> tuple[date, date]:
    """The period of the collaboration and handover figures of ``year``: 1 January to 31 December."""
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class CollaborationView:
    """The project lead's view of how organisations work together in a period (disclosure control applied).

    ``organisations``: one row per organisation (name, sector, covenant group, households served, degree,
    strength, betweenness in the ``edge_type`` graph, mandates, advice adopted/refused/debated and the
    adoption rate); ``edges``: ties of every type (``type``, ``source``, ``target``, ``n``; directed for
    handovers and referrals); ``followup``: referral follow-up per receiving organisation.
    """

    start: date
    end: date
    edge_type: str
    k: int
    organisations: pd.DataFrame
    edges: pd.DataFrame
    followup: pd.DataFrame
    #: when the snapshot the ties were counted from was read (None: counted in the database now)
    counted_at: datetime | None = None


def _handovers(db: Database, start: date, end: date, area: str | None, life_domain: str | None,
               derived: bool, gap_days: int, snap: snapshot.OverlapSnapshot | None = None
               ) -> handover_counts.Handovers:
    """The handovers of the period as integer columns: from the snapshot when it holds them (every handover of
    the region and period, no row read per handover), otherwise read from the database row by row — only
    while a fresh snapshot is being read, and only up to the row cap, which guards the app's memory."""
    if snap is not None and snap.lead_facts:
        return snap.handover_counts(start, end, area, life_domain, derived, gap_days)
    params = {"from": start, "to": end, "area": area, "life_domain": life_domain}
    results = [run(db, "handover_edges", params)]
    if derived:
        results.append(run(db, "handover_derived", {**params, "gap_days": gap_days}))
    if any(r.truncated for r in results):
        # Chains, ping-pong and clusters from part of the handovers would be silently wrong: refuse instead.
        raise WijknetError(said(
            "said.aggregates.too_many_handovers", "This period has more than {cap} handovers. The app does not read "
            "that many row by row from the database (memory limit WIJKNET_ROW_CAP); it has to only while the "
            "snapshot of the data after the last change is still being read. Try again in a minute, or choose a "
            "shorter period or one area.", cap=int(db.row_cap)))
    return _handovers_from_rows([row for r in results for row in r.rows])


def _handovers_from_rows(rows: list[dict[str, Any]]) -> handover_counts.Handovers:
    """Rows of ``handover_edges``/``handover_derived`` as :class:`handover_counts.Handovers` (professionals and
    households numbered in the order of their identifiers, as in the snapshot)."""
    def codes(*columns: str) -> tuple[list[str], list[np.ndarray]]:
        vocab = sorted({r[c] for r in rows for c in columns if r[c] is not None})
        index = {v: i for i, v in enumerate(vocab)}
        return vocab, [np.array([index.get(r[c], -1) for r in rows], dtype=np.int64) for c in columns]

    organisations, (from_org, to_org) = codes("from_organisation", "to_organisation")
    _, (from_pro, to_pro) = codes("from_professional", "to_professional")
    _, (household,) = codes("household_id")
    _, (life_domain,) = codes("life_domain")
    areas, (area,) = codes("area")
    days = np.array([_native(r["date"]) for r in rows], dtype="datetime64[D]").astype(np.int64)
    return handover_counts.Handovers(
        date=days, from_professional=from_pro, to_professional=to_pro, from_organisation=from_org,
        to_organisation=to_org, life_domain=life_domain, household=household, area=area,
        organisations=organisations, areas=areas)


class _ViewCache:
    """The last few lead-page views counted from a snapshot, by snapshot and filters: Streamlit runs a page
    again on every click (a tab, a download), and the same snapshot with the same filters gives the same view.
    A new snapshot (any change of the graph) gives new keys; the audit record is written on every call."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...] | None) -> Any:
        if key is None:
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def keep(self, key: tuple[Any, ...] | None, view: _V) -> _V:
        if key is not None:
            with self._lock:
                self._items[key] = view
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return view


_flights: dict[tuple[Any, ...], list[Any]] = {}  # key -> [its lock, how many requests hold or wait for it]
_flights_lock = threading.Lock()


@contextlib.contextmanager
def _one_at_a_time(key: tuple[Any, ...] | None) -> Iterator[None]:
    """Requests that would compute the same thing (``key``) do so one after another: the first computes and keeps
    it, the others wait and find it kept. With 25 users the first minutes after a new snapshot had several of them
    solve the same date's programmes side by side, and :func:`prepare_figures` computing ahead beside them."""
    if key is None:
        yield
        return
    with _flights_lock:
        flight = _flights.setdefault(key, [threading.Lock(), 0])
        flight[1] += 1
    try:
        with flight[0]:
            yield
    finally:
        with _flights_lock:
            flight[1] -= 1
            if flight[1] == 0:
                del _flights[key]


_VIEWS = _ViewCache(64)
_HOUSEHOLDS = _ViewCache(8)
#: One chain per life domain and "all domains" (and k): a policymaker going through every domain on the page
#: recomputes none.
_CHAINS = _ViewCache(4 * (len(LIFE_DOMAINS) + 1))  # the distribution's chains and the flag tables'
#: The protected pair matrices of a date and life domain (:func:`_pair_grid`), for every area filter.
_PAIRS = _ViewCache(256)  # a chain (:func:`_pairs_before`): every year end of decades, for every life domain
#: The hidden cells :func:`_widen_pairs` chose, by the numbers they were chosen from (:func:`_pair_content`).
_WIDENED = _ViewCache(256)
_V = TypeVar("_V")


def forget() -> None:
    """Drop every view, chain and hidden-cell decision held in memory, as a new process starts (the decisions kept
    on disk stay): what the benchmarks do beside :func:`snapshot.forget` to measure a cold page."""
    for cache in (_VIEWS, _HOUSEHOLDS, _CHAINS, _PAIRS, _WIDENED):
        cache.clear()
    _pair_hidden.cache_clear()


def _view_key(db: Database, snap: snapshot.OverlapSnapshot | None, *filters: Any, lead: bool = True
              ) -> tuple[Any, ...] | None:
    """The cache key of a view counted from ``snap`` (None: not counted from a snapshot — or, for a lead view,
    from one without the lead's facts — not cached)."""
    if snap is None or (lead and not snap.lead_facts):
        return None
    return (db.uri, db.database, id(snap), snap.token, snap.read_at, *filters)


def _copied(view: _V) -> _V:
    """``view`` with fresh copies of its tables: a page may change what it is given, the cache keeps the original."""
    if isinstance(view, pd.DataFrame):
        return cast(_V, view.copy())
    if dataclasses.is_dataclass(view) and not isinstance(view, type):
        return cast(_V, dataclasses.replace(view, **{f.name: getattr(view, f.name).copy()
                                                     for f in dataclasses.fields(view)
                                                     if isinstance(getattr(view, f.name), pd.DataFrame)}))
    return view


def _read_at(snap: snapshot.OverlapSnapshot | None) -> datetime | None:
    return datetime.fromtimestamp(snap.read_at, UTC) if snap is not None else None


def _consultation_pairs(db: Database, start: date, end: date, area: str | None,
                        snap: snapshot.OverlapSnapshot | None = None) -> pd.DataFrame:
    """:func:`collaboration.consultation_pairs`, counted from the snapshot or in the database."""
    rows = snap.consultation_rows(start, end, area) if snap is not None and snap.consultations is not None else \
        run(db, "org_collaboration_consultation_pairs", {"from": start, "to": end, "area": area}).rows
    return pd.DataFrame(rows, columns=["a", "b", "n"]).astype({"n": "int64"})


class _CollabCounts(NamedTuple):
    """The collaboration page's counts under one area filter, before any is hidden."""

    served: pd.Series                  # households served per organisation
    typed: dict[str, pd.DataFrame]     # per tie type: source, target, n
    mandates: pd.DataFrame             # per organisation: mandates, adopted, refused, debated
    follow: pd.DataFrame               # referral follow-up per receiving organisation

    def advice(self, org: Any) -> dict[str, int]:
        m = self.mandates
        values = {c: int(m.loc[org, c]) if c in m.columns and org in m.index else 0
                  for c in ("adopted", "refused", "debated")}
        return {**values, "advice": sum(values.values())}

    def followup(self, column: str) -> dict[Any, int]:
        """Per receiving organisation: ``referrals`` or ``not_started``."""
        return {o: int(n) for o, n in self.follow[column].items()} if column in self.follow else {}


def _collab_counts(db: Database, snap: snapshot.OverlapSnapshot | None, lead: snapshot.OverlapSnapshot | None,
                   start: date, end: date, area: str | None, life_domain: str | None, derived_handovers: bool,
                   gap_days: int) -> _CollabCounts:
    """Every count the collaboration page shows for ``area`` (``None``: all areas): from the snapshot when it
    holds them, else in Cypher."""
    params = {"from": start, "to": end, "area": area, "life_domain": life_domain}
    shared_rows = (snap if snap is not None else counting.CypherCounts(db)).shared_rows(start, end, area, life_domain)
    served, shared = collaboration.shared_from_counts(shared_rows)
    shared = shared.rename(columns={"a": "source", "b": "target"})
    handovers = collaboration.directed_from_counts(
        lead.handover_org_rows(start, end, area, life_domain, derived_handovers, gap_days) if lead is not None
        else run(db, "org_handover_counts", {**params, "derived": derived_handovers, "gap_days": gap_days}).rows)
    referral_rows = lead.referral_rows(start, end, area, life_domain) if lead is not None else \
        run(db, "org_collaboration_referral_counts", params).rows
    referral_edges = collaboration.directed_from_counts(
        [{"source": r["source"], "target": r["target"], "n": r["n"]} for r in referral_rows if r["source"] is not None])
    consult_edges = _consultation_pairs(db, start, end, area, lead).rename(columns={"a": "source", "b": "target"})
    mand = pd.DataFrame(lead.mandate_rows(start, end, area, life_domain),
                        columns=["organisation_id", "mandates", *snapshot.OUTCOMES]) if lead is not None else \
        run(db, "org_collaboration_mandates", params).to_df()
    mand = mand.set_index("organisation_id") if not mand.empty else pd.DataFrame(
        columns=["mandates", "adopted", "refused", "debated"])
    return _CollabCounts(served, {"shared": shared, "handover": handovers, "referral": referral_edges,
                                  "consultation": consult_edges}, mand,
                         collaboration.followup_from_counts(referral_rows))


_ADVICE = ["adopted", "refused", "debated"]


def _advice_hidden(org: Any, counts: _CollabCounts, k: int) -> set[str]:
    """The advice cells of ``org`` hidden in a view of all areas (parts add up to the advice)."""
    return disclosure.protect(counts.advice(org), [(_ADVICE, "advice")], k)


class _AreaJoint:
    """The hiding of one area's figures decided together with every area's and with the whole's as the whole's
    view shows it (:func:`disclosure.protect`: per row, the areas add up to the whole; the whole's state fixed)."""

    def __init__(self, whole: _CollabCounts, areas: dict[str, _CollabCounts], area: str, k: int) -> None:
        self.whole, self.areas, self.area, self.k = whole, areas, area, k
        self.names = list(areas)

    def _hidden(self, whole: dict[Any, int], per_area: dict[str, dict[Any, int]], keys: Any,
                whole_hidden: Callable[[Any, int], bool]) -> dict[Any, bool]:
        out = {}
        for key in keys:
            values: dict[Any, int] = {a: int(per_area[a].get(key, 0)) for a in self.names}
            values["*"] = int(whole.get(key, 0))
            hidden = disclosure.protect(values, [(self.names, "*")], self.k,
                                        preset={"*": whole_hidden(key, values["*"])})
            out[key] = self.area in hidden
        return out

    def _small(self, _key: Any, n: int) -> bool:
        return 0 < n < self.k

    def served_hidden(self, index: pd.Index) -> pd.Series:
        hidden = self._hidden(self.whole.served.to_dict(), {a: c.served.to_dict() for a, c in self.areas.items()},
                              index, self._small)
        return pd.Series([hidden[o] for o in index], index=index, dtype=bool)

    def edges(self, edges: pd.DataFrame) -> pd.DataFrame:
        def pairs(c: _CollabCounts) -> dict[Any, int]:
            return {(t, r.source, r.target): int(r.n) for t, e in c.typed.items() for r in e.itertuples()}

        keys = [(t, s, g) for t, s, g in edges[["type", "source", "target"]].itertuples(index=False)]
        hidden = self._hidden(pairs(self.whole), {a: pairs(c) for a, c in self.areas.items()}, keys, self._small)
        out = edges.copy()
        out["n"] = out["n"].astype("Int64").mask(pd.Series([hidden[key] for key in keys], index=out.index))
        return out

    def advice_hidden(self, org: Any) -> set[str]:
        """Parts add up to the advice in every area and in the whole, and each part's areas to the whole's."""
        cells = [*_ADVICE, "advice"]
        values = {(c, a): v for a, counts in self.areas.items() for c, v in counts.advice(org).items()}
        whole = self.whole.advice(org)
        values.update({(c, "*"): v for c, v in whole.items()})
        relations = [([(c, a) for c in _ADVICE], ("advice", a)) for a in [*self.names, "*"]] + \
                    [([(c, a) for a in self.names], (c, "*")) for c in cells]
        hidden_whole = _advice_hidden(org, self.whole, self.k)
        hidden = disclosure.protect(values, relations, self.k, preset={(c, "*"): c in hidden_whole for c in cells})
        return {c for c in cells if (c, self.area) in hidden}

    def followup(self, follow: pd.DataFrame) -> pd.DataFrame:
        """The referrals per receiving organisation (a median shown only where its referrals are) and those never
        started, each protected over the areas."""
        keys = list(follow["organisation"])
        out = follow.copy()
        for column in ("referrals", "not_started"):
            hidden = self._hidden(self.whole.followup(column), {a: c.followup(column) for a, c in self.areas.items()},
                                  keys, self._small)
            mask = pd.Series([hidden[key] for key in keys], index=out.index)
            out[column] = out[column].astype("Int64").mask(mask)
            if column == "referrals":
                for median in ("median_days_to_accept", "median_days_to_start"):
                    out[median] = out[median].mask(mask)
        return out


def collaboration_view(db: Database, audit: AuditLog, actor: Actor, *, start: date, end: date,
                       area: str | None = None, life_domain: str | None = None, edge_type: str = "shared",
                       derived_handovers: bool = True, gap_days: int = GAP_DAYS, k: int | None = None,
                       max_age_s: float = 0.0) -> CollaborationView:
    """Organisations as a network in one calendar year (:func:`year_period`): shared households, handovers,
    referrals, consultations, mandates."""
    require_role(audit, actor, "view_collaboration", *COLLABORATION_ROLES)
    _check_period(start, end)
    _check_year(start, end)
    return _collaboration_view(db, audit, actor, start=start, end=end, area=area, life_domain=life_domain,
                               edge_type=edge_type, derived_handovers=derived_handovers, gap_days=gap_days, k=k,
                               max_age_s=max_age_s)


def _collaboration_view(db: Database, audit: AuditLog, actor: Actor, *, start: date, end: date,
                        area: str | None = None, life_domain: str | None = None, edge_type: str = "shared",
                        derived_handovers: bool = True, gap_days: int = GAP_DAYS, k: int | None = None,
                        max_age_s: float = 0.0) -> CollaborationView:
    """:func:`collaboration_view` of any period: what the tests of its counting compare with the exact counts."""
    require_role(audit, actor, "view_collaboration", *COLLABORATION_ROLES)
    _check_filters(area, life_domain)
    _check_period(start, end)
    if edge_type not in collaboration.EDGE_TYPES:
        raise WijknetError(said("said.aggregates.unknown_tie", "Unknown tie type {value!r}; choose one of: "
                                "{choices}.", value=edge_type, choices=", ".join(collaboration.EDGE_TYPES)))
    k = deployment_k(db, k)
    audit_action(audit, actor, "view_collaboration",
                 detail=_detail(start=start, end=end, area=area, life_domain=life_domain, edge_type=edge_type))
    snap = snapshot.current(db, max_age_s=max_age_s)
    key = _view_key(db, snap, "collaboration", start, end, area, life_domain, edge_type, derived_handovers, gap_days, k)
    if (hit := _VIEWS.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    orgs = _organisations(db)
    lead = snap if snap is not None and snap.lead_facts else None

    def counted(where: str | None) -> _CollabCounts:
        return _collab_counts(db, snap, lead, start, end, where, life_domain, derived_handovers, gap_days)

    # A household lives in one area: the areas' figures add up to the whole's. Published beside each other (the
    # whole on the page, an area by its filter), an area's figures are protected together with every other area's
    # and with the whole as the whole's view publishes it: all areas minus two gave the third area's hidden cell
    # back, down to 1 household in a shelter (an outside test, 08-12-2026).
    joint = None
    if area is not None:
        per_area = {str(a): counted(str(a)) for a in _households(db, None)["area"]}
        raw = per_area[area] if area in per_area else counted(area)
        joint = _AreaJoint(counted(None), per_area, area, k)
    else:
        raw = counted(None)
    typed = raw.typed
    edges = pd.concat([e.assign(type=name) for name, e in typed.items()], ignore_index=True)
    edges = edges[["type", "source", "target", "n"]]
    edges_shown = disclosure.suppress_cells(edges, k, ["n"]) if joint is None else joint.edges(edges)

    # Degree, strength and betweenness from the ties the view shows: on all ties, strength minus an
    # organisation's shown ties would give its hidden ones back.
    chosen = edges_shown[edges_shown["type"] == edge_type][["source", "target", "n"]].dropna(subset=["n"])
    g = collaboration.org_graph(orgs.index, chosen.astype({"n": "int64"}), "source", "target", "n")
    metrics = collaboration.org_metrics(g)
    mand = raw.mandates
    table = orgs[["name", "sector", "covenant_group"]].copy()
    table["households"] = raw.served.reindex(table.index, fill_value=0).astype("int64")
    table = table.join(metrics)
    for c in ("mandates", "adopted", "refused", "debated"):
        table[c] = mand[c].reindex(table.index).fillna(0).astype("int64") if c in mand else 0
    advice = table["adopted"] + table["refused"] + table["debated"]
    table["advice"] = advice
    table["adopted_share"] = (table["adopted"] / advice.where(advice > 0)).round(3)
    if joint is None:
        table = disclosure.suppress_cells(table, k, ["households"])
    else:
        table["households"] = table["households"].astype("Int64").mask(joint.served_hidden(table.index))
    # Adopted + refused + debated = advice, published together: one protection per organisation; the share
    # (adopted / advice) only where both are shown.
    parts = ["adopted", "refused", "debated"]
    for c in [*parts, "advice"]:
        table[c] = table[c].astype("Int64")
    for org in table.index:
        for c in _advice_hidden(org, raw, k) if joint is None else joint.advice_hidden(org):
            table.loc[org, c] = pd.NA
    table["adopted_share"] = table["adopted_share"].where(
        (table["adopted"].notna() & table["advice"].notna()).to_numpy(dtype=bool))
    table.index.name = "organisation"

    follow = raw.follow.assign(name=[orgs["name"].get(o, str(o)) for o in raw.follow.index]).reset_index()
    follow = disclosure.suppress_by_base(follow, "referrals", ["median_days_to_accept", "median_days_to_start"], k)
    follow = disclosure.suppress_cells(follow, k, ["not_started"]) if joint is None else joint.followup(follow)
    return _VIEWS.keep(key, CollaborationView(
        start=start, end=end, edge_type=edge_type, k=k, organisations=table,
        edges=edges_shown, followup=follow, counted_at=_read_at(lead)))


@dataclass(frozen=True)
class HandoverView:
    """Where handovers cluster (disclosure control applied); see :mod:`queries.analytics.communities`."""

    start: date
    end: date
    k: int
    handovers: int                      # all handovers counted (explicit + derived when asked)
    edges: pd.DataFrame                 # source, target (organisations), n
    org_communities: pd.DataFrame       # organisation, name, community
    org_quality: dict[str, Any]         # algorithm, engine, seed, modularity, communities
    professional_communities: pd.DataFrame  # community, professionals, organisations, handovers inside
    professional_quality: dict[str, Any]
    pairs: pd.DataFrame                 # hotspots: source, target, n
    areas: pd.DataFrame                 # area, n
    periods: pd.DataFrame               # quarter, n
    chain_lengths: pd.DataFrame         # handovers per case -> cases, with a total
    longest_chains: pd.DataFrame        # route, length, cases (routes taken by fewer than k cases are left out)
    ping_pong: pd.DataFrame             # a, b, n
    #: when the snapshot the handovers were counted from was read (None: read from the database now)
    counted_at: datetime | None = None
    #: when this year has none: the other years with at least k handovers under the same filters (from the
    #: snapshot; empty without one), for the page to point to
    other_years: tuple[int, ...] = ()

    @property
    def handovers_shown(self) -> int | None:
        """The number of handovers as pages and reports publish it: None (hidden) when ``0 < n < k``."""
        return disclosure.shown_count(self.handovers, self.k)


def _partition(table: pd.DataFrame, column: str, total: int, k: int) -> pd.DataFrame:
    """A table whose ``column`` adds up to ``total`` (handovers per pair, per area, per quarter add up to the
    handovers shown on the page), protected with that total (hidden itself when ``0 < total < k``)."""
    out = table.copy()
    values: dict[Any, int] = {i: int(v) for i, v in zip(range(len(out)), out[column], strict=True)}
    values["total"] = int(total)
    hidden = disclosure.protect(values, [(list(range(len(out))), "total")], k,
                                preset={"total": 0 < total < k})
    out[column] = out[column].astype("Int64").mask(pd.Series([i in hidden for i in range(len(out))],
                                                             index=out.index))
    return out


def _quality(c: communities.Communities) -> dict[str, Any]:
    return {"algorithm": c.algorithm, "engine": c.engine, "seed": c.seed, "modularity": round(c.modularity, 4),
            "communities": c.count}


def handover_view(db: Database, audit: AuditLog, actor: Actor, *, start: date, end: date,
                  area: str | None = None, life_domain: str | None = None, derived_handovers: bool = True,
                  gap_days: int = GAP_DAYS, seed: int = 2008, engine: str = "auto", k: int | None = None,
                  max_age_s: float = 0.0) -> HandoverView:
    """Handover clusters and hotspots in one calendar year (:func:`year_period`)."""
    require_role(audit, actor, "view_handovers", *COLLABORATION_ROLES)
    _check_period(start, end)
    _check_year(start, end)
    return _handover_view(db, audit, actor, start=start, end=end, area=area, life_domain=life_domain,
                          derived_handovers=derived_handovers, gap_days=gap_days, seed=seed, engine=engine, k=k,
                          max_age_s=max_age_s)


def _handover_view(db: Database, audit: AuditLog, actor: Actor, *, start: date, end: date,
                   area: str | None = None, life_domain: str | None = None, derived_handovers: bool = True,
                   gap_days: int = GAP_DAYS, seed: int = 2008, engine: str = "auto", k: int | None = None,
                   max_age_s: float = 0.0) -> HandoverView:
    """:func:`handover_view` of any period: what the tests of its counting compare with the exact counts."""
    require_role(audit, actor, "view_handovers", *COLLABORATION_ROLES)
    _check_filters(area, life_domain)
    _check_period(start, end)
    if not 0 <= gap_days <= 365:
        raise WijknetError(said("said.aggregates.gap", "The handover gap must be between 0 and 365 days, not "
                                "{gap}.", gap=str(gap_days)))
    k = deployment_k(db, k)
    audit_action(audit, actor, "view_handovers", detail=_detail(start=start, end=end, area=area,
                                                                life_domain=life_domain, derived=derived_handovers))
    snap = snapshot.current(db, max_age_s=max_age_s)
    key = _view_key(db, snap, "handovers", start, end, area, life_domain, derived_handovers, gap_days, seed, engine, k)
    if (hit := _VIEWS.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    lead = snap if snap is not None and snap.lead_facts else None
    h = _handovers(db, start, end, area, life_domain, derived_handovers, gap_days, lead)
    names = _organisations(db)["name"].to_dict()
    view = _count_handovers(h, names, start=start, end=end, k=k, seed=seed, engine=engine, counted_at=_read_at(lead))
    if h.size == 0 and lead is not None:  # a year without: the years that have some (a total of k or more)
        per_year = lead.handover_years(area, life_domain, derived_handovers, gap_days)
        view = dataclasses.replace(view, other_years=tuple(y for y, n in sorted(per_year.items()) if n >= k))
    return _VIEWS.keep(key, view)


def _count_handovers(h: handover_counts.Handovers, names: dict[str, Any], *, start: date, end: date, k: int,
                    seed: int = 2008, engine: str = "auto", counted_at: datetime | None = None) -> HandoverView:
    """The handover page's tables from the handovers of its period (``names``: organisation id -> name), with
    disclosure control: all in numpy from integer columns, so a whole region costs seconds (the benchmark's
    ``--city-handovers`` times it without a database)."""
    org_edges = collaboration.directed_from_counts(handover_counts.organisation_pairs(h))
    oc = communities.detect_communities(org_edges[["source", "target", "n"]], seed=seed, engine=engine)
    org_comm = pd.DataFrame({"organisation": list(oc.partition), "community": list(oc.partition.values())})
    org_comm["name"] = [names.get(o, str(o)) for o in org_comm["organisation"]]
    org_comm = org_comm.sort_values(["community", "organisation"]).reset_index(drop=True)
    pro_comm, pc = _professional_communities(h, names, seed, engine)

    hot = {name: _partition(t, "n", h.size, k) for name, t in handover_counts.handover_hotspots(h).items()}
    chains = handover_counts.chain_lengths(h).to_frame("cases")
    chains.index = chains.index.astype(str)  # one type with the "Total" row
    longest = handover_counts.longest_chains(h, top=50)
    longest = longest[longest["cases"] >= k].head(10).reset_index(drop=True)
    # the handovers are also the sum of length x cases, and each route listed is cases of its length
    at_least = {str(n): int(c) for n, c in longest.groupby("length")["cases"].sum().items()}
    return HandoverView(
        start=start, end=end, k=k, handovers=h.size,
        edges=_partition(org_edges, "n", h.size, k),
        org_communities=org_comm, org_quality=_quality(oc),
        professional_communities=disclosure.suppress_cells(pro_comm, k, ["handovers inside"]),
        professional_quality=_quality(pc),
        pairs=hot["pairs"], areas=hot["areas"], periods=hot["periods"],
        chain_lengths=disclosure.suppress_weighted(chains, disclosure.shown_count(h.size, k), k, at_least=at_least)
        if len(chains) else chains,
        longest_chains=longest,
        ping_pong=disclosure.suppress_cells(handover_counts.ping_pong(h), k, ["n"]),
        counted_at=counted_at,
    )


def _professional_communities(h: handover_counts.Handovers, names: dict[str, Any], seed: int, engine: str
                              ) -> tuple[pd.DataFrame, communities.Communities]:
    """Communities of the professional handover graph — clustered on its distinct edge weights (numpy, from
    the integer columns), never on a row per handover — and per community its size, its three main
    organisations and the handovers inside it."""
    src, dst, n = handover_counts.professional_edges(h)
    pc = communities.detect_communities(pd.DataFrame({"from_professional": src, "to_professional": dst, "n": n}),
                                        seed=seed, engine=engine)
    pro_org = handover_counts.professional_organisation(h)
    groups = pc.members()
    community = np.full(max(pro_org.size, int(src.max(initial=-1)) + 1, int(dst.max(initial=-1)) + 1), -1,
                        dtype=np.int64)
    for cid, members in enumerate(groups):
        community[np.asarray(members, dtype=np.int64)] = cid
    fc, tc = community[src], community[dst]
    same = (fc == tc) & (fc >= 0)
    inside = np.bincount(fc[same], weights=n[same], minlength=len(groups))
    rows = []
    for cid, (members, codes) in enumerate(zip(groups, _main_organisations(groups, pro_org), strict=True)):
        orgs = [h.organisations[c] if c >= 0 else "" for c in codes]
        rows.append({"community": cid, "professionals": len(members),
                     "main organisations": ", ".join(str(names.get(o, o)) for o in orgs),
                     "handovers inside": int(inside[cid])})
    return pd.DataFrame(rows, columns=["community", "professionals", "main organisations", "handovers inside"]), pc


def _main_organisations(groups: list[list[int]], pro_org: np.ndarray, top: int = 3) -> list[list[int]]:
    """Per community, the codes of its ``top`` most frequent organisations (-1: none), ties in the order the
    members come — ``Counter(...).most_common(top)`` over each community's members, in numpy for a city."""
    if not groups:
        return []
    sizes = np.fromiter((len(g) for g in groups), np.int64, len(groups))
    members = np.fromiter((m for g in groups for m in g), np.int64, int(sizes.sum()))
    community = np.repeat(np.arange(len(groups)), sizes)
    org = pro_org[members].astype(np.int64)
    width = int(org.max(initial=-1)) + 2
    keys, first, count = np.unique(community * width + org + 1, return_index=True, return_counts=True)
    order = np.lexsort((first, -count, keys // width))  # per community: most first, then first come
    cid, code = keys[order] // width, keys[order] % width - 1
    starts = run_starts(cid)
    rank = np.arange(cid.size) - np.repeat(starts, np.diff(np.r_[starts, cid.size]))
    out: list[list[int]] = [[] for _ in groups]
    for c, o in zip(cid[rank < top].tolist(), code[rank < top].tolist(), strict=True):
        out[c].append(o)
    return out
