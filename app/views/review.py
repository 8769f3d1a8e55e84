"""Review duplicates (data steward, admin): possible duplicate persons (same name + birth date, not two
different BSNs). Only pseudonymous ids are shown; every decision is audited and recorded with who and when."""

from __future__ import annotations

import streamlit as st

from app.state import get_audit
from app.ui import guarded, page_actor
from graph.settings import load_settings
from ingest.resolve import StateStore
from queries.access import Role, audit_action

actor = page_actor("Review duplicates", "review_page", Role.DATA_STEWARD, Role.ADMIN)

store = StateStore(load_settings().state_dir / "ingest.sqlite")
status = st.segmented_control("Show", ["open", "accepted", "rejected"], default="open") or "open"
items = store.review_items(status)
audit_action(get_audit(), actor, "review_list", detail=f"status={status} items={len(items)}")
if not items:
    st.info(f"No {status} possible duplicates.")
for item in items:
    with st.container(border=True):
        st.write(f"**#{item.id}** `{item.person_a}` and `{item.person_b}` — {item.reason}")
        if item.status == "open":
            c1, c2 = st.columns(2)
            for col, accept, label in ((c1, True, "Same person"), (c2, False, "Different people")):
                if col.button(label, key=f"{item.id}-{accept}"):
                    def decide(i: int = item.id, a: bool = accept) -> None:
                        audit_action(get_audit(), actor, "review_decide", target=f"review-{i}",
                                     detail="accepted" if a else "rejected")
                        store.decide(i, a, actor.user)

                    guarded(decide)
                    st.rerun()
        else:
            st.caption(f"{item.status} by {item.decided_by} at {item.decided_at}")
