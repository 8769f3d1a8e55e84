"""Admin: accounts and their live sessions — disable (ends every session at once), enable, revoke sessions; the
actions that end someone's access ask first, and every change goes through the audited write entry
(:mod:`app.accounts`).

Sessions past the idle timeout or the absolute lifetime (a browser closed without signing out) are ended when
the page is shown and not counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from app.accounts import disable_account, enable_account, end_sessions, unlock_account
from app.dates import dmy_time
from app.i18n import page_title, plural, role_label, t
from app.session import current_actor, get_store
from app.state import get_audit
from app.ui import guarded
from queries.access import AUDIT_ROLES, audit_action, require_role

st.title(page_title("users"))
actor = current_actor()
if actor is None:
    st.stop()
audit = get_audit()
if guarded(lambda: require_role(audit, actor, "view_users", *AUDIT_ROLES)) is None and \
        actor.role not in AUDIT_ROLES:
    st.stop()
store = get_store()
# The accounts (names, e-mail addresses, sessions) are read only once the look is audited (as `wijknet users list`
# audits its list); nothing is shown when it cannot be.
if not guarded(lambda: audit_action(audit, actor, "view_users", purpose="user_management") or True):
    st.stop()

# Browsers closed without signing out: their sessions end here (and at every sign-in); only live ones count.
guarded(store.end_expired)
open_sessions: dict[str, int] = {}
for s in store.sessions(live_only=True):
    open_sessions[s.username] = open_sessions.get(s.username, 0) + 1
accounts = store.list_users()
locked = store.locked()  # by five wrong passwords: refused, even with the right one, until then
st.dataframe(pd.DataFrame([{
    t("col.user"): a.username, t("col.role"): role_label(a.role), t("col.organisation"): a.organisation or "",
    t("users.coach_link"): t("common.yes") if a.professional_id else "", t("users.email"): a.email or "",
    t("users.disabled"): t("common.yes") if a.disabled else "", t("users.locked"): dmy_time(locked.get(a.username)),
    t("users.demo"): t("common.yes") if a.demo else "",
    t("users.live"): open_sessions.get(a.username, 0),
} for a in accounts]), hide_index=True, width="stretch")


_PENDING = "users_pending_confirmation"  # (action, account) asked about; kept until confirmed or cancelled
_DONE = "users_done"  # the sentence that says what the last action did, shown once after its rerun
_ASK = {
    "disable": ("users.ask_disable", "users.disable_consequence", "users.yes_disable", disable_account),
    "end_sessions": ("users.ask_end", "users.end_consequence", "users.yes_end", end_sessions),
}
_SAID = {"disable": "users.done_disable", "end_sessions": "users.done_end", "enable": "users.done_enable",
         "unlock": "users.done_unlock"}


def _act(action: str, who: str, act: Callable[..., Any]) -> bool:
    """Run ``act`` on ``who`` (through the audited write entry); done, the sentence that says so is shown after the
    rerun (the buttons gave no sign that anything happened). Refused, the reason stays on the page (no rerun)."""
    done = guarded(lambda: (act(audit, actor, store, who),))
    if done is None:
        return False
    n = done[0] if isinstance(done[0], int) else 0
    st.session_state[_DONE] = plural(n, f"{_SAID[action]}_one", _SAID[action], who=who) \
        if action == "end_sessions" else t(_SAID[action], who=who)
    return True


def _dismissed() -> None:
    st.session_state.pop(_PENDING, None)  # closed with its X or Esc: the same as Cancel


@st.dialog(t("users.confirm"), on_dismiss=_dismissed)
def _confirm(action: str, who: str) -> None:
    """Ask before an action that ends someone's access; the action runs through the audited write entry."""
    question, consequence, label, act = _ASK[action]
    st.markdown(t(question, who=who))
    st.caption(t(consequence))
    with st.container(horizontal=True):
        confirmed = st.button(t(label), type="primary")
        cancelled = st.button(t("users.cancel"))
    if confirmed:
        st.session_state.pop(_PENDING, None)
        if _act(action, who, act):
            st.rerun()
    if cancelled:
        st.session_state.pop(_PENDING, None)
        st.rerun()


st.subheader(t("users.change"))
names = [a.username for a in accounts if a.username != actor.user]
if names:
    who = st.selectbox(t("users.account"), names)
    off = next((a.disabled for a in accounts if a.username == who), False)
    # side by side as wide as their labels, on a next line when the page is narrow (in three equal columns the
    # labels were cut off at 1024 pixels); only the one of disable and enable that changes the account can be clicked
    with st.container(horizontal=True):
        disable = st.button(t("users.disable"), icon=":material/block:", disabled=off)
        enable = st.button(t("users.enable"), icon=":material/check_circle:", disabled=not off)
        unlock = st.button(t("users.unlock"), icon=":material/lock_open:", disabled=who not in locked)
        end_all = st.button(t("users.end_all"), icon=":material/logout:")
    if (said := st.session_state.pop(_DONE, None)) is not None:
        st.success(said, icon=":material/check:")
    if disable:
        st.session_state[_PENDING] = ("disable", who)
    if enable and _act("enable", who, enable_account):
        st.rerun()
    if unlock and _act("unlock", who, unlock_account):
        st.rerun()
    if end_all:
        st.session_state[_PENDING] = ("end_sessions", who)
    if st.session_state.get(_PENDING):
        _confirm(*st.session_state[_PENDING])
st.caption(t("users.new"))
