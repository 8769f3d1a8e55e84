"""Signals, the pure part: which signals the rules of :mod:`graph.notice_rules` call for, given what one read
returned about a batch of households — no database here. Nothing of it is stored: :mod:`queries.notices` derives a
reader's signals with :func:`signal_rows` whenever they are read.

:mod:`queries.notices` reads, per batch of the households a reader may see, everything the rules look at
(``notice_households.cypher``: members, client-system parents, coaches, the involvements on the household, its
members and those parents, and the handovers within the retention) into a :class:`Neighbourhood`. The rules, in the
words of ``docs/signals.md`` (the tests hold this module to them, ``tests/unit/test_pairing.py``):

* an involvement ``n`` matched on a day (``Involvement.seen``: the load's ``as_of``, or its own start in the demo's
  replay; :mod:`ingest.matching`) — it started within the retention and was active that day — matches every other professional's involvement active
  that day on the same person, on the same household (a household-level ``n``: also every active member), or on a
  parent/child of that person (membership roles; a parent in the client system counts for a child) — not a sibling;
* its household is the first (by id) of the households its subjects belong to that day; when that household has
  an active coach other than ``n``'s professional, the coaches get a ``new_involvement`` signal, and a coach's own
  side of a pair is ``quiet`` (two coaches are not matched with each other);
* thresholds on the reference day (the last matching day) for the households read: distinct active professionals (on the household or an active
  member) at or over the threshold, two or more in the casemanager role of one function ("dubbele casemanager"),
  ping-pong between two organisations.

>>> d = date(2009, 1, 1)
>>> nb = Neighbourhood.from_rows([{"household": "H", "members": [
...     {"person": "P", "role": "kind", "since": None, "until": None},
...     {"person": "Q", "role": "moeder", "since": None, "until": None}], "client": [], "coaches": [],
...     "involvements": [
...     {"id": "A", "professional": "X", "organisation": "O1", "function": "f", "since": d, "until": None,
...      "source": "s", "persons": ["P"], "households": []},
...     {"id": "B", "professional": "Y", "organisation": "O2", "function": "g", "since": d, "until": None,
...      "source": "s", "persons": ["Q"], "households": []}], "handovers": []}])
>>> [(r["key"], r["household_id"]) for r in match_rows(nb, ["B"], d, date(2008, 1, 1)).rows]
[('match|A|B', 'H')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

__all__ = ["CHILD_ROLES", "PARENT_ROLES", "Inv", "Link", "Neighbourhood", "Pairs", "THRESHOLD_SOURCE", "match_rows", "signal_rows",
           "threshold_rows"]

#: Membership roles (``HAS_MEMBER.role``) of parents and of children: a child's involvement is matched with its
#: parents' (and a parent in the household's client system, ``IN_CLIENT_SYSTEM.relation``), a parent's with its
#: children's — not with a sibling's.
PARENT_ROLES: tuple[str, ...] = ("vader", "moeder", "hoofd", "partner", "ouder", "stiefvader", "stiefmoeder")
CHILD_ROLES: tuple[str, ...] = ("kind", "stiefkind", "pleegkind")


def _native(v: Any) -> Any:
    """A date from the driver (``neo4j.time.Date``) as a Python date; anything else as it is."""
    if v is None or isinstance(v, date):
        return v
    to_native = getattr(v, "to_native", None)
    return to_native() if to_native else v


def _open_on(since: date | None, until: date | None, day: date) -> bool:
    """A membership or client-system tie on ``day`` (an open end either side runs on)."""
    return (since is None or since <= day) and (until is None or until >= day)


class Inv(NamedTuple):
    """One involvement as the rules need it: keys, its professional and organisation, function, period, subjects."""

    id: str
    professional: str | None
    organisation: str | None
    function: str | None
    since: date | None
    until: date | None
    source: str | None
    persons: tuple[str, ...]
    households: tuple[str, ...]
    #: ``involvement.role``: casemanager, regie or uitvoerend (only casemanager counts for "dubbele casemanager")
    role: str | None = None
    #: the day it was matched on (``Involvement.seen``: stamped by the load that wrote it, a registration or
    #: ``wijknet signals run``; the demo's replay stamps its start); ``None``: never matched, it starts no signal
    seen: date | None = None

    def active(self, day: date) -> bool:
        """Started on or before ``day`` and not ended before it (an involvement without a start is never active)."""
        return self.since is not None and self.since <= day and (self.until is None or self.until >= day)


class Link(NamedTuple):
    """A tie of a person or professional to a household over a period: a membership (``role``), a parent in the
    client system (``role`` is the relation) or a coach's caseload (``who`` is the coach)."""

    household: str
    who: str
    role: str | None
    since: date | None
    until: date | None


@dataclass
class Neighbourhood:
    """What one read returned about a batch of households, indexed for the rules."""

    involvements: dict[str, Inv] = field(default_factory=dict)
    members: dict[str, list[Link]] = field(default_factory=dict)
    client: dict[str, list[Link]] = field(default_factory=dict)
    coaches: dict[str, list[Link]] = field(default_factory=dict)
    handovers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: subject (person or household id) -> ids of the involvements concerning it
    by_subject: dict[str, list[str]] = field(default_factory=dict)
    #: person -> their memberships (of the households read)
    memberships: dict[str, list[Link]] = field(default_factory=dict)
    #: involvement id -> what a reader is shown of it (organisation and professional names, life domain, phone)
    details: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Neighbourhood:
        """From the rows of ``notice_households.cypher``: one per household (``household`` set) or per person in
        no household (``household`` null; only ``involvements``)."""
        nb = cls()
        for row in rows:
            for r in row.get("involvements") or []:
                if r["id"] not in nb.involvements:
                    nb._add_involvement(r)
            hid = row.get("household")
            if hid is None or hid in nb.members:
                continue
            nb.members[hid] = [_link(hid, m["person"], m.get("role"), m) for m in row.get("members") or []]
            nb.client[hid] = [_link(hid, c["person"], c.get("relation"), c) for c in row.get("client") or []]
            nb.coaches[hid] = [_link(hid, c["professional"], None, c) for c in row.get("coaches") or []]
            nb.handovers[hid] = [{**h, "date": _native(h["date"])} for h in row.get("handovers") or []]
            for m in nb.members[hid]:
                nb.memberships.setdefault(m.who, []).append(m)
        return nb

    def _add_involvement(self, r: Mapping[str, Any]) -> None:
        inv = Inv(id=str(r["id"]), professional=r.get("professional"), organisation=r.get("organisation"),
                  function=r.get("function"), since=_native(r.get("since")), until=_native(r.get("until")),
                  source=r.get("source"), persons=tuple(r.get("persons") or ()),
                  households=tuple(r.get("households") or ()), role=r.get("role"), seen=_native(r.get("seen")))
        self.involvements[inv.id] = inv
        self.details[inv.id] = r
        for s in dict.fromkeys((*inv.persons, *inv.households)):
            self.by_subject.setdefault(s, []).append(inv.id)

    def active_coaches(self, household: str, day: date) -> list[str]:
        """The coaches whose caseload holds ``household`` on ``day`` (a caseload without a start holds nothing)."""
        return list(dict.fromkeys(c.who for c in self.coaches.get(household, ())
                                  if c.since is not None and c.since <= day and (c.until is None or c.until >= day)))


def _link(household: str, who: str, role: str | None, r: Mapping[str, Any]) -> Link:
    return Link(household, str(who), role, _native(r.get("since")), _native(r.get("until")))


@dataclass
class Pairs:
    """What :func:`match_rows` found: the notices (``key`` and properties, first made first) and the households
    touched (the first household of each matched involvement, for the thresholds)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)

    def add(self, row: dict[str, Any]) -> None:
        if row["key"] not in self.keys:
            self.keys.add(row["key"])
            self.rows.append(row)


def _related(nb: Neighbourhood, n: Inv, day: date) -> tuple[str | None, set[str]]:
    """``n``'s household on ``day`` (the first by id of its subjects' households) and every subject whose
    involvements it is matched with: its own subjects, their households, and the parents/children among the
    members (a household-level ``n``: every member) and the client-system parents of a child."""
    linked: set[str] = {*n.persons, *n.households}
    households: set[str] = set(n.households)
    for h in n.households:
        linked.update(m.who for m in nb.members.get(h, ()) if _open_on(m.since, m.until, day))
    for p in n.persons:
        for m in nb.memberships.get(p, ()):
            if not _open_on(m.since, m.until, day):
                continue
            households.add(m.household)
            linked.update(_kin(nb, p, m, day))
    linked.update(households)
    return (min(households) if households else None), linked


def _kin(nb: Neighbourhood, person: str, m: Link, day: date) -> list[str]:
    """The parents of a child, the children of a parent, in ``m``'s household on ``day``."""
    if m.role in CHILD_ROLES:
        want: tuple[str, ...] = PARENT_ROLES
    elif m.role in PARENT_ROLES:
        want = CHILD_ROLES
    else:
        return []
    out = [o.who for o in nb.members.get(m.household, ())
           if o.who != person and o.role in want and _open_on(o.since, o.until, day)]
    if m.role in CHILD_ROLES:
        out += [q.who for q in nb.client.get(m.household, ())
                if q.role in PARENT_ROLES and _open_on(q.since, q.until, day)]
    return out


def match_rows(nb: Neighbourhood, ids: Iterable[str], as_of: date, cutoff: date, *, at_start: bool = False,
               now: str = "", into: Pairs | None = None) -> Pairs:
    """The ``match`` and ``new_involvement`` notices for the new involvements ``ids`` (those not in ``nb``, not
    active on their day or started before ``cutoff`` make none), on ``as_of`` or (``at_start``) each on the day it
    started. ``into`` carries the notices of earlier batches of the same pass (a key is made once)."""
    out = into if into is not None else Pairs()
    for nid in ids:
        n = nb.involvements.get(nid)
        if n is None or n.professional is None or n.since is None:
            continue
        day = n.since if at_start else as_of
        if not (cutoff <= n.since <= day and n.active(day)):
            continue
        household, linked = _related(nb, n, day)
        coaches = nb.active_coaches(household, day) if household else []
        source = n.source or "wijknet:matching"
        if household is not None:
            out.touched.add(household)
            if any(c != n.professional for c in coaches):
                out.add({"key": f"new_involvement|{household}|{n.id}", "kind": "new_involvement",
                         "household_id": household, "involvement": n.id, "date": n.since, "created_at": now,
                         "source": source})
        for e in _others(nb, n, linked, day, coaches):
            a, b = sorted((n.id, e.id))
            assert e.since is not None
            quiet = n.id if n.professional in coaches else e.id if e.professional in coaches else None
            out.add({"key": f"match|{a}|{b}", "kind": "match", "a": a, "b": b, "household_id": household,
                     "date": max(n.since, e.since), "created_at": now, "source": source, "quiet": quiet})
    return out


def signal_rows(nb: Neighbourhood, *, retention_days: int, max_casemanagers: int, reference: date | None,
                thresholds_for: Iterable[str], lead: str, since: date | None = None, matches: bool = True) -> Pairs:
    """Every signal ``nb`` calls for, derived from the graph's facts when it is read (nothing of it is stored):

    * the ``match`` and ``new_involvement`` signals of each *matched* involvement (``seen`` set), on its own
      matching day ``seen`` against what was active then, if it started within the retention seen from that day
      (:func:`match_rows`);
    * the thresholds of the households ``thresholds_for`` on ``reference`` (the day the last load matched, never
      after today), for their coaches on that day and ``lead`` (:func:`threshold_rows`).

    ``since`` (the cut-off of the last ``wijknet signals expire``) leaves out what is dated before it; without
    ``matches`` only the thresholds are derived."""
    out = Pairs()
    matched = [i for i in nb.involvements.values() if i.seen is not None] if matches else []
    for n in sorted(matched, key=lambda i: (i.seen, i.id)):
        assert n.seen is not None
        match_rows(nb, [n.id], n.seen, n.seen - timedelta(days=retention_days - 1), now=n.seen.isoformat(),
                   into=out)
    if reference is not None:
        for row in threshold_rows(nb, thresholds_for, reference, max_casemanagers, lead=lead,
                                  now=reference.isoformat(), run="", source=THRESHOLD_SOURCE):
            out.add(row)
    if since is not None:
        out.rows = [r for r in out.rows if r["date"] >= since]
    return out


#: The ``source`` of a threshold signal (a match carries the source of the involvement whose start made it).
THRESHOLD_SOURCE = "wijknet:thresholds"


def _others(nb: Neighbourhood, n: Inv, linked: set[str], day: date, coaches: list[str]) -> list[Inv]:
    """The involvements ``n`` is matched with: on a linked subject, active on ``day``, of another professional,
    not coach with coach."""
    seen: dict[str, Inv] = {}
    for x in sorted(linked):
        for eid in nb.by_subject.get(x, ()):
            e = nb.involvements[eid]
            if (eid == n.id or eid in seen or not e.active(day) or e.professional is None
                    or e.professional == n.professional
                    or (n.professional in coaches and e.professional in coaches)):
                continue
            seen[eid] = e
    return list(seen.values())


def active_professionals(nb: Neighbourhood, household: str, day: date) -> dict[str, set[str | None]]:
    """The professionals active on ``day`` on ``household`` or one of its members then (involvements with a
    professional and an organisation), each with the functions they are active in as a casemanager (the role that
    counts for "dubbele casemanager"; a professional active only in another role has none): the overlap figures'
    "active casemanagers" (queries/counting.py, tests/overlap_oracle.py)."""
    subjects = [household, *(m.who for m in nb.members.get(household, ()) if _open_on(m.since, m.until, day))]
    out: dict[str, set[str | None]] = {}
    for s in subjects:
        for iid in nb.by_subject.get(s, ()):
            i = nb.involvements[iid]
            if i.active(day) and i.professional is not None and i.organisation is not None:
                functions = out.setdefault(i.professional, set())
                if i.role == "casemanager" and i.function is not None:
                    functions.add(i.function)
    return out


def threshold_rows(nb: Neighbourhood, households: Iterable[str], as_of: date, max_casemanagers: int, *,
                   lead: str, now: str, run: str, source: str) -> list[dict[str, Any]]:
    """The threshold notices ``households`` call for on ``as_of``, one per (kind, recipient, household, detail):
    recipients are the household's coaches on ``as_of`` and ``lead``."""
    out: list[dict[str, Any]] = []
    for hid in sorted(set(households)):
        found = _thresholds(nb, hid, as_of, max_casemanagers)
        if not found:
            continue
        starts = {(kind, detail): _crossed_on(nb, hid, as_of, kind, detail, max_casemanagers)
                  for kind, detail, *_ in found}
        for rid in [*nb.active_coaches(hid, as_of), lead]:
            for kind, detail, text, count, args in found:
                out.append({"key": f"{kind}|{rid}|{hid}|{detail}", "kind": kind, "recipient": rid,
                            "household_id": hid, "date": as_of, "since": starts[(kind, detail)],
                            "created_at": now, "run": run, "detail": text, "args": args, "count": count,
                            "source": source})
    return out


def _holds(nb: Neighbourhood, hid: str, day: date, kind: str, detail: str, max_casemanagers: int) -> bool:
    """Whether ``hid`` is over the threshold ``kind`` (of ``detail``: a function) on ``day``."""
    active = active_professionals(nb, hid, day)
    if kind == "casemanagers":
        return len(active) >= max_casemanagers
    return sum(1 for functions in active.values() if detail in functions) >= 2


def _crossed_on(nb: Neighbourhood, hid: str, as_of: date, kind: str, detail: str, max_casemanagers: int
                ) -> date | None:
    """The day the crossing that holds on ``as_of`` began: the first day of the unbroken run of days up to
    ``as_of`` on which ``hid`` is over the threshold — a reader's status belongs to it (``queries.notices``), so a
    new crossing after a drop below the line is a new signal. For ``ping_pong``: the day of the last handover
    between the two organisations (a handover back again is a new one). ``None``: no day known (over the
    threshold since before anything the read holds)."""
    if kind == "ping_pong":
        orgs = set(detail.split("|"))
        days = [h["date"] for h in nb.handovers.get(hid, [])
                if h["date"] is not None and h["date"] <= as_of
                and {h.get("from_organisation"), h.get("to_organisation")} == orgs]
        return max(days) if days else None
    # the count is the same between two days on which an involvement or a membership starts or ends
    subjects = [hid, *(m.who for m in nb.members.get(hid, ()))]
    changes: set[date] = set()
    for m in nb.members.get(hid, ()):
        changes.update(d for d in (m.since, m.until and m.until + timedelta(days=1)) if d is not None)
    for s in subjects:
        for iid in nb.by_subject.get(s, ()):
            i = nb.involvements[iid]
            changes.update(d for d in (i.since, i.until and i.until + timedelta(days=1)) if d is not None)
    start: date | None = None
    for day in sorted((d for d in changes if d <= as_of), reverse=True):
        start = day
        if not _holds(nb, hid, day - timedelta(days=1), kind, detail, max_casemanagers):
            return day
    return start


def _thresholds(nb: Neighbourhood, hid: str, as_of: date, max_casemanagers: int
                ) -> list[tuple[str, str, str, int, list[str]]]:
    """(kind, detail in the key, text, count, args) of each threshold ``hid`` reaches on ``as_of``. The text is
    the Dutch sentence kept with the signal (exports, older readers); ``args`` are the values the app fills into
    the catalogue's sentence ``notice.detail.<kind>`` in the reader's language."""
    from queries.analytics.communities import ping_pong

    found: list[tuple[str, str, str, int, list[str]]] = []
    active = active_professionals(nb, hid, as_of)
    if len(active) >= max_casemanagers:
        found.append(("casemanagers", str(max_casemanagers),
                      f"{len(active)} casemanagers tegelijk actief (drempel {max_casemanagers})", len(active),
                      [str(len(active)), str(max_casemanagers)]))
    per_function: dict[str, int] = {}
    for functions in active.values():
        for f in functions:
            if f is not None:
                per_function[f] = per_function.get(f, 0) + 1
    found += [("double_casemanager", f, f"{n} actieve casemanagers met functie {f}", n, [str(n), f])
              for f, n in sorted(per_function.items()) if n >= 2]
    events = nb.handovers.get(hid, [])
    if len(events) >= 2:
        import pandas as pd

        e = pd.DataFrame(sorted(events, key=lambda x: (x["date"], str(x.get("handover_id")))))
        e["household_id"] = hid
        names = {**dict(zip(e["from_organisation"], e["from_name"], strict=True)),
                 **dict(zip(e["to_organisation"], e["to_name"], strict=True))}
        found += [("ping_pong", f"{a}|{b}", f"pingpong tussen {names.get(a, a)} en {names.get(b, b)}", int(n),
                   [str(names.get(a, a)), str(names.get(b, b))])
                  for a, b, n in ping_pong(e).itertuples(index=False, name=None)]
    return found
