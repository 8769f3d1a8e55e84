"""The synthetic neighbourhood: determinism, record shape, stream order and the calibration targets.

Pure tests (no database). The default neighbourhood is generated once per session and shared.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import random
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.model import (
    ADVICE_OUTCOMES,
    AGREEMENT_KINDS,
    AREA_KINDS,
    INVOLVEMENT_ROLES,
    LADDER_RUNGS,
    LIFE_DOMAINS,
    MEMBER_ROLES,
    RECORD_KINDS,
    SIGNAL_CHANNELS,
)
from ingest.synthetic import (
    DEMO_AS_OF,
    DEMO_HOUSEHOLD_ID,
    DEMO_INTAKE,
    DEMO_MEMBER_COUNTS,
    DEMO_ORGANISATIONS,
    DEMO_PROFESSIONALS,
    active_per_household,
    bsn_is_valid,
    coach_effect,
    fictional_bsn,
    generate,
    helper_distribution,
    helpers_per_resident,
    household_snapshot,
    ladder_change,
)
from ingest.synthetic.context import END
from ingest.synthetic.organisations import COVENANT_GROUPS, MANDATES, MANDATING_BODIES, ORGANISATIONS

Record = tuple[str, dict[str, Any]]
ROOT = Path(__file__).resolve().parents[2]
SURVEY = date(2009, 6, 30)
BASELINE = date(2008, 6, 30)
EXPERIMENT = {"NVL", "LDH"}


@cache
def default() -> tuple[Record, ...]:
    return tuple(generate())


def checksum(records: Iterable[Record]) -> str:
    digest = hashlib.sha256()
    for record in records:
        digest.update(repr(record).encode())
    return digest.hexdigest()


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [r for k, r in default() if k == kind]


def household_areas() -> dict[str, str]:
    return {r["id"]: r["area_code"] for r in of_kind("household")}


# -- API and determinism ---------------------------------------------------------------------------------

def test_generate_signature_is_pinned() -> None:
    params = inspect.signature(generate).parameters
    assert [(p.name, p.default) for p in params.values()] == [
        ("seed", 2008), ("households", 634), ("control_households", None)]


def test_same_seed_gives_identical_sequence_and_other_seed_does_not() -> None:
    a = checksum(generate(seed=11, households=60))
    assert a == checksum(generate(seed=11, households=60))
    assert a != checksum(generate(seed=12, households=60))


def test_output_does_not_depend_on_string_hash_salt() -> None:
    # Sets of strings iterate in a per-process order; the sequence must not depend on it.
    code = ("import hashlib; from ingest.synthetic import generate; d = hashlib.sha256()\n"
            "for r in generate(seed=5, households=40): d.update(repr(r).encode())\n"
            "print(d.hexdigest())")
    expected = checksum(generate(seed=5, households=40))
    for salt in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == expected


def test_invalid_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="households must be at least 1"):
        next(generate(households=0))
    with pytest.raises(ValueError, match="control_households must not be negative"):
        next(generate(households=5, control_households=-1))


def test_smallest_neighbourhood_is_just_the_demo_household() -> None:
    records = list(generate(households=1, control_households=0))
    assert [r["id"] for k, r in records if k == "household"] == [DEMO_HOUSEHOLD_ID]


# -- record shape ----------------------------------------------------------------------------------------

def test_every_record_has_exactly_the_fields_of_its_kind() -> None:
    for kind, record in default():
        spec = RECORD_KINDS[kind]
        assert set(record) == set(spec.fields), kind
        for name in spec.required:
            assert record[name] not in (None, "", []), (kind, name, record)
        assert record["source"] == "synthetic:2008"


def test_every_kind_is_generated() -> None:
    assert {k for k, _ in default()} == set(RECORD_KINDS)


def test_code_lists_are_respected() -> None:
    checks: list[tuple[str, str, Iterable[Any]]] = [
        ("involvement", "life_domain", LIFE_DOMAINS), ("referral", "life_domain", LIFE_DOMAINS),
        ("mandate", "life_domain", LIFE_DOMAINS), ("goal", "life_domain", LIFE_DOMAINS),
        ("involvement", "role", INVOLVEMENT_ROLES), ("membership", "role", MEMBER_ROLES),
        ("advice", "outcome", ADVICE_OUTCOMES), ("agreement", "kind", AGREEMENT_KINDS),
        ("signal", "channel", SIGNAL_CHANNELS), ("area", "kind", AREA_KINDS),
        ("ladder_score", "rung", LADDER_RUNGS), ("organisation", "covenant_group", COVENANT_GROUPS),
        ("person", "gender", ("M", "V")),
        ("household", "housing_corporation", ("De Woonplaats", "Domijn", "Ons Huis")),
    ]
    for kind, name, allowed in checks:
        values = {r[name] for r in of_kind(kind)}
        assert values and values <= set(allowed), (kind, name, values - set(allowed))


def test_dates_are_dates_inside_2004_2012() -> None:
    for kind, record in default():
        for name, value in record.items():
            if isinstance(value, date):
                assert date(2004, 1, 1) <= value <= date(2012, 12, 31), (kind, name, value)
            elif name in ("since", "until", "date", "signed_at", "created_at", "due", "accepted_at", "started_at"):
                assert value is None, (kind, name, value)


def test_intervals_and_referral_steps_are_ordered() -> None:
    for kind, r in default():
        if "since" in r and r.get("until") is not None:
            assert r["since"] <= r["until"], (kind, r)
    for r in of_kind("referral"):
        if r["accepted_at"] is not None:
            assert r["date"] <= r["accepted_at"]
        if r["started_at"] is not None:
            assert r["accepted_at"] is not None and r["accepted_at"] <= r["started_at"]


def test_ids_and_address_keys_are_unique_and_well_formed() -> None:
    for kind, spec in RECORD_KINDS.items():
        if "id" in spec.required:
            ids = [r["id"] for r in of_kind(kind)]
            assert len(ids) == len(set(ids)), kind
    persons = [r["id"] for r in of_kind("person")]
    assert all(re.fullmatch(r"P-[0-9a-f]{12}", p) for p in persons)
    assert all(re.fullmatch(r"INV-\d{8}", r["id"]) for r in of_kind("involvement"))
    households = of_kind("household")
    keys = [h["address_key"] for h in households]
    assert len(keys) == len(set(keys))
    for h in households:
        assert re.fullmatch(r"75\d\d[A-Z]{2}", h["postcode"])
        assert h["address_key"] == f"{h['postcode']}|{h['house_number']}|{h['suffix']}"
        assert h["suffix"] in ("", "A", "B")


# -- order contract --------------------------------------------------------------------------------------

#: (field, kind it points to) per kind; list-valued fields point to each element.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "professional": (("organisation_id", "organisation"),),
    "household": (("area_code", "area"),),
    "membership": (("household_id", "household"), ("person_id", "person")),
    "client_system": (("household_id", "household"), ("person_id", "person")),
    "neighbour": (("person_id", "person"), ("other_id", "person")),
    "informal_support": (("supporter_id", "person"), ("person_id", "person")),
    "caseload": (("professional_id", "professional"), ("household_id", "household")),
    "involvement": (("professional_id", "professional"), ("organisation_id", "organisation"),
                    ("person_ids", "person"), ("household_id", "household")),
    "handover": (("from_involvement_id", "involvement"), ("to_involvement_id", "involvement")),
    "referral": (("professional_id", "professional"), ("organisation_id", "organisation"),
                 ("person_id", "person"), ("household_id", "household")),
    "mandate": (("organisation_id", "organisation"), ("buddy_professional_id", "professional")),
    "mandate_holder": (("mandate_id", "mandate"), ("professional_id", "professional")),
    "advice": (("mandate_id", "mandate"), ("professional_id", "professional"), ("household_id", "household")),
    "plan": (("household_id", "household"),),
    "goal": (("plan_id", "plan"),),
    "agreement": (("plan_id", "plan"),),
    "ladder_score": (("person_id", "person"),),
    "signal": (("household_id", "household"),),
    "consent": (("person_id", "person"), ("organisation_id", "organisation")),
    "consultation": (("household_id", "household"), ("professional_ids", "professional")),
}
KEY_FIELD = {"area": "code"}


def assert_references_point_backwards(records: Iterable[Record]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for kind, r in records:
        for name, target in REFERENCES.get(kind, ()):
            value = r[name]
            for ref in value if isinstance(value, list) else [value]:
                if ref is not None:
                    assert ref in seen[target], f"{kind}.{name}={ref} before its {target}"
        key = r.get(KEY_FIELD.get(kind, "id"))
        if key is not None:
            seen[kind].add(key)


def test_every_reference_points_to_a_record_yielded_earlier() -> None:
    assert set(REFERENCES) | {"area", "organisation", "person"} == set(RECORD_KINDS)
    assert_references_point_backwards(default())


def test_larger_neighbourhood_scales_and_keeps_the_order() -> None:
    records = generate(seed=3, households=2000)
    counts: Counter[str] = Counter()

    def counted() -> Iterable[Record]:
        for record in records:
            counts[record[0]] += 1
            counts["professional_coach"] += record[0] == "professional" and bool(record[1].get("is_coach"))
            yield record

    assert_references_point_backwards(counted())
    assert counts["household"] == 2000 + 1600
    # one coach per 160 experiment homes (12 here, not the real area's four), each with 15-20 households
    assert counts["professional_coach"] == 12
    assert 12 * 15 <= counts["caseload"] <= 12 * 20


# -- reference data --------------------------------------------------------------------------------------

def test_covenant_partners_and_mandating_bodies() -> None:
    groups = Counter(o.covenant_group for o in ORGANISATIONS)
    assert groups["wijkzorgteam"] + groups["specifiek"] == 25
    assert groups["wijkzorgteam"] == 9
    assert len(MANDATING_BODIES) == 13
    mandating = {o.id for o in ORGANISATIONS if o.mandating}
    assert mandating == {org for body in MANDATING_BODIES for org in body}
    assert {m.organisation_id for m in MANDATES} == mandating
    assert not {"ORG-POLITIE", "ORG-MEDIANT", "ORG-OM"} & mandating


#: The fixed wijkzorgteam functions and the 13 roles a coach combines (domain.md §4), as professionals' functions.
FUNCTIONS = (
    "maatschappelijk werker", "casemanager jeugdzorg", "jongerenwerker", "wijkagent", "woningconsulent",
    "jeugdgezondheidszorg", "casemanager werk en bijstand", "consulent werk en bijstand", "leerplichtambtenaar",
    "schuldhulpverlener", "medewerker Zorgloket", "casemanager verslavingszorg", "woonbegeleider", "opbouwwerker",
    "gezinsvoogd", "gezinscoach", "indicatiesteller Bureau Jeugdzorg", "indicatiesteller CIZ",
    "reclasseringsmedewerker", "casemanager GGZ",
)


def test_professionals_cover_the_wijkzorgteam_functions_and_coach_roles() -> None:
    professionals = of_kind("professional")
    assert set(FUNCTIONS) <= {r["function"] for r in professionals}
    assert all(re.fullmatch(r"PRO-[A-Z0-9-]+-\d{5}", r["id"]) for r in professionals)
    assert {r["organisation_id"] for r in professionals} == {o.id for o in ORGANISATIONS}


def test_mandates_have_a_buddy_at_the_granting_organisation_and_every_coach_holds_them() -> None:
    employer = {r["id"]: r["organisation_id"] for r in of_kind("professional")}
    mandates = of_kind("mandate")
    assert len(mandates) == len(MANDATES)
    for m in mandates:
        assert employer[m["buddy_professional_id"]] == m["organisation_id"]
        assert m["since"] == date(2008, 9, 1)
    coaches = {r["id"] for r in of_kind("professional") if r["is_coach"]}
    held = {(r["professional_id"], r["mandate_id"]) for r in of_kind("mandate_holder")}
    assert held == {(c, m["id"]) for c in coaches for m in mandates}


def test_four_coaches_with_caseloads_of_15_to_20_in_the_experiment_area() -> None:
    coaches = [r for r in of_kind("professional") if r["is_coach"]]
    assert len(coaches) == 4
    assert {(c["function"], c["organisation_id"], c["since"]) for c in coaches} == {
        ("wijkcoach", "ORG-WIJKCOACH", date(2008, 9, 1))}
    assert all(re.fullmatch(r"053-4\d{6}", c["phone"]) for c in coaches)
    caseload = of_kind("caseload")
    sizes = Counter(r["professional_id"] for r in caseload)
    assert set(sizes) == {c["id"] for c in coaches}
    assert all(15 <= n <= 20 for n in sizes.values())
    areas = household_areas()
    for r in caseload:
        assert date(2008, 9, 1) <= r["since"] <= SURVEY
        assert areas[r["household_id"]] in EXPERIMENT


# -- calibration -----------------------------------------------------------------------------------------

def test_helpers_per_resident_match_the_2009_survey() -> None:
    shares = helper_distribution(helpers_per_resident(default(), SURVEY))
    for bucket, target in (("0", 63), ("1", 12), ("2", 11), ("3+", 14)):
        assert abs(shares[bucket] - target) <= 3, (bucket, shares)


def test_multi_problem_households_have_5_to_10_professionals_a_few_up_to_20() -> None:
    counts = active_per_household(default(), BASELINE)
    heavy = [n for n in counts.values() if n >= 5]
    assert 10 <= 100 * len(heavy) / len(counts) <= 15
    assert sum(n <= 10 for n in heavy) >= 0.8 * len(heavy)
    assert max(heavy) <= 20 and any(n > 10 for n in heavy)


def test_coach_replaces_casemanagers() -> None:
    effect = coach_effect(default())
    assert len(effect) == len(of_kind("caseload"))
    for household, (before, after) in effect.items():
        assert 5 <= before <= 20, household
        assert after < before, household
    coach_involvements = {r["id"] for r in of_kind("involvement") if r["organisation_id"] == "ORG-WIJKCOACH"}
    to_coach = [h for h in of_kind("handover") if h["to_involvement_id"] in coach_involvements]
    assert len(to_coach) >= 3 * len(effect)


def test_every_coach_has_new_work_starting_on_the_caseload_in_the_last_two_years() -> None:
    """The demo's signals are made as of END with a two-year retention (docs/signals.md, "The demo"): each coach
    needs work of others starting in those years on a household that is still on their caseload today."""
    members: dict[str, set[str]] = defaultdict(set)
    for m in of_kind("membership"):
        members[m["household_id"]].add(m["person_id"])
    new: Counter[str] = Counter()
    for c in of_kind("caseload"):
        if c["until"] is not None:
            continue
        new[c["professional_id"]] += sum(
            1 for i in of_kind("involvement") if i["professional_id"] != c["professional_id"]
            and END - timedelta(days=729) <= i["since"] <= END and max(c["since"], i["since"]) == i["since"]
            and (i["household_id"] == c["household_id"] or members[c["household_id"]] & set(i["person_ids"] or ())))
    coaches = {r["id"] for r in of_kind("professional") if r["is_coach"]}
    assert set(new) == coaches and min(new.values()) >= 2, new


def test_experiment_area_ends_with_fewer_parallel_professionals_than_control() -> None:
    areas = household_areas()

    def level(day: date) -> dict[str, tuple[float, float]]:
        counts = active_per_household(default(), day)
        out = {}
        for name, codes in (("experiment", EXPERIMENT), ("control", {"SVZ"})):
            values = [n for h, n in counts.items() if areas[h] in codes]
            out[name] = (statistics.mean(values), 100 * sum(n >= 5 for n in values) / len(values))
        return out

    before = level(BASELINE)
    assert abs(before["experiment"][1] - before["control"][1]) < 5
    for day in (date(2010, 12, 31), date(2011, 6, 30)):
        after = level(day)
        assert after["experiment"][0] < after["control"][0]
        assert after["experiment"][1] < after["control"][1] / 2
        # The control area keeps its level of multi-professional households.
        assert after["control"][1] >= 0.8 * before["control"][1]


def test_coached_adults_rise_one_ladder_rung_others_stay() -> None:
    coached_households = {r["household_id"] for r in of_kind("caseload")}
    coached = {r["person_id"] for r in of_kind("membership") if r["household_id"] in coached_households}
    change = ladder_change(default())
    rises = [d for p, d in change.items() if p in coached]
    others = [d for p, d in change.items() if p not in coached]
    assert len(rises) >= 60 and len(others) >= 500
    assert 0.7 <= statistics.mean(rises) <= 1.3
    assert abs(statistics.mean(others)) <= 0.3


# -- the demo household ----------------------------------------------------------------------------------

def test_demo_household_has_eleven_casemanagers_from_ten_organisations() -> None:
    snapshot = household_snapshot(default(), DEMO_HOUSEHOLD_ID, DEMO_AS_OF)
    assert len(snapshot.professionals) == DEMO_PROFESSIONALS == 11
    assert len(snapshot.organisations) == DEMO_ORGANISATIONS == 10
    assert snapshot.per_role == DEMO_MEMBER_COUNTS == {"vader": 3, "moeder": 3, "kind": 4, "stiefkind": 2}


def test_demo_household_shape() -> None:
    members = {r["role"]: r["person_id"] for r in of_kind("membership") if r["household_id"] == DEMO_HOUSEHOLD_ID}
    assert set(members) == {"vader", "moeder", "kind", "stiefkind"}
    years = {r["id"]: r["birth_year"] for r in of_kind("person")}
    assert DEMO_AS_OF.year - years[members["kind"]] in (14, 15)
    assert DEMO_AS_OF.year - years[members["stiefkind"]] in (16, 17)
    assert household_areas()[DEMO_HOUSEHOLD_ID] in EXPERIMENT
    couple = [r for r in of_kind("involvement") if r["person_ids"] == [members["vader"], members["moeder"]]]
    # The couple-level Huiselijk Geweld involvement, later handed over to the coach for the same couple.
    assert [r["organisation_id"] for r in couple] == ["ORG-PROJECT-HG", "ORG-WIJKCOACH"]
    caseload = [r for r in of_kind("caseload") if r["household_id"] == DEMO_HOUSEHOLD_ID]
    assert [r["since"] for r in caseload] == [DEMO_INTAKE]
    before, after = coach_effect(default())[DEMO_HOUSEHOLD_ID]
    assert before == 11 and after < 5


# -- handovers, referrals and the rest of the story ------------------------------------------------------

def test_handovers_join_two_involvements_of_the_same_subject_and_domain() -> None:
    involvements = {r["id"]: r for r in of_kind("involvement")}
    ping_pong = 0
    into: dict[str, dict[str, Any]] = {h["to_involvement_id"]: h for h in of_kind("handover")}
    for h in of_kind("handover"):
        a, b = involvements[h["from_involvement_id"]], involvements[h["to_involvement_id"]]
        assert (a["person_ids"], a["household_id"], a["life_domain"]) == (
            b["person_ids"], b["household_id"], b["life_domain"])
        assert a["since"] <= h["date"] and a["id"] != b["id"]
        earlier = into.get(a["id"])
        if earlier and involvements[earlier["from_involvement_id"]]["professional_id"] == b["professional_id"]:
            ping_pong += 1
    assert ping_pong >= 3


def test_referrals_sometimes_lead_nowhere() -> None:
    referrals = of_kind("referral")
    unanswered = [r for r in referrals if r["accepted_at"] is None]
    assert unanswered and len(unanswered) < len(referrals) / 2
    assert all(r["started_at"] is None for r in unanswered)


def test_advice_plans_agreements_and_consents_belong_to_coached_households() -> None:
    coached = {r["household_id"] for r in of_kind("caseload")}
    coaches = {r["professional_id"] for r in of_kind("caseload")}
    advice = of_kind("advice")
    assert {r["household_id"] for r in advice} <= coached
    assert {r["professional_id"] for r in advice} <= coaches
    assert set(Counter(r["outcome"] for r in advice)) == set(ADVICE_OUTCOMES)
    plans = {r["id"]: r["household_id"] for r in of_kind("plan")}
    assert coached <= set(plans.values())
    kinds = Counter(r["kind"] for r in of_kind("agreement"))
    assert kinds["afspraak"] > kinds["sanctie"] > 0
    assert {r["plan_id"] for r in of_kind("goal")} == set(plans)


def test_goals_and_agreements_have_plausible_dates() -> None:
    """A goal is set with its plan or a few weeks later and reaches a final status months after; an agreement's
    status is reached near its due date; "lopend", "open" and "aangekondigd" hold from the start (no date)."""
    created = {r["id"]: r["created_at"] for r in of_kind("plan")}
    goals = of_kind("goal")
    assert goals and all(created[g["plan_id"]] <= g["since"] <= created[g["plan_id"]] + timedelta(days=60)
                         for g in goals)
    assert all((g["status_since"] is None) == (g["status"] == "lopend") for g in goals)
    assert all(g["since"] + timedelta(days=90) <= g["status_since"] <= END or g["status_since"] == END
               for g in goals if g["status_since"] is not None)
    agreements = of_kind("agreement")
    assert all((a["status_since"] is None) == (a["status"] in ("open", "aangekondigd")) for a in agreements)
    assert all(a["date"] <= a["status_since"] <= END for a in agreements if a["status_since"] is not None)


def test_client_system_and_informal_ties_exist() -> None:
    relations = Counter(r["relation"] for r in of_kind("client_system"))
    assert relations["oma"] + relations["opa"] > 0
    assert relations["betrokken buurvrouw"] + relations["betrokken buurman"] > 0
    assert of_kind("neighbour") and of_kind("informal_support")
    residents = {r["person_id"] for r in of_kind("membership")}
    outside = {r["person_id"] for r in of_kind("client_system")} - residents
    assert outside, "grandparents elsewhere are persons without a household"


def test_consultations_bring_several_professionals_together() -> None:
    consultations = of_kind("consultation")
    assert consultations
    assert all(len(set(r["professional_ids"])) >= 2 for r in consultations)


# -- fictional BSNs ----------------------------------------------------------------------------------------

def test_fictional_bsn_passes_the_11_proef_and_is_not_issued() -> None:
    rng = random.Random(3)
    bsns = [fictional_bsn(rng) for _ in range(500)]
    assert all(len(b) == 9 and b.startswith("9") and bsn_is_valid(b) for b in bsns)
    assert len(set(bsns)) > 490
    assert fictional_bsn(random.Random(3)) == bsns[0]


@pytest.mark.parametrize(("bsn", "valid"), [
    ("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False), ("12345678", False),
    ("12345678a", False),
])
def test_bsn_is_valid(bsn: str, valid: bool) -> None:
    assert bsn_is_valid(bsn) is valid



def test_a_city_sized_run_has_more_areas_each_with_its_own_postcodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 8,000-household demo had three neighbourhoods (and four coaches): a larger run spreads its homes over
    more wijken, at most AREA_HOMES each, every wijk with its own PC4; the real neighbourhood keeps its three."""
    from ingest.synthetic import addresses

    assert [a.code for a, _n in addresses.area_plan(634, 507, addresses.CITY_AREA_HOMES)] == ["NVL", "LDH", "SVZ"]
    assert [a.code for a, _n in addresses.area_plan(80_000, 64_000)] == ["NVL", "LDH", "SVZ"]  # unless asked
    plan = addresses.area_plan(80_000, 64_000, addresses.CITY_AREA_HOMES)
    assert len(plan) == 32 + 26 and all(n <= addresses.CITY_AREA_HOMES for _a, n in plan)
    assert sum(n for a, n in plan if a.kind == "experiment") == 80_000
    assert len({a.code for a, _n in plan}) == len({a.pc4 for a, _n in plan}) == len(plan)
    monkeypatch.setattr(addresses, "AREA_HOMES", 300)  # a small run cut into wijken of 300 homes
    records = list(generate(seed=5, households=900))
    areas = {r["code"]: r["kind"] for k, r in records if k == "area"}
    assert list(areas.values()) == ["experiment"] * 3 + ["control"] * 3
    homes = [r for k, r in records if k == "household"]
    assert Counter(r["area_code"] for r in homes) == {a: 300 if kind == "experiment" else 240  # 720 control homes
                                                      for a, kind in areas.items()}
    pc4 = {a.code: a.pc4[0] for a, _n in addresses.area_plan(900, 720)}
    assert all(r["postcode"].startswith(pc4.get(r["area_code"], r["postcode"][:4])) for r in homes)


def test_exports_of_a_city_sized_run_name_every_area(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """The register export named areas from a fixed list of the three: a run with more wijken failed on the
    fourth (KeyError)."""
    from ingest import exports
    from ingest.synthetic import addresses

    monkeypatch.setattr(addresses, "AREA_HOMES", 10)
    out = exports.write_exports(tmp_path, households=40, errors=False)
    text = out["brp_huishoudens"].read_text(encoding="cp1252")
    assert ";Wesselerbrink;" in text and ";Nieuwe Velve;" in text
