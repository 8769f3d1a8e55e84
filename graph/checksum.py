"""An order-independent content checksum of the whole graph (nodes, relationships, labels, properties).

Two graphs with the same content have the same checksum whatever their internal element ids or load order.
Used by the backup/restore drill and the ingest crash test.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from graph.db import Database

__all__ = ["GraphDigest", "content_checksum"]

_MOD = 1 << 256


def _canon(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [_canon(v) for v in value]
    return value


def _h(obj: Any) -> int:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


@dataclass(frozen=True)
class GraphDigest:
    nodes: int
    relationships: int
    checksum: str


def content_checksum(db: Database) -> GraphDigest:
    """Digest of every node and relationship (``SchemaVersion`` and ``Import`` ledger nodes excluded)."""
    node_hash: dict[str, int] = {}
    total = 0
    skip = ["SchemaVersion", "Import"]
    with db.driver.session(database=db.database) as session:
        for rec in session.run("MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip) "
                               "RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props",
                               skip=skip):
            props = {k: _canon(v) for k, v in rec["props"].items()}
            h = _h([sorted(rec["labels"]), props])
            node_hash[rec["eid"]] = h
            total = (total + h) % _MOD
        rels = 0
        for rec in session.run("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t, "
                               "properties(r) AS props"):
            if rec["a"] not in node_hash or rec["b"] not in node_hash:
                continue
            props = {k: _canon(v) for k, v in rec["props"].items()}
            h = _h([rec["t"], props, format(node_hash[rec["a"]], "x"), format(node_hash[rec["b"]], "x")])
            total = (total + h) % _MOD
            rels += 1
    return GraphDigest(nodes=len(node_hash), relationships=rels, checksum=format(total, "064x"))
