"""Handover clusters (project lead): communities in the organisation and professional handover graphs,
hotspots (pairs, areas, quarters), the longest chains and cases handed back and forth."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app.aggregate_widgets import bars, open_aggregate_page, section
from app.lead_snapshot import snapshot_caption
from app.orgmap import category_colours, orgmap_html
from app.ui import guarded
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.disclosure import display_frame

page = open_aggregate_page("Handover clusters")
actor, db, audit = page.actor, page.db, page.audit
with st.container(horizontal=True):
    start = st.date_input("From", date(2004, 1, 1), format="DD-MM-YYYY", key="ho-from")
    end = st.date_input("To", date(2012, 12, 31), format="DD-MM-YYYY", key="ho-to")
    area = page.area_select("ho-area")
    domain = page.domain_select("ho-domain")
    derived = st.toggle("Include derived handovers", True, key="ho-derived",
                        help="Also count cases where one involvement ended and another began for the same person "
                             "and life domain within the gap, without a recorded handover.")
    gap = st.number_input("Gap (days)", 0, 365, 30, key="ho-gap")
filters = {"start": start, "end": end, "area": area, "life_domain": domain, "derived": derived}

view = guarded(lambda: aggregates.handover_view(db, audit, actor, start=start, end=end, area=area,
                                                life_domain=domain, derived_handovers=derived, gap_days=int(gap),
                                                max_age_s=load_settings().snapshot_max_age))
if view is None:
    st.stop()
snapshot_caption(view.counted_at)
shown_total = view.handovers if view.handovers == 0 or view.handovers >= view.k else None
st.metric("Handovers in the period", "x" if shown_total is None else f"{shown_total:,}")

q = view.org_quality
orgs = guarded(lambda: aggregates.organisations(db, audit, actor))
if orgs is None:
    orgs = pd.DataFrame(columns=["id", "name"])
names = dict(zip(orgs["id"], orgs["name"], strict=True))
comm = view.org_communities.set_index("organisation")
# Clusters are numbered from 1 in the map's legend, its colours and the table beside it alike.
nodes = pd.DataFrame({"name": [names.get(o, o) for o in comm.index],
                      "community": [f"cluster {c + 1}" for c in comm["community"]]}, index=comm.index)
clusters = [f"cluster {c + 1}" for c in sorted(comm["community"].unique())]
orgmap = orgmap_html(nodes, view.edges, color="community", colours=category_colours(clusters), directed=True,
                     title="Overdrachtclusters")
section("Where handovers cluster (organisations)",
        f"Organisations that often hand cases to each other are grouped in one colour. Algorithm: "
        f"{q['algorithm']}, seed {q['seed']}; {q['communities']} clusters, modularity {q['modularity']:.2f} "
        "(0 = no better than chance, above about 0.3 = clear clusters). Arrows show the direction; ties below k "
        "are not drawn.", None, view.org_communities.assign(name=lambda d: d["organisation"].map(names),
                                                              community=lambda d: d["community"] + 1),
        key="orgcomm", audit=audit, actor=actor, what="handover_org_clusters", filters=filters, page=orgmap)

pq = view.professional_quality
section("Clusters of professionals",
        f"The same method on the professional-to-professional handover graph ({pq['algorithm']}, seed "
        f"{pq['seed']}, modularity {pq['modularity']:.2f}): each row is a cluster with how many professionals it "
        "holds, their main organisations and the handovers inside it.", None,
        view.professional_communities.assign(community=lambda d: d["community"] + 1),
        key="procomm", audit=audit, actor=actor, what="handover_professional_clusters", filters=filters)

pairs = view.pairs.assign(source=lambda d: d["source"].map(names), target=lambda d: d["target"].map(names))
top = pairs.dropna(subset=["n"]).head(12)
top_chart = pd.DataFrame({"handovers": top["n"].to_numpy()},
                         index=[f"{s} → {t}" for s, t in zip(top["source"], top["target"], strict=True)]).T
section("Hotspots: organisation pairs", "The organisation pairs with the most handovers (from → to).",
        bars(top_chart, y_title="handovers") if len(top) else None, pairs, key="pairs", audit=audit, actor=actor,
        what="handover_pairs", chart=(lambda fmt: exports.bar_chart(top_chart, title="Handovers per pair",
                                                                   fmt=fmt, ylabel="handovers"))
        if len(top) else None, filters=filters)

left, right = st.columns(2)
with left:
    area_names = {k: v for k, v in page.area_label.items() if k is not None}
    section("Hotspots: areas", "Handovers per area of the household.", None,
            view.areas.assign(area=lambda d: d["area"].map(lambda a: area_names.get(a, a))), key="areas",
            audit=audit, actor=actor, what="handover_areas", filters=filters)
with right:
    per = view.periods.set_index("quarter")
    section("Hotspots: quarters", "Handovers per quarter.", bars(per.T, y_title="handovers") if len(per) else None,
            per, key="periods", audit=audit, actor=actor, what="handover_periods", filters=filters)

chains = view.chain_lengths
section("Handover chains",
        "How many cases (a household and one life domain) went through 1, 2, 3, … handovers in the period.",
        bars(chains.drop(index=["Total"], errors="ignore").T, y_title="cases") if len(chains) else None, chains,
        key="chains", audit=audit, actor=actor, what="handover_chains",
        extra={"longest routes": view.longest_chains, "ping-pong": view.ping_pong}, filters=filters)
if len(view.longest_chains):  # routes taken by fewer than k cases are left out: often none are left
    st.markdown("**Longest routes** (routes taken by fewer than k cases are left out)")
    st.dataframe(view.longest_chains, width="stretch", hide_index=True, key="longest")
st.markdown("**Ping-pong**: a case handed from A to B and straight back to A")
st.dataframe(display_frame(view.ping_pong.assign(a=lambda d: d["a"].map(names), b=lambda d: d["b"].map(names))),
             width="stretch", hide_index=True, key="pingpong")
