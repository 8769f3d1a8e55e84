"""A person clicked in the eco-map opens the workspace's correction form on their fact in force on the page's
date (app/workspace.py: picked_fact)."""

from __future__ import annotations

from datetime import date

from app.workspace import picked_fact
from queries.workspace import Fact, Member, Workspace

D = date


def _ws() -> Workspace:
    facts = [Fact("client_system", "P-WS-1", 1, {"name": "Oma Bep", "since": D(2020, 1, 1), "until": None}, None, None),
             Fact("client_system", "P-WS-2", 2, {"name": "Oom Jan", "since": D(2020, 1, 1),
                                                 "until": D(2021, 1, 1)}, None, None),
             Fact("informal_support", "P-WS-3>m2", 1, {"since": D(2022, 1, 1)}, None, None),
             Fact("informal_support", "P-WS-3>m1", 1, {"since": D(2019, 1, 1)}, None, None),
             Fact("goal", "G-1", 1, {"since": D(2019, 1, 1)}, None, None)]
    return Workspace("HH", [Member("m1", "A", "moeder"), Member("m2", "B", "kind")], facts)


def test_the_clicked_persons_fact_in_force_on_the_date() -> None:
    ws = _ws()
    assert picked_fact(ws, "P-WS-1", D(2024, 1, 1)) == "client_system:P-WS-1"
    assert picked_fact(ws, "P-WS-2", D(2020, 6, 1)) == "client_system:P-WS-2"
    assert picked_fact(ws, "P-WS-2", D(2024, 1, 1)) is None  # ended: not among the facts of that date
    assert picked_fact(ws, "P-WS-3", D(2024, 1, 1)) == "informal_support:P-WS-3>m2"  # the first in force
    assert picked_fact(ws, "P-WS-3", D(2020, 1, 1)) == "informal_support:P-WS-3>m1"
    assert picked_fact(ws, "G-1", D(2024, 1, 1)) is None  # not a person
