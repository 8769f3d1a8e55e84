"""Caseload per coach (project lead): how many households each wijkcoach holds on a day, by pseudonym only.

The lead plans the intake and moves households between coaches; for that a pseudonym and a count are enough.
Nothing of a household's content (names, addresses, plan, agreements) is read: the query layer refuses it
(``queries/access.py``), and the read is audited with the purpose ``caseload_management``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.aggregate_widgets import typed_date
from app.i18n import capitalised, num, page_title, t
from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from graph.clock import today as dutch_today
from queries.analytics.periods import data_day
from queries.overview import data_period
from queries.people import caseload_per_coach

st.title(page_title("caseload"))
actor = current_actor()
if actor is None:
    st.stop()
# the data's last day, as the other pages of the lead open (today when the data run on): a demo's data end in 2012
last = (guarded(lambda: data_period(get_db())) or (None, None))[1]
day = typed_date(t("common.as_of"), data_day(last, dutch_today()), "cl-day")
rows = guarded(lambda: caseload_per_coach(get_db(), get_audit(), actor, today=day))
if rows is None:
    st.stop()
st.caption(t("caseload.caption"))
st.metric(t("caseload.metric"), num(sum(c.count for c in rows)))
coach_col = t("caseload.col_coach")
cols = [capitalised(coach_col), t("caseload.col_households")]
table = pd.DataFrame([dict(zip(cols, (c.coach, c.count), strict=True)) for c in rows], columns=cols)
st.dataframe(table, width="stretch", hide_index=True, key="cl-table")
# The pseudonyms of each coach's households, wrapped in full (a table cell cut them off after a few)
for c in rows:
    if c.households:
        with st.expander(t("caseload.pseudonyms_of", coach=c.coach, n=num(c.count))):
            st.markdown(" · ".join(f"`{h}`" for h in c.households))
