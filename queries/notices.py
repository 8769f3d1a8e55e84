"""Signals (``:Notice``; *signalen*): the inbox per user, marking, the open counts per household, the outbox per
organisation and expiry. What is matched and who is told: :mod:`graph.notice_rules`; the matching itself:
:mod:`ingest.matching`.

Who reads what (:data:`queries.access.NOTICE_ROLES`), enforced in the queries here:

* a **coach** reads the signals addressed to them about households in today's caseload (a signal about a household
  that left the caseload is no longer shown);
* a **partner professional** reads only the match signals about their own involvements — who else is involved and
  how to reach them; the entries carry no household id;
* the **project lead** reads the threshold signals addressed to the lead (household pseudonym, kind, count);
* everyone else is refused (audited).

What is stored is small (:mod:`ingest.matching`): one ``:Notice`` per matched pair of involvements, one per new
involvement on a coached household, one per threshold and recipient. Who a match or new involvement reaches and
the other side's contact details are derived here, at read time (``notices_inbox.cypher``); a reader's status
(read, done) is a ``:NoticeState`` node per (signal, reader), made only when they mark it — unmarked is unread.

Every read is audited like a view (``view_notices``, ``count_notices``, ``export_notices``) before anything is
read; marking is the write ``notice_status`` and expiry ``notice_expire`` (:data:`queries.access.WRITE_ACTIONS`).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph.db import Database
from graph.errors import WijknetError
from graph.notice_rules import LEAD_RECIPIENT, NOTICE_KINDS, notice_rules
from graph.said import said
from graph.spreadsheet import inert
from ingest.entry import audited_write, writes
from queries.access import DATA_ROLES, NOTICE_ROLES, Actor, Role, audit_action, coach_caseload, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["NOTICE_STATUSES", "NoticeEntry", "OutboxRow", "expire_notices", "inbox", "mark_notice",
           "open_signal_counts", "outbox", "write_outbox"]

#: A signal's statuses and their Dutch names.
NOTICE_STATUSES: dict[str, str] = {"new": "ongelezen", "read": "gelezen", "done": "afgehandeld"}


@dataclass(frozen=True)
class NoticeEntry:
    """One signal as its reader sees it. ``household_id`` is ``None`` for a partner professional."""

    key: str
    kind: str
    title: str
    status: str
    day: date | None  # the event's date (the later start of the pair; the day a threshold was reached)
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


def _scope(db: Database, actor: Actor, today: date | None) -> dict[str, Any]:
    """The inbox bounds of ``actor``: recipient, visible households (None: not bounded), own involvements only."""
    if actor.role == Role.COACH:
        return {"recipient": actor.professional_id or "", "households": coach_caseload(db, actor, today),
                "own_only": False}
    if actor.role == Role.PARTNER:
        return {"recipient": actor.professional_id or "", "households": None, "own_only": True}
    return {"recipient": LEAD_RECIPIENT, "households": None, "own_only": False}


def inbox(db: Database, audit: AuditLog, actor: Actor, *, include_done: bool = True,
          today: date | None = None) -> list[NoticeEntry]:
    """The actor's signals, unread first, then newest (audited as ``view_notices``)."""
    require_role(audit, actor, "view_notices", *NOTICE_ROLES)
    audit_action(audit, actor, "view_notices", target=actor.professional_id or str(actor.role), purpose="signals")
    scope = _scope(db, actor, today)
    rows = run(db, "notices_inbox", {**scope, "include_done": include_done}).rows
    partner = actor.role == Role.PARTNER
    return [NoticeEntry(
        key=r["key"], kind=r["kind"], title=NOTICE_KINDS[r["kind"]].title_nl if r["kind"] in NOTICE_KINDS
        else r["kind"], status=r["status"], day=_d(r["date"]), created_at=str(r["created_at"] or ""),
        household_id=None if partner else r["household_id"], own_involvement=r["own_involvement"],
        other_involvement=r["other_involvement"], own_life_domain=r["own_life_domain"], other_organisation=r["other_organisation"],
        other_professional=r["other_professional"], other_function=r["other_function"],
        other_life_domain=r["other_life_domain"], other_since=_d(r["other_since"]), contact=r["contact"],
        detail=r["detail"], count=r["count"], args=tuple(str(a) for a in r.get("args") or ())) for r in rows]


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
    # the inbox's own read (who is told is derived there, once): a coach's open signals are a few dozen rows
    out: dict[str, tuple[int, int]] = {}
    for r in run(db, "notices_inbox", {**_scope(db, actor, today), "include_done": False}).rows:
        if r["household_id"] is not None:
            n, unread = out.get(str(r["household_id"]), (0, 0))
            out[str(r["household_id"])] = (n + 1, unread + (r["status"] == "new"))
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
        scope = _scope(db, actor, today)
        row = run(db, "notices_set_status", {**scope, "key": str(key), "status": status,
                                             "source": f"account:{actor.user}",
                                             "now": datetime.now(UTC).isoformat(timespec="seconds")},
                  write=True).first() or {}
        changed = int(row.get("changed", 0)) > 0
        outcome.done("marked" if changed else "not_found", f"status={status}")
    return changed


@writes("notice_expire")
def expire_notices(db: Database, audit: AuditLog, actor: Actor, *, as_of: date | None = None,
                   apply: bool = False) -> tuple[date, int]:
    """Count (or with ``apply`` remove) the signals whose event lies before the retention cut-off seen from
    ``as_of`` (default today): (cut-off, how many). A dry run is a read (``notice_expire_dry_run``)."""
    cutoff = notice_rules().cutoff(as_of or date.today())
    detail = f"cutoff={cutoff.isoformat()}"
    if not apply:
        require_role(audit, actor, "notice_expire_dry_run", *DATA_ROLES)
        audit_action(audit, actor, "notice_expire_dry_run", purpose="storage_limitation", detail=detail)
        row = run(db, "notices_expire_count", {"cutoff": cutoff}).first() or {}
        return cutoff, int(row.get("expired", 0))
    with audited_write(audit, actor, "notice_expire", detail=detail) as outcome:
        row = run(db, "notices_expire", {"cutoff": cutoff}, write=True).first() or {}
        outcome.done("removed", f"{detail} signals={int(row.get('expired', 0))}")
    return cutoff, int(row.get("expired", 0))


def outbox(db: Database, audit: AuditLog, actor: Actor, *, organisation: str | None = None,
           skip: tuple[str, ...] = ()) -> dict[str, list[OutboxRow]]:
    """Open match signals per organisation (by the organisation of the recipient's own involvement), leaving out
    the professionals in ``skip`` (those who read them in the app). For data stewards (audited)."""
    require_role(audit, actor, "export_notices", *DATA_ROLES)
    audit_action(audit, actor, "export_notices", target=organisation or "all", purpose="signals")
    out: dict[str, list[OutboxRow]] = {}
    for r in run(db, "notices_outbox", {"organisation": organisation, "skip": list(skip)}).rows:
        row = OutboxRow(**{**r, "other_since": _d(r["other_since"]), "day": _d(r["day"])})
        out.setdefault(row.organisation_id, []).append(row)
    return out


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
