"""The sign-in page: local accounts (user name + password) and, when configured, OpenID Connect.

Every attempt is audited (``sign_in`` ok / denied). In demo mode (``WIJKNET_DEMO_USERS=1``) the demo accounts
are created here when missing; their password is in ``<state dir>/demo-password`` and is never shown in the
browser.
"""

from __future__ import annotations

import streamlit as st

from app.auth import SignInFailed, demo_password_path, ensure_demo_users
from app.i18n import t
from app.session import access_point, get_store, oidc_configured, start_session
from app.state import get_audit, get_db
from app.ui import guarded

__all__ = ["sign_in_page"]

_ERROR = "wijknet_sign_in_error"


def _ensure_demo_users() -> None:
    from graph.settings import load_settings
    from queries.people import coach_ids

    settings = load_settings()
    if not settings.demo_users:
        return
    try:
        coaches = coach_ids(get_db())
    except Exception:  # no database yet: the staff accounts can still be made, coaches follow later
        coaches = []
    ensure_demo_users(get_store(), coaches, demo_password_path(settings.state_dir))


def _attempt(username: str, password: str) -> None:
    store = get_store()
    try:
        start_session(store.authenticate(username, password))
    except SignInFailed as exc:
        # the real reason (locked, unknown user …) goes to the audit log; the browser gets the one sentence
        get_audit().record(user=username.strip().lower()[:64], role="", organisation="", action="sign_in",
                           result="denied", detail=exc.reason, access_point=access_point())
        st.session_state[_ERROR] = str(exc)
        return
    st.session_state.pop(_ERROR, None)
    st.rerun()


def sign_in_page() -> None:
    st.title("wijknet")
    st.write(t("signin.intro"))
    guarded(_ensure_demo_users)
    if oidc_configured():
        from app.session import _OIDC_FAILED

        failed = st.session_state.get(_OIDC_FAILED)
        if failed:
            st.warning(failed, icon=":material/lock:")
        if st.button(t("signin.oidc"), type="primary", icon=":material/key:"):
            st.session_state.pop(_OIDC_FAILED, None)
            st.login()
        st.caption(t("signin.or_local"))
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input(t("signin.user"), autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.button"), type="primary")
    if submitted:
        guarded(lambda: _attempt(username, password))
    err = st.session_state.get(_ERROR)
    if err:
        st.error(err, icon=":material/lock:")
    from graph.settings import load_settings

    if load_settings().demo_users:
        st.caption(t("signin.demo"))

