"""Review duplicates (data steward, admin): possible duplicate persons (same name + birth date, not two
different BSNs). Only pseudonymous ids are shown; every decision goes through the audited write entry (role
checked, audit record written before the decision) and is recorded with who and when.

*Same person* merges the two Person nodes in the graph (:func:`ingest.merge.accept`: relationships move to the
survivor with their properties and source) and shows what moved; *Different people* records the decision, so
the pair is never proposed again."""

from __future__ import annotations

import streamlit as st

from app.i18n import page_title, say, t
from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.settings import load_settings
from ingest.merge import accept, reject
from ingest.resolve import StateStore
from queries.access import audit_action, write_roles

actor = page_actor(page_title("review"), "review_page", *write_roles("merge_accept"))

store = StateStore(load_settings().state_dir / "ingest.sqlite")
done = st.session_state.pop("review_result", None)
if done:
    st.success(done)
status = st.segmented_control(t("review.show"), ["open", "accepted", "rejected"], default="open",
                              format_func=lambda s: t(f"review.status_{s}")) or "open"
items = store.review_items(status)
merged = {m[2]: m for m in store.merges()}
audit_action(get_audit(), actor, "review_list", detail=f"status={status} items={len(items)}")
if not items:
    st.info(t(f"review.none_{status}"))


def review_reason(stored: str) -> str:
    """Why the pair was proposed, in words (the side store keeps the ingest's English phrase)."""
    return t("review.reason_name_birth") if stored == "same name and birth date" else stored


for item in items:
    with st.container(border=True):
        st.write(t("review.item", n=item.id, a=item.person_a, b=item.person_b, reason=review_reason(item.reason)))
        if item.status == "open":
            c1, c2 = st.columns(2)
            for col, same, label in ((c1, True, t("review.same")), (c2, False, t("review.different"))):
                if col.button(label, key=f"{item.id}-{same}"):
                    def decide(i: int = item.id, a: bool = same) -> str:
                        try:
                            if a:
                                return t("review.accepted", n=i) + say(
                                    accept(get_db(), get_audit(), actor, store, i).summary())
                            reject(get_audit(), actor, store, i)
                        except KeyError:  # a double click, or another steward was quicker
                            return t("review.already", n=i)
                        return t("review.rejected", n=i)

                    result = guarded(decide)
                    if result is not None:
                        st.session_state["review_result"] = result
                        st.rerun()
        else:
            m = merged.get(item.id)
            st.caption(t("review.decided", status=t(f"review.status_{item.status}"), by=item.decided_by,
                         at=item.decided_at) + (t("review.merged", a=m[0], b=m[1]) if m else ""))
