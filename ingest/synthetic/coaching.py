"""What a wijkcoach does with a household on the caseload: take over first-line work, advise under mandates,
make a plan with the family, agree "voor wat hoort wat", and call in the second line where needed.

The coach replaces the casemanagers whose work falls under a mandate or is generalist first-line work (seed
001, L23-24, L2528-2529): those involvements end within two months of intake, each with a handover to the
coach's involvement for the same subject and life domain. Second-line and compulsory work (GGZ, addiction
care, family guardian) mostly stays, at most two lines of it; the rest ends as its trajectory finishes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .casework import DAY, Slot, consultations, handover, referral
from .context import COACHING_START, END, Context
from .households import CHILD_ROLES, Case, Inv
from .organisations import COACH_FUNCTION, COACH_ORG_ID, MANDATES, Mandate
from .services import service

__all__ = ["TEXTS", "coach_takeover", "plan_with_goals"]

#: Partners the coaches found harder to work with ("stroever": zorgloket, jeugdzorg, Mediant, Tactus, MEE;
#: seed 001, L1422-1424) refuse or debate the coach's advice more often.
_HARDER = frozenset({"ORG-ZORGLOKET", "ORG-BJZ", "ORG-JARABEE", "ORG-TACTUS", "ORG-MEE"})
_OUTCOMES = ("adopted", "debated", "refused")

#: Goal and agreement texts per life domain: (goals, agreements).
TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "WONEN": (("Huurachterstand ingelopen en woning op orde", "Geen overlast meer voor de buren",
               "Passende woning gevonden"),
              ("Huur wordt voortaan op tijd betaald", "Tuin en portiek worden opgeruimd")),
    "WERK_PARTICIPATIE": (("Participatieplaats of vrijwilligerswerk gevonden", "Betaald werk (met ondersteuning)",
                           "Gestart met een opleiding of cursus"),
                          ("Meldt zich elke werkdag bij de participatieplaats", "Solliciteert twee keer per week")),
    "INKOMEN_FINANCIEN_SCHULDEN": (("Schulden in beeld en regeling getroffen", "Budgetbeheer gestart",
                                    "Inkomen stabiel"),
                                   ("Alle post gaat ongeopend naar de coach",
                                    "Werkt mee aan budgetbeheer bij de Stadsbank")),
    "GEZONDHEID_WELZIJN": (("In behandeling en afspraken nagekomen", "Hulp bij het huishouden geregeld",
                            "Kinderen krijgen elke dag ontbijt"),
                           ("Houdt de afspraken bij de behandelaar aan", "Kinderen gaan met ontbijt naar school")),
    "ONDERWIJS_OPVOEDING": (("Kinderen gaan dagelijks naar school", "Opvoedingsondersteuning geaccepteerd",
                             "Peuter gaat naar de peuteropvang"),
                            ("Kinderen zijn om half negen op school", "Ouders gaan naar de ouderavond")),
    "RECREATIE_VRIJETIJD_RELATIES": (("Doet mee aan activiteiten in de wijk", "Kinderen lid van een sportclub",
                                      "Sociaal netwerk versterkt"),
                                     ("Kinderen gaan naar de speeltuinactiviteiten",
                                      "Helpt mee bij de buurtbarbecue")),
    "ZORG_HULPVERLENING": (("Eén plan en één aanspreekpunt", "Hulpverlening afgestemd en afgeschaald",
                            "Aanmelding tweede lijn gerealiseerd"),
                           ("Neemt de telefoon op als de coach belt",
                            "Geeft toestemming voor informatie-uitwisseling")),
    "VEILIGHEID_JUSTITIE": (("Geen nieuwe politiecontacten", "Veiligheidsplan opgesteld",
                             "Reclasseringstoezicht nagekomen"),
                            ("Geen geweld in huis", "Houdt zich aan de afspraken met de reclassering")),
}

_SANCTIONS = (
    "Korting van 5% op de uitkering bij het niet nakomen van de afspraken",
    "Beëindiging van de uitkering bij weigeren van de participatieplaats",
    "Proces-verbaal leerplicht bij verder schoolverzuim",
    "Melding bij de verhuurder: de hennepkwekerij moet binnen een week weg",
    "Geen bijzondere bijstand zolang schuldhulpverlening wordt geweigerd",
)

#: Second-line services the coach refers to (seed 001, L513-515: "traject bij de GGz of verslavingszorg").
_SECOND_LINE = ("mediant", "tactus", "mee", "jarabee")


def _coach_inv(ctx: Context, case: Case, subject: tuple[str, ...] | None, domain: str, role: str,
               since: date) -> Inv:
    assert case.coach_id is not None
    inv = Inv(ctx.next_id("INV"), case.coach_id, COACH_ORG_ID, domain, role, since, case.caseload_until,
              COACH_FUNCTION, subject, case.household_id if subject is None else None)
    case.invs.append(inv)
    return inv


def coach_takeover(ctx: Context, case: Case, slots: list[Slot]) -> None:
    """Put ``case`` on its coach's caseload at ``case.intake`` and reshape its casework around the coach."""
    rng = ctx.rng
    intake = case.intake
    assert intake is not None and case.coach_id is not None
    case.add(ctx.rec("caseload", professional_id=case.coach_id, household_id=case.household_id, since=intake,
                     until=case.caseload_until))
    regie = _coach_inv(ctx, case, None, "ZORG_HULPVERLENING", "regie", intake)
    coach_invs: dict[tuple[tuple[str, ...] | None, str], Inv] = {(None, "ZORG_HULPVERLENING"): regie}
    second_line = [s for s in slots if not s.service.replaceable]
    keep = rng.sample(second_line, min(len(second_line), rng.choice((1, 2, 2))))
    # Identity, not equality: two slots may look alike field by field.
    kept = {id(s) for s in keep}
    for slot in slots:
        if slot.service.replaceable:
            day = min(END, intake + timedelta(days=rng.randint(0, 120)))
            slot.last.until = day - DAY
            key = (slot.subject, slot.service.life_domain)
            target = coach_invs.get(key)
            if target is None:
                target = coach_invs[key] = _coach_inv(ctx, case, slot.subject, slot.service.life_domain,
                                                      "casemanager", day)
            handover(ctx, case, slot.last, target, "overdracht aan wijkcoach", day)
        elif id(slot) in kept:
            slot.last.until = None if rng.random() < 0.6 else ctx.date_between(intake + timedelta(days=400), END)
        else:
            # The trajectory ends on its own terms within the first year.
            slot.last.until = intake + timedelta(days=rng.randint(30, 330))
    _refer_second_line(ctx, case, {s.service.key for s in keep})
    _late_referral(ctx, case)
    if case.caseload_until is not None and case.caseload_until < END and rng.random() < 0.5:
        # Scaling down at the end of coaching: back to the regular social worker.
        pro = ctx.pick_professional("ORG-SMD", "maatschappelijk werker", set())
        back = Inv(ctx.next_id("INV"), pro, "ORG-SMD", "ZORG_HULPVERLENING", "casemanager",
                   case.caseload_until + DAY, None, "maatschappelijk werker", None, case.household_id)
        case.invs.append(back)
        handover(ctx, case, regie, back, "afschaling na coaching")
    domains = list(dict.fromkeys(s.service.life_domain for s in slots))
    _advice(ctx, case, domains)
    plan_with_goals(ctx, case, domains, intake + timedelta(days=rng.randint(7, 35)), sanctions=True)
    _consents(ctx, case, slots)
    consultations(ctx, case, [(intake + timedelta(days=14), min(END, intake + timedelta(days=400)),
                               "casusoverleg wijkcoach")] * rng.randint(1, 2))


def _refer_second_line(ctx: Context, case: Case, kept: set[str]) -> None:
    """Now and then the coach calls in a specialist; not every referral is picked up."""
    rng = ctx.rng
    assert case.intake is not None and case.coach_id is not None
    if rng.random() > 0.35:
        return
    options = [k for k in _SECOND_LINE if k not in kept]
    svc = service(rng.choice(options))
    has_children = any(m.role in CHILD_ROLES for m in case.members)
    if svc.subject == "household" and not has_children:
        svc = service("mediant")
    adults = case.adults() or case.members
    subject = None if svc.subject == "household" else (rng.choice(adults).person_id,)
    day = case.intake + timedelta(days=rng.randint(30, 200))
    if rng.random() < 0.7:
        accepted = day + timedelta(days=rng.randint(3, 20))
        started = accepted + timedelta(days=rng.randint(7, 40))
        referral(ctx, case, case.coach_id, svc.organisation_id, svc.life_domain, day, subject, accepted, started,
                 "specialistische expertise nodig")
        pro = ctx.pick_professional(svc.organisation_id, svc.function, case.used_professionals)
        case.invs.append(Inv(ctx.next_id("INV"), pro, svc.organisation_id, svc.life_domain, svc.role, started,
                             None if rng.random() < 0.6 else ctx.date_between(started + timedelta(days=90), END),
                             svc.function, subject, case.household_id if subject is None else None))
    else:
        referral(ctx, case, case.coach_id, svc.organisation_id, svc.life_domain, day, subject, None, None,
                 "specialistische expertise nodig")


#: Late in the coaching (from its second year, in the last two years of the history) the coach calls in a
#: specialist once more in about half the households: new work starts while the household is on the caseload, so
#: the coach's signals of the demo's last two years (docs/signals.md, "The demo") have something to report.
LATE_FROM = date(2011, 1, 1)
_P_LATE = 0.5


def _late_referral(ctx: Context, case: Case) -> None:
    """Maybe one more second-line referral late in the coaching, started while the household is still coached.

    Drawn from a random stream of its own (seeded by the run's seed and the household), so the rest of the
    neighbourhood is the same with or without it."""
    assert case.intake is not None and case.coach_id is not None
    rng = random.Random(f"{ctx.seed}:late-referral:{case.household_id}")
    lo = max(case.intake + timedelta(days=400), LATE_FROM)
    hi = min(case.caseload_until or END, END) - timedelta(days=14)
    if hi <= lo or rng.random() >= _P_LATE:
        return
    svc = service(rng.choice(_SECOND_LINE))
    if svc.subject == "household" and not any(m.role in CHILD_ROLES for m in case.members):
        svc = service("mediant")
    adults = case.adults() or case.members
    subject = None if svc.subject == "household" else (rng.choice(adults).person_id,)
    started = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    day = started - timedelta(days=rng.randint(10, 40))
    referral(ctx, case, case.coach_id, svc.organisation_id, svc.life_domain, day, subject,
             day + timedelta(days=rng.randint(3, 9)), started, "specialistische expertise nodig")
    pool = ctx.pool.get((svc.organisation_id, svc.function)) or next(
        ids for (org, _), ids in ctx.pool.items() if org == svc.organisation_id)
    pro = rng.choice([p for p in pool if p not in case.used_professionals] or pool)
    case.invs.append(Inv(ctx.next_id("INV"), pro, svc.organisation_id, svc.life_domain, svc.role, started, None,
                         svc.function, subject, case.household_id if subject is None else None))


def _advice(ctx: Context, case: Case, domains: list[str]) -> None:
    """Expert advice under the mandates that fit the household's life domains."""
    rng = ctx.rng
    assert case.intake is not None and case.coach_id is not None
    fitting: list[Mandate] = [m for m in MANDATES if m.life_domain in domains and (
        m.life_domain != "WONEN" or m.organisation_id == case.corporation_org)]
    if not fitting:
        return
    n = min(len(fitting), rng.randint(1, 4) + (len(domains) > 4))
    for mandate in rng.sample(fitting, n):
        day = ctx.date_between(case.intake + timedelta(days=14), min(END, case.intake + timedelta(days=700)))
        weights = (60, 20, 20) if mandate.organisation_id in _HARDER else (80, 13, 7)
        case.add(ctx.rec("advice", id=ctx.next_id("ADV"), mandate_id=mandate.id, professional_id=case.coach_id,
                         household_id=case.household_id, date=day, outcome=rng.choices(_OUTCOMES, weights)[0]))


def plan_with_goals(ctx: Context, case: Case, domains: list[str], created: date, *, sanctions: bool) -> None:
    """A plan of approach with a goal per life domain and agreements ("voor wat hoort wat")."""
    rng = ctx.rng
    created = min(created, END)
    plan_id = ctx.next_id("PLAN")
    case.add(ctx.rec("plan", id=plan_id, household_id=case.household_id, created_at=created))
    chosen = domains[: rng.randint(2, 5)] or ["ZORG_HULPVERLENING"]
    for domain in chosen:
        goals, _ = TEXTS[domain]
        goal_id = ctx.next_id("GOAL")
        description = rng.choice(goals)
        status = rng.choices(("behaald", "lopend", "niet behaald"), (45, 35, 20))[0]
        since, reached = _goal_dates(goal_id, created, status)
        case.add(ctx.rec("goal", id=goal_id, plan_id=plan_id, life_domain=domain, description=description,
                         status=status, since=since, status_since=reached))
    for domain in chosen[: rng.randint(2, 4)]:
        _, texts = TEXTS[domain]
        day = min(END, created + timedelta(days=rng.randint(0, 60)))
        agreement_id, text = ctx.next_id("AGR"), rng.choice(texts)
        due = min(END, day + timedelta(days=rng.randint(30, 180)))
        status = rng.choices(("nagekomen", "open", "niet nagekomen"), (55, 30, 15))[0]
        case.add(ctx.rec("agreement", id=agreement_id, plan_id=plan_id, kind="afspraak", text=text, date=day,
                         due=due, status=status, status_since=_status_date(agreement_id, day, due, status)))
    # Sanctions are announced up front but rarely needed: ten in the coaches' first year (seed 001, L1789).
    if sanctions and rng.random() < 0.18:
        day = min(END, created + timedelta(days=rng.randint(14, 240)))
        agreement_id, text = ctx.next_id("AGR"), rng.choice(_SANCTIONS)
        due = min(END, day + timedelta(days=rng.randint(7, 60)))
        status = rng.choices(("aangekondigd", "uitgevoerd", "ingetrokken"), (40, 35, 25))[0]
        case.add(ctx.rec("agreement", id=agreement_id, plan_id=plan_id, kind="sanctie", text=text, date=day,
                         due=due, status=status, status_since=_status_date(agreement_id, day, due, status)))


#: The statuses a goal or an agreement starts with; any other is reached on a date (``status_since``).
_FIRST_STATUS = frozenset({"lopend", "open", "aangekondigd"})


def _goal_dates(goal_id: str, created: date, status: str) -> tuple[date, date | None]:
    """When a goal of a plan made on ``created`` was set (with the plan, or a few weeks later) and when its
    status was reached (months later; none while it is in progress). The dates come from the goal's own
    ``random.Random(goal_id)``: the generator's stream, and so every other demo fact, stays as it was."""
    own = random.Random(goal_id)
    since = min(END, created + timedelta(days=own.choice((0, 0, 0, own.randint(7, 60)))))
    return since, _status_date(goal_id, since, None, status)


def _status_date(fact_id: str, start: date, due: date | None, status: str) -> date | None:
    """The day a status other than the first was reached: for an agreement near its due date, for a goal 3 to 18
    months after it was set (never after the generator's end); see :func:`_goal_dates` for the randomness."""
    if status in _FIRST_STATUS:
        return None
    own = random.Random(f"{fact_id}/status")
    if due is not None:
        return min(END, max(start, due + timedelta(days=own.randint(-21, 14))))
    return min(END, start + timedelta(days=own.randint(90, 540)))


def _consents(ctx: Context, case: Case, slots: list[Slot]) -> None:
    """Adults consent to information exchange between the coach and the organisations involved."""
    rng = ctx.rng
    assert case.intake is not None
    orgs = list(dict.fromkeys(s.org_id for s in slots))[:6]
    for adult in case.adults():
        for org_id in orgs:
            signed = min(END, case.intake + timedelta(days=rng.randint(0, 21)))
            case.add(ctx.rec("consent", id=ctx.next_id("CONS"), person_id=adult.person_id, organisation_id=org_id,
                             scope="gegevensuitwisseling wijkcoach", signed_at=signed, until=None))
            # Medical partners ask for proof of consent again after an internal transfer (seed 001, L1430).
            if org_id in ("ORG-MEDIANT", "ORG-TACTUS") and rng.random() < 0.3:
                again = ctx.date_between(max(signed, COACHING_START) + timedelta(days=60), END)
                case.add(ctx.rec("consent", id=ctx.next_id("CONS"), person_id=adult.person_id,
                                 organisation_id=org_id, scope="inzage dossier", signed_at=again, until=None))
