"""The signals count in the sidebar (``app/Home.py``): unread signals of the signed-in user, read at most once a
minute per session (each read is audited as ``view_notices``, like the inbox page itself)."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from queries.access import NOTICE_ROLES, Actor

__all__ = ["detail_text", "forget_count", "sidebar_count", "unread_count"]

#: The values a threshold signal keeps (``ingest.pairing``), by their names in ``notice.detail.<kind>``.
_DETAIL_ARGS = {"casemanagers": ("count", "threshold"), "double_casemanager": ("count", "function"),
                "ping_pong": ("a", "b")}
_KEY = "notices_unread"  # (time read, count)
_EVERY = 60.0


def unread_count(actor: Actor, *, fresh: bool = False) -> int | None:
    """Unread signals of ``actor`` (``None``: a role without an inbox, or the read failed)."""
    from app.state import get_audit, get_db
    from app.ui import guarded
    from queries.notices import inbox

    if actor.role not in NOTICE_ROLES:
        return None
    kept = st.session_state.get(_KEY)
    if not fresh and kept is not None and time.monotonic() - kept[0] < _EVERY:
        return int(kept[1])
    from graph.settings import load_settings

    max_age = load_settings().snapshot_max_age  # as the lead's other pages (see queries.notices._lead_rows)
    entries = guarded(lambda: inbox(get_db(), get_audit(), actor, include_done=False, max_age_s=max_age))
    if entries is None:
        return None
    n = sum(1 for e in entries if e.status == "new")
    st.session_state[_KEY] = (time.monotonic(), n)
    return n


def detail_text(entry: Any, lang: str | None = None) -> str:
    """A threshold signal's sentence (:class:`queries.notices.NoticeEntry`) in the app's language, from the
    catalogue's ``notice.detail.<kind>`` and the values kept with the signal; a signal made before it kept
    them shows its stored Dutch sentence."""
    from app.catalogue import CATALOGUE
    from app.i18n import t

    key = f"notice.detail.{entry.kind}"
    names = _DETAIL_ARGS.get(entry.kind, ())
    if key in CATALOGUE and names and len(entry.args) == len(names):
        return t(key, lang=lang, **dict(zip(names, entry.args, strict=True)))
    return str(entry.detail or "")


def forget_count() -> None:
    """After a signal was marked: the next sidebar reads the count again."""
    st.session_state.pop(_KEY, None)


def sidebar_count(actor: Actor) -> None:
    """One line in the sidebar: how many signals are unread (nothing for a role without an inbox)."""
    n = unread_count(actor)
    if n is not None:
        st.markdown(f":material/notifications: **Signalen: {n} ongelezen**" if n else
                    ":material/notifications_none: Signalen: geen ongelezen")
