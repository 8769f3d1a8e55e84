"""Admin: accounts and their live sessions — disable (ends every session at once), enable, revoke sessions.

Sessions past the idle timeout or the absolute lifetime (a browser closed without signing out) are ended when
the page is shown and not counted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.session import current_actor, get_store
from app.state import get_audit
from app.ui import guarded
from queries.access import AUDIT_ROLES, audit_action, require_role

st.title("Users")
actor = current_actor()
if actor is None:
    st.stop()
audit = get_audit()
if guarded(lambda: require_role(audit, actor, "view_users", *AUDIT_ROLES)) is None and \
        actor.role not in AUDIT_ROLES:
    st.stop()
store = get_store()

# Browsers closed without signing out: their sessions end here (and at every sign-in); only live ones count.
guarded(store.end_expired)
open_sessions: dict[str, int] = {}
for s in store.sessions(live_only=True):
    open_sessions[s.username] = open_sessions.get(s.username, 0) + 1
accounts = store.list_users()
st.dataframe(pd.DataFrame([{
    "user": a.username, "role": a.role.value, "organisation": a.organisation, "coach id": a.professional_id,
    "e-mail (OIDC)": a.email, "disabled": a.disabled, "demo": a.demo, "open sessions": open_sessions.get(a.username, 0),
} for a in accounts]), hide_index=True, width="stretch")

st.subheader("Change an account")
names = [a.username for a in accounts if a.username != actor.user]
if names:
    who = st.selectbox("Account", names)
    c1, c2, c3 = st.columns(3)
    if c1.button("Disable (ends all sessions)", icon=":material/block:"):
        guarded(lambda: (store.set_disabled(who, True), audit_action(audit, actor, "user_disable", target=who)))
        st.rerun()
    if c2.button("Enable", icon=":material/check_circle:"):
        guarded(lambda: (store.set_disabled(who, False), audit_action(audit, actor, "user_enable", target=who)))
        st.rerun()
    if c3.button("End all sessions", icon=":material/logout:"):
        guarded(lambda: audit_action(audit, actor, "session_revoke", target=who,
                                     detail=f"{store.revoke_sessions(who, 'revoked by admin')} sessions"))
        st.rerun()
st.caption("New accounts: `wijknet users add <name> --role …` (the password is typed at the console, never in "
           "the browser). With OpenID Connect, add the account with `--email` and `--no-password`.")
