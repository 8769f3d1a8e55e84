""""Sinds uw laatste bezoek": the box at the top of the household page (:mod:`queries.since_visit`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.i18n import code_label, literal_md, t
from app.state import get_audit
from app.ui import guarded
from queries.access import Actor
from queries.household import HouseholdView
from queries.since_visit import SinceLastVisit, since_last_visit

__all__ = ["lines", "show_since_last_visit"]

def _d(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "?"


def _domain(d: str) -> str:
    return code_label("life_domain", d)


def lines(view: HouseholdView, s: SinceLastVisit) -> list[str]:
    """The changes as sentences in the app's language (Markdown list items without the dash)."""
    by_id = {i.id: i for i in view.involvements}

    def who(inv_id: str) -> str:
        i = by_id.get(inv_id)
        if i is None:
            return literal_md(inv_id)
        return literal_md(f"{i.professional_name or i.professional_id} ({i.organisation_name}, {i.function or i.role})")

    def whom(i_id: str) -> str:
        i = by_id[i_id]
        people = ", ".join(literal_md(view.name_of(p)) for p in i.person_ids)
        return people or t("common.the_household")

    out = [t("since.started", who=who(i.id), whom=whom(i.id), domain=_domain(i.life_domain), date=_d(i.since))
           for i in s.started]
    out += [t("since.ended", who=who(i.id), whom=whom(i.id), domain=_domain(i.life_domain), date=_d(i.until))
            for i in s.ended]
    out += [t("since.handover" if h.explicit else "since.handover_derived", date=_d(h.date), source=who(h.from_id),
              target=who(h.to_id)) for h in s.handovers]
    out += [t("since.advice", organisation=literal_md(a.organisation_name), decision=code_label("decision_type", a.decision_type),
              date=_d(a.date), outcome=t("since.decided", outcome=code_label("advice_outcome", a.outcome))
              if a.outcome else t("since.awaiting")) for a in s.advice]
    out += [t("since.sanction_due" if a.kind == "sanctie" else "since.agreement_due", date=_d(a.due), text=literal_md(a.text),
              status=code_label("agreement_status", a.status) if a.status else t("since.no_status"))
            for a in s.agreements_due]
    return out


def show_since_last_visit(actor: Actor, view: HouseholdView) -> None:
    """What changed since this user last opened the household, or that this is the first open."""
    s = guarded(lambda: since_last_visit(get_audit(), actor, view))
    if s is None:
        return
    with st.container(border=True, key="since_last_visit"):
        if s.first_visit:
            st.markdown(t("since.first"))
            return
        assert s.last_opened is not None
        when = f"{s.last_opened.astimezone():%d-%m-%Y %H:%M}"
        if s.empty:
            st.markdown(t("since.nothing", when=when))
            return
        st.markdown(t("since.head", when=when))
        st.markdown("\n".join(f"- {line}" for line in lines(view, s)))
