"""Areas and addresses of the synthetic neighbourhood.

The experiment area is Nieuwe Velve and Lindenhof, the control area Stadsveld-Zuid (seed 001, L173-175 and
L326). Street names are real streets of those parts of Enschede; postcodes are Enschede-style (75xx XX) and
plausible for the district, but the exact PC6 of a generated address is invented: homes are numbered in
blocks of consecutive numbers, each block with its own postcode, so every ``address_key`` is unique however
many households are generated.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["AREAS", "Address", "Area", "address_key", "addresses"]


@dataclass(frozen=True)
class Area:
    """One area with its streets, PC4 codes and who owns the corporation homes there."""

    code: str
    name: str
    kind: str
    pc4: tuple[str, ...]
    streets: tuple[str, ...]
    #: (corporation, weight): De Woonplaats dominates Velve-Lindenhof, Domijn Stadsveld.
    corporations: tuple[tuple[str, int], ...]


AREAS: dict[str, Area] = {a.code: a for a in (
    Area("NVL", "Nieuwe Velve", "experiment", ("7533",),
         ("Oostveenweg", "Siemensstraat", "Galvanistraat", "Voltastraat", "Lipperkerkstraat"),
         (("De Woonplaats", 7), ("Ons Huis", 2), ("Domijn", 1))),
    Area("LDH", "Lindenhof", "experiment", ("7534",),
         ("Heutinkstraat", "Tegelerweg", "Wooldrikshoekweg", "Stenversweg", "Lage Bothof"),
         (("De Woonplaats", 6), ("Ons Huis", 3), ("Domijn", 1))),
    Area("SVZ", "Stadsveld-Zuid", "control", ("7545", "7546"),
         ("Elferinksweg", "Iepstraat", "Poolmansweg", "Paulus Moreelsestraat", "Thomas de Keyserstraat",
          "Rembrandtlaan", "Pieter Lastmanstraat", "Bruggerstraat", "Wethouder Nijhuisstraat"),
         (("Domijn", 6), ("De Woonplaats", 3), ("Ons Huis", 1))),
)}

# Letters F, I, O, Q, U and Y do not occur in Dutch postcodes: 20 x 20 letter pairs per PC4.
_PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_PAIRS_PER_PC4 = len(_PC_LETTERS) ** 2


@dataclass(frozen=True)
class Address:
    """One home: postcode, house number, suffix ('' when none), street and corporation."""

    postcode: str
    house_number: int
    suffix: str
    street: str
    housing_corporation: str

    @property
    def key(self) -> str:
        return address_key(self.postcode, self.house_number, self.suffix)


def address_key(postcode: str, house_number: int, suffix: str = "") -> str:
    """Return the normalised address key 'POSTCODE|NUMBER|SUFFIX' (postcode without space, upper case).

    >>> address_key("7533 ab", 12, "a")
    '7533AB|12|A'
    """
    return f"{postcode.replace(' ', '').upper()}|{house_number}|{suffix.strip().upper()}"


def addresses(rng: random.Random, area: Area, count: int) -> Iterator[Address]:
    """Yield ``count`` distinct addresses in ``area``, block by block (one postcode and street per block).

    A block is a stretch of 8-24 consecutive numbers (more when ``count`` would exhaust the area's
    postcodes); about one home in six is an upstairs/downstairs pair (12A, 12B), as in the portiek flats.
    """
    capacity = _PAIRS_PER_PC4 * len(area.pc4)
    # Only for very large runs do blocks have to hold more homes than a real PC6 does.
    min_block = max(8, math.ceil(count / capacity))
    numbers = dict.fromkeys(area.streets, 1)
    corps = [c for c, _ in area.corporations]
    weights = [w for _, w in area.corporations]
    produced = 0
    block = 0
    while produced < count:
        pc4 = area.pc4[block // _PAIRS_PER_PC4 % len(area.pc4)]
        pair = block % _PAIRS_PER_PC4
        postcode = f"{pc4}{_PC_LETTERS[pair // 20]}{_PC_LETTERS[pair % 20]}"
        street = area.streets[block % len(area.streets)]
        corporation = rng.choices(corps, weights)[0]
        size = min(count - produced, rng.randint(min_block, min_block * 3))
        made = 0
        while made < size:
            number = numbers[street]
            numbers[street] = number + 1
            if rng.random() < 0.17 and size - made >= 2:
                for suffix in ("A", "B"):
                    yield Address(postcode, number, suffix, street, corporation)
                made += 2
            else:
                yield Address(postcode, number, "", street, corporation)
                made += 1
        produced += made
        block += 1
