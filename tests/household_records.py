"""Hand-built records of the seed-002 household ("een modaal probleemgezin"), small enough to check by hand.

Household ``HH-T1``: father F, mother M, son S (14), stepdaughter D (16); grandmother G and neighbour N in the
wider client system (N also helps M informally). On :data:`BEFORE` (2008-06-01) eleven professionals from ten
organisations are active, per member 3/3/4/2 (the couple-level domestic-violence project counts for both
parents). Coach ``PR-COACH-1`` takes the household on :data:`INTAKE` (2008-09-01); four involvements end on
2008-10-31, so on :data:`AFTER` (2009-01-15) seven professionals from seven organisations remain (the coach
included): F 2, M 2, S 1, D 2.

History for the handover analytics: D's youth care went BJZ (P12) → Jarabee (P13) → BJZ (P10) with explicit
handovers (ping-pong); F's work-and-income casemanager P14 stopped on 2007-03-31 and P02 only started on
2007-06-01 (a 61-day gap). Mediant referred M to SMD on 2008-11-01 and nothing started (75 days waiting on
AFTER).

A second coach ``PR-COACH-2`` has household ``HH-T2`` only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.notice_rules import LEAD_RECIPIENT

__all__ = ["AFTER", "BEFORE", "INTAKE", "records"]

BEFORE = date(2008, 6, 1)
INTAKE = date(2008, 9, 1)
AFTER = date(2009, 1, 15)
SRC = "test:household_records"

_ORGS = [
    ("O-TACTUS", "Tactus verslavingszorg", "verslavingszorg"),
    ("O-DMO", "DMO Werk & Bijstand", "gemeente"),
    ("O-PHG", "Project Huiselijk Geweld", "veiligheid"),
    ("O-MEDIANT", "Mediant GGZ", "ggz"),
    ("O-MPA", "Multiprobleemaanpak", "gemeente"),
    ("O-RMC", "RMC", "onderwijs"),
    ("O-JIB", "JIB", "justitie"),
    ("O-BJZ", "Bureau Jeugdzorg Overijssel", "jeugdzorg"),
    ("O-ZN12", "Zorgnetwerk 12+", "onderwijs"),
    ("O-SHG", "Steunpunt Huiselijk Geweld", "veiligheid"),
    ("O-JAR", "Jarabee", "jeugdzorg"),
    ("O-SMD", "SMD", "maatschappelijk werk"),
    ("O-LEER", "Gemeente Leerplicht", "gemeente"),
    ("O-COACH", "Wijkcoaches", "gemeente"),
]

# professional id, organisation, function
_PROS = [
    ("P01", "O-TACTUS", "casemanager verslavingszorg"),
    ("P02", "O-DMO", "casemanager werk en bijstand"),
    ("P03", "O-PHG", "casemanager huiselijk geweld"),
    ("P04", "O-MEDIANT", "casemanager GGZ"),
    ("P05", "O-MPA", "casemanager multiprobleemaanpak"),
    ("P06", "O-RMC", "trajectbegeleider RMC"),
    ("P07", "O-JIB", "casemanager JIB"),
    ("P08", "O-BJZ", "casemanager jeugdzorg"),
    ("P09", "O-ZN12", "zorgbegeleider"),
    ("P10", "O-BJZ", "casemanager jeugdzorg"),
    ("P11", "O-SHG", "medewerker Steunpunt Huiselijk Geweld"),
    ("P12", "O-BJZ", "casemanager jeugdzorg"),
    ("P13", "O-JAR", "gezinscoach"),
    ("P14", "O-DMO", "casemanager werk en bijstand"),
    ("P15", "O-LEER", "leerplichtambtenaar"),
]

_END = date(2008, 10, 31)
# involvement id, professional, organisation, life domain, role, since, until, persons, household-level
_INVS: list[tuple[str, str, str, str, str, date, date | None, list[str], bool]] = [
    ("I01", "P01", "O-TACTUS", "ZORG_HULPVERLENING", "casemanager", date(2008, 1, 1), None, ["F"], False),
    ("I02", "P02", "O-DMO", "WERK_PARTICIPATIE", "casemanager", date(2007, 6, 1), _END, ["F"], False),
    ("I03", "P03", "O-PHG", "VEILIGHEID_JUSTITIE", "casemanager", date(2008, 2, 1), None, ["F", "M"], False),
    ("I04", "P04", "O-MEDIANT", "GEZONDHEID_WELZIJN", "casemanager", date(2007, 9, 1), None, ["M"], False),
    ("I05", "P05", "O-MPA", "ZORG_HULPVERLENING", "casemanager", date(2008, 3, 1), _END, ["M"], False),
    ("I06", "P06", "O-RMC", "ONDERWIJS_OPVOEDING", "casemanager", date(2008, 3, 1), _END, ["S"], False),
    ("I07", "P07", "O-JIB", "VEILIGHEID_JUSTITIE", "casemanager", date(2008, 4, 1), None, ["S"], False),
    ("I08", "P08", "O-BJZ", "ONDERWIJS_OPVOEDING", "casemanager", date(2008, 2, 1), _END, ["S"], False),
    ("I09", "P09", "O-ZN12", "ONDERWIJS_OPVOEDING", "casemanager", date(2008, 4, 15), date(2008, 8, 31), ["S"],
     False),
    ("I10", "P10", "O-BJZ", "ONDERWIJS_OPVOEDING", "casemanager", date(2008, 1, 1), None, ["D"], False),
    ("I11", "P11", "O-SHG", "VEILIGHEID_JUSTITIE", "casemanager", date(2008, 5, 1), None, ["D"], False),
    ("I12", "P12", "O-BJZ", "ONDERWIJS_OPVOEDING", "casemanager", date(2007, 1, 1), date(2007, 6, 30), ["D"],
     False),
    ("I13", "P13", "O-JAR", "ONDERWIJS_OPVOEDING", "uitvoerend", date(2007, 7, 1), date(2007, 12, 31), ["D"],
     False),
    ("I14", "P14", "O-DMO", "WERK_PARTICIPATIE", "casemanager", date(2007, 1, 1), date(2007, 3, 31), ["F"],
     False),
    ("I20", "PR-COACH-1", "O-COACH", "ZORG_HULPVERLENING", "regie", INTAKE, None, [], True),
]


def records() -> list[tuple[str, dict[str, Any]]]:
    """The canonical records, in load order."""
    out: list[tuple[str, dict[str, Any]]] = [
        ("area", {"code": "A1", "name": "Velve-Lindenhof", "kind": "experiment", "source": SRC}),
    ]
    out += [("organisation", {"id": o, "name": n, "sector": s, "source": SRC}) for o, n, s in _ORGS]
    out += [("professional", {"id": p, "name": f"Prof {p}", "function": f, "organisation_id": o,
                              "since": date(2000, 1, 1), "phone": f"053-000{p[1:]}", "source": SRC})
            for p, o, f in _PROS]
    out += [("professional", {"id": c, "name": name, "function": "wijkcoach", "organisation_id": "O-COACH",
                              "since": date(2008, 8, 1), "phone": phone, "is_coach": True, "source": SRC})
            for c, name, phone in (("PR-COACH-1", "Coach Een", "06-11111111"),
                                   ("PR-COACH-2", "Coach Twee", "06-22222222"))]
    out += [("household", {"id": "HH-T1", "address_key": "7513AB-12", "postcode": "7513 AB", "house_number": 12,
                           "street": "Velveweg", "area_code": "A1", "housing_corporation": "De Woonplaats",
                           "source": SRC}),
            ("household", {"id": "HH-T2", "address_key": "7513AC-3", "postcode": "7513 AC", "house_number": 3,
                           "suffix": "a", "street": "Lindenhofstraat", "area_code": "A1", "source": SRC})]
    people = [("F", 1968, "M", "Frank"), ("M", 1970, "V", "Mieke"), ("S", 1994, "M", "Sem"),
              ("D", 1992, "V", "Dana"), ("G", 1940, "V", "Gerda"), ("N", 1960, "V", "Nel"), ("X", 1980, "V", "Xandra")]
    out += [("person", {"id": i, "birth_year": y, "gender": g, "display_name": n, "source": SRC})
            for i, y, g, n in people]
    out += [("membership", {"household_id": "HH-T1", "person_id": p, "role": r, "since": date(2005, 1, 1),
                            "source": SRC})
            for p, r in (("F", "vader"), ("M", "moeder"), ("S", "kind"), ("D", "stiefkind"))]
    out += [("membership", {"household_id": "HH-T2", "person_id": "X", "role": "alleenstaande",
                            "since": date(2006, 1, 1), "source": SRC})]
    out += [("client_system", {"household_id": "HH-T1", "person_id": "G", "relation": "oma",
                               "since": date(2005, 1, 1), "source": SRC}),
            ("client_system", {"household_id": "HH-T1", "person_id": "N", "relation": "buurvrouw",
                               "since": date(2008, 10, 1), "source": SRC}),
            ("informal_support", {"supporter_id": "N", "person_id": "M", "kind": "praktische hulp",
                                  "since": date(2008, 10, 1), "source": SRC})]
    out += [("caseload", {"professional_id": "PR-COACH-1", "household_id": "HH-T1", "since": INTAKE,
                          "source": SRC}),
            ("caseload", {"professional_id": "PR-COACH-2", "household_id": "HH-T2", "since": INTAKE,
                          "source": SRC})]
    out += [("involvement", {"id": i, "professional_id": p, "organisation_id": o, "life_domain": d, "role": r,
                             "since": s, "until": u, "person_ids": ps,
                             "household_id": "HH-T1" if hh else None, "source": SRC})
            for i, p, o, d, r, s, u, ps, hh in _INVS]
    out += [("handover", {"id": "HO1", "from_involvement_id": "I12", "to_involvement_id": "I13",
                          "date": date(2007, 7, 1), "reason": "andere hulpvorm", "source": SRC}),
            ("handover", {"id": "HO2", "from_involvement_id": "I13", "to_involvement_id": "I10",
                          "date": date(2008, 1, 1), "reason": "terug naar jeugdzorg", "source": SRC})]
    out += [("referral", {"id": "R1", "professional_id": "P04", "organisation_id": "O-SMD",
                          "date": date(2008, 11, 1), "life_domain": "ZORG_HULPVERLENING", "person_id": "M",
                          "reason": "opvoedondersteuning", "source": SRC}),
            ("referral", {"id": "R2", "professional_id": "P08", "organisation_id": "O-RMC",
                          "date": date(2008, 2, 1), "life_domain": "ONDERWIJS_OPVOEDING", "person_id": "S",
                          "accepted_at": date(2008, 2, 15), "started_at": date(2008, 3, 1), "source": SRC})]
    out += [("mandate", {"id": "MAN-DMO", "organisation_id": "O-DMO", "life_domain": "WERK_PARTICIPATIE",
                         "decision_type": "sanctie/beëindiging uitkering", "since": INTAKE,
                         "buddy_professional_id": "P02", "source": SRC}),
            ("mandate", {"id": "MAN-LEER", "organisation_id": "O-LEER", "life_domain": "ONDERWIJS_OPVOEDING",
                         "decision_type": "melding leerplicht aankondigen en uitvoeren", "since": INTAKE,
                         "buddy_professional_id": "P15", "source": SRC})]
    out += [("mandate_holder", {"mandate_id": m, "professional_id": "PR-COACH-1", "since": INTAKE, "source": SRC})
            for m in ("MAN-DMO", "MAN-LEER")]
    out += [("plan", {"id": "PL1", "household_id": "HH-T1", "created_at": date(2008, 9, 15), "source": SRC}),
            ("goal", {"id": "G1", "plan_id": "PL1", "life_domain": "WERK_PARTICIPATIE",
                      "description": "Vader werkt mee aan re-integratie", "status": "open", "source": SRC}),
            ("goal", {"id": "G2", "plan_id": "PL1", "life_domain": "ONDERWIJS_OPVOEDING",
                      "description": "Zoon weer naar school", "status": "open", "source": SRC}),
            ("agreement", {"id": "A1", "plan_id": "PL1", "kind": "afspraak", "text": "Vader meldt zich bij DMO",
                           "date": date(2008, 9, 15), "due": date(2008, 10, 15), "status": "open",
                           "source": SRC}),
            ("agreement", {"id": "A2", "plan_id": "PL1", "kind": "sanctie",
                           "text": "Korting uitkering bij niet verschijnen", "date": date(2008, 9, 15),
                           "source": SRC})]
    out += [("ladder_score", {"id": i, "person_id": p, "date": d, "rung": r, "source": SRC})
            for i, p, d, r in (("L1", "F", date(2008, 9, 15), 1), ("L2", "F", date(2009, 1, 10), 2),
                               ("L3", "M", date(2008, 9, 15), 2))]
    return out


#: The signals the pass makes for :func:`records` after the new involvement I30 (kind, recipient, detail), checked
#: by hand: tests/unit/test_pairing.py (pairing alone) and tests/integration/test_signals.py (in the database).
EXPECTED_SIGNALS = sorted(
    [("match", p, "I30") for p in ("P01", "P03", "P04", "P07")]
    + [("match", "P30", i) for i in ("I01", "I03", "I04", "I07", "I20")]
    + [("new_involvement", "PR-COACH-1", "I30")]
    + [(k, r, d) for r in ("PR-COACH-1", LEAD_RECIPIENT)
       for k, d in (("casemanagers", "8 casemanagers tegelijk actief (drempel 5)"),
                    ("ping_pong", "pingpong tussen Bureau Jeugdzorg Overijssel en Jarabee"))])
