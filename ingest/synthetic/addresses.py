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

__all__ = ["AREAS", "AREA_HOMES", "CITY_AREAS", "CITY_AREA_HOMES", "Address", "Area", "address_key", "addresses", "area_plan"]


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

#: Homes per area of a city-sized run (``AREA_HOMES = CITY_AREA_HOMES`` before :func:`generate`): beyond them the experiment
#: or control homes are spread over more areas (Velve-Lindenhof and Stadsveld-Zuid first, then the other wijken of
#: :data:`CITY_AREAS`), each with its own PC4. At 80,000 households that is 58 areas.
CITY_AREA_HOMES = 2500

#: Homes per area when a run does not say (None: the real neighbourhood's three areas at every size). Not the city
#: plan by default: the benchmark's tiers and their goals are measured on three areas, and the overlap page's
#: first call at 80,000 households takes about 10 s on 58 (docs/scaling.md, "Many areas").
AREA_HOMES: int | None = None

#: Further Enschede wijken for a city-sized run: (code, name, PC4). The PC4s are plausible, not exact, and none is
#: one of :data:`AREAS`' (a home's address key stays unique).
CITY_AREAS: tuple[tuple[str, str, str], ...] = (
    ("WBR", "Wesselerbrink", "7544"), ("HLH", "Helmerhoek", "7548"), ("TWV", "Twekkelerveld", "7531"),
    ("DPB", "Deppenbroek", "7525"), ("MKH", "Mekkelholt", "7523"), ("RMB", "Roombeek", "7522"),
    ("PTM", "Pathmos", "7513"), ("BSW", "Boswinkel", "7521"), ("GLB", "Glanerbrug", "7532"),
    ("HGL", "Hogeland", "7514"), ("LRS", "Laares", "7535"), ("RBT", "Ribbelt", "7512"),
    ("SVN", "Stadsveld-Noord", "7541"), ("ESM", "De Eschmarke", "7536"), ("BRN", "Het Brunink", "7542"),
    ("SCH", "Schreurserve", "7543"), ("BDK", "Boddenkamp", "7515"), ("CRH", "Cromhoff", "7524"),
    ("BLH", "Bolhaar", "7526"), ("LSD", "Lasonder", "7511"), ("ZWR", "Zwering", "7516"),
    ("STL", "Stroinslanden", "7547"), ("VLO", "Velve-Oost", "7537"), ("WTH", "Walhof", "7517"),
)
_CITY_STREETS = ("Beukenlaan", "Eikenstraat", "Lindestraat", "Esdoornstraat", "Kastanjelaan", "Wilgenstraat")
_CITY_CORPORATIONS = (("De Woonplaats", 5), ("Domijn", 4), ("Ons Huis", 2))


def _city_area(n: int, kind: str) -> Area:
    """The ``n``-th further wijk (0-based); past :data:`CITY_AREAS` a numbered one with a PC4 from 7550 on."""
    code, name, pc4 = CITY_AREAS[n] if n < len(CITY_AREAS) else (
        f"W{n + 1:02d}", f"Wijk {n + 1}", str(7550 + n - len(CITY_AREAS)))
    return Area(code, name, kind, (pc4,), _CITY_STREETS, _CITY_CORPORATIONS)


def _spread(homes: int, parts: int) -> list[int]:
    """``homes`` over ``parts`` areas as evenly as whole homes go, the first ones one more."""
    return [homes // parts + (i < homes % parts) for i in range(parts)]


def area_plan(households: int, control: int, area_homes: int | None = None) -> list[tuple[Area, int]]:
    """The areas of a run and the homes in each, experiment first (the demo household lives in the first).

    Up to :data:`AREA_HOMES` homes per area: the real neighbourhood's two experiment areas (55 % Nieuwe Velve)
    and one control area, as they always were; a larger run spreads its homes over more wijken, so that a city of
    8,000 experiment homes is not three neighbourhoods.

    >>> [(a.code, n) for a, n in area_plan(634, 507)]
    [('NVL', 349), ('LDH', 285), ('SVZ', 507)]
    >>> [(a.code, n) for a, n in area_plan(8000, 6400)]
    [('NVL', 4400), ('LDH', 3600), ('SVZ', 6400)]
    >>> [(a.code, a.kind, n) for a, n in area_plan(8000, 6400, CITY_AREA_HOMES)][2:]
    [('WBR', 'experiment', 2000), ('HLH', 'experiment', 2000), ('SVZ', 'control', 2134), ('TWV', 'control', 2133), ('DPB', 'control', 2133)]
    """
    homes = area_homes or AREA_HOMES
    n_experiment = 2 if homes is None else max(2, math.ceil(households / homes))
    n_control = 1 if homes is None else max(1, math.ceil(control / homes))
    if n_experiment == 2:
        first = max(1, round(households * 0.55))
        plan = [(AREAS["NVL"], first), (AREAS["LDH"], households - first)]
    else:
        sizes = _spread(households, n_experiment)
        plan = [(AREAS["NVL"], sizes[0]), (AREAS["LDH"], sizes[1])]
        plan += [(_city_area(i, "experiment"), n) for i, n in enumerate(sizes[2:])]
    sizes = _spread(control, n_control)
    plan.append((AREAS["SVZ"], sizes[0]))
    extra = n_experiment - 2
    plan += [(_city_area(extra + i, "control"), n) for i, n in enumerate(sizes[1:])]
    return plan


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
