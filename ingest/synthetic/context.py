"""The state one generator run carries: its random stream, id counters, the record builder and the pool of
professionals currently on duty.

Professionals are hired in blocks: every :data:`BLOCK_HOUSEHOLDS` households of an area get a fresh set per
organisation and function, yielded before those households. That keeps memory flat however many households
are generated, while each professional still serves many households (the shared caseloads the network views
are about).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from graph.model import RECORD_KINDS

from .organisations import COACH_ORG_ID, ORGANISATIONS
from .people import fictional_name, fictional_phone, person_id

__all__ = [
    "BLOCK_HOUSEHOLDS",
    "COACHING_START",
    "END",
    "START",
    "SURVEY",
    "Context",
    "Record",
]

Record = tuple[str, dict[str, Any]]

START = date(2004, 1, 1)
END = date(2012, 12, 31)
#: The residents' baseline survey (helpers per resident) was held in 2009; we count on its mid-year.
SURVEY = date(2009, 6, 30)
COACHING_START = date(2008, 9, 1)

BLOCK_HOUSEHOLDS = 250

#: Professionals per (organisation, function) and block; the busiest first-line functions get more.
_POOL_SIZE: dict[tuple[str, str], int] = {
    ("ORG-SMD", "maatschappelijk werker"): 4,
    ("ORG-DMO-WB", "casemanager werk en bijstand"): 4,
    ("ORG-BJZ", "casemanager jeugdzorg"): 3,
    ("ORG-STADSBANK", "schuldhulpverlener"): 3,
    ("ORG-GGD", "jeugdgezondheidszorg"): 2,
    ("ORG-LEERPLICHT", "leerplichtambtenaar"): 2,
    ("ORG-MEDIANT", "casemanager GGZ"): 2,
    ("ORG-TACTUS", "casemanager verslavingszorg"): 2,
    ("ORG-DE-WOONPLAATS", "woningconsulent"): 2,
    ("ORG-DOMIJN", "woningconsulent"): 2,
    ("ORG-MULTIPROBLEEM", "casemanager multiprobleemaanpak"): 2,
    ("ORG-BJZ", "gezinsvoogd"): 2,
    ("ORG-JARABEE", "gezinscoach"): 2,
}


class Context:
    """Random stream, counters and professional pool of one :func:`~ingest.synthetic.generate` run."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.source = f"synthetic:{seed}"
        self._counters: dict[str, int] = {}
        self._persons = 0
        self._fields = {name: kind.fields for name, kind in RECORD_KINDS.items()}
        #: (organisation id, function) -> professional ids of the current block.
        self.pool: dict[tuple[str, str], list[str]] = {}
        self.buddies: dict[str, str] = {}

    # -- ids and records ---------------------------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        """Return the next id with ``prefix`` ('INV' -> 'INV-00000001')."""
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}-{n:08d}"

    def new_person_id(self) -> str:
        """Return a fresh pseudonymous person id."""
        pid = person_id(self.seed, self._persons)
        self._persons += 1
        return pid

    def rec(self, record_kind: str, /, **values: Any) -> Record:
        """Build a ``(kind, record)`` pair with every field of the kind (missing optional ones None).

        Positional-only, because some records have a field called ``kind`` themselves.
        """
        record = dict.fromkeys(self._fields[record_kind])
        record.update(values)
        record["source"] = self.source
        return record_kind, record

    # -- dates ---------------------------------------------------------------------------------------------

    def date_between(self, lo: date, hi: date) -> date:
        """Return a uniform date in ``[lo, hi]`` (``lo`` when the range is empty)."""
        span = (hi - lo).days
        # random() rather than randint(): a third of the cost, and uniform enough for dates.
        return lo if span <= 0 else lo + timedelta(days=int(self.rng.random() * (span + 1)))

    # -- professionals -------------------------------------------------------------------------------------

    def professional(self, org_id: str, function: str, since: date, *, is_coach: bool = False) -> Record:
        """Hire one professional of ``org_id``; ids count per organisation ('PRO-TACTUS-00003')."""
        prefix = f"PRO-{org_id.removeprefix('ORG-')}"
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        gender = "V" if self.rng.random() < 0.6 else "M"
        return self.rec("professional", id=f"{prefix}-{n:05d}", name=fictional_name(self.rng, gender),
                        function=function, organisation_id=org_id, since=since, until=None,
                        phone=fictional_phone(self.rng), is_coach=is_coach)

    def new_block(self) -> list[Record]:
        """Replace the pool by a fresh block of professionals and return their records."""
        records: list[Record] = []
        self.pool = {}
        for org in ORGANISATIONS:
            if org.id == COACH_ORG_ID:
                continue
            for function in org.functions:
                ids = self.pool.setdefault((org.id, function), [])
                for _ in range(_POOL_SIZE.get((org.id, function), 1)):
                    record = self.professional(org.id, function, START)
                    records.append(record)
                    ids.append(record[1]["id"])
        return records

    def pick_professional(self, org_id: str, function: str | None, avoid: set[str],
                          hired: list[Record] | None = None) -> str:
        """Pick a professional of ``org_id`` (with ``function`` when the pool has one) not in ``avoid``.

        When everyone in the block is in ``avoid``: hire one more into the block if ``hired`` is given (the
        caller emits the record before its involvements), otherwise reuse someone, so a household shares
        one professional across two lines of work, which happens in reality too.
        """
        if function is None or (org_id, function) not in self.pool:
            function = _first_function(org_id)
        ids = self.pool[(org_id, function)]
        free = [p for p in ids if p not in avoid]
        if free:
            return self.rng.choice(free)
        if hired is not None:
            record = self.professional(org_id, function, START)
            hired.append(record)
            ids.append(record[1]["id"])
            return str(record[1]["id"])
        return self.rng.choice(ids)


_FIRST_FUNCTION = {o.id: o.functions[0] for o in ORGANISATIONS}


def _first_function(org_id: str) -> str:
    return _FIRST_FUNCTION[org_id]
