"""A page whose figures are being computed (a large graph, no snapshot that may be shown) says so in Dutch and
asks again by itself until the figures are there — it does not count a whole city in Cypher per request."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app.ui
from app.errors import user_message
from graph.said import said
from queries.snapshot import BeingComputed


def _page() -> None:
    import streamlit as st

    from app.ui import guarded
    from graph.said import said
    from queries.snapshot import BeingComputed

    def figures() -> int:
        st.session_state["asked"] = st.session_state.get("asked", 0) + 1
        if st.session_state["asked"] < 3:
            raise BeingComputed(said("said.snapshot.being_computed", "The figures are being computed from the data "
                                     "as it is now (about {seconds} s at {households} households). This page asks "
                                     "again by itself.", seconds=40, households=80000))
        return 7

    st.write(f"cijfer {guarded(figures)}")


def test_the_page_says_the_figures_are_being_computed_and_asks_again_by_itself(monkeypatch: pytest.MonkeyPatch
                                                                             ) -> None:
    monkeypatch.setattr(app.ui, "_ASK_AGAIN_S", 0.0)
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception
    assert at.session_state["asked"] == 3  # asked again twice by itself, no click
    assert [m.value for m in at.markdown] == ["cijfer 7"]
    assert not at.error  # never shown as an error


def test_the_sentence_is_dutch_with_dutch_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    exc = BeingComputed(said("said.snapshot.being_computed", "The figures are being computed from the data as it is "
                             "now (about {seconds} s at {households} households). This page asks again by itself.",
                             seconds=40, households=80000))
    assert user_message(exc) == ("De cijfers worden berekend uit de gegevens zoals ze nu zijn (ongeveer 40 s bij "
                                 "80.000 huishoudens). Deze pagina vraagt het vanzelf opnieuw.")
