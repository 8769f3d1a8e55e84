"""Admin: the audit log — who saw a household, when and why; flagged access; is the log intact?

A look-up is audited once per user action (the "Look up" button, a new filter, "Reload"), not on every rerun:
its answer is kept in the browser tab's session state while other widgets rerun the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import TypeVar, cast

import pandas as pd
import streamlit as st

from app.catalogue import CATALOGUE
from app.dates import parse_typed_date, stored_moment
from app.i18n import (
    action_label,
    col,
    num,
    organisation_label,
    page_title,
    plural,
    purpose_label,
    result_label,
    role_label,
    say,
    shown_text,
    t,
)
from app.session import current_actor
from app.state import get_audit, get_db
from app.ui import guarded
from graph.clock import local
from queries.access import AUDIT_ROLES, audit_action, require_role
from queries.audit import AuditCheck
from queries.audit_checkpoint import Checkpoint, checkpoints_in, graph_checkpoints
from queries.audit_review import SEVERITY_LABEL, rank, review, who_saw

T = TypeVar("T")

st.title(page_title("audit"))
actor = current_actor()
if actor is None:
    st.stop()
audit = get_audit()
if guarded(lambda: require_role(audit, actor, "view_audit_log", *AUDIT_ROLES)) is None and \
        actor.role not in AUDIT_ROLES:
    st.stop()



def _check() -> AuditCheck:
    """The chain against every checkpoint of the local checkpoint file and of the graph."""
    found: list[tuple[str, Checkpoint]] = []
    if audit.checkpoint_file is not None:
        where = t("audit.checkpoint_file", path=audit.checkpoint_file)
        found.extend((where, cp) for cp in checkpoints_in(audit.checkpoint_file))
    found.extend((t("audit.the_graph"), cp) for cp in graph_checkpoints(get_db()))
    return audit.check(found)


def _intact(c: AuditCheck) -> list[str]:
    """What an intact check verified, in the app's language (AuditCheck.summary() in words for the page)."""
    span = t("audit.span", first=c.first_seq, last=c.last_seq) if c.records else ""
    lines = [t("audit.intact", n=c.records, span=span, head=c.head[:16])]
    if c.legacy_through:
        lines.append(t("audit.legacy", first=max(c.first_seq, 1), last=c.legacy_through, seal=c.seal_seq,
                       by=c.sealed_by))
    if c.cut_through:
        lines.append(t("audit.cut", last=c.cut_through))
    if c.compared:
        lines.extend(t("audit.matches", what=say(what, markdown=True)) for what in c.compared)
    else:
        lines.append(t("audit.no_checkpoint"))
    return lines


checked = guarded(_check)
if checked is not None and checked.intact:
    st.success(" ".join(_intact(checked)), icon=":material/verified:")
elif checked is not None:
    st.error(t("audit.tampered") + "\n\n"
             + "\n".join(f"- {say(line, markdown=True)}" for line in checked.summary()), icon=":material/gpp_bad:")


def _once(key: str, request: tuple[object, ...], fetch: Callable[[], T], *, again: bool = False) -> T | None:
    """``fetch()`` (which writes the audit record) once per user action, its answer kept for later reruns.

    Every widget on the page reruns the whole script; without this one look-up would be audited again on
    each rerun. It runs again when the request changed or the person asked again (``again``: a button).
    """
    request = (actor.user, *request)  # never another person's answer, should someone else sign in in this tab
    last = st.session_state.get(key)
    if again or last is None or last[0] != request:
        result = guarded(fetch)
        st.session_state[key] = (request, result)
        return result
    return cast("T | None", last[1])


def _readable(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Audit rows as a person reads them: roles, actions, purposes, results, wijknet's own organisations (the
    command line, the system) and flags as words, dates
    dd-mm-jjjj, column headers from the catalogue (the stored identifiers stay in the log itself)."""
    words: dict[str, Callable[[str], str]] = {
        "role": role_label, "action": action_label, "purpose": purpose_label,
        "result": result_label, "organisation": organisation_label,
        "rule": lambda v: t(f"review.{v}") if f"review.{v}" in CATALOGUE else v.replace("_", " "),
        "at": _when, "at (UTC)": _when, "first": _when, "last": _when,
        "detail": say}  # a flag's explanation is a said sentence (queries.audit_review); a log detail stays as it is
    shown = [{k: words[k](v) if k in words and v else v for k, v in r.items()} for r in rows]
    # The log holds what anyone typed at the sign-in page (a user name) or asked for (an address): the table's own
    # "download as CSV" wrote a typed "=HYPERLINK(…)" into the file as a formula (a steward's walk, 08-12-2026).
    # Such a cell is shown, and downloaded, with the leading ' every wijknet CSV gives it.
    from graph.spreadsheet import inert_frame

    return inert_frame(pd.DataFrame(shown).rename(columns=lambda c: t("audit.col_target") if c == "target"
                                                  else col(c)))


def _when(at: str) -> str:
    return f"{local(moment):%d-%m-%Y %H:%M:%S}" if (moment := stored_moment(at)) else at


who, flags, everything = st.tabs([t("audit.tab_who"), t("audit.tab_flags"), t("audit.tab_all")])
with who:
    with st.form("who_saw", enter_to_submit=True, border=False):
        typed = st.text_input(t("audit.household"), placeholder="HH-…")
        names = st.checkbox(t("audit.names"))
        asked = st.form_submit_button(t("audit.look_up"), type="primary", icon=":material/search:")
    target = typed.strip()
    if asked and target:
        def _who() -> tuple[list[dict[str, str]], bool | None]:
            """Who looked, and, when nobody did, whether the graph holds the id (a mistyped one is not "nobody")."""
            from queries.people import household_known

            audit_action(audit, actor, "audit_who_saw", target=target, purpose="data_subject_request")
            rows = [r for r in who_saw(audit.records(target=target), target, with_names=names)
                    if r["action"] != "audit_who_saw"]
            return rows, None if rows else guarded(lambda: household_known(get_db(), target))

        _once("wijknet_who_saw", (target, names), _who, again=True)
    shown = st.session_state.get("wijknet_who_saw")
    if shown is not None and shown[0][0] == actor.user and shown[1] is not None:
        (_, asked_for, _), (rows, known) = shown
        if rows:
            st.dataframe(_readable(rows), hide_index=True, width="stretch")
        else:
            st.info(t("audit.nobody" if known is not False else "audit.unknown_id", id=shown_text(asked_for)))
with flags:
    threshold = st.number_input(t("audit.threshold"), 1, 50, 3)
    if st.button(t("audit.run_review"), type="primary"):
        def _review() -> list[dict[str, str]]:
            found = rank(review(audit.records(), outside_caseload_threshold=int(threshold)))
            audit_action(audit, actor, "audit_review", purpose="log_review", detail=f"{len(found)} flags")
            return [{**asdict(f), "severity": SEVERITY_LABEL[f.severity]} for f in found]  # worst first

        found = guarded(_review)
        if found is not None:
            if found:
                st.dataframe(_readable(found), hide_index=True, width="stretch")
            else:
                st.success(t("audit.no_flags"))
def _day(label: str, key: str) -> date | None:
    """A day typed as people type dates (``3-2-2011``); one that cannot be read is said under the field."""
    raw = st.text_input(label, key=key, placeholder="dd-mm-jjjj").strip()
    if not raw:
        return None
    try:
        return parse_typed_date(raw)
    except ValueError as exc:
        st.error(shown_text(str(exc)), icon=":material/event_busy:")
        st.stop()


def _on(at: str) -> date | None:
    return local(moment).date() if (moment := stored_moment(at)) else None


with everything:
    # who, what, which household or other target, and when: a question such as "everything user X looked at in
    # March" had only an exact user name and the newest 5,000 records (a steward's walk, 08-12-2026)
    with st.container(horizontal=True):
        user = st.text_input(t("audit.only_user")).strip() or None
        target = st.text_input(t("audit.only_target"), placeholder="HH-…").strip() or None
        actions = sorted((k.removeprefix("action.") for k in CATALOGUE if k.startswith("action.") and k != "action.export"),
                         key=action_label)  # ("action.export" is the words of every export_<what>)
        action = st.selectbox(t("audit.only_action"), [None, *actions],
                              format_func=lambda a: action_label(a) if a else t("audit.all_actions"))
    with st.container(horizontal=True):
        since = _day(t("audit.since"), "audit-since")
        until = _day(t("audit.until"), "audit-until")
    limit = st.slider(t("audit.most_recent"), 50, 5000, 500, step=50)
    request = (user, target, action, since, until)

    def _all() -> pd.DataFrame:
        audit_action(audit, actor, "view_audit_log", purpose="log_review",
                     detail=";".join(f"{k}={v}" for k, v in zip(("user", "target", "action", "since", "until"),
                                                                 request, strict=True) if v is not None) or "all")
        rows = [asdict(r) for r in audit.records(user=user, target=target)
                if (action is None or r.action == action)
                and (since is None or ((d := _on(r.at)) is not None and d >= since))
                and (until is None or ((d := _on(r.at)) is not None and d <= until))]
        st.session_state["wijknet_audit_found"] = len(rows)
        return pd.DataFrame(rows[-5000:])  # the most the slider shows

    everything_df = _once("wijknet_audit_all", request, _all)
    if st.button(t("audit.reload"), icon=":material/refresh:"):
        everything_df = _once("wijknet_audit_all", request, _all, again=True)
    if everything_df is not None:
        found = int(st.session_state.get("wijknet_audit_found", len(everything_df)))
        if not found:
            st.info(t("audit.none_found"))
        else:
            st.caption(plural(found, "audit.found_one", "audit.found", shown=num(min(found, limit))))
            st.dataframe(_readable(everything_df[-limit:][::-1].to_dict("records")), hide_index=True,
                         width="stretch")
