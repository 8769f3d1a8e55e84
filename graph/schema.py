"""Constraints, indexes and schema migrations, applied idempotently at start-up.

Uniqueness constraints come first: without them every ``MERGE`` scans a whole label. The version of the
applied schema is recorded in the database as ``(:SchemaVersion {id: 'wijknet'}).version``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.db import Database
from graph.model import label

__all__ = ["CONSTRAINTS", "INDEXES", "MIGRATIONS", "SCHEMA_VERSION", "apply_schema", "describe_schema"]

#: (label, key property) pairs with a uniqueness constraint.
CONSTRAINTS: tuple[tuple[str, str], ...] = (
    ("Area", "code"),
    ("Postcode", "code"),
    ("Household", "id"),
    ("Household", "address_key"),
    ("Person", "id"),
    ("Organisation", "id"),
    ("Professional", "id"),
    ("Involvement", "id"),
    ("Handover", "id"),
    ("Referral", "id"),
    ("Mandate", "id"),
    ("Advice", "id"),
    ("Plan", "id"),
    ("Goal", "id"),
    ("Agreement", "id"),
    ("LadderScore", "id"),
    ("Signal", "id"),
    ("Consent", "id"),
    ("Consultation", "id"),
    ("SchemaVersion", "id"),
    ("Import", "file_hash"),
    ("AuditCheckpoint", "id"),
    ("NoticeState", "key"),
)

#: (label, property) range indexes for lookups and time filters.
INDEXES: tuple[tuple[str, str], ...] = (
    ("Household", "postcode"),
    ("Household", "area_code"),
    ("Involvement", "since"),
    ("Involvement", "until"),
    ("Involvement", "life_domain"),
    ("Professional", "function"),
    ("Person", "source"),
    ("AuditCheckpoint", "at"),
    ("FactVersion", "version_of"),  # the earlier statuses of a goal or agreement (household_page)
)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_PROPERTY = re.compile(r"^[a-z][a-z_]*$")


def _prop(prop: str) -> str:
    """Property names in schema statements come from the constants above; refuse anything else."""
    if not _PROPERTY.match(prop):
        raise ValueError(f"{prop!r} is not a plain property name")
    return prop


def _constraint(lbl: str, prop: str) -> str:
    name = f"uniq_{lbl.lower()}_{prop}"
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label(lbl)}) REQUIRE n.{_prop(prop)} IS UNIQUE"


def _index(lbl: str, prop: str) -> str:
    return f"CREATE INDEX idx_{lbl.lower()}_{prop} IF NOT EXISTS FOR (n:{label(lbl)}) ON (n.{_prop(prop)})"


#: The ``:Notice`` nodes of before signals were derived when read (docs/signals.md): their indexes go, and so do
#: they (what they said is derived from the graph now; a reader's status, ``:NoticeState``, stays).
_NOTICE_INDEXES = ("uniq_notice_key", "idx_notice_recipient", "idx_notice_date", "idx_notice_household_id",
                   "idx_notice_a", "idx_notice_b")

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial model: uniqueness constraints and lookup indexes",
              tuple(_constraint(lb, p) for lb, p in CONSTRAINTS) + tuple(_index(lb, p) for lb, p in INDEXES)),
    Migration(2, "signals derived when read: the stored notices and their indexes gone",
              (*(f"DROP CONSTRAINT {n} IF EXISTS" for n in _NOTICE_INDEXES if n.startswith("uniq_")),
               *(f"DROP INDEX {n} IF EXISTS" for n in _NOTICE_INDEXES if n.startswith("idx_")),
               "MATCH (k:Notice) DETACH DELETE k")),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def apply_schema(db: Database) -> int:
    """Apply every migration newer than the recorded version; return the schema version now in force."""
    row = db.execute("schema_version", "MATCH (v:SchemaVersion {id: 'wijknet'}) RETURN v.version AS version").first()
    current = int(row["version"]) if row and row["version"] is not None else 0
    for migration in MIGRATIONS:
        # Statements are IF NOT EXISTS, so re-applying the latest migration is harmless too.
        if migration.version < current:
            continue
        for stmt in migration.statements:
            db.execute(f"migration_{migration.version}", stmt, write=True, data=False)
    if current != SCHEMA_VERSION:
        # Bookkeeping, not data: it does not renew the data token (a restart must not outdate the snapshots).
        db.execute("schema_set_version",
                   "MERGE (v:SchemaVersion {id: 'wijknet'}) SET v.version = $version",
                   {"version": SCHEMA_VERSION}, write=True, data=False)
    db.execute("schema_await", "CALL db.awaitIndexes(300)")
    return SCHEMA_VERSION


def describe_schema(db: Database) -> list[tuple[str, str]]:
    """Sorted (kind, name + definition) of all constraints and indexes: equal before and after re-applying."""
    out: list[tuple[str, str]] = []
    for r in db.execute("schema_constraints", "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                        "RETURN name, type, labelsOrTypes, properties").rows:
        out.append(("constraint", f"{r['name']} {r['type']} {r['labelsOrTypes']} {r['properties']}"))
    for r in db.execute("schema_indexes", "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
                        "WHERE owningConstraint IS NULL AND type <> 'LOOKUP' "
                        "RETURN name, type, labelsOrTypes, properties").rows:
        out.append(("index", f"{r['name']} {r['type']} {r['labelsOrTypes']} {r['properties']}"))
    return sorted(out)
