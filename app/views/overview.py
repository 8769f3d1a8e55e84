"""Home: the answer to the role's first question (app/role_overview.py) — a coach's most urgent households, the
project lead's open intakes and thresholds, the policymaker's headline overlap figures; for the data steward and
the administrator: is the database connected, and what does it hold (counts, areas, period)? No personal data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app.role_overview import coach_overview, lead_overview, policy_overview
from app.session import current_actor
from app.state import get_db
from app.ui import guarded
from queries.access import Role
from queries.overview import Overview, overview

st.title("wijknet")
st.caption("The professional network around vulnerable households in the neighbourhood.")


def _load() -> Overview:
    db = get_db()
    db.verify()
    return overview(db)


ov = guarded(_load)
if ov is None:
    st.info("Start the database with `wijknet db start` (or set NEO4J_URI), then reload this page.",
            icon=":material/info:")
    st.stop()

if ov.empty:
    st.info("The database is empty. Load the demo neighbourhood with `wijknet demo load`, or load source "
            "exports with `wijknet ingest <mapping> <file>` (a data steward can also use *Load data*).",
            icon=":material/inbox:")
    st.stop()

actor = current_actor()
if actor is not None and actor.role in (Role.COACH, Role.PROJECT_LEAD, Role.POLICYMAKER):
    # the figures of the last day the data covers (a historical extract ends before today)
    as_of = min(date.today(), ov.last_date) if ov.last_date else date.today()
    if actor.role == Role.COACH:
        coach_overview(actor)
    elif actor.role == Role.PROJECT_LEAD:
        lead_overview(actor, as_of)
    else:
        policy_overview(actor, as_of)
    st.stop()

st.success(f"Connected to Neo4j at {get_db().uri}.", icon=":material/check_circle:")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Households", f"{ov.counts.get('Household', 0):,}")
c2.metric("Residents", f"{ov.counts.get('Person', 0):,}")
c3.metric("Professionals", f"{ov.counts.get('Professional', 0):,}")
c4.metric("Organisations", f"{ov.counts.get('Organisation', 0):,}")
if ov.first_date and ov.last_date:
    st.write(f"Involvements from **{ov.first_date:%d-%m-%Y}** to **{ov.last_date:%d-%m-%Y}** "
             f"({ov.involvements:,} in all, {ov.open_involvements:,} still open).")

left, right = st.columns(2)
with left:
    st.subheader("Areas")
    st.dataframe(pd.DataFrame(ov.areas).rename(columns={
        "code": "Code", "name": "Area", "kind": "Kind", "households": "Households",
        "coached_households": "Coached households"}), hide_index=True, width="stretch")
with right:
    st.subheader("What the graph holds")
    counts = pd.DataFrame(sorted(ov.counts.items()), columns=["Kind", "Count"])
    st.bar_chart(counts[counts["Count"] > 0], x="Kind", y="Count", horizontal=True)
