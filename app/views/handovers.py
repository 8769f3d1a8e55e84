"""Handover clusters (project lead): communities in the organisation and professional handover graphs,
hotspots (pairs, areas, quarters), the longest chains and cases handed back and forth."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.aggregate_widgets import (
    bars,
    data_table,
    filter_fields,
    grouped,
    localised,
    modularity_text,
    open_aggregate_page,
    section,
    shown,
)
from app.i18n import col, num, page_title, t
from app.lead_snapshot import snapshot_caption
from app.orgmap import category_colours, orgmap_frame_height, orgmap_html
from app.ui import computed, guarded
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.communities import NO_EDGES
from queries.analytics.disclosure import display_frame
from queries.analytics.handover_counts import pairs_and_within


def _show_year(year: int) -> None:
    st.session_state["jaar"] = year  # the year select's choice (and so the address) on the run the click starts


page = open_aggregate_page(page_title("handovers"))
actor, db, audit = page.actor, page.db, page.audit
# the filters are in the address (?jaar=…&gebied=…&domein=…): a link carries them, Back returns to the previous choice
with filter_fields():
    with st.container(horizontal=True):
        start, end = page.year_select("jaar")  # a calendar year: periods that overlap would give away hidden cells
        area = page.area_select("gebied")
        domain = page.domain_select("domein")
# What counts as a handover is fixed: recorded ones and derived ones (an involvement ended and another began for the
# same person and life domain within GAP_DAYS). A switch for the derived ones and a free gap in days published every
# figure once per choice, and two choices subtracted singled out one handover (gap 14: 501, gap 20: 502; with the
# other figures of the two: its area, quarter, life domain and cluster; an outside test of 08-12-2026).
derived, gap = True, aggregates.GAP_DAYS
st.caption(t("ho.counted_as", gap=gap))
filters = {"start": start, "end": end, "area": area, "life_domain": domain, "derived": derived, "gap_days": int(gap)}

view = computed(lambda: aggregates.handover_view(db, audit, actor, start=start, end=end, area=area,
                                                 life_domain=domain, derived_handovers=derived, gap_days=int(gap),
                                                 max_age_s=load_settings().snapshot_max_age))
if view is None:
    st.stop()
snapshot_caption(view.counted_at)
shown_total = view.handovers_shown
st.metric(t("ho.total"), "x" if shown_total is None else num(shown_total))
if shown_total == 0:  # an empty map, five empty tables with their downloads and a cluster of nothing: one sentence
    first, last = page.years()
    if years := [y for y in view.other_years if first <= y <= last]:
        # and the nearest year that has handovers, one click away (the later of two as near)
        nearest = min(years, key=lambda y: (abs(y - start.year), -y))
        st.info(t("ho.none_in_year_but", year=start.year, other=nearest), icon=":material/info:")
        st.button(t("ho.show_year", year=nearest), icon=":material/event:", on_click=_show_year, args=(nearest,))
    else:
        st.info(t("ho.none_in_year", year=start.year), icon=":material/info:")
    st.stop()

q = view.org_quality
orgs = guarded(lambda: aggregates.organisations(db, audit, actor))
if orgs is None:
    orgs = pd.DataFrame(columns=["id", "name"])
names = dict(zip(orgs["id"], orgs["name"], strict=True))
comm = view.org_communities.set_index("organisation")


def _algorithm(name: str) -> str:
    """The clustering's algorithm as said on the page: none when there was nothing to cluster."""
    return t("ho.no_edges") if name == NO_EDGES else name


# Clusters are numbered from 1 in the map's legend, its colours and the table beside it alike.
nodes = pd.DataFrame({"name": [names.get(o, o) for o in comm.index],
                      "community": [t("ho.cluster", n=c + 1) for c in comm["community"]]}, index=comm.index)
clusters = [t("ho.cluster", n=c + 1) for c in sorted(comm["community"].unique())]
orgmap = orgmap_html(nodes, view.edges, color="community", colours=category_colours(clusters), directed=True,
                     title=t("ho.where"), k=view.k)
section(t("ho.where"), t("ho.where_help", algorithm=_algorithm(q["algorithm"]), seed=q["seed"], n=q["communities"],
                          modularity=modularity_text(q["modularity"])), None,
        view.org_communities.assign(name=lambda d: d["organisation"].map(names),
                                    community=lambda d: [t("ho.cluster", n=c + 1) for c in d["community"]])
        .set_index("name").drop(columns=["organisation"]),
        key="orgcomm", audit=audit, actor=actor, what="handover_org_clusters", filters=filters, page=orgmap,
        page_height=orgmap_frame_height(list(nodes["name"])))

pq = view.professional_quality
section(t("ho.pros"), t("ho.pros_help", algorithm=_algorithm(pq["algorithm"]), seed=pq["seed"],
                         modularity=modularity_text(pq["modularity"])), None,
        view.professional_communities.assign(community=lambda d: d["community"] + 1),
        key="procomm", audit=audit, actor=actor, what="handover_professional_clusters", filters=filters)

# a pair is two organisations: handovers inside one organisation (to a colleague) are a table of their own
pairs, within = pairs_and_within(view.pairs)
pairs = pairs.assign(source=lambda d: d["source"].map(names), target=lambda d: d["target"].map(names))
within = within.assign(organisation=lambda d: d["organisation"].map(names)).set_index("organisation")
top = pairs.dropna(subset=["n"]).head(12)
top_chart = pd.DataFrame({t("col.handovers"): top["n"].to_numpy()},
                         index=[f"{s} → {t}" for s, t in zip(top["source"], top["target"], strict=True)]).T
section(t("ho.pairs"), t("ho.pairs_help"),
        bars(top_chart, y_title=t("col.handovers"), horizontal=True) if len(top) else None, pairs, key="pairs",
        audit=audit, actor=actor, what="handover_pairs", beside=False,
        chart=(lambda fmt: exports.bar_chart(top_chart, title=t("ho.per_pair"), fmt=fmt, ylabel=t("col.handovers")))
        if len(top) else None, filters=filters, extra={t("ho.within_sheet"): within})
if len(within):
    st.markdown(t("ho.within"))
    data_table(shown(within), key="within")

# one below the other: side by side, the quarters' chart shared half the page with its table, its legend over
# the bars and cut off
area_names = {k: v for k, v in page.area_label.items() if k is not None}
areas = (view.areas.assign(area=lambda d: d["area"].map(lambda a: area_names.get(a, a)))
         if "area" in view.areas.columns else view.areas.rename(index=area_names))
section(t("ho.areas"), t("ho.areas_help"), None, areas, key="areas",
        audit=audit, actor=actor, what="handover_areas", filters=filters)
per = view.periods.set_index("quarter")
section(t("ho.quarters"), t("ho.quarters_help"), bars(per.T.rename(index=col), y_title=t("col.handovers"))
        if len(per) else None, per, key="periods", audit=audit, actor=actor, what="handover_periods",
        filters=filters)

chains = view.chain_lengths
# routes by organisation name (the analytics join organisation ids)
routes = view.longest_chains.assign(route=lambda d: [" → ".join(names.get(o, o) for o in str(r).split(" → "))
                                                     for r in d["route"]])
# the ping-pong pairs by organisation name, on the page and in the Excel file's sheet (it held the ids, ORG-SMD)
ping_pong = view.ping_pong.assign(a=lambda d: d["a"].map(names), b=lambda d: d["b"].map(names))
section(t("ho.chains"), t("ho.chains_help"),
        bars(chains.drop(index=["Total"], errors="ignore").T.rename(index=col),
             y_title=t("col.cases")) if len(chains) else None, chains,
        key="chains", audit=audit, actor=actor, what="handover_chains",
        empty=t("ho.chains_withheld") if view.handovers else None,
        extra={t("ho.longest_sheet"): routes, t("ho.ping_pong_sheet"): ping_pong}, filters=filters)
if len(routes):  # routes taken by fewer than k cases are left out: often none are left
    st.markdown(t("ho.longest"))
    data_table(localised(routes), key="longest", hide_index=True)
st.markdown(t("ho.ping_pong"))
data_table(display_frame(grouped(localised(ping_pong))),
           key="pingpong", hide_index=True, empty=t("ho.no_ping_pong"))
