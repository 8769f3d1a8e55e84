"""The wijknet graph model: the whitelist of labels and relationship types, the code lists, and the
canonical *records* that every source (the synthetic generator, real exports) is turned into before loading.

Labels and relationship types can never be Cypher parameters; code that must choose one takes it from
:data:`LABELS` / :data:`REL_TYPES` via :func:`label` / :func:`rel_type`, never from input.
``docs/model.md`` explains every element; ``tests/unit/test_model_docs.py`` checks that it does.

Records are plain dicts. Each kind in :data:`RECORD_KINDS` lists its fields; ``required`` fields must be
non-empty (a null MERGE key fails a whole transaction, so such rows are rejected before Cypher sees them).
Dates are :class:`datetime.date`; an empty ``until`` means "still ongoing". Every record carries ``source``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

__all__ = [
    "AGREEMENT_KINDS",
    "AGREEMENT_STATUSES",
    "CODE_LISTS",
    "CONSENT_SCOPES",
    "Code",
    "CodeList",
    "DECISION_TYPES",
    "GENDERS",
    "GOAL_STATUSES",
    "AREA_KINDS",
    "INVOLVEMENT_ROLES",
    "LABELS",
    "LOAD_KINDS",
    "LOOKUP_KINDS",
    "LADDER_RUNGS",
    "LIFE_DOMAINS",
    "MEMBER_ROLES",
    "ADVICE_OUTCOMES",
    "RECORD_KINDS",
    "REL_TYPES",
    "RecordKind",
    "SIGNAL_CHANNELS",
    "label",
    "rel_type",
]

@dataclass(frozen=True)
class Code:
    """One allowed value of a coded field, with its meaning in Dutch and in English."""

    value: str | int
    nl: str
    en: str


@dataclass(frozen=True)
class CodeList:
    """The allowed values of a coded field: declared once here, checked by ingest (``ingest.mapping``) and
    written into ``docs/ingest.md`` by ``wijknet docs`` (the *Code lists* section)."""

    name: str
    #: where the values are stored: ``record kind.field``
    fields: tuple[str, ...]
    meaning: str
    codes: tuple[Code, ...]

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(c.value for c in self.codes)

    @cached_property
    def words(self) -> dict[str, Any]:
        """The Dutch words a source writes for a value, folded (:func:`folded`): its meaning whole and each part of
        it between commas and "en" ("werk en participatie": also "werk" and "participatie"), a part two values
        share left out. A municipality's export wrote "Schulden" and "Welzijn" where a mapping's own table knew
        only "Inkomen" and "Gezondheid" (a walk of 06-12-2026).

        >>> CODE_LISTS["life_domain"].words["financien"], CODE_LISTS["life_domain"].words["vrije tijd"]
        ('INKOMEN_FINANCIEN_SCHULDEN', 'RECREATIE_VRIJETIJD_RELATIES')
        """
        found: dict[str, set[Any]] = {}
        for c in self.codes:
            parts = {c.nl, *(p for piece in c.nl.split(",") for p in piece.split(" en "))}
            for part in parts:
                if (word := folded(part)) and "(" not in word and len(word.split()) <= 4:
                    found.setdefault(word, set()).add(c.value)
        return {w: next(iter(v)) for w, v in found.items() if len(v) == 1}


def folded(text: str) -> str:
    """``text`` as a code is looked up: without accents, case and extra spaces.

    >>> folded("  Financiën ")
    'financien'
    """
    plain = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).casefold().split())


_C = Code
#: Every coded field's allowed values, by code list name.
CODE_LISTS: dict[str, CodeList] = {c.name: c for c in (
    CodeList("life_domain", ("involvement.life_domain", "referral.life_domain", "mandate.life_domain",
                             "goal.life_domain"),
             "Life domain (leefgebied) of the Enschede self-sufficiency matrix an involvement, goal or mandate is "
             "about.", (
                 _C("WONEN", "wonen", "housing"),
                 _C("WERK_PARTICIPATIE", "werk en participatie", "work and participation"),
                 _C("INKOMEN_FINANCIEN_SCHULDEN", "inkomen, financiën, schulden", "income, finances, debts"),
                 _C("GEZONDHEID_WELZIJN", "gezondheid en welzijn", "health and well-being"),
                 _C("ONDERWIJS_OPVOEDING", "onderwijs en opvoeding", "education and upbringing"),
                 _C("RECREATIE_VRIJETIJD_RELATIES", "recreatie, vrije tijd, relaties",
                    "recreation, leisure, relationships"),
                 _C("ZORG_HULPVERLENING", "zorg en hulpverlening", "care and support services"),
                 _C("VEILIGHEID_JUSTITIE", "veiligheid en justitie", "safety and justice"))),
    CodeList("member_role", ("membership.role",), "A person's place in the household (register role).", (
        _C("hoofd", "hoofd van het huishouden (BRP)", "head of household (population register)"),
        _C("vader", "vader", "father"),
        _C("moeder", "moeder", "mother"),
        _C("partner", "partner van het hoofd", "partner of the head of household"),
        _C("kind", "kind", "child"),
        _C("stiefkind", "stiefkind", "stepchild"),
        _C("pleegkind", "pleegkind", "foster child"),
        _C("opa", "opa (inwonend)", "grandfather (living in)"),
        _C("oma", "oma (inwonend)", "grandmother (living in)"),
        _C("alleenstaande", "alleenstaande", "person living alone"),
        _C("overig", "overig inwonend", "other resident"))),
    CodeList("involvement_role", ("involvement.role",),
             "What an organisation's professional does for the person or household; decides the \"dubbele "
             "casemanager\" metric (only casemanager counts).", (
                 _C("casemanager", "houdt de casus voor de organisatie; telt mee voor \"dubbele casemanager\"",
                    "holds the case for the organisation; counts for \"double case manager\""),
                 _C("regie", "coördineert zonder zelf een casus te houden",
                    "coordinates without holding a case"),
                 _C("uitvoerend", "levert een dienst of voorziening", "delivers a service"))),
    CodeList("gender", ("person.gender",), "Gender as the population register records it.", (
        _C("M", "man", "male"), _C("V", "vrouw", "female"), _C("X", "onbekend / niet gespecificeerd",
                                                                   "unknown / unspecified"))),
    CodeList("area_kind", ("area.kind",), "The area's role in the evaluation.", (
        _C("experiment", "experimentwijk (met wijkcoach)", "experiment area (with neighbourhood coach)"),
        _C("control", "controlewijk (zonder wijkcoach)", "control area (without neighbourhood coach)"))),
    CodeList("decision_type", ("mandate.decision_type",),
             "The decision a partner organisation mandates to the coach (covenant annex).", (
                 _C("woningtoewijzing", "woningtoewijzing", "allocation of a dwelling"),
                 _C("verplaatsing", "verplaatsing naar een andere woning", "move to another dwelling"),
                 _C("indicatie jeugdzorg", "indicatie jeugdzorg", "youth care assessment"),
                 _C("indicatie AWBZ-zorg", "indicatie AWBZ-zorg", "long-term care assessment (AWBZ)"),
                 _C("inzet cliëntondersteuning", "inzet cliëntondersteuning", "deploying client support"),
                 _C("inzet vormen van hulpverlening", "inzet vormen van hulpverlening", "deploying forms of help"),
                 _C("aanmeld- en screeningsgesprek", "aanmeld- en screeningsgesprek",
                    "intake and screening interview"),
                 _C("beslissingen reclassering", "beslissingen reclassering", "probation decisions"),
                 _C("sanctie/beëindiging uitkering", "sanctie of beëindiging van de uitkering",
                    "sanction on or ending of benefits"),
                 _C("toekennen bijzondere bijstand", "toekennen bijzondere bijstand",
                    "granting special assistance benefit"),
                 _C("inzet schuldhulpverlening en budgetbeheer", "inzet schuldhulpverlening en budgetbeheer",
                    "deploying debt counselling and budget management"),
                 _C("melding leerplicht aankondigen en uitvoeren", "melding leerplicht aankondigen en uitvoeren",
                    "announcing and making a compulsory-education report"),
                 _C("indicatie en toekennen hulp bij het huishouden (HH2)",
                    "indicatie en toekennen hulp bij het huishouden (HH2)",
                    "assessing and granting domestic help (HH2)"),
                 _C("inzet gespecialiseerde gezinsverzorging", "inzet gespecialiseerde gezinsverzorging",
                    "deploying specialised family care"),
                 _C("inzet ambulante gezinsbegeleiding", "inzet ambulante gezinsbegeleiding",
                    "deploying outpatient family guidance"),
                 _C("afspraken om elkaar actief op de hoogte te houden",
                    "afspraken om elkaar actief op de hoogte te houden",
                    "agreements to keep each other actively informed"))),
    CodeList("advice_outcome", ("advice.outcome",), "What the partner organisation decided on the coach's advice.", (
        _C("adopted", "overgenomen", "adopted one-to-one"),
        _C("refused", "geweigerd", "refused"),
        _C("debated", "ter discussie, in overleg aangepast", "debated, changed in consultation"))),
    CodeList("goal_status", ("goal.status",), "Progress of a goal in the plan.", (
        _C("lopend", "loopt nog", "in progress"),
        _C("behaald", "behaald", "achieved"),
        _C("niet behaald", "niet behaald", "not achieved"))),
    CodeList("agreement_kind", ("agreement.kind",), "An agreement with the household or an announced sanction.", (
        _C("afspraak", "afspraak met het huishouden", "agreement with the household"),
        _C("sanctie", "aangekondigde sanctie", "announced sanction"))),
    CodeList("agreement_status", ("agreement.status",), "Where an agreement or sanction stands.", (
        _C("open", "afspraak loopt", "agreement open"),
        _C("nagekomen", "afspraak nagekomen", "agreement kept"),
        _C("niet nagekomen", "afspraak niet nagekomen", "agreement not kept"),
        _C("aangekondigd", "sanctie aangekondigd", "sanction announced"),
        _C("uitgevoerd", "sanctie uitgevoerd", "sanction carried out"),
        _C("ingetrokken", "sanctie ingetrokken", "sanction withdrawn"))),
    CodeList("ladder_rung", ("ladder_score.rung",), "Rung of the participation ladder (participatieladder).", (
        _C(1, "geïsoleerd", "isolated"),
        _C(2, "sociale contacten buitenshuis", "social contacts outside the home"),
        _C(3, "deelname aan georganiseerde activiteiten", "taking part in organised activities"),
        _C(4, "onbetaald werk", "unpaid work"),
        _C(5, "betaald werk met ondersteuning", "paid work with support"),
        _C(6, "betaald werk", "paid work"))),
    CodeList("signal_channel", ("signal.channel",), "Who brought the signal that started a case.", (
        _C("zelf", "het huishouden zelf", "the household itself"),
        _C("bewoner", "een andere bewoner", "another resident"),
        _C("buur", "een buur", "a neighbour"),
        _C("partner", "een partnerorganisatie", "a partner organisation"))),
    CodeList("consent_scope", ("consent.scope",), "What a person consented to.", (
        _C("gegevensuitwisseling wijkcoach", "gegevens uitwisselen met de wijkcoach",
           "exchanging data with the neighbourhood coach"),
        _C("inzage dossier", "inzage in het dossier", "access to the file"))),
)}

LIFE_DOMAINS: tuple[str, ...] = CODE_LISTS["life_domain"].values
MEMBER_ROLES: tuple[str, ...] = CODE_LISTS["member_role"].values
INVOLVEMENT_ROLES: tuple[str, ...] = CODE_LISTS["involvement_role"].values
GENDERS: tuple[str, ...] = CODE_LISTS["gender"].values
DECISION_TYPES: tuple[str, ...] = CODE_LISTS["decision_type"].values
ADVICE_OUTCOMES: tuple[str, ...] = CODE_LISTS["advice_outcome"].values
GOAL_STATUSES: tuple[str, ...] = CODE_LISTS["goal_status"].values
AGREEMENT_KINDS: tuple[str, ...] = CODE_LISTS["agreement_kind"].values
AGREEMENT_STATUSES: tuple[str, ...] = CODE_LISTS["agreement_status"].values
SIGNAL_CHANNELS: tuple[str, ...] = CODE_LISTS["signal_channel"].values
CONSENT_SCOPES: tuple[str, ...] = CODE_LISTS["consent_scope"].values
AREA_KINDS: tuple[str, ...] = CODE_LISTS["area_kind"].values
LADDER_RUNGS: dict[int, str] = {int(c.value): c.nl for c in CODE_LISTS["ladder_rung"].codes}

LABELS: frozenset[str] = frozenset({
    "Area", "Household", "Person", "Organisation", "Professional", "Involvement", "Handover", "Referral",
    "Mandate", "Advice", "Plan", "Goal", "Agreement", "LadderScore", "Signal", "Consent", "Consultation",
    "SchemaVersion", "Import", "AuditCheckpoint", "Postcode", "NoticeState", "NoticeDays", "FactVersion",
})

REL_TYPES: frozenset[str] = frozenset({
    "IN_AREA",           # (Household|Postcode)-[:IN_AREA]->(Area)
    "HAS_MEMBER",        # (Household)-[:HAS_MEMBER {role, since, until}]->(Person)
    "IN_CLIENT_SYSTEM",  # (Person)-[:IN_CLIENT_SYSTEM {relation, since, until}]->(Household)
    "NEIGHBOUR_OF",      # (Person)-[:NEIGHBOUR_OF]->(Person)
    "INFORMAL_SUPPORT",  # (Person)-[:INFORMAL_SUPPORT {kind, since, until}]->(Person)
    "WORKS_FOR",         # (Professional)-[:WORKS_FOR {since, until}]->(Organisation)
    "PERFORMS",          # (Professional)-[:PERFORMS]->(Involvement)
    "ON_BEHALF_OF",      # (Involvement)-[:ON_BEHALF_OF]->(Organisation)
    "CONCERNS",          # (Involvement|Referral)-[:CONCERNS]->(Person|Household)
    "FROM",              # (Handover)-[:FROM]->(Involvement)
    "TO",                # (Handover)-[:TO]->(Involvement), (Consent)-[:TO]->(Organisation)
    "REFERRED",          # (Professional)-[:REFERRED]->(Referral)
    "REFERRED_TO",       # (Referral)-[:REFERRED_TO]->(Organisation)
    "GRANTS",            # (Organisation)-[:GRANTS {since, until}]->(Mandate)
    "HOLDS",             # (Professional)-[:HOLDS {since, until}]->(Mandate)
    "BUDDY",             # (Mandate)-[:BUDDY]->(Professional)  partner contact to call
    "GAVE",              # (Professional)-[:GAVE]->(Advice)
    "UNDER",             # (Advice)-[:UNDER]->(Mandate)
    "ABOUT",             # (Advice|Signal|Consultation)-[:ABOUT]->(Household)
    "COACHES",           # (Professional)-[:COACHES {since, until}]->(Household)  caseload assignment
    "HAS_PLAN",          # (Household)-[:HAS_PLAN]->(Plan)
    "HAS_GOAL",          # (Plan)-[:HAS_GOAL]->(Goal)
    "HAS_AGREEMENT",     # (Plan)-[:HAS_AGREEMENT]->(Agreement)
    "HAS_SCORE",         # (Person)-[:HAS_SCORE]->(LadderScore)
    "GAVE_CONSENT",      # (Person)-[:GAVE_CONSENT]->(Consent)
    "ATTENDED",          # (Professional)-[:ATTENDED]->(Consultation)
})


def label(name: str) -> str:
    """Return ``name`` if it is a model label; raise ``ValueError`` otherwise (never format input into Cypher)."""
    if name not in LABELS:
        raise ValueError(f"{name!r} is not a wijknet label")
    return name


def rel_type(name: str) -> str:
    """Return ``name`` if it is a model relationship type; raise ``ValueError`` otherwise."""
    if name not in REL_TYPES:
        raise ValueError(f"{name!r} is not a wijknet relationship type")
    return name


@dataclass(frozen=True)
class RecordKind:
    """One kind of canonical record: what the loader accepts for it."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @cached_property  # read per record by the loader: worked out once
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional + ("source",)


_K = RecordKind
#: Canonical record kinds in load order (a kind only refers to kinds before it).
RECORD_KINDS: dict[str, RecordKind] = {k.name: k for k in (
    _K("area", ("code", "name", "kind"), ("municipality",)),
    _K("organisation", ("id", "name", "sector"), ("covenant_group", "mandating", "aliases")),
    _K("professional", ("id", "name", "function", "organisation_id", "since"), ("until", "phone", "is_coach")),
    _K("household", ("id", "address_key", "postcode", "house_number", "area_code"),
       ("suffix", "street", "housing_corporation")),
    _K("person", ("id",), ("birth_year", "gender", "display_name", "has_bsn")),
    _K("membership", ("household_id", "person_id", "role", "since"), ("until",)),
    _K("client_system", ("household_id", "person_id", "relation"), ("since", "until")),
    _K("neighbour", ("person_id", "other_id")),
    _K("informal_support", ("supporter_id", "person_id", "kind"), ("since", "until")),
    _K("caseload", ("professional_id", "household_id", "since"), ("until",)),
    # person_ids: list of Person ids the involvement concerns (two for a couple-level involvement);
    # household_id: set when the involvement concerns the household as a whole.
    _K("involvement", ("id", "professional_id", "organisation_id", "life_domain", "role", "since"),
       ("until", "function", "person_ids", "household_id")),
    _K("handover", ("id", "from_involvement_id", "to_involvement_id", "date"), ("reason",)),
    _K("referral", ("id", "professional_id", "organisation_id", "date", "life_domain"),
       ("accepted_at", "started_at", "reason", "person_id", "household_id")),
    _K("mandate", ("id", "organisation_id", "life_domain", "decision_type", "since"),
       ("until", "buddy_professional_id")),
    _K("mandate_holder", ("mandate_id", "professional_id", "since"), ("until",)),
    # outcome: empty while the partner organisation has not yet decided on the advice (it awaits a decision).
    _K("advice", ("id", "mandate_id", "professional_id", "household_id", "date"), ("outcome",)),
    _K("plan", ("id", "household_id", "created_at"), ()),
    # since: the day the goal was set; status_since: the day its status was reached (before it: in progress).
    _K("goal", ("id", "plan_id", "life_domain", "description"), ("status", "since", "status_since")),
    # status_since: the day the status was reached (before it an agreement is open, a sanction announced).
    _K("agreement", ("id", "plan_id", "kind", "text", "date"), ("due", "status", "status_since")),
    _K("ladder_score", ("id", "person_id", "date", "rung")),
    _K("signal", ("id", "household_id", "date", "channel")),
    _K("consent", ("id", "person_id", "organisation_id", "scope", "signed_at"), ("until",)),
    _K("consultation", ("id", "household_id", "date", "professional_ids"), ("kind",)),
)}

#: Record kinds only ingest writes, besides :data:`RECORD_KINDS`: the postcode → area table (``Postcode`` nodes,
#: read to place a register extract's households without an area column) and a professional first seen in an
#: involvement or referral export (created with its code, function and organisation when the mapping allows
#: it; an existing professional is left as it is).
LOOKUP_KINDS: dict[str, RecordKind] = {k.name: k for k in (
    _K("postcode", ("code", "area_code")),
    _K("professional_stub", ("id", "organisation_id"), ("function", "since")),
)}

_AFTER = {"area": "postcode", "professional": "professional_stub"}
#: Every kind the loader writes, in load order (a kind only refers to kinds before it).
LOAD_KINDS: dict[str, RecordKind] = {}
for _name, _kind in RECORD_KINDS.items():
    LOAD_KINDS[_name] = _kind
    if _name in _AFTER:
        LOAD_KINDS[_AFTER[_name]] = LOOKUP_KINDS[_AFTER[_name]]
