"""Review rules for the audit log (NEN 7513 / BIO 12.4.1: logs are reviewed regularly), after Suwinet's usage
reports: access outside office hours, many households outside the user's own caseload, searches by name and
birth date, repeated failed sign-ins. Plain functions over :class:`~queries.audit.AuditRecord` values.

>>> from queries.audit import AuditRecord
>>> r = AuditRecord("2009-01-17T10:00:00.000+00:00", "coach1", "coach", "", "view_household", "HH-1",
...                 "case_consultation", "ok")
>>> [f.rule for f in review([r])]  # a Saturday
['outside_office_hours']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from graph.said import Said, said
from queries.audit import AuditRecord

__all__ = ["SEVERITY", "SEVERITY_LABEL", "Flag", "RankedFlag", "rank", "review", "who_saw"]

TZ = ZoneInfo("Europe/Amsterdam")
ACCESS_PREFIXES = ("view", "search", "export", "download", "erase", "retention", "privacy")
_NAME = re.compile(r"\b(name|naam|achternaam|surname)\b", re.I)
_BIRTH = re.compile(r"\b(birth\w*|geboorte\w*|dob)\b", re.I)


@dataclass(frozen=True)
class Flag:
    rule: str
    user: str
    at: str
    detail: str


#: How serious each rule is (higher first): refused households and a burst of refused sign-ins point at someone
#: trying what they may not; a name-and-birth-date search is how one looks for a person one knows; access at
#: night is usually work done late, worth a look only in bulk.
SEVERITY: dict[str, int] = {"outside_caseload": 3, "failed_sign_ins": 3, "name_birth_search": 2,
                            "outside_office_hours": 1}
SEVERITY_LABEL: dict[int, str] = {3: "hoog", 2: "middel", 1: "laag"}


@dataclass(frozen=True)
class RankedFlag:
    """A flag as the admin reviews it: how serious, how many records it stands for, first and last time."""

    severity: int
    rule: str
    user: str
    first: str
    last: str
    count: int
    detail: str


def rank(flags: Iterable[Flag]) -> list[RankedFlag]:
    """The flags worst first: by severity, then the most recent first. A user's accesses outside office hours
    on one local day become one flag with their number and time span (hundreds of late views must not bury one
    refused household)."""
    out: list[RankedFlag] = []
    nights: dict[tuple[str, str], list[Flag]] = defaultdict(list)
    for f in flags:
        if f.rule == "outside_office_hours":
            nights[(f.user, f"{_local_at(f.at):%Y-%m-%d}")].append(f)
        else:
            out.append(RankedFlag(SEVERITY.get(f.rule, 1), f.rule, f.user, f.at, f.at, 1, f.detail))
    for (user, _day), group in nights.items():
        ts = sorted(_local_at(f.at) for f in group)
        detail = (group[0].detail if len(group) == 1 else
                  said("said.review.late_many", "{n} accesses outside office hours on {weekday} {day} between "
                       "{first} and {last} local time", n=len(group), weekday=_DAYS[ts[0].weekday()],
                       day=f"{ts[0]:%d-%m-%Y}", first=f"{ts[0]:%H:%M}",
                       last=f"{ts[-1]:%H:%M}"))
        out.append(RankedFlag(SEVERITY["outside_office_hours"], "outside_office_hours", user,
                              min(f.at for f in group), max(f.at for f in group), len(group), detail))
    return sorted(out, key=lambda r: (-r.severity, _neg_time(r.last), r.user))


#: The days of the week as a flag names them (``Wed`` in the CLI, ``wo`` on a Dutch page), Monday first.
_DAYS = (said("said.day.mon", "Mon"), said("said.day.tue", "Tue"), said("said.day.wed", "Wed"),
         said("said.day.thu", "Thu"), said("said.day.fri", "Fri"), said("said.day.sat", "Sat"),
         said("said.day.sun", "Sun"))


def _local_at(at: str) -> datetime:
    return datetime.fromisoformat(at).astimezone(TZ)


def _neg_time(at: str) -> float:
    return -datetime.fromisoformat(at).timestamp()


def _local(rec: AuditRecord) -> datetime:
    return datetime.fromisoformat(rec.at).astimezone(TZ)


def _is_access(rec: AuditRecord) -> bool:
    return rec.action.startswith(ACCESS_PREFIXES)


def review(records: Iterable[AuditRecord], *, outside_caseload_threshold: int = 3, failed_sign_ins: int = 5,
           office_start: int = 6, office_end: int = 19) -> list[Flag]:
    """Flags for the records, in time order per rule.

    * ``outside_office_hours``: an access between ``office_end`` and ``office_start`` (local time) or at a
      weekend;
    * ``outside_caseload``: a user was refused ``outside_caseload_threshold`` or more distinct households
      (one flag per user, at the record that reached the threshold);
    * ``name_birth_search``: a search whose keys were a name and a birth date (detail ``keys=name,birth_date``);
    * ``failed_sign_ins``: ``failed_sign_ins`` or more refused sign-ins for one user name.
    """
    flags: list[Flag] = []
    refused: dict[str, set[str]] = defaultdict(set)
    failed: dict[str, int] = defaultdict(int)
    for rec in records:
        if _is_access(rec) and rec.user != "anonymous":
            t = _local(rec)
            if t.weekday() >= 5 or not office_start <= t.hour < office_end:
                flags.append(Flag("outside_office_hours", rec.user, rec.at, said(
                    "said.review.late_one", "{action} {target} at {weekday} {time} local time", target=rec.target,
                    action=Said(f"action.{rec.action}", rec.action, {}), weekday=_DAYS[t.weekday()],
                    time=f"{t:%H:%M}")))
        if rec.action == "view_household" and rec.result == "denied" and rec.target:
            seen = refused[rec.user]
            if rec.target not in seen:
                seen.add(rec.target)
                if len(seen) == outside_caseload_threshold:
                    flags.append(Flag("outside_caseload", rec.user, rec.at, said(
                        "said.review.outside_caseload", "{n} households outside the caseload were asked for",
                        n=len(seen))))
        if rec.action.startswith("search") and _NAME.search(rec.detail) and _BIRTH.search(rec.detail):
            flags.append(Flag("name_birth_search", rec.user, rec.at, said("said.review.search", "search keys: {keys}",
                                                                          keys=rec.detail)))
        if rec.action == "sign_in" and rec.result == "denied":
            failed[rec.user] += 1
            if failed[rec.user] == failed_sign_ins:
                flags.append(Flag("failed_sign_ins", rec.user, rec.at, said("said.review.failed_sign_ins",
                                                                            "{n} refused sign-ins", n=failed_sign_ins)))
    return flags


def who_saw(records: Iterable[AuditRecord], target: str, *, with_names: bool = False) -> list[dict[str, str]]:
    """Who looked at ``target``, when and why (the Art. 15 / Pankki S answer): staff names only on request."""
    out = []
    for r in records:
        if r.target != target:
            continue
        row = {"at (UTC)": r.at, "organisation": r.organisation, "role": r.role, "action": r.action,
               "purpose": r.purpose, "result": r.result}
        if with_names:
            row["user"] = r.user
        out.append(row)
    return out
