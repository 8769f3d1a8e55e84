"""Caseload per coach (project lead): how many households each wijkcoach holds on a day, by pseudonym only.

The lead plans the intake and moves households between coaches; for that a pseudonym and a count are enough.
Nothing of a household's content (names, addresses, plan, agreements) is read: the query layer refuses it
(``queries/access.py``), and the read is audited with the purpose ``caseload_management``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from queries.people import caseload_per_coach

st.title("Caseload per wijkcoach")
actor = current_actor()
if actor is None:
    st.stop()
day = st.date_input("Peildatum", date.today(), format="DD-MM-YYYY", key="cl-day")
rows = guarded(lambda: caseload_per_coach(get_db(), get_audit(), actor, today=day))
if rows is None:
    st.stop()
st.caption("Huishoudens alleen als pseudoniem: voor de intake en het verdelen van huishoudens over de "
           "wijkcoaches is niet meer nodig. Deze weergave wordt gelogd.")
st.metric("Huishoudens met een wijkcoach", f"{sum(c.count for c in rows):,}".replace(",", "."))
table = pd.DataFrame([{"Wijkcoach": c.coach, "Huishoudens": c.count, "Pseudoniemen": ", ".join(c.households)}
                      for c in rows], columns=["Wijkcoach", "Huishoudens", "Pseudoniemen"])
st.dataframe(table, width="stretch", hide_index=True, key="cl-table")
