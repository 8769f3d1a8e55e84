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

from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "AGREEMENT_KINDS",
    "AREA_KINDS",
    "INVOLVEMENT_ROLES",
    "LABELS",
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

LIFE_DOMAINS: tuple[str, ...] = (
    "WONEN",
    "WERK_PARTICIPATIE",
    "INKOMEN_FINANCIEN_SCHULDEN",
    "GEZONDHEID_WELZIJN",
    "ONDERWIJS_OPVOEDING",
    "RECREATIE_VRIJETIJD_RELATIES",
    "ZORG_HULPVERLENING",
    "VEILIGHEID_JUSTITIE",
)

MEMBER_ROLES: tuple[str, ...] = ("vader", "moeder", "partner", "kind", "stiefkind", "pleegkind", "opa", "oma",
                                 "alleenstaande", "overig")
INVOLVEMENT_ROLES: tuple[str, ...] = ("casemanager", "regie", "uitvoerend")
ADVICE_OUTCOMES: tuple[str, ...] = ("adopted", "refused", "debated")
AGREEMENT_KINDS: tuple[str, ...] = ("afspraak", "sanctie")
SIGNAL_CHANNELS: tuple[str, ...] = ("zelf", "bewoner", "buur", "partner")
AREA_KINDS: tuple[str, ...] = ("experiment", "control")
LADDER_RUNGS: dict[int, str] = {
    1: "geïsoleerd",
    2: "sociale contacten buitenshuis",
    3: "deelname aan georganiseerde activiteiten",
    4: "onbetaald werk",
    5: "betaald werk met ondersteuning",
    6: "betaald werk",
}

LABELS: frozenset[str] = frozenset({
    "Area", "Household", "Person", "Organisation", "Professional", "Involvement", "Handover", "Referral",
    "Mandate", "Advice", "Plan", "Goal", "Agreement", "LadderScore", "Signal", "Consent", "Consultation",
    "SchemaVersion", "Import", "AuditCheckpoint",
})

REL_TYPES: frozenset[str] = frozenset({
    "IN_AREA",           # (Household)-[:IN_AREA]->(Area)
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
    _K("organisation", ("id", "name", "sector"), ("covenant_group", "mandating")),
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
    _K("advice", ("id", "mandate_id", "professional_id", "household_id", "date", "outcome")),
    _K("plan", ("id", "household_id", "created_at"), ()),
    _K("goal", ("id", "plan_id", "life_domain", "description"), ("status",)),
    _K("agreement", ("id", "plan_id", "kind", "text", "date"), ("due", "status")),
    _K("ladder_score", ("id", "person_id", "date", "rung")),
    _K("signal", ("id", "household_id", "date", "channel")),
    _K("consent", ("id", "person_id", "organisation_id", "scope", "signed_at"), ("until",)),
    _K("consultation", ("id", "household_id", "date", "professional_ids"), ("kind",)),
)}
