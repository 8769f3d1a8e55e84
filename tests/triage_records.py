"""Hand-checkable additions to :mod:`tests.household_records` for the triaged caseload (issue 19).

Coach ``PR-COACH-1`` also holds ``HH-T3`` (since 2008-01-01, so before ``HH-T1`` in the plain caseload order):
one member Y with two BJZ casemanagers of the same function (a dubbele casemanager) and a Jarabee worker in the
same life domain (one overlap: two organisations on Y in ONDERWIJS_OPVOEDING); three professionals; one advice
awaiting a decision (ADV1) and one decided (ADV2); the coach's home visit on 2009-01-01 and a case consultation
(not a visit) on 2009-01-10.

On :data:`tests.household_records.AFTER` (2009-01-15), never opened:

* ``HH-T1``: 7 professionals, 0 overlaps, 0 doubles, 0 advice pending, 1 agreement overdue (A1, due 2008-10-15,
  open), no contact → 2×1 + (7−3) + 4 = **10**;
* ``HH-T3``: 3 professionals, 1 overlap, 1 dubbele casemanager, 1 advice pending, 0 overdue, home visit 14 days
  ago → 3×2 + 2×1 + 0 + 0 = **8**.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.household_records import INTAKE, SRC

__all__ = ["TRIAGE_EXTRA"]

TRIAGE_EXTRA: list[tuple[str, dict[str, Any]]] = [
    ("household", {"id": "HH-T3", "address_key": "7513AD-7", "postcode": "7513 AD", "house_number": 7,
                   "street": "Lasondersingel", "area_code": "A1", "source": SRC}),
    ("person", {"id": "Y", "birth_year": 1995, "gender": "M", "display_name": "Yorick", "source": SRC}),
    ("membership", {"household_id": "HH-T3", "person_id": "Y", "role": "alleenstaande", "since": date(2006, 1, 1),
                    "source": SRC}),
    ("caseload", {"professional_id": "PR-COACH-1", "household_id": "HH-T3", "since": date(2008, 1, 1),
                  "source": SRC}),
    ("involvement", {"id": "I30", "professional_id": "P08", "organisation_id": "O-BJZ",
                     "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": date(2008, 6, 1),
                     "until": None, "person_ids": ["Y"], "household_id": None, "source": SRC}),
    ("involvement", {"id": "I31", "professional_id": "P12", "organisation_id": "O-BJZ",
                     "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": date(2008, 7, 1),
                     "until": None, "person_ids": ["Y"], "household_id": None, "source": SRC}),
    ("involvement", {"id": "I32", "professional_id": "P13", "organisation_id": "O-JAR",
                     "life_domain": "ONDERWIJS_OPVOEDING", "role": "uitvoerend", "since": date(2008, 8, 1),
                     "until": None, "person_ids": ["Y"], "household_id": None, "source": SRC}),
    ("advice", {"id": "ADV1", "mandate_id": "MAN-LEER", "professional_id": "PR-COACH-1", "household_id": "HH-T3",
                "date": date(2008, 12, 1), "outcome": None, "source": SRC}),
    ("advice", {"id": "ADV2", "mandate_id": "MAN-LEER", "professional_id": "PR-COACH-1", "household_id": "HH-T3",
                "date": INTAKE, "outcome": "adopted", "source": SRC}),
    ("consultation", {"id": "K1", "household_id": "HH-T3", "date": date(2009, 1, 1), "kind": "huisbezoek",
                      "professional_ids": ["PR-COACH-1"], "source": SRC}),
    ("consultation", {"id": "K2", "household_id": "HH-T3", "date": date(2009, 1, 10), "kind": "casusoverleg",
                      "professional_ids": ["PR-COACH-1", "P08"], "source": SRC}),
]
