"""Signalen: the inbox of a coach, a partner professional or the project lead (``queries.notices``).

A signal says *that* someone else is involved (organisation, professional, function, life domain, since when, how
to reach them) or that a household reached a threshold — never *what*. Unread first; a signal can be marked read,
unread or done; a coach opens the household from it (the coach page, ``?household=…``). Every read is audited.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.nav import PAGES_DIR, not_permitted
from app.notices_ui import forget_count
from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from queries.access import NOTICE_ROLES, Actor, Role
from queries.notices import NOTICE_STATUSES, NoticeEntry, inbox, mark_notice


def _mark(actor: Actor, key: str, status: str) -> None:
    guarded(lambda: mark_notice(get_db(), get_audit(), actor, key, status))
    forget_count()


_GO = "inbox_open_household"  # the household a signal's button chose; the page switches on the next line it runs


def _open_household(actor: Actor, entry: NoticeEntry) -> None:
    if entry.status == "new":
        _mark(actor, entry.key, "read")
    st.session_state[_GO] = entry.household_id or ""


def _domain(d: str | None) -> str:
    return (d or "").replace("_", " ").lower()


def _who(e: NoticeEntry) -> str:
    parts = [e.other_organisation, e.other_professional, e.other_function]
    if e.other_life_domain:
        parts.append(f"leefgebied {_domain(e.other_life_domain)}")
    if e.other_since:
        parts.append(f"sinds {e.other_since:%d-%m-%Y}")
    return " · ".join(p for p in parts if p)


def _entry(actor: Actor, e: NoticeEntry) -> None:
    box: Any = st.container(border=True)
    unread = e.status == "new"
    head = f"**{e.title}**" if unread else e.title
    where = f" · huishouden {e.household_id}" if e.household_id else ""
    if e.own_involvement and actor.role == Role.PARTNER:
        where = f" · over uw betrokkenheid {e.own_involvement} ({_domain(e.own_life_domain)})"
    box.markdown(f"{':material/fiber_new: ' if unread else ''}{head}{where} — "
                 f"{e.day:%d-%m-%Y}" if e.day else f"{head}{where}")
    if e.kind in ("match", "new_involvement"):
        box.write(_who(e))
        if e.contact:
            box.caption(f"Contact: {e.contact}")
    else:
        box.write(e.detail or "")
    box.caption(f"Status: {NOTICE_STATUSES.get(e.status, e.status)}")
    cols = box.columns(3)
    if actor.role == Role.COACH and e.household_id:
        cols[0].button("Open huishouden", key=f"open-{e.key}", on_click=_open_household, args=(actor, e),
                       icon=":material/family_restroom:")
    if unread:
        cols[1].button("Markeer als gelezen", key=f"read-{e.key}", on_click=_mark, args=(actor, e.key, "read"))
    else:
        cols[1].button("Markeer als ongelezen", key=f"unread-{e.key}", on_click=_mark, args=(actor, e.key, "new"))
    if e.status != "done":
        cols[2].button("Afgehandeld", key=f"done-{e.key}", on_click=_mark, args=(actor, e.key, "done"),
                       icon=":material/done:")


def main() -> None:
    st.title("Signalen")
    actor = current_actor()
    if actor is None:
        st.stop()
    if actor.role not in NOTICE_ROLES:
        not_permitted("inbox")
    go = st.session_state.pop(_GO, None)
    if go:  # the coach page opens (and audits) the household from its URL, as from any link
        st.switch_page(str(PAGES_DIR / "coach.py"), query_params={"household": go})
    st.caption("Wie er nog meer betrokken is en hoe u diegene bereikt — nooit wat er is vastgelegd. Signalen "
               "vervallen na de bewaartermijn. Het bekijken wordt gelogd.")
    show_done = st.toggle("Ook afgehandelde signalen tonen", key="inbox-done")
    entries = guarded(lambda: inbox(get_db(), get_audit(), actor, include_done=show_done))
    if entries is None:
        st.stop()
    unread = sum(1 for e in entries if e.status == "new")
    st.markdown(f"**{unread} ongelezen** · {len(entries)} signalen")
    if not entries:
        st.info("Er zijn geen signalen voor u.", icon=":material/notifications_none:")
    for e in entries:
        _entry(actor, e)


main()
