"""The deterministic synthetic neighbourhood: :func:`generate` yields canonical ``(kind, record)`` pairs.

What comes out (default seed 2008, 634 experiment and 507 control households):

* reference data first: the areas, the covenant partners and municipal services, mandate buddies, the four
  wijkcoaches (from 2008-09-01; one per 160 experiment homes in a larger run) with their mandates;
* then household by household, each preceded by a block of professionals when a new block starts, every
  household's records in model order (:data:`graph.model.RECORD_KINDS`), so every record comes after the
  records it refers to, and memory does not grow with ``households``.

Calibration (checked by ``tests/unit/test_synthetic.py`` with :mod:`ingest.synthetic.calibration`):

* helpers per resident on 2009-06-30, both areas: 63% none, 12% one, 11% two, 14% three or more;
* multi-problem households (about 12%) have 5-10 professionals at once, a few up to 20;
* coached households have fewer professionals a year after intake than the day before; the control area
  keeps its levels;
* coached adults rise about one ladder rung by 2012, others stay level;
* the eleven-casemanager household ``HH-DEMO-11`` (see :mod:`ingest.synthetic.demo`).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from datetime import date

from graph.model import RECORD_KINDS

from .addresses import AREAS, Address, Area, addresses, area_plan
from .casework import (
    P_HELPED,
    consultations,
    multi_problem_casework,
    ordinary_casework,
    signals,
    unfollowed_referrals,
)
from .coaching import coach_takeover, plan_with_goals
from .context import BLOCK_HOUSEHOLDS, COACHING_START, END, START, SURVEY, Context, Record
from .demo import DEMO_INTAKE, demo_case
from .households import Case, Neighbours, client_system, compose, person_records
from .ladder import ladder_scores
from .organisations import (
    COACH_FUNCTION,
    COACH_ORG_ID,
    HOUSING_CORPORATIONS,
    MANDATES,
    MANDATES_SINCE,
    ORGANISATIONS,
)

__all__ = ["COACHES", "DEMO_POSITION", "HOUSEHOLDS_PER_COACH", "coaches_for", "P_MULTI_PROBLEM", "generate", "reference_records"]

COACHES = 4
#: Experiment-area households per coach: the real area had 4 coaches for 634 homes (about 160 each, as
#: Leeuwarden's frontlijnwerkers); a larger run gets more coaches (:func:`coaches_for`), each with 15-20 households.
HOUSEHOLDS_PER_COACH = 160


def coaches_for(households: int) -> int:
    """The wijkcoaches of an experiment area of ``households`` homes: four up to the real area's size, then one per
    :data:`HOUSEHOLDS_PER_COACH` (a city of 8,000 homes has 50, not four).

    >>> coaches_for(10), coaches_for(634), coaches_for(8000)
    (4, 4, 50)
    """
    return max(COACHES, round(households / HOUSEHOLDS_PER_COACH))
#: Share of multi-problem households in both areas before the experiment.
P_MULTI_PROBLEM = 0.12
#: The demo household is the fourth home of Nieuwe Velve, so it has next-door neighbours.
DEMO_POSITION = 3
_NEIGHBOURS_KEPT = 6


def generate(seed: int = 2008, households: int = 634, control_households: int | None = None) -> Iterator[Record]:
    """Yield (kind, record) pairs; kind is a key of graph.model.RECORD_KINDS; record has that kind's fields
    (required non-empty, optional may be None) plus 'source' = 'synthetic:<seed>'.

    Parameters
    ----------
    seed
        Seeds the one local ``random.Random``; the same seed gives the identical sequence.
    households
        Homes in the experiment area (Nieuwe Velve and Lindenhof; the real area has 634 corporation homes).
    control_households
        Homes in the control area Stadsveld-Zuid; default ``round(households * 0.8)``.

    Examples
    --------
    >>> first = next(generate(households=10))
    >>> first[0], first[1]["code"], first[1]["source"]
    ('area', 'NVL', 'synthetic:2008')
    """
    if households < 1:
        raise ValueError(f"households must be at least 1 (the demo household lives there), got {households}")
    control = round(households * 0.8) if control_households is None else control_households
    if control < 0:
        raise ValueError(f"control_households must not be negative, got {control}")
    ctx = Context(seed)
    plan = area_plan(households, control)  # three areas, unless addresses.AREA_HOMES says otherwise
    reference, coach_ids = reference_records(ctx, coaches_for(households), [a for a, _n in plan])
    yield from reference
    desk = _CoachDesk(ctx, coach_ids, households)
    # Quotas rather than coin flips: the shares the calibration depends on then vary less between seeds.
    # Coached households are multi-problem; the rest of the experiment area is topped up to the same share.
    uncoached = households - desk.places
    multi_problem = {"experiment": _Quota(max(0, round(P_MULTI_PROBLEM * households) - desk.places), uncoached),
                     "control": _Quota(round(P_MULTI_PROBLEM * control), control)}
    ordinary = {"experiment": uncoached - multi_problem["experiment"].left,
                "control": control - multi_problem["control"].left}
    helped = {kind: _Quota(round(P_HELPED * n), n) for kind, n in ordinary.items()}
    demo_index = min(DEMO_POSITION, plan[0][1] - 1)  # in the first experiment area
    experiment_index = 0
    for area, count in plan:
        neighbours: Neighbours = deque(maxlen=_NEIGHBOURS_KEPT)
        for i, address in enumerate(addresses(ctx.rng, area, count)):
            if i % BLOCK_HOUSEHOLDS == 0:
                yield from ctx.new_block()
            coach: str | None = None
            intake: date | None = None
            if area.kind == "experiment":
                is_demo = experiment_index == demo_index
                coach, intake = desk.next(is_demo)
                experiment_index += 1
                if is_demo:
                    assert coach is not None
                    case = demo_case(ctx, area, address, coach, neighbours)
                    case.add(_household_record(ctx, case))
                    yield from _emit(ctx, case)
                    continue
            heavy = coach is not None or multi_problem[area.kind].take(ctx.rng)
            case = _household(ctx, f"HH-{area.code}-{i + 1:06d}", area, address, neighbours, heavy,
                              coach, intake, not heavy and helped[area.kind].take(ctx.rng))
            yield from _emit(ctx, case)


def reference_records(ctx: Context, coaches: int = COACHES, areas: list[Area] | None = None
                      ) -> tuple[list[Record], list[str]]:
    """Areas (the real neighbourhood's three by default), organisations, mandate buddies, ``coaches`` coaches,
    mandates and mandate holders; and the coach ids."""
    records: list[Record] = [
        ctx.rec("area", code=a.code, name=a.name, kind=a.kind, municipality="Enschede")
        for a in (areas if areas is not None else AREAS.values())]
    # a corporation by the short name the households' rows give it too ("De Woonplaats"), as the profile has it
    short = {org: name for name, org in HOUSING_CORPORATIONS.items()}
    records += [ctx.rec("organisation", id=o.id, name=o.name, sector=o.sector, covenant_group=o.covenant_group,
                        mandating=o.mandating, **({"aliases": [short[o.id]]} if o.id in short else {}))
                for o in ORGANISATIONS]
    for org in ORGANISATIONS:
        if org.mandating:
            # The fixed contact person ("buddy") each mandating partner designates (seed 001, L265-268).
            records.append(ctx.professional(org.id, org.functions[0], START))
            ctx.buddies[org.id] = records[-1][1]["id"]
    coach_ids: list[str] = []
    for _ in range(coaches):
        records.append(ctx.professional(COACH_ORG_ID, COACH_FUNCTION, COACHING_START, is_coach=True))
        coach_ids.append(records[-1][1]["id"])
    for m in MANDATES:
        records.append(ctx.rec("mandate", id=m.id, organisation_id=m.organisation_id, life_domain=m.life_domain,
                               decision_type=m.decision_type, since=MANDATES_SINCE, until=None,
                               buddy_professional_id=ctx.buddies[m.organisation_id]))
    for coach in coach_ids:
        for m in MANDATES:
            records.append(ctx.rec("mandate_holder", mandate_id=m.id, professional_id=coach, since=MANDATES_SINCE,
                                   until=None))
    return records, coach_ids


class _Quota:
    """Selection sampling: exactly ``k`` of the next ``n`` calls to :meth:`take` say yes, spread at random."""

    def __init__(self, k: int, n: int) -> None:
        self.left, self.candidates = min(k, n), n

    def take(self, rng: random.Random) -> bool:
        yes = self.left > 0 and rng.random() * self.candidates < self.left
        self.candidates -= 1
        self.left -= yes
        return yes


class _CoachDesk:
    """Decides, household by household, who goes on a coach's caseload (15-20 each) and when.

    Selection sampling spreads the caseloads evenly over the experiment area without knowing the future,
    keeping one place free for the demo household.
    """

    def __init__(self, ctx: Context, coach_ids: list[str], n_experiment: int) -> None:
        self.ctx = ctx
        self.left = {c: ctx.rng.randint(15, 20) for c in coach_ids}
        #: Caseload places in total (fixed), and the quota that places the non-demo ones.
        self.places = min(sum(self.left.values()), n_experiment)
        self._others = _Quota(self.places - 1, n_experiment - 1)

    def next(self, is_demo: bool) -> tuple[str | None, date | None]:
        """Return (coach id, intake date) for the next experiment household, (None, None) if not coached."""
        if not is_demo and not self._others.take(self.ctx.rng):
            return None, None
        coach = max(self.left, key=lambda c: self.left[c])
        self.left[coach] -= 1
        intake = DEMO_INTAKE if is_demo else self.ctx.date_between(COACHING_START, SURVEY)
        return coach, intake


def _household(ctx: Context, household_id: str, area: Area, address: Address, neighbours: Neighbours,
               multi_problem: bool, coach: str | None, intake: date | None, helped: bool) -> Case:
    """Build one ordinary (``helped`` or not), multi-problem or coached household."""
    rng = ctx.rng
    caseload_until = None
    if coach is not None and rng.random() < 0.25:
        caseload_until = ctx.date_between(date(2011, 6, 30), END)
    case = Case(household_id, area, address, compose(ctx, multi_problem), multi_problem, coach, intake,
                caseload_until)
    case.add(_household_record(ctx, case))
    person_records(ctx, case)
    client_system(ctx, case, neighbours)
    slots = multi_problem_casework(ctx, case) if multi_problem else ordinary_casework(ctx, case, helped)
    if intake is not None:
        consultations(ctx, case, [(date(2006, 1, 1), intake, "wijkzorgteam")])
        coach_takeover(ctx, case, slots)
    elif multi_problem:
        # Without a coach the transaction costs stay: wijkzorgteam and care-network meetings go on.
        consultations(ctx, case, [(date(2005, 1, 1), date(2008, 6, 29), "wijkzorgteam"),
                                  (date(2008, 7, 1), date(2010, 12, 31), rng.choice(("wijkzorgteam", "zorgnetwerk"))),
                                  (date(2011, 1, 1), date(2012, 11, 30), "wijkzorgteam")])
        if rng.random() < 0.4:
            domains = list(dict.fromkeys(s.service.life_domain for s in slots))
            plan_with_goals(ctx, case, domains, ctx.date_between(date(2006, 1, 1), date(2010, 6, 30)),
                            sanctions=False)
    signals(ctx, case)
    unfollowed_referrals(ctx, case)
    ladder_scores(ctx, case, helped=bool(slots))
    return case


def _household_record(ctx: Context, case: Case) -> Record:
    a = case.address
    return ctx.rec("household", id=case.household_id, address_key=a.key, postcode=a.postcode,
                   house_number=a.house_number, area_code=case.area.code, suffix=a.suffix, street=a.street,
                   housing_corporation=a.housing_corporation)


def _emit(ctx: Context, case: Case) -> Iterator[Record]:
    """Yield a finished household's records in model order (referenced kinds first)."""
    case.out["involvement"] = [
        ctx.rec("involvement", id=i.id, professional_id=i.professional_id, organisation_id=i.organisation_id,
                life_domain=i.life_domain, role=i.role, since=i.since, until=i.until, function=i.function,
                person_ids=list(i.person_ids) if i.person_ids else None, household_id=i.household_id)
        for i in case.invs]
    for kind in RECORD_KINDS:
        yield from case.out.get(kind, ())
