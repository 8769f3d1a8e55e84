"""Fictional people: names, person ids, phone numbers and BSNs that can never belong to anyone.

Names are drawn from short lists of common Dutch (and, as in Enschede, Turkish, Moroccan and Moluccan) first
names and surnames; any combination that happens to match a real person is a coincidence, and no source names
a client. BSNs start with ``9``, a range that has not been issued, and still pass the 11-proef so that export
files built from them look like real ones to the ingest checks.
"""

from __future__ import annotations

import hashlib
import random

__all__ = [
    "bsn_is_valid",
    "fictional_bsn",
    "fictional_name",
    "fictional_phone",
    "fictional_surname",
    "person_id",
]

_MALE = (
    "Jan", "Henk", "Gerrit", "Johan", "Bert", "Harm", "Marco", "Dennis", "Patrick", "Erik", "Ronald", "Sander",
    "Martijn", "Bas", "Niels", "Jeroen", "Ruud", "Kevin", "Tim", "Daan", "Bram", "Jesse", "Thijs", "Luuk",
    "Stijn", "Rick", "Wim", "Hennie", "Gert-Jan", "Mehmet", "Ahmet", "Mustafa", "Yusuf", "Mohamed", "Karim",
    "Said", "Johnny", "Ricardo", "Dirk", "Frank", "Albert", "Theo", "Koen", "Lars", "Joost", "Emre", "Hakan",
)
_FEMALE = (
    "Anja", "Ingrid", "Marian", "Petra", "Monique", "Sandra", "Linda", "Wendy", "Esther", "Miranda", "Karin",
    "Marieke", "Anouk", "Femke", "Lisa", "Sanne", "Eva", "Lotte", "Noa", "Emma", "Julia", "Sophie", "Tessa",
    "Gerda", "Hennie", "Annie", "Riek", "Ayse", "Fatma", "Elif", "Zeynep", "Fatima", "Naima", "Samira",
    "Yasmina", "Maria", "Chantal", "Kim", "Joyce", "Bianca", "Tamara", "Mirjam", "Daphne", "Lieke", "Merel",
)
_SURNAMES = (
    "Nijhuis", "Oude Vrielink", "Wolters", "Kamphuis", "Brinkman", "Smit", "Ten Hove", "Lansink", "Oosterhof",
    "Tijhuis", "Velthuis", "Wessels", "Nijenhuis", "Mulder", "Bos", "Huisman", "Hofman", "Kuipers", "Stokkers",
    "Pierik", "Hesselink", "Leferink", "Bruggink", "Morsink", "Wiggers", "Grobben", "Scholten", "Hulshof",
    "Heerink", "Boerrigter", "Kleinsman", "Ter Horst", "Keizer", "Yilmaz", "Kaya", "Demir", "Sahin", "Çelik",
    "El Amrani", "Bouzian", "Ait Tahar", "Latumahina", "Pattinama", "Sopacua", "Wagenvoort", "Rouwhorst",
    "Kroeze", "Haverkamp", "Pots", "Kolkman", "Ribbers", "Bekkers", "Dijkhuis", "Hendriks", "Jansen",
)
_PREFIXES = ("", "", "", "", "", "", "", "de ", "van ", "van der ", "ter ", "van den ", "te ")


def fictional_name(rng: random.Random, gender: str, surname: str | None = None) -> str:
    """Return a fictional full name for ``gender`` ('M' or 'V'); ``surname`` keeps a family's name.

    >>> fictional_name(random.Random(1), "V", surname="Wolters")
    'Esther Wolters'
    """
    first = rng.choice(_MALE if gender == "M" else _FEMALE)
    return f"{first} {surname if surname is not None else fictional_surname(rng)}"


def fictional_surname(rng: random.Random) -> str:
    """Return a fictional surname, with a tussenvoegsel now and then ('van der Kamphuis')."""
    surname = rng.choice(_SURNAMES)
    prefix = rng.choice(_PREFIXES)
    # A tussenvoegsel in front of a name that already has one ("van de Ter Horst") reads wrong.
    return surname if " " in surname else f"{prefix}{surname}"


def fictional_phone(rng: random.Random) -> str:
    """Return an Enschede-style landline number ('053-4xxxxxx'); invented, not checked against any listing."""
    return f"053-4{rng.randrange(1_000_000):06d}"


def person_id(seed: int, counter: int) -> str:
    """Return the pseudonymous id of the ``counter``-th synthetic person: 'P-' + 12 hex characters.

    Derived with SHA-256 rather than ``hash()``, which is salted per process for strings.

    >>> person_id(2008, 0)
    'P-4b1ae1cdf817'
    """
    digest = hashlib.sha256(f"wijknet-synthetic|{seed}|person|{counter}".encode()).hexdigest()
    return f"P-{digest[:12]}"


_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_is_valid(bsn: str) -> bool:
    """Return whether ``bsn`` is nine digits passing the 11-proef (and is not ``000000000``).

    >>> bsn_is_valid("111222333"), bsn_is_valid("123456789"), bsn_is_valid("000000000")
    (True, False, False)
    """
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(bsn, _BSN_WEIGHTS, strict=True)) % 11 == 0


def fictional_bsn(rng: random.Random) -> str:
    """Return a BSN that passes the 11-proef and starts with '9' (a range that is not issued).

    >>> bsn = fictional_bsn(random.Random(7)); bsn[0], bsn_is_valid(bsn)
    ('9', True)
    """
    while True:
        head = "9" + f"{rng.randrange(10_000_000):07d}"
        check = sum(int(d) * w for d, w in zip(head, _BSN_WEIGHTS[:8], strict=True)) % 11
        # A remainder of 10 has no check digit; draw again (about one draw in eleven).
        if check < 10:
            return head + str(check)
