"""The coach's workspace on the household page: record what only the coach knows, and correct it.

Shown below the eco-map as a panel that is read and built only while it is open (so opening a household costs
nothing more, and nothing more is audited, until the coach wants to record): the advice still awaiting a
partner's decision, a form per kind of fact (:data:`ingest.record.KINDS`), the facts in force on the page's date
with who recorded them, and one correction form for a chosen fact. Every write goes through
:func:`ingest.record.record` / :func:`ingest.record.correct` (audited, caseload checked); a refused value is
shown next to its field, a form's values survive reruns and closing the panel (kept in the session) until it is
saved (then a new fact's form is drawn with new, empty widgets: its keys carry a generation raised by the save;
emptying the same widgets from the server made the browser drop the next click) or another household is opened
(its forms start empty), and a
correction on a fact someone changed meanwhile is refused with that person's name while the input stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from app.ecomap_frame import Pick
from app.errors import user_message
from app.i18n import code_label, say, shown_text, t
from app.state import get_audit, get_db
from app.ui import guarded
from graph.clock import today as dutch_today
from graph.errors import ChangedMeanwhile, InvalidEntry, WijknetError
from graph.profile import active_profile, code_list
from ingest.record import KINDS, LONG_TEXT, FactKind, Field, correct, loaded_from, record
from queries.access import Actor
from queries.household import HouseholdView
from queries.workspace import Fact, Member, Workspace, workspace

__all__ = ["drop_held", "fact_line", "open_from_map", "panel", "picked_fact", "recorded_lines"]

_DATA = "ws_data"        # (user, household id) -> Workspace, read when the panel opens and after each write
_OPEN = "ws_open"        # the panel's open state
_KIND = "ws_kind"        # the kind of fact the form records
_KEPT = "ws_kept"        # widget key -> value: a half-filled form survives the panel being closed or the kind changed
_ERRORS = "ws_errors"    # form -> {field: message}
_TOAST = "ws_toast"      # the message of the last successful write, shown once
_EDIT = "ws_edit"        # the fact chosen for a correction (the selectbox) ...
_EDIT_ID = "ws_edit_id"  # ... and its kind:id kept beside it: the browser sends a selectbox's choice as its label,
                         # which changes with the entry (a conflict's reload), and an unknown label resets the box
_PICKED = "ws_picked"    # a person clicked in the eco-map, whose fact the panel chooses once it has read them
_GEN = "ws_gen"          # kind -> generation of its new-fact form, raised by a save (new, empty widgets)
_EMPTY = "ws_empty"      # the widget keys of a form just saved, drawn empty on the next run (set to empty before
                         # they are drawn: taking a key out of the session state leaves the browser's field filled)
_SHOWN = "ws_shown"      # (household id, open, kind) as last drawn: the panel as it was left after another page ran
_FOR = "ws_for"          # the household the forms were last drawn for: another one starts with empty forms

def _dmy(d: Any) -> str:
    return f"{d:%d-%m-%Y}" if isinstance(d, date) else ""


def _code(list_name: str, value: Any) -> str:
    """A stored code value in the app's language (empty for none)."""
    return code_label(list_name, value) if value not in (None, "") else ""


def fact_line(ws: Workspace, f: Fact) -> str:
    """One fact as a sentence in the app's language, without who recorded it."""
    v = f.values
    period = t("common.since", date=_dmy(v.get("since"))) + (t("ws.through", date=_dmy(v["until"]))
                                                             if v.get("until") else "")
    if f.kind == "client_system":
        return f"{v.get('name') or f.id} ({v.get('relation')}), {period}"
    if f.kind == "informal_support":
        who = t("ws.neighbour") if v.get("neighbour") else t("ws.informal")
        return t("ws.line.support", name=v.get("name") or f.id, who=who, kind=v.get("support"),
                 member=ws.name_of(v.get("member_id")), period=period)
    if f.kind == "advice":
        decided = (t("ws.decided", outcome=_code("advice_outcome", v["outcome"]))
                   + (t("ws.on", date=_dmy(v.get("decided_at"))) if v.get("decided_at") else "")) \
            if v.get("outcome") else t("ws.awaiting_one")
        what = " · ".join(p for p in (str(v.get("decision_asked") or "").strip(), decided) if p)  # no empty " · "
        return t("ws.line.advice", date=_dmy(v.get("date")), mandate=_code("decision_type", v.get("decision_type")) or v.get("mandate_id"),
                 organisation=v.get("organisation_name") or "", what=what)
    if f.kind == "goal":
        return t("ws.line.goal", domain=_code("life_domain", v.get("life_domain")), goal=v.get("description"),
                 status=_code("goal_status", v.get("status") or "lopend"))  # the Plan tab's words
    if f.kind == "agreement":
        back = t("ws.in_return", text=v["in_return"]) if v.get("in_return") else ""
        due = t("ws.due", date=_dmy(v["due"])) if v.get("due") else ""
        out = t("ws.outcome", text=v["outcome"]) if v.get("outcome") else ""
        what = t("ws.sanction") if v.get("agreement_kind") == "sanctie" else t("ws.agreement")
        status = _code("agreement_status", v.get("status") or "open")  # the Plan tab's words
        return f"{what} {_dmy(v.get('date'))}: {v.get('text')}{back}{due} · {status}{out}"
    if f.kind == "ladder_score":
        return t("ws.line.ladder", name=ws.name_of(v.get("person_id")), rung=v.get("rung"),
                 meaning=_code("ladder_rung", v.get("rung")), date=_dmy(v.get("date")))
    if f.kind == "involvement":
        return t("ws.line.involvement", domain=_code("life_domain", v.get("life_domain")),
                 role=_code("involvement_role", v.get("role")), period=period)
    if f.kind == "consultation":
        return t("ws.line.consultation", date=_dmy(v.get("date")), kind=v.get("consultation_kind") or t("ws.consult"),
                 who=", ".join(v.get("attended") or []))
    if f.kind == "referral":
        steps = "".join(f" · {w} {_dmy(v[k])}" for k, w in (("accepted_at", t("ws.accepted")),
                                                            ("started_at", t("ws.started"))) if v.get(k))
        return t("ws.line.referral", date=_dmy(v.get("date")), organisation=v.get("organisation_name"),
                 domain=_code("life_domain", v.get("life_domain")), reason=v.get("referral_reason") or "",
                 steps=steps)
    if f.kind == "consent":
        end = t("ws.withdrawn", date=_dmy(v["until"])) if v.get("until") else ""
        return t("ws.line.consent", name=ws.name_of(v.get("person_id")), organisation=v.get("organisation_name"),
                 scope=_code("consent_scope", v.get("scope")), date=_dmy(v.get("signed_at")), end=end)
    return f.id


def _by(f: Fact) -> str:
    if f.recorded_by:
        return t("ws.by", who=f.recorded_by, date=_dmy(f.recorded_at)) + \
            (t("ws.changed", reason=f.correction) if f.correction else "")
    return t("ws.from", source=say(loaded_from(f.source)))


def recorded_lines(actor: Actor, household_id: str, as_of: date, purpose: str) -> list[str]:
    """What coaches recorded in force on ``as_of``, with who recorded it (for the brief): from the workspace this
    session holds, or read for it through the audited query layer (once; then it is held)."""
    ws = _held(actor, household_id) or _load(actor, household_id, purpose)
    if ws is None:
        return []
    return [f"{fact_line(ws, f)} — {_by(f)}" for f in ws.valid_on(as_of).facts if f.recorded_by]


def drop_held() -> None:
    """Forget the workspace this session read (its household left the caseload: nothing of it is shown again)."""
    for key in (_DATA, _EDIT, _EDIT_ID, _PICKED, _KEPT, _ERRORS):
        st.session_state.pop(key, None)


def _held(actor: Actor, household_id: str) -> Workspace | None:
    held = st.session_state.get(_DATA)
    return held[2] if held and held[0] == actor.user and held[1] == household_id else None


def _load(actor: Actor, household_id: str, purpose: str) -> Workspace | None:
    ws = guarded(lambda: workspace(get_db(), get_audit(), actor, household_id, purpose=purpose))
    if ws is not None:
        st.session_state[_DATA] = (actor.user, household_id, ws)
    return ws


# ------------------------------------------------------------------------------------------------- widgets
def _options(field: Field, ws: Workspace, view: HouseholdView, actor: Actor) -> dict[str, str]:
    """The choices of a reference field: value -> what the form shows."""
    if field.name in ("member_id", "person_id"):
        return _member_options(ws, view)
    if field.name == "mandate_id":
        return {m.id: f"{m.organisation_name}: {code_label('decision_type', m.decision_type)}" for m in view.mandates}
    if field.name == "organisation_id":
        orgs = {i.organisation_id: i.organisation_name for i in view.involvements}
        orgs |= {m.organisation_id: m.organisation_name for m in view.mandates}
        orgs |= {r.organisation_id: r.organisation_name for r in view.referrals}
        return dict(sorted(orgs.items(), key=lambda kv: kv[1]))
    if field.name == "partner_id":
        return {i.professional_id: f"{i.professional_name or i.professional_id} ({i.organisation_name})"
                for i in view.involvements if i.professional_id != actor.professional_id}
    return {}


def _member_options(ws: Workspace, view: HouseholdView) -> dict[str, str]:
    """The household's members as a form offers them: each by the person's one label (two children of one name told
    apart, as on the map), never a bare id; the members now first, then who left, said so with the day (a ladder
    score or a referral may still be recorded for the time they lived here)."""
    latest: dict[str, Member] = {}  # a member who came back: the last membership
    for m in ws.members:
        before = latest.get(m.id)
        if before is None or (before.until is not None and (m.until is None or m.until > before.until)):
            latest[m.id] = m
    today = dutch_today()
    now = [m for m in latest.values() if m.until is None or m.until >= today]
    left = [m for m in latest.values() if m.until is not None and m.until < today]

    def label(m: Member) -> str:
        text = f"{view.name_of(m.id)} ({code_label('member_role', m.role) if m.role else t('ws.member')})"
        return f"{text} — {t('ws.member_left', date=f'{m.until:%d-%m-%Y}')}" if m in left else text

    return {m.id: label(m) for m in [*now, *left]}


def _widget(field: Field, key: str, ws: Workspace, view: HouseholdView, actor: Actor, errors: dict[str, str]
            ) -> None:
    kept: dict[str, Any] = st.session_state.setdefault(_KEPT, {})
    emptied: set[str] = st.session_state.setdefault(_EMPTY, set())
    if key in emptied:  # its form was saved: a second click asks for the fields instead of recording twice
        emptied.discard(key)
        st.session_state[key] = False if field.type == "bool" else None if field.type in ("code", "id") \
            or field.name == "rung" else ""
    elif key not in st.session_state and key in kept:
        st.session_state[key] = kept[key]  # the panel was closed or another kind chosen meanwhile
    label = say(field.label) + (" *" if field.required else "")
    if field.type == "bool":
        st.checkbox(label, key=key)
    elif field.type == "code" or field.type == "id" or field.name == "rung":
        if field.type == "id":
            options = _options(field, ws, view, actor)
        else:
            codes = field.codes or ""  # with the deployment profile's own values, as the check takes them
            options = {str(c.value): f"{c.value} {code_label(codes, c.value)}" if field.name == "rung"
                       else code_label(codes, c.value) for c in code_list(codes).codes}
        st.selectbox(label, list(options), format_func=lambda v: options.get(v, v), index=None,
                     placeholder=t("ws.choose"), key=key)
    elif field.type == "date":
        st.text_input(label, key=key, placeholder="dd-mm-jjjj", max_chars=10)
    elif field.name in LONG_TEXT:  # no max_chars: a browser drops a longer paste silently; the check says why
        st.text_area(label, key=key, height=68)
    else:
        st.text_input(label, key=key)
    kept[key] = st.session_state.get(key)
    if field.name in errors:
        st.markdown(f":red[{say(errors[field.name], markdown=True)}]")


def _value(field: Field, key: str) -> Any:
    v = st.session_state.get(key)
    if isinstance(v, str):
        v = v.strip()  # as ingest.record takes it: " tante " is no change of "tante"
    if field.name == "rung" and v is not None:
        return int(v)
    return v


def _forget(keys: list[str]) -> None:
    kept: dict[str, Any] = st.session_state.setdefault(_KEPT, {})
    for k in keys:
        kept.pop(k, None)
        st.session_state.pop(k, None)


def _done(message: str, actor: Actor, household_id: str, purpose: str, reload: Callable[[], object]) -> None:
    st.session_state[_TOAST] = message
    _load(actor, household_id, purpose)
    reload()  # the household page reads its view again: the map, the plan and the brief show the new fact
    st.rerun()


# ------------------------------------------------------------------------------------------ from the map
def open_from_map(pick: Pick) -> None:
    """The coach clicked in the eco-map (:mod:`app.ecomap_frame`; called before the panel is drawn in this run):
    open the panel, with the add form of a person of the network, or the change form of the person clicked."""
    st.session_state[_OPEN] = True
    if pick.action == "add":
        st.session_state[_KIND] = "client_system"
        st.session_state.pop(_PICKED, None)
    else:
        st.session_state[_PICKED] = pick.person_id


def picked_fact(ws: Workspace, person_id: str, as_of: date) -> str | None:
    """The correction form's choice (``kind:id``) for a person clicked in the map: their tie to the client
    system, or their informal support (the first, when they support several members), in force on ``as_of``."""
    shown = ws.valid_on(as_of).facts
    for f in shown:
        if f.kind == "client_system" and f.id == person_id:
            return f"{f.kind}:{f.id}"
    for f in shown:
        if f.kind == "informal_support" and f.id.partition(">")[0] == person_id:
            return f"{f.kind}:{f.id}"
    return None


# --------------------------------------------------------------------------------------------------- panel
def panel(actor: Actor, view: HouseholdView, purpose: str, as_of: date, reload: Callable[[], object]) -> None:
    """The workspace below the eco-map (see the module docstring)."""
    if st.session_state.get(_TOAST):
        st.toast(st.session_state.pop(_TOAST), icon=":material/check_circle:")
    hid = view.household.id
    _new_household(hid)
    _as_left(hid)
    box = st.expander(t("ws.panel"), key=_OPEN,
                      on_change="rerun", icon=":material/edit_note:")
    st.session_state[_SHOWN] = (hid, bool(box.open), st.session_state.get(_KIND))
    with box:
        if not box.open:
            return
        ws = _held(actor, hid) or _load(actor, hid, purpose)
        if ws is None:
            return
        person = st.session_state.pop(_PICKED, None)
        if person is not None:
            chosen = picked_fact(ws, person, as_of)
            if chosen is None:
                st.warning(t("workspace.not_pickable"), icon=":material/info:")
            else:
                st.session_state[_EDIT] = st.session_state[_EDIT_ID] = chosen
        _awaiting(actor, ws, purpose, reload)
        _new_fact(actor, ws, view, purpose, reload)
        _facts(actor, ws, view, purpose, as_of, reload)


def _as_left(household_id: str) -> None:
    """The panel open, with the kind of fact chosen, as the coach left it on this household: Streamlit forgets a
    widget's state once a run of another page did not draw it (the browser's Back, a link to the map), and the
    panel then came back closed."""
    shown = st.session_state.get(_SHOWN)
    if shown is not None and shown[0] == household_id and _OPEN not in st.session_state:
        st.session_state[_OPEN] = shown[1]
        if shown[2] is not None and _KIND not in st.session_state:
            st.session_state[_KIND] = shown[2]


def _new_household(household_id: str) -> None:
    """Another household than the forms were drawn for: its forms start empty, without the last one's messages (a
    half-filled form of the household before was one click from being recorded on this one). New widgets, as after
    a save (:data:`_GEN`): emptying the old ones from the server leaves the browser's fields filled."""
    before = st.session_state.get(_FOR)
    st.session_state[_FOR] = household_id
    if before is None or before == household_id:
        return
    gens: dict[str, int] = st.session_state.setdefault(_GEN, {})
    for kind in KINDS:
        gens[kind] = gens.get(kind, 0) + 1
    for key in (_KEPT, _ERRORS, _EDIT_ID):
        st.session_state.pop(key, None)


def _awaiting(actor: Actor, ws: Workspace, purpose: str, reload: Callable[[], object]) -> None:
    waiting = ws.awaiting_decision()
    if not waiting:
        return
    st.markdown(t("ws.awaiting", n=len(waiting)))
    for f in waiting:
        st.text(fact_line(ws, f))
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        outcomes = {str(c.value): code_label("advice_outcome", c.value) for c in code_list("advice_outcome").codes}
        c1.selectbox(say(KINDS["advice"].fields[3].label), list(outcomes), format_func=outcomes.get, index=None,
                     placeholder=t("ws.choose"), key=f"ws_dec_{f.id}")
        c2.text_input(say(KINDS["advice"].fields[4].label), key=f"ws_decd_{f.id}", placeholder="dd-mm-jjjj",
                      max_chars=10)
        errors = st.session_state.get(_ERRORS, {}).get(f"dec_{f.id}", {})
        for msg in errors.values():
            st.markdown(f":red[{say(msg, markdown=True)}]")
        if c3.button(t("ws.record_decision"), key=f"ws_decb_{f.id}"):
            _write(actor, ws.household_id, purpose, reload, f"dec_{f.id}", t("ws.decision_recorded"),
                   lambda f=f: correct(get_db(), get_audit(), actor, ws.household_id, "advice", f.id, f.version, {
                       "outcome": st.session_state.get(f"ws_dec_{f.id}"),
                       "decided_at": st.session_state.get(f"ws_decd_{f.id}")}, "besluit van de partner",
                       require=("outcome",)),
                   [f"ws_dec_{f.id}", f"ws_decd_{f.id}"])


def _write(actor: Actor, household_id: str, purpose: str, reload: Callable[[], object], form: str, message: str,
           fn: Callable[[], object], keys: list[str], *, empty: Sequence[str] = (),
           saved: Callable[[], object] | None = None) -> None:
    """Run one write; errors next to their fields (kept for the rerun), a conflict above the form (with the new
    state). Once it is written the form's values are forgotten, the fields ``empty`` drawn empty next run, and
    ``saved`` called (a new fact's form raises its generation)."""
    errors: dict[str, dict[str, str]] = st.session_state.setdefault(_ERRORS, {})
    try:
        fn()
    except InvalidEntry as exc:
        errors[form] = exc.problems
        st.rerun()
    except ChangedMeanwhile as exc:
        errors[form] = {"_": user_message(exc), "_now": ""}  # _now: the form shows the new state beside it
        _load(actor, household_id, purpose)  # the new state, to see and to correct again; the input stays
        st.rerun()
    except WijknetError as exc:
        errors[form] = {"_": user_message(exc)}  # a sentence said below app/ in the user's language
        st.rerun()
    errors.pop(form, None)
    if form.startswith("edit_"):  # a refused Nagekomen of the fact no longer holds once the fact is changed
        errors.pop("kept_" + form.removeprefix("edit_"), None)
    _forget(keys)
    st.session_state.setdefault(_EMPTY, set()).update(empty)
    if saved is not None:
        saved()
    _done(message, actor, household_id, purpose, reload)


def _new_fact(actor: Actor, ws: Workspace, view: HouseholdView, purpose: str, reload: Callable[[], object]) -> None:
    # advice under a mandate only where the model has mandates (not Leeuwarden's Frontlijnteam, say)
    kinds = [k for k in KINDS if k != "advice" or active_profile().generalist.holds_mandates]
    kind_name = st.selectbox(t("ws.what"), kinds, format_func=lambda k: say(KINDS[k].label),
                             key=_KIND) or kinds[0]
    kind: FactKind = KINDS[kind_name]
    form = f"new_{kind.name}"
    errors = st.session_state.get(_ERRORS, {}).get(form, {})
    if "_" in errors:
        st.error(say(errors["_"]))
    # The widgets' keys carry the form's generation, raised once a fact is saved: the next run draws new, empty
    # widgets (as the intake form does), so a second click asks for the fields instead of recording twice.
    gens: dict[str, int] = st.session_state.setdefault(_GEN, {})
    gen = gens.get(kind.name, 0)
    keys = [f"ws_{kind.name}_{field.name}_{gen}" for field in kind.fields]
    # Row by row, in the fields' order, so the Tab key goes as a person reads (two columns filled one after the
    # other sent it down the left one first, past a required field on the right): two short fields side by side,
    # a long text on a row of its own.
    by_key = dict(zip(keys, kind.fields, strict=True))
    for row in _form_rows(keys, lambda key: by_key[key].name in LONG_TEXT):
        if len(row) == 1 and by_key[row[0]].name in LONG_TEXT:
            _widget(by_key[row[0]], row[0], ws, view, actor, errors)
            continue
        for col, key in zip(st.columns(2), row, strict=False):
            with col:
                _widget(by_key[key], key, ws, view, actor, errors)
    if st.button(t("ws.save"), key=f"ws_save_{kind.name}", type="primary", icon=":material/save:"):
        values = {f.name: _value(f, key) for f, key in zip(kind.fields, keys, strict=True)}
        _write(actor, ws.household_id, purpose, reload, form, t("ws.recorded", what=say(kind.label).lower()),
               lambda: record(get_db(), get_audit(), actor, ws.household_id, kind.name, values), keys,
               saved=lambda: gens.__setitem__(kind.name, gen + 1))


def _form_rows(items: Sequence[str], long: Callable[[str], bool]) -> list[list[str]]:
    """``items`` in rows, in order: a long one alone, the others two by two.

    >>> _form_rows(["kind", "text", "date", "due", "status"], lambda f: f == "text")
    [['kind'], ['text'], ['date', 'due'], ['status']]
    """
    rows: list[list[str]] = []
    pending: list[str] = []
    for item in items:
        if long(item):
            rows += [pending] if pending else []
            rows.append([item])
            pending = []
        else:
            pending.append(item)
            if len(pending) == 2:
                rows.append(pending)
                pending = []
    return rows + ([pending] if pending else [])


def _facts(actor: Actor, ws: Workspace, view: HouseholdView, purpose: str, as_of: date,
           reload: Callable[[], object]) -> None:
    shown = ws.valid_on(as_of)
    st.markdown(t("ws.valid_on", date=_dmy(as_of), n=len(shown.facts)))
    if not shown.facts:
        st.caption(t("ws.nothing"))
        return
    for f in shown.facts:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.text(fact_line(ws, f))
        c1.caption(shown_text(_by(f)))
        if f.kind == "agreement" and (f.values.get("status") or "open") == "open" \
                and f.values.get("agreement_kind") != "sanctie":
            if c2.button(t("ws.kept"), key=f"ws_kept_{f.id}", icon=":material/task_alt:"):
                _write(actor, ws.household_id, purpose, reload, f"kept_{f.id}", t("ws.kept_done"),
                       lambda f=f: correct(get_db(), get_audit(), actor, ws.household_id, "agreement", f.id,
                                           f.version, {"status": "nagekomen"}, "afspraak nagekomen"), [])
            # a refused click is said here: it has no field of its own (an agreement dated ahead is kept from its date)
            for msg in st.session_state.get(_ERRORS, {}).get(f"kept_{f.id}", {}).values():
                if msg:
                    c1.error(t("ws.kept_refused", reason=say(msg, markdown=True)), icon=":material/error:")
    _correction(actor, ws, view, purpose, reload, shown)


def _chose() -> None:
    """The correction selectbox's callback: keep the choice by its kind:id (see :data:`_EDIT_ID`)."""
    st.session_state[_EDIT_ID] = st.session_state.get(_EDIT)


def _correction(actor: Actor, ws: Workspace, view: HouseholdView, purpose: str, reload: Callable[[], object],
                shown: Workspace) -> None:
    ids = {f"{f.kind}:{f.id}": f for f in shown.facts}
    if st.session_state.get(_EDIT_ID) in ids:
        st.session_state[_EDIT] = st.session_state[_EDIT_ID]  # the choice survives its label changing
    chosen = st.selectbox(t("ws.change"), list(ids), format_func=lambda k: fact_line(ws, ids[k]),
                          index=None, placeholder=t("ws.choose_fact"), key=_EDIT, on_change=_chose)
    if chosen is None:
        return
    fact = ids[chosen]
    kind = KINDS[fact.kind]
    form = f"edit_{fact.id}"
    errors = st.session_state.get(_ERRORS, {}).get(form, {})
    if "_" in errors:
        st.error(say(errors["_"]))
    if "_now" in errors:
        st.info(t("ws.now", line=shown_text(fact_line(ws, fact))), icon=":material/history:")
    stored = {"support": "kind", "agreement_kind": "kind", "consultation_kind": "kind", "referral_reason": "reason"}
    current = {stored.get(k, k): v for k, v in fact.values.items()}
    keys = []
    for field in kind.fields:
        if field.name not in kind.stored:
            continue
        key = f"ws_edit_{fact.id}_{field.name}"
        keys.append(key)
        if key not in st.session_state and key not in st.session_state.get(_KEPT, {}):
            raw = current.get(field.name)
            st.session_state[key] = _dmy(raw) if isinstance(raw, date) else (
                str(raw) if raw is not None and field.name == "rung" else raw)
        _widget(field, key, ws, view, actor, errors)
    reason_key = f"ws_edit_{fact.id}_reason"
    if reason_key in st.session_state.get(_EMPTY, set()):  # saved: the next change needs a reason of its own
        st.session_state[_EMPTY].discard(reason_key)
        st.session_state[reason_key] = ""
    keys.append(reason_key)
    st.text_input(t("ws.reason"), key=reason_key)
    if "reason" in errors:
        st.markdown(f":red[{say(errors['reason'], markdown=True)}]")
    if st.button(t("ws.save_change"), key=f"ws_edit_save_{fact.id}", icon=":material/history:"):
        changes = {}
        for field in kind.fields:
            if field.name not in kind.stored:
                continue
            new = _value(field, f"ws_edit_{fact.id}_{field.name}")
            old = current.get(field.name)
            if (_dmy(old) if isinstance(old, date) else old) != new and not (old is None and new in ("", None)):
                changes[field.name] = new
        _write(actor, ws.household_id, purpose, reload, form, t("ws.change_saved"),
               lambda: correct(get_db(), get_audit(), actor, ws.household_id, fact.kind, fact.id, fact.version,
                               changes, str(st.session_state.get(reason_key) or "")), keys, empty=[reason_key])
