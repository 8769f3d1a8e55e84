"""The kinds of professional involvement a resident can have: who provides it, for whom, in which life domain.

Each :class:`Service` is one line of work ("the leerplichtambtenaar for a truant child"), with the
organisation, function, canonical life domain, the role the professional plays and who it concerns. The
weights steer how often a service is drawn for an ordinary household (``light``) and for a multi-problem
household (``heavy``). ``replaceable`` marks first-line work a wijkcoach takes over under a mandate or as
generalist; the rest is second line or compulsory (GGZ, addiction care, family guardian, probation), which
the coach leaves in place (seed 001, L438-441 and L513-515).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALTERNATIVES", "SERVICES", "Service", "service"]


@dataclass(frozen=True)
class Service:
    """One kind of involvement; ``subject`` is 'adult', 'child', 'household' or 'couple'."""

    key: str
    organisation_id: str
    function: str
    life_domain: str
    role: str
    subject: str
    min_age: int = 0
    max_age: int = 120
    gender: str | None = None
    light: float = 0.0
    heavy: float = 0.0
    replaceable: bool = True


_S = Service
SERVICES: tuple[Service, ...] = (
    # Household-level work. The SMD social worker is the default problem owner ("probleemhouder", seed 001
    # L2425-2433) of a multi-problem household; never drawn at random, added to every such household.
    _S("smd_regie", "ORG-SMD", "maatschappelijk werker", "ZORG_HULPVERLENING", "regie", "household"),
    _S("smd_household", "ORG-SMD", "maatschappelijk werker", "ZORG_HULPVERLENING", "casemanager", "household",
       light=2.0, heavy=0.0),
    _S("stadsbank", "ORG-STADSBANK", "schuldhulpverlener", "INKOMEN_FINANCIEN_SCHULDEN", "casemanager",
       "household", light=3.0, heavy=4.0),
    # The corporation is the household's own landlord; organisation_id is resolved per household.
    _S("woningconsulent", "CORPORATION", "woningconsulent", "WONEN", "uitvoerend", "household",
       light=2.5, heavy=4.0),
    _S("jarabee", "ORG-JARABEE", "gezinscoach", "ONDERWIJS_OPVOEDING", "uitvoerend", "household",
       light=0.8, heavy=2.5),
    _S("zorgloket", "ORG-ZORGLOKET", "medewerker Zorgloket", "GEZONDHEID_WELZIJN", "casemanager", "household",
       light=1.0, heavy=1.0),
    # Adults.
    _S("dmo_wb", "ORG-DMO-WB", "casemanager werk en bijstand", "WERK_PARTICIPATIE", "casemanager", "adult",
       18, 64, light=5.0, heavy=5.0),
    _S("smd_adult", "ORG-SMD", "maatschappelijk werker", "ZORG_HULPVERLENING", "casemanager", "adult",
       light=3.0, heavy=1.0),
    _S("multiprobleem", "ORG-MULTIPROBLEEM", "casemanager multiprobleemaanpak", "ZORG_HULPVERLENING",
       "casemanager", "adult", heavy=3.0),
    _S("tactus", "ORG-TACTUS", "casemanager verslavingszorg", "ZORG_HULPVERLENING", "casemanager", "adult",
       light=0.8, heavy=3.0, replaceable=False),
    _S("mediant", "ORG-MEDIANT", "casemanager GGZ", "GEZONDHEID_WELZIJN", "casemanager", "adult",
       light=1.5, heavy=3.0, replaceable=False),
    _S("reclassering", "ORG-RECLASSERING", "reclasseringsmedewerker", "VEILIGHEID_JUSTITIE", "casemanager",
       "adult", light=0.3, heavy=1.5),
    _S("tactus_reclassering", "ORG-TACTUS-RECLASSERING", "reclasseringswerker", "VEILIGHEID_JUSTITIE",
       "casemanager", "adult", heavy=0.8, replaceable=False),
    _S("wijkagent", "ORG-POLITIE", "wijkagent", "VEILIGHEID_JUSTITIE", "uitvoerend", "adult",
       light=0.4, heavy=1.5, replaceable=False),
    _S("om", "ORG-OM", "parketsecretaris", "VEILIGHEID_JUSTITIE", "uitvoerend", "adult", heavy=0.4,
       replaceable=False),
    _S("livio", "ORG-LIVIO", "wijkverpleegkundige", "GEZONDHEID_WELZIJN", "uitvoerend", "adult", 60,
       light=2.0, heavy=0.5, replaceable=False),
    _S("ciz", "ORG-CIZ", "indicatiesteller CIZ", "GEZONDHEID_WELZIJN", "uitvoerend", "adult", 50,
       light=0.7, heavy=0.3),
    _S("mee", "ORG-MEE", "consulent MEE", "ZORG_HULPVERLENING", "casemanager", "adult", light=0.6, heavy=0.8),
    _S("ribw", "ORG-RIBW", "woonbegeleider", "WONEN", "uitvoerend", "adult", 18, 70, light=0.5, heavy=1.0),
    _S("humanitas", "ORG-HUMANITAS", "woonbegeleider", "WONEN", "uitvoerend", "adult", 18, 70,
       light=0.2, heavy=0.6),
    _S("opbouwwerk", "ORG-ALIFA", "opbouwwerker", "RECREATIE_VRIJETIJD_RELATIES", "uitvoerend", "adult",
       light=0.8, heavy=0.5),
    _S("vrouwenopvang", "ORG-VROUWENOPVANG", "hulpverlener vrouwenopvang", "VEILIGHEID_JUSTITIE",
       "casemanager", "adult", 18, 64, "V", light=0.1, heavy=0.8, replaceable=False),
    _S("steunpunt_hg", "ORG-STEUNPUNT-HG", "medewerker Steunpunt Huiselijk Geweld", "VEILIGHEID_JUSTITIE",
       "casemanager", "adult", 18, 64, heavy=0.8),
    # Couple-level (both partners): the domestic-violence project of seed 002.
    _S("project_hg", "ORG-PROJECT-HG", "casemanager huiselijk geweld", "VEILIGHEID_JUSTITIE", "casemanager",
       "couple", heavy=1.2),
    # Children and young people (age in 2009).
    _S("jgz", "ORG-GGD", "jeugdgezondheidszorg", "GEZONDHEID_WELZIJN", "uitvoerend", "child", 0, 11,
       light=3.0, heavy=2.0, replaceable=False),
    _S("bjz", "ORG-BJZ", "casemanager jeugdzorg", "ONDERWIJS_OPVOEDING", "casemanager", "child", 0, 17,
       light=1.5, heavy=4.0),
    _S("gezinsvoogd", "ORG-BJZ", "gezinsvoogd", "VEILIGHEID_JUSTITIE", "casemanager", "child", 0, 17,
       light=0.2, heavy=1.5, replaceable=False),
    _S("leerplicht", "ORG-LEERPLICHT", "leerplichtambtenaar", "ONDERWIJS_OPVOEDING", "casemanager", "child",
       5, 17, light=1.5, heavy=3.0),
    _S("wsns", "ORG-WSNS-0803", "ambulant begeleider", "ONDERWIJS_OPVOEDING", "uitvoerend", "child", 4, 12,
       light=0.8, heavy=1.0),
    _S("wsns_0804", "ORG-WSNS-0804", "ambulant begeleider", "ONDERWIJS_OPVOEDING", "uitvoerend", "child", 4, 12,
       light=0.4, heavy=0.5),
    _S("swv_vo", "ORG-SWV-VO", "zorgcoördinator", "ONDERWIJS_OPVOEDING", "uitvoerend", "child", 12, 17,
       light=1.0, heavy=1.5),
    _S("jongerenwerk", "ORG-ALIFA", "jongerenwerker", "RECREATIE_VRIJETIJD_RELATIES", "uitvoerend", "child",
       12, 23, light=1.5, heavy=1.5),
    _S("zorgnetwerk_12", "ORG-ZORGNETWERK-12", "zorgbegeleider", "ONDERWIJS_OPVOEDING", "casemanager", "child",
       12, 17, light=0.2, heavy=1.5),
    _S("rmc", "ORG-RMC", "trajectbegeleider RMC", "ONDERWIJS_OPVOEDING", "casemanager", "child", 14, 23,
       light=0.7, heavy=1.5),
    _S("jib", "ORG-JIB", "casemanager JIB", "VEILIGHEID_JUSTITIE", "casemanager", "child", 12, 23,
       light=0.2, heavy=1.2),
    _S("halt", "ORG-HALT", "HALT-medewerker", "VEILIGHEID_JUSTITIE", "uitvoerend", "child", 12, 17,
       light=0.3, heavy=1.0, replaceable=False),
    _S("leger_des_heils", "ORG-LEGER-DES-HEILS", "jeugdreclasseerder", "VEILIGHEID_JUSTITIE", "casemanager",
       "child", 12, 22, heavy=0.6, replaceable=False),
    _S("rvdk", "ORG-RVDK", "raadsonderzoeker", "VEILIGHEID_JUSTITIE", "casemanager", "child", 0, 17,
       heavy=0.6, replaceable=False),
)

_BY_KEY: dict[str, Service] = {s.key: s for s in SERVICES}

#: Where a case in one domain goes when it moves to another organisation (handovers and referrals between
#: partners): the first line hands over to the second and back (seed 001, L513-515; seed 002, L31).
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "WONEN": ("ORG-RIBW", "ORG-HUMANITAS", "ORG-SMD"),
    "WERK_PARTICIPATIE": ("ORG-DMO-WB", "ORG-SMD"),
    "INKOMEN_FINANCIEN_SCHULDEN": ("ORG-STADSBANK", "ORG-SMD", "ORG-DMO-WB"),
    "GEZONDHEID_WELZIJN": ("ORG-MEDIANT", "ORG-ZORGLOKET", "ORG-SMD", "ORG-GGD"),
    "ONDERWIJS_OPVOEDING": ("ORG-BJZ", "ORG-JARABEE", "ORG-LEERPLICHT", "ORG-SMD"),
    "RECREATIE_VRIJETIJD_RELATIES": ("ORG-ALIFA", "ORG-SMD"),
    "ZORG_HULPVERLENING": ("ORG-SMD", "ORG-MULTIPROBLEEM", "ORG-TACTUS", "ORG-MEE"),
    "VEILIGHEID_JUSTITIE": ("ORG-RECLASSERING", "ORG-LEGER-DES-HEILS", "ORG-STEUNPUNT-HG", "ORG-BJZ"),
}


def service(key: str) -> Service:
    """Return the service with ``key``; ``KeyError`` if unknown."""
    return _BY_KEY[key]
