"""The signals count in the sidebar (``app/Home.py``): unread signals of the signed-in user, read at most once a
minute per session (each read is audited as one ``count_notices`` record under the reader; the inbox page is a
look at each household, ``view_notices``)."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from queries.access import NOTICE_ROLES, Actor

__all__ = ["ASK_AGAIN_S", "PENDING", "detail_text", "forget_count", "kind_title", "own_work", "read_inbox",
           "sidebar_count", "signals_wait_s", "status_label", "unread_count"]

#: The values a threshold signal keeps (``ingest.pairing``), by their names in ``notice.detail.<kind>``.
_DETAIL_ARGS = {"casemanagers": ("count", "threshold"), "double_casemanager": ("count", "function"),
                "ping_pong": ("a", "b")}
_KEY = "notices_unread"  # (time read, count)
_EVERY = 60.0


ASK_AGAIN_S = 3.0  # how often the sidebar asks again meanwhile
_FIRST = "notices_pending_first"  # set by the run that found the count pending: its fragment does not ask again
_SETTLED = "notices_pending_settled"  # the count the fragment got: its later runs (every few seconds) only draw it


def signals_wait_s() -> float:
    """How long a page waits for the project lead's threshold signals to be derived (the first time in a process,
    or once the kept ones are too old) before it says they are being counted and asks again by itself
    (``WIJKNET_SIGNALS_WAIT``)."""
    from graph.settings import load_settings

    return float(load_settings().signals_wait)


class _Pending:
    """The count is being worked out (the project lead's threshold signals are being derived)."""


PENDING = _Pending()


def read_inbox(actor: Actor, *, include_done: bool) -> list[Any]:
    """The actor's signals as the pages read them (audited): the lead's threshold signals may lag a change of the
    graph as the lead's other pages may (``WIJKNET_SNAPSHOT_MAX_AGE``, derived again in the background meanwhile),
    and are waited for at most :func:`signals_wait_s` (then :class:`graph.errors.BeingComputed`)."""
    from app.state import get_audit, get_db
    from graph.settings import load_settings
    from queries.notices import inbox

    return inbox(get_db(), get_audit(), actor, include_done=include_done,
                 max_age_s=load_settings().snapshot_max_age, wait_s=signals_wait_s())


def unread_count(actor: Actor, *, fresh: bool = False) -> int | _Pending | None:
    """Unread signals of ``actor`` (``None``: a role without an inbox, or the read failed; :data:`PENDING`: the
    lead's threshold signals are still being derived, for longer than :func:`signals_wait_s`)."""
    from app.ui import guarded
    from graph.errors import BeingComputed

    if actor.role not in NOTICE_ROLES:
        return None
    kept = st.session_state.get(_KEY)
    if not fresh and kept is not None and time.monotonic() - kept[0] < _EVERY:
        return int(kept[1])

    def read() -> int | _Pending:
        from app.state import get_audit, get_db
        from graph.settings import load_settings
        from queries.notices import unread_notice_count

        try:
            return unread_notice_count(get_db(), get_audit(), actor, max_age_s=load_settings().snapshot_max_age,
                                       wait_s=signals_wait_s())
        except BeingComputed:
            return PENDING

    n = guarded(read)
    if n is None or isinstance(n, _Pending):
        return n
    st.session_state[_KEY] = (time.monotonic(), n)
    return n


def kind_title(kind: str, fallback: str | None = None) -> str:
    """A kind of signal by its title in the app's language (``notice.kind.<kind>``); one the catalogue does not
    know by ``fallback`` (the entry's stored title), else by its code. The inbox page and ``signals list``."""
    from app.i18n import has, t

    return t(f"notice.kind.{kind}") if has(f"notice.kind.{kind}") else fallback or kind


def status_label(status: str) -> str:
    """A signal's status in the app's language (``notice.status.<status>``), else as stored."""
    from app.i18n import has, t

    return t(f"notice.status.{status}") if has(f"notice.status.{status}") else status


def detail_text(entry: Any, lang: str | None = None) -> str:
    """A threshold signal's sentence (:class:`queries.notices.NoticeEntry`) in the app's language, from the
    catalogue's ``notice.detail.<kind>`` and the values kept with the signal; a signal made before it kept
    them shows its stored Dutch sentence."""
    from app.catalogue import CATALOGUE
    from app.i18n import t

    key = f"notice.detail.{entry.kind}"
    names = _DETAIL_ARGS.get(entry.kind, ())
    if entry.kind == "double_casemanager" and len(entry.args) == 1:  # the project lead's: without the function
        key, names = "notice.detail.double_casemanager_unnamed", ("count",)
    if key in CATALOGUE and names and len(entry.args) == len(names):
        return t(key, lang=lang, **dict(zip(names, entry.args, strict=True)))
    return str(entry.detail or "")


def own_work(entry: Any, lang: str | None = None) -> str:
    """A partner professional's own involvements a card is about (:class:`queries.notices.NoticeEntry` ``own``),
    in words — organisation, life domain, since — never their ids."""
    from app.dates import dmy
    from app.i18n import code_label, t

    return "; ".join(t("inbox.own_one", lang=lang, organisation=o or t("common.unknown", lang=lang),
                       domain=code_label("life_domain", d, lang=lang), date=dmy(since) if since else "?")
                     for o, d, since in entry.own)


def forget_count() -> None:
    """After a signal was marked: the next sidebar reads the count again."""
    st.session_state.pop(_KEY, None)


def sidebar_count(actor: Actor) -> None:
    """One line in the sidebar: how many signals are unread (nothing for a role without an inbox). While the
    project lead's threshold signals are being derived, it says so and asks again every few seconds by itself
    (a fragment: the page itself is not run again)."""
    st.session_state.pop(_SETTLED, None)
    n = unread_count(actor)
    if isinstance(n, _Pending):
        st.session_state[_FIRST] = True
        st.fragment(_count_again, run_every=ASK_AGAIN_S)(actor)
    else:
        _count_line(n)


def _count_again(actor: Actor) -> None:
    if st.session_state.pop(_FIRST, False):  # the run that just found it pending
        _count_line(PENDING)
        return
    n = st.session_state.get(_SETTLED)
    if n is None:  # still being counted: ask again (each read audited); once there, it is only drawn again
        n = unread_count(actor)
        if isinstance(n, int):
            st.session_state[_SETTLED] = n
    _count_line(n)


def _count_line(n: int | _Pending | None) -> None:
    from app.i18n import num, t

    if isinstance(n, _Pending):
        st.markdown(":material/hourglass_top: " + t("inbox.counting"))
    elif n is not None:
        st.markdown(":material/notifications: " + t("inbox.sidebar_unread", n=num(n)) if n else
                    ":material/notifications_none: " + t("inbox.sidebar_none"))
