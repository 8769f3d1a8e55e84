"""Signals on the hand-checkable seed-002 household (tests/household_records.py), checked by hand.

On AFTER (2009-01-15) HH-T1 has active: I01 (P01, father F), I03 (P03, F and mother M), I04 (P04, M), I07 (P07,
son S), I10 and I11 (P10, P11, stepdaughter D) and the coach's household-level I20 (PR-COACH-1). A new
involvement I30 of P30 on S must tell exactly: P01, P03, P04 (the parents' professionals), P07 (S's own) about
I30; P30 about I01, I03, I04, I07 and the coach's I20; the coach once (``new_involvement``) — not P10/P11 (a
sibling's), not PR-COACH-2. HH-T1 then has 8 active casemanagers (threshold 5) and the BJZ → Jarabee → BJZ
ping-pong of 2007-2008 lies within two years: the coach and the lead get one signal each for both.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app.notices_ui import detail_text
from graph.db import Database
from graph.errors import AccessDenied
from graph.notice_rules import LEAD_RECIPIENT
from ingest.loader import load_records
from ingest.matching import match_involvements, run_matching
from queries.access import Actor, Role
from queries.audit import AuditLog
from queries.notices import (
    expire_notices,
    inbox,
    mark_notice,
    open_signal_counts,
    outbox,
    unread_notice_count,
    write_outbox,
)
from tests.household_records import AFTER, SRC, records
from tests.household_records import EXPECTED_SIGNALS as EXPECTED

EXPORT = "test:signals_export"  # the source of "tonight's export"
NEW = [
    ("organisation", {"id": "O-RIBW", "name": "RIBW Twente", "sector": "zorg", "source": SRC}),
    ("professional", {"id": "P30", "name": "Prof P30", "function": "begeleider RIBW", "organisation_id": "O-RIBW",
                      "since": date(2000, 1, 1), "phone": "053-0030", "source": SRC}),
    ("involvement", {"id": "I30", "professional_id": "P30", "organisation_id": "O-RIBW",
                     "life_domain": "GEZONDHEID_WELZIJN", "role": "casemanager", "since": date(2009, 1, 10),
                     "until": None, "person_ids": ["S"], "household_id": None, "source": EXPORT}),
]
ENDED = [("involvement", {"id": "I31", "professional_id": "P30", "organisation_id": "O-RIBW",
                          "life_domain": "WONEN", "role": "casemanager", "since": date(2009, 1, 2),
                          "until": date(2009, 1, 12), "person_ids": ["M"], "household_id": None, "source": EXPORT})]
STEWARD = Actor("steward", Role.DATA_STEWARD, "Gemeente")
COACH = Actor("coach1", Role.COACH, "Wijkcoaches", "PR-COACH-1")
PARTNER = Actor("p07", Role.PARTNER, "JIB", "P07")
LEAD = Actor("lead", Role.PROJECT_LEAD, "Gemeente")


def _notices(db: Database, today: date | None = None) -> list[tuple[str, str, str]]:
    """(kind, recipient, what about) of every signal: who is told of what — every professional's inbox (a coach's
    as a coach, anyone else's as a partner professional's) and the project lead's."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        audit = AuditLog(Path(tmp) / "a.sqlite")
        readers = [Actor(str(r["id"]), Role.COACH if r["coach"] else Role.PARTNER, "x", str(r["id"]))
                   for r in db.execute("t_pros", "MATCH (p:Professional) RETURN p.id AS id, "
                                       "EXISTS { (p)-[:COACHES]->() } AS coach ORDER BY id").rows]
        out = []
        for actor in [*readers, LEAD]:
            reader = actor.professional_id or LEAD_RECIPIENT
            out += [(e.kind, reader, e.other_involvement if e.kind in ("match", "new_involvement") else e.detail)
                    for e in inbox(db, audit, actor, today=today)]
    return sorted(out)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def matched(db: Database) -> Database:
    load_records(db, [*records(), *NEW, *ENDED])
    match_involvements(db, ["I30", "I31"], AFTER)
    return db


def test_a_new_involvement_on_a_child_tells_exactly_who_it_should_once(matched: Database, tmp_path: Path) -> None:
    assert _notices(matched) == EXPECTED
    # the same export again, and `wijknet signals run` over the export's source: nothing new, nothing for I31
    load_records(matched, [*NEW, *ENDED])
    match_involvements(matched, ["I30", "I31"], AFTER)
    audit = AuditLog(tmp_path / "a.sqlite")
    again = run_matching(matched, audit, STEWARD, as_of=AFTER, source=EXPORT)
    assert (again.involvements, again.matched, again.total) == (1, 0, 0)  # I31 ended before AFTER: not even looked at
    assert _notices(matched) == EXPECTED
    assert [(r.action, r.result) for r in audit.records()] == [("notice_match", "ok"), ("notice_match", "matched")]


def test_each_reader_sees_only_their_own(matched: Database, tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "a.sqlite")
    coach = inbox(matched, audit, COACH)
    assert {(e.kind, e.other_professional) for e in coach} >= {("new_involvement", "Prof P30")}
    assert {e.household_id for e in coach} == {"HH-T1"}
    new = next(e for e in coach if e.kind == "new_involvement")
    assert (new.other_organisation, new.other_function, new.other_life_domain, new.other_since, new.contact) == (
        "RIBW Twente", "begeleider RIBW", "GEZONDHEID_WELZIJN", date(2009, 1, 10), "053-0030")
    partner = inbox(matched, audit, PARTNER)
    assert [(e.own_involvement, e.other_professional, e.household_id) for e in partner] == [
        ("I07", "Prof P30", None)]
    # the card does not name the household, but shows who else works there: the look is audited under it (an
    # outside test found `who-saw` say "nobody" of a household whose probation worker a partner had been shown)
    assert any(r.action == "view_notices" and r.user == PARTNER.user for r in audit.records(target="HH-T1"))
    lead = inbox(matched, audit, LEAD)
    assert {e.kind for e in lead} == {"casemanagers", "ping_pong"}
    # a threshold's sentence in the reader's language, from the values kept with the signal
    said = {(e.kind, lang): detail_text(e, lang) for e in lead for lang in ("nl", "en")}
    assert said == {("casemanagers", "nl"): "8 casemanagers tegelijk actief (drempel 5)",
                    ("casemanagers", "en"): "8 casemanagers active at the same time (threshold 5)",
                    ("ping_pong", "nl"): "pingpong tussen Bureau Jeugdzorg Overijssel en Jarabee",
                    ("ping_pong", "en"): "ping-pong between Bureau Jeugdzorg Overijssel and Jarabee"}
    assert open_signal_counts(matched, audit, COACH)["HH-T1"][0] >= 3
    assert mark_notice(matched, audit, COACH, new.key, "done")
    assert new.key not in {e.key for e in inbox(matched, audit, COACH, include_done=False)}
    assert not mark_notice(matched, audit, PARTNER, new.key, "read")  # not theirs: nothing changes
    with pytest.raises(AccessDenied):
        inbox(matched, audit, STEWARD)
    assert [r.action for r in audit.records() if r.result == "ok"][:3] == ["view_notices"] * 3
    # each household a signal names was looked at, and who-saw finds it under the household
    for e in lead:
        if e.household_id is not None:
            assert any(r.action == "view_notices" and r.user == LEAD.user for r in audit.records(target=e.household_id))


def test_the_sidebars_unread_count_is_one_record_under_the_reader_not_a_look_at_each_household(
        matched: Database, tmp_path: Path) -> None:
    """The number beside *Signalen* on every page read the whole inbox, audited as ``view_notices`` under each
    household: a resident's who-saw answer listed 213 looks at their signals against 7 at their household (an
    outside test of 08-12-2026). The count is one ``count_notices`` record under the reader; the inbox page is
    still a look at each household."""
    audit = AuditLog(tmp_path / "a.sqlite")
    for actor in (COACH, LEAD, PARTNER):
        expected = sum(1 for e in inbox(matched, AuditLog(tmp_path / f"{actor.user}.sqlite"), actor,
                                        include_done=False) if e.status == "new")
        assert expected > 0, actor
        assert unread_notice_count(matched, audit, actor) == expected, actor
    recs = audit.records()
    assert [(r.user, r.action, r.target, r.purpose) for r in recs] == [
        ("coach1", "count_notices", "PR-COACH-1", "signals"), ("lead", "count_notices", "project_lead", "signals"),
        ("p07", "count_notices", "P07", "signals")]
    assert list(audit.records(target="HH-T1")) == []
    with pytest.raises(AccessDenied):
        unread_notice_count(matched, audit, STEWARD)


def test_outbox_per_organisation(matched: Database, tmp_path: Path) -> None:
    boxes = outbox(matched, AuditLog(tmp_path / "a.sqlite"), STEWARD, skip=("P07",))
    assert sorted(boxes) == ["O-MEDIANT", "O-PHG", "O-RIBW", "O-TACTUS"]  # JIB's P07 reads them in the app
    assert sorted(r.other_professional or "" for r in boxes["O-RIBW"]) == [
        "Coach Een", "Prof P01", "Prof P03", "Prof P04", "Prof P07"]
    assert [(r.own_involvement, r.other_involvement if hasattr(r, "other_involvement") else "", r.contact)
            for r in boxes["O-TACTUS"]] == [("I01", "", "053-0030")]
    files = write_outbox(boxes, tmp_path / "out", "csv")
    text = (tmp_path / "out" / "signalen-O-TACTUS.csv").read_text()
    assert len(files) == len(boxes) and "Prof P30" in text and "HH-T1" not in text


def test_a_file_load_makes_its_signals_once(db: Database, tmp_path: Path) -> None:
    """Through ``wijknet ingest`` (the load's one matching pass): a VIS2 export starts Tactus' involvement with
    the child of coached household HH-L, where SMD is active; the same file again, and a new file that repeats
    the row, make nothing twice."""
    import random

    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from ingest.synthetic import fictional_bsn

    pseudo = Pseudonymiser(b"s" * 64)
    bsn = fictional_bsn(random.Random(19))
    child = pseudo.person_from_bsn(bsn)
    load_records(db, [
        ("area", {"code": "A1", "name": "Velve-Lindenhof", "kind": "experiment", "source": SRC}),
        ("organisation", {"id": "O-COACH", "name": "Wijkcoaches", "sector": "gemeente", "source": SRC}),
        ("organisation", {"id": "ORG-TACTUS", "name": "Tactus Instelling voor Verslavingszorg", "sector": "x",
                          "source": SRC}),
        ("organisation", {"id": "ORG-SMD", "name": "SMD Enschede-Haaksbergen", "sector": "x", "source": SRC}),
        *[("professional", {"id": p, "name": f"Prof {p}", "function": f, "organisation_id": o,
                            "since": date(2000, 1, 1), "phone": "053-1", "source": SRC})
          for p, o, f in (("PRO-1", "ORG-TACTUS", "casemanager"), ("PRO-2", "ORG-SMD", "maatschappelijk werker"),
                          ("PR-CL", "O-COACH", "wijkcoach"))],
        ("household", {"id": "HH-L", "address_key": "7514AA-1", "postcode": "7514 AA", "house_number": 1,
                       "area_code": "A1", "source": SRC}),
        ("person", {"id": child, "birth_year": 2000, "has_bsn": True, "source": SRC}),
        ("membership", {"household_id": "HH-L", "person_id": child, "role": "kind", "since": date(2000, 1, 1),
                        "source": SRC}),
        ("caseload", {"professional_id": "PR-CL", "household_id": "HH-L", "since": date(2008, 1, 1), "source": SRC}),
        ("involvement", {"id": "E-L1", "professional_id": "PRO-2", "organisation_id": "ORG-SMD",
                         "life_domain": "ZORG_HULPVERLENING", "role": "casemanager", "since": date(2008, 12, 1),
                         "until": None, "person_ids": [child], "source": SRC}),
    ])
    mapping = load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "vis2_betrokkenheid.yaml")
    header = "registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum\n"
    row = f"L1;{bsn};;PRO-1;Tactus Instelling voor Verslavingszorg;casemanager;Wonen;casemanager;10-01-2009;\n"
    first, second = tmp_path / "vis2-1.csv", tmp_path / "vis2-2.csv"
    first.write_text(header + row)
    second.write_text(header + row + f"L2;{bsn};;PRO-1;Tactus Instelling voor Verslavingszorg;casemanager;Wonen;"
                      "casemanager;01-01-2009;05-01-2009\n")  # ended before the export date: no signal
    ctx = IngestContext(db=db, pseudo=pseudo, store=StateStore(tmp_path / "ingest.sqlite"), workers=1, as_of=AFTER)
    audit = AuditLog(tmp_path / "a.sqlite")
    want = [("match", "PRO-1", "E-L1"), ("match", "PRO-2", "VIS2-L1"), ("new_involvement", "PR-CL", "VIS2-L1")]

    def mine() -> list[tuple[str, str, str]]:
        return [n for n in _notices(db) if n[1] in ("PRO-1", "PRO-2", "PR-CL")]

    report = ingest_file(ctx, audit, STEWARD, mapping, first)
    assert report.status == "loaded" and not [n for n in report.notes if "signalen" in n] and mine() == want
    assert ingest_file(ctx, audit, STEWARD, mapping, first).status == "already_imported"
    assert ingest_file(ctx, audit, STEWARD, mapping, second).rows_loaded == 2
    assert mine() == want


def test_signals_past_the_retention_are_expired(matched: Database, tmp_path: Path) -> None:
    """Last in this module: from here on signals before the cut-off are left out."""
    audit = AuditLog(tmp_path / "a.sqlite")
    assert expire_notices(matched, audit, STEWARD, as_of=AFTER, apply=True)[1] == 0
    later = AFTER + timedelta(days=800)
    cutoff, n = expire_notices(matched, audit, STEWARD, as_of=later, apply=True)
    assert n > 0 and _notices(matched) == [] and cutoff == later - timedelta(days=729)
    assert matched.execute("t", "MATCH (s:NoticeState) RETURN count(s) AS n").first() == {"n": 0}  # marked ones too
