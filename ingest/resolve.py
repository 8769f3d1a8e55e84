"""Stage *records* (with :mod:`ingest.prepare`): validated source rows → canonical records with resolved ids.

* A person with a BSN gets ``P-`` + HMAC(BSN): the same BSN from any source is one Person.
* A person without a BSN gets ``P-`` + HMAC(source + the source's own id): persons without a BSN are never
  merged automatically. When two such persons (or one with and one without a BSN) share name + birth date,
  the pair goes to the **review list**, which a data steward accepts (same person) or rejects.
* A household is one normalised address: postcode without space in upper case, house number, suffix in upper
  case (``7533 ab, 12, a`` → ``7533AB|12|A``). A household already in the graph at that address keeps its id
  (whoever created it: the synthetic demo's ``HH-…`` or an earlier load); a new one gets ``H-`` + HMAC(address
  key). :func:`household_ids` looks the addresses up, :func:`translate` rewrites a batch of records.
* An accepted review item merges two persons (:mod:`ingest.merge`); the merged-away id is kept here as an
  alias, so a re-import of either source row resolves to the survivor (:meth:`StateStore.person_aliases`).

The review list and the per-record change digests live in the side store (:mod:`ingest.state`, re-exported
here: :class:`StateStore`); record keys and digests are :mod:`ingest.rows`'s. The lookups of existing nodes and
of the graph's tables are named statements (``ingest/cypher/lookup_*.cypher``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from graph.said import said
from ingest.cypher import statement
from ingest.mapping import CellProblem, Mapping
from ingest.pseudonym import Pseudonymiser
from ingest.rows import RECORD_KEYS, record_digest, record_key
from ingest.state import ReviewItem, StateStore, known_digests

if TYPE_CHECKING:  # not imported at run time: ingest's worker processes start without the driver
    from graph.db import Database

__all__ = [
    "RECORD_KEYS",
    "REFERENCE_LOOKUPS",
    "ReviewItem",
    "StateStore",
    "address_key",
    "existing_ids",
    "household_ids",
    "household_ref",
    "id_references",
    "known_digests",
    "lookup_tables",
    "normalise_name",
    "organisation_names",
    "postcode_codes",
    "record_digest",
    "record_key",
    "records_for",
    "references_for",
    "resolve_lookups",
    "shown_address",
    "shown_postcode",
    "translate",
]

_POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")

#: label → the statement (``ingest/cypher/lookup_<label>.cypher``) giving which of $ids exist as such nodes.
#: Labels are fixed here, never taken from input; a household is named by its normalised address (its id may be
#: the demo's or an earlier load's) or by its id.
REFERENCE_LOOKUPS: dict[str, str] = {label: f"lookup_{label.lower()}" for label in (
    "Area", "Organisation", "Professional", "Household", "Involvement", "Person", "Mandate", "Plan")}


def postcode_problem(postcode: Any) -> str | None:
    """Why ``postcode`` cannot be a Dutch postcode (1234 AB), or None when it can.

    >>> postcode_problem("7545 za") is None, postcode_problem("75450ZB")
    (True, 'postcode is not of the form 1234 AB')
    """
    if _POSTCODE.match(str(postcode or "").strip()):
        return None
    return said("said.ingest.bad_postcode", "postcode is not of the form 1234 AB")


def address_key(postcode: Any, house_number: Any, suffix: Any = None) -> str:
    """Normalised address key; raise :class:`CellProblem` for a postcode that is not Dutch (1234 AB).

    >>> address_key("7533 ab", 12, "a")
    '7533AB|12|A'
    """
    m = _POSTCODE.match(str(postcode or "").strip())
    if not m:
        raise CellProblem(postcode_problem(postcode) or "")
    sfx = "" if suffix is None else str(suffix).strip().upper().lstrip("-")
    return f"{m.group(1)}{m.group(2).upper()}|{int(house_number)}|{sfx}"


def shown_postcode(text: str | None) -> str | None:
    """A Dutch postcode as people write it, ``1234 AB``, however the source spelled it (``1234ab``, ``1234AB``);
    anything else as it is.

    >>> shown_postcode("7412gh"), shown_postcode("7412 GH"), shown_postcode(None), shown_postcode("B-1000")
    ('7412 GH', '7412 GH', None, 'B-1000')
    """
    if text is None:
        return None
    m = _DUTCH_POSTCODE.match(text.strip())
    return f"{m.group(1)} {m.group(2).upper()}" if m else text


_DUTCH_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")


def shown_address(key: str) -> str:
    """An address key (:func:`address_key`) as people write the address: postcode, number and suffix.

    >>> shown_address("7533AB|12|A"), shown_address("7533AB|12|")
    ('7533 AB 12-A', '7533 AB 12')
    """
    postcode, _, rest = key.partition("|")
    number, _, suffix = rest.partition("|")
    return f"{shown_postcode(postcode)} {number}" + (f"-{suffix}" if suffix else "")


def _person_id(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser, bsn: str = "bsn",
               source_id: str = "person_source_id") -> tuple[str | None, bool]:
    if v.get(bsn) not in (None, ""):
        return pseudo.person_from_bsn(v[bsn]), True
    if v.get(source_id) not in (None, ""):
        return pseudo.person_from_source_id(mapping.source, str(v[source_id])), False
    return None, False


def household_ref(v: dict[str, Any], pseudo: Pseudonymiser) -> tuple[str, str] | None:
    """``(ingest id, address key)`` of the household a validated row names, or ``None`` without an address."""
    if v.get("postcode") in (None, "") or v.get("house_number") is None:
        return None
    key = address_key(v["postcode"], v["house_number"], v.get("suffix"))
    return pseudo.household(key), key


def _household_id(v: dict[str, Any], pseudo: Pseudonymiser) -> str | None:
    """The household a row of a coach-side kind names: its graph id, else the ingest id of its address (made the
    graph's id in pass 2, see :func:`translate`)."""
    if v.get("household_id") not in (None, ""):
        return str(v["household_id"])
    hh = household_ref(v, pseudo)
    return hh[0] if hh else None


def postcode_codes(text: Any) -> list[str]:
    """The postcodes one cell of a postcode → area table covers: a PC6 (``7533 AB`` → ``7533AB``), a PC4
    (``7533``) or a range of PC4s (``7531-7535``, at most 100); raise :class:`CellProblem` otherwise.

    >>> postcode_codes("7533 ab"), postcode_codes(7533), postcode_codes("7531 - 7533")
    (['7533AB'], ['7533'], ['7531', '7532', '7533'])
    """
    t = str(text).strip()
    if m := _POSTCODE.match(t):
        return [m.group(1) + m.group(2).upper()]
    if re.fullmatch(r"\d{4}", t):
        return [t]
    if m := re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", t):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo <= hi <= lo + 99:
            return [str(n) for n in range(lo, hi + 1)]
    raise CellProblem(said("said.ingest.bad_postcode_range",
                           "not a postcode (1234 AB), a PC4 (1234) or a range of at most 100 PC4s (1234-1240)"))


def normalise_name(name: Any) -> str:
    """An organisation's name as names are matched: case, punctuation and spacing do not count.

    >>> normalise_name("Tactus,  Instelling voor Verslavingszorg.") == normalise_name("tactus instelling VOOR verslavingszorg")
    True
    """
    return " ".join(re.findall(r"[^\W_]+", str(name).casefold()))


def _aliases(text: Any) -> list[str] | None:
    names = [a.strip() for a in str(text or "").split("|") if a.strip()]
    return names or None


def _person_stub(mapping: Mapping, v: dict[str, Any], pid: str, has_bsn: bool) -> tuple[str, dict[str, Any]]:
    bd = v.get("birth_date")
    return ("person", {"id": pid, "birth_year": bd.year if isinstance(bd, date) else None, "gender": v.get("gender"),
                       "display_name": v.get("name") if mapping.store_names else None, "has_bsn": has_bsn,
                       "source": mapping.source})


#: fields of an involvement or referral row that name its subject: they become ids, not record fields
_SUBJECT_FIELDS = frozenset(("bsn", "person_source_id", "postcode", "house_number", "suffix"))


def records_for(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> list[tuple[str, dict[str, Any]]]:
    """The canonical ``(kind, record)`` pairs one validated row becomes (the clear BSN is not among them); the
    row's own record comes last."""
    kind = mapping.kind.name
    build = _BUILDERS.get(kind)
    if build is not None:
        return build(mapping, v, pseudo)
    rec = {f: v.get(f) for f in mapping.kind.fields}
    rec["source"] = mapping.source
    return [(kind, rec)]


_Records = list[tuple[str, dict[str, Any]]]
_Builder = Callable[[Mapping, dict[str, Any], Pseudonymiser], _Records]


def _household_composition(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    src = mapping.source
    pid, has_bsn = _person_id(mapping, v, pseudo)
    hh = household_ref(v, pseudo)
    assert pid is not None and hh is not None
    return [
        ("household", {"id": hh[0], "address_key": hh[1], "postcode": hh[1].split("|")[0],
                       "house_number": v["house_number"], "suffix": hh[1].split("|")[2] or None,
                       "street": v.get("street"), "area_code": v.get("area_code"),
                       "housing_corporation": v.get("housing_corporation"), "source": src}),
        _person_stub(mapping, v, pid, has_bsn),
        ("membership", {"household_id": hh[0], "person_id": pid, "role": v["role"], "since": v["since"],
                        "until": v.get("until"), "source": src}),
    ]


def _involvement_or_referral(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    src = mapping.source
    kind = mapping.kind.name
    pid, has_bsn = _person_id(mapping, v, pseudo)
    hh = household_ref(v, pseudo)
    out: _Records = []
    if pid:
        out.append(("person", {"id": pid, "has_bsn": has_bsn, "source": src}))
    if mapping.create_professionals:
        out.append(("professional_stub", {"id": v["professional_id"], "organisation_id": v["organisation_id"],
                                          "function": v.get("function"), "since": v.get("since") or v.get("date"),
                                          "source": src}))
    rec = {f: v.get(f) for f in mapping.kind.fields if f not in _SUBJECT_FIELDS}
    rec["source"] = src
    rec["household_id"] = hh[0] if hh and not pid else None
    if kind == "involvement":
        rec["person_ids"] = [pid] if pid else None
    else:
        rec["person_id"] = pid
    out.append((kind, rec))
    return out


def _own(kind: str, mapping: Mapping, v: dict[str, Any], fields: tuple[str, ...], **ids: Any
         ) -> tuple[str, dict[str, Any]]:
    """A row's own record: ``fields`` as they are, the resolved ``ids`` and the source."""
    rec = {f: v.get(f) for f in fields}
    rec.update(ids)
    rec["source"] = mapping.source
    return kind, rec


def _tie(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    """A neighbour or informal-support row: the second person (created if new) and the tie."""
    pid, _ = _person_id(mapping, v, pseudo)
    oid, other_has_bsn = _person_id(mapping, v, pseudo, "other_bsn", "other_source_id")
    assert pid is not None and oid is not None
    other = ("person", {"id": oid, "has_bsn": other_has_bsn, "source": mapping.source})
    if mapping.kind.name == "neighbour":
        return [other, _own("neighbour", mapping, v, (), person_id=pid, other_id=oid)]
    return [other, _own("informal_support", mapping, v, ("kind", "since", "until"), supporter_id=oid, person_id=pid)]


def _client_system(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    pid, has_bsn = _person_id(mapping, v, pseudo)
    assert pid is not None
    return [_person_stub(mapping, v, pid, has_bsn),
            _own("client_system", mapping, v, ("relation", "since", "until"), household_id=_household_id(v, pseudo),
                 person_id=pid)]


def _household_kind(fields: tuple[str, ...]) -> _Builder:
    """The builder of a kind whose record is ``fields`` plus the household the row names."""
    def build(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
        extra: dict[str, Any] = {"household_id": _household_id(v, pseudo)}
        if mapping.kind.name == "consultation":
            extra["professional_ids"] = [p.strip() for p in str(v["professional_ids"]).split("|") if p.strip()]
        return [_own(mapping.kind.name, mapping, v, fields, **extra)]
    return build


def _person_kind(fields: tuple[str, ...]) -> _Builder:
    """The builder of a kind whose record is ``fields`` plus the (existing) person the row names."""
    def build(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
        return [_own(mapping.kind.name, mapping, v, fields, person_id=_person_id(mapping, v, pseudo)[0])]
    return build


def _postcode_area(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    return [("postcode", {"code": c, "area_code": v["area_code"], "source": mapping.source})
            for c in postcode_codes(v["postcode"])]


def _organisation(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> _Records:
    return [_own("organisation", mapping, v, ("id", "name", "sector", "covenant_group", "mandating"),
                 aliases=_aliases(v.get("aliases")))]


_BUILDERS: dict[str, _Builder] = {
    "household_composition": _household_composition,
    "involvement": _involvement_or_referral,
    "referral": _involvement_or_referral,
    "postcode_area": _postcode_area,
    "organisation": _organisation,
    "neighbour": _tie,
    "informal_support": _tie,
    "client_system": _client_system,
    "caseload": _household_kind(("professional_id", "since", "until")),
    "advice": _household_kind(("id", "mandate_id", "professional_id", "date", "outcome")),
    "plan": _household_kind(("id", "created_at")),
    "signal": _household_kind(("id", "date", "channel")),
    "consultation": _household_kind(("id", "date", "kind")),
    "ladder_score": _person_kind(("id", "date", "rung")),
    "consent": _person_kind(("id", "organisation_id", "scope", "signed_at", "until")),
}

#: kinds whose rows name an existing household (by id or address) / an existing person (by BSN or source id)
_HOUSEHOLD_REFS = ("caseload", "client_system", "advice", "plan", "signal", "consultation")
_PERSON_REFS = ("neighbour", "informal_support", "ladder_score", "consent")
#: (field, label) references each kind checks, besides households and persons
_REFS: dict[str, tuple[tuple[str, str], ...]] = {
    "household_composition": (("area_code", "Area"),),
    "postcode_area": (("area_code", "Area"),),
    "involvement": (("organisation_id", "Organisation"), ("professional_id", "Professional")),
    "referral": (("organisation_id", "Organisation"), ("professional_id", "Professional")),
    "professional": (("organisation_id", "Organisation"),),
    "mandate": (("organisation_id", "Organisation"), ("buddy_professional_id", "Professional")),
    "consent": (("organisation_id", "Organisation"),),
    "handover": (("from_involvement_id", "Involvement"), ("to_involvement_id", "Involvement")),
    "caseload": (("professional_id", "Professional"),),
    "advice": (("mandate_id", "Mandate"), ("professional_id", "Professional")),
    "mandate_holder": (("mandate_id", "Mandate"), ("professional_id", "Professional")),
    "goal": (("plan_id", "Plan"),),
    "agreement": (("plan_id", "Plan"),),
}


def id_references(mapping: Mapping, v: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(label, id, field)`` of the existing nodes a row's fields name by their id (:data:`_REFS`): also checked
    for a row with other problems, from the fields that converted."""
    return [(label, str(v[f]), f) for f, label in _REFS.get(mapping.kind.name, ()) if v.get(f) not in (None, "")]


def references_for(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> list[tuple[str, str, str]]:
    """``(label, id, field)`` of existing nodes the row's records need (checked before anything is written).

    A household is named by its address key (``…|…|…``) or its id; a person by its pseudonym."""
    kind = mapping.kind.name
    refs = id_references(mapping, v)
    if kind == "consultation":
        refs += [("Professional", p.strip(), "professional_ids") for p in str(v["professional_ids"]).split("|")
                 if p.strip()]
    if kind in ("involvement", "referral") and v.get("bsn") in (None, "") and \
            v.get("person_source_id") in (None, ""):
        hh = household_ref(v, pseudo)
        if hh:
            refs.append(("Household", hh[1], "postcode"))
    if kind in _HOUSEHOLD_REFS:
        if v.get("household_id") not in (None, ""):
            refs.append(("Household", str(v["household_id"]), "household_id"))
        elif (hh := household_ref(v, pseudo)) is not None:
            refs.append(("Household", hh[1], "postcode"))
    if kind in _PERSON_REFS:
        pid, has_bsn = _person_id(mapping, v, pseudo)
        if pid is not None:
            refs.append(("Person", pid, "bsn" if has_bsn else "person_source_id"))
    return refs


def organisation_names(db: Database) -> dict[str, str]:
    """Every organisation's name and aliases, normalised (:func:`normalise_name`) → its id (``""`` when two
    organisations share one)."""
    names: dict[str, str] = {}
    for r in db.execute("ingest_lookup_organisation_names", statement("lookup_organisation_names"),
                        row_cap=1_000_000).rows:
        for n in [r["name"], *(r["aliases"] or [])]:
            key = normalise_name(n or "")
            if key:
                names[key] = r["id"] if names.get(key, r["id"]) == r["id"] else ""
    return names


def with_graph_areas(db: Database | None, mapping: Mapping) -> Mapping:
    """``mapping`` with the graph's areas in the code list of its area field: an area the municipality loaded (by
    its code or its name, in any case) passes as itself, besides the spellings the mapping's own list translates
    (which win). A name two areas share is left out (never guessed). Without a database, or an area field with a
    code list, the mapping as it is."""
    spec = mapping.fields.get("area_code")
    if db is None or spec is None or not spec.codes:
        return mapping
    table: dict[str, str] = {}
    shared: set[str] = set()
    for r in db.execute("ingest_lookup_area_names", statement("lookup_area_names"), row_cap=1_000_000).rows:
        code = str(r["code"])
        table[code.casefold()] = code
        if r.get("name"):
            name = str(r["name"]).strip().casefold()
            if table.get(name, code) != code:
                shared.add(name)
            table.setdefault(name, code)
    for name in shared:
        table.pop(name, None)
    return replace(mapping, codes={**mapping.codes, spec.codes: {**table, **mapping.codes[spec.codes]}})


def lookup_tables(db: Database | None, mapping: Mapping) -> dict[str, dict[str, str]]:
    """The graph's tables a mapping's rows are resolved against in pass 1 (:func:`resolve_lookups`): organisation
    names and aliases (normalised → id, ``""`` when two organisations share one) when a field matches by name,
    the postcode → area table for a register extract."""
    out: dict[str, dict[str, str]] = {}
    if db is None:
        return out
    if any(f.match == "name" for f in mapping.fields.values()):
        out["organisation_names"] = organisation_names(db)
    if mapping.kind.name == "household_composition":
        out["postcodes"] = {r["code"]: r["area_code"] for r in db.execute(
            "ingest_lookup_postcodes", statement("lookup_postcodes"), row_cap=10_000_000).rows}
    return out


def resolve_lookups(mapping: Mapping, v: dict[str, Any], lookups: dict[str, dict[str, str]], *,
                    names_only: bool = False) -> list[tuple[str, Any, str]]:
    """Resolve a validated row's names against :func:`lookup_tables` in place; return ``(field, value as written,
    reason)`` of what could not be resolved (never guessed). ``names_only``: the organisations' names, not a
    register row's area by its postcode (for a row with other problems, whose postcode may be one of them)."""
    problems: list[tuple[str, Any, str]] = []
    for f in mapping.fields.values():
        if f.match != "name" or v.get(f.name) in (None, ""):
            continue
        written = v[f.name]
        found = lookups.get("organisation_names", {}).get(normalise_name(written))
        if found:
            v[f.name] = found
        else:
            problems.append((f.name, written, said("said.ingest.name_ambiguous", "matches more than one "
                                                   "organisation") if found == "" else
                             said("said.ingest.name_unknown", "matches no organisation's name or alias (load it, or "
                                  "add the name as an alias)")))
    if not names_only and mapping.kind.name == "household_composition" and v.get("area_code") in (None, ""):
        m = _POSTCODE.match(str(v.get("postcode") or "").strip())
        table = lookups.get("postcodes", {})
        area = table.get(m.group(1) + m.group(2).upper()) or table.get(m.group(1)) if m else None
        if m is None and v.get("postcode") not in (None, ""):  # not a postcode at all: that, not "no area"
            problems.append(("postcode", v.get("postcode"), postcode_problem(v.get("postcode")) or ""))
        elif area is None:
            problems.append(("postcode", v.get("postcode"), said(
                "said.ingest.no_area", "no area: the row has none and the postcode → area table does not cover this "
                "postcode (load a postcode_area file)")))
        else:
            v["area_code"] = area
    return problems


def existing_ids(db: Database, label: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist as ``label`` nodes (label from :data:`REFERENCE_LOOKUPS` only)."""
    cypher = statement(REFERENCE_LOOKUPS[label])
    wanted = sorted(set(ids))
    found: set[str] = set()
    for i in range(0, len(wanted), 10_000):
        res = db.execute(f"ingest_lookup_{label.lower()}", cypher, {"ids": wanted[i:i + 10_000]},
                         row_cap=10_000)
        found.update(r["id"] for r in res.rows)
    return found


def household_ids(db: Database, keys: Iterable[str]) -> dict[str, str]:
    """Address key → id of the household already in the graph at that address (absent keys are left out)."""
    wanted = sorted(set(keys))
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 10_000):
        res = db.execute("ingest_household_ids", statement("lookup_household_ids"), {"keys": wanted[i:i + 10_000]},
                         row_cap=10_000)
        found.update((r["key"], r["id"]) for r in res.rows)
    return found


#: Record fields that hold a household id / a person id / a list of person ids, per record kind.
_HOUSEHOLD_FIELDS = {"household": "id", "membership": "household_id", "involvement": "household_id",
                     "referral": "household_id", **{k: "household_id" for k in _HOUSEHOLD_REFS}}
_PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("id",), "membership": ("person_id",), "referral": ("person_id",), "client_system": ("person_id",),
    "neighbour": ("person_id", "other_id"), "informal_support": ("supporter_id", "person_id"),
    "ladder_score": ("person_id",), "consent": ("person_id",)}


def translate(records: list[tuple[str, dict[str, Any]]], households: dict[str, str],
              persons: dict[str, str]) -> None:
    """Rewrite ids in place: ingest household id → the graph's id, merged-away person id → the survivor.

    >>> recs = [("membership", {"household_id": "H-1", "person_id": "P-2"})]
    >>> translate(recs, {"H-1": "HH-NVL-000001"}, {"P-2": "P-1"}); recs[0][1]
    {'household_id': 'HH-NVL-000001', 'person_id': 'P-1'}
    """
    if not households and not persons:
        return
    for kind, rec in records:
        hf = _HOUSEHOLD_FIELDS.get(kind)
        if hf and rec.get(hf) in households:
            rec[hf] = households[rec[hf]]
        for pf in _PERSON_FIELDS.get(kind, ()):
            if rec.get(pf) in persons:
                rec[pf] = persons[rec[pf]]
        if kind == "involvement" and rec.get("person_ids"):
            rec["person_ids"] = list(dict.fromkeys(persons.get(p, p) for p in rec["person_ids"]))
