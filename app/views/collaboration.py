"""Partner collaboration (project lead): how the partner organisations actually work together — shared
households, handovers, referrals, joint consultations, mandates and advice — and where referrals wait."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.aggregate_widgets import bars, open_aggregate_page, section
from app.lead_snapshot import snapshot_caption
from app.orgmap import category_colours, orgmap_html
from app.ui import guarded
from graph.settings import load_settings
from queries import aggregates
from queries.analytics import exports
from queries.analytics.collaboration import EDGE_TYPES

page = open_aggregate_page("Partner collaboration")
actor, db, audit = page.actor, page.db, page.audit
with st.container(horizontal=True):
    start = st.date_input("From", date(2008, 9, 1), format="DD-MM-YYYY", key="co-from")
    end = st.date_input("To", date(2010, 12, 31), format="DD-MM-YYYY", key="co-to")
    area = page.area_select("co-area")
    domain = page.domain_select("co-domain")
    edge_type = st.selectbox("Tie", list(EDGE_TYPES), format_func=lambda t: EDGE_TYPES[t], key="co-edge")
filters = {"start": start, "end": end, "area": area, "life_domain": domain, "edge_type": edge_type}

view = guarded(lambda: aggregates.collaboration_view(db, audit, actor, start=start, end=end, area=area,
                                                     life_domain=domain, edge_type=edge_type,
                                                     max_age_s=load_settings().snapshot_max_age))
if view is None:
    st.stop()
snapshot_caption(view.counted_at)
st.caption(f"Disclosure control: no number below k = {view.k} is shown; ties with fewer than k are not drawn.")

orgs = view.organisations
edges = view.edges[view.edges["type"] == edge_type][["source", "target", "n"]].reset_index(drop=True)
nodes = orgs[["name", "covenant_group", "households"]].rename(columns={"covenant_group": "group"})
nodes["group"] = nodes["group"].fillna("overig")
groups = sorted(nodes["group"].astype(str).unique())
orgmap = orgmap_html(nodes, edges, color="group", colours=category_colours(groups), size="households",
                     directed=edge_type in ("handover", "referral"), title=EDGE_TYPES[edge_type])
names = orgs["name"].to_dict()
edge_table = edges.assign(source=edges["source"].map(names), target=edges["target"].map(names))
section(f"Organisation map: {EDGE_TYPES[edge_type].lower()}",
        "Each dot is an organisation (size: households it served in the period; colour: covenant group). "
        "A line joins two organisations; the thicker, the more households, handovers, referrals or joint "
        "consultations they share. The layout is fixed, so maps for different periods can be compared.",
        None, edge_table.set_index(["source", "target"]), key="map", audit=audit, actor=actor,
        what=f"collaboration_{edge_type}", filters=filters, page=orgmap)

metrics = orgs[["name", "sector", "households", "degree", "strength", "betweenness"]].sort_values(
    "betweenness", ascending=False)
top = metrics.head(12).set_index("name")[["betweenness"]].T
section("Brokers and hubs",
        "Degree: with how many partners an organisation has this tie. Strength: the sum of the tie counts. "
        "Betweenness: the share of shortest routes between two other organisations that run through this "
        "one; high values mark brokers (and possible bottlenecks). Counted over every tie, also ties too small "
        "to draw.", bars(top, y_title="betweenness"), metrics, key="metrics", audit=audit, actor=actor,
        what="collaboration_metrics",
        chart=lambda fmt: exports.bar_chart(top, title="Betweenness (brokers)", fmt=fmt, ylabel="betweenness"),
        filters=filters)

mand = orgs[orgs["mandates"] > 0][["name", "mandates", "advice", "adopted", "refused", "debated",
                                   "adopted_share"]].set_index("name")
if mand.empty:
    st.info("No mandates were granted in this period.")
else:
    advice = mand[["adopted", "refused", "debated"]].T
    section("Mandates and advice",
            "Mandates each organisation granted to the wijkcoaches, and how the coaches' expert advice under "
            "them was received: adopted one-to-one, refused, or debated. The adopted share is hidden when "
            "fewer than k advices were given.", bars(advice, barmode="stack", y_title="advices"), mand,
            key="mandates", audit=audit, actor=actor, what="collaboration_mandates",
            chart=lambda fmt: exports.bar_chart(advice, title="Advice under mandates", fmt=fmt,
                                                ylabel="advices"), filters=filters)

follow = view.followup.set_index("name").drop(columns=["organisation"])
if follow.empty:
    st.info("No referrals in this period.")
else:
    slow = follow[["median_days_to_start"]].dropna().sort_values("median_days_to_start", ascending=False)
    section("Referral follow-up (bottlenecks)",
            "For referrals to each organisation: the median number of days until the referral was accepted "
            "and until help actually started, and how many never started. Long waits mark bottlenecks.",
            bars(slow.head(12).T, y_title="median days to start") if len(slow) else None,
            follow, key="followup", audit=audit, actor=actor, what="collaboration_referrals",
            chart=(lambda fmt: exports.bar_chart(slow.head(12).T, title="Median days to start", fmt=fmt,
                                                 ylabel="days")) if len(slow) else None, filters=filters)
