"""The aggregate pages' filters are in the address (``?van=…&gebied=…``): a link opens the page with them, and a
link's value a filter cannot take is said in one sentence, never a traceback (the browser side — sign-in, Back —
is tests/browser/test_filter_links.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.shown import as_read


def _filters() -> None:
    """The filters of a handover page, drawn by the same helpers, on a fixed area list."""
    import streamlit as st

    from app.aggregate_widgets import AggregatePage, filter_fields, linked_toggle, typed_date, typed_number

    page = AggregatePage(None, None, None, {None: "Alle wijken", "NVE": "Nieuwe Velve (experimentwijk)"})  # type: ignore[arg-type]
    with filter_fields():
        start = typed_date("Van", st.session_state.get("default_start", "2007-11-01"), "van", linked=True)
        area = page.area_select("gebied")
        domain = page.domain_select("domein")
        derived = linked_toggle("Afgeleide overdrachten meetellen", True, "afgeleid")
        gap = typed_number("Gat (dagen)", 30, "gat", low=0, high=365, linked=True)
    st.write(f"figures: {start} {area} {domain} {derived} {gap}")


def _run(monkeypatch: pytest.MonkeyPatch, **params: str) -> Any:
    from datetime import date

    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = AppTest.from_function(_filters, default_timeout=30)
    at.session_state["default_start"] = date(2007, 11, 1)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def test_a_link_opens_the_page_with_its_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run(monkeypatch, van="1-1-2009", gebied="Nieuwe Velve (experimentwijk)", domein="wonen",
              afgeleid="false", gat="45")
    assert at.text_input(key="van").value == "1-1-2009"
    assert at.selectbox(key="gebied").value == "NVE"
    assert at.selectbox(key="domein").value == "WONEN"
    assert (at.toggle(key="afgeleid").value, at.number_input(key="gat").value) == (False, 45)
    assert [m.value for m in at.markdown] == ["figures: 2009-01-01 NVE WONEN False 45"]
    assert not at.warning and not at.error


@pytest.mark.parametrize(("params", "said"), [
    ({"van": "31-02-2009"}, ["error", "Van: '31-02-2009' bestaat niet in de kalender."]),
    # outside review: "?van=&tot=" said "'' is geen datum" twice without naming either field
    ({"van": ""}, ["error", "Van: er staat geen datum: typ hem als dd-mm-jjjj (of jjjj-mm-dd), bijvoorbeeld 01-06-2007."]),
    ({"gat": "400"}, ["error", "Gat (dagen): 400 kan niet, kies een getal van 0 tot en met 365."]),
    ({"gebied": "Atlantis"},
     ["warning", "Wijk: 'Atlantis' uit de link is geen keuze van dit veld; de pagina toont Alle wijken."]),
    ({"domein": "geluk"},
     ["warning", "Leefgebied: 'geluk' uit de link is geen keuze van dit veld; de pagina toont Alle leefgebieden."]),
    ({"gat": "veel"}, ["warning", "Gat (dagen): 'veel' uit de link is geen keuze van dit veld; de pagina toont 30."]),
    ({"afgeleid": "misschien"},
     ["warning", "Afgeleide overdrachten meetellen: 'misschien' uit de link is geen keuze van dit veld; de pagina "
                 "toont ja."]),
])
def test_a_link_value_the_filter_cannot_take_is_said_as_a_typed_one(monkeypatch: pytest.MonkeyPatch,
                                                                     params: dict[str, str], said: list[str]) -> None:
    at = _run(monkeypatch, **params)
    kind, sentence = said
    shown = [as_read(str(e.value)) for e in (at.error if kind == "error" else at.warning)]
    assert shown == [sentence]
    if kind == "error":  # as a typed value: no figures of a value the field does not hold
        assert not at.markdown
    else:                # the page goes on with what it shows
        assert len(at.markdown) == 1


@pytest.mark.parametrize(("key", "kind", "start"), [
    ("gebied", "warning", "Wijk: 'AAAA"),
    ("gat", "warning", "Gat (dagen): 'AAAA"),
    ("van", "error", "Van: 'AAAA"),
])
def test_a_very_long_link_value_is_repeated_cut_short(monkeypatch: pytest.MonkeyPatch, key: str, kind: str,
                                                       start: str) -> None:
    """A link carrying 5,000 characters in a filter said them all: one warning filled the page."""
    at = _run(monkeypatch, **{key: "A" * 5000})
    shown = [as_read(str(e.value)) for e in (at.error if kind == "error" else at.warning)]
    assert len(shown) == 1 and shown[0].startswith(start), shown
    assert "A" * 60 not in shown[0] and "A…'" in shown[0] and len(shown[0]) < 200, shown[0]


def _years() -> None:
    """The overlap page's trend years, drawn by the same helper, on data from 2004 to 2012."""
    import streamlit as st

    from app.aggregate_widgets import linked_years

    years = linked_years("Jaren van de trend", 2004, 2012, "jaren")
    st.write(f"figures: {years[0]}-{years[1]}")


@pytest.mark.parametrize(("years", "said"), [
    (["2006", "2008"], []),
    (["2099", "2100"], ["Jaren van de trend: '2099–2100' uit de link is geen keuze van dit veld; de pagina toont "
                        "2004–2012."]),
    (["abc"], ["Jaren van de trend: 'abc' uit de link is geen keuze van dit veld; de pagina toont 2004–2012."]),
])
def test_a_links_years_the_slider_cannot_take_are_said(monkeypatch: pytest.MonkeyPatch, years: list[str],
                                                       said: list[str]) -> None:
    """``?jaren=2099&jaren=2100`` or ``?jaren=abc``: the slider dropped them without a word, the trend showed
    2004–2012 under a link that promised other years."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = AppTest.from_function(_years, default_timeout=30)
    at.query_params["jaren"] = years
    at.run()
    assert not at.exception
    assert [str(w.value) for w in at.warning] == said
    if not said:
        assert [m.value for m in at.markdown] == ["figures: 2006-2008"]


def test_an_empty_link_value_is_the_fields_default_without_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """``?gebied=&domein=&afgeleid=&gat=`` warned four times that '' is no choice of the field."""
    at = _run(monkeypatch, gebied="", domein="", afgeleid="", gat="")
    assert [str(w.value) for w in at.warning] == [] and not at.error
    assert [m.value for m in at.markdown] == ["figures: 2007-11-01 None None True 30"]
