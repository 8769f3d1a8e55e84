"""The Cypher of ingest, one named file per statement (values only as ``$parameters``).

* ``<kind>.cypher``, ``<kind>.create.cypher``, ``<kind>.file.cypher``: the load statements of a record kind
  (:mod:`ingest.loader`);
* ``ledger_*.cypher``: the import ledger (:mod:`ingest.ledger`); ``end_<kind>.cypher``: ``on_missing: end``;
* ``lookup_*.cypher``: which referenced nodes exist, the graph's tables rows are resolved against
  (:mod:`ingest.resolve`); ``merge_*.cypher``: a review merge (:mod:`ingest.merge`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["statement"]


@cache
def statement(name: str) -> str:
    """The text of ``ingest/cypher/<name>.cypher`` (read once per process)."""
    return resources.files(__name__).joinpath(f"{name}.cypher").read_text()
