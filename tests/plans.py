"""Reading Neo4j query plans in tests: the operators of a plan, and whether one reads more than the node it seeks."""

from __future__ import annotations

import re
import time
from typing import Any

#: The one way a lookup may find a node by itself: by its unique id.
ID_SEEK = "NodeUniqueIndexSeek"


def operators(plan: Any) -> list[str]:
    """Every operator of ``plan`` (an EXPLAIN's ``summary.plan``), depth first, as ``"Kind details"`` with the
    details' whitespace folded."""
    out = [" ".join(f"{plan.get('operatorType')} {plan.get('args', {}).get('Details', '')}".split())]
    for child in plan.get("children", []):
        out += operators(child)
    return out


def unsampled(session: Any) -> set[str]:
    """The indexes written since they were last sampled."""
    data = session.run("CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data").single()["data"]
    return {f"{i.get('labels')}{i.get('properties')}" for i in data["indexes"] if i.get("updatesSinceEstimation")}


def sample_every_index(session: Any, wait_s: float = 30.0) -> None:
    """Sample every range index now, and wait until it was done: on an empty graph, the statistics then say
    "empty" until Neo4j samples them again in the background (about ten seconds after they were written).
    ``db.resampleIndex`` only schedules the sampling; on a busy machine it ran after the graph was filled, which
    then had no stale index left (a whole test file failed at setup once)."""
    for row in list(session.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name")):
        session.run("CALL db.resampleIndex($name)", name=row["name"]).consume()
    deadline = time.monotonic() + wait_s
    while unsampled(session) and time.monotonic() < deadline:
        time.sleep(0.05)


def populated(session: Any) -> set[str]:
    """The labels and relationship types the graph has at least one of (exact: Neo4j counts them)."""
    labels = session.run("CALL db.labels() YIELD label RETURN label").value()
    types = session.run("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType").value()
    return {x for x in labels if session.run(f"MATCH (n:`{x}`) RETURN count(n) > 0").single()[0]} | {
        t for t in types if session.run(f"MATCH ()-[r:`{t}`]->() RETURN count(r) > 0").single()[0]}


#: Index reads that read a range or all of an index rather than one value: planned from sampled statistics, which
#: may say "empty" for an index holding a city's involvements.
_INDEX_READS = ("IndexScan", "SeekByRange", "ContainsScan", "EndsWithScan")


def reads_all(op: str, present: set[str]) -> bool:
    """Whether the operator reads more than the node it seeks: a range or all of an index (a scan, or a range "seek"
    such as ``Involvement(since) <= $as_of``, which reads every involvement there is), or every node of a label or
    relationship of a type that the graph has (``present``, see :func:`populated`; a scan of an empty label is
    planned from exact counts and reads nothing)."""
    kind = op.split()[0].split("@")[0]
    if any(part in kind for part in _INDEX_READS):
        return True
    if kind == "AllNodesScan":
        return True
    if kind.endswith("LabelScan") or kind.endswith("TypeScan"):
        return any(re.search(rf":`?{re.escape(name)}\b", op.split(" ", 1)[-1]) for name in present)
    return False
