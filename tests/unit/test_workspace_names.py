"""The workspace's lines name a member by the person's one label (queries.analytics.household.person_labels), as
the map, the per-member line and the forms do: two children of one name are told apart by their birth year."""

from __future__ import annotations

from queries.workspace import Member, Workspace


def test_two_members_of_one_name_are_told_apart_in_the_workspaces_lines() -> None:
    ws = Workspace("HH-1", [Member("J1", "Jesse Pierik", "kind", 1996), Member("J2", "Jesse Pierik", "kind", 1999),
                            Member("F", "Fatma Pierik", "moeder", 1960)], [])
    assert [ws.name_of(p) for p in ("J1", "J2", "F")] == ["Jesse Pierik (1996)", "Jesse Pierik (1999)",
                                                           "Fatma Pierik"]
