"""Coach: a household's whole client system before a home visit.

Find a household (my caseload first, recent, search), state the purpose, then see the eco-map, the counts,
the timeline, the mandates that apply and the plan as of a chosen date, and take a one-page brief along.

The household is read once when it is opened (one scope check, one audit record, see
:func:`queries.household.household_view`) and kept in this user's session; moving the date only replays that
history with the pure analytics, so it neither queries again nor writes more audit records. Downloads of the
brief are audited when they are generated.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.brief import brief_html, brief_pdf, contacts, open_points
from app.dates import parse_typed_date
from app.ecomap import DOMAIN_COLOURS, ecomap_html, layout, other_involvements
from app.nav import not_permitted
from app.sandboxed import sandboxed_iframe
from app.session import current_actor
from app.state import get_audit, get_db
from app.timeline import Bar, Gap, Mark, timeline_svg
from app.ui import guarded
from app.workspace import panel as workspace_panel
from app.workspace import recorded_lines
from graph.model import LADDER_RUNGS
from queries.access import HOUSEHOLD_ROLES, PURPOSES, Actor, audit_action
from queries.analytics.household import (
    all_handovers,
    change_dates,
    coach_effect,
    double_casemanagers,
    gaps,
    handover_chains,
    household_counts,
    household_graph,
    overlaps,
    ping_pong,
    referrals_without_follow_up,
)
from queries.household import (
    CaseloadEntry,
    HouseholdView,
    caseload,
    household_view,
    mandates_by_domain,
    recent_households,
    search_households,
)

FOLLOW_UP_DAYS = 30
HANDOVER_DAYS = 30
_VIEW = "coach_view"          # session key: (user, household id, purpose) → HouseholdView
_AS_OF = "coach_as_of"        # the slider's key
_DATE = "coach_as_of_typed"   # the date field beside it (text: applied on Enter)
_DATE_ERROR = "coach_as_of_error"  # why the typed date was not applied
_PLAYING = "coach_playing"    # the dates Play still has to show, one per run
_TICKED = "coach_play_ticked"  # the Play timer's first call only arms it (the page was just drawn)
_SECTION = "coach_section"    # the chosen section below the map; kept when another household is opened
_SECTIONS = ("Timeline", "Mandates that apply", "Plan and agreements", "Visit brief")
_FINDER = "coach_finder"      # the "Find a household" expander's open state: its content is built only when open
_PURPOSE = "coach_purpose"    # the purpose widget (only there while the finder is open) ...
_PURPOSE_KEPT = "coach_purpose_kept"  # ... and the purpose it last held, kept while the finder is closed
_CHOSEN = "coach_chosen"      # the household id a finder button chose, set by its callback


def _slid() -> None:
    st.session_state[_PLAYING] = []  # taking the slider stops a replay
    st.session_state[_DATE_ERROR] = ""


def _typed(first: date, last: date) -> None:
    """The date field's callback (on Enter): move the slider there; a date that is not one, or outside the
    household's history, is explained beside the field and moves nothing."""
    text = str(st.session_state.get(_DATE) or "")
    current = st.session_state.get(_AS_OF)
    if isinstance(current, date) and text.strip() == f"{current:%d-%m-%Y}":
        return  # the field only showed the slider's date again (it loses focus when Play is clicked)
    st.session_state[_PLAYING] = []
    try:
        typed = parse_typed_date(text)
    except ValueError as exc:
        st.session_state[_DATE_ERROR] = str(exc)
        return
    if not first <= typed <= last:
        st.session_state[_DATE_ERROR] = (f"{typed:%d-%m-%Y} is outside this household's history: choose a date "
                                         f"from {first:%d-%m-%Y} to {last:%d-%m-%Y}.")
        return
    st.session_state[_DATE_ERROR] = ""
    st.session_state[_AS_OF] = typed


def _domain(d: str) -> str:
    return d.replace("_", " ").lower()


# ------------------------------------------------------------------------------------------------ finding
def _choose(household_id: str) -> None:
    """A finder button's callback: open ``household_id`` on this run and close the finder over it."""
    st.session_state[_CHOSEN] = household_id
    st.session_state[_FINDER] = False


def _keep_purpose() -> None:
    st.session_state[_PURPOSE_KEPT] = st.session_state[_PURPOSE]


def _finder(actor: Actor) -> None:
    """Caseload, recent households and search; a button chooses a household through :func:`_choose`."""
    db, audit = get_db(), get_audit()
    entries: list[CaseloadEntry] = guarded(lambda: caseload(db, audit, actor)) or []
    if not entries:
        st.info("Your caseload is empty: no household is assigned to you today. Ask the project lead to assign "
                "households to you; once they are, they appear here.", icon=":material/inbox:")
        return
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**My caseload** · {len(entries)} households")
        for e in entries:
            c1, c2, c3 = st.columns([4, 2, 2])
            c1.write(f"{e.address or e.id} · {e.postcode or ''}")
            c2.caption(f"{e.members} member{'' if e.members == 1 else 's'} · since {e.since:%d-%m-%Y}" if e.since else "")
            c3.button(f"Open {e.id}", key=f"open_{e.id}", on_click=_choose, args=(e.id,))
    with right:
        recent = recent_households(audit, actor, [e.id for e in entries])
        if recent:
            st.markdown("**Recently opened**")
            for hid in recent:
                st.button(f"Open {hid}", key=f"recent_{hid}", type="tertiary", on_click=_choose, args=(hid,))
        text = st.text_input("Find by postcode, street and number, or household id",
                             placeholder="7513 AB, Velveweg 12, HH-…")
        if text:
            found = guarded(lambda: search_households(db, audit, actor, text)) or []
            if not found:
                st.caption("No household in your caseload matches. Households outside your caseload are not "
                           "searchable.")
            for e in found:
                st.button(f"Open {e.id} · {e.address or ''} {e.postcode or ''}", key=f"found_{e.id}",
                          on_click=_choose, args=(e.id,))


def _open(actor: Actor, household_id: str, purpose: str) -> HouseholdView | None:
    view: HouseholdView | None = guarded(lambda: household_view(get_db(), get_audit(), actor, household_id,
                                                                purpose=purpose))
    if view is not None:
        st.session_state[_VIEW] = (actor.user, household_id, purpose, view)
        st.session_state.pop(_AS_OF, None)
        st.session_state.pop(_PLAYING, None)
    return view


def _current(actor: Actor) -> tuple[str, str, HouseholdView] | None:
    held = st.session_state.get(_VIEW)
    if held and held[0] == actor.user:
        return held[1], held[2], held[3]
    return None


# -------------------------------------------------------------------------------------------------- parts
def _counts(view: HouseholdView, as_of: date, box: Any) -> None:
    members = view.members(as_of)
    c = household_counts(view.involvements, as_of, [m.id for m in members])
    with box.container():
        cols = st.columns(4)
        cols[0].metric("Active professionals", c.professionals)
        cols[1].metric("Organisations", c.organisations)
        intake = view.intake()
        if intake:
            eff = coach_effect(view.involvements, intake, as_of)
            if eff.after is None:
                cols[2].metric("Before coach intake", eff.before, help=f"Intake on {intake:%d-%m-%Y}")
            else:
                cols[2].metric("Since coach intake", eff.after, delta=eff.change, delta_color="inverse",
                               help=f"{eff.before} professionals the day before the intake ({intake:%d-%m-%Y})")
        ov = overlaps(view.involvements, as_of)
        dbl = double_casemanagers(view.involvements, as_of)
        cols[3].metric("Overlaps", len(ov), help="Two or more organisations on the same member and life domain")
        per = [f"{m.name or m.id} ({m.role}): **{c.per_member[m.id].professionals}**" for m in members]
        if c.household_level_professionals:
            per.append(f"whole household: **{c.household_level_professionals}**")
        st.markdown("Per member · " + " · ".join(per))
        for o in ov:
            who = "the household" if o.subject == "household" else view.name_of(o.subject)
            st.caption(f":material/warning: Overlap on {who} in {_domain(o.life_domain)}: "
                       f"{len(o.organisations)} organisations")
        for d in dbl:
            st.caption(f":material/warning: Dubbele casemanager: {len(d.professionals)} × {d.function}")


def _ecomap(view: HouseholdView, as_of: date, box: Any) -> Any:
    whole = household_graph(view.household.id, view.people, view.involvements, view.coaches)
    g = household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=as_of)
    # The other involvements come from this household's view only: expanding a professional in the map can
    # never show another household.
    others = other_involvements(g, view.involvements, view.coaches, view.people, as_of)
    page = ecomap_html(g, layout(whole), height=560, title=f"Eco-map {view.household.id}", others=others,
                       as_of=as_of)
    with box.container():
        # scripts allowed, but not the app's origin (app/sandboxed.py)
        sandboxed_iframe(page, height=720, title=f"Eco-map of household {view.household.id} as of {as_of:%d-%m-%Y}")
        st.caption(f"{g.number_of_nodes()} nodes as of {as_of:%d-%m-%Y} · click a node for details; "
                   "double-click a professional for their other involvements with this household")
    return g


def _node_details(view: HouseholdView, g: Any) -> None:
    options = {n: f"{d.get('label', n)} ({d['kind'].replace('_', ' ')})" for n, d in sorted(
        g.nodes(data=True), key=lambda x: (x[1]["kind"], str(x[1].get("label", ""))))}
    # The same details as a click in the map, for keyboard and screen-reader users.
    node = st.selectbox("Details of (also: click a node in the map)", list(options), format_func=options.get,
                        index=None, placeholder="Choose a person, professional or organisation")
    if node is None:
        return
    data = g.nodes[node]
    for other in sorted(g.neighbors(node)):
        for text in g.edges[node, other].get("labels") or []:
            st.write(f"→ {g.nodes[other].get('label', other)}: {text}")
    if data["kind"] == "professional":
        pid = node.removeprefix("PR:")
        rows = [{"Organisation": i.organisation_name, "Function": i.function, "Role": i.role,
                 "Life domain": _domain(i.life_domain), "For": ", ".join(view.name_of(p) for p in i.person_ids)
                 or "whole household", "Since": i.since, "Until": i.until}
                for i in view.involvements if i.professional_id == pid]
        st.caption("All involvements of this professional with this household (other households are not shown).")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _timeline(view: HouseholdView, as_of: date) -> None:
    if not view.involvements:
        st.caption("No involvements recorded.")
        return
    end = max([as_of] + [i.until or as_of for i in view.involvements]) + timedelta(days=30)
    label = {m.id: f"{m.name or m.id} ({m.role})" for m in view.people if m.kind == "member"}
    label["household"] = "whole household"
    # Plain SVG drawn here (app/timeline.py): the browser parses no charting library for it.
    by_id = {i.id: i for i in view.involvements}
    bars: list[Bar] = []
    colours: dict[str, str] = {}
    for inv in sorted(view.involvements, key=lambda i: (i.life_domain, i.since)):
        hover = (f"{inv.professional_name or inv.professional_id} · {inv.organisation_name} · {inv.function} · "
                 f"{inv.since:%d-%m-%Y} – {f'{inv.until:%d-%m-%Y}' if inv.until else 'now'}")
        colour = DOMAIN_COLOURS.get(inv.life_domain, "#888")
        colours.setdefault(_domain(inv.life_domain), colour)
        for subject in inv.subjects:
            bars.append(Bar(label.get(subject, subject), inv.since, inv.until, colour, inv.organisation_name, hover,
                            _domain(inv.life_domain), lane=_domain(inv.life_domain), key=inv.id))
    hs = all_handovers(view.involvements, view.handovers, HANDOVER_DAYS)
    pp = ping_pong(handover_chains(hs), view.involvements)
    pp_returns = {p.involvement_ids[2] for p in pp}
    marks = [Mark(label.get(subject, subject), h.date, h.to_id in pp_returns,
                  f"{'Ping-pong · ' if h.to_id in pp_returns else ''}handover {by_id[h.from_id].organisation_name} → "
                  f"{by_id[h.to_id].organisation_name} on {h.date:%d-%m-%Y}{f' · {h.reason}' if h.reason else ''}"
                  f"{'' if h.explicit else ' (derived)'}", key=h.to_id)
             for h in hs for subject in by_id[h.to_id].subjects]
    gap_marks = [Gap(label.get(gp.subject, gp.subject), gp.start, gp.end,
                     f"Gap in {_domain(gp.life_domain)}: {gp.days} days", lane=_domain(gp.life_domain))
                 for gp in gaps(view.involvements)]
    rows = list(dict.fromkeys([label[m.id] for m in view.people if m.kind == "member" and m.id in label]
                              + [b.row for b in bars]))
    # st.markdown, not st.html: st.html's sanitiser removes <svg> altogether (the section stayed 0 px high). Every
    # text in the SVG is escaped by timeline_svg, so the markup carries no script.
    st.markdown(f"<div>{timeline_svg(rows, bars, marks, gap_marks, as_of, end, colours)}</div>",
                unsafe_allow_html=True)
    waiting = referrals_without_follow_up(view.referrals, as_of, FOLLOW_UP_DAYS)
    flagged = {w.referral.id: w.days_waiting for w in waiting}
    if view.referrals:
        st.markdown(f"**Referrals** · flagged: no help started {FOLLOW_UP_DAYS} days after the referral")
        # A static table (a few rows): the interactive grid's script is not worth loading for it.
        shown = pd.DataFrame([{
            "Flag": "⚠ no follow-up" if r.id in flagged else "", "Date": _dmy(r.date),
            "For": view.name_of(r.person_id) if r.person_id else "whole household",
            "From": r.professional_name or r.professional_id, "To": r.organisation_name,
            "Life domain": _domain(r.life_domain), "Accepted": _dmy(r.accepted_at), "Started": _dmy(r.started_at),
            "Days waiting": "" if r.id not in flagged else str(flagged[r.id])}
            for r in view.referrals if r.date <= as_of])
        if shown.empty:
            st.caption("No referrals yet on this date.")
        else:
            st.table(shown.set_index("Flag"))


def _dmy(d: date | None) -> str:
    return f"{d:%d-%m-%Y}" if d else ""


def _mandate_line(m: Any) -> str:
    buddy = f" · call **{m.buddy_name}** ({m.buddy_function or 'buddy'}, {m.buddy_phone or 'no phone'})" \
        if m.buddy_name else ""
    return f"- {m.organisation_name}: {m.decision_type}{buddy}"


def _mandates(view: HouseholdView, as_of: date) -> None:
    groups = mandates_by_domain(view, as_of)
    if not groups:
        st.caption("No active involvements or goals as of this date, so no mandate applies.")
        return
    st.caption("Per life domain in which the household has an active involvement or a goal: first your mandates "
               "from partners involved in that domain now, the rest folded.")
    for g in groups:
        st.markdown(f"**{_domain(g.life_domain)}**")
        if g.involved:
            st.markdown("\n".join(_mandate_line(m) for m in g.involved))
        elif g.other:
            st.caption("None of the partners involved here has given you a mandate.")
        else:
            st.caption("No mandate of yours in this domain: work with the involved professional.")
        if g.other:
            with st.expander(f"Your other mandates in {_domain(g.life_domain)} ({len(g.other)})"):
                st.markdown("\n".join(_mandate_line(m) for m in g.other))


def _plan(view: HouseholdView, as_of: date) -> None:
    if view.goals:
        st.markdown("**Goals**")
        st.dataframe(pd.DataFrame([{"Life domain": _domain(g.life_domain), "Goal": g.text, "Status": g.status}
                                   for g in view.goals]), hide_index=True, width="stretch")
    agreements = [a for a in view.agreements if a.date is None or a.date <= as_of]
    if agreements:
        st.markdown("**Agreements (voor wat hoort wat) and announced sanctions**")
        st.dataframe(pd.DataFrame([{"Kind": a.kind, "Text": a.text, "Date": a.date, "Due": a.due,
                                    "Status": a.status} for a in agreements]), hide_index=True, width="stretch")
    if view.ladder:
        fig = go.Figure()
        for pid in sorted({s.person_id for s in view.ladder}):
            pts = [s for s in view.ladder if s.person_id == pid]
            fig.add_trace(go.Scatter(x=[pd.Timestamp(s.date) for s in pts], y=[s.rung for s in pts],
                                     mode="lines+markers", line_shape="hv", name=view.name_of(pid)))
        fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line_dash="dash", line_color="#444")
        fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                          title="Participation ladder", yaxis={
                              "range": [0.5, 6.5], "tickvals": list(LADDER_RUNGS),
                              "ticktext": [f"{k} {v}" for k, v in LADDER_RUNGS.items()]})
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    if not (view.goals or agreements or view.ladder):
        st.caption("No plan recorded yet.")


def _brief(actor: Actor, view: HouseholdView, purpose: str, as_of: date, g: Any) -> None:
    pos = layout(household_graph(view.household.id, view.people, view.involvements, view.coaches))
    hid = view.household.id

    recorded = recorded_lines(actor, hid, as_of)  # from the open workspace, read here: the downloads run later

    def make_html() -> str:
        audit_action(get_audit(), actor, "download_brief", target=hid, purpose=purpose, detail="html")
        return brief_html(view, g, pos, as_of, prepared_by=actor.user, follow_up_days=FOLLOW_UP_DAYS,
                          recorded=recorded)

    def make_pdf() -> bytes:
        audit_action(get_audit(), actor, "download_brief", target=hid, purpose=purpose, detail="pdf")
        return brief_pdf(view, g, pos, as_of, prepared_by=actor.user, follow_up_days=FOLLOW_UP_DAYS,
                         recorded=recorded)

    c1, c2, c3 = st.columns([1, 1, 3])
    c1.download_button("Brief (HTML)", data=make_html, file_name=f"brief-{hid}-{as_of:%Y%m%d}.html",
                       mime="text/html", icon=":material/description:", on_click="ignore")
    c2.download_button("Brief (PDF)", data=make_pdf, file_name=f"brief-{hid}-{as_of:%Y%m%d}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")
    c3.caption(f"{len(contacts(view, as_of))} contacts and {len(open_points(view, as_of, FOLLOW_UP_DAYS))} open "
               "points as of the chosen date; downloads are logged.")


# ----------------------------------------------------------------------------------------------------- page
def main() -> None:
    st.title("Household")
    actor = current_actor()
    if actor is None:
        st.stop()
    if actor.role not in HOUSEHOLD_ROLES:  # the navigation already sends other roles to this stand-in
        not_permitted("coach")
    held = _current(actor)
    deep_link = st.query_params.get("household")
    # Lazy: the caseload's rows are built and drawn only while the finder is open (once a household is open,
    # they were most of the page's elements). It starts open only when there is nothing else to show.
    finder = st.expander("Find a household", expanded=held is None and not deep_link, key=_FINDER,
                         on_change="rerun", icon=":material/search:")
    purpose = st.session_state.get(_PURPOSE_KEPT, next(iter(PURPOSES)))  # a change was kept by its callback
    with finder:
        if finder.open:
            st.selectbox("Purpose", list(PURPOSES), index=list(PURPOSES).index(purpose), format_func=PURPOSES.get,
                         key=_PURPOSE, on_change=_keep_purpose)
            _finder(actor)
    chosen = st.session_state.pop(_CHOSEN, None)
    if chosen is None and deep_link and (held is None or held[0] != str(deep_link)):
        chosen = str(deep_link)  # a link (shared, bookmarked, or the browser's back button) opens its household
    if chosen is not None or (held is not None and held[1] != purpose):
        hid = chosen or (held[0] if held else "")
        if _open(actor, hid, purpose) is None:
            st.stop()
        held = _current(actor)
    if held is None:
        st.info("Open a household from your caseload above — or search by postcode, street and number, or "
                "household id — to see its client system before a visit.", icon=":material/family_restroom:")
        st.stop()
    hid, purpose, view = held
    if st.query_params.get("household") != hid:
        st.query_params["household"] = hid  # the address bar links to the household shown (share, bookmark)
    st.subheader(f"{view.household.address or hid} · {view.household.postcode or ''}")
    st.caption(f"{hid} · {view.household.area_name or view.household.area_code or ''} · purpose: "
               f"{PURPOSES[purpose]}")
    if view.data_problems:  # stored values of the wrong type: shown as unknown, never a crash
        with st.expander(f"{len(view.data_problems)} opgeslagen waarde(n) met een verkeerd type — meld dit aan de "
                         "gegevensbeheerder", icon=":material/warning:"):
            st.markdown("\n".join(f"- {p}" for p in view.data_problems))

    dates = change_dates(view.involvements, view.people, view.coaches)
    first = min(dates) if dates else date.today()
    last = max(min(date.today(), max(dates)), first + timedelta(days=1)) if dates else date.today()
    playing: list[date] = st.session_state.get(_PLAYING) or []
    if playing:  # Play: one change per run, so the slider and the date field move with the picture
        st.session_state[_AS_OF] = playing.pop(0)
    held_as_of = st.session_state.get(_AS_OF)
    if not isinstance(held_as_of, date) or not first <= held_as_of <= last:
        st.session_state[_AS_OF] = last
    if not st.session_state.get(_DATE_ERROR):
        st.session_state[_DATE] = f"{st.session_state[_AS_OF]:%d-%m-%Y}"  # the date field shows the slider's date
    c1, c2, c3 = st.columns([5, 1.4, 1], vertical_alignment="bottom")
    as_of = c1.slider("As of", min_value=first, max_value=last, format="DD-MM-YYYY", key=_AS_OF,
                      on_change=_slid)
    c2.text_input("Date", key=_DATE, on_change=_typed, args=(first, last), max_chars=10,
                  help=f"Type a date (dd-mm-yyyy) and press Enter; from {first:%d-%m-%Y} to {last:%d-%m-%Y}")
    if st.session_state.get(_DATE_ERROR):
        st.error(st.session_state[_DATE_ERROR], icon=":material/event_busy:")
    if playing:
        if c3.button("Stop", icon=":material/stop:", help="Stop the replay here"):
            st.session_state[_PLAYING] = []
    elif c3.button("Play", icon=":material/play_arrow:", help="Replay how the client system changed"):
        steps = [d for d in dates if first <= d <= last] or [last]
        st.session_state[_PLAYING] = steps[-24:]  # the last two dozen changes: a replay, not a film
        st.rerun()
    counts_box, map_box = st.empty(), st.empty()
    _counts(view, as_of, counts_box)
    g = _ecomap(view, as_of, map_box)
    _node_details(view, g)
    workspace_panel(actor, view, purpose, as_of, reload=lambda: _open(actor, hid, purpose))
    # One section at a time, built only when chosen: st.tabs would build and draw all four on every rerun, and
    # the charts in them were the largest part of the browser's work per page (bench/bench_browser.py).
    section = st.segmented_control("Section", list(_SECTIONS), default=_SECTIONS[0], key=_SECTION, required=True,
                                   label_visibility="collapsed") or _SECTIONS[0]
    if section == "Timeline":
        _timeline(view, as_of)
    elif section == "Mandates that apply":
        _mandates(view, as_of)
    elif section == "Plan and agreements":
        _plan(view, as_of)
    else:
        _brief(actor, view, purpose, as_of, g)
        st.markdown("\n".join(f"- {p}" for p in open_points(view, as_of, FOLLOW_UP_DAYS)) or "No open points.")
    if st.session_state.get(_PLAYING):
        _next_step()


@st.fragment(run_every=0.8)
def _next_step() -> None:
    """While Play runs: the browser asks for this fragment every 0.8 s, and it reruns the page, which shows the
    next change. (A rerun requested from the page's own last line after a sleep was dropped on this page.)"""
    if st.session_state.get(_TICKED):
        st.session_state[_TICKED] = False
        st.rerun()
    st.session_state[_TICKED] = True


main()
