"""Who lives in a home, and who around them belongs to the client system.

Household types follow the neighbourhood's profile (many single residents, single-parent and blended
families; seed 001, L1394 and L61-62): multi-problem households are mostly families. Persons outside the
household (grandparents elsewhere, an involved neighbour) are tied in with ``client_system``, ``neighbour``
and ``informal_support`` records (seed 000, L37: "vader, moeder, kinderen, opa, oma, de betrokken buurvrouw").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from .addresses import Address, Area
from .context import END, START, SURVEY, Context, Record
from .organisations import HOUSING_CORPORATIONS
from .people import fictional_name, fictional_surname

__all__ = ["Case", "Inv", "Member", "client_system", "compose", "person_records"]

CHILD_ROLES = ("kind", "stiefkind", "pleegkind")
PARENT_ROLES = ("vader", "moeder")


@dataclass
class Member:
    """One resident and their place in the household."""

    person_id: str
    role: str
    birth_year: int
    gender: str
    name: str
    since: date
    until: date | None = None
    has_bsn: bool = True
    #: Age in the survey year 2009 (eligibility for services is decided on it).
    age: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.age = SURVEY.year - self.birth_year

    @property
    def is_adult(self) -> bool:
        return self.age >= 18


@dataclass
class Inv:
    """An involvement under construction; its ``until`` may still change before it is emitted."""

    id: str
    professional_id: str
    organisation_id: str
    life_domain: str
    role: str
    since: date
    until: date | None
    function: str
    person_ids: tuple[str, ...] | None
    household_id: str | None

    def active(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass
class Case:
    """Everything generated for one household, kept until the household is emitted."""

    household_id: str
    area: Area
    address: Address
    members: list[Member]
    multi_problem: bool
    coach_id: str | None = None
    intake: date | None = None
    caseload_until: date | None = None
    invs: list[Inv] = field(default_factory=list)
    #: Records per kind, emitted in model order once the household is complete.
    out: dict[str, list[Record]] = field(default_factory=dict)
    used_professionals: set[str] = field(default_factory=set)

    @property
    def corporation_org(self) -> str:
        return HOUSING_CORPORATIONS[self.address.housing_corporation]

    def add(self, record: Record) -> None:
        self.out.setdefault(record[0], []).append(record)

    @property
    def hired(self) -> list[Record]:
        """Professionals hired for this household (emitted before its involvements)."""
        return self.out.setdefault("professional", [])

    @property
    def reference_day(self) -> date:
        """The day casework is counted on: the survey, or the day before a coach's intake."""
        return SURVEY if self.intake is None else min(SURVEY, self.intake - timedelta(days=1))

    def adults(self) -> list[Member]:
        return [m for m in self.members if m.is_adult and m.since <= SURVEY]


def _member(ctx: Context, role: str, birth_year: int, gender: str, surname: str, since: date) -> Member:
    return Member(ctx.new_person_id(), role, birth_year, gender, fictional_name(ctx.rng, gender, surname),
                  since, None, ctx.rng.random() < 0.97)


_TYPES = ("single", "couple", "single_parent", "two_parents", "three_generations", "house_share")
_WEIGHTS_ORDINARY = (40, 17, 16, 22, 3, 2)
_WEIGHTS_MULTI_PROBLEM = (10, 5, 40, 43, 2, 0)


def compose(ctx: Context, multi_problem: bool) -> list[Member]:
    """Draw the members of one household (ages as of 2009; move-in on or after 2004-01-01)."""
    rng = ctx.rng
    kind = rng.choices(_TYPES, _WEIGHTS_MULTI_PROBLEM if multi_problem else _WEIGHTS_ORDINARY)[0]
    # Multi-problem families have lived here since before the casework we look at (2004-2008).
    latest = date(2007, 12, 31) if multi_problem else date(2009, 5, 31)
    since = START if rng.random() < 0.75 else ctx.date_between(START, latest)
    surname = fictional_surname(rng)
    y = SURVEY.year
    members: list[Member] = []
    if kind == "single":
        members.append(_member(ctx, "alleenstaande", y - rng.randint(20, 85), rng.choice("MV"), surname, since))
    elif kind == "couple":
        age = rng.randint(22, 85)
        members.append(_member(ctx, "partner", y - age, "M", surname, since))
        members.append(_member(ctx, "partner", y - max(20, age + rng.randint(-6, 4)), "V",
                               fictional_surname(rng), since))
    elif kind == "house_share":
        members.append(_member(ctx, "alleenstaande", y - rng.randint(20, 40), rng.choice("MV"), surname, since))
        members.append(_member(ctx, "overig", y - rng.randint(20, 40), rng.choice("MV"),
                               fictional_surname(rng), since))
    else:
        mother_age = rng.randint(23, 50)
        single_father = kind == "single_parent" and rng.random() < 0.15
        if not single_father:
            members.append(_member(ctx, "moeder", y - mother_age, "V", surname, since))
        if kind != "single_parent" or single_father:
            members.append(_member(ctx, "vader", y - mother_age - rng.randint(-2, 6), "M", surname, since))
        low, high = (2, 5) if multi_problem and kind == "two_parents" else (1, 3 if kind != "two_parents" else 4)
        step_share = 0.35 if multi_problem else 0.15
        step_surname = fictional_surname(rng)
        for _ in range(rng.randint(low, high)):
            age = rng.randint(0, min(22, mother_age - 18))
            role = "stiefkind" if kind == "two_parents" and rng.random() < step_share else "kind"
            kid = _member(ctx, role, y - age, rng.choice("MV"), step_surname if role == "stiefkind" else surname,
                          max(since, date(y - age, 1, 1) if age < 5 else since))
            # Some older children leave home during the observation period.
            if age >= 17 and rng.random() < 0.3:
                kid.until = ctx.date_between(date(2010, 1, 1), date(2012, 6, 30))
            members.append(kid)
        if kind == "three_generations":
            gender = rng.choice("MV")
            members.append(_member(ctx, "opa" if gender == "M" else "oma", y - rng.randint(66, 88), gender,
                                   surname, since))
        if mother_age < 38 and rng.random() < 0.12:
            born = ctx.date_between(date(2009, 7, 1), date(2012, 6, 30))
            members.append(_member(ctx, "kind", born.year, rng.choice("MV"), surname, born))
    return members


def person_records(ctx: Context, case: Case) -> None:
    """Add the person and membership records of ``case``'s members."""
    for m in case.members:
        case.add(ctx.rec("person", id=m.person_id, birth_year=m.birth_year, gender=m.gender,
                         display_name=m.name, has_bsn=m.has_bsn))
    for m in case.members:
        case.add(ctx.rec("membership", household_id=case.household_id, person_id=m.person_id, role=m.role,
                         since=m.since, until=m.until))


#: Adults of the last few households in the same area, as (person id, gender): the next-door neighbours.
Neighbours = deque[tuple[str, str]]

_SUPPORT_BY_GRANDPARENT = ("oppas", "mantelzorg", "financiële steun", "opvang kinderen")
_SUPPORT_BY_NEIGHBOUR = ("praktische hulp", "boodschappen", "oogje in het zeil", "luisterend oor")


def client_system(ctx: Context, case: Case, neighbours: Neighbours) -> None:
    """Add grandparents elsewhere, an involved neighbour and plain neighbour ties for ``case``."""
    rng = ctx.rng
    adults = case.adults() or case.members[:1]
    children = [m for m in case.members if m.role in CHILD_ROLES]
    heavy = case.multi_problem
    if children and rng.random() < (0.45 if heavy else 0.3):
        for _ in range(rng.choice((1, 1, 2))):
            gender = rng.choice("MV")
            pid = ctx.new_person_id()
            case.add(ctx.rec("person", id=pid, birth_year=SURVEY.year - rng.randint(58, 84), gender=gender,
                             display_name=fictional_name(rng, gender), has_bsn=True))
            case.add(ctx.rec("client_system", household_id=case.household_id, person_id=pid,
                             relation="opa" if gender == "M" else "oma", since=START, until=None))
            if rng.random() < 0.6:
                case.add(ctx.rec("informal_support", supporter_id=pid, person_id=rng.choice(adults).person_id,
                                 kind=rng.choice(_SUPPORT_BY_GRANDPARENT),
                                 since=ctx.date_between(START, date(2011, 12, 31)), until=None))
    if neighbours:
        if rng.random() < (0.45 if case.coach_id else 0.35 if heavy else 0.1):
            other, gender = rng.choice(list(neighbours))
            member = rng.choice(adults)
            since = ctx.date_between(START, date(2011, 12, 31))
            relation = "betrokken buurvrouw" if gender == "V" else "betrokken buurman"
            case.add(ctx.rec("client_system", household_id=case.household_id, person_id=other,
                             relation=relation, since=since, until=None))
            case.add(ctx.rec("neighbour", person_id=member.person_id, other_id=other))
            case.add(ctx.rec("informal_support", supporter_id=other, person_id=member.person_id,
                             kind=rng.choice(_SUPPORT_BY_NEIGHBOUR), since=since,
                             until=None if rng.random() < 0.8 else ctx.date_between(since, END)))
        elif rng.random() < 0.25:
            other, _ = rng.choice(list(neighbours))
            case.add(ctx.rec("neighbour", person_id=rng.choice(adults).person_id, other_id=other))
    for m in adults:
        neighbours.append((m.person_id, m.gender))
