"""What ``ingest/cypher/notice_households.cypher`` would return for a list of records, built without a database (the
loader's rules: a membership or client tie per (household, person), the last record of an id wins, an involvement's
function is its professional's unless given, a handover's life domain is the receiving involvement's) — so the
pairing of :mod:`ingest.pairing` can be checked by hand and against the demo's generator in unit tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ingest.pairing import PARENT_ROLES

__all__ = ["household_rows"]

Record = tuple[str, dict[str, Any]]


def household_rows(records: Iterable[Record], households: Iterable[str] | None = None, *,
                   handovers_from: date = date.min, as_of: date = date.max) -> list[dict[str, Any]]:
    """One row per household (all, or ``households``), every involvement included (no period filter: the pairing
    checks the periods itself), handovers dated ``handovers_from``..``as_of``."""
    by: dict[str, dict[Any, dict[str, Any]]] = {}
    for kind, r in records:
        by.setdefault(kind, {})[_key(kind, r)] = r
    pros = by.get("professional", {})
    orgs = by.get("organisation", {})
    invs = {i: _inv(r, pros) for i, r in by.get("involvement", {}).items()}
    members: dict[str, list[dict[str, Any]]] = {}
    for m in by.get("membership", {}).values():
        members.setdefault(m["household_id"], []).append(
            {"person": m["person_id"], "role": m.get("role"), "since": m.get("since"), "until": m.get("until")})
    wanted = list(households) if households is not None else sorted(
        {r["id"] for r in by.get("household", {}).values()})
    out = []
    for hid in wanted:
        people = {m["person"] for m in members.get(hid, [])}
        parents = {c["person_id"] for c in by.get("client_system", {}).values()
                   if c["household_id"] == hid and c.get("relation") in PARENT_ROLES}
        mine = [i for i in invs.values() if hid in i["households"] or people & set(i["persons"])
                or parents & set(i["persons"])]
        out.append({"household": hid, "members": members.get(hid, []), "involvements": mine,
                    "client": [{"person": c["person_id"], "relation": c["relation"], "since": c.get("since"),
                                "until": c.get("until")} for c in by.get("client_system", {}).values()
                               if c["household_id"] == hid and c.get("relation") in PARENT_ROLES],
                    "coaches": [{"professional": c["professional_id"], "since": c.get("since"),
                                 "until": c.get("until")} for c in by.get("caseload", {}).values()
                                if c["household_id"] == hid],
                    "handovers": _handovers(by.get("handover", {}).values(), invs, orgs, hid, people,
                                            handovers_from, as_of)})
    return out


def _key(kind: str, r: dict[str, Any]) -> Any:
    """What the loader merges a record of ``kind`` on (a later record with the same key overwrites it)."""
    if kind in ("membership", "client_system"):
        return r["household_id"], r["person_id"]
    if kind == "caseload":
        return r["professional_id"], r["household_id"], r["since"]
    return r.get("id")


def _inv(r: dict[str, Any], pros: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    return {"id": r["id"], "professional": r["professional_id"], "organisation": r["organisation_id"],
            "function": r.get("function") or pros.get(r["professional_id"], {}).get("function"),
            "role": r.get("role"), "since": r.get("since"), "until": r.get("until"), "source": r.get("source"),
            "life_domain": r.get("life_domain"), "persons": list(r.get("person_ids") or []),
            "households": [r["household_id"]] if r.get("household_id") else []}


def _handovers(handovers: Iterable[dict[str, Any]], invs: dict[Any, dict[str, Any]], orgs: dict[Any, dict[str, Any]],
               hid: str, people: set[str], start: date, end: date) -> list[dict[str, Any]]:
    out = []
    for ho in handovers:
        a, b = invs.get(ho["from_involvement_id"]), invs.get(ho["to_involvement_id"])
        if a is None or b is None or not start <= ho["date"] <= end:
            continue
        if hid in b["households"] or people & set(b["persons"]):
            out.append({"life_domain": b["life_domain"] or a["life_domain"], "from_organisation": a["organisation"],
                        "to_organisation": b["organisation"], "from_name": orgs[a["organisation"]]["name"],
                        "to_name": orgs[b["organisation"]]["name"], "date": ho["date"], "handover_id": ho["id"]})
    return out
