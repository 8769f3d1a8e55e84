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
from app.i18n import t
from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.errors import ChangedMeanwhile, InvalidFields
from graph.model import CODE_LISTS, SIGNAL_CHANNELS
from ingest.intake import assign_household, close_intake, move_caseload, open_intake, register_signal
from queries.access import CASELOAD_ROLES, INTAKE_ROLES
from queries.intake import Intake, OpenSignal, caseload_counts, open_intakes, open_signals

CHANNELS = {str(c.value): c.nl for c in CODE_LISTS["signal_channel"].codes}
STATUS = {"open": "intake loopt", "toegewezen": "toegewezen"}

actor = page_actor("Aanmeldingen en caseload", "intake_page", *INTAKE_ROLES)
db, audit = get_db(), get_audit()


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
    except ValueError as exc:
        raise InvalidFields({field: str(exc)}) from None


def field_error(form: str, field: str) -> None:
    """The message of ``field`` from the last attempt of ``form``, right under the field."""
    msg = st.session_state.get(f"errors-{form}", {}).get(field)
    if msg:
        st.error(msg, icon=":material/error:")


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
            outcome["changed"] = str(exc)
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


day = typed_date("Peildatum", date.today(), "in-day", help="De lijsten en de caseload gelden op deze dag.")
if flash := st.session_state.pop("intake-flash", None):
    st.success(flash, icon=":material/check_circle:")
if warn := st.session_state.pop("intake-flash-warning", None):
    st.warning(warn, icon=":material/sync_problem:")
st.caption("Alleen wat de intake nodig heeft: datum, kanaal en wijk van het signaal, het pseudoniem van het "
           "huishouden en de wijkcoach. Niets van de inhoud van een huishouden. Elke weergave en wijziging wordt "
           "gelogd.")

counts = guarded(lambda: caseload_counts(db, audit, actor, today=day)) or []
coach_names: dict[str, str] = {}
for c in counts:
    label = c.coach if sum(1 for o in counts if o.coach == c.coach) == 1 else f"{c.coach} ({c.professional_id})"
    coach_names[c.professional_id] = label

st.subheader("Caseload per wijkcoach")
if not counts:
    st.info("Er zijn nog geen wijkcoaches: laad eerst de medewerkers (Load data).")
else:
    st.metric("Huishoudens met een wijkcoach", f"{sum(c.households for c in counts):,}".replace(",", "."))
    with st.container(key="in-counts"):
        st.markdown("| Wijkcoach | Huishoudens |\n|---|---:|\n" + "\n".join(
            f"| {coach_names[c.professional_id].replace('|', '/')} | {c.households} |" for c in counts))

if actor.role not in CASELOAD_ROLES:
    st.info("De lijsten met aanmeldingen en huishoudens (pseudoniemen) zijn alleen voor de projectleider. Een "
            "vertrekkende wijkcoach verplaatst u met `wijknet caseload move --from … --to … --date …`.")
    st.stop()


def coach_select(key: str, label: str = "Wijkcoach", exclude: str | None = None) -> str | None:
    options = [pid for pid in coach_names if pid != exclude]
    return st.selectbox(label, options, index=None, format_func=coach_names.get, key=key,
                        placeholder="Kies een wijkcoach")


def signal_line(s: OpenSignal | Intake) -> str:
    where = f"wijk {s.area_code}" if s.area_code else "wijk onbekend"
    who = f"huishouden `{s.household_id}`" if s.household_id else "huishouden nog niet bekend"
    coach = f" · nu bij {coach_names.get(s.coach_id, s.coach or s.coach_id)}" if s.coach_id else ""
    return (f"**{s.signal_id}** · {nl(s.signal_date)} · {CHANNELS.get(s.channel, s.channel)} · {where} · "
            f"{who}{coach}")


# -- open signals ----------------------------------------------------------------------------------------------
st.subheader("Open signalen")
signals = guarded(lambda: open_signals(db, audit, actor, today=day))
if signals is not None:
    if not signals:
        st.info("Geen open signalen: elk signaal van de afgelopen twaalf maanden (tot de peildatum) is al iemands "
                "casus. Registreer hieronder een nieuw signaal, of kies een andere peildatum.")
    for s in signals:
        with st.container(border=True, key=f"sig-{s.signal_id}"):
            st.markdown(signal_line(s))
            if st.button("Intake starten", key=f"take-{s.signal_id}", help="Maak van dit signaal een intake."):
                def take(sig: OpenSignal = s) -> str:
                    open_intake(db, audit, actor, sig.signal_id, expected_version=sig.version, on=day)
                    return f"De intake voor {sig.signal_id} is gestart; wijs het huishouden hieronder toe."
                attempt(f"take-{s.signal_id}", take)
            field_error(f"take-{s.signal_id}", "aanmelding")

# -- open intakes ----------------------------------------------------------------------------------------------
st.subheader("Lopende intakes")
intakes = guarded(lambda: open_intakes(db, audit, actor, today=day))
if intakes is not None:
    if not intakes:
        st.info("Geen lopende intakes. Start een intake bij een open signaal hierboven.")
    for it in intakes:
        with st.container(border=True, key=f"intake-{it.signal_id}"):
            st.markdown(signal_line(it) + f" · {STATUS.get(it.status, it.status)}")
            assign_tab, move_tab, close_tab = st.tabs(["Toewijzen", "Verplaatsen", "Sluiten"])
            with assign_tab:
                form = f"assign-{it.signal_id}"
                with st.form(form, border=False):
                    coach = coach_select(f"{form}-coach")
                    field_error(form, "wijkcoach")
                    since = form_date("Vanaf", day, f"{form}-since")
                    field_error(form, "datum")
                    household = None
                    if not it.household_id:
                        household = st.text_input("Huishouden (pseudoniem)", key=f"{form}-hh",
                                                  placeholder="HH-…")
                        field_error(form, "huishouden")
                    if st.form_submit_button("Toewijzen", type="primary"):
                        def assign(i: Intake = it, c: str | None = coach, raw: str = since,
                                   h: str | None = household) -> str:
                            d = form_day(raw)
                            hh = assign_household(db, audit, actor, c or "", d, household_id=h or i.household_id or None,
                                                  signal_id=i.signal_id, expected_version=i.version, today=day)
                            return f"{hh} is vanaf {nl(d)} toegewezen aan {coach_names.get(c or '', c)}."
                        attempt(form, assign)
                field_error(form, "aanmelding")
            with move_tab:
                form = f"move-{it.signal_id}"
                if not (it.coach_id and it.household_id):
                    st.caption("Verplaatsen kan zodra het huishouden een wijkcoach heeft.")
                else:
                    with st.form(form, border=False):
                        to = coach_select(f"{form}-to", "Naar wijkcoach", exclude=it.coach_id)
                        field_error(form, "naar")
                        on = form_date("Eerste dag bij de nieuwe wijkcoach", day, f"{form}-on")
                        field_error(form, "datum")
                        sure = st.checkbox(f"Ja, verplaats {it.household_id} van "
                                           f"{coach_names.get(it.coach_id, it.coach_id)}; de huidige toewijzing "
                                           "eindigt de dag ervoor.", key=f"{form}-sure")
                        field_error(form, "bevestig")
                        if st.form_submit_button("Verplaatsen"):
                            def move(i: Intake = it, t: str | None = to, raw: str = on, ok: bool = sure) -> str:
                                d = form_day(raw)
                                if not ok:
                                    raise InvalidFields({"bevestig": "Vink eerst aan dat u wilt verplaatsen."})
                                move_caseload(db, audit, actor, i.coach_id or "", t or "", d,
                                              household_ids=[i.household_id or ""], today=day)
                                return (f"{i.household_id} is vanaf {nl(d)} in de caseload van "
                                        f"{coach_names.get(t or '', t)}.")
                            attempt(form, move)
                    field_error(form, "huishouden")
            with close_tab:
                form = f"close-{it.signal_id}"
                with st.form(form, border=False):
                    reason = st.text_input("Reden van sluiten", key=f"{form}-reason",
                                           help="Kort en zonder namen of BSN, bijvoorbeeld 'hulpvraag beantwoord'.")
                    field_error(form, "reden")
                    on_close = form_date("Datum", day, f"{form}-on")
                    field_error(form, "datum")
                    sure = st.checkbox("Ja, sluit deze intake; een lopende toewijzing van het huishouden eindigt op "
                                       "deze datum.", key=f"{form}-sure")
                    field_error(form, "bevestig")
                    if st.form_submit_button("Intake sluiten"):
                        def close(i: Intake = it, r: str = reason, raw: str = on_close, ok: bool = sure) -> str:
                            d = form_day(raw)
                            if not ok:
                                raise InvalidFields({"bevestig": "Vink eerst aan dat u de intake wilt sluiten."})
                            ended = close_intake(db, audit, actor, i.signal_id, r, on=d,
                                                 expected_version=i.version, today=day)
                            return f"De intake {i.signal_id} is gesloten per {nl(d)}" + (
                                "; de toewijzing is beëindigd." if ended else ".")
                        attempt(form, close)
                field_error(form, "aanmelding")

# -- register a signal -----------------------------------------------------------------------------------------
st.subheader("Nieuw signaal registreren")
form = "register"
with st.form(form):
    sig_day = form_date("Datum van het signaal", day, "reg-date")
    field_error(form, "datum")
    channel = st.selectbox("Kanaal", SIGNAL_CHANNELS, format_func=lambda c: CHANNELS.get(c, c), key="reg-channel")
    field_error(form, "kanaal")
    area = st.text_input("Wijk (code)", key="reg-area", help="Mag leeg blijven als u het huishouden invult.")
    field_error(form, "wijk")
    household = st.text_input("Huishouden (pseudoniem), als het bekend is", key="reg-hh", placeholder="HH-…")
    field_error(form, "huishouden")
    if st.form_submit_button("Signaal registreren", type="primary"):
        def register(raw: str = sig_day, k: str = channel, a: str = area, h: str = household) -> str:
            d = form_day(raw)
            sid = register_signal(db, audit, actor, signal_date=d, channel=k, area_code=a or None,
                                  household_id=h or None, today=date.today())
            return f"Signaal {sid} is geregistreerd; het staat nu bij de open signalen."
        attempt(form, register)
