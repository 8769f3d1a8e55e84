""""Sinds u dit huishouden het laatst opende" (what changed since the last visit or look): the box at the top of the household page (:mod:`queries.since_visit`)."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from app.dates import dmy_time
from app.i18n import code_label, literal_md, t
from app.state import get_audit
from app.ui import guarded
from graph.clock import today as dutch_today
from queries.access import Actor
from queries.household import Advice, HouseholdView
from queries.since_visit import SinceLastVisit, changes_since, previous_open

__all__ = ["forget_previous_open", "lines", "show_since_last_visit"]

def _d(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "?"


def _domain(d: str) -> str:
    return code_label("life_domain", d)


def _decision(a: Advice) -> str:
    """The partner's decision on the advice: what and, where recorded, when; or that it is awaited."""
    if not a.outcome:
        return t("since.awaiting")
    outcome = code_label("advice_outcome", a.outcome)
    return t("since.decided_on", outcome=outcome, date=_d(a.decided_at)) if a.decided_at else t(
        "since.decided", outcome=outcome)


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

    out = [t("since.started_late" if s.late(i) else "since.started", who=who(i.id), whom=whom(i.id),
             domain=_domain(i.life_domain), date=_d(i.since), known=_d(i.seen)) for i in s.started]
    out += [t("since.ended", who=who(i.id), whom=whom(i.id), domain=_domain(i.life_domain), date=_d(i.until))
            for i in s.ended]
    out += [t("since.handover" if h.explicit else "since.handover_derived", date=_d(h.date), source=who(h.from_id),
              target=who(h.to_id)) for h in s.handovers]
    out += [t("since.advice", organisation=literal_md(a.organisation_name),
              decision=code_label("decision_type", a.decision_type), date=_d(a.date), outcome=_decision(a))
            for a in s.advice]
    out += [t("since.sanction_due" if a.kind == "sanctie" else "since.agreement_due", date=_d(a.due),
              text=literal_md(a.text),
              status=code_label("agreement_status", a.status) if a.status else t("since.no_status"))
            for a in s.agreements_due]
    return out


#: (user, household, the open before this one) of the household as the user chose it in this session: the page
#: reads the household again after a save in the workspace or a change of purpose — an open of its own in the
#: audit log — and the box still counts from the visit before, not from the page's own read a minute ago
_PREVIOUS = "since_visit_previous"


def forget_previous_open() -> None:
    """A household was chosen (the finder, a link, the inbox): its box counts from the open before this one."""
    st.session_state.pop(_PREVIOUS, None)


def _previous(actor: Actor, household_id: str) -> tuple[datetime | None] | None:
    kept = st.session_state.get(_PREVIOUS)
    if kept is not None and kept[:2] == (actor.user, household_id):
        return (kept[2],)
    found = guarded(lambda: (previous_open(get_audit(), actor, household_id),))
    if found is not None:
        st.session_state[_PREVIOUS] = (actor.user, household_id, found[0])
    return found


def show_since_last_visit(actor: Actor, view: HouseholdView) -> None:
    """What changed since this user last opened the household, or that this is the first open."""
    last = _previous(actor, view.household.id)
    if last is None:
        return
    s = changes_since(view, last[0], dutch_today())
    with st.container(border=True, key="since_last_visit"):
        if s.first_visit:
            st.markdown(t("since.first"))
            return
        assert s.last_opened is not None
        when = dmy_time(s.last_opened)
        if s.empty:
            st.markdown(t("since.nothing", when=when))
            return
        st.markdown(t("since.head", when=when))
        st.markdown("\n".join(f"- {line}" for line in lines(view, s)))
