"""Review rules on hand-made audit records with exact expected flags (times are UTC; Amsterdam is UTC+1 in
January)."""

from __future__ import annotations

import pytest

from queries.audit import AuditRecord
from queries.audit_review import review, who_saw


def rec(at: str, user: str, action: str, target: str = "", result: str = "ok", detail: str = "",
        purpose: str = "case_consultation") -> AuditRecord:
    return AuditRecord(f"2009-01-{at}+00:00", user, "coach", "Wijkcoaches", action, target, purpose, result, detail)


def test_office_hours_in_local_time_and_weekends() -> None:
    records = [
        rec("14T04:59:00", "c1", "view_household", "HH-1"),   # Wed 05:59 local: too early
        rec("14T05:00:00", "c1", "view_household", "HH-1"),   # Wed 06:00 local: fine
        rec("14T17:59:00", "c1", "view_household", "HH-1"),   # Wed 18:59 local: fine
        rec("14T18:00:00", "c1", "view_household", "HH-1"),   # Wed 19:00 local: too late
        rec("17T10:00:00", "c1", "search"),                   # Saturday
        rec("17T10:00:00", "c1", "sign_in"),                  # not an access
    ]
    assert [(f.rule, f.at[8:16]) for f in review(records)] == [
        ("outside_office_hours", "14T04:59"), ("outside_office_hours", "14T18:00"),
        ("outside_office_hours", "17T10:00")]


def test_many_households_outside_the_caseload_flag_once_at_the_threshold() -> None:
    records = [rec("14T10:00:00", "c1", "view_household", hh, "denied") for hh in ("HH-2", "HH-3", "HH-2", "HH-4",
                                                                                    "HH-5")]
    records.append(rec("14T10:00:00", "c2", "view_household", "HH-9", "denied"))
    flags = review(records)
    assert [(f.rule, f.user, f.detail) for f in flags] == [
        ("outside_caseload", "c1", "3 households outside the caseload were asked for")]


def test_name_and_birth_date_search_and_failed_sign_ins() -> None:
    records = [rec("14T10:00:00", "c1", "search", detail="keys=name,birth_date"),
               rec("14T10:00:00", "c1", "search", detail="keys=household_id"),
               rec("14T10:00:00", "c1", "search", detail="keys=postcode,birth_year")]
    records += [rec("14T10:00:00", "mallory", "sign_in", result="denied")] * 6
    assert [(f.rule, f.user) for f in review(records)] == [("name_birth_search", "c1"),
                                                           ("failed_sign_ins", "mallory")]


def test_who_saw_withholds_staff_names_unless_asked() -> None:
    records = [rec("14T10:00:00", "c1", "view_household", "HH-1"), rec("14T11:00:00", "c2", "view_household", "HH-2")]
    assert who_saw(records, "HH-1") == [{"at (UTC)": "2009-01-14T10:00:00+00:00", "organisation": "Wijkcoaches",
                                         "role": "coach", "action": "view_household",
                                         "purpose": "case_consultation", "result": "ok"}]
    assert who_saw(records, "HH-1", with_names=True)[0]["user"] == "c1"


def test_the_worst_flags_come_first_and_late_work_is_one_flag_per_night() -> None:
    """The observed audit page: 251 "outside office hours" rows of a late evening buried the one real flag (a
    coach asking for three households outside the caseload). Ranked, that flag comes first and the night's
    accesses are one row with their number."""
    from queries.audit_review import rank

    night = [rec(f"14T{h:02d}:{m:02d}:00", "c1", "view_household", f"HH-{m}") for h in (20, 21, 22) for m in (5, 35)]
    refused = [rec("13T10:00:00", "c2", "view_household", hh, "denied") for hh in ("HH-7", "HH-8", "HH-9")]
    sign_ins = [rec("12T10:00:00", "mallory", "sign_in", result="denied")] * 5
    ranked = rank(review(night + refused + sign_ins))
    assert [(r.severity, r.rule, r.user, r.count) for r in ranked] == [
        (3, "outside_caseload", "c2", 1), (3, "failed_sign_ins", "mallory", 1), (1, "outside_office_hours", "c1", 6)]
    assert ranked[-1].detail == ("6 accesses outside office hours on Wed 14-01-2009 between 21:05 and 23:35 local "
                                 "time")
    assert (ranked[-1].first, ranked[-1].last) == ("2009-01-14T20:05:00+00:00", "2009-01-14T22:35:00+00:00")


def test_a_flags_explanation_is_english_in_the_cli_and_dutch_on_the_audit_page(monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    from app.i18n import say
    from queries.audit_review import rank
    from tests.english import english_words

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    records = ([rec(f"14T{h:02d}:05:00", "c1", "view_household", "HH-1") for h in (21, 22)]
               + [rec("14T23:00:00", "c3", "view_household", "HH-2")]
               + [rec("13T10:00:00", "c2", "view_household", hh, "denied") for hh in ("HH-7", "HH-8", "HH-9")]
               + [rec("12T10:00:00", "mallory", "sign_in", result="denied")] * 5
               + [rec("14T10:00:00", "c1", "search", detail="keys=name,birth_date")])
    details = {r.rule + ":" + r.user: r.detail for r in rank(review(records))}
    assert details["outside_office_hours:c1"] == "2 accesses outside office hours on Wed 14-01-2009 between 22:05 " \
                                                 "and 23:05 local time"  # the CLI's report
    dutch = {k: say(v) for k, v in details.items()}
    assert dutch["outside_office_hours:c1"] == ("2 keer toegang buiten kantooruren op wo 14-01-2009 tussen 22:05 en "
                                                "23:05 plaatselijke tijd")
    assert dutch["outside_office_hours:c3"] == "huishouden bekijken HH-2 op do om 00:00 plaatselijke tijd", dutch
    for text in dutch.values():
        assert english_words(text) == [] and "view_household" not in text, text
