"""Aanmeldingen en caseload (project lead; the administrator sees the counts): the signals that are not yet
anyone's case, take one as an intake, assign the household to a wijkcoach, move it to another coach, close the
intake; and each coach's caseload at a glance.

The page shows what an intake needs and nothing of a household's content: the signal's date, channel and area,
the household's pseudonym and its coach. Every read and write goes through the query layer and the audited
write entry (:mod:`queries.intake`, :mod:`ingest.intake`); a wrong value gets its message next to the field, a
change someone else made meanwhile a clear sentence, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from app.aggregate_widgets import typed_date
from app.dates import dmy, parse_typed_date
from app.errors import user_message
from app.i18n import capitalised, code_label, num, page_title, say, t
from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.clock import today as dutch_today
from graph.errors import ChangedMeanwhile, InvalidFields
from graph.profile import code_values
from ingest.intake import (
    TICK_MOVE,
    assign_household,
    close_intake,
    move_caseload,
    open_intake,
    register_signal,
)
from queries.access import CASELOAD_ROLES, INTAKE_ROLES
from queries.intake import (
    HouseholdAt,
    Intake,
    OpenSignal,
    caseload_counts,
    household_at,
    open_intakes,
    open_signals,
)
from queries.overview import areas as area_rows

STATUS = {"open": "intake.status_open", "toegewezen": "intake.status_assigned"}

actor = page_actor(page_title("intake"), "intake_page", *INTAKE_ROLES)
db, audit = get_db(), get_audit()
#: the areas by code, shown by name (and code)
areas = {a["code"]: f"{a['name']} ({a['code']})" for a in guarded(lambda: area_rows(db)) or []}


def coach_label() -> str:
    """The generalist's name as a label: with a capital (Wijkcoach)."""
    name = t("intake.col_coach")
    return capitalised(name)


def nl(d: date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "—"


def form_date(label: str, default: date, key: str) -> str:
    """A date field in a form, typed as people type dates (``15-1-2009``); read with :func:`form_day` when the
    form is sent, so a date that cannot be read is said under the field like every other wrong value."""
    return st.text_input(label, value=dmy(default), key=key, help=t("dates.field_help"))


def form_day(raw: str, field: str = "datum") -> date:
    """The date typed in a form field, or :class:`InvalidFields` naming ``field`` (shown under it)."""
    try:
        return parse_typed_date(raw)
    except ValueError as exc:  # a sentence under its field, begun as one ("er staat geen datum" was not)
        raise InvalidFields({field: capitalised(str(exc))}) from None


def field_error(form: str, field: str) -> None:
    """The message of ``field`` from the last attempt of ``form``, right under the field."""
    msg = st.session_state.get(f"errors-{form}", {}).get(field)
    if msg:
        st.error(say(msg, markdown=True), icon=":material/error:")  # ingest.intake's sentence, its values as typed


def attempt(form: str, write: Callable[[], str]) -> None:
    """Run a write. Done: its sentence is shown after the rerun. Invalid values: the messages are kept per field
    (the form keeps what was typed). Changed meanwhile: one sentence, reload. Anything else: one sentence."""
    st.session_state.pop(f"errors-{form}", None)
    outcome: dict[str, object] = {}

    def run() -> str | None:
        try:
            return write()
        except InvalidFields as exc:
            outcome["fields"] = exc.fields
        except ChangedMeanwhile as exc:
            outcome["changed"] = user_message(exc)
        return None

    done = guarded(run)
    if "fields" in outcome:
        st.session_state[f"errors-{form}"] = outcome["fields"]
    elif "changed" in outcome:
        st.session_state["intake-flash-warning"] = outcome["changed"]
    elif done is not None:
        st.session_state["intake-flash"] = done
    else:
        return  # guarded() has shown the error
    st.rerun()


# The lists hold on this day; the forms' dates are checked against the real today (a start 05-12-2026 is not "a year
# in the future" because the lists show 2024, nor 2029 accepted because they show 2029).
day = typed_date(t("intake.day"), dutch_today(), "in-day", help=t("intake.day_help"))
if flash := st.session_state.pop("intake-flash", None):
    st.success(flash, icon=":material/check_circle:")
if warn := st.session_state.pop("intake-flash-warning", None):
    st.warning(warn, icon=":material/sync_problem:")
st.caption(t("intake.caption"))

counts = guarded(lambda: caseload_counts(db, audit, actor, today=day)) or []
coach_names: dict[str, str] = {}
for c in counts:
    label = c.coach if sum(1 for o in counts if o.coach == c.coach) == 1 else f"{c.coach} ({c.professional_id})"
    coach_names[c.professional_id] = label

st.subheader(t("intake.caseload"))
if not counts:
    st.info(t("intake.no_coaches"))
else:
    st.metric(t("intake.with_coach"), num(sum(c.households for c in counts)))
    with st.container(key="in-counts"):
        st.markdown(f"| {coach_label()} | {t('intake.col_households')} |\n|---|---:|\n" + "\n".join(
            f"| {coach_names[c.professional_id].replace('|', '/')} | {c.households} |" for c in counts))

if actor.role not in CASELOAD_ROLES:
    st.info(t("intake.lead_only"))
    st.stop()


def coach_select(key: str, label: str | None = None, exclude: str | None = None) -> str | None:
    options = [pid for pid in coach_names if pid != exclude]
    return st.selectbox(label or coach_label(), options, index=None, format_func=coach_names.get, key=key,
                        placeholder=t("intake.choose_coach"))


def signal_line(s: OpenSignal | Intake) -> str:
    where = t("intake.area", area=areas.get(s.area_code, s.area_code)) if s.area_code else t("intake.area_unknown")
    who = t("intake.household", id=s.household_id) if s.household_id else t("intake.household_unknown")
    coach = t("intake.now_with", coach=coach_names.get(s.coach_id, s.coach or s.coach_id)) if s.coach_id else ""
    return (f"**{s.signal_id}** · {nl(s.signal_date)} · {code_label('signal_channel', s.channel)} · {where} · "
            f"{who}{coach}")


# -- open signals ----------------------------------------------------------------------------------------------
st.subheader(t("intake.open_signals"))
signals = guarded(lambda: open_signals(db, audit, actor, today=day))
if signals is not None:
    if not signals:
        st.info(t("intake.no_signals"))
    for s in signals:
        with st.container(border=True, key=f"sig-{s.signal_id}"):
            st.markdown(signal_line(s))
            if st.button(t("intake.take"), key=f"take-{s.signal_id}", help=t("intake.take_help")):
                def take(sig: OpenSignal = s) -> str:
                    open_intake(db, audit, actor, sig.signal_id, expected_version=sig.version, on=day)
                    return t("intake.taken", id=sig.signal_id)
                attempt(f"take-{s.signal_id}", take)
            field_error(f"take-{s.signal_id}", "aanmelding")

# -- open intakes ----------------------------------------------------------------------------------------------
st.subheader(t("intake.running"))
intakes = guarded(lambda: open_intakes(db, audit, actor, today=day))
if intakes is not None:
    if not intakes:
        st.info(t("intake.none_running"))
    for it in intakes:
        with st.container(border=True, key=f"intake-{it.signal_id}"):
            st.markdown(signal_line(it) + f" · {t(STATUS[it.status]) if it.status in STATUS else it.status}")
            assign_tab, move_tab, close_tab = st.tabs([t("intake.assign"), t("intake.move"), t("intake.close")])
            with assign_tab:
                form = f"assign-{it.signal_id}"
                with st.form(form, border=False):
                    coach = coach_select(f"{form}-coach")
                    field_error(form, "wijkcoach")
                    since = form_date(t("intake.from"), day, f"{form}-since")
                    field_error(form, "datum")
                    household = None
                    if not it.household_id:
                        household = st.text_input(t("intake.household_field"), key=f"{form}-hh",
                                                  help=t("intake.household_help"))
                        field_error(form, "huishouden")
                    # a household another coach holds moves only when the lead says so, as in Verplaatsen; a typed
                    # one too (it moved without asking: an outside test), refused by the write until ticked
                    moving = st.checkbox(t("intake.move_sure", id=it.household_id,
                                           coach=coach_names.get(it.coach_id, it.coach_id))
                                         if it.coach_id and it.household_id else t("intake.move_sure_any"),
                                         key=f"{form}-sure")
                    field_error(form, "bevestig")
                    if st.form_submit_button(t("intake.assign"), type="primary"):
                        def assign(i: Intake = it, c: str | None = coach, raw: str = since,
                                   h: str | None = household, ok: bool = moving) -> str:
                            d = form_day(raw)
                            if i.coach_id and c and c != i.coach_id and not ok:
                                raise InvalidFields({"bevestig": TICK_MOVE})
                            hh = assign_household(db, audit, actor, c or "", d, household_id=h or i.household_id or None,
                                                  signal_id=i.signal_id, expected_version=i.version,
                                                  today=dutch_today(), move=ok)
                            if c and c == i.coach_id:  # the coach the household has: nothing moves
                                return t("intake.assigned_same", id=hh, coach=coach_names.get(c, c))
                            return t("intake.assigned", id=hh, date=nl(d), coach=coach_names.get(c or "", c))
                        attempt(form, assign)
                field_error(form, "aanmelding")
            with move_tab:
                form = f"move-{it.signal_id}"
                if not (it.coach_id and it.household_id):
                    st.caption(t("intake.move_later"))
                else:
                    with st.form(form, border=False):
                        to = coach_select(f"{form}-to", t("intake.to_coach"), exclude=it.coach_id)
                        field_error(form, "naar")
                        on = form_date(t("intake.first_day"), day, f"{form}-on")
                        field_error(form, "datum")
                        sure = st.checkbox(t("intake.move_sure", id=it.household_id,
                                             coach=coach_names.get(it.coach_id, it.coach_id)), key=f"{form}-sure")
                        field_error(form, "bevestig")
                        if st.form_submit_button(t("intake.move")):
                            def move(i: Intake = it, target: str | None = to, raw: str = on, ok: bool = sure) -> str:
                                d = form_day(raw)
                                move_caseload(db, audit, actor, i.coach_id or "", target or "", d,
                                              household_ids=[i.household_id or ""], today=dutch_today(),
                                              confirmed=ok)
                                return t("intake.moved", id=i.household_id, date=nl(d),
                                         coach=coach_names.get(target or "", target))
                            attempt(form, move)
                    field_error(form, "huishouden")
            with close_tab:
                form = f"close-{it.signal_id}"
                with st.form(form, border=False):
                    reason = st.text_input(t("intake.reason"), key=f"{form}-reason", help=t("intake.reason_help"))
                    field_error(form, "reden")
                    on_close = form_date(t("intake.date"), day, f"{form}-on")
                    field_error(form, "datum")
                    sure = st.checkbox(t("intake.close_sure"), key=f"{form}-sure")
                    field_error(form, "bevestig")
                    if st.form_submit_button(t("intake.close_button")):
                        def close(i: Intake = it, r: str = reason, raw: str = on_close, ok: bool = sure) -> str:
                            d = form_day(raw)
                            ended = close_intake(db, audit, actor, i.signal_id, r, on=d,
                                                 expected_version=i.version, today=dutch_today(), confirmed=ok)
                            return t("intake.closed_ended" if ended else "intake.closed", id=i.signal_id, date=nl(d))
                        attempt(form, close)
                field_error(form, "aanmelding")

# -- a household's pseudonym from the address a signal came with -------------------------------------------------
def find_household() -> None:
    """Postcode, house number and suffix → the households there, by pseudonym, area and coach (the address is
    matched in the query layer, never shown back)."""
    found: list[HouseholdAt] | None = st.session_state.get("find-result")
    with st.expander(t("intake.find_title"), expanded=found is not None or "errors-find" in st.session_state):
        st.caption(t("intake.find_caption"))
        with st.form("find"):
            c1, c2, c3 = st.columns([2, 1, 1])
            pc = c1.text_input(t("intake.find_postcode"), key="find-pc", placeholder="1234 AB")
            nr = c2.text_input(t("intake.find_number"), key="find-nr")
            sx = c3.text_input(t("intake.find_suffix"), key="find-sx")
            field_error("find", "postcode")
            field_error("find", "huisnummer")
            if st.form_submit_button(t("intake.find_button")):
                st.session_state.pop("errors-find", None)

                def look() -> list[HouseholdAt] | None:
                    try:
                        return household_at(db, audit, actor, pc, nr, sx, today=day)
                    except InvalidFields as exc:
                        st.session_state["errors-find"] = exc.fields
                        return None

                st.session_state["find-result"] = guarded(look)
                st.rerun()
        if found is not None:
            if not found:
                st.info(t("intake.find_none"))
            for h in found:
                where = areas.get(h.area_code, h.area_code) if h.area_code else t("intake.area_unknown")
                coach = (t("intake.now_with", coach=coach_names.get(h.coach_id, h.coach or h.coach_id))
                         if h.coach_id else t("intake.find_no_coach"))
                st.markdown(t("intake.find_line", where=where, coach=coach))
                st.code(h.household_id, language=None)


find_household()

# -- register a signal -----------------------------------------------------------------------------------------
st.subheader(t("intake.new_signal"))
form = "register"
# The fields' keys carry a generation, raised after a signal is registered: the form starts empty again, so a
# second click does not register the same signal twice (a wrong value keeps what was typed).
gen = st.session_state.get("reg-gen", 0)
with st.form(form):
    sig_day = form_date(t("intake.signal_date"), day, f"reg-date-{gen}")
    field_error(form, "datum")
    channel = st.selectbox(t("intake.channel"), code_values("signal_channel"), format_func=lambda c: code_label("signal_channel", c),
                           key=f"reg-channel-{gen}")
    field_error(form, "kanaal")
    area = st.selectbox(t("intake.area_field"), list(areas), index=None, format_func=areas.get, key=f"reg-area-{gen}",
                        placeholder=t("intake.area_none"), help=t("intake.area_help"))
    field_error(form, "wijk")
    household = st.text_input(t("intake.household_known"), key=f"reg-hh-{gen}", help=t("intake.household_help"))
    field_error(form, "huishouden")
    if st.form_submit_button(t("intake.register"), type="primary"):
        def register(raw: str = sig_day, k: str = channel, a: str | None = area, h: str = household) -> str:
            def send(d: date | None) -> str:
                return register_signal(db, audit, actor, signal_date=d, channel=k, area_code=a or None,  # type: ignore[arg-type]
                                       household_id=h.strip() or None, today=dutch_today())
            try:
                d = form_day(raw)
            except InvalidFields as bad_date:  # every field's problem at once: the others are checked too (a
                try:                           # signal without a date is refused before anything is written)
                    send(None)
                except InvalidFields as others:
                    raise InvalidFields({**others.fields, **bad_date.fields}) from None
                raise
            sid = send(d)
            st.session_state["reg-gen"] = gen + 1
            return t("intake.registered", id=sid)
        attempt(form, register)
