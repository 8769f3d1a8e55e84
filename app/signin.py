"""The sign-in page: local accounts (user name + password) and, when configured, OpenID Connect.

Every attempt is audited (``sign_in`` ok / denied). In demo mode (``WIJKNET_DEMO_USERS=1``, and only while no
real file has been imported) the demo accounts are created here when missing; their password is in
``<state dir>/demo-password`` and is never shown in the browser.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.auth import SignInFailed, UserStore, demo_password_path, ensure_demo_users
from app.i18n import t
from app.session import access_point, client_address, get_store, oidc_configured, start_session
from app.state import get_audit, get_db
from app.ui import guarded
from graph.db import Database

__all__ = ["ensure_demo_accounts", "sign_in_page"]

_ERROR = "wijknet_sign_in_error"


def ensure_demo_accounts(db: Database, store: UserStore, password_file: Path) -> list[str]:
    """Create the missing demo accounts (coach1.. for the coaches in ``db``); the names created now. None while
    the import ledger knows a real file (:func:`ingest.demo.demo_allowed`): demo accounts never sign in to a
    municipality's real data."""
    from ingest.demo import demo_allowed
    from queries.people import coach_ids

    if not demo_allowed(db):
        return []
    return ensure_demo_users(store, coach_ids(db), password_file)[1]


def _demo_mode() -> bool:
    """Demo accounts are on (WIJKNET_DEMO_USERS) and the database holds no real imported file. Without a database
    nothing is known about real data, so no demo account is made (they follow at the next start)."""
    from graph.settings import load_settings
    from ingest.demo import demo_allowed

    if not load_settings().demo_users:
        return False
    try:
        return demo_allowed(get_db())
    except Exception:  # no database yet
        return False


def _ensure_demo_users() -> None:
    """The missing demo accounts, made once :func:`_demo_mode` said yes (the ledger is not asked again)."""
    from graph.settings import load_settings
    from queries.people import coach_ids

    db = get_db()
    ensure_demo_users(get_store(), coach_ids(db), demo_password_path(load_settings().state_dir))


def _attempt(username: str, password: str) -> None:
    store = get_store()
    try:
        start_session(store.authenticate(username, password, address=client_address()))
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
    demo = _demo_mode()  # asked once per run: it reads the import ledger
    if demo:
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
    if demo:
        st.caption(t("signin.demo"))

