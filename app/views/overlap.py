"""Overlapping casemanagers (policymakers): how many professionals work on one household at once, per area,
per organisation pair, over time, and what changes when a coach takes over. Aggregates only."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app.aggregate_widgets import (
    bars,
    coach_effect_figure,
    filter_fields,
    headline,
    linked_years,
    localised,
    open_aggregate_page,
    pair_heatmap,
    per_hundred_text,
    quarter_end_select,
    section,
    stacked_trend,
    value_label,
    without_totals,
)
from app.dates import dmy, dmy_time
from app.i18n import num, page_title, t
from app.ui import computed, guarded
from graph.clock import today as dutch_today
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.overlap import BINS

page = open_aggregate_page(page_title("overlap"))
actor, db, audit = page.actor, page.db, page.audit
# the filters are in the address (?peildatum=…&gebied=…&domein=…&jaren=…): a link carries them, Back returns to the
# previous choice
with filter_fields(), st.container(horizontal=True):
    # opens on the last quarter end that has data (a historical extract ends years before today)
    as_of = quarter_end_select(t("common.as_of"), page.quarter_end(), "peildatum", help=t("ov.quarter_end_help"),
                               first_year=page.years()[0])
    area = page.area_select("gebied")
    domain = page.domain_select("domein")
filters = {"as_of": as_of, "area": area, "life_domain": domain}
undated = {k: v for k, v in filters.items() if k != "as_of"}  # what the trend and the coach effect depend on
# The overlap snapshot may lag the data by up to WIJKNET_SNAPSHOT_MAX_AGE while a fresh one is read.
fresh_within = load_settings().snapshot_max_age

view = computed(lambda: aggregates.overlap_view(db, audit, actor, as_of=as_of, area=area, life_domain=domain,
                                                max_age_s=fresh_within))
if view is None:
    st.stop()
counted = (t("ov.counted_now") if view.counted_at is None else
           t("ov.counted_at", at=dmy_time(view.counted_at)))
st.caption(t("ov.disclosure", k=view.k, counted=counted))
page.say_after_data(as_of, "ov.after_data")  # a later quarter end counts the involvements still open then

dist = view.distribution
hidden_total = [c for c in dist.columns if c != "Total" and pd.isna(dist.loc["Total", c])]
if len(hidden_total) * 2 >= len(dist.columns) - 1:  # most of the all-areas row hidden: say why, not only x
    # the Total row is the chosen area's when one is chosen (a review read "van alle wijken samen" beside one area)
    st.info(t("ov.many_hidden", n=len(hidden_total), of=len(dist.columns) - 1) if area is None else
            t("ov.many_hidden_area", n=len(hidden_total), of=len(dist.columns) - 1, area=page.area_label.get(area, area)),
            icon=":material/visibility_off:")
# The headline figures are sums of the table's Total row, so they follow its suppression (one decision for
# every figure on the page): shown when the table shows them or gives them away, else x.
total_row = dist.loc["Total"]
c1, c2, c3 = st.columns(3)
c1.metric(t("ov.households"), headline(total_row, [str(c) for c in dist.columns if c != "Total"]))
c2.metric(t("ov.two_or_more"), headline(total_row, ["2", "3–4", "5–9", "10+"]))
c3.metric(t("ov.five_or_more"), headline(total_row, ["5–9", "10+"]))

chart_rows = without_totals(dist)
chart_rows.index = [page.area_label.get(i, i) for i in chart_rows.index]
section(t("ov.dist"), t("ov.dist_help", date=dmy(as_of)),
        bars(chart_rows), dist.rename(index=page.area_label), key="dist", audit=audit, actor=actor,
        what="overlap_distribution",
        chart=lambda fmt: exports.bar_chart(chart_rows, title=t("ov.dist"), fmt=fmt,
                                            ylabel=t("agg.households")), filters=filters)
st.markdown(f"**{t('ov.rates')}**")
st.caption(t("ov.rates_help"))
st.dataframe(localised(per_hundred_text(dist).rename(index=page.area_label)), width="stretch", key="dist-rates")

kinds = view.by_area_kind
section(t("ov.kinds"), t("ov.kinds_help"),
        bars(without_totals(kinds).rename(index=value_label)), kinds, key="kinds", audit=audit, actor=actor,
        what="overlap_by_area_kind",
        chart=lambda fmt: exports.bar_chart(without_totals(kinds).rename(index=value_label), title=t("ov.kinds_chart"),
                                            fmt=fmt, ylabel=t("agg.households")),
        filters=filters)

# one below the other: side by side, each half of the page hid its total behind a scroll bar
section(t("ov.same"), t("ov.same_help"), None, view.same_member_domain.rename(index=page.area_label), key="same",
        audit=audit, actor=actor, what="overlap_same_member_domain", filters=filters)
section(t("ov.double"), t("ov.double_help"), None, view.double_casemanager.rename(index=page.area_label),
        key="double", audit=audit, actor=actor, what="overlap_dubbele_casemanager", filters=filters)

pm = view.pair_matrix
if view.pair_dates:  # the pair matrix is published per year end only: say so and offer the nearest ones
    with st.container(key="pair-matrix"):
        st.subheader(t("ov.pairs"))
        st.info(t("ov.pairs_year_end", date=dmy(as_of)), icon=":material/calendar_month:")
        today = dutch_today()
        # the nearest year end first (31 March: the one before; 30 September: the one after), of the dates the
        # field offers (none still to come, none before its first year)
        offered = sorted((d for d in view.pair_dates if d <= today and d.year >= page.years()[0]),
                         key=lambda d: (abs((d - as_of).days), d))
        with st.container(horizontal=True):
            for d in offered:
                st.button(t("ov.pairs_show", date=dmy(d)), key=f"pairs-on-{d.isoformat()}",
                          on_click=lambda d=d: st.session_state.__setitem__("peildatum", d))
        if later := [d for d in view.pair_dates if d > today]:
            st.caption(t("ov.pairs_none_yet", date=dmy(later[0])))
else:
    names = {r["id"]: r["name"] for r in (guarded(lambda: aggregates.organisations(db, audit, actor)
                                                  .to_dict("records")) or [])}
    heat = pair_heatmap(pm.rename(index=names, columns=names))
    with st.container(key="pair-matrix"):  # a column per organisation: the one table that may scroll sideways
        section(t("ov.pairs"), t("ov.pairs_help"),
                heat, pm.rename(index=names, columns=names), key="pairs", audit=audit, actor=actor,
                what="overlap_pair_matrix",
                chart=lambda fmt: exports.heatmap(pm.rename(index=names, columns=names), title=t("ov.pairs_chart"),
                                                  fmt=fmt),
                filters=filters)

with st.container():
    first_year, last_year = page.years()
    years = linked_years(t("ov.years"), first_year, last_year, "jaren")
    trend = guarded(lambda: aggregates.overlap_trend(db, audit, actor, first_year=years[0], last_year=years[1],
                                                     area=area, life_domain=domain, max_age_s=fresh_within))
    if trend is not None:
        tfig = stacked_trend(trend, list(BINS[1:]))
        section(t("ov.trend"), t("ov.trend_help"), tfig, trend, key="trend", audit=audit, actor=actor,
                what="overlap_trend", chart=lambda fmt: exports.bar_chart(
                    without_totals(trend)[list(BINS[1:])].rename(index=value_label).T, title=t("ov.trend"), fmt=fmt,
                    ylabel=t("agg.households")),
                # the trend is of its years, not of the peildatum (a download named a quarter it does not depend on)
                filters={**undated, "years": f"{years[0]}-{years[1]}"})

effect = guarded(lambda: aggregates.coach_effect_view(db, audit, actor, area=area, life_domain=domain,
                                                     max_age_s=fresh_within, until=page.data_day()))
counted = pd.to_numeric(effect["households"], errors="coerce") if effect is not None and \
    "households" in effect.columns else None
if effect is not None and counted is not None and counted.notna().all() and not counted.any():
    # no household to compare (a control area has no coach): a sentence, not four hatched bars of "hidden" means
    # over nobody (a review of the control area read n = 0 everywhere, drawn as hidden)
    st.subheader(t("ov.effect"))
    st.info(t("ov.effect_none_area", area=page.area_label.get(area, area)) if area else t("ov.effect_none"),
            icon=":material/info:")
elif effect is not None:
    eff, means, effect_fig = coach_effect_figure(effect)
    # the households are in every row's label (n = …): the page leaves their column out, or the table is wider
    # than a 1024 px page and hides its last columns; the downloads keep it. The chart goes above the table, the
    # page's width: beside it, at 1024 px, its four labels stood on end over each other ("(n(n = 72)")
    section(t("ov.effect"), t("ov.effect_help"), effect_fig,
            eff.drop(columns=["households"], errors="ignore"), key="effect", audit=audit, actor=actor, beside=False,
            what="overlap_coach_effect", export=eff,
            chart=lambda fmt: exports.bar_chart(means, title=t("ov.mean_axis"), fmt=fmt, ylabel=t("col.mean")),
            # measured up to the data's last day, whatever the peildatum: the downloads say that day, not the quarter
            filters={**undated, **({"until": date.fromisoformat(u)} if (u := effect.attrs.get("until")) else {})})
if effect is not None and (until := effect.attrs.get("until")) is not None:
    # households whose year after intake has not fully come are left out of the table: how many, and why
    left_out, day = effect.attrs.get("left_out"), dmy(date.fromisoformat(until))
    st.caption(t("ov.effect_left_out_hidden", k=num(view.k), date=day) if left_out is None else
               t("ov.effect_left_out_none", date=day) if left_out == 0 else
               t("ov.effect_left_out_one", date=day) if left_out == 1 else
               t("ov.effect_left_out", n=num(left_out), date=day))
