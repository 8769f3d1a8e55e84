"""Admin: the audit log — who saw a household, when and why; flagged access; is the log intact?"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from queries.access import AUDIT_ROLES, audit_action, require_role
from queries.audit import AuditCheck
from queries.audit_checkpoint import Checkpoint, graph_latest_checkpoint, latest_checkpoint
from queries.audit_review import review, who_saw

st.title("Audit log")
actor = current_actor()
if actor is None:
    st.stop()
audit = get_audit()
if guarded(lambda: require_role(audit, actor, "view_audit_log", *AUDIT_ROLES)) is None and \
        actor.role not in AUDIT_ROLES:
    st.stop()



def _check() -> AuditCheck:
    """The chain against the local checkpoint file and the graph's latest checkpoint."""
    found: list[tuple[str, Checkpoint]] = []
    if audit.checkpoint_file is not None and (local := latest_checkpoint(audit.checkpoint_file)) is not None:
        found.append((f"the checkpoint file {audit.checkpoint_file}", local))
    if (in_graph := graph_latest_checkpoint(get_db())) is not None:
        found.append(("the graph", in_graph))
    return audit.check(found)


checked = guarded(_check)
if checked is not None and checked.intact:
    st.success(" ".join(checked.summary()), icon=":material/verified:")
elif checked is not None:
    st.error("Het auditlog is gewijzigd — behandel dit als een beveiligingsincident:\n\n"
             + "\n".join(f"- {line}" for line in checked.summary()), icon=":material/gpp_bad:")

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
