"""The coach's caseload as cards, most urgent first (:func:`queries.triage.triaged_caseload`).

Each card shows the figures that rank the household (urgency score, active professionals, overlaps, dubbele
casemanagers, advice awaiting a decision, overdue agreements, days since the last contact) and a button that
opens it. The coach can sort by another figure; the rule of the score is explained under the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from app.i18n import plural, t
from app.state import get_audit, get_db
from app.ui import guarded
from graph.clock import local_day
from graph.profile import active_profile
from queries.access import Actor
from queries.triage import URGENCY, TriagedHousehold, triaged_caseload

__all__ = ["SORTS", "card_head", "caseload_cards", "figures", "load_triaged", "top_urgent"]

#: The orders the coach can choose: catalogue key → sort key (the first is the default: the score's own order).
SORTS: dict[str, Callable[[TriagedHousehold], tuple[object, ...]]] = {
    "triage.sort_urgency": lambda h: (-h.score, -h.professionals, h.id),
    "triage.sort_professionals": lambda h: (-h.professionals, -h.score, h.id),
    "triage.sort_contact": lambda h: (-(h.days_since_contact if h.days_since_contact is not None else 10**6), h.id),
    "triage.sort_address": lambda h: (h.address or h.id, h.id),
}
_SORT = "caseload_sort"


def load_triaged(actor: Actor) -> list[TriagedHousehold] | None:
    """The coach's triaged caseload (audited), or ``None`` when it could not be read (the reason is shown)."""
    return guarded(lambda: triaged_caseload(get_db(), get_audit(), actor))


def figures(h: TriagedHousehold, today: date | None = None) -> str:
    """The household's key figures in one line, in the app's language."""
    parts = [plural(h.professionals, "triage.professionals_one", "triage.professionals_more"),
             plural(h.overlaps, "triage.overlaps_one", "triage.overlaps_more")]
    if h.double_casemanagers:
        parts.append(plural(h.double_casemanagers, "triage.doubles_one", "triage.doubles_more"))
    if h.advice_pending or active_profile().generalist.holds_mandates:  # no mandates in the model: not a figure
        parts.append(plural(h.advice_pending, "triage.advice_one", "triage.advice_more"))
    parts.append(plural(h.agreements_overdue, "triage.overdue_one", "triage.overdue_more"))
    if h.open_signals:
        parts.append(plural(h.open_signals, "triage.signals_one", "triage.signals_more"))
    if h.days_since_contact is None:
        parts.append(t("triage.never"))
    else:
        visited = h.last_visit is not None and (
            h.last_opened is None or h.last_visit >= local_day(h.last_opened))
        if h.days_since_contact == 0:  # "laatst geopend 0 dagen geleden" (a review)
            parts.append(t("triage.visited_today" if visited else "triage.opened_today"))
        else:
            parts.append(t("triage.last_visit" if visited else "triage.last_opened",
                           days=plural(h.days_since_contact, "triage.days_one", "triage.days_more")))
    return " · ".join(parts)


def top_urgent(entries: list[TriagedHousehold], n: int = 5) -> list[TriagedHousehold]:
    """The ``n`` most urgent households (the entries come sorted by urgency)."""
    return sorted(entries, key=SORTS["triage.sort_urgency"])[:n]


def card_head(h: TriagedHousehold, urgency: str) -> None:
    """A household card's head: its address and figures, its urgency (labelled ``urgency``) beside them. What
    opens the household goes on a row of its own below: the cards stand in narrow columns (the finder's left one,
    about 320 px at 1024 px), where a third column read "Ur…", "1." for an urgency of 10, and "Open HH…"."""
    c1, c2 = st.columns([4, 1.3], vertical_alignment="top")
    c1.markdown(f"**{h.address or h.id}** · {h.postcode or ''} · {h.id}")
    c1.caption(figures(h))
    c2.metric(urgency, h.score, label_visibility="visible")


def caseload_cards(entries: list[TriagedHousehold], on_open: Callable[[str], None]) -> None:
    """The caseload as cards, sorted as the coach chose (urgency first); a card's button calls ``on_open``."""
    head, order = st.columns([3, 2], vertical_alignment="bottom")
    head.markdown(t("triage.mine", households=plural(len(entries), "triage.households_one",
                                                      "triage.households_more")))
    choice = order.selectbox(t("triage.sort_by"), list(SORTS), format_func=t, key=_SORT, label_visibility="collapsed")
    for h in sorted(entries, key=SORTS[choice or "triage.sort_urgency"]):
        with st.container(border=True, key=f"triage_{h.id}"):
            card_head(h, t("triage.sort_urgency"))
            st.button(t("triage.open", id=h.id), key=f"open_{h.id}", on_click=on_open, args=(h.id,), width="stretch")
    w = URGENCY
    st.caption(t("triage.rule", overlap=w["overlap"], advice=w["advice_pending"], overdue=w["agreement_overdue"],
                 professional=w["professional"], free=w["professionals_free"], signal=w["signal"],
                 contact=w["contact"], contact_days=w["contact_days"], cap=w["contact_cap"]))
