"""The overlap snapshot's fact queries return one list per column, aligned by position (queries/snapshot.py reads
entry n of every list as one fact). ``collect()`` leaves out a null, so a column that can be null shifts every entry
after it. Observed in the 25-user benchmark at 80,000 households: while coaches and the steward wrote, a value read
as null (Neo4j reads committed data, so a node changed during the read can lose a property), the ``gap`` list of the
handover facts came out 6 entries shorter than the ``date`` list, and 302 lead-page requests failed with
"operands could not be broadcast together". Every collected column must therefore be null-safe: ``coalesce(…)``,
a comparison (never null here) or a DISTINCT list the reader does not align."""

from __future__ import annotations

import re

import pytest

from queries.registry import all_queries

COLUMNAR = sorted(n for n in all_queries() if n.startswith("snapshot_") and n.endswith("_facts")) + [
    "snapshot_household_areas"]
_COLLECT = re.compile(r"collect\((?!DISTINCT)((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)")


@pytest.mark.parametrize("name", COLUMNAR)
def test_every_collected_column_keeps_its_place(name: str) -> None:
    text = "\n".join(ln for ln in all_queries()[name].cypher.splitlines() if not ln.lstrip().startswith("//"))
    unsafe = [m.group(1) for m in _COLLECT.finditer(text)
              if not m.group(1).startswith("coalesce(") and " IS NULL" not in m.group(1)
              and m.group(1) != "areas"]  # advice: a list per advice, never null
    assert unsafe == [], f"{name}: collect() of a value that can be null shifts the columns: {unsafe}"
