"""Review duplicates (data steward, admin): possible duplicate persons (same name + birth date, not two
different BSNs). Persons by their pseudonym; every decision goes through the audited write entry (role checked,
audit record written before the decision) and is recorded with who and when.

Each pair is shown with what the steward judges it by: why it was proposed and when, and per person the sources
that registered it, whether one of them gave a BSN, and for an open pair the birth year, the households and
client systems (postcode and house number, role, since) and the involvements (:mod:`queries.review`: what the
steward also sees in the source files; never the name, birth date or BSN itself).
*Same person* asks first — a merge cannot be undone — and on *Yes, merge* merges the two Person nodes in the graph
(:func:`ingest.merge.accept`: relationships move to the survivor with their properties and source) and shows
what moved; *Different people* records the decision at once, so the pair is never proposed again."""

from __future__ import annotations

import streamlit as st

from app.dates import dmy, dmy_time, stored_moment
from app.i18n import literal_md, page_title, plural, say, t
from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.settings import load_settings
from ingest.merge import accept, reject
from ingest.resolve import ReviewItem, StateStore
from queries.access import audit_action, write_roles
from queries.review import ReviewPerson, ReviewTie, review_persons

actor = page_actor(page_title("review"), "review_page", *write_roles("merge_accept"))

store = StateStore(load_settings().state_dir / "ingest.sqlite")
done = st.session_state.pop("review_result", None)
if done:
    st.success(done)
status = st.segmented_control(t("review.show"), ["open", "accepted", "rejected"], default="open",
                              format_func=lambda s: t(f"review.status_{s}")) or "open"
items = store.review_items(status)
merged = {m[2]: m for m in store.merges()}
audit_action(get_audit(), actor, "review_list", detail=f"status={status} items={len(items)}")
if not items:
    st.info(t(f"review.none_{status}"))


def review_reason(stored: str) -> str:
    """Why the pair was proposed, in words (the side store keeps the ingest's English phrase)."""
    return t("review.reason_name_birth") if stored == "same name and birth date" else stored


def _moment(stored: str | None) -> str:
    """A moment the side store kept (ISO, UTC) as the pages say one: ``dd-mm-jjjj hh:mm``, Dutch time."""
    return dmy_time(moment) if (moment := stored_moment(stored)) else stored or ""


def _persons(shown: list[ReviewItem]) -> dict[str, ReviewPerson]:
    """What the open pairs' persons are judged by (read, and audited, once per list shown, not per rerun)."""
    ids = tuple(sorted({p for i in shown if i.status == "open" for p in (i.person_a, i.person_b)}))
    if not ids:  # decided pairs: one of their persons is gone
        return {}
    kept = st.session_state.get("review_persons")
    if kept is not None and kept[0] == (actor.user, ids):
        return dict(kept[1])
    found = guarded(lambda: review_persons(get_db(), get_audit(), actor, ids))
    if found is None:
        return {}
    st.session_state["review_persons"] = ((actor.user, ids), found)
    return found


def _tie(key: str, tie: ReviewTie) -> str:
    period = t("review.from_to", since=dmy(tie.since), until=dmy(tie.until)) if tie.until else \
        t("review.since", since=dmy(tie.since)) if tie.since else ""
    return t(key, address=literal_md(tie.address), household=tie.household_id,
             role=literal_md(tie.role or t("common.unknown")), period=period).rstrip(", ")


def person_line(person: str, known: dict[str, ReviewPerson]) -> str:
    """One person of a pair as the steward may see it: the pseudonym, the sources, whether a BSN was given, and for
    an open pair the birth year, the households and client systems with address and role, the involvements."""
    sources = ", ".join(store.person_sources(person)) or t("common.unknown")
    line = t("review.person", id=person, sources=sources,
             bsn=t("review.with_bsn" if store.has_bsn(person) else "review.without_bsn"))
    p = known.get(person)
    if p is None:
        return line
    facts = [t("review.born", year=p.birth_year)] if p.birth_year else []
    facts += [_tie("review.member", h) for h in p.households] + [_tie("review.in_system", s) for s in p.client_systems]
    if not p.households and not p.client_systems:
        facts.append(t("review.no_household"))
    facts.append(plural(p.involvements, "review.involvements_one", "review.involvements"))
    return line + "".join(f"\n    - {f}" for f in facts)


def describe(item: ReviewItem, known: dict[str, ReviewPerson]) -> None:
    st.markdown(t("review.item", n=item.id, a=item.person_a, b=item.person_b, reason=review_reason(item.reason)))
    st.markdown(f"- {person_line(item.person_a, known)}\n- {person_line(item.person_b, known)}")
    st.caption(t("review.proposed", at=_moment(item.created_at)))


def decide(item_id: int, same: bool) -> None:
    """Accept or reject through the audited write entry; the outcome is said after the rerun."""
    def run() -> str:
        try:
            if same:
                return t("review.accepted", n=item_id) + say(
                    accept(get_db(), get_audit(), actor, store, item_id).summary(), markdown=True)
            reject(get_audit(), actor, store, item_id)
        except KeyError:  # a double click, or another steward was quicker
            return t("review.already", n=item_id)
        return t("review.rejected", n=item_id)

    result = guarded(run)
    if result is not None:
        st.session_state["review_result"] = result
        st.rerun()


_PENDING = "review_pending_merge"  # the item asked about; kept until confirmed or cancelled


def _dismissed() -> None:
    st.session_state.pop(_PENDING, None)  # closed with its X or Esc: the same as Cancel


@st.dialog(t("review.confirm"), on_dismiss=_dismissed)
def _confirm(item: ReviewItem) -> None:
    """Ask before a merge: it cannot be undone."""
    st.markdown(t("review.ask_merge"))
    describe(item, known)  # the list's persons, read once (the pair is one of them)
    with st.container(horizontal=True):
        confirmed = st.button(t("review.yes_merge"), type="primary")
        cancelled = st.button(t("review.cancel"))
    if confirmed:
        st.session_state.pop(_PENDING, None)
        decide(item.id, True)
    if cancelled:
        st.session_state.pop(_PENDING, None)
        st.rerun()


known = _persons(items)
for item in items:
    with st.container(border=True):
        describe(item, known)
        if item.status == "open":
            c1, c2 = st.columns(2)
            if c1.button(t("review.same"), key=f"{item.id}-True"):
                st.session_state[_PENDING] = item.id
            if c2.button(t("review.different"), key=f"{item.id}-False"):
                decide(item.id, False)
        else:
            m = merged.get(item.id)
            st.caption(t("review.decided", status=t(f"review.status_{item.status}"), by=item.decided_by,
                         at=_moment(item.decided_at)) + (t("review.merged", a=m[0], b=m[1]) if m else ""))

pending = st.session_state.get(_PENDING)
if pending is not None:
    asked = next((i for i in items if i.id == pending), None)
    if asked is None:  # decided meanwhile (another steward), or another list is shown
        st.session_state.pop(_PENDING, None)
    else:
        _confirm(asked)
