"""Admin: the audit log — who saw a household, when and why; flagged access; is the log intact?"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from app.session import current_actor
from app.state import get_audit
from app.ui import guarded
from queries.access import AUDIT_ROLES, audit_action, require_role
from queries.audit_review import review, who_saw

st.title("Audit log")
actor = current_actor()
if actor is None:
    st.stop()
audit = get_audit()
if guarded(lambda: require_role(audit, actor, "view_audit_log", *AUDIT_ROLES)) is None and \
        actor.role not in AUDIT_ROLES:
    st.stop()

broken = guarded(audit.verify)
if broken is None:
    seq, head = audit.head()
    st.success(f"The hash chain is intact: {seq:,} records (head `{head[:16]}…`).", icon=":material/verified:")
else:
    st.error(f"The audit log was altered at or before record {broken}: treat this as a security incident.",
             icon=":material/gpp_bad:")

who, flags, everything = st.tabs(["Who saw a household", "Flagged access", "All records"])
with who:
    target = st.text_input("Household id", placeholder="HH-…").strip()
    names = st.checkbox("Show staff user names (only when the data subject needs them)")
    if target:
        def _who() -> list[dict[str, str]]:
            audit_action(audit, actor, "audit_who_saw", target=target, purpose="data_subject_request")
            return [r for r in who_saw(audit.records(target=target), target, with_names=names)
                    if r["action"] != "audit_who_saw"]

        rows = guarded(_who)
        if rows is not None:
            if rows:
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            else:
                st.info(f"Nobody has looked at {target}.")
with flags:
    threshold = st.number_input("Flag users refused this many households outside their caseload", 1, 50, 3)
    if st.button("Run the review", type="primary"):
        def _review() -> list[dict[str, str]]:
            found = review(audit.records(), outside_caseload_threshold=int(threshold))
            audit_action(audit, actor, "audit_review", purpose="log_review", detail=f"{len(found)} flags")
            return [asdict(f) for f in found]

        found = guarded(_review)
        if found is not None:
            if found:
                st.dataframe(pd.DataFrame(found), hide_index=True, width="stretch")
            else:
                st.success("No unusual access found.")
with everything:
    user = st.text_input("Only this user").strip() or None
    limit = st.slider("Most recent records", 50, 5000, 500, step=50)

    def _all() -> pd.DataFrame:
        audit_action(audit, actor, "view_audit_log", purpose="log_review", detail=f"user={user or '*'}")
        rows = [asdict(r) for r in audit.records(user=user)]
        return pd.DataFrame(rows[-limit:][::-1])

    df = guarded(_all)
    if df is not None:
        st.dataframe(df, hide_index=True, width="stretch")
