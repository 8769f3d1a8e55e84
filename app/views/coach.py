"""Coach: a household's whole client system before a home visit.

Find a household (my caseload first, recent, search), state the purpose, then see the eco-map, the counts,
the timeline, the mandates that apply and the plan as of a chosen date, and take a one-page brief along.

The household is read once when it is opened (one scope check, one audit record, see
:func:`queries.household.household_view`) and kept in this user's session; moving the date only replays that
history with the pure analytics, so it neither queries again nor writes more audit records. But every run
checks the caseload again before it shows anything held (:func:`_still_in_scope`): a household the project
lead moved to another coach meanwhile is dropped from the session with the usual refusal (audited), not shown
from memory. Downloads of the brief check the scope and are audited when they are generated.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import ecomap_frame
from app.brief import brief_html, brief_pdf, contacts, open_points, pdf_missing
from app.caseload_triage import caseload_cards, load_triaged
from app.chrome_nl import plotly_config
from app.dates import dmy, parse_typed_date
from app.ecomap import (
    DOMAIN_COLOURS,
    MAP_HEIGHT_PX,
    ecomap_html,
    frame_height,
    layout,
    other_involvements,
    ties,
)
from app.i18n import (
    capitalised,
    code_label,
    literal_md,
    page_title,
    plural,
    purpose_label,
    say,
    shown_text,
    t,
)
from app.nav import not_permitted
from app.session import current_actor, while_signed_in
from app.since_visit import forget_previous_open, show_since_last_visit
from app.state import get_audit, get_db
from app.timeline import Bar, Gap, Mark, timeline_svg
from app.ui import guarded
from app.workspace import drop_held, open_from_map, recorded_lines
from app.workspace import panel as workspace_panel
from graph.clock import today as dutch_today
from graph.model import LADDER_RUNGS
from queries.access import (
    HOUSEHOLD_ROLES,
    PURPOSES,
    Actor,
    Role,
    can_see_household,
    deny_out_of_scope,
    open_household,
)
from queries.analytics.household import (
    all_handovers,
    change_dates,
    coach_effect,
    double_casemanagers,
    gaps,
    handover_chains,
    household_counts,
    household_graph,
    ladder_line,
    overlaps,
    ping_pong,
    referrals_without_follow_up,
)
from queries.household import (
    HouseholdView,
    Referral,
    household_view,
    mandates_by_domain,
    recent_households,
    search_households,
)
from queries.triage import CLOSED_AGREEMENT

log = logging.getLogger("wijknet.coach")

FOLLOW_UP_DAYS = 30
HANDOVER_DAYS = 30
_VIEW = "coach_view"          # session key: (user, household id, purpose) → HouseholdView
_AS_OF = "coach_as_of"        # the slider's key
_DATE = "coach_as_of_typed"   # the date field beside it (text: applied on Enter)
_DATE_ERROR = "coach_as_of_error"  # why the typed date was not applied
_PLAYING = "coach_playing"    # the dates Play still has to show, one per run
_PLAYED = "coach_played"      # the Play date the last run that reached its end showed
_TICKED = "coach_play_ticked"  # the Play timer's first call only arms it (the page was just drawn)
_ECHO = "coach_play_echo"     # the dates a replay moved the slider and the date field away from (its trail)
_SECTION = "coach_section"    # the chosen section below the map; kept when another household is opened
_SECTIONS = ("timeline", "mandates", "plan", "brief")  # shown as coach.section_<name> in the catalogue
_FINDER = "coach_finder"      # the "Find a household" expander's open state: its content is built only when open
_PURPOSE = "coach_purpose"    # the purpose widget (only there while the finder is open) ...
_PURPOSE_KEPT = "coach_purpose_kept"  # ... and the purpose it last held, kept while the finder is closed
_CHOSEN = "coach_chosen"      # the household id a finder button chose, set by its callback


def _echo(reported: date | None) -> bool:
    """Whether, during a replay, the slider or the date field reported the date the replay shows, one it showed
    before, or the one it started from: what the browser showed, sent back (a browser busy drawing can send a
    widget's value from a step or more before once more; in CI a replay stopped after its first date, and again
    on the first date with the field's value two steps late), not a move by the coach. The replay's date is then
    put back and the replay goes on; a coach who wants it to stop there has the Stop button."""
    playing = st.session_state.get(_PLAYING) or []
    if not playing or reported is None or reported not in (playing[0], *st.session_state.get(_ECHO, ())):
        return False
    st.session_state[_AS_OF] = playing[0]
    st.session_state[_DATE] = dmy(playing[0])
    return True


def _stopped_by(widget: str, reported: object) -> None:
    """Stop a replay because ``widget`` reported ``reported``, and say so in the app's log when a replay was
    running (a warning: the app logs nothing less): a replay that stopped by itself on a busy machine (CI, twice
    after its first date) is then explained by what the browser sent, next to what the replay showed and had
    shown. The Stop button's callback too (CI40: a replay ended after its first date with no widget's report in
    the log; the next one says whether a Stop click did it). The browser tests print the end of the app's log with
    a failure."""
    if playing := st.session_state.get(_PLAYING):
        log.warning("replay stopped: the %s reported %s while %s was shown (trail %s, %d dates left, %s shown to "
                    "the end)", widget, reported, playing[0], st.session_state.get(_ECHO), len(playing),
                    st.session_state.get(_PLAYED))
    _stop()


def _stop() -> None:
    """Stop a replay (:func:`_stopped_by`: the Stop button, taking the slider or typing a date)."""
    st.session_state[_PLAYING] = []
    st.session_state[_PLAYED] = None
    st.session_state[_ECHO] = []


def _slid() -> None:
    if _echo(st.session_state.get(_AS_OF)):
        return
    _stopped_by("slider", st.session_state.get(_AS_OF))
    st.session_state[_DATE_ERROR] = ""


def _typed(first: date, last: date) -> None:
    """The date field's callback (on Enter): move the slider there; a date that is not one, or outside the
    household's history, is explained beside the field and moves nothing."""
    text = str(st.session_state.get(_DATE) or "")
    current = st.session_state.get(_AS_OF)
    if isinstance(current, date) and text.strip() == dmy(current):
        return  # the field only showed the slider's date again (it loses focus when Play is clicked)
    try:
        typed = parse_typed_date(text)
    except ValueError as exc:
        _stopped_by("date field", repr(text))
        st.session_state[_DATE_ERROR] = shown_text(str(exc))  # it quotes what was typed; shown as Markdown
        return
    if _echo(typed):
        return
    _stopped_by("date field", typed)
    if not first <= typed <= last:
        st.session_state[_DATE_ERROR] = t("coach.date_outside", date=dmy(typed), first=dmy(first),
                                          last=dmy(last))
        return
    st.session_state[_DATE_ERROR] = ""
    st.session_state[_AS_OF] = typed


def _domain(d: str) -> str:
    return code_label("life_domain", d)


def _role_of(person: Any) -> str:
    """" (kind)" after a person's label where the label is their name; an unnamed person's label is the role."""
    return f" ({code_label('member_role', person.role)})" if person.name else ""


# ------------------------------------------------------------------------------------------------ finding
def _choose(household_id: str) -> None:
    """A finder button's callback: open ``household_id`` on this run and close the finder over it."""
    st.session_state[_CHOSEN] = household_id
    st.session_state[_FINDER] = False


def _keep_purpose() -> None:
    st.session_state[_PURPOSE_KEPT] = st.session_state[_PURPOSE]


def _ask_purpose(household_id: str) -> None:
    """The purpose asked before a link opens a household: every look at a household is audited with the purpose
    the coach states."""
    st.info(t("coach.link_purpose", id=household_id), icon=":material/family_restroom:")
    with st.form("coach-link-purpose", border=False):
        wanted = st.selectbox(t("coach.purpose"), list(PURPOSES), format_func=purpose_label)
        if st.form_submit_button(t("coach.link_open", id=household_id), type="primary"):
            st.session_state[_PURPOSE_KEPT] = wanted
            st.rerun()


def _finder(actor: Actor) -> None:
    """Caseload, recent households and search; a button chooses a household through :func:`_choose`."""
    db, audit = get_db(), get_audit()
    entries = load_triaged(actor) or []
    if not entries:
        st.info(t("coach.caseload_empty"), icon=":material/inbox:")
        return
    left, right = st.columns([3, 2])
    with left:
        caseload_cards(entries, _choose)
    with right:
        recent = recent_households(audit, actor, [e.id for e in entries])
        if recent:
            st.markdown(t("coach.recent"))
            for hid in recent:
                st.button(t("coach.open", id=hid), key=f"recent_{hid}", type="tertiary", on_click=_choose, args=(hid,))
        text = st.text_input(t("coach.find"), placeholder="7513 AB, Velveweg 12, HH-…")
        if text:
            found = guarded(lambda: search_households(db, audit, actor, text)) or []
            if not found:
                st.caption(t("coach.no_match"))
            for e in found:
                st.button(t("coach.open_found", id=e.id, address=f"{e.address or ''} {e.postcode or ''}"), key=f"found_{e.id}",
                          on_click=_choose, args=(e.id,))


def _open(actor: Actor, household_id: str, purpose: str) -> HouseholdView | None:
    view: HouseholdView | None = guarded(lambda: household_view(get_db(), get_audit(), actor, household_id,
                                                                purpose=purpose))
    if view is not None:
        if st.session_state.get(_PLAYING):  # the Play flake (CI49, CI57) left no reason in the log: is it this?
            log.warning("replay dropped: household %s opened again while it ran (link %s)", household_id,
                        st.query_params.get("household"))
        st.session_state[_VIEW] = (actor.user, household_id, purpose, view)
        st.session_state.pop(_AS_OF, None)
        st.session_state.pop(_PLAYING, None)
        st.session_state.pop(_DATE_ERROR, None)  # a date refused on the household before is not this one's
    return view


def _still_in_scope(actor: Actor, household_id: str, purpose: str) -> bool:
    """Whether the household this session holds is still in the actor's caseload (the lead may have moved it
    since it was read). If not, the refusal is audited and said, and what the session holds of it is dropped."""
    def check() -> bool:
        if can_see_household(get_db(), actor, household_id):
            return True
        raise deny_out_of_scope(get_audit(), actor, household_id, purpose=purpose)

    if guarded(check):
        return True
    if st.session_state.get(_PLAYING):
        log.warning("replay dropped: household %s is no longer in scope", household_id)
    for key in (_VIEW, _AS_OF, _PLAYING, _PLAYED):
        st.session_state.pop(key, None)
    drop_held()
    if st.query_params.get("household") == household_id:
        del st.query_params["household"]  # else the link would open it again (and be refused again) on every run
    return False


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
        cols[0].metric(t("coach.active_professionals"), c.professionals)
        cols[1].metric(t("coach.organisations"), c.organisations)
        intake = view.intake()
        if intake:
            eff = coach_effect(view.involvements, intake, as_of)
            if eff.after is None:
                cols[2].metric(t("coach.before_intake"), eff.before, help=t("coach.intake_on", date=dmy(intake)))
            else:
                # the change in words: a bare "0" or "-2" badge said nothing of what it is compared with
                same = not eff.change
                delta = t("coach.intake_same") if same else t("coach.intake_change", n=f"{eff.change:+d}")
                cols[2].metric(t("coach.since_intake"), eff.after, delta=delta, delta_color="off" if same else "inverse",
                               delta_arrow="off" if same else "auto",
                               help=plural(eff.before, "coach.before_intake_help_one", "coach.before_intake_help",
                                           date=dmy(intake)))
        ov = overlaps(view.involvements, as_of)
        dbl = double_casemanagers(view.involvements, as_of)
        cols[3].metric(t("coach.overlaps"), len(ov), help=t("coach.overlaps_help"))
        # each member by the one label of a person (two children of one name told apart, as on the map and in the
        # timeline), with the role where the label is a name (an unnamed member's label is the role already)
        per = [f"{literal_md(view.name_of(m.id) + _role_of(m))}: **{c.per_member[m.id].professionals}**"
               for m in members]
        if c.household_level_professionals:
            per.append(f"{t('common.whole_household')}: **{c.household_level_professionals}**")
        st.markdown(t("coach.per_member") + " · " + (" · ".join(per) or t("coach.no_members")))
        for o in ov:
            who = t("common.the_household") if o.subject == "household" else literal_md(view.name_of(o.subject))
            st.caption(":material/warning: " + t("coach.overlap_on", who=who, domain=_domain(o.life_domain),
                                                 n=len(o.organisations)))
        for d in dbl:
            st.caption(":material/warning: " + t("coach.double", n=len(d.professionals),
                                                 function=literal_md(d.function)))


def _ecomap(actor: Actor, view: HouseholdView, as_of: date, box: Any) -> Any:
    whole = household_graph(view.household.id, view.people, view.involvements, view.coaches)
    g = household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=as_of)
    # The other involvements come from this household's view only: expanding a professional in the map can
    # never show another household.
    others = other_involvements(g, view.involvements, view.coaches, view.people, as_of)
    editable = actor.role == Role.COACH  # the workspace below the map: a click opens its forms
    positions = layout(whole)
    page = ecomap_html(g, positions, height=MAP_HEIGHT_PX, title=f"Eco-map {view.household.id}", others=others,
                       as_of=as_of, editable=editable)
    with box.container():
        # scripts allowed, but not the app's origin (app/sandboxed.py, app/ecomap_frame.py)
        pick = ecomap_frame.show(page, height=frame_height(positions), pickable_nodes=ecomap_frame.pickable(g),
                                 editable=editable, title=t("coach.map_frame", id=view.household.id, date=dmy(as_of)))
        st.caption(plural(g.number_of_nodes(), "coach.map_caption_one", "coach.map_caption", date=dmy(as_of)))
    if pick is not None:
        open_from_map(pick)
    return g


def _node_details(view: HouseholdView, g: Any) -> None:
    options = {n: f"{d.get('label', n)} ({t('kind.' + d['kind']).split(' (')[0].lower()})" for n, d in sorted(
        g.nodes(data=True), key=lambda x: (x[1]["kind"], str(x[1].get("label", ""))))}
    # The same details as a click in the map, for keyboard and screen-reader users.
    node = st.selectbox(t("coach.details_of"), list(options), format_func=options.get,
                        index=None, placeholder=t("coach.details_placeholder"))
    if node is None:
        return
    data = g.nodes[node]
    for other, tie in ties(g, node):
        st.markdown(f"→ {literal_md(other)}: {literal_md(tie)}")
    if data["kind"] == "professional":
        pid = node.removeprefix("PR:")
        rows = [{t("col.organisation"): i.organisation_name, t("col.function"): i.function,
                 t("col.role"): code_label("involvement_role", i.role), t("col.life_domain"): _domain(i.life_domain),
                 t("col.for"): ", ".join(view.name_of(p) for p in i.person_ids) or t("common.whole_household"),
                 t("col.since"): dmy(i.since), t("col.until"): dmy(i.until)}
                for i in view.involvements if i.professional_id == pid]
        st.caption(t("coach.all_involvements"))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


#: the timeline's colours of what is not a professional's involvement: dark (white text on each reads) and unlike
#: the life domains' (app.ecomap.DOMAIN_COLOURS)
_INFORMAL, _NETWORK, _PLAN = "#8f2d56", "#5f6b73", "#2b2d42"
_PLAN_ROW = "plan"  # the row key of the coach's plan: no person's id looks like it


def _recorded_bars(view: HouseholdView) -> tuple[list[Bar], dict[str, str]]:
    """What the coach records and the network around the household, as bars of the timeline: an informal
    supporter on the row of each member supported, the wider client system on the whole household's row, and the
    plan (goals, agreements and sanctions, advice under a mandate) on a row of its own, each from the day it was
    set to the day it was reached, due or decided (still running while open)."""
    bars: list[Bar] = []
    colours: dict[str, str] = {}
    whole = "household"

    def add(row: str, start: date | None, end: date | None, colour: str, lane: str, text: str, hover: str) -> None:
        if start is None:  # an older export without the day it was set: not placed in time
            return
        legend = t("timeline.plan_row") if row == _PLAN_ROW else lane  # the plan's three lanes: one entry
        bars.append(Bar(row, start, end if end is None or end >= start else start, colour, text,
                        hover, legend, lane=lane, key=""))
        colours.setdefault(legend, colour)

    for p in view.people:
        if p.kind not in ("informal", "client_system"):
            continue
        name = view.name_of(p.id)
        hover = f"{name} · {p.role} · {dmy(p.since) if p.since else '?'} – {dmy(p.until) if p.until else t('coach.now')}"
        if p.kind == "informal":
            for row in p.supports or (whole,):
                add(row, p.since, p.until, _INFORMAL, t("timeline.informal"), name, hover)
        else:
            add(whole, p.since, p.until, _NETWORK, t("timeline.network"), name, hover)
    for g in view.goals:
        closed = not g.is_open
        add(_PLAN_ROW, g.since, (g.status_since or g.since) if closed else None, _PLAN, t("timeline.goals"), g.text,
            t("timeline.goal_hover", domain=_domain(g.life_domain), goal=g.text,
              status=code_label("goal_status", g.status), since=dmy(g.since)))
    for a in view.agreements:
        closed = a.status in CLOSED_AGREEMENT
        add(_PLAN_ROW, a.date, (a.status_since or a.due or a.date) if closed else a.due, _PLAN,
            t("timeline.agreements"), a.text,
            t("timeline.agreement_hover", kind=capitalised(code_label("agreement_kind", a.kind)), text=a.text,
              date=dmy(a.date), due=dmy(a.due) if a.due else "–", status=code_label("agreement_status", a.status)))
    for adv in view.advice:
        add(_PLAN_ROW, adv.date, (adv.decided_at or adv.date) if adv.outcome else None, _PLAN, t("timeline.advice"),
            code_label("decision_type", adv.decision_type),
            t("timeline.advice_hover", decision=code_label("decision_type", adv.decision_type),
              organisation=adv.organisation_name, date=dmy(adv.date),
              outcome=code_label("advice_outcome", adv.outcome) if adv.outcome else t("timeline.advice_waiting")))
    return bars, colours


def _timeline(view: HouseholdView, as_of: date) -> None:
    recorded, recorded_colours = _recorded_bars(view)
    if not view.involvements and not recorded:
        st.caption(t("coach.no_involvements"))
        return
    end = max([as_of] + [i.until or as_of for i in view.involvements]
              + [b.end or as_of for b in recorded]) + timedelta(days=30)
    # Rows are keyed by the person's id (two people may look alike); each is shown by the person's one label
    # (queries.analytics.household.person_labels, as on the map and in the brief), a name with its role.
    label = {m.id: view.name_of(m.id) + _role_of(m) for m in view.people if m.kind == "member"}
    label["household"] = t("common.whole_household")
    # Plain SVG drawn here (app/timeline.py): the browser parses no charting library for it.
    by_id = {i.id: i for i in view.involvements}
    bars: list[Bar] = []
    colours: dict[str, str] = {}
    for inv in sorted(view.involvements, key=lambda i: (i.life_domain, i.since)):
        hover = (f"{inv.professional_name or inv.professional_id} · {inv.organisation_name} · {inv.function} · "
                 f"{dmy(inv.since)} – {dmy(inv.until) if inv.until else t('coach.now')}")
        colour = DOMAIN_COLOURS.get(inv.life_domain, "#888")
        colours.setdefault(_domain(inv.life_domain), colour)
        for subject in inv.subjects:
            bars.append(Bar(subject, inv.since, inv.until, colour, inv.organisation_name, hover,
                            _domain(inv.life_domain), lane=_domain(inv.life_domain), key=inv.id))
    hs = all_handovers(view.involvements, view.handovers, HANDOVER_DAYS)
    pp = ping_pong(handover_chains(hs), view.involvements)
    pp_returns = {p.involvement_ids[2] for p in pp}
    marks = [Mark(subject, h.date, h.to_id in pp_returns,
                  (t("notice.kind.ping_pong") + " · " if h.to_id in pp_returns else "")
                  + t("coach.handover", source=by_id[h.from_id].organisation_name,
                      target=by_id[h.to_id].organisation_name, date=dmy(h.date))
                  # a derived handover's reason is the analytics' English note; it is said as coach.derived
                  + (f" · {h.reason}" if h.reason and h.explicit else "") + ("" if h.explicit else t("coach.derived")),
                  key=h.to_id)
             for h in hs for subject in by_id[h.to_id].subjects]
    gap_marks = [Gap(gp.subject, gp.start, gp.end,
                     plural(gp.days, "coach.gap_one", "coach.gap", domain=_domain(gp.life_domain)), lane=_domain(gp.life_domain))
                 for gp in gaps(view.involvements)]
    bars += recorded
    colours.update(recorded_colours)
    label[_PLAN_ROW] = t("timeline.plan_row")
    # (the plan's bars come last of all, so its row is the last one)
    rows = list(dict.fromkeys([m.id for m in view.people if m.kind == "member"] + [b.row for b in bars]))
    label.update({r: view.name_of(r) for r in rows if r not in label})
    # st.markdown, not st.html: st.html's sanitiser removes <svg> altogether (the section stayed 0 px high). Every
    # text in the SVG is escaped by timeline_svg, so the markup carries no script. The names stay put and the time
    # axis scrolls sideways in a narrow column, opened at the present (app/timeline.py).
    st.markdown(timeline_svg(rows, bars, marks, gap_marks, as_of, end, colours, label), unsafe_allow_html=True)
    waiting = referrals_without_follow_up(view.referrals, as_of, FOLLOW_UP_DAYS)
    flagged = {w.referral.id: w.days_waiting for w in waiting}
    if view.referrals:
        st.markdown(t("coach.referrals", days=FOLLOW_UP_DAYS))
        # A static table (a few rows): the interactive grid's script is not worth loading for it. Where a referral
        # stands is one column, a line per step: nine columns ran off a laptop's 564 px column.
        shown = pd.DataFrame([{
            t("col.date"): _dmy(r.date),
            t("col.for"): view.name_of(r.person_id) if r.person_id else t("common.whole_household"),
            t("col.from"): r.professional_name or t("common.unknown"), t("col.to"): r.organisation_name,
            t("col.life_domain"): _domain(r.life_domain), t("col.state"): _referral_state(r, flagged.get(r.id))}
            for r in view.referrals if r.date <= as_of])
        if shown.empty:
            st.caption(t("coach.no_referrals"))
        else:
            _static_table(shown.set_index(t("col.date")), "referrals", lines=(t("col.state"),))


def _referral_state(r: Referral, waiting: int | None) -> str:
    """Where a referral stands, a line per step: accepted, started, or how long it has waited without help."""
    lines = []
    if waiting is not None:
        lines.append(plural(waiting, "coach.no_follow_up_one", "coach.no_follow_up_more"))
    if r.accepted_at is not None:
        lines.append(t("coach.referral_accepted", date=_dmy(r.accepted_at)))
    if r.started_at is not None:
        lines.append(t("coach.referral_started", date=_dmy(r.started_at)))
    return "\n".join(lines) or t("coach.referral_open")


def _static_table(table: pd.DataFrame, key: str, *, lines: Sequence[str] = ()) -> None:
    """``table`` as a static table (its index the first column) whose dates stay on one line ("22-06-" over "2006"
    was hard to read) and whose ``lines`` columns break only where their text has a line break. st.table ignores a
    Styler's CSS, so those columns are styled by their place, in this table only."""
    columns = [str(table.index.name), *map(str, table.columns)]
    # the index is a header cell (th), the rest data cells (td): each counted among its own kind
    whole = ["th:nth-of-type(1)"] if _DAY.match(str(table.index[0])) else []
    whole += [f"td:nth-of-type({k})" for k, c in enumerate(columns[1:], 1)
              if c not in lines and table[c].astype(str).str.fullmatch(_DAY.pattern).any()]
    broken = [f"td:nth-of-type({columns.index(c)})" for c in lines]
    # st.table reads every cell as Markdown: a coach's goal or agreement, a name, an organisation are shown as
    # written, never bold, a formula or a link (an outside test: "[link](http://evil.example)" in an agreement
    # was a live link on the plan tab)
    table = table.map(lambda v: shown_text(v) if isinstance(v, str) else v)
    table.index = table.index.map(lambda v: shown_text(v) if isinstance(v, str) else v)
    table.index.name = shown_text(columns[0])
    table.columns = [shown_text(c) for c in columns[1:]]
    with st.container(key=key):
        # the cell and what is in it: the table sets the wrapping on an element inside the cell
        st.html("<style>" + "".join(f".st-key-{key} tbody {c}, .st-key-{key} tbody {c} * {{ white-space: nowrap; }} "
                                    for c in whole)
                + "".join(f".st-key-{key} tbody {c}, .st-key-{key} tbody {c} * {{ white-space: pre; }} "
                          for c in broken) + "</style>")
        st.table(table)


_DAY = re.compile(r"\d{2}-\d{2}-\d{4}")


def _dmy(d: date | None) -> str:
    return dmy(d)


def _mandate_line(m: Any) -> str:
    buddy = " · " + t("coach.call_buddy", name=literal_md(m.buddy_name),
                      function=literal_md(m.buddy_function or t("coach.buddy")),
                      phone=literal_md(m.buddy_phone or t("coach.no_phone"))) if m.buddy_name else ""
    return f"- {literal_md(m.organisation_name)}: {literal_md(code_label('decision_type', m.decision_type))}{buddy}"


def _mandates(view: HouseholdView, as_of: date) -> None:
    from graph.profile import active_profile

    if not active_profile().generalist.holds_mandates:  # e.g. Leeuwarden's Frontlijnteam: no formal mandate
        st.caption(t("coach.no_mandates_in_model"))
        return
    groups = mandates_by_domain(view, as_of)
    if not groups:
        st.caption(t("coach.no_mandate"))
        return
    st.caption(t("coach.mandates_caption"))
    for g in groups:
        st.markdown(f"**{_domain(g.life_domain)}**")
        if g.involved:
            st.markdown("\n".join(_mandate_line(m) for m in g.involved))
        elif g.other:
            st.caption(t("coach.no_partner_mandate"))
        else:
            st.caption(t("coach.no_domain_mandate"))
        if g.other:
            with st.expander(t("coach.other_mandates", domain=_domain(g.life_domain), n=len(g.other))):
                st.markdown("\n".join(_mandate_line(m) for m in g.other))


def _plan(view: HouseholdView, as_of: date) -> None:
    # Each section as it stood on the as-of date: a goal set later is not shown, a status reached later not yet.
    goals, agreements, ladder = view.goals_on(as_of), view.agreements_on(as_of), view.ladder_on(as_of)
    if goals:
        st.markdown(t("coach.goals"))
        _static_table(pd.DataFrame([{t("col.life_domain"): _domain(g.life_domain), t("col.goal"): g.text,
                                     t("col.since"): dmy(g.since), t("col.status"): code_label("goal_status", g.status)}
                                    for g in goals]).set_index(t("col.life_domain")), "plan-goals")
    if agreements:
        st.markdown(t("coach.agreements"))
        # one past its date without an outcome says so, as the brief ("verlopen") and the caseload ("over tijd") do;
        # a static table: its texts wrap in a laptop's column, where the grid cut off the deadline and the status
        _static_table(pd.DataFrame([{t("col.kind"): code_label("agreement_kind", a.kind), t("col.text"): a.text,
                                     t("col.in_return"): a.in_return or "",
                                     t("col.date"): dmy(a.date), t("col.due"): dmy(a.due),
                                     t("col.status"): code_label("agreement_status", a.status) + (
                                         f" · {t('coach.overdue')}" if a.due is not None and a.due < as_of
                                         and a.status not in CLOSED_AGREEMENT else "")}
                                    for a in agreements]).set_index(t("col.kind")), "plan-agreements")
    if ladder:
        fig = go.Figure()
        for pid in sorted({s.person_id for s in ladder}):
            xs, ys = ladder_line([(s.date, s.rung) for s in ladder if s.person_id == pid])
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", line_shape="hv", name=view.name_of(pid),
                                     connectgaps=False, showlegend=True))
        fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line_dash="dash", line_color="#444")
        fig.update_layout(height=270, margin={"l": 10, "r": 10, "t": 44, "b": 10},  # t: the title whole
                          title=t("coach.ladder"), yaxis={
                              "range": [0.5, 6.5], "tickvals": list(LADDER_RUNGS),
                              "ticktext": [f"{k} {v}" for k, v in LADDER_RUNGS.items()]})
        st.plotly_chart(fig, width="stretch", config=plotly_config())
    if not (goals or agreements or ladder):
        st.caption(t("coach.no_plan"))


def _brief(actor: Actor, view: HouseholdView, purpose: str, as_of: date, g: Any) -> None:
    pos = layout(household_graph(view.household.id, view.people, view.involvements, view.coaches))
    hid = view.household.id

    recorded = recorded_lines(actor, hid, as_of, purpose)  # read here (audited): the downloads run later

    def make_html() -> str:  # run when clicked, maybe long after this run: the scope is checked again then
        open_household(get_db(), get_audit(), actor, hid, purpose=purpose, action="download_brief", detail="html")
        return brief_html(view, g, pos, as_of, prepared_by=actor.user, follow_up_days=FOLLOW_UP_DAYS,
                          recorded=recorded)

    def make_pdf() -> bytes:
        open_household(get_db(), get_audit(), actor, hid, purpose=purpose, action="download_brief", detail="pdf")
        return brief_pdf(view, g, pos, as_of, prepared_by=actor.user, follow_up_days=FOLLOW_UP_DAYS,
                         recorded=recorded)

    # the two buttons as wide as their labels, side by side (in narrow columns the labels were cut off)
    row = st.container(horizontal=True)
    row.download_button(t("coach.brief_html"), data=while_signed_in(actor, make_html, what="download_brief",
                                                                     target=hid, purpose=purpose),
                        file_name=f"brief-{hid}-{as_of:%Y%m%d}.html",
                        mime="text/html", icon=":material/description:", on_click="ignore")
    if pdf_missing() is None:
        row.download_button(t("coach.brief_pdf"), data=while_signed_in(actor, make_pdf, what="download_brief",
                                                                       target=hid, purpose=purpose),
                            file_name=f"brief-{hid}-{as_of:%Y%m%d}.pdf", mime="application/pdf",
                            icon=":material/picture_as_pdf:", on_click="ignore")
    else:  # no layout engine on this server: the HTML brief prints from the browser all the same
        st.caption(t("coach.brief_no_pdf"))
    st.caption(t("coach.brief_caption",
                 contacts=plural(len(contacts(view, as_of)), "coach.contacts_one", "coach.contacts"),
                 points=plural(len(open_points(view, as_of, FOLLOW_UP_DAYS)), "coach.open_points_one",
                               "coach.open_points")))


# ----------------------------------------------------------------------------------------------------- page
def main() -> None:
    st.title(page_title("coach"))
    actor = current_actor()
    if actor is None:
        st.stop()
    if actor.role not in HOUSEHOLD_ROLES:  # the navigation already sends other roles to this stand-in
        not_permitted("coach")
    held = _current(actor)
    deep_link = st.query_params.get("household")
    # Lazy: the caseload's rows are built and drawn only while the finder is open (once a household is open,
    # they were most of the page's elements). It starts open only when there is nothing else to show.
    finder = st.expander(t("coach.finder"), expanded=held is None and not deep_link, key=_FINDER,
                         on_change="rerun", icon=":material/search:")
    purpose = st.session_state.get(_PURPOSE_KEPT, next(iter(PURPOSES)))  # a change was kept by its callback
    with finder:
        if finder.open:
            st.selectbox(t("coach.purpose"), list(PURPOSES), index=list(PURPOSES).index(purpose),
                         format_func=purpose_label,
                         key=_PURPOSE, on_change=_keep_purpose)
            _finder(actor)
    chosen = st.session_state.pop(_CHOSEN, None)
    if chosen is not None:
        st.session_state[_PURPOSE_KEPT] = purpose  # chosen in the finder, under the purpose it shows
    elif deep_link and (held is None or held[0] != str(deep_link)):
        # a link (shared, bookmarked, the overview's or a signal's, the browser's back button) opens its household
        # under the purpose the coach stated in this session; none stated yet: asked first, nothing read before
        # (an outside test: a link opened the household, audited under a purpose the coach never chose)
        if (stated := st.query_params.get("doel")) in PURPOSES:  # a link that states it (an open household's address)
            st.session_state[_PURPOSE_KEPT] = purpose = str(stated)
        elif _PURPOSE_KEPT not in st.session_state:
            _ask_purpose(str(deep_link))
            st.stop()
        chosen = str(deep_link)
    if chosen is not None or (held is not None and held[1] != purpose):
        if chosen is not None:
            forget_previous_open()
        hid = chosen or (held[0] if held else "")
        if _open(actor, hid, purpose) is None:
            st.stop()
        held = _current(actor)
    elif held is not None and not _still_in_scope(actor, held[0], held[1]):
        st.stop()  # nothing held is shown for a household no longer in the caseload
    if held is None:
        st.info(t("coach.open_hint"), icon=":material/family_restroom:")
        st.stop()
    hid, purpose, view = held
    if (st.query_params.get("household"), st.query_params.get("doel")) != (hid, purpose):
        # the address bar links to the household shown and the purpose it is open for (share, bookmark)
        st.query_params.update({"household": hid, "doel": purpose})
    st.subheader(f"{view.household.address or t('common.household_ref', id=hid)} · {view.household.postcode or ''}")
    st.caption(f"{t('common.household_ref', id=hid)} · {view.household.area_name or t('common.unknown')} · "
               + t("coach.purpose_shown", purpose=purpose_label(purpose)))
    show_since_last_visit(actor, view)
    if view.data_problems:  # stored values of the wrong type: shown as unknown, never a crash
        with st.expander(plural(len(view.data_problems), "coach.data_problems_one", "coach.data_problems"),
                         icon=":material/warning:"):
            st.markdown("\n".join(f"- {say(p, markdown=True)}" for p in view.data_problems))

    dates = change_dates(view.involvements, view.people, view.coaches)
    today = dutch_today()
    first, last = view.period(today)  # the slider's end: today, or a record dated later (a deadline, a planned visit)
    playing: list[date] = st.session_state.get(_PLAYING) or []
    # Play: one change per run, so the slider and the date field move with the picture. A change is taken off
    # the list only once a run has shown it to the end: a run cut short (a slow machine, a click) shows it again
    # instead of losing it.
    if playing and st.session_state.get(_PLAYED) == playing[0]:
        playing.pop(0)
    if playing:
        trail = st.session_state.setdefault(_ECHO, [])
        if (shown := st.session_state.get(_AS_OF)) != playing[0] and shown not in trail:
            trail.append(shown)  # what a browser busy drawing may still send back
        st.session_state[_AS_OF] = playing[0]
    held_as_of = st.session_state.get(_AS_OF)
    if not isinstance(held_as_of, date) or not first <= held_as_of <= last:
        st.session_state[_AS_OF] = min(last, max(first, today))  # the page opens on today, not on a later record
    if not st.session_state.get(_DATE_ERROR):
        st.session_state[_DATE] = dmy(st.session_state[_AS_OF])  # the date field shows the slider's date
    c1, c2, c3 = st.columns([3.6, 1.5, 1.9], vertical_alignment="bottom")  # room for "Afspelen" at 1024 pixels
    as_of = c1.slider(t("common.as_of"), min_value=first, max_value=last, format="DD-MM-YYYY", key=_AS_OF,
                      on_change=_slid)
    c2.text_input(t("coach.date"), key=_DATE, on_change=_typed, args=(first, last), max_chars=10,
                  help=t("coach.date_help", first=dmy(first), last=dmy(last)))
    if st.session_state.get(_DATE_ERROR):
        st.error(st.session_state[_DATE_ERROR], icon=":material/event_busy:")
    if playing:
        # a callback, so the run the click asks for already knows: it shows the date the coach saw (a run of the
        # replay would show the next one) and draws "Afspelen" (drawn in the run, "Stop" stayed: no timer left)
        c3.button(t("coach.stop"), icon=":material/stop:", help=t("coach.stop_help"),
                  on_click=_stopped_by, args=("Stop button", "a click"))
    elif c3.button(t("coach.play"), icon=":material/play_arrow:", help=t("coach.play_help")):
        steps = [d for d in dates if first <= d <= last][-24:]  # the last two dozen changes: a replay, not a film
        opened_on = min(last, max(first, today))
        if not steps or steps[-1] < opened_on:
            # ... ending on the day the page opened on: a replay that stopped on its last change (23-05-2012) left
            # the page and the brief there, years back (a review)
            steps.append(opened_on)
        st.session_state[_PLAYING] = steps
        st.session_state[_PLAYED] = None
        st.session_state[_ECHO] = []
        st.session_state[_TICKED] = False  # a replay stopped before may have left its timer armed
        st.rerun()
    counts_box, map_box = st.empty(), st.empty()
    _counts(view, as_of, counts_box)
    g = _ecomap(actor, view, as_of, map_box)
    _node_details(view, g)
    workspace_panel(actor, view, purpose, as_of, reload=lambda: _open(actor, hid, purpose))
    # One section at a time, built only when chosen: st.tabs would build and draw all four on every rerun, and
    # the charts in them were the largest part of the browser's work per page (bench/bench_browser.py).
    section = st.segmented_control(t("coach.section"), list(_SECTIONS), default=_SECTIONS[0], key=_SECTION,
                                   required=True, format_func=lambda s: t(f"coach.section_{s}"),
                                   label_visibility="collapsed") or _SECTIONS[0]
    if section == "timeline":
        _timeline(view, as_of)
    elif section == "mandates":
        _mandates(view, as_of)
    elif section == "plan":
        _plan(view, as_of)
    else:
        _brief(actor, view, purpose, as_of, g)
        # plain sentences holding what coaches and exports wrote: said as written, never read as Markdown
        st.markdown("\n".join(f"- {literal_md(p)}" for p in open_points(view, as_of, FOLLOW_UP_DAYS))
                    or t("coach.no_points"))
    if playing := st.session_state.get(_PLAYING):
        st.session_state[_PLAYED] = playing[0]  # this run reached its end: the next one shows the next change
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
