"""Signalen: the inbox of a coach, a partner professional or the project lead (``queries.notices``).

A signal says *that* someone else is involved (organisation, professional, function, life domain, since when, how
to reach them) or that a household reached a threshold — never *what*. Unread first; a signal can be marked read,
unread or done; a coach opens the household from it (the coach page, ``?household=…``). Every read is audited.

A project lead of a city has well over a thousand signals: they are shown :data:`PAGE_SIZE` at a time (each is a
card with its buttons; all at once took a minute to draw), with a filter by kind when there is more than one.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from app.catalogue import CATALOGUE
from app.dates import dmy
from app.i18n import code_label, num, page_title, plural, t
from app.nav import PAGES_DIR, not_permitted
from app.notices_ui import detail_text, forget_count, kind_title, own_work, read_inbox, status_label
from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from queries.access import NOTICE_ROLES, Actor, Role
from queries.notices import NoticeEntry, mark_notice


def _widget(key: str) -> str:
    """A signal's buttons' key: a digest of the signal's key, which names what it is about (a function, two
    organisations) and would stand in the page's HTML as the buttons' class."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _mark(actor: Actor, key: str, status: str) -> None:
    guarded(lambda: mark_notice(get_db(), get_audit(), actor, key, status))
    forget_count()


_GO = "inbox_open_household"  # the household a signal's button chose; the page switches on the next line it runs


def _open_household(actor: Actor, entry: NoticeEntry) -> None:
    if entry.status == "new":
        _mark(actor, entry.key, "read")
    st.session_state[_GO] = entry.household_id or ""


def _domain(d: str | None) -> str:
    return code_label("life_domain", d)


def _who(e: NoticeEntry) -> str:
    parts = [e.other_organisation, e.other_professional, e.other_function]
    if len(e.other_life_domains) > 1:  # a partner's card: every life domain the other professional works in
        parts.append(t("inbox.life_domains", domains=", ".join(_domain(d) for d in e.other_life_domains)))
    elif e.other_life_domain:
        parts.append(t("inbox.life_domain", domain=_domain(e.other_life_domain)))
    if e.other_since:
        parts.append(t("common.since", date=dmy(e.other_since)))
    return " · ".join(p for p in parts if p)


def _entry(actor: Actor, e: NoticeEntry) -> None:
    box: Any = st.container(border=True)
    unread = e.status == "new"
    title = kind_title(e.kind, e.title)
    head = f"**{title}**" if unread else title
    where = t("inbox.household", id=e.household_id) if e.household_id else ""
    if e.own and actor.role == Role.PARTNER:
        where = t("inbox.own", work=own_work(e))
    box.markdown(f"{':material/fiber_new: ' if unread else ''}{head}{where} — {dmy(e.day)}" if e.day
                 else f"{head}{where}")
    if e.kind in ("match", "new_involvement"):
        box.write(_who(e))
        if e.contact:
            box.caption(t("inbox.contact", contact=e.contact))
    else:
        box.write(detail_text(e))
    box.caption(t("inbox.status", status=status_label(e.status)))
    cols = box.columns(3)
    if actor.role == Role.COACH and e.household_id:
        cols[0].button(t("inbox.open"), key=f"open-{_widget(e.key)}", on_click=_open_household, args=(actor, e),
                       icon=":material/family_restroom:")
    if unread:
        cols[1].button(t("inbox.mark_read"), key=f"read-{_widget(e.key)}", on_click=_mark, args=(actor, e.key, "read"))
    else:
        cols[1].button(t("inbox.mark_unread"), key=f"unread-{_widget(e.key)}", on_click=_mark, args=(actor, e.key, "new"))
    if e.status != "done":
        cols[2].button(t("inbox.done"), key=f"done-{_widget(e.key)}", on_click=_mark, args=(actor, e.key, "done"),
                       icon=":material/done:")


#: signals per page
PAGE_SIZE = 20
_PAGE = "inbox-page"


def _turn(step: int) -> None:
    st.session_state[_PAGE] = max(0, int(st.session_state.get(_PAGE, 0)) + step)


def _first_page() -> None:
    st.session_state[_PAGE] = 0


def _shown(entries: list[NoticeEntry]) -> list[NoticeEntry]:
    """The entries of the chosen kind and page, with the filter and the page's position drawn above them."""
    kinds: dict[str, int] = {}
    for e in entries:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    if len(kinds) > 1:
        chosen = st.pills(t("inbox.kind"), sorted(kinds, key=kind_title), selection_mode="single",
                          format_func=lambda k: f"{kind_title(k)} ({num(kinds[k])})", key="inbox-kind",
                          on_change=_first_page)
        if chosen:
            entries = [e for e in entries if e.kind == chosen]
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(int(st.session_state.get(_PAGE, 0)), pages - 1)
    st.session_state[_PAGE] = page
    if pages > 1:
        first, last = page * PAGE_SIZE + 1, min(len(entries), (page + 1) * PAGE_SIZE)
        c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="center")
        c1.button(t("inbox.previous"), icon=":material/chevron_left:", disabled=page == 0, on_click=_turn,
                  args=(-1,), key="inbox-previous")
        c2.markdown(t("inbox.position", first=num(first), last=num(last), n=num(len(entries)), page=num(page + 1),
                      pages=num(pages)))
        c3.button(t("inbox.next"), icon=":material/chevron_right:", disabled=page == pages - 1, on_click=_turn,
                  args=(1,), key="inbox-next")
    return entries[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]


def main() -> None:
    st.title(page_title("inbox"))
    actor = current_actor()
    if actor is None:
        st.stop()
    if actor.role not in NOTICE_ROLES:
        not_permitted("inbox")
    go = st.session_state.pop(_GO, None)
    if go:  # the coach page opens (and audits) the household from its URL, as from any link
        st.switch_page(str(PAGES_DIR / "coach.py"), query_params={"household": go})
    st.caption(t("inbox.caption"))
    show_done = st.toggle(t("inbox.show_done"), key="inbox-done")
    # while the lead's threshold signals are being derived the page says so and asks again (docs/signals.md)
    entries = guarded(lambda: read_inbox(actor, include_done=show_done))
    if entries is None:
        st.stop()
    # a threshold signal is read on the day of the last matched load (its date), the overview on its own date
    days = {e.read_on for e in entries if e.kind not in ("match", "new_involvement") and e.read_on is not None}
    if actor.role == Role.PROJECT_LEAD and days:
        st.caption(t("inbox.thresholds_vs_overview", day=dmy(max(days))))
    unread = sum(1 for e in entries if e.status == "new")
    st.markdown(plural(len(entries), "inbox.counts_one", "inbox.counts", unread=num(unread)))
    if not entries:
        when = t(f"inbox.when.{actor.role}") if f"inbox.when.{actor.role}" in CATALOGUE else ""
        st.info(t("inbox.none", when=when) if show_done else t("inbox.none_open", when=when),
                icon=":material/notifications_none:")
    for e in _shown(entries):
        _entry(actor, e)


main()
