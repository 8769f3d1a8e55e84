"""Signals (*signalen*): what is matched, who is told, how long a signal lives — declared once, here.
``docs/signals.md`` describes the same rules for people; they are applied in :mod:`ingest.pairing`, each reader's
signals derived when read (:mod:`queries.notices`); a load only marks what it wrote as matched
(:mod:`ingest.matching`).

Not to be confused with ``:Signal`` (the *aanmelding* that started a case). A notice says *that* someone else is
involved, never *what*: it carries the other involvement's organisation, professional, function, life domain,
since-date and the professional's contact, nothing of the household's content (the Verwijsindex rule "dat, niet
wat").

>>> r = NoticeRules()
>>> r.retention_days, r.max_casemanagers, sorted(NOTICE_KINDS)
(730, 5, ['casemanagers', 'double_casemanager', 'match', 'new_involvement', 'ping_pong'])
>>> r.cutoff(date(2010, 1, 1))
datetime.date(2008, 1, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph.settings import Settings, load_settings

__all__ = ["LEAD_RECIPIENT", "NOTICE_KINDS", "NoticeKind", "NoticeRules", "notice_rules"]

#: The recipient of threshold notices meant for the project lead (every lead account shares them).
LEAD_RECIPIENT = "role:project_lead"


@dataclass(frozen=True)
class NoticeKind:
    """One kind of signal: its name, the Dutch title the inbox shows, who gets it, and when it is made."""

    name: str
    title_nl: str
    recipients: str
    when: str


#: Every kind of signal, declared once (the docs page and the inbox read this table).
NOTICE_KINDS: dict[str, NoticeKind] = {k.name: k for k in (
    NoticeKind("match", "Ook betrokken", "each professional of the two involvements (about the other one)",
               "an involvement starts while another professional's involvement is active on the same person, the "
               "same household (household-level work; for a household-level involvement every active member), or a "
               "parent/child of that person (membership roles; a parent in the client system); not a sibling"),
    NoticeKind("new_involvement", "Nieuwe betrokkenheid", "the household's active coach(es)",
               "an involvement starts on the household or one of its active members (not the coach's own)"),
    NoticeKind("casemanagers", "Veel casemanagers", "the household's active coach(es) and the project lead",
               "the household reaches the threshold of simultaneously active casemanagers (distinct "
               "professionals, as in the overlap figures: tests/overlap_oracle.py caseworkers_per_household)"),
    NoticeKind("double_casemanager", "Dubbele casemanager", "the household's active coach(es) and the project lead",
               "two or more professionals active in the casemanager role with the same function on the "
               "household (regie and uitvoerend do not count; as the overlap figures count it: "
               "tests/overlap_oracle.py double_casemanagers)"),
    NoticeKind("ping_pong", "Pingpong", "the household's active coach(es) and the project lead",
               "a case of the household was handed from organisation A to B and then back to A within the "
               "retention period (as queries.analytics.communities.ping_pong defines it)"),
)}


@dataclass(frozen=True)
class NoticeRules:
    """The tunable part of the rules (from settings: ``WIJKNET_NOTICE_*``)."""

    #: a signal is kept this many days after the event it reports (its ``date``), then expired
    retention_days: int = 730
    #: simultaneously active casemanagers on one household that make a ``casemanagers`` signal
    max_casemanagers: int = 5

    def cutoff(self, as_of: date) -> date:
        """The first day a signal's event may lie on and still be kept, seen from ``as_of``."""
        return as_of - timedelta(days=self.retention_days - 1)


def notice_rules(settings: Settings | None = None) -> NoticeRules:
    """The rules in force (from the settings)."""
    s = settings or load_settings()
    return NoticeRules(retention_days=s.notice_retention_days, max_casemanagers=s.notice_max_casemanagers)
