"""Pure counting helpers over canonical records (no database): the numbers the generator is calibrated on.

They follow the metric definitions of ``domain.md`` §6: a professional is *active* for a person on ``as_of``
when one of their involvements concerns that person (``person_ids``) or that person's household
(``household_id``, counted for every member then living there) and ``since <= as_of <= until`` (an empty
``until`` is ongoing). Only records of the kinds used are looked at, so any record stream can be passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = [
    "HouseholdSnapshot",
    "active_per_household",
    "coach_effect",
    "helper_distribution",
    "helpers_per_resident",
    "household_snapshot",
    "ladder_change",
]

Records = Iterable[tuple[str, Mapping[str, Any]]]


def _active(record: Mapping[str, Any], as_of: date) -> bool:
    until = record.get("until")
    return bool(record["since"] <= as_of and (until is None or as_of <= until))


def _residents(records: Records, as_of: date) -> tuple[dict[str, list[str]], list[Mapping[str, Any]]]:
    """Members per household on ``as_of`` (in record order) and all involvements active then."""
    members: dict[str, list[str]] = defaultdict(list)
    involvements: list[Mapping[str, Any]] = []
    for kind, r in records:
        if kind == "membership" and _active(r, as_of):
            members[r["household_id"]].append(r["person_id"])
        elif kind == "involvement" and _active(r, as_of):
            involvements.append(r)
    return members, involvements


def helpers_per_resident(records: Records, as_of: date) -> dict[str, int]:
    """Return, for every resident on ``as_of``, how many distinct professionals are active for them.

    Examples
    --------
    >>> d = date(2009, 6, 30)
    >>> recs = [("membership", {"household_id": "H", "person_id": "a", "since": d, "until": None}),
    ...         ("membership", {"household_id": "H", "person_id": "b", "since": d, "until": None}),
    ...         ("involvement", {"professional_id": "x", "person_ids": ["a"], "household_id": None,
    ...                          "since": d, "until": None}),
    ...         ("involvement", {"professional_id": "y", "person_ids": None, "household_id": "H",
    ...                          "since": d, "until": d})]
    >>> helpers_per_resident(recs, d)
    {'a': 2, 'b': 1}
    """
    members, involvements = _residents(records, as_of)
    helpers: dict[str, set[str]] = {p: set() for ps in members.values() for p in ps}
    for inv in involvements:
        concerned = list(inv.get("person_ids") or ())
        if inv.get("household_id"):
            concerned += members.get(inv["household_id"], [])
        for person in concerned:
            if person in helpers:
                helpers[person].add(inv["professional_id"])
    return {p: len(s) for p, s in helpers.items()}


def helper_distribution(counts: Mapping[str, int]) -> dict[str, float]:
    """Shares of residents with 0, 1, 2 and 3+ helpers (as in the 2009 survey), in percent.

    >>> helper_distribution({"a": 0, "b": 0, "c": 1, "d": 5})
    {'0': 50.0, '1': 25.0, '2': 0.0, '3+': 25.0}
    """
    total = len(counts) or 1
    buckets = {"0": 0, "1": 0, "2": 0, "3+": 0}
    for n in counts.values():
        buckets[str(n) if n < 3 else "3+"] += 1
    return {k: 100.0 * v / total for k, v in buckets.items()}


def active_per_household(records: Records, as_of: date) -> dict[str, int]:
    """Distinct active professionals per household on ``as_of`` (households with none included)."""
    members, involvements = _residents(records, as_of)
    person_household = {p: h for h, ps in members.items() for p in ps}
    pros: dict[str, set[str]] = {h: set() for h in members}
    for inv in involvements:
        households = {person_household[p] for p in inv.get("person_ids") or () if p in person_household}
        if inv.get("household_id") in pros:
            households.add(inv["household_id"])
        for h in households:
            pros[h].add(inv["professional_id"])
    return {h: len(s) for h, s in pros.items()}


@dataclass(frozen=True)
class HouseholdSnapshot:
    """Who is active for one household on one day."""

    professionals: frozenset[str]
    organisations: frozenset[str]
    #: Distinct professionals per member role (a couple-level involvement counts for both partners).
    per_role: dict[str, int]


def household_snapshot(records: Records, household_id: str, as_of: date) -> HouseholdSnapshot:
    """Return the active professionals, organisations and per-role counts of ``household_id`` on ``as_of``."""
    roles: dict[str, str] = {}
    involvements: list[Mapping[str, Any]] = []
    for kind, r in records:
        if kind == "membership" and r["household_id"] == household_id and _active(r, as_of):
            roles[r["person_id"]] = r["role"]
        elif kind == "involvement" and _active(r, as_of):
            involvements.append(r)
    per_person: dict[str, set[str]] = {p: set() for p in roles}
    pros: set[str] = set()
    orgs: set[str] = set()
    for inv in involvements:
        concerned = [p for p in inv.get("person_ids") or () if p in roles]
        if inv.get("household_id") == household_id:
            concerned = list(roles)
        if not concerned:
            continue
        pros.add(inv["professional_id"])
        orgs.add(inv["organisation_id"])
        for p in concerned:
            per_person[p].add(inv["professional_id"])
    per_role: dict[str, int] = {}
    for person, role in roles.items():
        per_role[role] = per_role.get(role, 0) + len(per_person[person])
    return HouseholdSnapshot(frozenset(pros), frozenset(orgs), per_role)


def coach_effect(records: Records, days_after: int = 365) -> dict[str, tuple[int, int]]:
    """For every coached household: (professionals the day before intake, professionals ``days_after`` later).

    Members are taken as of each date; the coach counts as one professional like any other.
    """
    intake: dict[str, date] = {}
    members: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
    involvements: list[Mapping[str, Any]] = []
    for kind, r in records:
        if kind == "caseload":
            intake[r["household_id"]] = min(r["since"], intake.get(r["household_id"], r["since"]))
        elif kind == "membership":
            members[r["household_id"]].append((r["person_id"], r["since"], r["until"]))
        elif kind == "involvement":
            involvements.append(r)
    person_household = {p: h for h, ms in members.items() if h in intake for p, _, _ in ms}
    by_household: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for inv in involvements:
        hs = {person_household[p] for p in inv.get("person_ids") or () if p in person_household}
        if inv.get("household_id") in intake:
            hs.add(inv["household_id"])
        for h in hs:
            by_household[h].append(inv)
    out: dict[str, tuple[int, int]] = {}
    for h, day in intake.items():
        counts = []
        for when in (day - timedelta(days=1), day + timedelta(days=days_after)):
            living = {p for p, s, u in members[h] if s <= when and (u is None or when <= u)}
            counts.append(len({inv["professional_id"] for inv in by_household[h] if _active(inv, when) and (
                inv.get("household_id") == h or living & set(inv.get("person_ids") or ()))}))
        out[h] = (counts[0], counts[1])
    return out


def ladder_change(records: Records) -> dict[str, int]:
    """Per person with scores: rung of the last score in 2012 minus rung of the first score (any year)."""
    first: dict[str, tuple[date, int]] = {}
    last: dict[str, tuple[date, int]] = {}
    for kind, r in records:
        if kind != "ladder_score":
            continue
        p, d, rung = r["person_id"], r["date"], r["rung"]
        if p not in first or d < first[p][0]:
            first[p] = (d, rung)
        if d.year == 2012 and (p not in last or d > last[p][0]):
            last[p] = (d, rung)
    return {p: last[p][1] - first[p][1] for p in last}
