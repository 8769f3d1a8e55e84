""""Sinds uw laatste bezoek": the box at the top of the household page (:mod:`queries.since_visit`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.state import get_audit
from app.ui import guarded
from queries.access import Actor
from queries.household import HouseholdView
from queries.since_visit import SinceLastVisit, since_last_visit

__all__ = ["lines", "show_since_last_visit"]

_OUTCOMES = {"adopted": "overgenomen", "refused": "geweigerd", "debated": "ter discussie, in overleg aangepast"}


def _d(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "?"


def _domain(d: str) -> str:
    return d.replace("_", " ").lower()


def lines(view: HouseholdView, s: SinceLastVisit) -> list[str]:
    """The changes as Dutch sentences (Markdown list items without the dash)."""
    by_id = {i.id: i for i in view.involvements}

    def who(inv_id: str) -> str:
        i = by_id.get(inv_id)
        if i is None:
            return inv_id
        return f"{i.professional_name or i.professional_id} ({i.organisation_name}, {i.function or i.role})"

    def whom(i_id: str) -> str:
        i = by_id[i_id]
        people = ", ".join(view.name_of(p) for p in i.person_ids)
        return people or "het hele huishouden"

    out = [f"**Nieuw betrokken**: {who(i.id)} voor {whom(i.id)}, {_domain(i.life_domain)}, sinds {_d(i.since)}"
           for i in s.started]
    out += [f"**Gestopt**: {who(i.id)} voor {whom(i.id)}, {_domain(i.life_domain)}, op {_d(i.until)}"
            for i in s.ended]
    out += [f"**Overdracht** op {_d(h.date)}: {who(h.from_id)} → {who(h.to_id)}"
            + ("" if h.explicit else " (afgeleid)") for h in s.handovers]
    out += [f"**Advies** aan {a.organisation_name} ({a.decision_type}) van {_d(a.date)}: "
            + (f"besluit: {_OUTCOMES.get(a.outcome, a.outcome)}" if a.outcome else "wacht op besluit")
            for a in s.advice]
    out += [f"**{'Sanctie' if a.kind == 'sanctie' else 'Afspraak'} verloopt** op {_d(a.due)}: {a.text}"
            f" ({a.status or 'geen status'})" for a in s.agreements_due]
    return out


def show_since_last_visit(actor: Actor, view: HouseholdView) -> None:
    """What changed since this user last opened the household, or that this is the first open."""
    s = guarded(lambda: since_last_visit(get_audit(), actor, view))
    if s is None:
        return
    with st.container(border=True, key="since_last_visit"):
        if s.first_visit:
            st.markdown("**Sinds uw laatste bezoek** · u opent dit huishouden voor het eerst.")
            return
        assert s.last_opened is not None
        when = f"{s.last_opened.astimezone():%d-%m-%Y %H:%M}"
        if s.empty:
            st.markdown(f"**Sinds uw laatste bezoek** ({when}) · niets veranderd.")
            return
        st.markdown(f"**Sinds uw laatste bezoek** ({when})")
        st.markdown("\n".join(f"- {line}" for line in lines(view, s)))
