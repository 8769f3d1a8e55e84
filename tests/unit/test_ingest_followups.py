"""Pure parts of the issue-3 follow-ups: on_missing in mappings, id translation, the side store's merges,
review decisions and row snapshots, the merge statement, the vanished-rows report and server-side upload limits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graph.model import REL_TYPES
from ingest.mapping import MappingError, mapping_from_dict
from ingest.merge import MergeResult, merge_statement, survivor_of
from ingest.readers import FileProblem, Limits, open_table, receive_upload
from ingest.resolve import StateStore, translate
from ingest.validate import Report


def _mapping(kind: str = "involvement", **extra: Any) -> dict[str, Any]:
    fields = {"involvement": {"id": "nr", "professional_id": "pro", "organisation_id": "org",
                              "life_domain": "domein", "role": "rol", "since": "start", "bsn": "bsn"},
              "mandate": {"id": "nr", "organisation_id": "org", "life_domain": "domein",
                          "decision_type": "besluit", "since": "start"}}[kind]
    return {"name": "m", "kind": kind, "source": "S", "fields": fields, **extra}


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("involvement", None, "report"),
    ("involvement", "report", "report"),
    ("involvement", "end", "end"),
    ("mandate", "report", "report"),
])
def test_on_missing_policy(kind: str, value: str | None, expected: str) -> None:
    extra = {} if value is None else {"on_missing": value}
    assert mapping_from_dict(_mapping(kind, **extra)).on_missing == expected


@pytest.mark.parametrize(("kind", "value", "match"), [
    ("involvement", "delete", "on_missing 'delete' is unknown; use report or end"),
    ("mandate", "end", "applies to involvement, household_composition and caseload sources only"),
])
def test_on_missing_policy_errors(kind: str, value: str, match: str) -> None:
    with pytest.raises(MappingError, match=match):
        mapping_from_dict(_mapping(kind, on_missing=value))


def test_translate_rewrites_household_and_person_ids() -> None:
    recs = [("household", {"id": "H-1", "address_key": "7533AB|1|"}),
            ("person", {"id": "P-2"}),
            ("membership", {"household_id": "H-1", "person_id": "P-2"}),
            ("involvement", {"id": "I", "person_ids": ["P-2", "P-1", "P-3"], "household_id": None}),
            ("referral", {"id": "R", "person_id": None, "household_id": "H-1"}),
            ("organisation", {"id": "H-1"})]
    translate(recs, {"H-1": "HH-NVL-000001"}, {"P-2": "P-1"})
    assert [r for _, r in recs] == [
        {"id": "HH-NVL-000001", "address_key": "7533AB|1|"},
        {"id": "P-1"},
        {"household_id": "HH-NVL-000001", "person_id": "P-1"},
        {"id": "I", "person_ids": ["P-1", "P-3"], "household_id": None},
        {"id": "R", "person_id": None, "household_id": "HH-NVL-000001"},
        {"id": "H-1"},  # not a household field
    ]


@pytest.fixture()
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "ingest.sqlite")


def test_rejected_pair_is_not_proposed_again(store: StateStore) -> None:
    assert store.add_match_keys([("mk", "P-a", False, "A"), ("mk", "P-b", False, "B")]) == 1
    item = store.review_items("open")[0]
    store.decide(item.id, False, "steward")
    assert store.add_match_keys([("mk", "P-a", False, "A"), ("mk", "P-b", False, "B")]) == 0
    assert [(i.status, i.decided_by) for i in store.review_items()] == [("rejected", "steward")]
    with pytest.raises(KeyError):
        store.decide(item.id, True, "steward")


def test_accepted_merge_is_an_alias_and_chains_stay_one_step(store: StateStore) -> None:
    store.add_match_keys([("mk1", "P-a", False, "A"), ("mk1", "P-b", True, "B"),
                          ("mk2", "P-b", True, "B"), ("mk2", "P-c", False, "C")])
    first, second = store.review_items("open")
    assert (first.person_a, first.person_b, second.person_a, second.person_b) == ("P-a", "P-b", "P-b", "P-c")
    assert survivor_of(store, first) == ("P-b", "P-a")  # the BSN person survives
    store.decide(first.id, True, "steward", survivor="P-b")
    store.decide(second.id, True, "steward", survivor="P-c", merged="P-b")
    assert store.person_aliases() == {"P-a": "P-c", "P-b": "P-c"}
    assert [(m[0], m[1], m[2]) for m in store.merges()] == [("P-a", "P-c", first.id), ("P-b", "P-c", second.id)]
    # the survivor took over the match keys: a re-import of the merged rows proposes nothing
    assert store.add_match_keys([("mk1", "P-c", True, "B"), ("mk2", "P-c", False, "C")]) == 0
    assert store.has_bsn("P-c") is True and store.has_bsn("P-a") is False


def test_row_snapshot_vanished_and_targets(store: StateStore) -> None:
    store.stage_row_keys("m", "run1", ["membership:H-1|P-1", "membership:H-1|P-2", "membership:H-2|P-3"])
    store.set_targets("m", "run1", [("membership:H-1|P-2", "membership:HH-1|P-2")])
    store.complete_run("m", "run1", "epoch", "v1.csv")
    assert store.previous_run("m", "epoch") == "run1" and store.previous_run("m", "other") is None
    store.stage_row_keys("m", "run2", ["membership:H-1|P-1"])
    assert list(store.vanished("m", "run1", "run2")) == [("membership:H-1|P-2", "membership:HH-1|P-2"),
                                                         ("membership:H-2|P-3", None)]
    store.drop_run("m", "run2")  # a dry run leaves no trace
    assert list(store.vanished("m", "run1", "run2")) == [("membership:H-1|P-1", None),
                                                         ("membership:H-1|P-2", "membership:HH-1|P-2"),
                                                         ("membership:H-2|P-3", None)]
    store.stage_row_keys("m", "run3", ["membership:H-1|P-2"])  # present again, not placed this time
    store.complete_run("m", "run3", "epoch", "v3.csv")
    store.stage_row_keys("m", "run4", [])
    assert list(store.vanished("m", "run3", "run4")) == [("membership:H-1|P-2", "membership:HH-1|P-2")]


def test_merge_statement_has_one_subquery_per_whitelisted_type_and_direction() -> None:
    text = merge_statement()
    types = re.findall(r"\[r:([A-Z_]+)\]", text)
    assert len(types) == 2 * len(REL_TYPES) and set(types) == REL_TYPES
    assert "$keep" in text and "$dup" in text and "apoc" not in text.lower()


def test_merge_result_summary() -> None:
    r = MergeResult("P-1", "P-2", {"<HAS_MEMBER": 1}, {"<CONCERNS": 1}, 1)
    assert r.summary() == ("P-2 merged into P-1: 1 relationship moved (<HAS_MEMBER 1); <CONCERNS 1 already held "
                           "by the survivor (kept once); 1 between the two dropped.")
    assert MergeResult("P-1", "P-2", done=False).summary().startswith("P-2 is not in the graph")


def test_vanished_rows_in_the_report() -> None:
    r = Report(file="v2.csv", mapping="vis2", status="loaded", rows_read=2, rows_loaded=2, rows_vanished=2,
               vanished_keys=["involvement:VIS2-1", "involvement:VIS2-3"], on_missing="end", rows_ended=1)
    assert "rows missing since the previous import: 2 — ended 1: involvement:VIS2-1, involvement:VIS2-3" \
        in r.to_text()
    s = r.summary()
    assert (s["rows_vanished"], s["vanished_keys"], s["rows_ended"]) == (2, r.vanished_keys, 1)
    r.on_missing = "report"
    assert "— kept (on_missing: report):" in r.to_text()


def test_upload_limits_enforced_server_side(tmp_path: Path) -> None:
    limits = Limits(max_bytes=100, max_rows=2)
    with pytest.raises(FileProblem, match=r"x.csv is 0.0 MB, more than the limit of 0 MB"):
        receive_upload("x.csv", b"a" * 101, tmp_path / "u", limits)
    assert not (tmp_path / "u").exists()  # nothing written before the size check
    with pytest.raises(FileProblem, match="Only .csv and .xlsx files can be loaded."):
        receive_upload("x.exe", b"a", tmp_path / "u", limits)
    with pytest.raises(FileProblem, match="is empty"):
        receive_upload("x.csv", b"", tmp_path / "u", limits)
    path = receive_upload("../../etc/x.csv", b"a;b\n1;2\n3;4\n5;6\n", tmp_path / "u", limits)
    assert path == tmp_path / "u" / "x.csv"
    table = open_table(path, limits=limits)
    with pytest.raises(FileProblem, match="x.csv has more than 2 rows, the limit; split it."):
        list(table.rows())
