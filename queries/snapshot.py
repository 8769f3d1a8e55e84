"""The overlap snapshot: the policymaker's overlap tables counted from a compact copy of the involvement periods.

Why: counting overlapping casemanagers in Cypher walks every involvement with its professional, organisation,
subject and membership. At 80,000 households that took 8 s warm and 19 s on a cold server, for every change of
date or filter. The snapshot reads those periods **once per change of the graph** (two named queries,
``snapshot_overlap_facts`` and ``snapshot_household_areas``, about 10 s at that size), keeps them as integer
columns (about 20 bytes per period) and counts every overlap table with numpy in tens of milliseconds. With
them it reads what the project lead's pages count (handovers, referrals, joint consultations, mandates granted
and advice under them — advice coaches record in the app is a write like any other, so it is in the next
snapshot).

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.db import Database, in_background
from graph.errors import BeingComputed
from graph.said import said
from queries.analytics.arrays import distinct
from queries.analytics.handover_counts import Handovers
from queries.analytics.overlap import OverlapCells
from queries.registry import run, stream

__all__ = ["BeingComputed", "ConsultationFacts", "HandoverFacts", "MandateFacts", "OverlapSnapshot", "ReferralFacts", "current", "ensure",
           "forget", "read_snapshot"]

log = logging.getLogger("wijknet.snapshot")

_EPOCH = date(1970, 1, 1)
_Date = date                            # the type, where a column called ``date`` hides it
_OPEN = np.iinfo(np.int32).max          # an open period runs "forever"
_NO_INTAKE = np.iinfo(np.int32).min     # a household no coach has taken on
_BINS = ("0", "1", "2", "3–4", "5–9", "10+")
_FORMAT = 5                             # bump when the arrays change
_COLUMNS = ("household", "professional", "organisation", "function", "life_domain", "subject", "since", "until")
_VOCABS = ("organisations", "functions", "domains", "areas", "area_names", "area_kinds")
_HANDOVER_COLUMNS = ("date", "from_professional", "from_organisation", "to_professional", "to_organisation",
                     "life_domain", "household", "area", "gap")
_REFERRAL_COLUMNS = ("date", "source", "target", "life_domain", "area", "accept_days", "start_days", "not_started")
_CONSULTATION_COLUMNS = ("consultation", "date", "area", "org_a", "org_b")
_MANDATE_COLUMNS = ("organisation", "mandate", "since", "until", "life_domain", "advice_mandate", "advice_date",
                    "advice_outcome", "area_advice", "area_code")
#: The outcomes of advice the collaboration page counts, in the order of :meth:`OverlapSnapshot.mandate_rows`.
OUTCOMES = ("adopted", "refused", "debated")
_MISSING = np.iinfo(np.int32).min       # a referral not (yet) accepted or started
#: The largest gap (days) between two involvements that the snapshot keeps a derived handover for: the
#: handover page offers 0–365.
MAX_GAP_DAYS = 365


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


def _repeated(ordered: np.ndarray) -> np.ndarray:
    """The values that occur more than once in the sorted array ``ordered`` (each at least once)."""
    return np.asarray(ordered[1:][ordered[1:] == ordered[:-1]])


@dataclass(frozen=True)
class HandoverFacts:
    """Every explicit handover and every derived one with a gap of at most :data:`MAX_GAP_DAYS`, as integer
    columns: what ``handover_edges`` and ``handover_derived`` return for any period, area, life domain and gap.

    ``date`` is days since 1970-01-01 (the handover's date; a derived one's is the start of the new
    involvement). ``from_professional``/``to_professional`` and ``household`` are ranks in the sorted order of
    the identifiers (so sorting by code sorts as by identifier; the identifiers themselves are not kept);
    ``from_organisation``/``to_organisation``, ``life_domain`` and ``area`` index the snapshot's
    ``organisations``, ``domains`` and ``areas`` (-1 = none). ``gap`` is -1 for an explicit handover, otherwise
    the days between the end of the old involvement and the start of the new one.
    """

    date: np.ndarray
    from_professional: np.ndarray
    from_organisation: np.ndarray
    to_professional: np.ndarray
    to_organisation: np.ndarray
    life_domain: np.ndarray
    household: np.ndarray
    area: np.ndarray
    gap: np.ndarray

    @property
    def size(self) -> int:
        return int(self.date.size)

    def select(self, start: _Date, end: _Date, area: int | None, life_domain: int | None, derived: bool,
               gap_days: int) -> np.ndarray:
        """Indices of the handovers in ``[start, end]`` (area and life domain codes: None = all, -2 = none;
        derived ones only with ``derived``, and only up to ``gap_days``), explicit ones first."""
        m = (self.date >= _day(start)) & (self.date <= _day(end))
        if area is not None:
            m &= self.area == area
        if life_domain is not None:
            m &= self.life_domain == life_domain
        m &= (self.gap < 0) | ((self.gap <= gap_days) if derived else False)
        rows = np.flatnonzero(m)
        return rows[np.argsort(self.gap[rows] >= 0, kind="stable")]


@dataclass(frozen=True)
class ReferralFacts:
    """Every referral: ``date`` (days since 1970-01-01), ``source``/``target`` organisation codes (-1 = the
    referring professional works for none), ``life_domain`` and ``area`` codes (-1 = none), the days until it
    was accepted and until help started (:data:`_MISSING` = not yet) and whether help has not started."""

    date: np.ndarray
    source: np.ndarray
    target: np.ndarray
    life_domain: np.ndarray
    area: np.ndarray
    accept_days: np.ndarray
    start_days: np.ndarray
    not_started: np.ndarray


@dataclass(frozen=True)
class ConsultationFacts:
    """One row per consultation, area of one of its households and unordered pair of organisations at its
    table (``org_a`` < ``org_b`` as codes): ``consultation`` numbers the consultations, ``date`` is days since
    1970-01-01."""

    consultation: np.ndarray
    date: np.ndarray
    area: np.ndarray
    org_a: np.ndarray
    org_b: np.ndarray


@dataclass(frozen=True)
class MandateFacts:
    """Every grant of a mandate and every advice under one, as integer columns: what ``org_collaboration_mandates``
    counts for any period, area and life domain.

    Grants: ``organisation`` (code), ``mandate`` (a number per mandate), ``since``/``until`` (days since
    1970-01-01; a missing ``since`` is the largest int32, so the grant falls in no period, as in the query; an
    open ``until`` too) and the mandate's ``life_domain`` (code, -1 = none). Advice, one entry per advice and
    UNDER relationship: ``advice_mandate``, ``advice_date`` and ``advice_outcome`` (index into :data:`OUTCOMES`,
    -1 = no outcome yet or another one). ``area_advice``/``area_code``: the areas of the households each advice
    is about (an index into the advice entries and an area code; an advice without area has no entry).
    """

    organisation: np.ndarray
    mandate: np.ndarray
    since: np.ndarray
    until: np.ndarray
    life_domain: np.ndarray
    advice_mandate: np.ndarray
    advice_date: np.ndarray
    advice_outcome: np.ndarray
    area_advice: np.ndarray
    area_code: np.ndarray


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
    function: np.ndarray        # of an involvement in the casemanager role; "" for any other role
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
    #: the handovers of the collaboration and handover pages (None in a snapshot built without them)
    handovers: HandoverFacts | None = None
    #: referrals and joint consultations of the collaboration page (None in a snapshot built without them)
    referrals: ReferralFacts | None = None
    consultations: ConsultationFacts | None = None
    #: mandates granted and advice under them, for the collaboration page (None in a snapshot built without them)
    mandates: MandateFacts | None = None

    def __post_init__(self) -> None:
        # The periods are kept in order of household, then professional, whatever order they were read in: the
        # overlap counts then take each key led by the household nearly sorted (distinct(nearly_sorted=True))
        # and read the columns front to back. No count depends on the order of the periods.
        h, p = self.household, self.professional
        if h.size > 1 and not bool(((h[1:] > h[:-1]) | ((h[1:] == h[:-1]) & (p[1:] >= p[:-1]))).all()):
            order = np.lexsort((p, h))
            for c in _COLUMNS:
                object.__setattr__(self, c, getattr(self, c)[order])

    @property
    def lead_facts(self) -> bool:
        """Whether the collaboration and handover pages can be counted from this snapshot."""
        return (self.handovers is not None and self.referrals is not None and self.consultations is not None
                and self.mandates is not None)

    # -- sizes -------------------------------------------------------------------------------------------
    @property
    def periods(self) -> int:
        return int(self.household.size)

    def span(self) -> tuple[date, date] | None:
        """The first start and the last start or end of the involvement periods (None: no dated period): after
        the last one every count stays as it is on that day."""
        since, until = self.since[self.since < _OPEN], self.until[self.until < _OPEN]
        if not since.size:
            return None
        last = max(int(since.max()), int(until.max()) if until.size else 0)
        return _EPOCH + timedelta(days=int(since.min())), _EPOCH + timedelta(days=last)

    def _n(self, column: np.ndarray) -> int:
        return int(column.max()) + 1 if column.size else 1

    # -- filters -----------------------------------------------------------------------------------------
    def _area_code(self, area: str | None) -> int | None:
        if area is None:
            return None
        return self.areas.index(area) if area in self.areas else -2  # -2 matches no household

    def domain_code(self, life_domain: str | None) -> int | None:
        """The code of ``life_domain`` (None = all; -2 = a domain no period has, which matches nothing)."""
        if life_domain is None:
            return None
        return self.domains.index(life_domain) if life_domain in self.domains else -2

    def area_code(self, area: str | None) -> int | None:
        """The code of ``area`` (None = all; -2 = an unknown area, which matches nothing)."""
        return self._area_code(area)

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
        return self.overlap_cells(as_of, life_domain).rows(area)

    def overlap_cells(self, as_of: date, life_domain: str | None) -> OverlapCells:
        """The overlap counts at ``as_of`` of every area at once, in one pass (:class:`OverlapCells`)."""
        # The periods are in household order (__post_init__): every key below leads with the household, so it
        # is sorted but for each household's few periods, and each distinct() sorts it in a fraction of the time.
        rows = np.flatnonzero(self._active(_day(as_of)) & self._domain_rows(life_domain))
        h = self.household[rows].astype(np.int64)
        keep = self.hh_area[h] >= 0
        rows, h = rows[keep], h[keep]
        p = self.professional[rows].astype(np.int64)
        o = self.organisation[rows].astype(np.int64)
        f = self.function[rows].astype(np.int64)
        dm = self.life_domain[rows].astype(np.int64)
        s = self.subject[rows].astype(np.int64)
        nh, np_, no = len(self.hh_area), self._n(self.professional), len(self.organisations)
        nf, nd, ns, na = len(self.functions), len(self.domains), self._n(self.subject), len(self.areas)

        n = np.bincount(distinct(h * np_ + p, nearly_sorted=True) // np_, minlength=nh)
        same = np.zeros(nh, dtype=bool)     # 2+ organisations on one (member, life domain)
        same[_repeated(distinct(((h * ns + s) * nd + dm) * no + o, nearly_sorted=True) // no) // (ns * nd)] = True
        double = np.zeros(nh, dtype=bool)   # 2+ professionals in the casemanager role of one function
        cm = f != self.functions.index("") if "" in self.functions else np.ones(len(f), dtype=bool)
        double[_repeated(distinct((h[cm] * nf + f[cm]) * np_ + p[cm], nearly_sorted=True) // np_) // nf] = True
        present = np.flatnonzero(n > 0)
        combo = ((self.hh_area[present].astype(np.int64) * len(_BINS) + _bin_index(n[present])) * 2
                 + same[present]) * 2 + double[present]
        groups = np.bincount(combo, minlength=na * len(_BINS) * 4).reshape(na, len(_BINS), 2, 2)
        return OverlapCells(areas=self.areas, area_kinds=self.area_kinds, organisations=self.organisations,
                            groups=groups.astype(np.int64), pairs=self._pairs(h, o, no, na))

    def _pairs(self, h: np.ndarray, o: np.ndarray, no: int, na: int) -> np.ndarray:
        """Households per area and unordered pair of organisations active on them: ``[area, a, b]`` with
        ``a <= b`` (the diagonal: households served)."""
        ho = distinct(h * no + o, nearly_sorted=True)
        if not ho.size:
            return np.zeros((na, no, no), dtype=np.int64)
        hh, oo = ho // no, ho % no
        first = (self.hh_area[hh].astype(np.int64) * no + oo) * no   # each entry as the first of a pair
        counts = np.bincount(first + oo, minlength=na * no * no)      # the diagonal: households served
        # Every entry with the one ``d`` places after it in the same household (the organisations of a household
        # are sorted, so a < b); an entry without a partner at ``d`` has none further on.
        at, d = np.arange(ho.size - 1), 1
        while at.size:
            at = at[hh[at + d] == hh[at]]
            counts += np.bincount(first[at] + oo[at + d], minlength=na * no * no)
            d += 1
            at = at[at + d < ho.size]
        return counts.reshape(na, no, no).astype(np.int64)

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
        served = np.bincount(distinct(h * no + o) % no, minlength=no)
        for k in np.flatnonzero(served):
            counts[(int(k), int(k))] = int(served[k])
        # Every pair of periods on one household (sorted by household): keep those of two organisations that
        # overlap; then each (household, organisation pair) once.
        order = np.argsort(h, kind="stable")
        h, o, since, until = h[order], o[order], since[order], until[order]
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if h.size else np.zeros(0, dtype=np.int64)
        ends = np.r_[starts[1:], h.size] if h.size else starts   # no period: no household either
        rem = np.repeat(ends, ends - starts) - np.arange(h.size)   # this period and those after it
        a = np.repeat(np.arange(h.size), rem)
        b = a + (np.arange(a.size) - np.repeat(np.cumsum(rem) - rem, rem))
        keep = (o[a] != o[b]) & (since[a] <= until[b]) & (since[b] <= until[a])
        a, b = a[keep], b[keep]
        oa, ob = np.minimum(o[a], o[b]), np.maximum(o[a], o[b])
        pairs = distinct((h[a] * no + oa) * no + ob) % (no * no)
        per = np.bincount(pairs, minlength=no * no)
        for k in np.flatnonzero(per):
            x, y = divmod(int(k), no)
            counts[(x, y)] = int(per[k])
        return [{"org_a": self.organisations[x], "org_b": self.organisations[y], "households": n}
                for (x, y), n in counts.items()]

    # -- handovers (collaboration and handover pages) ------------------------------------------------------
    def _handover_rows(self, start: date, end: date, area: str | None, life_domain: str | None, derived: bool,
                       gap_days: int) -> tuple[HandoverFacts, np.ndarray]:
        if self.handovers is None:
            raise LookupError("This snapshot holds no handovers.")
        ho = self.handovers
        return ho, ho.select(start, end, self._area_code(area), self.domain_code(life_domain), derived, gap_days)

    def handover_org_rows(self, start: date, end: date, area: str | None, life_domain: str | None, derived: bool,
                          gap_days: int) -> list[dict[str, Any]]:
        """The rows the ``org_handover_counts`` query returns: (source, target, n) per pair of organisations."""
        ho, rows = self._handover_rows(start, end, area, life_domain, derived, gap_days)
        no = len(self.organisations)
        per = np.bincount(ho.from_organisation[rows].astype(np.int64) * no + ho.to_organisation[rows], minlength=no * no)
        out = []
        for k in np.flatnonzero(per):
            a, b = divmod(int(k), no)
            out.append({"source": self.organisations[a], "target": self.organisations[b], "n": int(per[k])})
        return out

    def handover_years(self, area: str | None, life_domain: str | None, derived: bool, gap_days: int
                       ) -> dict[int, int]:
        """The handovers per calendar year under the filters (years without any left out): where the handover
        page, on a year without, can point to."""
        ho, rows = self._handover_rows(_Date(1, 1, 1), _Date(9999, 12, 31), area, life_domain, derived, gap_days)
        years = (ho.date[rows].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)
        found, counts = np.unique(years, return_counts=True)
        return dict(zip(found.tolist(), counts.tolist(), strict=True))

    def handover_counts(self, start: date, end: date, area: str | None, life_domain: str | None, derived: bool,
                        gap_days: int) -> Handovers:
        """The handovers the ``handover_edges`` (and, with ``derived``, ``handover_derived``) queries return, as
        the integer columns the handover page counts with (:mod:`queries.analytics.handover_counts`):
        professionals and households are codes in the order of their identifiers, which the page never shows."""
        ho, rows = self._handover_rows(start, end, area, life_domain, derived, gap_days)
        return Handovers(
            date=ho.date[rows], from_professional=ho.from_professional[rows],
            to_professional=ho.to_professional[rows], from_organisation=ho.from_organisation[rows],
            to_organisation=ho.to_organisation[rows], life_domain=ho.life_domain[rows],
            household=ho.household[rows], area=ho.area[rows], organisations=self.organisations, areas=self.areas)

    # -- referrals and joint consultations (collaboration page) ---------------------------------------------
    def referral_rows(self, start: date, end: date, area: str | None, life_domain: str | None
                      ) -> list[dict[str, Any]]:
        """The rows the ``org_collaboration_referral_counts`` query returns: per (source, target) the
        referrals, the days until accepted and until started (missing ones left out) and how many never
        started."""
        if self.referrals is None:
            raise LookupError("This snapshot holds no referrals.")
        rf = self.referrals
        m = (rf.date >= _day(start)) & (rf.date <= _day(end))
        acode, dcode = self._area_code(area), self.domain_code(life_domain)
        if acode is not None:
            m &= rf.area == acode
        if dcode is not None:
            m &= rf.life_domain == dcode
        rows = np.flatnonzero(m)
        no = len(self.organisations) + 1                  # +1: no referring organisation
        key = (rf.source[rows].astype(np.int64) + 1) * no + rf.target[rows]
        order = np.argsort(key, kind="stable")
        rows, key = rows[order], key[order]
        out: list[dict[str, Any]] = []
        if not key.size:
            return out
        bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        for lo, hi in zip(bounds, np.r_[bounds[1:], key.size], strict=True):
            part = rows[lo:hi]
            source, target = divmod(int(key[lo]), no)
            accept, begun = rf.accept_days[part], rf.start_days[part]
            out.append({"source": self.organisations[source - 1] if source else None,
                        "target": self.organisations[target], "n": int(part.size),
                        "accept_days": accept[accept != _MISSING].tolist(),
                        "start_days": begun[begun != _MISSING].tolist(),
                        "not_started": int(rf.not_started[part].sum())})
        return out

    def consultation_rows(self, start: date, end: date, area: str | None) -> list[dict[str, Any]]:
        """The rows the ``org_collaboration_consultation_pairs`` query returns: (a, b, n), sorted by a, b."""
        if self.consultations is None:
            raise LookupError("This snapshot holds no consultations.")
        cf = self.consultations
        m = (cf.date >= _day(start)) & (cf.date <= _day(end))
        acode = self._area_code(area)
        if acode is not None:
            m &= cf.area == acode
        rows = np.flatnonzero(m)
        no = len(self.organisations)
        pair = cf.org_a[rows].astype(np.int64) * no + cf.org_b[rows]
        once = distinct(cf.consultation[rows].astype(np.int64) * no * no + pair) % (no * no)  # per consultation
        per = np.bincount(once, minlength=no * no)
        out = []
        for k in np.flatnonzero(per):
            a, b = sorted(self.organisations[c] for c in divmod(int(k), no))   # a < b as identifiers
            out.append({"a": a, "b": b, "n": int(per[k])})
        return sorted(out, key=lambda r: (r["a"], r["b"]))

    # -- mandates and advice (collaboration page) -----------------------------------------------------------
    def mandate_rows(self, start: date, end: date, area: str | None, life_domain: str | None
                     ) -> list[dict[str, Any]]:
        """The rows the ``org_collaboration_mandates`` query returns: per organisation that granted a mandate in
        force in the period (of ``life_domain``), the grants and the advice under their mandates in the period
        (about households in ``area``) that was adopted, refused or debated, counted once per grant."""
        if self.mandates is None:
            raise LookupError("This snapshot holds no mandates.")
        mf = self.mandates
        lo, hi = _day(start), _day(end)
        grants = (mf.since <= hi) & (mf.until >= lo)
        dcode = self.domain_code(life_domain)
        if dcode is not None:
            grants &= mf.life_domain == dcode
        advice = (mf.advice_date >= lo) & (mf.advice_date <= hi) & (mf.advice_outcome >= 0)
        acode = self._area_code(area)
        if acode is not None:
            there = np.zeros(advice.size, dtype=bool)
            there[mf.area_advice[mf.area_code == acode]] = True
            advice &= there
        nm = max(self._n(mf.mandate), self._n(mf.advice_mandate))
        per_mandate = np.bincount(mf.advice_mandate[advice].astype(np.int64) * len(OUTCOMES) + mf.advice_outcome[advice],
                                  minlength=nm * len(OUTCOMES)).reshape(nm, len(OUTCOMES))
        g = np.flatnonzero(grants)
        no = len(self.organisations)
        orgs = mf.organisation[g].astype(np.int64)
        n_grants = np.bincount(orgs, minlength=no)
        per_org = np.zeros((no, len(OUTCOMES)), dtype=np.int64)
        np.add.at(per_org, orgs, per_mandate[mf.mandate[g]])
        rows = [{"organisation_id": self.organisations[o], "mandates": int(n_grants[o]),
                 **{name: int(per_org[o, i]) for i, name in enumerate(OUTCOMES)}} for o in np.flatnonzero(n_grants)]
        return sorted(rows, key=lambda r: r["organisation_id"])

    # -- before and after coach intake ---------------------------------------------------------------------
    def coach_intakes(self, area: str | None) -> list[date]:
        """The first coach intake of every coached household (of ``area``), sorted: what the
        ``overlap_coach_intakes`` query returns, without asking the database."""
        acode = self._area_code(area)
        coached = (self.hh_intake != _NO_INTAKE) & (self.hh_area >= 0)
        if acode is not None:
            coached &= self.hh_area == acode
        return [_EPOCH + timedelta(days=int(d)) for d in np.sort(self.hh_intake[coached])]

    def coach_effect_rows(self, area: str | None, life_domain: str | None, after_days: int, min_before: int,
                          until: date | None = None) -> list[dict[str, Any]]:
        """The rows the ``overlap_coach_effect_counts`` query returns: (group, n_before, n_after, households), of
        the coached households whose ``after_days`` have passed by ``until`` (None: all)."""
        acode = self._area_code(area)
        every = (self.hh_intake != _NO_INTAKE) & (self.hh_area >= 0)
        if until is not None:  # the year after has not fully come for a later intake
            every &= self.hh_intake.astype(np.int64) + after_days <= _day(until)
        coached = every & (self.hh_area == acode) if acode is not None else every
        coached_ids = np.flatnonzero(coached)
        if not coached_ids.size:
            return []
        # the control group around the median intake of every coached household, in their window, whatever the
        # area filter: one cohort for every filter (see overlap_coach_effect_counts.cypher)
        intakes = np.sort(self.hh_intake[every])
        reference = int(intakes[(intakes.size - 1) // 2])
        start, end = int(intakes[0]) - 1, int(intakes[-1]) + after_days
        dom = self._domain_rows(life_domain)
        np_ = self._n(self.professional)
        nh = len(self.hh_area)

        def count_at(rows: np.ndarray, day: np.ndarray | int) -> np.ndarray:
            act = rows[(self.since[rows] <= day) & (self.until[rows] >= day)] if rows.size else rows
            h = self.household[act].astype(np.int64)
            return np.bincount(distinct(h * np_ + self.professional[act]) // np_, minlength=nh)

        out: list[dict[str, Any]] = []

        def add(group: str, ids: np.ndarray, before: np.ndarray, after: np.ndarray) -> None:
            # One integer key per (before, after): np.unique over rows (axis=0) took ~110 ms at 80,000 households.
            width = int(max(before.max(initial=0), after.max(initial=0))) + 1
            values, counts = _unique_counts(before[ids].astype(np.int64) * width + after[ids])
            for key, count in zip(values.tolist(), counts.tolist(), strict=True):
                nb, na = divmod(int(key), width)
                out.append({"group": group, "n_before": nb, "n_after": na, "households": int(count)})

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
        for prefix, facts, columns in (("ho", self.handovers, _HANDOVER_COLUMNS),
                                       ("rf", self.referrals, _REFERRAL_COLUMNS),
                                       ("cp", self.consultations, _CONSULTATION_COLUMNS),
                                       ("md", self.mandates, _MANDATE_COLUMNS)):
            if facts is not None:
                arrays.update({f"{prefix}_{c}": getattr(facts, c) for c in columns})
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
                for name, prefix, kind, columns in (
                        ("handovers", "ho", HandoverFacts, _HANDOVER_COLUMNS),
                        ("referrals", "rf", ReferralFacts, _REFERRAL_COLUMNS),
                        ("consultations", "cp", ConsultationFacts, _CONSULTATION_COLUMNS),
                        ("mandates", "md", MandateFacts, _MANDATE_COLUMNS)):
                    if f"{prefix}_{columns[0]}" in z.files:
                        fields[name] = kind(**{c: z[f"{prefix}_{c}"] for c in columns})
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
            if h and h not in households:
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
    _complete(cols, ("household", "professional", "subject", "since"))
    n_before = len(households)
    household = _codes(cols["household"], households)
    extra = len(households) - n_before   # households with work but no Household row (cannot happen; be safe)
    organisations: dict[str, int] = {}
    functions: dict[str, int] = {}
    domains: dict[str, int] = {}
    organisation = _codes(cols["organisation"], organisations)
    function = _codes(cols["function"], functions)
    life_domain = _codes(cols["life_domain"], domains)
    handovers = _read_handovers(db, organisations, domains, area_codes)
    referrals = _read_referrals(db, organisations, domains, area_codes)
    consultations = _read_consultations(db, organisations, area_codes)
    mandates = _read_mandates(db, organisations, domains, area_codes)
    return OverlapSnapshot(
        token=token, read_at=read_at, household=household,
        professional=_codes(cols["professional"], {}), organisation=organisation, function=function,
        life_domain=life_domain, subject=_codes(cols["subject"], {}),
        since=_days(cols["since"], _OPEN), until=_days(cols["until"], _OPEN),
        hh_area=np.array(hh_area + [-1] * extra, dtype=np.int32),
        hh_intake=np.concatenate([_days(hh_intake, _NO_INTAKE), np.full(extra, _NO_INTAKE, dtype=np.int32)]),
        organisations=tuple(organisations), functions=tuple(functions), domains=tuple(domains),
        areas=tuple(areas), area_names=tuple(str(r["name"] or r["area"]) for r in areas.values()),
        area_kinds=tuple(str(r["area_kind"] or "") for r in areas.values()), handovers=handovers,
        referrals=referrals, consultations=consultations, mandates=mandates)


def _complete(cols: dict[str, list[Any]], required: Sequence[str]) -> None:
    """Leave out, in place, every entry of the aligned lists ``cols`` that misses one of the ``required`` values
    ('' : a node another transaction changed while the snapshot was read; the snapshot is outdated by that change
    and read again)."""
    missing = {n for c in required for n, v in enumerate(cols[c]) if v == "" or v is None}
    if missing:
        for c, values in cols.items():
            cols[c] = [v for n, v in enumerate(values) if n not in missing]


def _optional_codes(values: list[str], vocab: dict[str, int]) -> np.ndarray:
    """Codes of ``values`` in ``vocab`` ('' = none: -1; new values are added)."""
    return np.array([vocab.setdefault(v, len(vocab)) if v else -1 for v in values], dtype=np.int32)


def _read_referrals(db: Database, organisations: dict[str, int], domains: dict[str, int],
                    area_codes: dict[str, int]) -> ReferralFacts:
    cols: dict[str, list[Any]] = {c: [] for c in _REFERRAL_COLUMNS}
    for row in stream(db, "snapshot_referral_facts", timeout=3600):
        # (target, [date], [source], [life_domain], [area], [accept_days], [start_days], [not_started])
        target, rest = row[0], row[1:]
        cols["target"].extend([target] * len(rest[0]))
        for c, values in zip(("date", "source", "life_domain", "area", "accept_days", "start_days", "not_started"),
                             rest, strict=True):
            cols[c].extend(values)
    return ReferralFacts(
        date=_days(cols["date"], _OPEN), source=_optional_codes(cols["source"], organisations),
        target=_codes(cols["target"], organisations), life_domain=_optional_codes(cols["life_domain"], domains),
        area=np.array([area_codes.get(a, -1) if a else -1 for a in cols["area"]], dtype=np.int32),
        accept_days=np.array(cols["accept_days"], dtype=np.int32),
        start_days=np.array(cols["start_days"], dtype=np.int32),
        not_started=np.array(cols["not_started"], dtype=bool))


def _read_mandates(db: Database, organisations: dict[str, int], domains: dict[str, int],
                   area_codes: dict[str, int]) -> MandateFacts:
    mandates: dict[str, int] = {}
    grants: dict[str, list[Any]] = {c: [] for c in ("organisation", "mandate", "since", "until", "life_domain")}
    for organisation, *rest in stream(db, "snapshot_mandate_facts", timeout=3600):
        # (organisation, [mandate], [since], [until], [life_domain])
        grants["organisation"].extend([organisation] * len(rest[0]))
        for c, values in zip(("mandate", "since", "until", "life_domain"), rest, strict=True):
            grants[c].extend(values)
    _complete(grants, ("mandate",))
    advice: dict[str, list[Any]] = {"mandate": [], "date": [], "outcome": [], "area_advice": [], "area_code": []}
    outcome_codes = {name: i for i, name in enumerate(OUTCOMES)}
    for mandate, dates, outcomes, areas in stream(db, "snapshot_advice_facts", timeout=3600):
        # (mandate, [date], [outcome], [[area]]): one entry per advice, numbered in the order read
        for day, outcome, where in zip(dates, outcomes, areas, strict=True):
            advice["area_advice"].extend([len(advice["date"])] * len(where))
            advice["area_code"].extend(area_codes.get(a, -1) for a in where)
            advice["date"].append(day)
            advice["mandate"].append(mandate)
            advice["outcome"].append(outcome_codes.get(outcome, -1))
    return MandateFacts(
        organisation=_codes(grants["organisation"], organisations), mandate=_codes(grants["mandate"], mandates),
        since=_days(grants["since"], _OPEN), until=_days(grants["until"], _OPEN),
        life_domain=_optional_codes(grants["life_domain"], domains),
        advice_mandate=_codes(advice["mandate"], mandates), advice_date=_days(advice["date"], _OPEN),
        advice_outcome=np.array(advice["outcome"], dtype=np.int32),
        area_advice=np.array(advice["area_advice"], dtype=np.int32),
        area_code=np.array(advice["area_code"], dtype=np.int32))


def _read_consultations(db: Database, organisations: dict[str, int], area_codes: dict[str, int]
                        ) -> ConsultationFacts:
    cols: dict[str, list[int]] = {c: [] for c in _CONSULTATION_COLUMNS}
    dates: list[str] = []
    for n, (day, areas, orgs) in enumerate(stream(db, "snapshot_consultation_facts", timeout=3600)):
        codes = sorted(organisations.setdefault(o, len(organisations)) for o in set(orgs))
        pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]
        for area in areas:
            for a, b in pairs:
                cols["consultation"].append(n)
                dates.append(day)
                cols["area"].append(area_codes.get(area, -1))
                cols["org_a"].append(a)
                cols["org_b"].append(b)
    return ConsultationFacts(
        consultation=np.array(cols["consultation"], dtype=np.int32), date=_days(dates, _OPEN),
        area=np.array(cols["area"], dtype=np.int32), org_a=np.array(cols["org_a"], dtype=np.int32),
        org_b=np.array(cols["org_b"], dtype=np.int32))


def _ranks(*columns: list[str]) -> list[np.ndarray]:
    """Each identifier as its rank among all of them in sorted order ('' = none: -1), per column."""
    values = [v for c in columns for v in c]
    if not values:
        return [np.zeros(0, dtype=np.int32) for _ in columns]
    uniq, inverse = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
    codes = inverse.astype(np.int32)
    if uniq.size and uniq[0] == "":
        codes -= 1          # '' sorts first: it becomes -1, the rest keep their order
    out, at = [], 0
    for c in columns:
        out.append(codes[at:at + len(c)])
        at += len(c)
    return out


def _read_handovers(db: Database, organisations: dict[str, int], domains: dict[str, int],
                    area_codes: dict[str, int]) -> HandoverFacts:
    cols: dict[str, list[Any]] = {c: [] for c in _HANDOVER_COLUMNS}
    for row in stream(db, "snapshot_handover_facts", timeout=3600):
        # (to_organisation, [date], [from_professional], [from_organisation], [to_professional], [life_domain],
        #  [household], [area], [gap])
        to_organisation, rest = row[0], row[1:]
        cols["to_organisation"].extend([to_organisation] * len(rest[0]))
        for c, values in zip(("date", "from_professional", "from_organisation", "to_professional", "life_domain",
                              "household", "area", "gap"), rest, strict=True):
            cols[c].extend(values)
    _complete(cols, ("date", "from_professional", "from_organisation", "to_professional"))
    from_pro, to_pro = _ranks(cols["from_professional"], cols["to_professional"])
    (household,) = _ranks(cols["household"])
    domain = _codes(cols["life_domain"], domains)
    no_domain = domains.get("")
    if no_domain is not None:
        domain[domain == no_domain] = -1
    return HandoverFacts(
        date=_days(cols["date"], _OPEN), from_professional=from_pro,
        from_organisation=_codes(cols["from_organisation"], organisations), to_professional=to_pro,
        to_organisation=_codes(cols["to_organisation"], organisations), life_domain=domain,
        household=household,
        area=np.array([area_codes.get(a, -1) if a else -1 for a in cols["area"]], dtype=np.int32),
        gap=np.array(cols["gap"], dtype=np.int32))


# --- the snapshot in force ------------------------------------------------------------------------------------
_lock = threading.Lock()
_memory: dict[tuple[str, str], OverlapSnapshot] = {}
_building: set[tuple[str, str]] = set()
_last_build: dict[tuple[str, str], tuple[float, float]] = {}   # (finished at, seconds it took)
_stale_since: dict[tuple[str, str, str], float] = {}  # (uri, database, token) -> when first seen behind the data
_reading: dict[tuple[str, str], threading.Lock] = {}  # one read of the graph at a time per database
#: What is computed from a snapshot before the pages are given it (:func:`prepare_with`), and the snapshots that
#: have had it (by database and token).
_prepare: list[Callable[[Database, OverlapSnapshot], None]] = []
_prepared: dict[tuple[str, str, str], threading.Event] = {}  # set once its steps are done
#: The longest a fresh snapshot waits for :func:`prepare_with`'s steps before the pages are given it (a city of
#: many wijken takes minutes to prepare every quarter end; the pages would show the old snapshot all that time).
PREPARE_BUDGET_S = 60.0


def _path(db: Database, token: str) -> Path | None:
    return db.snapshot_dir / f"overlap-{token}.npz" if db.snapshot_dir else None


def forget() -> None:
    """Drop the snapshots held in memory (the files stay): the next call reads from disk, as a new process."""
    with _lock:
        _memory.clear()
        _last_build.clear()
        _stale_since.clear()
        _prepared.clear()


def prepare_with(step: Callable[[Database, OverlapSnapshot], None]) -> None:
    """Run ``step`` on every snapshot read in the background before the pages are given it, and on a snapshot file
    a process loads (in a thread; the pages have it meanwhile). :mod:`queries.aggregates` computes the overlap
    page's disclosure decisions this way: a page then shows the last snapshot while the next one and its decisions
    are made, instead of the first user of every quarter end waiting for them (issue 22, 25 users)."""
    if step not in _prepare:
        _prepare.append(step)


def _prepare_now(db: Database, snap: OverlapSnapshot) -> threading.Event:
    """Run the steps on ``snap`` unless another caller does or did; the event is set once they are done."""
    key = (db.uri, db.database, snap.token)
    with _lock:
        if (done := _prepared.get(key)) is not None:
            return done
        done = _prepared[key] = threading.Event()
    try:
        for step in list(_prepare):
            try:
                step(db, snap)
            except Exception as exc:  # noqa: BLE001 - preparing is ahead of time only: the page computes it then
                log.warning("overlap snapshot: computing ahead failed: %s: %s", type(exc).__name__, exc)
    finally:
        done.set()
    return done


def prepare_current(db: Database) -> OverlapSnapshot | None:
    """The steps of :func:`prepare_with` on the snapshot of the graph as it is now (read first if missing), done
    before this returns, also when a thread had started them: what a long-running app has done before its users
    come (the benchmarks start so)."""
    snap = current(db, wait=True)
    if snap is not None:
        _prepare_now(db, snap).wait()
    return snap


def _prepare_in_background(db: Database, snap: OverlapSnapshot) -> threading.Thread | None:
    """:func:`_prepare_now` in a thread (None: nothing to run, or run already)."""
    with _lock:
        if (db.uri, db.database, snap.token) in _prepared or not _prepare:
            return None
    return in_background(db, lambda own: _prepare_now(own, snap), name="overlap-prepare")


def _build(db: Database, token: str, *, prepare: bool = False) -> OverlapSnapshot:
    """Read the snapshot of ``token``, or take the one a read running meanwhile made of it: one read at a time per
    database, so a caller that waits while the background reads the same data gets that read's snapshot instead
    of reading the graph again and replacing it in memory."""
    key = (db.uri, db.database)
    with _lock:
        reading = _reading.setdefault(key, threading.Lock())
    with reading:
        with _lock:
            done = _memory.get(key)
        if done is not None and done.token == token:
            return done
        return _read_and_keep(db, token, prepare=prepare)


def _read_and_keep(db: Database, token: str, *, prepare: bool) -> OverlapSnapshot:
    """Read, save and publish the snapshot of ``token``; with ``prepare`` (the background read) the steps of
    :func:`prepare_with` run first, while the pages still have the last snapshot."""
    t0 = time.perf_counter()
    snap = read_snapshot(db, token)
    # before the file is saved (a page finding the file would show it unprepared), for at most the budget: then
    # shown all the same, and what is left goes on beside the pages
    if prepare and (steps := _prepare_in_background(db, snap)) is not None:
        steps.join(PREPARE_BUDGET_S)
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
        for key in [k for k in _stale_since if k[:2] == (db.uri, db.database)]:
            del _stale_since[key]
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

    def work(own: Database) -> None:
        try:
            _build(own, token, prepare=True)
        except Exception as exc:  # noqa: BLE001 - a failed background read only means "count in Cypher"
            log.warning("overlap snapshot could not be read: %s", type(exc).__name__)
        finally:
            with _lock:
                _building.discard(key)

    in_background(db, work, name="overlap-snapshot")


def current(db: Database, *, wait: bool = False, max_age_s: float = 0.0) -> OverlapSnapshot | None:
    """The snapshot of the graph as it is now, or ``None`` while it is being read (count in Cypher meanwhile).

    With ``wait`` a missing snapshot is read now (the CLI after a load; about 20 s at 80,000 households).
    With ``max_age_s`` > 0 (the pages, ``WIJKNET_SNAPSHOT_MAX_AGE``) the last snapshot is still returned while a
    fresh one is read, for at most that many seconds after this process first saw the data differ from it (a
    snapshot read at 9:00 of data that did not change until a coach's write at 14:00 is as good as new at 14:00);
    the page shows when it was read (:attr:`OverlapSnapshot.read_at`). A new process shows the file the previous
    one saved. When there is nothing to show and the graph has more households than
    ``WIJKNET_CYPHER_COUNT_LIMIT``, such a page gets :class:`BeingComputed` instead of a count in Cypher per
    request. The default (0) is exact.
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
            _prepare_in_background(db, loaded)
            return loaded
    if wait:
        return _build(db, token)
    _build_in_background(db, token)
    if max_age_s <= 0:
        return None
    if snap is None and path is not None:
        snap = _last_saved(db, path.parent)  # a new process (a restart): the file the previous one saved
    if snap is not None and _behind_for(db, snap) <= max_age_s:
        return snap
    _refuse_cypher_when_large(db)
    return None


def _behind_for(db: Database, snap: OverlapSnapshot) -> float:
    """Seconds since this process first saw the data differ from ``snap``."""
    with _lock:
        first = _stale_since.setdefault((db.uri, db.database, snap.token), time.monotonic())
    return time.monotonic() - first


def _refuse_cypher_when_large(db: Database) -> None:
    """Raise :class:`BeingComputed` when the graph is over ``WIJKNET_CYPHER_COUNT_LIMIT`` households: at 80,000
    households one overlap count in Cypher takes 8–19 s, and every user asking would start one."""
    from graph.settings import load_settings

    limit = load_settings().cypher_count_limit
    if limit <= 0:
        return
    households = next((int(r["count"]) for r in run(db, "label_counts").rows if r["label"] == "Household"), 0)
    if households <= limit:
        return
    with _lock:
        took = _last_build.get((db.uri, db.database), (0.0, 0.0))[1]
    seconds = round(took) if took else max(10, round(households / 2000))  # ~40 s at 80,000 households
    raise BeingComputed(said("said.snapshot.being_computed", "The figures are being computed from the data as it "
                             "is now (about {seconds} s at {households} households). This page asks again by "
                             "itself.", seconds=seconds, households=households))


def _last_saved(db: Database, folder: Path) -> OverlapSnapshot | None:
    """The newest snapshot file in ``folder`` whatever its token (kept in memory as the one to show while a fresh
    one is read), or ``None``. A new app process otherwise counts a whole city in Cypher per request until its
    first read is done, while the graph keeps changing (issue 22: 25 users at 80,000 households)."""
    try:
        newest = max(folder.glob("overlap-*.npz"), key=lambda f: f.stat().st_mtime, default=None)
    except OSError:  # replaced by a fresh read meanwhile
        newest = None
    loaded = OverlapSnapshot.load(newest) if newest is not None else None
    if loaded is not None:
        with _lock:
            _memory.setdefault((db.uri, db.database), loaded)
    return loaded


def ensure(db: Database) -> tuple[str, OverlapSnapshot | None]:
    """Make sure the snapshot of the graph as it is now exists (read it if not): one sentence on the outcome, and
    the snapshot (None: the graph has no data yet).

    The CLI calls it after a load (:func:`queries.aggregates.ready_after_load`), so that the first policymaker to
    open the overlap page does not wait.
    """
    t0 = time.perf_counter()
    snap = current(db, wait=True)
    if snap is None:
        return "The overlap snapshot is not needed: the graph has no data yet.", None
    return f"Overlap snapshot ready: {snap.periods:,} involvement periods ({time.perf_counter() - t0:.1f} s).", snap
