"""Signals (*signalen*): the inbox per user, marking, the open counts per household, the outbox per organisation
and expiry — every signal derived from the graph when it is read. What is matched and who is told:
:mod:`graph.notice_rules` and :mod:`ingest.pairing`; what a load writes for it (one property per involvement, the day
it was matched on): :mod:`ingest.matching`.

Who reads what (:data:`queries.access.NOTICE_ROLES`), enforced here:

* a **coach** reads the signals about households in today's caseload (read from those households' facts: a signal
  about a household that left the caseload is no longer shown);
* a **partner professional** reads only the match signals about their own involvements — who else is involved and
  how to reach them; the entries carry no household id (read from the households of their own involvements);
* the **project lead** reads the threshold signals (household pseudonym, kind, count), read from the households
  that may be over a threshold (``notices_lead_candidates.cypher``, kept per state of the graph);
* everyone else is refused (audited).

Nothing of a signal is stored. Its key (``match|a|b``, ``new_involvement|household|involvement``,
``kind|recipient|household|detail``) is made from what it is about, so a reader's status (read, done) — a
``:NoticeState`` node per (signal, reader), made only when they mark it; unmarked is unread — finds it again on
every read. ``wijknet signals expire`` sets the cut-off before which signals are left out and removes the statuses
of those.

Every read is audited like a view (``view_notices``, ``count_notices``, ``export_notices``) before anything is
read; marking is the write ``notice_status`` and expiry ``notice_expire`` (:data:`queries.access.WRITE_ACTIONS`).
"""

from __future__ import annotations

import csv
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database, in_background
from graph.errors import BeingComputed, WijknetError
from graph.notice_rules import LEAD_RECIPIENT, NOTICE_KINDS, notice_rules
from graph.said import said
from graph.spreadsheet import inert
from ingest.cypher import statement
from ingest.entry import audited_write, writes
from ingest.pairing import PARENT_ROLES, Neighbourhood, signal_rows
from queries.access import (
    DATA_ROLES,
    NOTICE_ROLES,
    Actor,
    Role,
    audit_action,
    audit_each,
    coach_caseload,
    require_role,
)
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["HOUSEHOLDS", "NOTICE_STATUSES", "NoticeEntry", "OutboxRow", "count_made", "expire_notices", "inbox",
           "mark_notice", "matched_neighbourhoods", "open_signal_counts", "outbox", "write_outbox"]

log = logging.getLogger("wijknet.notices")

#: A signal's statuses and their Dutch names.
NOTICE_STATUSES: dict[str, str] = {"new": "ongelezen", "read": "gelezen", "done": "afgehandeld"}


@dataclass(frozen=True)
class NoticeEntry:
    """One signal as its reader sees it. ``household_id`` is ``None`` for a partner professional."""

    key: str
    kind: str
    title: str
    status: str
    day: date | None  # the event's date (the later start of the pair; the day a threshold's crossing began)
    created_at: str
    household_id: str | None
    own_involvement: str | None  # the reader's own involvement of a match
    other_involvement: str | None
    own_life_domain: str | None
    other_organisation: str | None
    other_professional: str | None
    other_function: str | None
    other_life_domain: str | None
    other_since: date | None
    contact: str | None  # the other professional's work phone, never a resident's
    detail: str | None  # a threshold's sentence in Dutch, as stored
    count: int | None
    args: tuple[str, ...] = ()  # the values of a threshold's sentence (app.notices_ui.detail_text)
    #: a partner professional's card: the signals it stands for (one per pair; marked together), the other
    #: professional's life domains, and the reader's own involvements in words (organisation, life domain, since)
    keys: tuple[tuple[str, date | None], ...] = ()  # (key, occurrence)
    other_life_domains: tuple[str, ...] = ()
    own: tuple[tuple[str | None, str | None, date | None], ...] = ()
    #: the occurrence a reader's status belongs to: a threshold's crossing began on it (``None``: before anything
    #: read), a match's or new involvement's is its date
    occurrence: date | None = None
    #: the day it was derived on: a threshold's is the last matching day it was read on (``day`` is when its
    #: crossing began)
    read_on: date | None = None


@dataclass(frozen=True)
class OutboxRow:
    """One open match signal for a professional of an organisation without accounts (no household id)."""

    organisation_id: str
    organisation: str
    recipient: str
    own_involvement: str
    own_life_domain: str | None
    other_organisation: str | None
    other_professional: str | None
    other_function: str | None
    other_life_domain: str | None
    other_since: date | None
    contact: str | None
    day: date | None
    key: str


def _d(v: Any) -> date | None:
    native = v.to_native() if hasattr(v, "to_native") else v
    return native if isinstance(native, date) else None


#: Households per read of their facts (``notice_households.cypher``) when many are derived at once (the lead's
#: threshold candidates, the outbox, expiry, ``wijknet signals run``).
HOUSEHOLDS = 10_000
_TIMEOUT = 600.0
_EVER = date(1, 1, 1)


@dataclass(frozen=True)
class _Days:
    """The days a reader's signals are derived on: ``reference`` (the last matching day, never after today: the
    day the thresholds are read on; None: nothing was ever matched) and ``expired_before`` (the cut-off of the last
    ``wijknet signals expire``: older signals are left out; None: none expired)."""

    reference: date | None
    expired_before: date | None

    @property
    def active_from(self) -> date:
        return self.expired_before or _EVER


def _days(db: Database, today: date | None) -> _Days:
    row = run(db, "notices_reference").first() or {}
    last = _d(row.get("last_matched"))
    day = today or dutch_today()
    reference = min(day, last) if last is not None else None
    return _Days(reference, _d(row.get("expired_before")))


def _neighbourhood(db: Database, households: list[str], persons: list[str], days: _Days, today: date | None
                   ) -> Neighbourhood:
    """What the rules look at about ``households`` (and the persons in no household), in one read
    (``notice_households.cypher``); handovers within the retention seen from the reference day."""
    rules = notice_rules()
    ref = days.reference or today or dutch_today()
    nb = Neighbourhood.from_rows(db.execute("notice_households", statement("notice_households"), {
        "households": sorted(set(households)), "persons": sorted(set(persons)), "parents": list(PARENT_ROLES),
        "active_from": days.active_from, "as_of": max(ref, today or dutch_today()), "from": rules.cutoff(ref)},
        timeout=_TIMEOUT, row_cap=10_000_000).rows)
    nb.handovers = {h: [x for x in v if x["date"] is None or x["date"] <= ref] for h, v in nb.handovers.items()}
    return nb


def _signals(nb: Neighbourhood, days: _Days, thresholds_for: list[str], *, matches: bool = True
             ) -> list[dict[str, Any]]:
    rules = notice_rules()
    return signal_rows(nb, retention_days=rules.retention_days, max_casemanagers=rules.max_casemanagers,
                       reference=days.reference, thresholds_for=thresholds_for, lead=LEAD_RECIPIENT,
                       since=days.expired_before, matches=matches).rows


def _entry(row: dict[str, Any], nb: Neighbourhood, own: str | None, other: str | None, *, partner: bool,
           status: str = "new") -> NoticeEntry:
    kind = str(row["kind"])
    o = nb.details.get(other or "", {})
    mine = nb.details.get(own or "", {})
    return NoticeEntry(
        key=str(row["key"]), kind=kind, title=NOTICE_KINDS[kind].title_nl if kind in NOTICE_KINDS else kind,
        # a threshold's day is the day its crossing began, as the household page shows it (the day it was read on,
        # the last matching day, said "23-12-2012" of a double casemanager the page shows from 23-05-2012)
        status=status, day=_occurrence(row) or _d(row["date"]), created_at=str(row.get("created_at") or ""),
        household_id=None if partner else row.get("household_id"), own_involvement=own,
        other_involvement=other, own_life_domain=mine.get("life_domain"),
        other_organisation=o.get("organisation_name"), other_professional=o.get("professional_name"),
        other_function=o.get("function"), other_life_domain=o.get("life_domain"), other_since=_d(o.get("since")),
        contact=o.get("phone"), detail=row.get("detail"), count=row.get("count"),
        args=tuple(str(a) for a in row.get("args") or ()), occurrence=_occurrence(row), read_on=_d(row["date"]))


def _without_function(entry: NoticeEntry) -> NoticeEntry:
    """A "dubbele casemanager" signal as the project lead gets it: the count, not the function. The function
    (casemanager GGZ, verslavingszorg, gezinsvoogd) says what care a household gets, and the lead, who finds a
    household's pseudonym by its address for an intake, could put the two together (an outside test of
    06-12-2026); the coach of the household sees it on the household's page."""
    if entry.kind != "double_casemanager":
        return entry
    count = entry.args[0] if entry.args else str(entry.count or "")
    return replace(entry, detail=f"{count} actieve casemanagers met dezelfde functie", args=(count,))


def _occurrence(row: dict[str, Any]) -> date | None:
    """The occurrence of a signal a status belongs to: the day a threshold's crossing began (``since``), the date
    of a match or new involvement (docs/signals.md, *What is stored*)."""
    return _d(row.get("since")) if row["kind"] not in ("match", "new_involvement") else _d(row["date"])


def _told(row: dict[str, Any], nb: Neighbourhood, reader: str, households: set[str] | None, *, partner: bool,
          coach: bool) -> list[tuple[str | None, str | None]]:
    """(own involvement, other involvement) for each way ``row`` reaches ``reader`` (docs/signals.md, "Who reads
    what"): a pair tells each side's professional about the other side but the quiet (coaching) one; a new
    involvement tells the coaches of the household (not its own professional); a threshold its recipient."""
    if households is not None and row.get("household_id") not in households:
        return []
    kind = row["kind"]
    if kind == "match":
        return [(own, other) for own, other in ((row["a"], row["b"]), (row["b"], row["a"]))
                if own != row.get("quiet") and nb.involvements[own].professional == reader]
    if partner:
        return []
    if kind == "new_involvement":
        return [(None, row["involvement"])] if coach and nb.involvements[row["involvement"]].professional != reader \
            else []
    return [(None, None)] if row.get("recipient") == reader else []


@dataclass(frozen=True)
class _State:
    """A status a reader gave a signal: ``occurrence`` the one it was given on (``None`` for a status kept before
    2026-12-05: then ``day``, the signal's date when it was marked, tells)."""

    status: str
    occurrence: date | None
    day: date | None

    def applies(self, occurrence: date | None, kept_from: date) -> bool:
        """Whether this status belongs to the signal's ``occurrence`` now: the same one, or both began before the
        facts kept (``kept_from``: the last expiry's cut-off, before which ended involvements are not read, so a
        crossing that began before it cannot be told apart from an earlier one); a status kept without its
        occurrence belongs to the one under way when it was given."""
        if self.occurrence is None:
            return occurrence is None or (self.day is not None and self.day >= occurrence)
        if occurrence is None:
            return self.occurrence <= kept_from
        return self.occurrence == occurrence or (self.occurrence <= kept_from and occurrence <= kept_from)


def _statuses(db: Database, reader: str) -> dict[str, _State]:
    """The statuses ``reader`` gave signals, by ``<signal key>|<reader>`` (one read, whatever the inbox's size)."""
    return {f"{r['notice']}|{reader}": _State(str(r["status"]), _d(r.get("occurrence")), _d(r.get("date")))
            for r in run(db, "notices_states", {"recipient": reader}).rows}


def _status(states: dict[str, _State], row: dict[str, Any], reader: str, days: _Days) -> str:
    """``reader``'s status of the signal ``row`` (``new`` when they gave none, or gave it another occurrence)."""
    state = states.get(f"{row['key']}|{reader}")
    return state.status if state is not None and state.applies(_occurrence(row), days.active_from) else "new"


_NOTHING = Neighbourhood()


_ORDER = {"new": 0, "read": 1}


def _sorted(entries: list[NoticeEntry]) -> list[NoticeEntry]:
    """Unread first, then read, then done; newest first; by key."""
    by_key = sorted(entries, key=lambda e: e.key)
    by_time = sorted(by_key, key=lambda e: (e.day or date.min, e.created_at), reverse=True)
    return sorted(by_time, key=lambda e: _ORDER.get(e.status, 2))


def _reader(actor: Actor) -> str:
    return LEAD_RECIPIENT if actor.role == Role.PROJECT_LEAD else actor.professional_id or ""


def _entries(db: Database, actor: Actor, today: date | None, *, include_done: bool = True,
             max_age_s: float = 0.0, wait_s: float | None = None) -> list[NoticeEntry]:
    """The actor's signals, derived from the graph now (no audit record: the callers write it)."""
    return _entries_about(db, actor, today, include_done=include_done, max_age_s=max_age_s, wait_s=wait_s)[0]


def _entries_about(db: Database, actor: Actor, today: date | None, *, include_done: bool = True,
                   max_age_s: float = 0.0, wait_s: float | None = None) -> tuple[list[NoticeEntry], list[str]]:
    """:func:`_entries` and the households they are about, also where an entry does not name its household (a
    partner professional's card): what the inbox audits under each household."""
    days = _days(db, today)
    reader = _reader(actor)
    partner = actor.role == Role.PARTNER
    households: set[str] | None = None
    if actor.role == Role.COACH:
        households = set(coach_caseload(db, actor, today))
        nbs = [_neighbourhood(db, sorted(households), [], days, today)] if households else []
        thresholds_for = sorted(households)
    elif partner:
        scope = run(db, "notices_partner_scope", {"professional": reader,
                                                  "active_from": days.active_from}).first() or {}
        hs, ps = list(scope.get("households") or []), list(scope.get("persons") or [])
        nbs = [_neighbourhood(db, hs, ps, days, today)] if hs or ps else []
        thresholds_for = []
    else:
        nbs, thresholds_for = [], []
    found: list[tuple[dict[str, Any], Neighbourhood, str | None, str | None]] = [
        (row, _NOTHING, None, None)
        for row in (_lead_rows(db, days, today, max_age_s, wait_s=wait_s) if actor.role == Role.PROJECT_LEAD else [])]
    for nb in nbs:
        for row in _signals(nb, days, thresholds_for):
            for own, other in _told(row, nb, reader, households, partner=partner,
                                    coach=actor.role == Role.COACH):
                found.append((row, nb, own, other))
    states = _statuses(db, reader)
    entries = [_entry(row, nb, own, other, partner=partner, status=_status(states, row, reader, days))
               for row, nb, own, other in found]
    if actor.role == Role.PROJECT_LEAD:
        entries = [_without_function(e) for e in entries]
    unique = list({e.key: e for e in entries}.values())
    if partner:
        unique = _cards(found, unique)
    shown = _sorted([e for e in unique if include_done or e.status != "done"])
    about = {str(row["key"]): row.get("household_id") for row, *_ in found}
    named = [h for e in shown for k in ([key for key, _ in e.keys] or [e.key]) if (h := about.get(k))]
    return shown, list(dict.fromkeys(str(h) for h in named))


def _cards(found: list[tuple[dict[str, Any], Neighbourhood, str | None, str | None]], entries: list[NoticeEntry]
           ) -> list[NoticeEntry]:
    """A partner professional's signals as cards: one per household and other professional (every pair of the
    reader's involvements there with that professional's), listing the other's life domains and the reader's own
    involvements in words. Its key is the first pair's; marking it marks them all (:func:`mark_notice`)."""
    by_key = {e.key: e for e in entries}
    groups: dict[tuple[Any, ...], list[tuple[NoticeEntry, dict[str, Any], Neighbourhood, str | None]]] = {}
    for row, nb, own, other in found:
        e = by_key.get(str(row["key"]))
        if e is None:
            continue
        card = groups.setdefault(_card_of(row, nb, other), [])
        if not any(e is x for x, *_ in card):
            card.append((e, row, nb, own))
    out = []
    for members in groups.values():
        es = sorted((e for e, *_ in members), key=lambda e: (e.day or date.min, e.key))
        statuses = {e.status for e in es}
        theirs: dict[str, tuple[str | None, str | None, date | None]] = {}
        for _e, _row, nb, mine in members:
            if mine is not None and mine not in theirs:
                d = nb.details.get(mine, {})
                theirs[mine] = (d.get("organisation_name"), d.get("life_domain"), _d(d.get("since")))
        first = es[0]
        out.append(replace(
            first, keys=tuple((e.key, e.occurrence) for e in es),
            status="new" if "new" in statuses else "read" if "read" in statuses else "done",
            day=max((e.day for e in es if e.day), default=None),
            other_since=min((e.other_since for e in es if e.other_since), default=None),
            other_life_domains=tuple(dict.fromkeys(e.other_life_domain for e in es if e.other_life_domain)),
            own=tuple(sorted(theirs.values(), key=lambda o: (o[2] or date.min, str(o[0]), str(o[1]))))))
    return out


def _card_of(row: dict[str, Any], nb: Neighbourhood, other: str | None) -> tuple[Any, ...]:
    """The card a partner's signal goes on: its household (or, for a pair outside any household, the other
    involvement's subjects) and the other professional."""
    inv = nb.involvements.get(other or "")
    who = inv.professional if inv is not None and inv.professional else other
    return (row.get("household_id") or (inv.persons + inv.households if inv else other), who)


@dataclass
class _LeadRows:
    """The lead's threshold signals derived at one state of the graph (its data token)."""

    token: str | None
    rows: list[dict[str, Any]]
    behind_since: float | None = None  # when a call first found the graph past ``token``


_LEAD: dict[tuple[Any, ...], _LeadRows] = {}
#: derivations running in the background, each with the event set when it ended
_LEAD_RUNNING: dict[tuple[Any, ...], threading.Event] = {}
#: the error of a background derivation that failed, for the next page that would otherwise be told to ask again
_LEAD_FAILED: dict[tuple[Any, ...], Exception] = {}
_LEAD_LOCK = threading.Lock()


def _lead_rows(db: Database, days: _Days, today: date | None, max_age_s: float = 0.0, *,
               wait_s: float | None = None) -> list[dict[str, Any]]:
    """The project lead's threshold signals: those of the households that may be over a threshold on the reference
    day (``notices_lead_candidates.cypher``, a superset), derived from their facts :data:`HOUSEHOLDS` at a time —
    kept per state of the graph (its data token), since the sidebar asks for them on every page.

    Deriving them takes seconds at city size (``docs/signals.md``). With ``max_age_s``
    (``WIJKNET_SNAPSHOT_MAX_AGE``, as the lead's other pages) a change of the graph does not make the lead wait:
    the signals derived before are returned while they are derived again in the background, for at most that many
    seconds after the graph first differed from them. ``0`` (the default): always derived for the graph as it is.

    ``wait_s`` (the pages): when none were derived yet in this process, or the ones kept are too old, they are
    derived in the background, and :class:`graph.errors.BeingComputed` is raised when that takes longer than
    ``wait_s`` seconds, instead of making the page wait. ``None``: wait as long as it takes. A call that waits
    while a background derivation runs waits for that one rather than deriving them a second time. When one
    failed, the next call with ``wait_s`` raises its error (the page says what went wrong, not "ask again" for
    ever); the call after that tries again.
    """
    if days.reference is None:
        return []
    rules = notice_rules()
    base = (db.uri, db.database, days, rules)
    token = db.data_token()
    with _LEAD_LOCK:
        kept = _LEAD.get(base)
        if kept is not None and kept.token == token:
            return kept.rows
        if kept is not None and max_age_s > 0:
            now = time.monotonic()
            kept.behind_since = kept.behind_since or now
            if now - kept.behind_since <= max_age_s:
                _derive_in_background(db, days, today, base)
                return kept.rows
        if wait_s is not None:
            _derive_in_background(db, days, today, base, say_failure=True)
        running = _LEAD_RUNNING.get(base)
    if running is not None and running.wait(_TIMEOUT if wait_s is None else wait_s):
        with _LEAD_LOCK:
            kept = _LEAD.get(base)
            if kept is not None and (kept.token == token or max_age_s > 0):
                return kept.rows  # derived from the graph as it was when this call began, or later
    if wait_s is not None:
        with _LEAD_LOCK:
            # the one waited for failed (said), or the graph changed meanwhile (unless one still runs)
            _derive_in_background(db, days, today, base, say_failure=True)
        raise BeingComputed(said("said.notices.being_derived", "The signals over the thresholds are being derived "
                                 "from the data as it is now. This page asks again by itself."))
    return _derive_lead(db, days, today, base, token)


def _derive_in_background(db: Database, days: _Days, today: date | None, base: tuple[Any, ...], *,
                          say_failure: bool = False) -> None:
    """Start deriving the lead's signals in a thread, unless that already runs (call with the lock held). When the
    last background derivation failed, its error is forgotten, or with ``say_failure`` raised instead, once: the
    next call starts one again."""
    failed = None if base in _LEAD_RUNNING else _LEAD_FAILED.pop(base, None)
    if failed is not None and say_failure:
        raise failed
    if base not in _LEAD_RUNNING:
        _LEAD_RUNNING[base] = threading.Event()
        in_background(db, lambda own: _derive_lead_in_background(own, days, today, base), name="wijknet-lead-signals")


def _derive_lead(db: Database, days: _Days, today: date | None, base: tuple[Any, ...], token: str | None
                 ) -> list[dict[str, Any]]:
    rows = [r for r in _threshold_signals(db, days, today) if r["recipient"] == LEAD_RECIPIENT]
    with _LEAD_LOCK:
        for other in [k for k in _LEAD if k[:2] == base[:2] and k != base]:
            del _LEAD[other]  # one reference day and rule set per server is what the pages ask for
        _LEAD[base] = _LeadRows(token, rows)
        _LEAD_FAILED.pop(base, None)  # an earlier failure is over
    return rows


def _threshold_signals(db: Database, days: _Days, today: date | None) -> list[dict[str, Any]]:
    """Every threshold signal (every recipient) on ``days.reference``: the households that may be over a threshold
    (``notices_lead_candidates.cypher``), derived from their facts :data:`HOUSEHOLDS` at a time."""
    rules = notice_rules()
    assert days.reference is not None
    candidates = [str(r["household"]) for r in run(db, "notices_lead_candidates", {
        "day": days.reference, "casemanagers": rules.max_casemanagers, "from": rules.cutoff(days.reference)},
        timeout=_TIMEOUT, row_cap=10_000_000).rows]
    rows: list[dict[str, Any]] = []
    for i in range(0, len(candidates), HOUSEHOLDS):
        nb = _neighbourhood(db, candidates[i:i + HOUSEHOLDS], [], days, today)
        rows += _signals(nb, days, sorted(nb.members), matches=False)
    return rows


def _derive_lead_in_background(db: Database, days: _Days, today: date | None, base: tuple[Any, ...]) -> None:
    try:
        _derive_lead(db, days, today, base, db.data_token())
    except Exception as exc:  # noqa: BLE001 - the next page says so (see _lead_rows); a later one tries again
        log.warning("the project lead's signals could not be derived in the background: %s", exc)
        with _LEAD_LOCK:
            _LEAD_FAILED[base] = exc
    finally:
        with _LEAD_LOCK:
            done = _LEAD_RUNNING.pop(base, None)
        if done is not None:
            done.set()


def inbox(db: Database, audit: AuditLog, actor: Actor, *, include_done: bool = True,
          today: date | None = None, max_age_s: float = 0.0, wait_s: float | None = None) -> list[NoticeEntry]:
    """The actor's signals, unread first, then newest (audited as ``view_notices``). ``max_age_s``: how old the
    project lead's threshold signals may be while they are derived again; ``wait_s``: how long to wait for them
    to be derived before :class:`graph.errors.BeingComputed` is raised (``None``: as long as it takes; see
    :func:`_lead_rows`)."""
    require_role(audit, actor, "view_notices", *NOTICE_ROLES)
    audit_action(audit, actor, "view_notices", target=actor.professional_id or str(actor.role), purpose="signals")
    entries, households = _entries_about(db, actor, today, include_done=include_done, max_age_s=max_age_s,
                                         wait_s=wait_s)
    # a signal names its household (address, involvement, organisation): the inbox is a look at each of them, for
    # ``wijknet audit who-saw``; recorded before anything is returned (nothing is shown when it cannot be). A
    # partner's card does not name the household, but shows who else works there: it is a look at it all the same
    # (an outside test found `who-saw` say "nobody" of a household whose probation worker a partner had been shown)
    if households:
        audit_each(audit, actor, "view_notices", households, purpose="signals")
    return entries


def unread_notice_count(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None,
                        max_age_s: float = 0.0, wait_s: float | None = None) -> int:
    """How many of the actor's signals are unread: the number beside *Signalen* in the sidebar, on every page.
    Audited as one ``count_notices`` record under the reader, not a look at each household: a number over the
    reader's own signals shows none of them (the inbox page, :func:`inbox`, is a look at each). The sidebar read
    the whole inbox: every page opened wrote ``view_notices`` under each household with a signal, and a resident's
    ``wijknet audit who-saw`` listed 213 looks at their signals against 7 at their household (an outside test of
    08-12-2026). ``max_age_s``, ``wait_s``: as :func:`inbox`."""
    require_role(audit, actor, "count_notices", *NOTICE_ROLES)
    audit_action(audit, actor, "count_notices", target=actor.professional_id or str(actor.role), purpose="signals",
                 detail="unread")
    entries, _households = _entries_about(db, actor, today, include_done=False, max_age_s=max_age_s, wait_s=wait_s)
    return sum(1 for e in entries if e.status == "new")


def open_signal_counts(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None
                       ) -> dict[str, tuple[int, int]]:
    """Per household the actor may see: (open signals, of which unread) — signals not marked done. For the
    coach's triaged caseload (households of today's caseload only; a household without open signals is absent).
    A partner professional gets ``{}`` (their signals name no household). Audited as ``count_notices``."""
    require_role(audit, actor, "count_notices", *NOTICE_ROLES)
    audit_action(audit, actor, "count_notices", target=actor.professional_id or str(actor.role), purpose="signals")
    return _open_counts(db, actor, today)


def _open_counts(db: Database, actor: Actor, today: date | None) -> dict[str, tuple[int, int]]:
    """:func:`open_signal_counts` without its own audit record, for a read that is audited as a whole (the
    coach's triaged caseload, ``queries.triage``: one record for the caseload and its figures)."""
    if actor.role == Role.PARTNER:
        return {}
    out: dict[str, tuple[int, int]] = {}
    for e in _entries(db, actor, today, include_done=False):
        if e.household_id is not None:
            n, unread = out.get(e.household_id, (0, 0))
            out[e.household_id] = (n + 1, unread + (e.status == "new"))
    return dict(sorted(out.items()))


@writes("notice_status")
def mark_notice(db: Database, audit: AuditLog, actor: Actor, key: str, status: str, *,
                today: date | None = None) -> bool:
    """Mark one of the actor's own signals ``new`` (unread), ``read`` or ``done`` (audited write). False when
    there is no such signal for the actor (someone else's, out of scope, expired): nothing is changed. The status
    is the actor's own (a match reaches both professionals of the pair, each with their own status)."""
    if status not in NOTICE_STATUSES:
        raise WijknetError(said("said.notices.unknown_status", "Unknown status {value!r}; choose one of: "
                                "{choices}.", value=status, choices=", ".join(NOTICE_STATUSES)))
    with audited_write(audit, actor, "notice_status", target=str(key)[:120], detail=f"status={status}") as outcome:
        mine = next((e for e in _entries(db, actor, today) if e.key == str(key)), None)
        changed = False
        if mine is not None:
            now = datetime.now(UTC).isoformat(timespec="seconds")

            def set_status(key: str, day: date | None, occurrence: date | None) -> dict[str, Any]:
                return run(db, "notices_set_status", {
                    "key": key, "recipient": _reader(actor), "date": day, "occurrence": occurrence, "status": status,
                    "source": f"account:{actor.user}", "now": now}, write=True).first() or {}

            changed = int(set_status(mine.key, mine.day, mine.occurrence).get("changed", 0)) > 0
            for key, occurrence in mine.keys[1:]:  # a partner's card: every pair with the other professional
                set_status(key, occurrence, occurrence)
        outcome.done("marked" if changed else "not_found", f"status={status}")
    return changed


def matched_neighbourhoods(db: Database, days: _Days, today: date | None = None, ids: list[str] | None = None
                           ) -> Iterator[Neighbourhood]:
    """The facts of every household a signal can be about (those of the involvements matched since the last
    expiry, or of ``ids`` only), :data:`HOUSEHOLDS` at a time — for the outbox, expiry and ``signals run``."""
    scope = run(db, "notices_matched_scope", {"since": days.active_from, "ids": ids}, timeout=_TIMEOUT,
                row_cap=10_000_000).first() or {}
    households = sorted(scope.get("households") or [])
    persons = sorted(scope.get("persons") or [])
    for i in range(0, max(len(households), 1 if persons else 0), HOUSEHOLDS):
        yield _neighbourhood(db, households[i:i + HOUSEHOLDS], persons if i == 0 else [], days, today)


def count_made(db: Database, ids: list[str], as_of: date) -> tuple[dict[str, int], int, int]:
    """For ``wijknet signals run`` and the demo: the signals that matching ``ids`` made — the pairs and new
    involvements they start, and the thresholds of their households on ``as_of`` — per kind (a pair is one),
    the households read, and the statements it took."""
    days = _Days(as_of, _days(db, as_of).expired_before)
    wanted = set(ids)
    made: dict[str, int] = {}
    households = 0
    statements = 1
    for nb in matched_neighbourhoods(db, days, as_of, ids):
        statements += 1
        households += len(nb.members)
        for row in _signals(nb, days, sorted(nb.members)):
            kind = str(row["kind"])
            if kind == "match" and not {row["a"], row["b"]} & wanted:
                continue
            if kind == "new_involvement" and row["involvement"] not in wanted:
                continue
            counted = kind if kind in ("match", "new_involvement") else "threshold"
            made[counted] = made.get(counted, 0) + 1
    return made, households, statements


@writes("notice_expire")
def expire_notices(db: Database, audit: AuditLog, actor: Actor, *, as_of: date | None = None,
                   apply: bool = False) -> tuple[date, int]:
    """Count the signals whose event lies before the retention cut-off seen from ``as_of`` (default today) —
    with ``apply`` leave them out from now on and remove their readers' statuses: (cut-off, how many). A dry run
    is a read (``notice_expire_dry_run``)."""
    cutoff = notice_rules().cutoff(as_of or dutch_today())
    detail = f"cutoff={cutoff.isoformat()}"
    if not apply:
        require_role(audit, actor, "notice_expire_dry_run", *DATA_ROLES)
        audit_action(audit, actor, "notice_expire_dry_run", purpose="storage_limitation", detail=detail)
        return cutoff, _expiring(db, cutoff)
    with audited_write(audit, actor, "notice_expire", detail=detail) as outcome:
        n = _expiring(db, cutoff)
        keep = _current_thresholds(db, cutoff)
        row = run(db, "notices_expire", {"cutoff": cutoff, "still_holding": keep}, write=True).first() or {}
        outcome.done("removed", f"{detail} signals={n} statuses={int(row.get('removed', 0))}")
    return cutoff, n


def _expiring(db: Database, cutoff: date) -> int:
    """The signals (a pair is one) dated before ``cutoff`` that are not expired yet."""
    days = _days(db, None)
    return sum(1 for nb in matched_neighbourhoods(db, days) for row in _signals(nb, days, [])
               if row["date"] < cutoff)


def _current_thresholds(db: Database, cutoff: date) -> list[str]:
    """The statuses (``<signal key>|<recipient>``) of the threshold signals that still hold on the reference day
    once signals before ``cutoff`` are left out: expiry keeps them, whenever they were given — a crossing under way
    is not expired, so a dealt-with one does not come back unread (its status is compared with the crossing's
    start when read, :class:`_State`)."""
    was = _days(db, None)
    if was.reference is None or was.reference < cutoff:
        return []
    days = _Days(was.reference, max(cutoff, was.expired_before or cutoff))
    return sorted({f"{r['key']}|{r['recipient']}" for r in _threshold_signals(db, days, None)})


def outbox(db: Database, audit: AuditLog, actor: Actor, *, organisation: str | None = None,
           skip: tuple[str, ...] = ()) -> dict[str, list[OutboxRow]]:
    """Open match signals per organisation (by the organisation of the recipient's own involvement), leaving out
    the professionals in ``skip`` (those who read them in the app). For data stewards (audited)."""
    require_role(audit, actor, "export_notices", *DATA_ROLES)
    audit_action(audit, actor, "export_notices", target=organisation or "all", purpose="signals")
    days = _days(db, None)
    out: dict[str, list[OutboxRow]] = {}
    status: dict[str, _State] = {}
    read: set[str] = set()
    for nb in matched_neighbourhoods(db, days):
        found = []
        for row in _signals(nb, days, []):
            if row["kind"] != "match":
                continue
            for own, other in ((row["a"], row["b"]), (row["b"], row["a"])):
                mine = nb.details[own]
                who = nb.involvements[own].professional
                if own == row.get("quiet") or who is None or who in skip or (
                        organisation is not None and mine.get("organisation") != organisation):
                    continue
                found.append((row, own, other, str(who)))
        for who in sorted({who for *_, who in found} - read):
            status |= _statuses(db, who)
            read.add(who)
        for row, own, other, who in found:
            if _status(status, row, who, days) == "done":
                continue
            mine, o = nb.details[own], nb.details[other]
            out.setdefault(str(mine.get("organisation")), []).append(OutboxRow(
                organisation_id=str(mine.get("organisation")), organisation=str(mine.get("organisation_name") or ""),
                recipient=who, own_involvement=own, own_life_domain=mine.get("life_domain"),
                other_organisation=o.get("organisation_name"), other_professional=o.get("professional_name"),
                other_function=o.get("function"), other_life_domain=o.get("life_domain"),
                other_since=_d(o.get("since")), contact=o.get("phone"), day=_d(row["date"]), key=str(row["key"])))
    return {org: sorted(rows, key=lambda r: (r.recipient, r.day or date.min, r.key)) for org, rows in sorted(out.items())}


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write_outbox(boxes: dict[str, list[OutboxRow]], out_dir: Path, fmt: str = "csv") -> list[Path]:
    """One file per organisation in ``out_dir`` (``signalen-<organisation>.csv`` or ``.json``); CSV cells are
    made formula-safe (:func:`graph.spreadsheet.inert`)."""
    if fmt not in ("csv", "json"):
        raise WijknetError(said("said.notices.unknown_format", "Unknown format {fmt!r}; choose csv or json.",
                                fmt=fmt))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for org, rows in sorted(boxes.items()):
        path = out_dir / f"signalen-{_SAFE.sub('_', org)}.{fmt}"
        records = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(r).items()} for r in rows]
        if fmt == "json":
            path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        else:
            with open(path, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, delimiter=";")
                w.writerow(list(OutboxRow.__dataclass_fields__))
                for rec in records:
                    w.writerow([inert(v) if v is not None else "" for v in rec.values()])
        written.append(path)
    return written
