"""The named demo household: "een modaal probleemgezin" with eleven casemanagers (seed 002, L155-159).

Father (unemployed, drinking, violent), mother (in GGZ treatment), son of 14 (dropped out, HALT, fencing
goods) and stepdaughter of 16 (groomed by a loverboy). On :data:`DEMO_AS_OF` eleven professionals from ten
organisations are involved: father 3, mother 3 (the couple-level Huiselijk Geweld project counts for both),
son 4, stepdaughter 2, with Jeugdzorg twice. A coach takes the household on at :data:`DEMO_INTAKE`.
The history before and after is scripted, including one A→B→A ping-pong and a referral chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .addresses import Address, Area
from .casework import consultations, handover, referral
from .context import START, Context
from .households import Case, Inv, Member, Neighbours
from .organisations import COACH_FUNCTION, COACH_ORG_ID
from .people import fictional_name, fictional_surname

__all__ = ["DEMO_AS_OF", "DEMO_HOUSEHOLD_ID", "DEMO_INTAKE", "DEMO_MEMBER_COUNTS", "demo_case"]

DEMO_HOUSEHOLD_ID = "HH-DEMO-11"
DEMO_AS_OF = date(2009, 1, 15)
DEMO_INTAKE = date(2009, 3, 1)
#: Distinct active professionals per member role on :data:`DEMO_AS_OF`.
DEMO_MEMBER_COUNTS: dict[str, int] = {"vader": 3, "moeder": 3, "kind": 4, "stiefkind": 2}
DEMO_PROFESSIONALS = 11
DEMO_ORGANISATIONS = 10

# (key, member roles, organisation, function, life domain, role, since, until); until None = ongoing.
_Line = tuple[str, tuple[str, ...], str, str, str, str, date, date | None]
_LINES: tuple[_Line, ...] = (
    ("verslavingszorg", ("vader",), "ORG-TACTUS", "casemanager verslavingszorg", "ZORG_HULPVERLENING",
     "casemanager", date(2007, 5, 14), date(2010, 6, 30)),
    ("werk_bijstand", ("vader",), "ORG-DMO-WB", "casemanager werk en bijstand", "WERK_PARTICIPATIE",
     "casemanager", date(2006, 2, 1), date(2009, 3, 15)),
    ("huiselijk_geweld", ("vader", "moeder"), "ORG-PROJECT-HG", "casemanager huiselijk geweld",
     "VEILIGHEID_JUSTITIE", "casemanager", date(2008, 3, 10), date(2009, 3, 31)),
    ("ggz", ("moeder",), "ORG-MEDIANT", "casemanager GGZ", "GEZONDHEID_WELZIJN", "casemanager",
     date(2008, 5, 19), None),
    ("multiprobleem", ("moeder",), "ORG-MULTIPROBLEEM", "casemanager multiprobleemaanpak", "ZORG_HULPVERLENING",
     "casemanager", date(2007, 11, 5), date(2009, 2, 28)),
    ("rmc", ("kind",), "ORG-RMC", "trajectbegeleider RMC", "ONDERWIJS_OPVOEDING", "casemanager",
     date(2008, 9, 15), date(2009, 4, 14)),
    ("jib", ("kind",), "ORG-JIB", "casemanager JIB", "VEILIGHEID_JUSTITIE", "casemanager",
     date(2008, 6, 2), date(2009, 6, 30)),
    ("jeugdzorg_zoon", ("kind",), "ORG-BJZ", "casemanager jeugdzorg", "ONDERWIJS_OPVOEDING", "casemanager",
     date(2008, 1, 21), date(2009, 4, 30)),
    ("zorgnetwerk", ("kind",), "ORG-ZORGNETWERK-12", "zorgbegeleider", "ONDERWIJS_OPVOEDING", "casemanager",
     date(2008, 10, 6), date(2009, 3, 15)),
    ("jeugdzorg_dochter", ("stiefkind",), "ORG-BJZ", "casemanager jeugdzorg", "ZORG_HULPVERLENING",
     "casemanager", date(2008, 9, 1), date(2010, 10, 31)),
    ("steunpunt", ("stiefkind",), "ORG-STEUNPUNT-HG", "medewerker Steunpunt Huiselijk Geweld",
     "VEILIGHEID_JUSTITIE", "casemanager", date(2008, 11, 3), date(2009, 4, 30)),
)
#: Lines the coach takes over: line key -> handover date.
_TAKEN_OVER = {"multiprobleem": DEMO_INTAKE, "werk_bijstand": date(2009, 3, 16),
               "zorgnetwerk": date(2009, 3, 16), "huiselijk_geweld": date(2009, 4, 1),
               "rmc": date(2009, 4, 15), "jeugdzorg_zoon": date(2009, 5, 1)}


def demo_case(ctx: Context, area: Area, address: Address, coach_id: str, neighbours: Neighbours) -> Case:
    """Build the demo household's complete case (members, casework, coaching); the caller emits it."""
    rng = ctx.rng
    surname = fictional_surname(rng)
    members = [
        Member(ctx.new_person_id(), "vader", 1968, "M", fictional_name(rng, "M", surname), START),
        Member(ctx.new_person_id(), "moeder", 1971, "V", fictional_name(rng, "V", surname), START),
        Member(ctx.new_person_id(), "kind", 1994, "M", fictional_name(rng, "M", surname), START),
        Member(ctx.new_person_id(), "stiefkind", 1992, "V", fictional_name(rng, "V", fictional_surname(rng)),
               START),
    ]
    case = Case(DEMO_HOUSEHOLD_ID, area, address, members, True, coach_id, DEMO_INTAKE, None)
    by_role = {m.role: m.person_id for m in members}
    _members_and_network(ctx, case, neighbours)
    lines: dict[str, Inv] = {}
    for key, roles, org_id, function, domain, role, since, until in _LINES:
        pro = ctx.pick_professional(org_id, function, case.used_professionals)
        case.used_professionals.add(pro)
        lines[key] = _inv(ctx, case, pro, org_id, function, domain, role, since, until,
                          tuple(by_role[r] for r in roles))
    _history(ctx, case, lines, by_role)
    _coaching(ctx, case, lines, by_role)
    return case


def _inv(ctx: Context, case: Case, pro: str, org_id: str, function: str, domain: str, role: str, since: date,
         until: date | None, subject: tuple[str, ...] | None) -> Inv:
    inv = Inv(ctx.next_id("INV"), pro, org_id, domain, role, since, until, function, subject,
              case.household_id if subject is None else None)
    case.invs.append(inv)
    return inv


def _members_and_network(ctx: Context, case: Case, neighbours: Neighbours) -> None:
    for m in case.members:
        case.add(ctx.rec("person", id=m.person_id, birth_year=m.birth_year, gender=m.gender,
                         display_name=m.name, has_bsn=True))
    for m in case.members:
        case.add(ctx.rec("membership", household_id=case.household_id, person_id=m.person_id, role=m.role,
                         since=m.since, until=None))
    mother = case.members[1].person_id
    oma = ctx.new_person_id()
    case.add(ctx.rec("person", id=oma, birth_year=1946, gender="V", display_name=fictional_name(ctx.rng, "V"),
                     has_bsn=True))
    case.add(ctx.rec("client_system", household_id=case.household_id, person_id=oma, relation="oma",
                     since=START, until=None))
    case.add(ctx.rec("informal_support", supporter_id=oma, person_id=mother, kind="opvang kinderen",
                     since=date(2007, 6, 1), until=None))
    women = [pid for pid, gender in neighbours if gender == "V"] or [pid for pid, _ in neighbours]
    if women:
        buurvrouw = women[-1]
        case.add(ctx.rec("client_system", household_id=case.household_id, person_id=buurvrouw,
                         relation="betrokken buurvrouw", since=date(2006, 4, 1), until=None))
        case.add(ctx.rec("neighbour", person_id=mother, other_id=buurvrouw))
        case.add(ctx.rec("informal_support", supporter_id=buurvrouw, person_id=mother, kind="luisterend oor",
                         since=date(2006, 4, 1), until=None))
    for m in case.members[:2]:
        neighbours.append((m.person_id, m.gender))


def _history(ctx: Context, case: Case, lines: dict[str, Inv], by_role: dict[str, str]) -> None:
    """Before the eleven: social work that was referred on, an internal transfer, a ping-pong, HALT."""
    avoid = case.used_professionals
    mother, son, daughter = (by_role["moeder"],), (by_role["kind"],), (by_role["stiefkind"],)
    smd = _inv(ctx, case, ctx.pick_professional("ORG-SMD", "maatschappelijk werker", avoid), "ORG-SMD",
               "maatschappelijk werker", "ZORG_HULPVERLENING", "casemanager", date(2005, 9, 1),
               date(2007, 11, 4), mother)
    referral(ctx, case, smd.professional_id, "ORG-MULTIPROBLEEM", "ZORG_HULPVERLENING", date(2007, 10, 10), mother,
             date(2007, 10, 22), date(2007, 11, 5), "complexe problematiek")
    handover(ctx, case, smd, lines["multiprobleem"], "andere expertise nodig")
    earlier = _inv(ctx, case, ctx.pick_professional("ORG-BJZ", "casemanager jeugdzorg", avoid), "ORG-BJZ",
                   "casemanager jeugdzorg", "ONDERWIJS_OPVOEDING", "casemanager", date(2007, 3, 1),
                   date(2008, 1, 20), son)
    handover(ctx, case, earlier, lines["jeugdzorg_zoon"], "wisseling casemanager")
    # Stepdaughter: Jeugdzorg -> Jarabee -> the same Jeugdzorg casemanager again.
    current = lines["jeugdzorg_dochter"]
    first = _inv(ctx, case, current.professional_id, "ORG-BJZ", "casemanager jeugdzorg", "ZORG_HULPVERLENING",
                 "casemanager", date(2007, 6, 4), date(2008, 1, 31), daughter)
    jarabee = _inv(ctx, case, ctx.pick_professional("ORG-JARABEE", "gezinscoach", avoid), "ORG-JARABEE",
                   "gezinscoach", "ZORG_HULPVERLENING", "uitvoerend", date(2008, 2, 1), date(2008, 8, 31),
                   daughter)
    referral(ctx, case, first.professional_id, "ORG-JARABEE", "ZORG_HULPVERLENING", date(2008, 1, 10), daughter,
             date(2008, 1, 18), date(2008, 2, 1), "zorgen over kinderen")
    handover(ctx, case, first, jarabee, "doorverwijzing tweede lijn")
    referral(ctx, case, jarabee.professional_id, "ORG-BJZ", "ZORG_HULPVERLENING", date(2008, 8, 4), daughter,
             date(2008, 8, 20), date(2008, 9, 1), "complexe problematiek")
    handover(ctx, case, jarabee, current, "terugverwijzing eerste lijn")
    _inv(ctx, case, ctx.pick_professional("ORG-HALT", "HALT-medewerker", avoid), "ORG-HALT", "HALT-medewerker",
         "VEILIGHEID_JUSTITIE", "uitvoerend", date(2008, 3, 3), date(2008, 6, 30), son)
    _inv(ctx, case, ctx.pick_professional(case.corporation_org, "woningconsulent", avoid), case.corporation_org,
         "woningconsulent", "WONEN", "uitvoerend", date(2006, 1, 9), date(2006, 12, 15), None)
    case.add(ctx.rec("signal", id=ctx.next_id("SIG"), household_id=case.household_id, date=date(2005, 8, 22),
                     channel="buur"))
    case.add(ctx.rec("signal", id=ctx.next_id("SIG"), household_id=case.household_id, date=date(2009, 2, 9),
                     channel="partner"))
    consultations(ctx, case, [(date(2008, 6, 9), date(2008, 6, 13), "zorgnetwerk"),
                              (date(2008, 12, 1), date(2008, 12, 5), "wijkzorgteam")])


def _coach_plan(ctx: Context, case: Case) -> None:
    """The plan the coach agrees with the family: its goals, agreements and announced sanctions."""
    plan_id = ctx.next_id("PLAN")
    case.add(ctx.rec("plan", id=plan_id, household_id=case.household_id, created_at=date(2009, 3, 20)))
    # Set with the plan (the mother's goal after her intake at the GGZ); a status other than "lopend" from the
    # day it was reached: before it the page and the brief show the goal in progress.
    for domain, text, status, since, reached in (
        ("INKOMEN_FINANCIEN_SCHULDEN", "Schulden in beeld en regeling getroffen", "lopend", date(2009, 3, 20), None),
        ("ONDERWIJS_OPVOEDING", "Zoon gaat elke dag naar school", "behaald", date(2009, 3, 20), date(2009, 12, 18)),
        ("VEILIGHEID_JUSTITIE", "Veiligheidsplan: geen geweld in huis", "lopend", date(2009, 3, 20), None),
        ("GEZONDHEID_WELZIJN", "Moeder blijft in behandeling bij de GGZ", "lopend", date(2009, 5, 11), None),
        ("WERK_PARTICIPATIE", "Vader start op een participatieplaats", "niet behaald", date(2009, 3, 20),
         date(2010, 2, 1)),
    ):
        case.add(ctx.rec("goal", id=ctx.next_id("GOAL"), plan_id=plan_id, life_domain=domain, description=text,
                         status=status, since=since, status_since=reached))
    for kind, text, day, due, status, reached in (
        ("afspraak", "Vader blijft in behandeling bij Tactus en drinkt niet", date(2009, 3, 20),
         date(2009, 9, 30), "nagekomen", date(2009, 9, 30)),
        ("afspraak", "Alle post gaat ongeopend naar de coach", date(2009, 3, 20), date(2009, 6, 30), "nagekomen",
         date(2009, 6, 30)),
        ("afspraak", "Zoon is elke schooldag om half negen op school", date(2009, 3, 20), date(2009, 12, 18),
         "open", None),
        ("sanctie", "Proces-verbaal leerplicht bij verder schoolverzuim", date(2009, 4, 6), date(2009, 6, 30),
         "aangekondigd", None),
        ("sanctie", "Korting van 5% op de uitkering als de participatieplaats wordt geweigerd", date(2009, 9, 1),
         date(2009, 10, 1), "aangekondigd", None),
    ):
        case.add(ctx.rec("agreement", id=ctx.next_id("AGR"), plan_id=plan_id, kind=kind, text=text, date=day,
                         due=due, status=status, status_since=reached))


def _coaching(ctx: Context, case: Case, lines: dict[str, Inv], by_role: dict[str, str]) -> None:
    """The coach takes over six lines, advises under five mandates and agrees a plan with the family."""
    coach = case.coach_id
    assert coach is not None
    case.add(ctx.rec("caseload", professional_id=coach, household_id=case.household_id, since=DEMO_INTAKE,
                     until=None))
    _inv(ctx, case, coach, COACH_ORG_ID, COACH_FUNCTION, "ZORG_HULPVERLENING", "regie", DEMO_INTAKE, None, None)
    targets: dict[tuple[tuple[str, ...] | None, str], Inv] = {}
    for key, day in _TAKEN_OVER.items():
        line = lines[key]
        slot = (line.person_ids, line.life_domain)
        if slot not in targets:
            targets[slot] = _inv(ctx, case, coach, COACH_ORG_ID, COACH_FUNCTION, line.life_domain, "casemanager",
                                 day, None, line.person_ids)
        handover(ctx, case, line, targets[slot], "overdracht aan wijkcoach", day)
    corp_mandate = {"ORG-DE-WOONPLAATS": "MAN-DE-WOONPLAATS-VERPLAATSING", "ORG-DOMIJN": "MAN-DOMIJN-VERPLAATSING",
                    "ORG-ONS-HUIS": "MAN-ONS-HUIS-VERPLAATSING"}[case.corporation_org]
    advice: Sequence[tuple[str, date, str]] = (
        ("MAN-DMO-WB-BIJZONDERE-BIJSTAND", date(2009, 4, 6), "adopted"),
        ("MAN-STADSBANK-SCHULDHULP", date(2009, 4, 20), "adopted"),
        ("MAN-LEERPLICHT-MELDING", date(2009, 5, 11), "debated"),
        (corp_mandate, date(2009, 9, 14), "refused"),
        ("MAN-TACTUS-HULPVERLENING", date(2009, 10, 5), "adopted"),
    )
    for mandate_id, day, outcome in advice:
        case.add(ctx.rec("advice", id=ctx.next_id("ADV"), mandate_id=mandate_id, professional_id=coach,
                         household_id=case.household_id, date=day, outcome=outcome))
    _coach_plan(ctx, case)
    father, mother = by_role["vader"], by_role["moeder"]
    for person, org_id, scope, day in (
        (father, "ORG-TACTUS", "gegevensuitwisseling wijkcoach", date(2009, 3, 5)),
        (father, "ORG-DMO-WB", "gegevensuitwisseling wijkcoach", date(2009, 3, 5)),
        (mother, "ORG-MEDIANT", "gegevensuitwisseling wijkcoach", date(2009, 3, 5)),
        (mother, "ORG-MEDIANT", "inzage dossier", date(2009, 11, 12)),
        (mother, "ORG-BJZ", "gegevensuitwisseling wijkcoach", date(2009, 3, 5)),
    ):
        case.add(ctx.rec("consent", id=ctx.next_id("CONS"), person_id=person, organisation_id=org_id, scope=scope,
                         signed_at=day, until=None))
    consultations(ctx, case, [(date(2009, 3, 9), date(2009, 3, 13), "casusoverleg wijkcoach")])
    for person, rungs in ((father, (1, 2, 3, 3)), (mother, (2, 2, 3, 4))):
        for day, rung in zip((DEMO_INTAKE, date(2010, 3, 8), date(2011, 3, 7), date(2012, 5, 14)), rungs,
                             strict=True):
            case.add(ctx.rec("ladder_score", id=ctx.next_id("LS"), person_id=person, date=day, rung=rung))
