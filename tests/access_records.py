"""Tiny hand-built data for the access, injection and privacy tests: three households with canary values.

``HH-A`` is coached by ``PR-CA`` (coach A), ``HH-B`` by ``PR-CB`` (coach B); coach A's assignment for ``HH-C``
ended on 2020-01-01, so it is out of scope now. Every resident's display name and every street is a canary
(``Canary…``) that must only ever reach a coach of that household, and so is every piece of household content
(:data:`CANARY_CONTENT`: plan goals, agreements, sanctions, handover and referral reasons).
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["CANARY_CONTENT", "CANARY_NAMES", "CANARY_STREETS", "HOUSEHOLDS", "PERSONS", "records"]

SRC = "test:access_records"
HOUSEHOLDS = ("HH-A", "HH-B", "HH-C")
#: household -> (person id, display name)
PERSONS = {"HH-A": [("PER-A1", "CanaryAnna"), ("PER-A2", "CanaryArie")],
           "HH-B": [("PER-B1", "CanaryBram")],
           "HH-C": [("PER-C1", "CanaryCees")]}
CANARY_NAMES = {h: [n for _, n in ps] for h, ps in PERSONS.items()}
CANARY_STREETS = {"HH-A": "CanaryAstraat", "HH-B": "CanaryBstraat", "HH-C": "CanaryCstraat"}
#: household -> free text of its plan and of its handovers and referrals (content only its coach may read)
CANARY_CONTENT = {"HH-A": ["CanaryGoalVaderTactus", "CanaryAfspraakDMO", "CanarySanctieKorting",
                           "CanaryReferralReason"],
                  "HH-B": ["CanaryReason", "CanaryGoalSchool"],
                  "HH-C": []}


def records() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [
        ("area", {"code": "A1", "name": "Velve-Lindenhof", "kind": "experiment", "source": SRC}),
        ("area", {"code": "C1", "name": "Stadsveld-Zuid", "kind": "control", "source": SRC}),
        ("organisation", {"id": "O-COACH", "name": "Wijkcoaches", "sector": "gemeente", "source": SRC}),
        ("organisation", {"id": "O-TACTUS", "name": "Tactus", "sector": "verslavingszorg", "source": SRC}),
        ("organisation", {"id": "O-DMO", "name": "DMO Werk & Bijstand", "sector": "gemeente", "source": SRC}),
        ("professional", {"id": "PR-CA", "name": "Coach Alfa", "function": "wijkcoach", "organisation_id": "O-COACH",
                          "since": date(2008, 1, 1), "is_coach": True, "phone": "06-1", "source": SRC}),
        ("professional", {"id": "PR-CB", "name": "Coach Beta", "function": "wijkcoach", "organisation_id": "O-COACH",
                          "since": date(2008, 1, 1), "is_coach": True, "phone": "06-2", "source": SRC}),
        ("professional", {"id": "PR-T", "name": "Prof Tactus", "function": "casemanager",
                          "organisation_id": "O-TACTUS", "since": date(2000, 1, 1), "source": SRC}),
        ("professional", {"id": "PR-D", "name": "Prof DMO", "function": "casemanager", "organisation_id": "O-DMO",
                          "since": date(2000, 1, 1), "source": SRC}),
    ]
    for i, hh in enumerate(HOUSEHOLDS):
        out.append(("household", {"id": hh, "address_key": f"7513A{i}-1", "postcode": f"7513 A{'BCD'[i]}",
                                  "house_number": i + 1, "street": CANARY_STREETS[hh],
                                  "area_code": "A1" if hh != "HH-C" else "C1", "source": SRC}))
        for j, (pid, name) in enumerate(PERSONS[hh]):
            out.append(("person", {"id": pid, "birth_year": 1970 + j, "display_name": name, "source": SRC}))
            out.append(("membership", {"household_id": hh, "person_id": pid, "role": "overig",
                                       "since": date(2005, 1, 1), "source": SRC}))
    out += [("caseload", {"professional_id": "PR-CA", "household_id": "HH-A", "since": date(2008, 9, 1),
                          "source": SRC}),
            ("caseload", {"professional_id": "PR-CB", "household_id": "HH-B", "since": date(2008, 9, 1),
                          "source": SRC}),
            ("caseload", {"professional_id": "PR-CA", "household_id": "HH-C", "since": date(2008, 9, 1),
                          "until": date(2020, 1, 1), "source": SRC})]
    invs = [("INV-1", "PR-T", "O-TACTUS", ["PER-A1"], date(2008, 1, 1), None),
            ("INV-2", "PR-D", "O-DMO", ["PER-A1"], date(2008, 1, 1), date(2010, 6, 30)),
            ("INV-3", "PR-T", "O-TACTUS", ["PER-B1"], date(2007, 1, 1), date(2008, 3, 31)),
            ("INV-4", "PR-D", "O-DMO", ["PER-B1"], date(2008, 4, 1), None),
            ("INV-5", "PR-D", "O-DMO", ["PER-C1"], date(2009, 1, 1), None)]
    out += [("involvement", {"id": i, "professional_id": p, "organisation_id": o, "life_domain": "ZORG_HULPVERLENING",
                             "role": "casemanager", "since": s, "until": u, "person_ids": ps, "source": SRC})
            for i, p, o, ps, s, u in invs]
    out += [("handover", {"id": "HO-1", "from_involvement_id": "INV-3", "to_involvement_id": "INV-4",
                          "date": date(2008, 4, 1), "reason": "CanaryReason", "source": SRC}),
            ("referral", {"id": "REF-1", "professional_id": "PR-T", "organisation_id": "O-DMO",
                          "date": date(2008, 2, 1), "life_domain": "WERK_PARTICIPATIE", "person_id": "PER-A1",
                          "reason": "CanaryReferralReason", "source": SRC})]
    out += [("plan", {"id": "PL-A", "household_id": "HH-A", "created_at": date(2008, 9, 15), "source": SRC}),
            ("goal", {"id": "G-A1", "plan_id": "PL-A", "life_domain": "ZORG_HULPVERLENING",
                      "description": "CanaryGoalVaderTactus", "status": "open", "source": SRC}),
            ("agreement", {"id": "AG-A1", "plan_id": "PL-A", "kind": "afspraak", "text": "CanaryAfspraakDMO",
                           "date": date(2008, 9, 15), "due": date(2008, 10, 15), "status": "open", "source": SRC}),
            ("agreement", {"id": "AG-A2", "plan_id": "PL-A", "kind": "sanctie", "text": "CanarySanctieKorting",
                           "date": date(2008, 9, 15), "source": SRC}),
            ("ladder_score", {"id": "LS-A2", "person_id": "PER-A2", "date": date(2008, 9, 15), "rung": 2,
                              "source": SRC}),
            ("plan", {"id": "PL-B", "household_id": "HH-B", "created_at": date(2008, 9, 15), "source": SRC}),
            ("goal", {"id": "G-B1", "plan_id": "PL-B", "life_domain": "ONDERWIJS_OPVOEDING",
                      "description": "CanaryGoalSchool", "status": "open", "source": SRC})]
    return out
