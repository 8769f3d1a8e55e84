"""Analytics of one household's client system: who is involved as of a date, overlaps, handovers, gaps.

Every function takes plain rows (the frozen dataclasses below, as :mod:`queries.household` returns them)
and returns plain values; nothing here talks to Neo4j. Periods are closed intervals: an involvement with
``since=2009-01-01, until=2009-01-31`` is active on both dates; ``until=None`` means still ongoing.

Definitions (``docs`` and the page use the same words):

* **active professionals** of a household at ``as_of``: distinct professionals with an involvement on the
  household or on any member whose period contains ``as_of``; per member: involvements that concern that
  person (a couple-level involvement counts for both partners; household-level ones are counted apart).
* **overlap**: two or more organisations active on the same subject (member, or the household as a whole)
  in the same life domain.
* **dubbele casemanager**: two or more professionals with the same function, both in the casemanager role,
  active on the household at the same time.
* **handover**: explicit (a Handover record) or derived: on the same subject and life domain one
  professional's involvement ends and another professional's starts within ``within_days``.
* **ping-pong**: a handover chain whose organisations go A → B → A.
* **gap**: a stretch of days on one subject and life domain between two involvements when nobody is active.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from datetime import date as _Day  # for fields declared after a field named `date`

import networkx as nx

__all__ = [
    "LADDER_GAP_DAYS",
    "CoachAssignment",
    "CoachEffect",
    "DoubleCasemanager",
    "Gap",
    "Handover",
    "HouseholdCounts",
    "Involvement",
    "MemberCount",
    "Overlap",
    "PersonTie",
    "PingPong",
    "Referral",
    "WaitingReferral",
    "active_involvements",
    "all_handovers",
    "change_dates",
    "coach_effect",
    "derived_handovers",
    "double_casemanagers",
    "gaps",
    "handover_chains",
    "household_counts",
    "household_graph",
    "is_active",
    "ladder_line",
    "overlaps",
    "period_label",
    "person_labels",
    "ping_pong",
    "referrals_without_follow_up",
    "within_membership",
]

HOUSEHOLD = "household"  # the subject key of household-level involvements


# --------------------------------------------------------------------------------------------------- rows
@dataclass(frozen=True)
class Involvement:
    """One professional's involvement with one or more members, or with the household as a whole."""

    id: str
    professional_id: str
    organisation_id: str
    life_domain: str
    since: date
    until: date | None = None
    role: str = "casemanager"
    function: str = ""
    person_ids: tuple[str, ...] = ()
    household_level: bool = False
    professional_name: str | None = None
    organisation_name: str = ""
    phone: str | None = None
    #: the day wijknet learnt of it (matched for signals by the load that brought it, ``docs/signals.md``); None:
    #: loaded as history, never matched
    seen: date | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        """Person ids this involvement concerns, plus :data:`HOUSEHOLD` for household-level work."""
        return self.person_ids + ((HOUSEHOLD,) if self.household_level else ())


@dataclass(frozen=True)
class Handover:
    """A case passed from one involvement to another (``explicit=False`` when derived from the periods)."""

    from_id: str
    to_id: str
    date: date
    reason: str | None = None
    id: str = ""
    explicit: bool = True


@dataclass(frozen=True)
class Referral:
    """A professional referred a member (or the household) to an organisation."""

    id: str
    date: date
    organisation_id: str
    life_domain: str = ""
    organisation_name: str = ""
    professional_id: str = ""
    professional_name: str | None = None
    accepted_at: _Day | None = None
    started_at: _Day | None = None
    reason: str | None = None
    person_id: str | None = None


@dataclass(frozen=True)
class PersonTie:
    """A person in the client system: a member, a wider client-system member, or an informal supporter."""

    id: str
    kind: str  # "member" | "client_system" | "informal"
    role: str  # member role, client-system relation or kind of informal support
    since: date | None = None
    until: date | None = None
    name: str | None = None
    birth_year: int | None = None
    supports: tuple[str, ...] = ()  # informal supporters: the members they support


@dataclass(frozen=True)
class CoachAssignment:
    """A wijkcoach's caseload assignment to the household (the intake is ``since``)."""

    professional_id: str
    since: date
    until: date | None = None
    name: str | None = None
    phone: str | None = None
    #: the organisation the coach works for (their latest), for the brief's contact row
    organisation: str | None = None


def within_membership(involvements: Iterable[Involvement], people: Sequence[PersonTie]) -> list[Involvement]:
    """The involvements as the household's: work with members counts for the household only while they are
    members (as the aggregates count it, ``queries/cypher/overlap_involvements.cypher``), so an involvement with
    members only is cut to the time one of them belonged to the household. A stepson's caseworker who goes on
    after he moved out is not the household's professional, nor a contact in its brief, afterwards.

    >>> people = [PersonTie("s", "member", "stiefkind", since=date(2005, 1, 1), until=date(2011, 9, 19))]
    >>> [i] = within_membership([Involvement("i1", "p1", "o1", "WONEN", date(2004, 2, 1), person_ids=("s",))],
    ...                         people)
    >>> i.since, i.until
    (datetime.date(2005, 1, 1), datetime.date(2011, 9, 19))

    Work with the household itself, and with someone who is no member (the view holds none), is kept as it is.
    """
    spans: dict[str, list[tuple[date | None, date | None]]] = defaultdict(list)
    for p in people:
        if p.kind == "member":
            spans[p.id].append((p.since, p.until))
    out = []
    for inv in involvements:
        periods = [span for pid in inv.person_ids for span in spans.get(pid, ())]
        if inv.household_level or not periods:
            out.append(inv)
            continue
        starts, ends = [s for s, _ in periods], [u for _, u in periods]
        since = inv.since if None in starts else max(inv.since, min(d for d in starts if d is not None))
        until = inv.until
        if None not in ends:
            last = max(d for d in ends if d is not None)
            until = last if until is None else min(until, last)
        if until is not None and until < since:  # never during a membership (the read sends no such one)
            out.append(inv)
            continue
        out.append(inv if (since, until) == (inv.since, inv.until) else replace(inv, since=since, until=until))
    return out


# ------------------------------------------------------------------------------------------------ periods
def is_active(since: date | None, until: date | None, as_of: date) -> bool:
    """Whether the closed period ``[since, until]`` contains ``as_of`` (``None`` bounds are open).

    >>> is_active(date(2009, 1, 1), date(2009, 1, 31), date(2009, 1, 31))
    True
    >>> is_active(date(2009, 1, 1), None, date(2008, 12, 31))
    False
    """
    return (since is None or since <= as_of) and (until is None or until >= as_of)


def person_labels(people: Sequence[PersonTie]) -> dict[str, str]:
    """A label per person that tells apart people with the same name: the name alone where it is unique, else
    with the birth year, else also with the role, else with the end of the id.

    >>> labels = person_labels([PersonTie("a", "member", "kind", name="Jesse Pierik", birth_year=2001),
    ...                         PersonTie("b", "member", "kind", name="Jesse Pierik", birth_year=2004),
    ...                         PersonTie("c", "member", "vader", name="Erik Pierik", birth_year=1970)])
    >>> labels["a"], labels["b"], labels["c"]
    ('Jesse Pierik (2001)', 'Jesse Pierik (2004)', 'Erik Pierik')

    A person without a name in the data (or whose name the reader may not see) is called by their role, numbered
    when several share it — never by an internal id, and never two by one label:

    >>> labels = person_labels([PersonTie("u2", "member", "kind", birth_year=2003),
    ...                         PersonTie("u1", "member", "kind", birth_year=2001),
    ...                         PersonTie("v", "member", "vader")])
    >>> labels["u1"], labels["u2"], labels["v"]
    ('Kind 1', 'Kind 2', 'Vader')

    This is the one label of a person: the map, the timeline, the brief and every table use it.
    """
    labels = {p.id: p.name for p in people if p.name}
    unnamed: dict[str, list[PersonTie]] = {}
    for p in people:
        if p.id not in labels:
            unnamed.setdefault((p.role or "persoon").capitalize(), []).append(p)
    for role, same in unnamed.items():
        ordered = sorted({q.id: q for q in same}.values(), key=lambda q: (q.birth_year or 0, q.id))
        for n, q in enumerate(ordered, 1):
            labels[q.id] = f"{role} {n}" if len(ordered) > 1 else role
    refinements: tuple[Callable[[PersonTie], str], ...] = (
        lambda p: f" ({p.birth_year})" if p.birth_year else "",
        lambda p: f" ({p.role})" if p.role else "",
        lambda p: f" ({p.id[-4:]})",
    )
    for refine in refinements:
        seen: dict[str, list[PersonTie]] = {}
        for p in people:
            seen.setdefault(labels[p.id], []).append(p)
        for same in seen.values():
            if len({q.id for q in same}) > 1:
                for q in same:
                    labels[q.id] += refine(q)
    return labels


def period_label(since: date | None, until: date | None) -> str:
    """``'since 01-03-2008'`` or ``'01-03-2008 – 31-12-2008'``.

    >>> period_label(date(2008, 3, 1), None)
    'since 01-03-2008'
    """
    if since is None:
        return "" if until is None else f"until {until:%d-%m-%Y}"
    return f"since {since:%d-%m-%Y}" if until is None else f"{since:%d-%m-%Y} – {until:%d-%m-%Y}"


def active_involvements(involvements: Iterable[Involvement], as_of: date) -> list[Involvement]:
    """The involvements whose period contains ``as_of``, in input order."""
    return [i for i in involvements if is_active(i.since, i.until, as_of)]


# ------------------------------------------------------------------------------------------------- counts
@dataclass(frozen=True)
class MemberCount:
    professionals: int
    organisations: int


@dataclass(frozen=True)
class HouseholdCounts:
    """Active professionals and organisations of a household at ``as_of``."""

    as_of: date
    professionals: int
    organisations: int
    per_member: dict[str, MemberCount]
    household_level_professionals: int


def household_counts(involvements: Iterable[Involvement], as_of: date,
                     member_ids: Sequence[str] = ()) -> HouseholdCounts:
    """Count active professionals and organisations, for the household and per member.

    ``member_ids`` fixes which members appear in ``per_member`` (with zeros when nobody is involved).

    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2009, 1, 1), person_ids=("a", "b")),
    ...         Involvement("i2", "p2", "o1", "WONEN", date(2009, 1, 1), person_ids=("a",))]
    >>> c = household_counts(invs, date(2009, 2, 1), ["a", "b"])
    >>> (c.professionals, c.organisations, c.per_member["a"].professionals, c.per_member["b"].professionals)
    (2, 1, 2, 1)
    """
    active = active_involvements(involvements, as_of)
    profs: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    for inv in active:
        for pid in inv.person_ids:
            profs[pid].add(inv.professional_id)
            orgs[pid].add(inv.organisation_id)
    ids = list(member_ids) or sorted(profs)
    return HouseholdCounts(
        as_of=as_of,
        professionals=len({i.professional_id for i in active}),
        organisations=len({i.organisation_id for i in active}),
        per_member={m: MemberCount(len(profs.get(m, ())), len(orgs.get(m, ()))) for m in ids},
        household_level_professionals=len({i.professional_id for i in active if i.household_level}),
    )


@dataclass(frozen=True)
class Overlap:
    subject: str  # a person id, or "household"
    life_domain: str
    organisations: tuple[str, ...]
    professionals: tuple[str, ...]


def overlaps(involvements: Iterable[Involvement], as_of: date) -> list[Overlap]:
    """Subjects and life domains with two or more organisations active at ``as_of``.

    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2009, 1, 1), person_ids=("a",)),
    ...         Involvement("i2", "p2", "o2", "WONEN", date(2009, 1, 1), person_ids=("a",))]
    >>> overlaps(invs, date(2009, 1, 1))
    [Overlap(subject='a', life_domain='WONEN', organisations=('o1', 'o2'), professionals=('p1', 'p2'))]
    """
    orgs: dict[tuple[str, str], set[str]] = defaultdict(set)
    profs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for inv in active_involvements(involvements, as_of):
        for subject in inv.subjects:
            orgs[subject, inv.life_domain].add(inv.organisation_id)
            profs[subject, inv.life_domain].add(inv.professional_id)
    return [Overlap(s, d, tuple(sorted(o)), tuple(sorted(profs[s, d])))
            for (s, d), o in sorted(orgs.items()) if len(o) >= 2]


@dataclass(frozen=True)
class DoubleCasemanager:
    function: str
    professionals: tuple[str, ...]
    subjects: tuple[str, ...]


def double_casemanagers(involvements: Iterable[Involvement], as_of: date) -> list[DoubleCasemanager]:
    """Functions held by two or more professionals in the casemanager role at ``as_of`` ("dubbele casemanager").

    >>> invs = [Involvement("i1", "p1", "o1", "ONDERWIJS_OPVOEDING", date(2009, 1, 1), function="jeugdzorg",
    ...                     person_ids=("a",)),
    ...         Involvement("i2", "p2", "o1", "ONDERWIJS_OPVOEDING", date(2009, 1, 1), function="jeugdzorg",
    ...                     person_ids=("b",))]
    >>> double_casemanagers(invs, date(2009, 1, 1))
    [DoubleCasemanager(function='jeugdzorg', professionals=('p1', 'p2'), subjects=('a', 'b'))]
    """
    profs: dict[str, set[str]] = defaultdict(set)
    subjects: dict[str, set[str]] = defaultdict(set)
    for inv in active_involvements(involvements, as_of):
        if inv.role == "casemanager" and inv.function:
            profs[inv.function].add(inv.professional_id)
            subjects[inv.function].update(inv.subjects)
    return [DoubleCasemanager(f, tuple(sorted(p)), tuple(sorted(subjects[f])))
            for f, p in sorted(profs.items()) if len(p) >= 2]


@dataclass(frozen=True)
class CoachEffect:
    intake: date
    before_date: date
    before: int
    after_date: date | None
    after: int | None

    @property
    def change(self) -> int | None:
        return None if self.after is None else self.after - self.before


def coach_effect(involvements: Iterable[Involvement], intake: date, after: date) -> CoachEffect:
    """Active professionals the day before the coach's intake and at ``after`` (``None`` if before intake).

    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), date(2008, 10, 1), person_ids=("a",)),
    ...         Involvement("i2", "p2", "o2", "WONEN", date(2008, 1, 1), person_ids=("a",))]
    >>> e = coach_effect(invs, date(2008, 9, 1), date(2009, 1, 1))
    >>> (e.before, e.after, e.change)
    (2, 1, -1)
    """
    invs = list(involvements)
    before_date = intake - timedelta(days=1)
    before = len({i.professional_id for i in active_involvements(invs, before_date)})
    if after < intake:
        return CoachEffect(intake, before_date, before, None, None)
    return CoachEffect(intake, before_date, before, after,
                       len({i.professional_id for i in active_involvements(invs, after)}))


# ---------------------------------------------------------------------------------------------- handovers
def derived_handovers(involvements: Iterable[Involvement], within_days: int = 30,
                      explicit: Iterable[Handover] = ()) -> list[Handover]:
    """Handovers implied by the periods: on the same subjects and life domain, one professional's involvement
    ends and another professional's starts within ``within_days`` days (0 = the same day or the next).

    Pairs already linked by an explicit handover are skipped. The result is sorted by date.

    >>> a = Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), date(2008, 6, 30), person_ids=("x",))
    >>> b = Involvement("i2", "p2", "o2", "WONEN", date(2008, 7, 10), person_ids=("x",))
    >>> [(h.from_id, h.to_id, h.date) for h in derived_handovers([a, b], within_days=30)]
    [('i1', 'i2', datetime.date(2008, 7, 10))]
    """
    invs = sorted(involvements, key=lambda i: (i.since, i.id))
    linked = {(h.from_id, h.to_id) for h in explicit} | {(h.to_id, h.from_id) for h in explicit}
    by_key: dict[tuple[tuple[str, ...], str], list[Involvement]] = defaultdict(list)
    for inv in invs:
        by_key[tuple(sorted(inv.subjects)), inv.life_domain].append(inv)
    out: list[Handover] = []
    for group in by_key.values():
        for a in group:
            if a.until is None:
                continue
            for b in group:
                if (b.professional_id != a.professional_id and a.until <= b.since
                        and (b.since - a.until).days <= within_days + 1 and (a.id, b.id) not in linked):
                    out.append(Handover(a.id, b.id, b.since, "derived from the periods", explicit=False))
    return sorted(out, key=lambda h: (h.date, h.from_id, h.to_id))


def all_handovers(involvements: Iterable[Involvement], explicit: Iterable[Handover],
                  within_days: int = 30) -> list[Handover]:
    """Explicit handovers between known involvements plus the derived ones, sorted by date."""
    invs = list(involvements)
    ids = {i.id for i in invs}
    exp = [h for h in explicit if h.from_id in ids and h.to_id in ids]
    return sorted(exp + derived_handovers(invs, within_days, exp), key=lambda h: (h.date, h.from_id, h.to_id))


def handover_chains(handovers: Iterable[Handover]) -> list[tuple[str, ...]]:
    """Maximal chains of involvements linked by handovers (each chain has at least one handover).

    >>> hs = [Handover("a", "b", date(2008, 1, 1)), Handover("b", "c", date(2008, 2, 1)),
    ...       Handover("x", "y", date(2008, 3, 1))]
    >>> handover_chains(hs)
    [('a', 'b', 'c'), ('x', 'y')]
    """
    g = nx.DiGraph()
    g.add_edges_from((h.from_id, h.to_id) for h in handovers)
    chains: list[tuple[str, ...]] = []
    starts = sorted(n for n in g if g.in_degree(n) == 0)
    for s in starts:
        stack: list[list[str]] = [[s]]
        while stack:
            path = stack.pop()
            nxt = sorted((n for n in g.successors(path[-1]) if n not in path), reverse=True)
            if not nxt:
                chains.append(tuple(path))
            stack.extend(path + [n] for n in nxt)
    if not starts and g.number_of_edges():  # a pure cycle: break it at its smallest id
        s = min(g)
        path = [s]
        while (nxt := sorted(n for n in g.successors(path[-1]) if n not in path)):
            path.append(nxt[0])
        chains.append(tuple(path))
    return sorted(chains)


@dataclass(frozen=True)
class PingPong:
    """A chain whose organisations go ``a → b → a``; ``involvement_ids`` are the three steps."""

    organisation_a: str
    organisation_b: str
    involvement_ids: tuple[str, str, str]
    returned_on: date


def ping_pong(chains: Iterable[Sequence[str]], involvements: Iterable[Involvement]) -> list[PingPong]:
    """Every A → B → A step (by organisation) in the handover chains.

    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), date(2008, 3, 1)),
    ...         Involvement("i2", "p2", "o2", "WONEN", date(2008, 3, 2), date(2008, 6, 1)),
    ...         Involvement("i3", "p3", "o1", "WONEN", date(2008, 6, 2))]
    >>> [(p.organisation_a, p.organisation_b, p.returned_on) for p in ping_pong([("i1", "i2", "i3")], invs)]
    [('o1', 'o2', datetime.date(2008, 6, 2))]
    """
    by_id = {i.id: i for i in involvements}
    out: list[PingPong] = []
    for chain in chains:
        steps = [by_id[c] for c in chain if c in by_id]
        for a, b, c in zip(steps, steps[1:], steps[2:], strict=False):
            if a.organisation_id == c.organisation_id != b.organisation_id:
                out.append(PingPong(a.organisation_id, b.organisation_id, (a.id, b.id, c.id), c.since))
    return out


# --------------------------------------------------------------------------------------------------- gaps
@dataclass(frozen=True)
class Gap:
    subject: str
    life_domain: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def gaps(involvements: Iterable[Involvement], min_days: int = 1) -> list[Gap]:
    """Stretches of at least ``min_days`` days, per subject and life domain, when nobody was involved
    between two involvements (before the first and after the last do not count).

    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), date(2008, 1, 31), person_ids=("a",)),
    ...         Involvement("i2", "p2", "o2", "WONEN", date(2008, 2, 11), person_ids=("a",))]
    >>> [(g.start, g.end, g.days) for g in gaps(invs)]
    [(datetime.date(2008, 2, 1), datetime.date(2008, 2, 10), 10)]
    """
    periods: dict[tuple[str, str], list[tuple[date, date | None]]] = defaultdict(list)
    for inv in involvements:
        for subject in inv.subjects:
            periods[subject, inv.life_domain].append((inv.since, inv.until))
    out: list[Gap] = []
    for (subject, domain), ps in sorted(periods.items()):
        ps.sort(key=lambda p: p[0])
        covered_until: date | None = ps[0][1]
        for since, until in ps[1:]:
            if covered_until is None:  # an open involvement covers everything after it
                break
            if since > covered_until + timedelta(days=1):
                g = Gap(subject, domain, covered_until + timedelta(days=1), since - timedelta(days=1))
                if g.days >= min_days:
                    out.append(g)
            covered_until = None if until is None else max(covered_until, until)
    return out


# ---------------------------------------------------------------------------------------------- referrals
@dataclass(frozen=True)
class WaitingReferral:
    referral: Referral
    days_waiting: int


def referrals_without_follow_up(referrals: Iterable[Referral], as_of: date,
                                days: int = 30) -> list[WaitingReferral]:
    """Referrals made at least ``days`` days before ``as_of`` whose help had not started by then.

    ``days_waiting`` counts from the referral to ``as_of`` (or to the late start, if it started after N days
    but before ``as_of`` the referral is not flagged: it did get follow-up).

    >>> r = Referral("r1", date(2008, 11, 1), "o1")
    >>> [w.days_waiting for w in referrals_without_follow_up([r], date(2009, 1, 15), days=30)]
    [75]
    >>> referrals_without_follow_up([r], date(2008, 11, 20), days=30)
    []
    """
    out: list[WaitingReferral] = []
    for r in referrals:
        due = r.date + timedelta(days=days)
        if due > as_of or r.date > as_of:
            continue
        if r.started_at is not None and r.started_at <= as_of:
            continue
        out.append(WaitingReferral(r, (as_of - r.date).days))
    return sorted(out, key=lambda w: (-w.days_waiting, w.referral.id))


# ---------------------------------------------------------------------------------------------- the graph
def change_dates(involvements: Iterable[Involvement], people: Iterable[PersonTie] = (),
                 coaches: Iterable[CoachAssignment] = ()) -> list[date]:
    """Every date on which the client system changes (a start, or the day after an end), sorted.

    >>> change_dates([Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), date(2008, 1, 31))])
    [datetime.date(2008, 1, 1), datetime.date(2008, 2, 1)]
    """
    out: set[date] = set()
    spans: list[tuple[date | None, date | None]] = [(i.since, i.until) for i in involvements]
    spans += [(p.since, p.until) for p in people] + [(c.since, c.until) for c in coaches]
    for since, until in spans:
        if since is not None:
            out.add(since)
        if until is not None:
            out.add(until + timedelta(days=1))
    return sorted(out)


def household_graph(household_id: str, people: Sequence[PersonTie], involvements: Sequence[Involvement],
                    coaches: Sequence[CoachAssignment] = (), as_of: date | None = None) -> nx.Graph:
    """The eco-map as a graph: the household, its people, the professionals and their organisations.

    With ``as_of=None`` everything that was ever part of the client system is included (used to fix a
    layout that does not move when the date changes); otherwise only what is active at ``as_of``.

    Node ids are ``H:<id>``, ``P:<person>``, ``PR:<professional>``, ``O:<organisation>``; node attribute
    ``kind`` is household/member/client_system/informal/professional/organisation. Involvement edges carry
    ``kind='involvement'``, ``life_domains`` and ``labels`` ("function · domain · period", one per involvement).
    The lead professional (an active ``regie`` role, else the active coach) has ``lead=True``.

    >>> g = household_graph("h1", [PersonTie("a", "member", "moeder", date(2000, 1, 1))],
    ...                     [Involvement("i1", "p1", "o1", "WONEN", date(2008, 1, 1), person_ids=("a",))])
    >>> sorted(g.nodes)
    ['H:h1', 'O:o1', 'P:a', 'PR:p1']
    """
    def on(since: date | None, until: date | None) -> bool:
        return as_of is None or is_active(since, until, as_of)

    g = nx.Graph()
    h = f"H:{household_id}"
    g.add_node(h, kind="household", label=household_id)
    named = person_labels(people)
    members = set()
    for p in people:
        if p.kind != "member" or not on(p.since, p.until):
            continue
        members.add(p.id)
        g.add_node(f"P:{p.id}", kind="member", label=named[p.id], role=p.role, birth_year=p.birth_year)
        g.add_edge(h, f"P:{p.id}", kind="membership", labels=[f"{p.role} · {period_label(p.since, p.until)}"])
    for p in people:
        if p.kind == "member" or p.id in members or not on(p.since, p.until):
            continue
        node = f"P:{p.id}"
        if p.kind == "client_system":
            g.add_node(node, kind="client_system", label=named[p.id], role=p.role)
            g.add_edge(h, node, kind="client_system", labels=[f"{p.role} · {period_label(p.since, p.until)}"])
        else:
            targets = [t for t in p.supports if t in members]
            if not targets:
                continue
            if node not in g:
                g.add_node(node, kind="informal", label=named[p.id], role=p.role)
            for t in targets:
                g.add_edge(node, f"P:{t}", kind="informal", labels=[f"{p.role} · {period_label(p.since, p.until)}"])
    lead: set[str] = set()
    for inv in involvements:
        if not on(inv.since, inv.until):
            continue
        prof, org = f"PR:{inv.professional_id}", f"O:{inv.organisation_id}"
        if prof not in g:
            g.add_node(prof, kind="professional", label=inv.professional_name or inv.professional_id,
                       function=inv.function, organisation=inv.organisation_id, life_domains=[], lead=False)
        if inv.life_domain not in g.nodes[prof]["life_domains"]:
            g.nodes[prof]["life_domains"].append(inv.life_domain)
        if org not in g:
            g.add_node(org, kind="organisation", label=inv.organisation_name or inv.organisation_id)
        g.add_edge(prof, org, kind="works_for", labels=[])
        if inv.role == "regie" and (as_of is None or is_active(inv.since, inv.until, as_of)):
            lead.add(prof)
        text = f"{inv.function or inv.role} · {inv.life_domain} · {period_label(inv.since, inv.until)}"
        targets = [f"P:{pid}" for pid in inv.person_ids if f"P:{pid}" in g] + ([h] if inv.household_level else [])
        for t in targets or [h]:
            if g.has_edge(prof, t):
                g.edges[prof, t]["labels"].append(text)
                if inv.life_domain not in g.edges[prof, t]["life_domains"]:
                    g.edges[prof, t]["life_domains"].append(inv.life_domain)
            else:
                g.add_edge(prof, t, kind="involvement", labels=[text], life_domains=[inv.life_domain])
    for c in coaches:
        if not on(c.since, c.until):
            continue
        node = f"PR:{c.professional_id}"
        if node not in g:
            g.add_node(node, kind="professional", label=c.name or c.professional_id, function="wijkcoach",
                       organisation="", life_domains=[], lead=False)
        g.nodes[node]["coach"] = True
        text = f"wijkcoach · {period_label(c.since, c.until)}"
        if g.has_edge(node, h):
            g.edges[node, h]["labels"].append(text)
        else:
            g.add_edge(node, h, kind="coach", labels=[text], life_domains=[])
        if not lead:
            lead.add(node)
    for node in lead:
        g.nodes[node]["lead"] = True
    return g


#: A participation-ladder score is drawn on to the next one only when that came within this many days: a step
#: line over years without a score suggested scores nobody gave (a review: "flat at rung 5 from 2012 to 2026").
LADDER_GAP_DAYS = 366


def ladder_line(scores: Iterable[tuple[date, int]]) -> tuple[list[date | None], list[int | None]]:
    """One person's ladder scores ``(date, rung)`` as a chart's points in date order, broken (``None``) between
    two scores more than :data:`LADDER_GAP_DAYS` apart.

    >>> ladder_line([(date(2026, 1, 1), 4), (date(2010, 1, 1), 2), (date(2010, 6, 1), 3)])[1]
    [2, 3, None, 4]
    """
    xs: list[date | None] = []
    ys: list[int | None] = []
    before: date | None = None
    for day, rung in sorted(scores):
        if before is not None and (day - before).days > LADDER_GAP_DAYS:
            xs.append(None)
            ys.append(None)
        xs.append(day)
        ys.append(rung)
        before = day
    return xs, ys
