"""Reference data of the synthetic neighbourhood: organisations, their functions and the coaches' mandates.

Names are the real public names of the covenant partners and municipal services (seed 001, Bijlage 3 and the
mandate table; seed 003 for the 13 mandating bodies; seed 002 for the eleven-casemanager household). The
professionals working for them are fictional (see :mod:`ingest.synthetic.people`).

Where the sources name a mandating body but give no example decision (CIZ, Bureau Jeugdzorg, Jarabee, MEE),
the decision type below is a plausible reading of the coach role it backs ("indicatiesteller Bureau Jeugdzorg
en CIZ", "gezinscoach", "medewerker MEE"); those rows are marked ``assumed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "COACH_FUNCTION",
    "COACH_ORG_ID",
    "COVENANT_GROUPS",
    "HOUSING_CORPORATIONS",
    "MANDATES",
    "MANDATES_SINCE",
    "MANDATING_BODIES",
    "ORGANISATIONS",
    "Mandate",
    "Organisation",
    "organisation",
]

#: covenant_group values: regular wijkzorgteam partner, partner for specific problems, municipal service, other.
COVENANT_GROUPS: tuple[str, ...] = ("wijkzorgteam", "specifiek", "gemeente", "overig")

COACH_ORG_ID = "ORG-WIJKCOACH"
COACH_FUNCTION = "wijkcoach"
#: The experiment and its mandates start in September 2008 (seed 001, L170; seed 003, L991).
MANDATES_SINCE = date(2008, 9, 1)


@dataclass(frozen=True)
class Organisation:
    """One organisation and the functions its professionals hold (first function = the usual contact)."""

    id: str
    name: str
    sector: str
    covenant_group: str
    mandating: bool
    functions: tuple[str, ...]


_O = Organisation
ORGANISATIONS: tuple[Organisation, ...] = (
    # Regular wijkzorgteam partners (9), seed 001 L129-152.
    _O("ORG-ALIFA", "Alifa", "welzijn", "wijkzorgteam", True,
       ("jongerenwerker", "opbouwwerker", "jeugdverpleegkundige")),
    _O("ORG-BJZ", "Bureau Jeugdzorg Overijssel", "jeugdzorg", "wijkzorgteam", True,
       ("casemanager jeugdzorg", "gezinsvoogd", "indicatiesteller Bureau Jeugdzorg")),
    _O("ORG-GGD", "Regio Twente (GGD)", "publieke gezondheid", "wijkzorgteam", False,
       ("jeugdgezondheidszorg",)),
    _O("ORG-POLITIE", "Regiopolitie Twente", "politie", "wijkzorgteam", False, ("wijkagent",)),
    _O("ORG-SMD", "SMD Enschede-Haaksbergen", "maatschappelijk werk", "wijkzorgteam", True,
       ("maatschappelijk werker",)),
    _O("ORG-DE-WOONPLAATS", "Woningcorporatie De Woonplaats", "wonen", "wijkzorgteam", True,
       ("woningconsulent",)),
    _O("ORG-DOMIJN", "Woningstichting Domijn", "wonen", "wijkzorgteam", True, ("woningconsulent",)),
    _O("ORG-ONS-HUIS", "RK Woningstichting Ons Huis", "wonen", "wijkzorgteam", True, ("woningconsulent",)),
    _O("ORG-OM", "Openbaar Ministerie, Arrondissementsparket Almelo", "justitie", "wijkzorgteam", False,
       ("parketsecretaris",)),
    # Partners for specific problems (16), seed 001 L129-158.
    _O("ORG-TACTUS", "Tactus Instelling voor Verslavingszorg", "verslavingszorg", "specifiek", True,
       ("casemanager verslavingszorg",)),
    _O("ORG-TACTUS-RECLASSERING", "Tactus Algemene Verslavingsreclassering", "reclassering", "specifiek",
       False, ("reclasseringswerker",)),
    _O("ORG-RVDK", "Raad voor de Kinderbescherming", "jeugdbescherming", "specifiek", False,
       ("raadsonderzoeker",)),
    _O("ORG-MEDIANT", "Mediant", "geestelijke gezondheidszorg", "specifiek", False, ("casemanager GGZ",)),
    _O("ORG-JARABEE", "Jarabee Jeugdzorg in Twente", "jeugdzorg", "specifiek", True, ("gezinscoach",)),
    _O("ORG-LIVIO", "Livio", "thuiszorg", "specifiek", False, ("wijkverpleegkundige",)),
    _O("ORG-MEE", "MEE Twente", "gehandicaptenzorg", "specifiek", True, ("consulent MEE",)),
    _O("ORG-SWV-VO", "Regionaal Samenwerkingsverband VO Twente, kamer Enschede", "onderwijs", "specifiek",
       False, ("zorgcoördinator",)),
    _O("ORG-WSNS-0803", "Samenwerkingsverband WSNS 0803", "onderwijs", "specifiek", False,
       ("ambulant begeleider",)),
    _O("ORG-WSNS-0804", "Samenwerkingsverband WSNS 0804", "onderwijs", "specifiek", False,
       ("ambulant begeleider",)),
    _O("ORG-LEGER-DES-HEILS", "Leger des Heils, Afdeling Jeugdzorg en Reclassering", "jeugdzorg en reclassering",
       "specifiek", False, ("jeugdreclasseerder",)),
    _O("ORG-RECLASSERING", "Reclassering Nederland, Arrondissement Almelo", "reclassering", "specifiek", True,
       ("reclasseringsmedewerker",)),
    _O("ORG-HUMANITAS", "Stichting Humanitas Onder Dak Twente", "maatschappelijke opvang", "specifiek", False,
       ("woonbegeleider",)),
    _O("ORG-RIBW", "Stichting RIBW Twente", "begeleid wonen", "specifiek", False, ("woonbegeleider",)),
    _O("ORG-VROUWENOPVANG", "Vrouwenopvang Overijssel, locatie Twente", "maatschappelijke opvang", "specifiek",
       False, ("hulpverlener vrouwenopvang",)),
    _O("ORG-STADSBANK", "Stadsbank Oost Nederland", "schuldhulpverlening", "specifiek", True,
       ("schuldhulpverlener",)),
    # The municipality as lead party and its services.
    _O("ORG-DMO-WB", "Gemeente Enschede, DMO Werk & Bijstand", "werk en inkomen", "gemeente", True,
       ("casemanager werk en bijstand", "consulent werk en bijstand")),
    _O("ORG-LEERPLICHT", "Gemeente Enschede, Leerplicht", "onderwijs", "gemeente", True,
       ("leerplichtambtenaar",)),
    _O("ORG-ZORGLOKET", "Gemeente Enschede, Zorgloket", "zorg (Wmo)", "gemeente", True,
       ("medewerker Zorgloket",)),
    _O("ORG-RMC", "Gemeente Enschede, RMC (Regionaal Meld- en Coördinatiepunt)", "onderwijs", "gemeente", False,
       ("trajectbegeleider RMC",)),
    _O("ORG-MULTIPROBLEEM", "Gemeente Enschede, Multiprobleemaanpak", "zorgcoördinatie", "gemeente", False,
       ("casemanager multiprobleemaanpak",)),
    _O(COACH_ORG_ID, "Wijkcoaches Velve-Lindenhof (gemeente Enschede)", "gemeente", "gemeente", False,
       (COACH_FUNCTION,)),
    # Bodies outside the covenant that the sources name (mandates, the eleven-casemanager household).
    _O("ORG-CIZ", "CIZ (Centrum indicatiestelling zorg)", "indicatiestelling", "overig", True,
       ("indicatiesteller CIZ",)),
    _O("ORG-PROJECT-HG", "Project Huiselijk Geweld", "huiselijk geweld", "overig", False,
       ("casemanager huiselijk geweld",)),
    _O("ORG-STEUNPUNT-HG", "Steunpunt Huiselijk Geweld Twente", "huiselijk geweld", "overig", False,
       ("medewerker Steunpunt Huiselijk Geweld",)),
    # The source does not expand "JIB" (seed 002, L159), so neither do we.
    _O("ORG-JIB", "JIB", "jeugd", "overig", False, ("casemanager JIB",)),
    _O("ORG-ZORGNETWERK-12", "Zorgnetwerk 12+", "jeugd", "overig", False, ("zorgbegeleider",)),
    _O("ORG-HALT", "Bureau HALT Twente", "jeugd en justitie", "overig", False, ("HALT-medewerker",)),
)

_BY_ID: dict[str, Organisation] = {o.id: o for o in ORGANISATIONS}

#: The three corporations that own the homes (and each grant the housing mandate).
HOUSING_CORPORATIONS: dict[str, str] = {
    "De Woonplaats": "ORG-DE-WOONPLAATS",
    "Domijn": "ORG-DOMIJN",
    "Ons Huis": "ORG-ONS-HUIS",
}

#: The 13 bodies that mandated the coaches (seed 003, L1003); "de woningcorporatie" is one body of three
#: organisations, "JGZ Alifa" is read as one body (the notes' reading).
MANDATING_BODIES: tuple[tuple[str, ...], ...] = (
    ("ORG-DE-WOONPLAATS", "ORG-DOMIJN", "ORG-ONS-HUIS"),
    ("ORG-DMO-WB",), ("ORG-STADSBANK",), ("ORG-LEERPLICHT",), ("ORG-ZORGLOKET",), ("ORG-CIZ",),
    ("ORG-ALIFA",), ("ORG-SMD",), ("ORG-BJZ",), ("ORG-JARABEE",), ("ORG-MEE",), ("ORG-TACTUS",),
    ("ORG-RECLASSERING",),
)


@dataclass(frozen=True)
class Mandate:
    """A decision power a partner grants the coaches: their advice on it is adopted one-to-one."""

    id: str
    organisation_id: str
    life_domain: str
    decision_type: str
    assumed: bool = False


_M = Mandate
#: The covenant table (seed 001, L1148-1172) mapped onto the canonical life domains; police only has
#: consultation agreements, so it grants no mandate.
MANDATES: tuple[Mandate, ...] = (
    _M("MAN-DE-WOONPLAATS-TOEWIJZING", "ORG-DE-WOONPLAATS", "WONEN", "woningtoewijzing"),
    _M("MAN-DE-WOONPLAATS-VERPLAATSING", "ORG-DE-WOONPLAATS", "WONEN", "verplaatsing"),
    _M("MAN-DOMIJN-TOEWIJZING", "ORG-DOMIJN", "WONEN", "woningtoewijzing"),
    _M("MAN-DOMIJN-VERPLAATSING", "ORG-DOMIJN", "WONEN", "verplaatsing"),
    _M("MAN-ONS-HUIS-TOEWIJZING", "ORG-ONS-HUIS", "WONEN", "woningtoewijzing"),
    _M("MAN-ONS-HUIS-VERPLAATSING", "ORG-ONS-HUIS", "WONEN", "verplaatsing"),
    _M("MAN-DMO-WB-BIJZONDERE-BIJSTAND", "ORG-DMO-WB", "INKOMEN_FINANCIEN_SCHULDEN",
       "toekennen bijzondere bijstand"),
    _M("MAN-DMO-WB-SANCTIE", "ORG-DMO-WB", "WERK_PARTICIPATIE", "sanctie/beëindiging uitkering"),
    _M("MAN-STADSBANK-SCHULDHULP", "ORG-STADSBANK", "INKOMEN_FINANCIEN_SCHULDEN",
       "inzet schuldhulpverlening en budgetbeheer"),
    _M("MAN-LEERPLICHT-MELDING", "ORG-LEERPLICHT", "ONDERWIJS_OPVOEDING",
       "melding leerplicht aankondigen en uitvoeren"),
    _M("MAN-ZORGLOKET-HH2", "ORG-ZORGLOKET", "GEZONDHEID_WELZIJN",
       "indicatie en toekennen hulp bij het huishouden (HH2)"),
    _M("MAN-ALIFA-JGZ-GEZINSVERZORGING", "ORG-ALIFA", "GEZONDHEID_WELZIJN",
       "inzet gespecialiseerde gezinsverzorging"),
    _M("MAN-ALIFA-WELZIJN", "ORG-ALIFA", "RECREATIE_VRIJETIJD_RELATIES",
       "afspraken om elkaar actief op de hoogte te houden"),
    _M("MAN-SMD-SCREENING", "ORG-SMD", "ZORG_HULPVERLENING", "aanmeld- en screeningsgesprek"),
    _M("MAN-TACTUS-HULPVERLENING", "ORG-TACTUS", "ZORG_HULPVERLENING", "inzet vormen van hulpverlening"),
    _M("MAN-RECLASSERING-BESLISSINGEN", "ORG-RECLASSERING", "VEILIGHEID_JUSTITIE", "beslissingen reclassering"),
    _M("MAN-CIZ-INDICATIE", "ORG-CIZ", "GEZONDHEID_WELZIJN", "indicatie AWBZ-zorg", assumed=True),
    _M("MAN-BJZ-INDICATIE", "ORG-BJZ", "ONDERWIJS_OPVOEDING", "indicatie jeugdzorg", assumed=True),
    _M("MAN-JARABEE-GEZINSBEGELEIDING", "ORG-JARABEE", "ONDERWIJS_OPVOEDING",
       "inzet ambulante gezinsbegeleiding", assumed=True),
    _M("MAN-MEE-ONDERSTEUNING", "ORG-MEE", "ZORG_HULPVERLENING", "inzet cliëntondersteuning", assumed=True),
)


def organisation(org_id: str) -> Organisation:
    """Return the organisation with id ``org_id``; ``KeyError`` if it is not reference data."""
    return _BY_ID[org_id]
