"""The overlap snapshot: the policymaker's overlap tables counted from a compact copy of the involvement periods.

Why: counting overlapping casemanagers in Cypher walks every involvement with its professional, organisation,
subject and membership. At 80,000 households that took 8 s warm and 19 s on a cold server, for every change of
date or filter. The snapshot reads those periods **once per change of the graph** (two named queries,
``snapshot_overlap_facts`` and ``snapshot_household_areas``, about 10 s at that size), keeps them as integer
columns (about 20 bytes per period) and counts every overlap table with numpy in tens of milliseconds.

How it stays true: every write transaction sets a new random data token in the graph
(:meth:`graph.db.Database.data_token`). A snapshot carries the token it was read under; :func:`current`
compares it with the graph's token on every call (one tiny read) and uses the snapshot only when they are
equal. Otherwise the caller counts in Cypher as before (``overlap_counts``, ``overlap_trend_counts``,
``overlap_coach_effect_counts``) while a new snapshot is read in the background. Both engines return the same
rows; ``tests/integration/test_aggregates.py`` holds them equal and equal to the Python reference.

What it holds: integer codes only — no household, person or professional identifier, only the codes of
organisations, functions, life domains and areas (the vocabularies of the tables) — and is written with
0600 permissions under ``<state dir>/snapshots``. Aggregates with disclosure control are made from it by
:mod:`queries.aggregates` exactly as from the Cypher counts.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.db import Database
from queries.registry import run, stream

__all__ = ["OverlapSnapshot", "current", "ensure", "forget", "read_snapshot"]

log = logging.getLogger("wijknet.snapshot")

_EPOCH = date(1970, 1, 1)
_OPEN = np.iinfo(np.int32).max          # an open period runs "forever"
_NO_INTAKE = np.iinfo(np.int32).min     # a household no coach has taken on
_BINS = ("0", "1", "2", "3–4", "5–9", "10+")
_FORMAT = 2                             # bump when the arrays change
_COLUMNS = ("household", "professional", "organisation", "function", "life_domain", "subject", "since", "until")
_VOCABS = ("organisations", "functions", "domains", "areas", "area_names", "area_kinds")


def _day(d: date) -> int:
    return (d - _EPOCH).days


def _days(values: Sequence[str | None], missing: int) -> np.ndarray:
    """ISO dates (``''`` or ``None`` = missing) as int32 days since 1970-01-01."""
    arr = np.array([v or None for v in values], dtype="datetime64[D]")
    out = arr.astype("int64")
    out[np.isnat(arr)] = missing
    return out.astype(np.int32)


def _bin_index(n: np.ndarray) -> np.ndarray:
    """Index into ``_BINS`` of each count (0, 1, 2, 3–4, 5–9, 10+)."""
    return np.select([n <= 2, n <= 4, n <= 9], [n, 3, 4], 5).astype(np.int64)


def _unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(keys, return_counts=True)


@dataclass(frozen=True)
class OverlapSnapshot:
    """Involvement periods as integer columns (one entry per period and household) plus per-household facts.

    ``household`` … ``subject`` are codes; ``since``/``until`` are days since 1970-01-01 (``until`` of an open
    period is the largest int32). ``hh_area`` (area code or -1) and ``hh_intake`` (day of the first coach
    intake, or the smallest int32) are indexed by household code.
    """

    token: str
    read_at: float              # when it was read from the graph (seconds since the epoch)
    household: np.ndarray
    professional: np.ndarray
    organisation: np.ndarray
    function: np.ndarray
    life_domain: np.ndarray
    subject: np.ndarray
    since: np.ndarray
    until: np.ndarray
    hh_area: np.ndarray
    hh_intake: np.ndarray
    organisations: tuple[str, ...]
    functions: tuple[str, ...]
    domains: tuple[str, ...]
    areas: tuple[str, ...]
    area_names: tuple[str, ...]
    area_kinds: tuple[str, ...]

    # -- sizes -------------------------------------------------------------------------------------------
    @property
    def periods(self) -> int:
        return int(self.household.size)

    def _n(self, column: np.ndarray) -> int:
        return int(column.max()) + 1 if column.size else 1

    # -- filters -----------------------------------------------------------------------------------------
    def _area_code(self, area: str | None) -> int | None:
        if area is None:
            return None
        return self.areas.index(area) if area in self.areas else -2  # -2 matches no household

    def _domain_rows(self, life_domain: str | None) -> np.ndarray:
        if life_domain is None:
            return np.ones(self.periods, dtype=bool)
        if life_domain not in self.domains:
            return np.zeros(self.periods, dtype=bool)
        return np.asarray(self.life_domain == self.domains.index(life_domain))

    def _active(self, day: int) -> np.ndarray:
        return np.asarray((self.since <= day) & (self.until >= day))

    # -- the households per area (the denominators) ------------------------------------------------------
    def households(self, area: str | None) -> pd.DataFrame:
        """Like the ``overlap_households`` query: area, name, area_kind, households (areas with households)."""
        counts = np.bincount(self.hh_area[self.hh_area >= 0], minlength=len(self.areas))
        rows = [{"area": a, "name": self.area_names[i], "area_kind": self.area_kinds[i], "households": int(counts[i])}
                for i, a in enumerate(self.areas) if counts[i] > 0 and (area is None or a == area)]
        return pd.DataFrame(rows, columns=["area", "name", "area_kind", "households"])

    # -- overlap at one date -----------------------------------------------------------------------------
    def overlap_rows(self, as_of: date, area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        """The rows the ``overlap_counts`` query returns for the same parameters (pairs as ``org_a <= org_b``)."""
        acode = self._area_code(area)
        rows = np.flatnonzero(self._active(_day(as_of)) & self._domain_rows(life_domain))
        h = self.household[rows].astype(np.int64)
        ha = self.hh_area[h]
        keep = ha >= 0 if acode is None else ha == acode
        rows, h = rows[keep], h[keep]
        p = self.professional[rows].astype(np.int64)
        o = self.organisation[rows].astype(np.int64)
        f = self.function[rows].astype(np.int64)
        dm = self.life_domain[rows].astype(np.int64)
        s = self.subject[rows].astype(np.int64)
        nh, np_, no = len(self.hh_area), self._n(self.professional), len(self.organisations)
        nf, nd, ns = len(self.functions), len(self.domains), self._n(self.subject)

        n = np.bincount(np.unique(h * np_ + p) // np_, minlength=nh)
        same = np.zeros(nh, dtype=bool)
        groups, k = _unique_counts(np.unique(((h * ns + s) * nd + dm) * no + o) // no)
        same[groups[k >= 2] // (ns * nd)] = True
        double = np.zeros(nh, dtype=bool)
        groups, k = _unique_counts(np.unique((h * nf + f) * np_ + p) // np_)
        double[groups[k >= 2] // nf] = True

        out: list[dict[str, Any]] = []
        present = np.flatnonzero(n > 0)
        na = len(self.areas)
        combo = ((self.hh_area[present].astype(np.int64) * len(_BINS) + _bin_index(n[present])) * 2
                 + same[present]) * 2 + double[present]
        for c, count in zip(*_unique_counts(combo), strict=True):
            c = int(c)
            a, rest = divmod(c, len(_BINS) * 4)
            b, flags = divmod(rest, 4)
            assert a < na
            out.append({"area": self.areas[a], "area_kind": self.area_kinds[a], "bin": _BINS[b],
                        "same": bool(flags & 2), "double": bool(flags & 1), "org_a": None, "org_b": None,
                        "households": int(count)})
        for (a_org, b_org), count in self._pairs(h, o, no).items():
            out.append({"area": None, "area_kind": None, "bin": None, "same": None, "double": None,
                        "org_a": self.organisations[a_org], "org_b": self.organisations[b_org], "households": count})
        return out

    @staticmethod
    def _pairs(h: np.ndarray, o: np.ndarray, no: int) -> dict[tuple[int, int], int]:
        """Households per unordered pair of organisations active on them (diagonal = households served)."""
        ho = np.unique(h * no + o)
        if not ho.size:
            return {}
        hh, oo = ho // no, ho % no
        starts = np.flatnonzero(np.r_[True, hh[1:] != hh[:-1]])
        ends = np.r_[starts[1:], ho.size]
        end_of = np.repeat(ends, ends - starts)
        rem = end_of - np.arange(ho.size)                 # this entry and those after it in its household
        a = np.repeat(np.arange(ho.size), rem)
        b = a + (np.arange(a.size) - np.repeat(np.cumsum(rem) - rem, rem))
        counts = np.bincount(oo[a] * no + oo[b], minlength=no * no)
        return {divmod(int(k), no): int(counts[k]) for k in np.flatnonzero(counts)}

    # -- the quarterly trend -----------------------------------------------------------------------------
    def trend_rows(self, dates: Sequence[date], area: str | None, life_domain: str | None) -> list[dict[str, Any]]:
        """The rows the ``overlap_trend_counts`` query returns: (day, bin, households) for days with work."""
        if not dates:
            return []
        acode = self._area_code(area)
        days = [_day(d) for d in dates]
        m = self._domain_rows(life_domain) & (self.since <= days[-1]) & (self.until >= days[0])
        if acode is not None:
            m &= self.hh_area[self.household] == acode
        rows = np.flatnonzero(m)
        # Each period covers a run of consecutive dates [lo, hi]. Merge the runs of one professional on one
        # household (two periods count once), then count per household and date with +1/-1 at the ends of
        # every run and a running sum over the dates.
        grid = np.asarray(days, dtype=np.int64)
        lo = np.searchsorted(grid, self.since[rows], side="left")
        hi = np.searchsorted(grid, self.until[rows], side="right") - 1
        real = hi >= lo
        rows, lo, hi = rows[real], lo[real], hi[real]
        nh, np_, nd = len(self.hh_area), self._n(self.professional), len(days)
        hp = self.household[rows].astype(np.int64) * np_ + self.professional[rows]
        order = np.lexsort((lo, hp))
        hp, lo, hi = hp[order], lo[order], hi[order]
        first = np.r_[True, hp[1:] != hp[:-1]] if hp.size else np.zeros(0, dtype=bool)
        group = np.cumsum(first) - 1
        reach = np.maximum.accumulate(hi + group * (nd + 2)) - group * (nd + 2)  # running max of hi per group
        starts = first | (lo > np.r_[-1, reach[:-1]] + 1)
        seg = np.cumsum(starts) - 1
        seg_lo = lo[starts]
        seg_hi = np.zeros(seg_lo.size, dtype=np.int64)
        np.maximum.at(seg_hi, seg, hi)
        seg_h = hp[starts] // np_
        width = nd + 1
        delta = np.bincount(np.r_[seg_h * width + seg_lo, seg_h * width + seg_hi + 1],
                            weights=np.r_[np.ones(seg_lo.size), -np.ones(seg_lo.size)], minlength=nh * width)
        n = np.cumsum(delta.reshape(nh, width), axis=1)[:, :nd].astype(np.int64)
        d_idx = np.nonzero(n > 0)
        per = np.bincount(d_idx[1] * len(_BINS) + _bin_index(n[d_idx]), minlength=nd * len(_BINS))
        out: list[dict[str, Any]] = []
        for k in np.flatnonzero(per):
            d, b = divmod(int(k), len(_BINS))
            out.append({"day": dates[d], "bin": _BINS[b], "households": int(per[k])})
        return out

    # -- organisations sharing households in a period -----------------------------------------------------
    def shared_rows(self, start: date, end: date, area: str | None, life_domain: str | None
                    ) -> list[dict[str, Any]]:
        """The rows the ``org_collaboration_shared`` query returns: ``org_a == org_b`` = households served in
        the period; otherwise households on which the pair's periods (each touching the period) overlap."""
        acode = self._area_code(area)
        lo, hi = _day(start), _day(end)
        m = self._domain_rows(life_domain) & (self.since <= hi) & (self.until >= lo)
        ha = self.hh_area[self.household]
        m &= ha >= 0 if acode is None else ha == acode
        rows = np.flatnonzero(m)
        h = self.household[rows].astype(np.int64)
        o = self.organisation[rows].astype(np.int64)
        since, until = self.since[rows].astype(np.int64), self.until[rows].astype(np.int64)
        no = len(self.organisations)
        counts: dict[tuple[int, int], int] = {}
        served = np.bincount(np.unique(h * no + o) % no, minlength=no)
        for k in np.flatnonzero(served):
            counts[(int(k), int(k))] = int(served[k])
        # Every pair of periods on one household (sorted by household): keep those of two organisations that
        # overlap; then each (household, organisation pair) once.
        order = np.argsort(h, kind="stable")
        h, o, since, until = h[order], o[order], since[order], until[order]
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if h.size else np.zeros(0, dtype=np.int64)
        ends = np.r_[starts[1:], h.size]
        rem = np.repeat(ends, ends - starts) - np.arange(h.size)   # this period and those after it
        a = np.repeat(np.arange(h.size), rem)
        b = a + (np.arange(a.size) - np.repeat(np.cumsum(rem) - rem, rem))
        keep = (o[a] != o[b]) & (since[a] <= until[b]) & (since[b] <= until[a])
        a, b = a[keep], b[keep]
        oa, ob = np.minimum(o[a], o[b]), np.maximum(o[a], o[b])
        pairs = np.unique((h[a] * no + oa) * no + ob) % (no * no)
        per = np.bincount(pairs, minlength=no * no)
        for k in np.flatnonzero(per):
            x, y = divmod(int(k), no)
            counts[(x, y)] = int(per[k])
        return [{"org_a": self.organisations[x], "org_b": self.organisations[y], "households": n}
                for (x, y), n in counts.items()]

    # -- before and after coach intake ---------------------------------------------------------------------
    def coach_intakes(self, area: str | None) -> list[date]:
        """The first coach intake of every coached household (of ``area``), sorted: what the
        ``overlap_coach_intakes`` query returns, without asking the database."""
        acode = self._area_code(area)
        coached = (self.hh_intake != _NO_INTAKE) & (self.hh_area >= 0)
        if acode is not None:
            coached &= self.hh_area == acode
        return [_EPOCH + timedelta(days=int(d)) for d in np.sort(self.hh_intake[coached])]

    def coach_effect_rows(self, area: str | None, life_domain: str | None, after_days: int, min_before: int
                          ) -> list[dict[str, Any]]:
        """The rows the ``overlap_coach_effect_counts`` query returns: (group, n_before, n_after, households)."""
        acode = self._area_code(area)
        coached = (self.hh_intake != _NO_INTAKE) & (self.hh_area >= 0)
        if acode is not None:
            coached &= self.hh_area == acode
        coached_ids = np.flatnonzero(coached)
        if not coached_ids.size:
            return []
        intakes = np.sort(self.hh_intake[coached_ids])
        reference = int(intakes[(intakes.size - 1) // 2])
        start, end = int(intakes[0]) - 1, int(intakes[-1]) + after_days
        dom = self._domain_rows(life_domain)
        np_ = self._n(self.professional)
        nh = len(self.hh_area)

        def count_at(rows: np.ndarray, day: np.ndarray | int) -> np.ndarray:
            act = rows[(self.since[rows] <= day) & (self.until[rows] >= day)] if rows.size else rows
            h = self.household[act].astype(np.int64)
            return np.bincount(np.unique(h * np_ + self.professional[act]) // np_, minlength=nh)

        out: list[dict[str, Any]] = []

        def add(group: str, ids: np.ndarray, before: np.ndarray, after: np.ndarray) -> None:
            pairs = np.stack([before[ids], after[ids]], axis=1) if ids.size else np.zeros((0, 2), dtype=np.int64)
            values, counts = np.unique(pairs, axis=0, return_counts=True)
            for (nb, na), count in zip(values.tolist(), counts.tolist(), strict=True):
                out.append({"group": group, "n_before": int(nb), "n_after": int(na), "households": int(count)})

        rows = np.flatnonzero(dom & coached[self.household])
        intake_of = self.hh_intake[self.household[rows]]
        add("coached", coached_ids, count_at(rows, intake_of - 1), count_at(rows, intake_of + after_days))
        kinds = np.array([k == "control" for k in self.area_kinds] + [False], dtype=bool)
        control = kinds[np.where(self.hh_area >= 0, self.hh_area, len(self.area_kinds))]
        rows = np.flatnonzero(dom & control[self.household])
        seen = np.zeros(nh, dtype=bool)
        seen[self.household[rows[(self.since[rows] <= end) & (self.until[rows] >= start)]]] = True
        before = count_at(rows, reference - 1)
        after = count_at(rows, reference + after_days)
        add("control", np.flatnonzero(control & seen & (before >= min_before)), before, after)
        return out

    # -- storage -------------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write atomically with 0600 permissions (a half-written file is never read)."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        arrays: dict[str, Any] = {c: getattr(self, c) for c in _COLUMNS + ("hh_area", "hh_intake")}
        arrays.update({v: np.array(getattr(self, v), dtype=str) for v in _VOCABS})
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, format=np.array(_FORMAT), token=np.array(self.token), read_at=np.array(self.read_at),
                         **arrays)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> OverlapSnapshot | None:
        """The snapshot in ``path``, or ``None`` when it is missing, unreadable or of another format."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["format"]) != _FORMAT:
                    return None
                fields: dict[str, Any] = {c: z[c] for c in _COLUMNS + ("hh_area", "hh_intake")}
                fields.update({v: tuple(str(x) for x in z[v]) for v in _VOCABS})
                return cls(token=str(z["token"]), read_at=float(z["read_at"]), **fields)
        except (OSError, ValueError, KeyError):
            return None


def _codes(values: Iterable[Any], vocab: dict[Any, int]) -> np.ndarray:
    out = np.fromiter((vocab.setdefault(v, len(vocab)) for v in values), dtype=np.int64)
    return out.astype(np.int32)


def read_snapshot(db: Database, token: str) -> OverlapSnapshot:
    """Read the involvement periods and households from the graph into a new snapshot labelled ``token``.

    The facts arrive as one row per organisation with a list per column (the driver spends ~35 µs per record;
    lists cost a fraction of that).
    """
    read_at = time.time()
    areas = {r["area"]: r for r in run(db, "snapshot_areas").rows}
    area_codes = {a: n for n, a in enumerate(areas)}
    households: dict[str, int] = {}
    hh_area: list[int] = []
    hh_intake: list[str] = []
    for area, household, intake in stream(db, "snapshot_household_areas", timeout=3600):
        code = area_codes.get(area, -1) if area else -1
        for h, i in zip(household, intake, strict=True):
            if h not in households:
                households[h] = len(households)
                hh_area.append(code)
                hh_intake.append(i)
    cols: dict[str, list[Any]] = {c: [] for c in _COLUMNS}
    for row in stream(db, "snapshot_overlap_facts", timeout=3600):
        # (organisation, [household], [professional], [function], [life_domain], [subject], [since], [until])
        organisation, rest = row[0], row[1:]
        cols["organisation"].extend([organisation] * len(rest[0]))
        for c, values in zip(_COLUMNS[:2] + _COLUMNS[3:], rest, strict=True):
            cols[c].extend(values)
    n_before = len(households)
    household = _codes(cols["household"], households)
    extra = len(households) - n_before   # households with work but no Household row (cannot happen; be safe)
    organisations: dict[str, int] = {}
    functions: dict[str, int] = {}
    domains: dict[str, int] = {}
    organisation = _codes(cols["organisation"], organisations)
    function = _codes(cols["function"], functions)
    life_domain = _codes(cols["life_domain"], domains)
    return OverlapSnapshot(
        token=token, read_at=read_at, household=household,
        professional=_codes(cols["professional"], {}), organisation=organisation, function=function,
        life_domain=life_domain, subject=_codes(cols["subject"], {}),
        since=_days(cols["since"], _OPEN), until=_days(cols["until"], _OPEN),
        hh_area=np.array(hh_area + [-1] * extra, dtype=np.int32),
        hh_intake=np.concatenate([_days(hh_intake, _NO_INTAKE), np.full(extra, _NO_INTAKE, dtype=np.int32)]),
        organisations=tuple(organisations), functions=tuple(functions), domains=tuple(domains),
        areas=tuple(areas), area_names=tuple(str(r["name"] or r["area"]) for r in areas.values()),
        area_kinds=tuple(str(r["area_kind"] or "") for r in areas.values()))


# --- the snapshot in force ------------------------------------------------------------------------------------
_lock = threading.Lock()
_memory: dict[tuple[str, str], OverlapSnapshot] = {}
_building: set[tuple[str, str]] = set()
_last_build: dict[tuple[str, str], tuple[float, float]] = {}   # (finished at, seconds it took)


def _path(db: Database, token: str) -> Path | None:
    return db.snapshot_dir / f"overlap-{token}.npz" if db.snapshot_dir else None


def forget() -> None:
    """Drop the snapshots held in memory (the files stay): the next call reads from disk, as a new process."""
    with _lock:
        _memory.clear()
        _last_build.clear()


def _build(db: Database, token: str) -> OverlapSnapshot:
    t0 = time.perf_counter()
    snap = read_snapshot(db, token)
    path = _path(db, token)
    if path is not None:
        snap.save(path)
        for old in path.parent.glob("overlap-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    seconds = time.perf_counter() - t0
    with _lock:
        _memory[(db.uri, db.database)] = snap
        _last_build[(db.uri, db.database)] = (time.monotonic(), seconds)
    log.info("overlap snapshot: %d periods read in %.1f s", snap.periods, seconds)
    return snap


def _build_in_background(db: Database, token: str) -> None:
    """Read a new snapshot in a thread: one at a time per database, and while the graph keeps changing (an
    import running) at most as often as a read takes, so that reading never takes more than half the time."""
    key = (db.uri, db.database)
    with _lock:
        finished, took = _last_build.get(key, (0.0, 0.0))
        if key in _building or time.monotonic() - finished < took:
            return
        _building.add(key)

    def work() -> None:
        try:
            _build(db, token)
        except Exception as exc:  # noqa: BLE001 - a failed background read only means "count in Cypher"
            log.warning("overlap snapshot could not be read: %s", type(exc).__name__)
        finally:
            with _lock:
                _building.discard(key)

    threading.Thread(target=work, name="overlap-snapshot", daemon=True).start()


def current(db: Database, *, wait: bool = False, max_age_s: float = 0.0) -> OverlapSnapshot | None:
    """The snapshot of the graph as it is now, or ``None`` while it is being read (count in Cypher meanwhile).

    With ``wait`` a missing snapshot is read now (the CLI after a load; about 20 s at 80,000 households).
    With ``max_age_s`` > 0 (the policymaker pages, ``WIJKNET_SNAPSHOT_MAX_AGE``) a snapshot of data that has
    changed since is still returned while a fresh one is read, if it was read at most that many seconds ago;
    the page shows when (:attr:`OverlapSnapshot.read_at`). The default is exact.
    """
    token = db.data_token()
    if token is None:
        return None
    with _lock:
        snap = _memory.get((db.uri, db.database))
    if snap is not None and snap.token == token:
        return snap
    path = _path(db, token)
    if path is not None and path.exists():
        loaded = OverlapSnapshot.load(path)
        if loaded is not None and loaded.token == token:
            with _lock:
                _memory[(db.uri, db.database)] = loaded
            return loaded
    if wait:
        return _build(db, token)
    _build_in_background(db, token)
    if snap is not None and max_age_s > 0 and time.time() - snap.read_at <= max_age_s:
        return snap
    return None


def ensure(db: Database) -> str:
    """Make sure the snapshot of the graph as it is now exists (read it if not); one sentence on the outcome.

    The CLI calls it after a load, so that the first policymaker to open the overlap page does not wait.
    """
    t0 = time.perf_counter()
    snap = current(db, wait=True)
    if snap is None:
        return "The overlap snapshot is not needed: the graph has no data yet."
    return f"Overlap snapshot ready: {snap.periods:,} involvement periods ({time.perf_counter() - t0:.1f} s)."
