"""Overlapping casemanagers (policymakers): how many professionals work on one household at once, per area,
per organisation pair, over time, and what changes when a coach takes over. Aggregates only."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.aggregate_widgets import bars, headline, open_aggregate_page, section, stacked_trend, without_totals
from app.ui import guarded
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.overlap import BINS

page = open_aggregate_page("Overlapping casemanagers")
actor, db, audit = page.actor, page.db, page.audit
with st.container(horizontal=True):
    as_of = st.date_input("As of", date(2009, 1, 15), min_value=date(2000, 1, 1), max_value=date(2015, 12, 31),
                          format="DD-MM-YYYY", key="ov-asof")
    area = page.area_select("ov-area")
    domain = page.domain_select("ov-domain")
filters = {"as_of": as_of, "area": area, "life_domain": domain}
# The overlap snapshot may lag the data by up to WIJKNET_SNAPSHOT_MAX_AGE while a fresh one is read.
fresh_within = load_settings().snapshot_max_age

view = guarded(lambda: aggregates.overlap_view(db, audit, actor, as_of=as_of, area=area, life_domain=domain,
                                               max_age_s=fresh_within))
if view is None:
    st.stop()
counted = ("counted in the database just now" if view.counted_at is None else
           f"counted from the data as read at {view.counted_at.astimezone():%d-%m-%Y %H:%M:%S}; changes after "
           "that show within minutes")
st.caption(f"Disclosure control: no number below k = {view.k} is shown. Figures {counted}.")

dist = view.distribution
# The headline figures are sums of the table's Total row, so they follow its suppression (one decision for
# every figure on the page): shown when the table shows them or gives them away, else x.
total_row = dist.loc["Total"]
c1, c2, c3 = st.columns(3)
c1.metric("Households", headline(total_row, [str(c) for c in dist.columns if c != "Total"]))
c2.metric("With 2 or more at once", headline(total_row, ["2", "3–4", "5–9", "10+"]))
c3.metric("With 5 or more at once", headline(total_row, ["5–9", "10+"]))

chart_rows = without_totals(dist)
chart_rows.index = [page.area_label.get(i, i) for i in chart_rows.index]
section("Active casemanagers per household",
        f"Each bar counts households by how many different professionals were working with the household or "
        f"one of its members on {as_of:%d-%m-%Y}. Bars per area; the table adds totals.",
        bars(chart_rows), dist, key="dist", audit=audit, actor=actor, what="overlap_distribution",
        chart=lambda fmt: exports.bar_chart(without_totals(dist), title="Active casemanagers per household",
                                            fmt=fmt), filters=filters)

kinds = view.by_area_kind
section("Experiment area vs control area",
        "The same distribution with the experiment area (wijkcoaches since September 2008) next to the control "
        "area. Compare the shares in the higher bins rather than the raw numbers: the areas differ in size.",
        bars(without_totals(kinds)), kinds, key="kinds", audit=audit, actor=actor, what="overlap_by_area_kind",
        chart=lambda fmt: exports.bar_chart(without_totals(kinds), title="Experiment vs control", fmt=fmt),
        filters=filters)

left, right = st.columns(2)
with left:
    section("2+ organisations on the same member and life domain",
            "Households where at least two organisations work with the same person (or the household as a "
            "whole) in the same life domain at once: candidates for one casemanager.",
            None, view.same_member_domain, key="same", audit=audit, actor=actor, what="overlap_same_member_domain",
            filters=filters)
with right:
    section("Dubbele casemanager",
            "Households with two or more professionals of the same function at once (for example two "
            "casemanagers jeugdzorg).", None, view.double_casemanager, key="double", audit=audit, actor=actor,
            what="overlap_dubbele_casemanager", filters=filters)

pm = view.pair_matrix
names = {r["id"]: r["name"] for r in (guarded(lambda: aggregates.organisations(db, audit, actor).to_dict("records"))
                                       or [])}
labels = [names.get(o, o) for o in pm.columns]
heat = go.Figure(go.Heatmap(z=pm.astype("Float64").to_numpy(dtype=float, na_value=float("nan")), x=labels,
                            y=labels, colorscale="Blues", hoverongaps=False,
                            text=[["x" if pd.isna(v) else "" for v in row] for row in pm.to_numpy()],
                            texttemplate="%{text}"))
heat.update_layout(height=560, margin={"l": 10, "r": 10, "t": 10, "b": 10})
section("Organisation pairs working on the same households",
        "Each cell counts households on which both organisations were active on the date; the diagonal is "
        "the households an organisation serves. Cells marked x are hidden (fewer than k, or hidden so they "
        "cannot be worked out).",
        heat, pm, key="pairs", audit=audit, actor=actor, what="overlap_pair_matrix",
        chart=lambda fmt: exports.heatmap(pm, title="Households shared per organisation pair", fmt=fmt),
        filters=filters)

with st.container():
    years = st.slider("Trend: years", 2004, 2012, (2004, 2012), key="ov-years")
    trend = guarded(lambda: aggregates.overlap_trend(db, audit, actor, first_year=years[0], last_year=years[1],
                                                     area=area, life_domain=domain, max_age_s=fresh_within))
    if trend is not None:
        tfig = stacked_trend(trend, list(BINS[1:]))
        section("Trend per quarter",
                "Households with 1, 2, 3–4, 5–9 or 10+ active casemanagers at the end of each quarter (stacked). "
                "Hidden cells are added up in the hatched band on top (verborgen).", tfig, trend, key="trend", audit=audit, actor=actor,
                what="overlap_trend", chart=lambda fmt: exports.bar_chart(
                    without_totals(trend)[list(BINS[1:])].T, title="Trend per quarter", fmt=fmt),
                filters={**filters, "years": f"{years[0]}-{years[1]}"})

effect = guarded(lambda: aggregates.coach_effect_view(db, audit, actor, area=area, life_domain=domain,
                                                     max_age_s=fresh_within))
if effect is not None:
    eff = effect.copy()
    eff.index = [f"{g} · {m}" for g, m in eff.index]
    means = eff[["mean"]].T
    section("Before and after coach intake",
            "Coached households: active casemanagers the day before the coach took over and a year later "
            "(the coach counts as one). Control: households in the control area with 2 or more casemanagers "
            "on the day before the median intake, measured on the same two dates. The chart shows the mean per "
            "household; the table the distribution.", bars(means, y_title="mean casemanagers per household"),
            eff, key="effect", audit=audit, actor=actor, what="overlap_coach_effect",
            chart=lambda fmt: exports.bar_chart(means, title="Mean casemanagers per household", fmt=fmt,
                                                ylabel="mean"), filters=filters)
