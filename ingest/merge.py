"""Merging two Person nodes after a data steward accepted a possible-duplicate review item.

Neo4j Community has no APOC, and Cypher cannot take a relationship type as a parameter, so the merge is one
statement with a subquery per relationship type *and* direction, each type taken from the model's whitelist
(:data:`graph.model.REL_TYPES`), never from input. One statement is one transaction: the merge happens
completely or not at all.

* Every relationship of the merged-away person moves to the survivor with all its properties (``source``,
  ``since``, ``until``, ``role`` …). Where the survivor already has the same relationship to the same node (both
  were members of one household), the survivor's relationship stays and the duplicate is dropped: that pair is
  counted as *collapsed*. Relationships between the two persons themselves are dropped.
* The survivor keeps its own attributes and takes the other's where it has none; ``merged_ids`` lists the ids
  merged into it.
* The survivor is the person known by a BSN if exactly one is (the BSN id is the one every source agrees on);
  otherwise the first of the pair.
* The side store (:class:`ingest.resolve.StateStore`) records the merged-away id, so a re-import of either
  source row resolves to the survivor and the pair is never proposed again.

Merging is idempotent: when the merged-away person no longer exists there is nothing to do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from graph.db import Database
from graph.model import REL_TYPES, rel_type
from graph.said import Said, said
from ingest.cypher import statement
from ingest.entry import audited_write, writes
from ingest.resolve import ReviewItem, StateStore
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["MergeResult", "accept", "merge_persons", "merge_statement", "reject", "survivor_of"]


@dataclass(frozen=True)
class MergeResult:
    """What one merge did: relationships moved and collapsed per ``TYPE>`` (outgoing) / ``<TYPE`` (incoming)."""

    survivor: str
    merged: str
    moved: dict[str, int] = field(default_factory=dict)
    collapsed: dict[str, int] = field(default_factory=dict)
    dropped_between: int = 0
    done: bool = True  # False: the merged-away person was not (or no longer) in the graph

    def summary(self) -> str:
        """One sentence for the page and the CLI.

        >>> MergeResult("P-1", "P-2", {"<HAS_MEMBER": 1, "<CONCERNS": 2}).summary()
        'P-2 merged into P-1: 3 relationships moved (<CONCERNS 2, <HAS_MEMBER 1).'
        """
        if not self.done:
            return said("said.merge.not_in_graph", "{merged} is not in the graph (already merged?): decision "
                        "recorded, {survivor} kept.", merged=self.merged, survivor=self.survivor)
        moved = sum(self.moved.values())
        parts, collapsed = _counts(self.moved), _counts(self.collapsed)
        return said("said.merge.done", "{merged} merged into {survivor}: {moved}{parts}{collapsed}{dropped}.",
                    merged=self.merged, survivor=self.survivor,
                    moved=said("said.merge.moved_one", "1 relationship moved") if moved == 1 else
                    said("said.merge.moved", "{n} relationships moved", n=moved),
                    parts=said("said.merge.parts", " ({parts})", parts=parts) if parts else "",
                    collapsed=said("said.merge.collapsed", "; {parts} already held by the survivor (kept once)",
                                   parts=collapsed) if collapsed else "",
                    dropped=said("said.merge.dropped", "; {n} between the two dropped", n=self.dropped_between)
                    if self.dropped_between else "")


def _counts(per_type: dict[str, int]) -> tuple[Said, ...]:
    """``{"<HAS_MEMBER": 1}`` as sentences: the type as it is in the CLI, in words on a page
    (``said.rel.<TYPE>``: "lidmaatschap van een huishouden 1"), never the raw type."""
    return tuple(said("said.merge.part", "{rel} {n}", rel=Said(f"said.rel.{k.strip('<>')}", k, {}), n=v)
                 for k, v in sorted(per_type.items()))


@cache
def merge_statement() -> str:
    """The merge: one ``CALL`` subquery per whitelisted relationship type and direction."""
    calls = []
    for t in sorted(REL_TYPES):
        t = rel_type(t)  # the whitelist is the only source of a type name in this text
        for left, right in (("-", "->"), ("<-", "-")):
            calls.append(
                f"CALL (keep, dup) {{\n"
                f"  MATCH (dup){left}[r:{t}]{right}(x) WHERE x <> keep AND x <> dup\n"
                f"  MERGE (keep){left}[n:{t}]{right}(x)\n"
                f"  ON CREATE SET n = properties(r)\n"
                f"  DELETE r\n"
                f"}}")
    return (
        "MATCH (keep:Person {id: $keep}), (dup:Person {id: $dup})\n"
        + "\n".join(calls) + "\n"
        "SET keep.birth_year = coalesce(keep.birth_year, dup.birth_year),\n"
        "    keep.gender = coalesce(keep.gender, dup.gender),\n"
        "    keep.display_name = coalesce(keep.display_name, dup.display_name),\n"
        "    keep.has_bsn = coalesce(keep.has_bsn, false) OR coalesce(dup.has_bsn, false),\n"
        "    keep.merged_ids = [x IN coalesce(keep.merged_ids, []) WHERE x <> dup.id] + [dup.id]"
        " + coalesce(dup.merged_ids, [])\n"
        "WITH keep, dup\n"
        "DETACH DELETE dup\n"
        "RETURN keep.id AS id"
    )


def merge_persons(db: Database, survivor: str, merged: str) -> MergeResult:
    """Merge Person ``merged`` into Person ``survivor`` in the graph (idempotent)."""
    if survivor == merged:
        raise ValueError("a person cannot be merged into itself")
    rows = db.execute("ingest_merge_count", statement("merge_count"), {"keep": survivor, "dup": merged}, row_cap=1000).rows
    exists = db.execute("ingest_merge_exists", statement("merge_exists"), {"keep": survivor, "dup": merged}).rows
    if {r["id"] for r in exists} != {survivor, merged}:
        return MergeResult(survivor, merged, done=False)
    moved: Counter[str] = Counter()
    collapsed: Counter[str] = Counter()
    between = 0
    for r in rows:
        name = f"{r['t']}>" if r["out"] else f"<{r['t']}"
        if r["between"]:
            between += int(r["n"])
        elif r["held"]:
            collapsed[name] += int(r["n"])
        else:
            moved[name] += int(r["n"])
    db.execute("ingest_merge_persons", merge_statement(), {"keep": survivor, "dup": merged}, write=True,
               timeout=600)
    return MergeResult(survivor, merged, dict(moved), dict(collapsed), between)


def survivor_of(store: StateStore, item: ReviewItem) -> tuple[str, str]:
    """``(survivor, merged)`` for a review pair: the BSN person survives if exactly one has a BSN."""
    a_bsn, b_bsn = store.has_bsn(item.person_a), store.has_bsn(item.person_b)
    if b_bsn and not a_bsn:
        return item.person_b, item.person_a
    return item.person_a, item.person_b


@writes("merge_accept")
def accept(db: Database, audit: AuditLog, actor: Actor, store: StateStore, item_id: int) -> MergeResult:
    """Accept review item ``item_id`` as ``actor``: merge the pair in the graph, then record the decision and the
    alias (decided by ``actor.user``).

    Goes through the audited write entry (``merge_accept``: role checked, audit record written before the
    merge). The item is claimed first (:meth:`ingest.state.StateStore.claim`: a decision made during the merge is
    refused), then the graph is merged: if that fails, the item is open again and can be decided again. Raise
    ``KeyError`` when the item does not exist or was already decided (or is being merged).
    """
    with audited_write(audit, actor, "merge_accept", target=f"review-{item_id}") as outcome:
        item = store.review_item(item_id)
        # claimed before the graph is touched: a reject in between (a second click during the merge) is refused,
        # where it used to be recorded while the merge went on (an outside review)
        if item.status != "open" or not store.claim(item_id, actor.user):
            raise KeyError(item_id)
        try:
            aliases = store.person_aliases()
            survivor, merged = survivor_of(store, item)
            survivor, merged = aliases.get(survivor, survivor), aliases.get(merged, merged)
            if survivor == merged:  # already the same person through earlier merges
                store.decide(item_id, True, actor.user, claimed=True)
                outcome.done("accepted", "already the same person")
                return MergeResult(survivor, merged, done=False)
            result = merge_persons(db, survivor, merged)
        except BaseException:
            store.release(item_id)  # nothing merged: the pair can be decided again
            raise
        store.decide(item_id, True, actor.user, survivor=survivor, merged=merged, claimed=True)
        outcome.done("accepted", f"{merged} merged into {survivor}")
        return result


@writes("merge_reject")
def reject(audit: AuditLog, actor: Actor, store: StateStore, item_id: int) -> ReviewItem:
    """Reject review item ``item_id`` as ``actor`` (two different people); the pair is never proposed again.

    Goes through the audited write entry (``merge_reject``)."""
    with audited_write(audit, actor, "merge_reject", target=f"review-{item_id}") as outcome:
        item = store.decide(item_id, False, actor.user)
        outcome.done("rejected")
        return item
