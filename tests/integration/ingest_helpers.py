"""Shared helpers of the ingest integration tests: reference records and a content checksum of the graph."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from graph.db import Database
from ingest.loader import load_records

AREAS = [("area", {"code": c, "name": n, "kind": k, "source": "test"})
         for c, n, k in (("NVL", "Nieuwe Velve", "experiment"), ("LDH", "Lindenhof", "experiment"),
                         ("SVZ", "Stadsveld-Zuid", "control"))]
ORGS = [("organisation", {"id": i, "name": n, "sector": s, "source": "test"})
        for i, n, s in (("ORG-TACTUS", "Tactus Instelling voor Verslavingszorg", "verslavingszorg"),
                        ("ORG-SMD", "SMD Enschede-Haaksbergen", "maatschappelijk werk"))]
PROS = [("professional", {"id": i, "name": n, "function": f, "organisation_id": o, "since": date(2005, 1, 1),
                          "source": "test"})
        for i, n, f, o in (("PRO-1", "Bert Wolters", "casemanager verslavingszorg", "ORG-TACTUS"),
                           ("PRO-2", "Anja Kamphuis", "maatschappelijk werker", "ORG-SMD"))]


def load_reference(db: Database) -> None:
    load_records(db, AREAS + ORGS + PROS)


def _norm(v: Any) -> Any:
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v.isoformat() if hasattr(v, "isoformat") else v


def graph_state(db: Database) -> tuple[int, int, str]:
    """(nodes, relationships, checksum of all labels, types and properties) — ledger (Import) nodes and the
    schema/data-token bookkeeping node excluded."""
    nodes = db.execute("test_nodes", "MATCH (n) WHERE NOT n:Import AND NOT n:SchemaVersion "
                       "RETURN labels(n) AS l, properties(n) AS p", row_cap=10_000_000).rows
    rels = db.execute("test_rels", "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, "
                      "coalesce(a.id, a.code) AS a, coalesce(b.id, b.code) AS b", row_cap=10_000_000).rows
    items = sorted(json.dumps({k: _norm(v) for k, v in sorted(r.items())}, sort_keys=True, default=str)
                   for r in nodes + rels)
    digest = hashlib.sha256("\n".join(items).encode()).hexdigest()
    return len(nodes), len(rels), digest


def dump_text(db: Database) -> str:
    """Every property value in the graph as text (for the clear-BSN grep)."""
    rows = db.execute("test_dump", "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
                      "RETURN properties(n) AS n, collect(properties(r)) AS r", row_cap=10_000_000).rows
    keys = db.execute("test_keys", "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey").rows
    return json.dumps(rows, default=str, ensure_ascii=False) + json.dumps(keys)
