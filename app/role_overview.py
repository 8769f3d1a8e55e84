"""The overview page's answer to each role's first question (issue 19, item 4).

* coach: which of my households needs me first? The five most urgent of the triaged caseload, each with a link
  to its household page;
* project lead: which households wait for a coach (open intakes: pseudonym and area only), and how many
  households are over the casemanager thresholds (disclosure-controlled aggregates);
* policymaker: the headline overlap figures, disclosure-controlled as on the overlap page.

Data steward and administrator keep the data status (``app/views/overview.py``). Every read goes through the
query layer (role checked, audited).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from app.aggregate_widgets import headline
from app.caseload_triage import card_head, load_triaged, top_urgent
from app.dates import dmy
from app.i18n import num, page_title, plural, t
from app.nav import PAGES_DIR
from app.state import get_audit, get_db
from app.ui import guarded
from graph.notice_rules import notice_rules
from graph.settings import load_settings
from queries import aggregates
from queries.access import Actor
from queries.analytics.overlap import BINS
from queries.intake import open_intake_households

__all__ = ["coach_overview", "lead_overview", "policy_overview"]

_COACH_PAGE = str(PAGES_DIR / "coach.py")
#: The policymaker's headline: the overlap bins of 5 or more casemanagers at once.
_FIVE_OR_MORE = ["5–9", "10+"]


def over_threshold(threshold: int) -> tuple[list[str], int]:
    """The overlap bins (:data:`queries.analytics.overlap.BINS`) of the households at or over the signals'
    casemanager threshold (``WIJKNET_NOTICE_MAX_CASEMANAGERS``), and the count they start at: a threshold inside a
    band cannot be counted from the disclosure-controlled bands, so they start at the next band (the page says so);
    one above the last band's start is that band.

    >>> over_threshold(5), over_threshold(4)
    ((['5–9', '10+'], 5), (['5–9', '10+'], 5))
    """
    starts = {b: int(re.match(r"\d+", b).group()) for b in BINS}  # type: ignore[union-attr]
    chosen = [b for b in BINS if starts[b] >= threshold] or [BINS[-1]]
    return chosen, starts[chosen[0]]


def coach_overview(actor: Actor) -> None:
    """The most urgent households of the coach's caseload, with a link to each."""
    st.subheader(t("ro.first"))
    entries = load_triaged(actor)
    if entries is None:
        return
    if not entries:
        st.info(t("ro.empty"), icon=":material/inbox:")
        return
    top = top_urgent(entries)
    st.caption(plural(len(entries), "ro.top_one", "ro.top", top=num(len(top)), page=page_title("coach")))
    for h in top:
        with st.container(border=True, key=f"overview_{h.id}"):
            card_head(h, t("ro.urgency"))  # the link below (in a third column it read "Naar HH-LDH-0001")
            st.page_link(_COACH_PAGE, label=t("ro.to", id=h.id), icon=":material/family_restroom:",
                         query_params={"household": h.id})


def _protected_overlap(actor: Actor, as_of: date) -> aggregates.OverlapView | None:
    return guarded(lambda: aggregates.overlap_view(get_db(), get_audit(), actor, as_of=as_of,
                                                   max_age_s=load_settings().snapshot_max_age, pairs=False))


def lead_overview(actor: Actor, as_of: date) -> None:
    """Open intakes (pseudonyms and areas) and the households over the thresholds, in aggregate."""
    st.subheader(t("ro.intakes"))
    intakes = guarded(lambda: open_intake_households(get_db(), get_audit(), actor))
    if intakes is not None:
        if not intakes:
            st.success(t("ro.no_intakes"),
                       icon=":material/check_circle:")
        else:
            st.metric(t("ro.waiting"), num(len(intakes)))
            st.dataframe(pd.DataFrame([{t("col.household"): i.household_id,
                                        t("col.area"): i.area_name or i.area_code or ""}
                                       for i in intakes]), hide_index=True, width="stretch", height=240)
            st.caption(t("ro.pseudonym_only"))
        _more("intake.py", "intake", ":material/move_to_inbox:")
    st.subheader(t("ro.over"))
    view = _protected_overlap(actor, as_of)
    if view is None:
        return
    total = view.distribution.loc["Total"]
    dbl = view.double_casemanager
    threshold = notice_rules().max_casemanagers
    bins, start = over_threshold(threshold)
    c1, c2 = st.columns(2)
    c1.metric(t("ro.n_or_more", n=start), headline(total, bins))
    c2.metric(t("ro.double"), headline(dbl.loc["Total"], [str(dbl.columns[0])]))
    if start != threshold:
        c1.caption(t("ro.threshold_in_band", threshold=threshold, n=start))
    st.caption(t("ro.protected", date=dmy(as_of), k=view.k))
    _more("overlap.py", "overlap", ":material/stacked_bar_chart:")


def policy_overview(actor: Actor, as_of: date) -> None:
    """The headline overlap figures, disclosure-controlled (the same sums as on the overlap page)."""
    st.subheader(page_title("overlap"))
    view = _protected_overlap(actor, as_of)
    if view is None:
        return
    dist = view.distribution
    total = dist.loc["Total"]
    c1, c2, c3 = st.columns(3)
    c1.metric(t("ro.households"), headline(total, [str(c) for c in dist.columns if c != "Total"]))
    c2.metric(t("ro.two_or_more"), headline(total, ["2", "3–4", "5–9", "10+"]))
    c3.metric(t("ro.five_at_once"), headline(total, _FIVE_OR_MORE))
    st.caption(t("ro.protected", date=dmy(as_of), k=view.k))
    _more("overlap.py", "overlap", ":material/stacked_bar_chart:")


def _more(page: str, title: str, icon: str) -> None:
    """A link to the page that has the figures whole (a sentence "more on the page …" was text to go and find)."""
    st.page_link(str(PAGES_DIR / page), label=t("ro.more", page=page_title(title)), icon=icon)
