"""Professional involvement with a household over time: who is active, the handovers between them, the
referrals that did or did not lead anywhere, signals and joint consultations.

Every line of work (a *slot*: one service for one subject) is a chain of involvements. The link that covers
the slot's *must* dates is fixed, so counts on those dates are exactly the number of slots; before it the
case may have passed through other hands (internal transfers, other organisations, now and then A→B→A
ping-pong) and after it a professional may leave. That is what makes the calibration targets of
:mod:`ingest.synthetic.generator` hold by construction rather than by luck.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .context import END, START, SURVEY, Context
from .households import CHILD_ROLES, Case, Inv
from .organisations import organisation
from .services import ALTERNATIVES, SERVICES, Service, service

__all__ = [
    "P_HELPED",
    "Slot",
    "add_chain",
    "consultations",
    "multi_problem_casework",
    "ordinary_casework",
    "signals",
    "subjects",
    "unfollowed_referrals",
]

DAY = timedelta(days=1)
#: Multi-problem households keep their helpers from before mid-2008 until at least mid-2011 (the control
#: area "keeps its levels"); the coach's intake is what breaks that pattern in the experiment area.
MP_STABLE = (date(2008, 6, 30), date(2011, 6, 30))

_INTERNAL_REASONS = ("interne overdracht", "wisseling casemanager", "vertrek medewerker", "herverdeling caseload")
_EXTERNAL_REASONS = ("doorverwijzing tweede lijn", "terugverwijzing eerste lijn", "andere expertise nodig",
                     "overdracht na indicatie")
_REFERRAL_REASONS = ("complexe problematiek", "specialistische expertise nodig", "zorgen over kinderen",
                     "schulden", "verslaving", "psychische problemen", "overlast")


@dataclass
class Slot:
    """One line of work for one subject (``subject`` None = the household as a whole)."""

    service: Service
    org_id: str
    subject: tuple[str, ...] | None
    primary: Inv
    last: Inv


def subjects(case: Case, svc: Service) -> list[tuple[str, ...] | None]:
    """Return who ``svc`` could concern in ``case``: the household, a couple or single residents."""
    return _subjects(svc, _residents(case))


# (person id, age, gender, role, is a child of the household) of everyone living there on the day the
# casework is counted (the survey, or the day before a coach's intake).
_Resident = tuple[str, int, str, str, bool]


def _residents(case: Case) -> list[_Resident]:
    day = case.reference_day
    return [(m.person_id, m.age, m.gender, m.role, m.role in CHILD_ROLES and m.age < 24)
            for m in case.members if m.since <= day]


def _subjects(svc: Service, residents: list[_Resident]) -> list[tuple[str, ...] | None]:
    if svc.subject == "household":
        if svc.key == "jarabee" and not any(r[4] for r in residents):
            return []
        return [None]
    if svc.subject == "couple":
        pair = [r[0] for r in residents if r[3] in ("vader", "moeder", "partner")]
        return [(pair[0], pair[1])] if len(pair) == 2 else []
    child = svc.subject == "child"
    # Young adults living at home can have adult services (benefit, debts) as well as youth ones.
    return [(pid,) for pid, age, gender, _, is_child in residents
            if svc.min_age <= age <= svc.max_age and (svc.gender is None or gender == svc.gender)
            and (is_child if child else age >= 18)]


def _org_for(case: Case, svc: Service) -> str:
    return case.corporation_org if svc.organisation_id == "CORPORATION" else svc.organisation_id


def _function_for(org_id: str, svc: Service) -> str:
    functions = organisation(org_id).functions
    return svc.function if svc.function in functions else functions[0]


def _inv(ctx: Context, case: Case, org_id: str, pro: str, svc: Service, function: str,
         subject: tuple[str, ...] | None, since: date, until: date | None) -> Inv:
    inv = Inv(ctx.next_id("INV"), pro, org_id, svc.life_domain, svc.role, since, until, function, subject,
              case.household_id if subject is None else None)
    case.invs.append(inv)
    return inv


def handover(ctx: Context, case: Case, a: Inv, b: Inv, reason: str, day: date | None = None) -> None:
    """Record an explicit handover from ``a`` to ``b`` on ``day`` (default: when ``b`` starts)."""
    case.add(ctx.rec("handover", id=ctx.next_id("HO"), from_involvement_id=a.id, to_involvement_id=b.id,
                     date=day or b.since, reason=reason))


def referral(ctx: Context, case: Case, pro: str, org_id: str, domain: str, day: date,
             subject: tuple[str, ...] | None, accepted: date | None, started: date | None,
             reason: str | None = None) -> None:
    """Record a referral by ``pro`` to ``org_id`` (accepted/started None = no follow-up)."""
    case.add(ctx.rec("referral", id=ctx.next_id("REF"), professional_id=pro, organisation_id=org_id, date=day,
                     life_domain=domain, accepted_at=accepted, started_at=started,
                     reason=reason or ctx.rng.choice(_REFERRAL_REASONS),
                     person_id=subject[0] if subject and len(subject) == 1 else None,
                     household_id=case.household_id if not subject or len(subject) != 1 else None))


def _transfer(ctx: Context, case: Case, a: Inv, svc: Service, since: date, until: date | None,
              subject: tuple[str, ...] | None, avoid: set[str]) -> Inv:
    """Continue ``a``'s line of work with someone else from ``since``: same organisation or another one."""
    rng = ctx.rng
    others = [o for o in ALTERNATIVES[svc.life_domain] if o != a.organisation_id]
    if rng.random() < 0.6 or not others:
        pro = ctx.pick_professional(a.organisation_id, a.function, avoid | {a.professional_id})
        b = _inv(ctx, case, a.organisation_id, pro, svc, a.function, subject, since, until)
        if rng.random() < 0.85:
            handover(ctx, case, a, b, rng.choice(_INTERNAL_REASONS))
        return b
    org_id = rng.choice(others)
    function = _function_for(org_id, svc)
    pro = ctx.pick_professional(org_id, function, avoid)
    b = _inv(ctx, case, org_id, pro, svc, function, subject, since, until)
    asked = max(a.since, since - timedelta(days=rng.randint(7, 45)))
    referral(ctx, case, a.professional_id, org_id, svc.life_domain, asked, subject,
             min(since, asked + timedelta(days=rng.randint(2, 14))), since)
    if rng.random() < 0.85:
        handover(ctx, case, a, b, rng.choice(_EXTERNAL_REASONS))
    return b


def add_chain(ctx: Context, case: Case, svc: Service, subject: tuple[str, ...] | None, start: date,
              must: tuple[date, date], end: date | None, *, future: bool = True) -> Slot:
    """Add one slot: a chain of involvements from ``start`` whose primary link covers ``must``.

    ``end`` None leaves the line of work open (possibly with a later transfer when ``future``).
    """
    rng = ctx.rng
    org_id = _org_for(case, svc)
    function = _function_for(org_id, svc)
    primary_pro = ctx.pick_professional(org_id, function, case.used_professionals, case.hired)
    case.used_professionals.add(primary_pro)
    n_history = 0
    if (must[0] - start).days > 240:
        r = rng.random()
        n_history = 0 if r < 0.6 else 1 if r < 0.88 else 2
    cuts = sorted({ctx.date_between(start + timedelta(days=60), must[0] - timedelta(days=30))
                   for _ in range(n_history)})
    bounds = [start, *cuts]
    primary_since = bounds[-1]
    prev: Inv | None = None
    if cuts:
        ping_pong = len(cuts) == 2 and rng.random() < 0.4
        first_org, first_function, first_pro = org_id, function, primary_pro
        if not ping_pong:
            first_pro = ctx.pick_professional(org_id, function, case.used_professionals)
            others = [o for o in ALTERNATIVES[svc.life_domain] if o != org_id]
            if first_pro == primary_pro and others:
                # Nobody else at this organisation: the case came from another one.
                first_org = rng.choice(others)
                first_function = _function_for(first_org, svc)
                first_pro = ctx.pick_professional(first_org, first_function, case.used_professionals)
        prev = _inv(ctx, case, first_org, first_pro, svc, first_function, subject, bounds[0], None)
        for i in range(1, len(bounds)):
            gap = rng.randint(7, 60) if rng.random() < 0.15 else 0
            prev.until = max(prev.since + timedelta(days=14), bounds[i] - DAY - timedelta(days=gap))
            if i < len(bounds) - 1:
                prev = _transfer(ctx, case, prev, svc, bounds[i], None, subject, case.used_professionals)
    primary = _inv(ctx, case, org_id, primary_pro, svc, function, subject, primary_since, end)
    if prev is not None:
        if prev.organisation_id == org_id:
            if rng.random() < 0.85:
                handover(ctx, case, prev, primary, rng.choice(_INTERNAL_REASONS))
        else:
            referral(ctx, case, prev.professional_id, org_id, svc.life_domain,
                     max(prev.since, primary_since - timedelta(days=20)), subject, primary_since, primary_since)
            handover(ctx, case, prev, primary, rng.choice(_EXTERNAL_REASONS))
    last = primary
    if future and end is None and rng.random() < 0.2:
        lo, hi = must[1] + timedelta(days=90), END - timedelta(days=90)
        if lo < hi:
            when = ctx.date_between(lo, hi)
            primary.until = when - DAY
            last = _transfer(ctx, case, primary, svc, when, None, subject, case.used_professionals)
    return Slot(svc, org_id, subject, primary, last)


def _single(ctx: Context, case: Case, svc: Service, subject: tuple[str, ...] | None, since: date,
            until: date | None) -> None:
    """A short involvement outside the counted dates (history before the survey, or new work after it)."""
    org_id = _org_for(case, svc)
    pro = ctx.pick_professional(org_id, _function_for(org_id, svc), set())
    _inv(ctx, case, org_id, pro, svc, _function_for(org_id, svc), subject, since, until)


_WEIGHTED = {heavy: tuple((svc, svc.heavy if heavy else svc.light) for svc in SERVICES
                          if (svc.heavy if heavy else svc.light) > 0) for heavy in (False, True)}


@cache
def _personal(age: int, gender: str, is_child: bool, heavy: bool) -> tuple[tuple[Service, float], ...]:
    """Services (with weight) a resident of this age, gender and position could have; cached per profile."""
    return tuple((svc, w) for svc, w in _WEIGHTED[heavy] if svc.subject in ("adult", "child")
                 and _subjects(svc, [("", age, gender, "", is_child)]))


def _draw(ctx: Context, case: Case, n: int, heavy: bool) -> list[tuple[Service, tuple[str, ...] | None]]:
    """Draw up to ``n`` distinct (service, subject) pairs, weighted for ordinary or heavy households."""
    rng = ctx.rng
    residents = _residents(case)
    pool: list[tuple[Service, tuple[str, ...] | None]] = []
    weights: list[float] = []
    for svc, w in _WEIGHTED[heavy]:
        if svc.subject in ("household", "couple"):
            for subject in _subjects(svc, residents):
                pool.append((svc, subject))
                weights.append(w)
    for pid, age, gender, _, is_child in residents:
        for svc, w in _personal(age, gender, is_child, heavy):
            pool.append((svc, (pid,)))
            weights.append(w)
    chosen: list[tuple[Service, tuple[str, ...] | None]] = []
    total = sum(weights)
    while pool and len(chosen) < n:
        # Weighted draw without replacement; a float shortfall at the end falls on the last candidate.
        r = rng.random() * total
        i, last = 0, len(weights) - 1
        while i < last:
            r -= weights[i]
            if r < 0:
                break
            i += 1
        chosen.append(pool.pop(i))
        total -= weights.pop(i)
    return chosen


# Ordinary households: the share with any helper on the survey date (drawn as a quota by the generator) and
# how many lines of work they have; tuned so that helpers per resident match the 2009 survey (63/12/11/14 %).
P_HELPED = 0.29
_ORDINARY_COUNTS = (1, 2, 3, 4, 5, 6)
_ORDINARY_WEIGHTS = (12, 27, 29, 16, 9, 7)
_MP_COUNTS = tuple(range(5, 21))
_MP_WEIGHTS = (15, 18, 18, 15, 12, 10, 3, 2, 2, 1, 1, 0.8, 0.6, 0.4, 0.4, 0.3)


def ordinary_casework(ctx: Context, case: Case, helped: bool) -> list[Slot]:
    """Casework of a household that is not multi-problem: one to six lines of work on the survey date when
    ``helped``, otherwise none then (but maybe before or after)."""
    rng = ctx.rng
    slots: list[Slot] = []
    if helped:
        n = rng.choices(_ORDINARY_COUNTS, _ORDINARY_WEIGHTS)[0]
        for svc, subject in _draw(ctx, case, n, heavy=False):
            start = max(START, SURVEY - timedelta(days=rng.randint(30, 1100)))
            end = None if rng.random() < 0.15 else SURVEY + timedelta(days=rng.randint(30, 1000))
            slots.append(add_chain(ctx, case, svc, subject, start, (SURVEY, SURVEY), end))
    if rng.random() < (0.35 if helped else 0.15):
        for svc, subject in _draw(ctx, case, rng.randint(1, 2), heavy=False):
            since = ctx.date_between(START, date(2008, 9, 30))
            _single(ctx, case, svc, subject, since,
                    min(SURVEY - DAY, since + timedelta(days=rng.randint(60, 700))))
    if rng.random() < (0.3 if helped else 0.12):
        for svc, subject in _draw(ctx, case, 1, heavy=False):
            since = ctx.date_between(SURVEY + DAY, date(2012, 6, 30))
            _single(ctx, case, svc, subject, since,
                    None if rng.random() < 0.4 else min(END, since + timedelta(days=rng.randint(60, 700))))
    return slots


def multi_problem_casework(ctx: Context, case: Case) -> list[Slot]:
    """Casework of a multi-problem household: 5-10 professionals at once (now and then up to 20).

    Coached households (``case.intake`` set) have every line active on the day before intake and leave the
    ending to :mod:`ingest.synthetic.coaching`; the others keep their helpers from mid-2008 to mid-2011.
    """
    rng = ctx.rng
    n = rng.choices(_MP_COUNTS, _MP_WEIGHTS)[0]
    pairs = [(service("smd_regie"), None), *_draw(ctx, case, n - 1, heavy=True)]
    slots: list[Slot] = []
    for svc, subject in pairs:
        if case.intake is not None:
            start = ctx.date_between(START, case.intake - timedelta(days=60))
            slots.append(add_chain(ctx, case, svc, subject, start, (case.intake - DAY, case.intake - DAY), None,
                                   future=False))
        else:
            start = ctx.date_between(START, MP_STABLE[0] - timedelta(days=30))
            end = None if rng.random() < 0.55 else ctx.date_between(MP_STABLE[1] + DAY, END)
            slots.append(add_chain(ctx, case, svc, subject, start, MP_STABLE, end))
    for svc, subject in _draw(ctx, case, rng.randint(1, 3), heavy=True):
        since = ctx.date_between(START, date(2007, 12, 31))
        _single(ctx, case, svc, subject, since,
                min(date(2008, 5, 31), since + timedelta(days=rng.randint(60, 500))))
    if case.intake is None and rng.random() < 0.5:
        for svc, subject in _draw(ctx, case, 1, heavy=True):
            since = ctx.date_between(date(2011, 2, 1), date(2012, 9, 30))
            _single(ctx, case, svc, subject, since, None)
    return slots


_CHANNELS = ("zelf", "bewoner", "buur", "partner")


def signals(ctx: Context, case: Case) -> None:
    """Signals that started casework: before the first involvement, and before a coach's intake."""
    rng = ctx.rng
    if case.intake is not None:
        day = max(case.intake - timedelta(days=rng.randint(7, 45)), date(2008, 8, 15))
        case.add(ctx.rec("signal", id=ctx.next_id("SIG"), household_id=case.household_id, date=day,
                         channel=rng.choices(_CHANNELS, (20, 20, 15, 45))[0]))
    if case.invs and rng.random() < (0.7 if case.multi_problem else 0.3):
        first = min(i.since for i in case.invs)
        case.add(ctx.rec("signal", id=ctx.next_id("SIG"), household_id=case.household_id,
                         date=max(START, first - timedelta(days=rng.randint(0, 20))),
                         channel=rng.choices(_CHANNELS, (5, 20, 15, 60))[0]))


def active_professionals(case: Case, day: date) -> list[str]:
    """Distinct professionals active for ``case`` on ``day``, in the order their involvements were made."""
    return list(dict.fromkeys(i.professional_id for i in case.invs if i.active(day)))


def consultations(ctx: Context, case: Case, periods: list[tuple[date, date, str]]) -> None:
    """Joint consultations: one per period (start, end, kind) when at least two helpers are active."""
    for lo, hi, kind in periods:
        day = ctx.date_between(lo, hi)
        pros = active_professionals(case, day)
        if len(pros) >= 2:
            case.add(ctx.rec("consultation", id=ctx.next_id("OVL"), household_id=case.household_id, date=day,
                             professional_ids=pros[:8], kind=kind))


def unfollowed_referrals(ctx: Context, case: Case) -> None:
    """Referrals that nobody picked up ("naar niks doorverwijzen") or that were accepted but never started."""
    rng = ctx.rng
    if not case.invs or rng.random() > (0.35 if case.multi_problem else 0.1):
        return
    inv = rng.choice(case.invs)
    others = [o for o in ALTERNATIVES[inv.life_domain] if o != inv.organisation_id]
    if not others:
        return
    day = ctx.date_between(inv.since, min(END, inv.until or END))
    accepted = day + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.3 else None
    referral(ctx, case, inv.professional_id, rng.choice(others), inv.life_domain, day, inv.person_ids,
             accepted if accepted is None or accepted <= END else None, None)
