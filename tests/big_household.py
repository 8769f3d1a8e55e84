"""A busy household for the eco-map and the brief: ``HH-BIG`` has 60 nodes on :data:`AS_OF` — the household,
6 members, 3 people of the wider client system, 1 informal supporter, 36 professionals of 12 organisations
and the coach — with long names, long organisation names and long phone numbers, the cases where a map's labels
and a printed contact list break first. Loaded on top of :func:`tests.household_records.records` (it reuses
their area, the coach ``PR-COACH-1`` and organisation ``O-COACH``)."""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["AS_OF", "HOUSEHOLD", "ORGS", "records"]

HOUSEHOLD = "HH-BIG"
AS_OF = date(2009, 1, 1)  # the coach's intake: the last change, where the page opens
SRC = "test:big_household"
DOMAINS = ("WONEN", "WERK_PARTICIPATIE", "INKOMEN_FINANCIEN_SCHULDEN", "GEZONDHEID_WELZIJN",
           "ONDERWIJS_OPVOEDING", "RECREATIE_VRIJETIJD_RELATIES", "ZORG_HULPVERLENING", "VEILIGHEID_JUSTITIE")
ORGS = [(f"O-B{k:02d}", name) for k, name in enumerate((
    "Woningcorporatie De Woonplaats, locatie Enschede-Zuid", "Gemeente Enschede, DMO Werk & Bijstand",
    "Stadsbank Oost Nederland, schuldhulpverlening", "Mediant GGZ Twente, ambulante zorg volwassenen",
    "Regionaal Samenwerkingsverband VO Twente", "Sportbedrijf Enschede", "Bureau Jeugdzorg Overijssel",
    "Reclassering Nederland, unit Twente", "Tactus verslavingszorg", "SMD Enschede-Haaksbergen",
    "Veilig Thuis Twente", "Jarabee jeugdhulp"), start=1)]
_FIRST = ("Annemarie", "Jeroen", "Fatima", "Hendrikus", "Yasmina", "Bartholomeus", "Christiaan", "Miranda",
          "Mohamed", "Wilhelmina", "Kevin", "Louk")
_LAST = ("van der Hesselink-Oude Vrielink", "ter Horst", "van den Stokkers", "Lansink", "Ten Hove-Bouwman",
         "Kleinsman")


def _pros() -> list[tuple[str, str, str, str]]:
    """36 professionals: (id, organisation, name, life domain), three per organisation."""
    out = []
    for k in range(36):
        org = ORGS[k % 12][0]
        name = f"{_FIRST[k % 12]} {_LAST[(k + k // 12) % 6]}"  # 36 different names
        out.append((f"PB{k:02d}", org, name, DOMAINS[(k % 12) % 8]))
    return out


def records() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [
        ("organisation", {"id": o, "name": n, "sector": "overig", "source": SRC}) for o, n in ORGS]
    pros = _pros()
    out += [("professional", {"id": p, "name": n, "function": f"consulent {d.split('_')[0].lower()}",
                              "organisation_id": o, "since": date(2000, 1, 1),
                              "phone": f"053-48{k:02d}1234 / 06-1234{k:04d}", "source": SRC})
            for k, (p, o, n, d) in enumerate(pros)]
    out += [("household", {"id": HOUSEHOLD, "address_key": "7513AD-101", "postcode": "7513 AD",
                           "house_number": 101, "street": "Burgemeester van Veenlaan", "area_code": "A1",
                           "source": SRC})]
    people = [("B1", 1971, "M", "Hakan Pierik", "vader"), ("B2", 1973, "V", "Fenna Pierik-Ter Horst", "moeder"),
              ("B3", 1993, "M", "Jesse Pierik", "kind"), ("B4", 1995, "V", "Jesse-Lynn Pierik", "kind"),
              ("B5", 1998, "M", "Erik Pierik", "kind"), ("B6", 1990, "V", "Lotte Oude Vrielink", "stiefkind"),
              ("B7", 1945, "V", "Harm van Bouman", "opa"), ("B8", 1950, "V", "Miranda van der Sangen", "oma"),
              ("B9", 1966, "M", "Kevin Mulder", "oom"), ("B10", 1960, "V", "Ayse Pols", "buurvrouw")]
    out += [("person", {"id": i, "birth_year": y, "gender": g, "display_name": n, "source": SRC})
            for i, y, g, n, _ in people]
    out += [("membership", {"household_id": HOUSEHOLD, "person_id": i, "role": r, "since": date(2005, 1, 1),
                            "source": SRC}) for i, _, _, _, r in people[:6]]
    out += [("client_system", {"household_id": HOUSEHOLD, "person_id": i, "relation": r,
                               "since": date(2005, 1, 1), "source": SRC}) for i, _, _, _, r in people[6:9]]
    out += [("informal_support", {"supporter_id": "B10", "person_id": "B2", "kind": "praktische hulp",
                                  "since": date(2008, 1, 1), "source": SRC})]
    out += [("caseload", {"professional_id": "PR-COACH-1", "household_id": HOUSEHOLD, "since": date(2009, 1, 1),
                          "source": SRC})]
    out += [("involvement", {"id": f"IB{k:02d}", "professional_id": p, "organisation_id": o, "life_domain": d,
                             "role": "casemanager" if k % 5 else "uitvoerder",
                             "since": date(2008, 1 + k % 12, 1), "until": None,
                             "person_ids": [people[k % 6][0]] if k % 7 else [], "household_id": HOUSEHOLD
                             if k % 7 == 0 else None, "source": SRC})
            for k, (p, o, _, d) in enumerate(pros)]
    # one earlier involvement of the first professional: expanding them on the map shows it
    out += [("involvement", {"id": "IB-OLD", "professional_id": "PB00", "organisation_id": "O-B01",
                             "life_domain": "WONEN", "role": "casemanager", "since": date(2006, 3, 1),
                             "until": date(2007, 2, 28), "person_ids": ["B1"], "household_id": None,
                             "source": SRC})]
    return out
