"""Home: the answer to the role's first question (app/role_overview.py) — a coach's most urgent households, the
project lead's open intakes and thresholds, the policymaker's headline overlap figures; for the data steward and
the administrator: is the database connected, and what does it hold (counts, areas, period)? No personal data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.catalogue import CATALOGUE
from app.chrome_nl import plotly_config
from app.dates import dmy
from app.i18n import code_label, num, t
from app.role_overview import coach_overview, lead_overview, policy_overview
from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from graph.clock import today as dutch_today
from graph.db import Database
from graph.profile import active_profile
from graph.settings import load_settings
from queries.access import Role
from queries.analytics.periods import default_quarter_end
from queries.overview import home_overview

st.title("wijknet")
st.caption(t("overview.caption"))
actor = current_actor()
if actor is None:
    st.stop()


def _connect() -> Database:
    db = get_db()
    db.verify()
    return db


# "Start the database" only when it is the database that cannot be reached: an audit log that cannot be written
# (or any other refusal of the overview) has said its own sentence through guarded, and Neo4j runs.
connected = guarded(_connect)
if connected is None:
    st.info(t("overview.no_db"), icon=":material/info:")
    st.stop()
ov = guarded(lambda: home_overview(connected, get_audit(), actor))
if ov is None:
    st.stop()

if ov.empty:
    # a deployment without demo accounts is a municipality's own: it starts from its profile, not the demo
    st.info(t("overview.empty") if load_settings().demo_users else
            t("overview.empty_start", municipality=active_profile().municipality), icon=":material/inbox:")
    st.stop()

if actor is not None and actor.role in (Role.COACH, Role.PROJECT_LEAD, Role.POLICYMAKER):
    # the figures of the last quarter end the data cover (a historical extract ends before today): the overlap
    # table is published for quarter ends only, and the data's last day is seldom one
    as_of = default_quarter_end(ov.last_date, dutch_today())
    if actor.role == Role.COACH:
        coach_overview(actor)
    elif actor.role == Role.PROJECT_LEAD:
        lead_overview(actor, as_of)
    else:
        policy_overview(actor, as_of)
    st.stop()

st.success(t("overview.connected", uri=get_db().uri), icon=":material/check_circle:")
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("overview.households"), num(ov.counts.get('Household', 0)))
c2.metric(t("overview.residents"), num(ov.counts.get('Person', 0)))
c3.metric(t("overview.professionals"), num(ov.counts.get('Professional', 0)))
c4.metric(t("overview.organisations"), num(ov.counts.get('Organisation', 0)))
if ov.first_date and ov.last_date:
    st.write(t("overview.period", first=dmy(ov.first_date), last=dmy(ov.last_date), n=num(ov.involvements),
               open=num(ov.open_involvements)))

# One below the other: side by side, at 1024 px the areas table hid its last columns behind a scroll bar. A plain
# table (not the grid) wraps its headers and shows every number.
st.subheader(t("overview.areas"))
areas = pd.DataFrame(ov.areas, columns=["code", "name", "kind", "households", "coached_households"])
areas["kind"] = [code_label("area_kind", k) for k in areas["kind"]]
st.table(areas.drop(columns=["code"]).rename(columns={
    "name": t("common.area"), "kind": t("overview.area_kind"), "households": t("overview.households"),
    "coached_households": t("overview.coached_on", date=dmy(ov.coached_on))}).set_index(t("common.area")))
st.subheader(t("overview.holds"))
kind, count = t("overview.kind"), t("overview.count")
counts = pd.DataFrame(sorted((t(f"node.{k}") if f"node.{k}" in CATALOGUE else k, n)
                             for k, n in ov.counts.items()), columns=[kind, count])
# Plotly, as every other chart: its Dutch locale writes 1.000 (the grid chart wrote 1,000) and its labels get the
# room they need (the longest, "scores participatieladder", was cut off)
held = counts[counts[count] > 0].sort_values(count)
fig = go.Figure(go.Bar(x=held[count], y=held[kind], orientation="h", text=[num(int(v)) for v in held[count]],
                       textposition="outside", cliponaxis=False, marker_color="#4c78a8"))
fig.update_layout(height=max(240, 26 * len(held) + 70), margin={"l": 10, "r": 50, "t": 10, "b": 40},
                  xaxis={"title": {"text": count}, "tickformat": ",d"}, yaxis={"automargin": True})
st.plotly_chart(fig, width="stretch", config=plotly_config(), key="overview-holds")
