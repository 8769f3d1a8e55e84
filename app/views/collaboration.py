"""Partner collaboration (project lead): how the partner organisations actually work together — shared
households, handovers, referrals, joint consultations, mandates and advice — and where referrals wait."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.aggregate_widgets import (
    bars,
    filter_fields,
    linked_select,
    open_aggregate_page,
    section,
    with_no_base,
)
from app.i18n import col, page_title, t
from app.lead_snapshot import snapshot_caption
from app.orgmap import category_colours, orgmap_frame_height, orgmap_html
from app.ui import computed
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.collaboration import EDGE_TYPES


def _by_name(column: pd.Series) -> pd.Series:
    """Sort key: names without regard to case ("de Woonplaats" beside "De Woonplaats"), counts as they are."""
    return column.str.casefold() if column.dtype == object else column


page = open_aggregate_page(page_title("collaboration"))
actor, db, audit = page.actor, page.db, page.audit
# the filters are in the address (?jaar=…&gebied=…&domein=…&band=…): a link carries them, Back returns to the
# previous choice
with filter_fields():
    with st.container(horizontal=True):
        start, end = page.year_select("jaar")  # a calendar year, as on the handover page
        area = page.area_select("gebied")
        domain = page.domain_select("domein")
    # what the map draws, under the filters: in their row its longest choice was cut off ("Gedeelde huishouder")
    edge_type = linked_select(t("co.tie"), list(EDGE_TYPES), lambda e: t(f"edge.{e}"), "band", width=360)
filters = {"start": start, "end": end, "area": area, "life_domain": domain, "edge_type": edge_type}

view = computed(lambda: aggregates.collaboration_view(db, audit, actor, start=start, end=end, area=area,
                                                      life_domain=domain, edge_type=edge_type,
                                                      max_age_s=load_settings().snapshot_max_age))
if view is None:
    st.stop()
snapshot_caption(view.counted_at)
st.caption(t("co.disclosure", k=view.k))

orgs = view.organisations
edges = view.edges[view.edges["type"] == edge_type][["source", "target", "n"]].reset_index(drop=True)
nodes = orgs[["name", "covenant_group", "households"]].rename(columns={"covenant_group": "group"})
nodes["group"] = nodes["group"].fillna(t("co.other_group"))
groups = sorted(nodes["group"].astype(str).unique())
orgmap = orgmap_html(nodes, edges, color="group", colours=category_colours(groups), size="households",
                     directed=edge_type in ("handover", "referral"), title=t(f"edge.{edge_type}"), k=view.k)
names = orgs["name"].to_dict()
# the largest ties first, the hidden ones (x) last by name: in alphabetical order a year's first screen was rows of
# x ("Alifa – …"), and the ties the lead looks for were below them
edge_table = edges.assign(source=edges["source"].map(names), target=edges["target"].map(names)).sort_values(
    ["n", "source", "target"], ascending=[False, True, True], na_position="last", key=_by_name)
section(t("co.map", tie=t(f"edge.{edge_type}").lower()), t("co.map_help"),
        None, edge_table.set_index(["source", "target"]), key="map", audit=audit, actor=actor,
        what=f"collaboration_{edge_type}", filters=filters, page=orgmap,
        page_height=orgmap_frame_height(list(nodes["name"])))

metrics = orgs[["name", "sector", "households", "degree", "strength", "betweenness"]].sort_values(
    "betweenness", ascending=False)
# the brokers: those with a betweenness above 0 (a chart of twelve names, most without a bar, read as missing data)
top = metrics[metrics["betweenness"] > 0].head(12).set_index("name")[["betweenness"]].T
section(t("co.brokers"), t("co.brokers_help"), bars(top, y_title=t("col.betweenness")) if top.shape[1] else None,
        metrics.set_index("name"), key="metrics", audit=audit, actor=actor,
        what="collaboration_metrics",
        chart=(lambda fmt: exports.bar_chart(top, title=t("co.brokers_chart"), fmt=fmt, ylabel=t("col.betweenness")))
        if top.shape[1] else None, filters=filters, note=t("co.no_brokers"))

mand = orgs[orgs["mandates"] > 0][["name", "mandates", "advice", "adopted", "refused", "debated",
                                   "adopted_share"]].set_index("name")
# 0 adopted of 0 advice is nothing to hide: "–", not x (in the downloads too)
mand = mand.assign(adopted_share=with_no_base(mand["adopted_share"], mand["advice"]))
if mand.empty:
    st.info(t("co.no_mandates"))
else:
    advice = mand[["adopted", "refused", "debated"]].T
    # mandates granted but no advice given under them in the period: a sentence, not a chart of zeros; every
    # count hidden: a sentence too, not a chart of hatched stubs that look like data (an outside review)
    given = bool((mand["advice"].fillna(1) > 0).any())
    drawn = given and bool(advice.notna().to_numpy().any())
    section(t("co.mandates"), t("co.mandates_help"), bars(advice.rename(index=col), barmode="stack",
                                                          y_title=t("co.advices")) if drawn else None, mand,
            key="mandates", audit=audit, actor=actor, what="collaboration_mandates",
            chart=(lambda fmt: exports.bar_chart(advice, title=t("co.advice_chart"), fmt=fmt,
                                                 ylabel=t("co.advices"))) if drawn else None, filters=filters,
            note=t("co.advice_hidden", k=view.k) if given else t("co.no_advice"))

follow = view.followup.set_index("name").drop(columns=["organisation"])
if follow.empty:
    st.info(t("co.no_referrals"))
else:
    slow = follow[["median_days_to_start"]].dropna().sort_values("median_days_to_start", ascending=False)
    section(t("co.followup"), t("co.followup_help"),
            bars(slow.head(12).T.rename(index=col), y_title=t("co.median_start"))
            if len(slow) else None,
            follow, key="followup", audit=audit, actor=actor, what="collaboration_referrals",
            chart=(lambda fmt: exports.bar_chart(slow.head(12).T, title=t("co.median_start"), fmt=fmt,
                                                 ylabel=t("co.days"))) if len(slow) else None, filters=filters)
