"""The coach's caseload, triaged: per household the figures that say where to go first, most urgent first.

One named query (``coach_caseload_triage``) reads the whole caseload at once — the involvements active today,
advice awaiting a decision, overdue agreements and the coach's last home visit of every household — and the
figures are counted here with the same pure functions as the household page (:func:`household_counts`,
:func:`overlaps`, :func:`double_casemanagers`), so the caseload and the page never disagree. When this coach
last opened each household comes from the audit log (their own ``view_household`` records).

Only a coach reads it, only their own caseload (the query is bounded by :func:`queries.access.coach_scope`),
and the read is audited (``view_caseload_triage``) before anything is read.

**The urgency score** is declared once, in :data:`URGENCY`, and computed by :func:`urgency`::

    3 × (overlaps + dubbele casemanagers)         two organisations on one member and life domain; two
                                                  casemanagers of one function
    2 × advice awaiting a decision                the partner has not decided on the coach's advice yet
    2 × agreements overdue                        due date passed, no outcome recorded (status not in
                                                  CLOSED_AGREEMENT: open, a sanction announced, none)
    1 × active professionals above 3              a crowded network
    1 × open signal                               who else got involved, thresholds (queries.notices), not done
    1 × full 30 days since the last contact, at most 4
                                                  the later of the coach's last home visit and the last time
                                                  they opened the household; never either: 4

The caseload is sorted by score (highest first), then by active professionals, then by household id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph.clock import local_day
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.resolve import shown_postcode
from queries.access import Actor, Role, audit_each, coach_caseload, coach_scope, require_role
from queries.analytics.household import (
    Involvement,
    double_casemanagers,
    household_counts,
    overlaps,
)
from queries.audit import AuditLog
from queries.notices import _open_counts
from queries.registry import run

__all__ = [
    "CLOSED_AGREEMENT",
    "HOME_VISIT_KINDS",
    "URGENCY",
    "TriagedHousehold",
    "last_opened",
    "triaged_caseload",
    "urgency",
]

#: Agreement statuses that record an outcome, so nothing more is due when the due date has passed: kept, not kept,
#: carried out, withdrawn. Any other status (open, a sanction still announced, none) past its due date counts as
#: overdue ("afspraken over tijd"; not kept counted too until a review found it raising a household's urgency for
#: years after the outcome was recorded, beside a brief that listed only the open ones).
CLOSED_AGREEMENT: tuple[str, ...] = ("nagekomen", "niet nagekomen", "uitgevoerd", "ingetrokken")
#: Consultation kinds that are a home visit of the coach (``Consultation.kind``; the coach ATTENDED it).
HOME_VISIT_KINDS: tuple[str, ...] = ("huisbezoek",)

#: The urgency rule, as data (see the module docstring): weight per figure, the professionals a household may
#: have before they count, and the days per point of time since the last contact with its cap.
URGENCY: dict[str, int] = {
    "overlap": 3,              # per overlap and per dubbele casemanager
    "advice_pending": 2,       # per advice awaiting a decision
    "agreement_overdue": 2,    # per overdue agreement
    "professional": 1,         # per active professional above "professionals_free"
    "professionals_free": 3,
    "signal": 1,               # per open signal (queries.notices: who else got involved, thresholds)
    "contact": 1,              # per "contact_days" days since the last contact ...
    "contact_days": 30,
    "contact_cap": 4,          # ... at most this many points (also when there was no contact)
}


@dataclass(frozen=True)
class TriagedHousehold:
    """One household of the caseload with the figures that rank it."""

    id: str
    address: str | None
    postcode: str | None
    area_code: str | None
    since: date | None
    members: int
    professionals: int
    overlaps: int                 # member (or household) and life domain with 2+ organisations
    double_casemanagers: int      # functions held by 2+ casemanagers at once
    advice_pending: int
    agreements_overdue: int
    last_visit: date | None       # the coach's last home visit (a consultation of a HOME_VISIT_KINDS kind)
    last_opened: datetime | None  # when this user last opened the household (audit log)
    days_since_contact: int | None  # since the later of the two (None: neither)
    score: int
    open_signals: int = 0         # signals about the household not marked done (queries.notices)


def _date(value: Any) -> date | None:
    native = value.to_native() if hasattr(value, "to_native") else value
    if isinstance(native, datetime):
        return native.date()
    return native if isinstance(native, date) else None


def urgency(*, overlaps: int, double_casemanagers: int, advice_pending: int, agreements_overdue: int,
            professionals: int, days_since_contact: int | None, open_signals: int = 0) -> int:
    """The urgency score of one household (the rule of :data:`URGENCY`).

    >>> urgency(overlaps=1, double_casemanagers=0, advice_pending=0, agreements_overdue=1, professionals=7,
    ...         days_since_contact=None)
    13
    >>> urgency(overlaps=0, double_casemanagers=0, advice_pending=0, agreements_overdue=0, professionals=2,
    ...         days_since_contact=45)
    1
    """
    w = URGENCY
    contact = w["contact_cap"] if days_since_contact is None else min(
        w["contact_cap"], days_since_contact // w["contact_days"])
    return (w["overlap"] * (overlaps + double_casemanagers) + w["advice_pending"] * advice_pending
            + w["agreement_overdue"] * agreements_overdue
            + w["professional"] * max(0, professionals - w["professionals_free"]) + w["contact"] * contact
            + w["signal"] * open_signals)


def _at(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def last_opened(audit: AuditLog, actor: Actor, household_ids: list[str] | None = None, *,
                skip_latest: bool = False) -> dict[str, datetime]:
    """When ``actor``'s user last opened each household (their ``view_household`` records with result ``ok``).

    ``skip_latest``: the open before the latest one (the household page asks while the latest open is the one
    it is showing). ``household_ids``: only these (each read by the audit log's target index).
    """
    opens: dict[str, list[datetime]] = {}
    records = ([r for hid in household_ids for r in audit.records(target=hid)] if household_ids is not None
               else list(audit.records(user=actor.user)))
    for rec in records:
        if rec.user == actor.user and rec.action == "view_household" and rec.result == "ok" and rec.target:
            at = _at(rec.at)
            if at is not None:
                opens.setdefault(rec.target, []).append(at)
    out = {}
    for hid, times in opens.items():
        times.sort()
        if skip_latest:
            times = times[:-1]
        if times:
            out[hid] = times[-1]
    return out


def _involvements(rows: list[dict[str, Any]]) -> list[Involvement]:
    out = []
    for r in rows:
        since = _date(r["since"])
        if since is None:
            continue  # cannot be placed in time (the household page reports it)
        out.append(Involvement(
            id=r["id"], professional_id=r["professional_id"], organisation_id=r["organisation_id"],
            life_domain=r["life_domain"], since=since, until=_date(r["until"]), role=r["role"] or "",
            function=r["function"] or "", person_ids=tuple(sorted(r["person_ids"])),
            household_level=bool(r["household_level"])))
    return out


def _address(street: str | None, number: Any, suffix: str | None) -> str | None:
    if not street and number is None:
        return None
    return " ".join(x for x in (street or "", f"{number if number is not None else ''}{suffix or ''}") if x)


def triaged_caseload(db: Database, audit: AuditLog, actor: Actor, *,
                     today: date | None = None) -> list[TriagedHousehold]:
    """The coach's own households on ``today``, most urgent first (audited as ``view_caseload_triage``).

    Every other role is refused (audited). One read for the whole caseload.
    """
    require_role(audit, actor, "view_caseload_triage", Role.COACH)
    day = today or dutch_today()
    # a look at every household of the list (address, overdue agreements, signals): one record each, so that
    # ``wijknet audit who-saw`` finds it under the household; written before the list is read
    audited = coach_caseload(db, actor, day)
    audit_each(audit, actor, "view_caseload_triage", audited, purpose="caseload_overview")
    rows = run(db, "coach_caseload_triage", {
        "professional_id": coach_scope(actor), "today": day, "closed_statuses": list(CLOSED_AGREEMENT),
        "visit_kinds": list(HOME_VISIT_KINDS)}).rows
    if late := sorted({r["id"] for r in rows} - set(audited)):  # (a change of caseload in between): those too
        audit_each(audit, actor, "view_caseload_triage", late, purpose="caseload_overview")
    opened = last_opened(audit, actor, [r["id"] for r in rows])
    signals = _open_counts(db, actor, day) if rows else {}  # part of this read (audited above)
    out = []
    for r in rows:
        invs = _involvements(r["involvements"])
        counts = household_counts(invs, day)
        n_overlaps, n_double = len(overlaps(invs, day)), len(double_casemanagers(invs, day))
        visit, seen = _date(r["last_visit"]), opened.get(r["id"])
        contacts = [d for d in (visit, local_day(seen) if seen else None) if d is not None]
        days = max(0, (day - max(contacts)).days) if contacts else None
        score = urgency(overlaps=n_overlaps, double_casemanagers=n_double, advice_pending=int(r["advice_pending"]),
                        agreements_overdue=int(r["agreements_overdue"]), professionals=counts.professionals,
                        days_since_contact=days, open_signals=signals.get(r["id"], (0, 0))[0])
        out.append(TriagedHousehold(
            id=r["id"], address=_address(r["street"], r["house_number"], r["suffix"]), postcode=shown_postcode(r["postcode"]),
            area_code=r["area_code"], since=_date(r["since"]), members=int(r["members"] or 0),
            professionals=counts.professionals, overlaps=n_overlaps, double_casemanagers=n_double,
            advice_pending=int(r["advice_pending"]), agreements_overdue=int(r["agreements_overdue"]),
            last_visit=visit, last_opened=seen, days_since_contact=days, score=score,
            open_signals=signals.get(r["id"], (0, 0))[0]))
    return sorted(out, key=lambda h: (-h.score, -h.professionals, h.id))
