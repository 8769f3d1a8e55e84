"""The project lead's and the policymaker's pages and ``wijknet report`` on historical data: the hand-built records
of ``test_aggregates`` end on 31-10-2008 (the last end of an involvement), years before today. Every picker opens
on the data's period, no page shows an error on first open, and a leap day is a day like any other."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from tests.english import english_words
from tests.integration.test_aggregates import records

VIEWS = Path(__file__).resolve().parents[2] / "app" / "views"


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _report(*args: str) -> dict[str, object]:
    from app.cli import app
    from tests.writers import cli_account

    out = CliRunner().invoke(app, ["report", *args, "--as", cli_account(Role.PROJECT_LEAD)])
    if out.exit_code == 2:  # an unexpected error: its detail is in the log the output names
        log = Path(out.output.split("details are in ")[1].split(".log")[0] + ".log")
        assert out.exit_code == 0, log.read_text()[-3000:]
    assert out.exit_code == 0, out.output
    parsed: dict[str, object] = json.loads(out.stdout)
    return parsed


@pytest.mark.parametrize("command", ["collaboration", "handovers"])
def test_a_report_counts_the_calendar_year_of_its_day_and_refuses_any_other_period(loaded: Database,
                                                                                  command: str) -> None:
    """The figures are counted per calendar year (two periods that overlap gave away each other's hidden cells):
    ``--as-of`` a leap day is that day's year; a period from 29 February to 28 February is refused in one sentence."""
    from app.cli import app
    from tests.writers import cli_account

    report = _report(command, "--as-of", "2012-02-29")
    assert (report["from"], report["to"]) == ("2012-01-01", "2012-12-31")
    out = CliRunner().invoke(app, ["report", command, "--from", "2008-02-29", "--as-of", "2009-02-28",
                                   "--as", cli_account(Role.PROJECT_LEAD)])
    assert out.exit_code == 1 and "per calendar year" in out.output and "29-02-2008" in out.output, out.output


def _page(name: str, role: Role, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page ``app/views/<name>.py`` for a fresh session of an account in ``role``, in Dutch."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    store = default_store()
    user = f"periods-{role.value}"
    acc = store.get(user) or store.add_user(user, role, password="a long enough password for tests")
    # the overview through the app's navigation (its first page): it links to other pages (st.page_link)
    at = AppTest.from_file(str(VIEWS.parent / "Home.py" if name == "overview" else VIEWS / f"{name}.py"),
                           default_timeout=180)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


def _shown(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("subheader", "caption", "markdown", "info", "warning", "error")
                    for e in getattr(at, kind))


@pytest.mark.parametrize("role", [Role.POLICYMAKER, Role.PROJECT_LEAD])
def test_the_home_page_opens_on_the_last_quarter_end_with_data(loaded: Database, role: Role,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("overview", role, monkeypatch).run()
    assert _problems(at) == []
    # the data end on 31-10-2008: the overlap table is published for the quarter end before, 30-09-2008
    assert "Op 30-09-2008, alle gebieden." in _shown(at)


def test_the_overlap_page_opens_on_the_data_s_last_quarter_and_years(loaded: Database,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("overlap", Role.POLICYMAKER, monkeypatch).run()
    assert _problems(at) == []
    assert at.selectbox(key="peildatum").value == date(2008, 9, 30)
    # the trend from the data's first year (2004) to its last (2008), not up to a year without data
    years = at.slider(key="jaren")
    assert (years.min, years.max, years.value) == (2004, 2008, (2004, 2008))


def test_the_coach_effect_says_how_many_households_it_leaves_out_and_why(loaded: Database,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The five coached households' intake is 01-09-2008; the records end on 31-10-2008: none has a year after."""
    monkeypatch.setenv("WIJKNET_K", "5")
    at = _page("overlap", Role.POLICYMAKER, monkeypatch).run()
    assert _problems(at) == []
    assert ("5 huishoudens met wijkcoach zijn niet meegeteld: het jaar na hun intake is op 31-10-2008, de laatste "
            "dag met gegevens, nog niet voorbij.") in _shown(at)
    # no coached household has had its year after: a sentence, not bars of "hidden" means over nobody (a review read
    # n = 0 in every row, drawn hatched as hidden); in the control area, which has no coach, said so
    assert "Nog geen huishouden met wijkcoach waarvan het jaar na de intake voorbij is" in _shown(at)
    assert not [c for c in at.get("plotly_chart") if "Gemiddelde" in str(c.proto)]
    at.selectbox(key="gebied").set_value("SVZ").run()
    assert _problems(at) == []
    assert "In Stadsveld-Zuid (controlewijk) heeft geen wijkcoach een huishouden overgenomen" in _shown(at), _shown(at)
    monkeypatch.setenv("WIJKNET_K", "6")  # fewer than k left out: not published
    at = _page("overlap", Role.POLICYMAKER, monkeypatch).run()
    assert "Minder dan 6 huishoudens met wijkcoach (x) zijn niet meegeteld" in _shown(at)
    report = _report("overlap", "--as-of", "2008-09-30")
    assert (report["coach_effect_until"], report["coach_effect_left_out"]) == ("2008-10-31", "x")


def test_the_hidden_classes_are_said_of_the_area_chosen(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most classes of the Total row hidden (k = 50 on a few households): said of all areas together, or of the one
    area chosen (a review read "van alle wijken samen" beside one area, whose row the Total row then is)."""
    monkeypatch.setenv("WIJKNET_K", "50")
    at = _page("overlap", Role.POLICYMAKER, monkeypatch).run()
    assert _problems(at) == []
    assert "klassen van alle wijken samen verborgen" in _shown(at)
    at.selectbox(key="gebied").set_value("NVL").run()
    assert "klassen van Nieuwe Velve (experimentwijk) verborgen" in _shown(at), _shown(at)
    assert "alle wijken samen" not in _shown(at)


def test_the_handover_page_opens_on_the_data_s_last_year_and_takes_a_leap_day(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("handovers", Role.PROJECT_LEAD, monkeypatch).run()
    assert _problems(at) == []
    year = at.selectbox(key="jaar")
    assert year.value == 2008 and year.options[:2] == ["2008", "2007"]  # the data end on 31-10-2008: the latest first
    year.set_value(2007).run()
    assert _problems(at) == [] and at.selectbox(key="jaar").value == 2007




_QUARTER_CODE = re.compile(r"\b\d{4}-Q[1-4]\b")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _chart_labels(at: AppTest) -> list[str]:
    """The legend names and category labels of the page's plotly charts (the figure as the page sends it)."""
    out: list[str] = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec).get("data", []):
            out += [str(trace.get("name", ""))] + [str(v) for v in trace.get("x") or [] if isinstance(v, str)]
    return out


def test_a_year_without_handovers_says_so_once_instead_of_empty_tables(loaded: Database,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's page opened on a year without handovers: a 0, an empty map frame, five "niets geteld" tables with
    downloads of empty files and a cluster of nothing (an outside review). One sentence says so instead."""
    at = _page("handovers", Role.PROJECT_LEAD, monkeypatch).run()
    at.selectbox(key="jaar").set_value(2005).run()  # no handover in 2005 (E -> F is 2006, A -> the coach 2008)
    assert _problems(at) == []
    assert [m.value for m in at.metric] == ["0"]
    # (what follows the sentence, a year that has some or "choose another", is the test below's)
    [said] = [str(i.value) for i in at.info]
    assert said.startswith("Geen overdrachten in 2005 met deze keuzes: er is niets te groeperen of te tonen. "), said
    assert len(at.dataframe) == 0 and len(at.get("download_button")) == 0


@pytest.mark.parametrize(("name", "role", "field"), [("overlap", Role.POLICYMAKER, None),
                                                     ("handovers", Role.PROJECT_LEAD, "jaar"),
                                                     ("collaboration", Role.PROJECT_LEAD, "jaar")])
def test_the_lead_and_policy_pages_read_as_dutch(loaded: Database, monkeypatch: pytest.MonkeyPatch, name: str,
                                                 role: Role, field: str | None) -> None:
    """No English label (the legend "mean"), no quarter as a code (2008-Q4), no row number shown as a column
    ("Groep" 0, 1, 2), and numbers with a decimal comma."""
    at = _page(name, role, monkeypatch).run()
    if field is not None:  # 2006: the derived handovers, with their chains
        at.selectbox(key=field).set_value(2006).run()
    assert _problems(at) == []
    assert re.findall(r"\b\d+\.\d{1,2}\b", _shown(at)) == []  # a decimal comma in the sentences too (modulariteit)
    texts = [_shown(at)] + [f"{m.label} {m.value}" for m in at.metric] + _chart_labels(at)
    for df in at.dataframe:
        v = df.value
        assert not (v.index.name == "Groep" and pd.api.types.is_integer_dtype(v.index.dtype)), list(v.columns)
        assert not any(pd.api.types.is_float_dtype(v[c].dtype) for c in v.columns), list(v.columns)
        cells = [str(x) for c in v.columns for x in v[c]]
        assert [x for x in cells if _DOT_DECIMAL.match(x)] == [], list(v.columns)
        texts += [str(n) for n in v.index.names] + [str(c) for c in v.columns] + [str(i) for i in v.index] + cells
    text = " ".join(texts)
    assert _QUARTER_CODE.findall(text) == []
    assert english_words(text) == []
    if name == "overlap":
        # the coach effect's chart says "Gemiddelde" where there is one; on these records no year after an intake has
        # passed, and the page says so in a sentence instead (English in a chart is caught above either way)
        assert "2008 K4" in text and ("Gemiddelde" in _chart_labels(at) or "Nog geen huishouden met wijkcoach" in text)


def test_the_collaboration_page_and_the_reports_open_on_the_data_s_period(loaded: Database,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("collaboration", Role.PROJECT_LEAD, monkeypatch).run()
    assert _problems(at) == []
    assert at.selectbox(key="jaar").value == 2008
    # the command line's defaults are the pages' (the data end on 31-10-2008: its calendar year)
    for command in ("collaboration", "handovers"):
        report = _report(command)
        assert (report["from"], report["to"]) == ("2008-01-01", "2008-12-31")
    assert _report("overlap")["as_of"] == "2008-09-30"


def test_the_handover_report_keeps_handovers_within_one_organisation_apart_from_the_pairs(loaded: Database) -> None:
    """As the page does: a pair is two organisations; "A → A" goes to its own table, the same cells."""
    report = _report("handovers", "--from", "2008-01-01", "--as-of", "2008-12-31", "--format", "json")
    pairs = report["pairs"]
    within = report["within_organisation"]
    assert isinstance(pairs, list) and isinstance(within, list)
    assert pairs and all(p["source"] != p["target"] for p in pairs)
    assert all(set(w) == {"organisation", "n"} for w in within)  # none in these records (the split: unit tests)
    # every handover cell of the view is in exactly one of the two
    from queries import aggregates
    from queries.audit import default_audit_log
    from tests.integration.test_access_matrix import ACTORS

    view = aggregates.handover_view(loaded, default_audit_log(), ACTORS["lead"], start=date(2008, 1, 1),
                                    end=date(2008, 12, 31))
    assert len(view.pairs) == len(pairs) + len(within)


def test_a_report_publishes_at_least_at_the_k_the_app_was_started_with(loaded: Database,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside test read the cells the pages hide at k = 10 with ``WIJKNET_K=5 wijknet report overlap --as
    beleid`` (probation pairs of 5, a coach effect of 7): the command took the k of the caller's shell. The app's k is
    now recorded in the graph when ``wijknet serve`` starts it (audited), and a report never publishes below it."""
    from app.cli import record_k
    from queries.aggregates import recorded_k
    from tests.writers import session_audit

    before = session_audit().count()
    try:
        record_k(loaded, 10)  # what `wijknet serve` does before it starts the app with WIJKNET_K=10
        record_k(loaded, 10)  # started again with the same k: nothing to record
        assert recorded_k(loaded) == 10
        changes = [(r.action, r.result, r.detail) for r in list(session_audit().records())[before:]]
        assert changes == [("disclosure_k", "ok", "k - -> 10"), ("disclosure_k", "ok", "k=10")], changes
        monkeypatch.setenv("WIJKNET_K", "5")  # the caller's shell
        report = _report("overlap", "--as-of", "2008-09-30")
        # at k = 5 the five coached households left out are a number (the test above); at the app's k they are x
        assert (report["k"], report["coach_effect_left_out"]) == (10, "x")
        monkeypatch.setenv("WIJKNET_K", "12")  # more protection is taken
        assert _report("overlap", "--as-of", "2008-09-30")["k"] == 12
    finally:
        loaded.execute("t_forget_k", "MATCH (v:SchemaVersion {id: 'wijknet'}) REMOVE v.disclosure_k", write=True,
                       data=False)


def test_a_year_without_handovers_points_to_the_nearest_year_with_them_and_one_click_shows_it(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo that had taken a file dated today opened the handover page on this year: 0 handovers, and "choose
    another year" among twenty, not saying which has any. The sentence names the nearest year with at least k
    handovers under the same choices (2006: the derived handovers of E -> F), and a button shows it."""
    from queries import snapshot

    snapshot.forget()
    assert snapshot.current(loaded, wait=True) is not None  # the years are counted from the snapshot, as on a live
    at = _page("handovers", Role.PROJECT_LEAD, monkeypatch).run()
    at.selectbox(key="jaar").set_value(2005).run()
    assert _problems(at) == [] and [m.value for m in at.metric] == ["0"]
    assert [str(i.value) for i in at.info] == [
        "Geen overdrachten in 2005 met deze keuzes: er is niets te groeperen of te tonen. Met dezelfde keuzes zijn er "
        "wel overdrachten in 2006."]
    [show] = [b for b in at.button if b.label == "2006 tonen"]
    show.click().run()
    assert _problems(at) == [] and at.selectbox(key="jaar").value == 2006
    assert int(at.metric[0].value) >= 10 and len(at.dataframe) > 0
    # a life domain in which no year has k handovers: the sentence as before, and no button
    at.selectbox(key="jaar").set_value(2005).run()
    at.selectbox(key="domein").set_value("RECREATIE_VRIJETIJD_RELATIES").run()
    assert [str(i.value) for i in at.info][-1].endswith("Kies hierboven een ander jaar, een andere wijk of alle "
                                                        "leefgebieden."), [str(i.value) for i in at.info]
    assert [b.label for b in at.button if b.label.endswith(" tonen")] == []
