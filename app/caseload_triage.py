"""The coach's caseload as cards, most urgent first (:func:`queries.triage.triaged_caseload`).

Each card shows the figures that rank the household (urgency score, active professionals, overlaps, dubbele
casemanagers, advice awaiting a decision, overdue agreements, days since the last contact) and a button that
opens it. The coach can sort by another figure; the rule of the score is explained under the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from app.state import get_audit, get_db
from app.ui import guarded
from queries.access import Actor
from queries.triage import URGENCY, TriagedHousehold, triaged_caseload

__all__ = ["SORTS", "caseload_cards", "figures", "load_triaged", "top_urgent"]

#: The orders the coach can choose: label → sort key (the first is the default: the score's own order).
SORTS: dict[str, Callable[[TriagedHousehold], tuple[object, ...]]] = {
    "Urgentie": lambda h: (-h.score, -h.professionals, h.id),
    "Actieve professionals": lambda h: (-h.professionals, -h.score, h.id),
    "Dagen sinds laatste contact": lambda h: (-(h.days_since_contact if h.days_since_contact is not None
                                                 else 10**6), h.id),
    "Adres": lambda h: (h.address or h.id, h.id),
}
_SORT = "caseload_sort"


def load_triaged(actor: Actor) -> list[TriagedHousehold] | None:
    """The coach's triaged caseload (audited), or ``None`` when it could not be read (the reason is shown)."""
    return guarded(lambda: triaged_caseload(get_db(), get_audit(), actor))


def _plural(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def figures(h: TriagedHousehold, today: date | None = None) -> str:
    """The household's key figures in one line of Dutch."""
    parts = [_plural(h.professionals, "actieve professional", "actieve professionals"),
             _plural(h.overlaps, "overlap", "overlappen")]
    if h.double_casemanagers:
        parts.append(_plural(h.double_casemanagers, "dubbele casemanager", "dubbele casemanagers"))
    parts.append(_plural(h.advice_pending, "advies wacht op besluit", "adviezen wachten op besluit"))
    parts.append(_plural(h.agreements_overdue, "afspraak over tijd", "afspraken over tijd"))
    if h.open_signals:
        parts.append(_plural(h.open_signals, "open signaal", "open signalen"))
    if h.days_since_contact is None:
        parts.append("nog niet bezocht of geopend")
    else:
        what = "bezoek" if h.last_visit is not None and (
            h.last_opened is None or h.last_visit >= h.last_opened.astimezone().date()) else "geopend"
        parts.append(f"laatst {what} {_plural(h.days_since_contact, 'dag', 'dagen')} geleden")
    return " · ".join(parts)


def top_urgent(entries: list[TriagedHousehold], n: int = 5) -> list[TriagedHousehold]:
    """The ``n`` most urgent households (the entries come sorted by urgency)."""
    return sorted(entries, key=SORTS["Urgentie"])[:n]


def caseload_cards(entries: list[TriagedHousehold], on_open: Callable[[str], None]) -> None:
    """The caseload as cards, sorted as the coach chose (urgency first); a card's button calls ``on_open``."""
    head, order = st.columns([3, 2], vertical_alignment="bottom")
    head.markdown(f"**Mijn caseload** · {_plural(len(entries), 'huishouden', 'huishoudens')}")
    choice = order.selectbox("Sorteren op", list(SORTS), key=_SORT, label_visibility="collapsed")
    for h in sorted(entries, key=SORTS[choice or "Urgentie"]):
        with st.container(border=True, key=f"triage_{h.id}"):
            c1, c2, c3 = st.columns([4, 1.2, 2.2], vertical_alignment="center")
            c1.markdown(f"**{h.address or h.id}** · {h.postcode or ''} · {h.id}")
            c1.caption(figures(h))
            c2.metric("Urgentie", h.score, label_visibility="visible")
            c3.button(f"Open {h.id}", key=f"open_{h.id}", on_click=on_open, args=(h.id,))
    w = URGENCY
    st.caption(f"Urgentie = {w['overlap']} × (overlappen + dubbele casemanagers) + {w['advice_pending']} × "
               f"adviezen die op een besluit wachten + {w['agreement_overdue']} × afspraken over tijd + "
               f"{w['professional']} × actieve professionals boven de {w['professionals_free']} + "
               f"{w['signal']} × open signalen + "
               f"{w['contact']} per {w['contact_days']} dagen sinds uw laatste bezoek of opening (hoogstens "
               f"{w['contact_cap']}; nog nooit: {w['contact_cap']}).")
