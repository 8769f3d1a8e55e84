"""Deployment profiles: what differs per municipality, as one validated file instead of code.

The seeds describe nine generalist models (the Enschede *wijkcoach*, Leeuwarden's *Frontlijnteam*, Arnhem's
*participatiecoach*, the *gebiedsondersteuner*, the *sociaal makelaar*, …). wijknet serves all of them with the
same model; what differs is declared in a profile (TOML, ``graph/profiles/<name>.toml`` or any path):

- ``[generalist]``: the role's name as users say it (singular, plural, the team), whether it holds formal
  mandates from the partners, and the caseload per worker the model intends;
- ``[[areas]]``: the municipality's areas (code, name, kind) — loaded with ``wijknet profile apply``;
- ``[[organisations]]``: the local partner organisations with the aliases their exports use — also loaded by
  ``apply``, through the same audited ingest as a file (one set of rules);
- ``[codes.<code list>]``: extra allowed values of a model code list (value, Dutch and English meaning).

``WIJKNET_PROFILE`` chooses the profile (default ``enschede``). It is read and validated when the app or the
CLI starts (:func:`active_profile`); a mistake is a :class:`ProfileError` naming the file, the entry, the value
as written and the reason, so the app does not start half-configured. ``docs/configuration.md`` documents the
format (``wijknet docs``); ``tests/unit/test_profile.py`` validates every shipped profile.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.errors import ConfigError
from graph.model import CODE_LISTS, Code, CodeList

__all__ = [
    "FIXED_CODE_LISTS",
    "PROFILES_DIR",
    "Generalist",
    "Profile",
    "ProfileArea",
    "ProfileError",
    "ProfileOrganisation",
    "active_profile",
    "code_list",
    "code_values",
    "load_profile",
    "profile_path",
    "shipped_profiles",
]

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


#: Code lists a profile cannot extend, and why: the figures every page and report computes depend on them.
FIXED_CODE_LISTS: dict[str, str] = {
    "ladder_rung": "the participation ladder has six rungs everywhere; it cannot be extended",
    "life_domain": "the life domains are the self-sufficiency matrix's, the same in every municipality (the "
                   "overlap figures are counted per life domain); it cannot be extended",
    "involvement_role": "the involvement roles decide who counts as a casemanager (the overlap figures); they "
                        "cannot be extended",
}


class ProfileError(ConfigError):
    """A deployment profile cannot be used: the message names the file, the entry, the value and the reason."""


@dataclass(frozen=True)
class Generalist:
    """The municipality's generalist: the one worker per household that the model revolves around."""

    title: str
    plural: str
    team: str
    holds_mandates: bool
    caseload_min: int
    caseload_max: int
    #: when the generalists started in the experiment areas: a day (said as its month and year) or a year;
    #: None when the profile does not say
    since: date | int | None = None

    @property
    def title_capital(self) -> str:
        return self.title[:1].upper() + self.title[1:]


@dataclass(frozen=True)
class ProfileArea:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class ProfileOrganisation:
    id: str
    name: str
    sector: str
    #: None: the profile does not say (an organisation loaded before keeps what it has)
    covenant_group: str | None = None
    mandating: bool | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """One deployment profile (see the module docstring)."""

    key: str
    municipality: str
    model: str
    description: str
    generalist: Generalist
    areas: tuple[ProfileArea, ...] = ()
    organisations: tuple[ProfileOrganisation, ...] = ()
    extra_codes: dict[str, tuple[Code, ...]] = field(default_factory=dict)
    path: Path | None = None


class _Reader:
    """Reads one TOML table, collecting nothing: the first problem raises with file, entry, value and reason."""

    def __init__(self, path: Path, where: str, table: object) -> None:
        self.path, self.where = path, where
        if not isinstance(table, dict):
            self.fail("", table, "expected a table (key = value lines)")
        self.table: dict[str, Any] = table  # type: ignore[assignment]
        self.used: set[str] = set()

    def fail(self, key: str, value: object, reason: str) -> None:
        entry = f"{self.where}.{key}" if key and self.where else key or self.where or "(top level)"
        raise ProfileError(f"Profile {self.path.name}: {entry} = {value!r}: {reason}.")

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        self.used.add(key)
        value = self.table.get(key, None)
        if value is None:
            if required:
                self.fail(key, "(missing)", "this entry is required")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, value, "expected a non-empty text in quotes")
        return str(value).strip()

    def flag(self, key: str, default: bool) -> bool:
        self.used.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, value, "expected true or false")
        return bool(value)

    def optional_flag(self, key: str) -> bool | None:
        """True or false when the entry says so; None when it does not."""
        return None if key not in self.table else self.flag(key, False)

    def day_or_year(self, key: str) -> date | int | None:
        """An optional day (``2008-09-01``, a TOML date) or year (``2007``)."""
        self.used.add(key)
        value = self.table.get(key)
        if value is None or (type(value) is date) or (type(value) is int and 1900 <= value <= 2100):
            return value
        self.fail(key, value, "expected a day like 2008-09-01 (without quotes) or a year like 2007")
        return None

    def number(self, key: str, *, low: int, high: int) -> int:
        self.used.add(key)
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, self.table.get(key, "(missing)"), f"expected a whole number from {low} to {high}")
        return int(value)  # type: ignore[arg-type]

    def texts(self, key: str) -> tuple[str, ...]:
        self.used.add(key)
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, value, "expected a list of texts, e.g. [\"Naam 1\", \"Naam 2\"]")
        return tuple(v.strip() for v in value)

    def tables(self, key: str) -> list[Any]:
        self.used.add(key)
        value = self.table.get(key, [])
        if not isinstance(value, list):
            self.fail(key, value, f"expected [[{key}]] entries")
        return list(value)

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            self.fail(unknown[0], self.table[unknown[0]], "unknown entry (a typo?); see docs/configuration.md, "
                      "Deployment profiles")


def _generalist(r: _Reader) -> Generalist:
    g = _Reader(r.path, "generalist", r.table.get("generalist"))
    r.used.add("generalist")
    low = g.number("caseload_min", low=1, high=1000)
    high = g.number("caseload_max", low=1, high=1000)
    if high < low:
        g.fail("caseload_max", high, f"smaller than caseload_min ({low})")
    out = Generalist(title=g.text("title"), plural=g.text("plural"), team=g.text("team"),
                     holds_mandates=g.flag("holds_mandates", False), caseload_min=low, caseload_max=high,
                     since=g.day_or_year("since"))
    g.done()
    return out


def _areas(r: _Reader, extra: dict[str, tuple[Code, ...]]) -> tuple[ProfileArea, ...]:
    kinds = CODE_LISTS["area_kind"].values + tuple(c.value for c in extra.get("area_kind", ()))
    out: list[ProfileArea] = []
    for i, t in enumerate(r.tables("areas"), start=1):
        a = _Reader(r.path, f"areas[{i}]", t)
        area = ProfileArea(code=a.text("code"), name=a.text("name"), kind=a.text("kind"))
        if not _KEY.fullmatch(area.code):
            a.fail("code", area.code, "a code is 1–40 letters, digits, '.', '_' or '-'")
        if area.kind not in kinds:
            a.fail("kind", area.kind, f"not a value of the code list area_kind ({', '.join(map(str, kinds))})")
        if any(o.code.casefold() == area.code.casefold() for o in out):
            a.fail("code", area.code, "this area code is used twice")
        a.done()
        out.append(area)
    return tuple(out)


def _organisations(r: _Reader) -> tuple[ProfileOrganisation, ...]:
    out: list[ProfileOrganisation] = []
    names: dict[str, str] = {}
    for i, t in enumerate(r.tables("organisations"), start=1):
        o = _Reader(r.path, f"organisations[{i}]", t)
        org = ProfileOrganisation(id=o.text("id"), name=o.text("name"), sector=o.text("sector"),
                                  covenant_group=o.text("covenant_group", required=False) or None,
                                  mandating=o.optional_flag("mandating"), aliases=o.texts("aliases"))
        if not _KEY.fullmatch(org.id):
            o.fail("id", org.id, "an id is 1–40 letters, digits, '.', '_' or '-'")
        if any(x.id == org.id for x in out):
            o.fail("id", org.id, "this organisation id is used twice")
        for n in (org.name, *org.aliases):
            key = _name_key(n)
            if key in names and names[key] != org.id:
                o.fail("aliases" if n != org.name else "name", n,
                       f"the same name (ignoring case and punctuation) is already used by {names[key]}")
            names[key] = org.id
        o.done()
        out.append(org)
    return tuple(out)


def _name_key(name: str) -> str:
    """Names match case- and punctuation-insensitively, as ingest's ``match: name`` does."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _codes(r: _Reader) -> dict[str, tuple[Code, ...]]:
    codes = _Reader(r.path, "codes", r.table.get("codes", {}))
    r.used.add("codes")
    out: dict[str, tuple[Code, ...]] = {}
    for list_name in list(codes.table):
        codes.used.add(list_name)
        if list_name not in CODE_LISTS:
            codes.fail(list_name, "…", f"no such code list; the code lists are {', '.join(sorted(CODE_LISTS))}")
        base = CODE_LISTS[list_name]
        if base.name in FIXED_CODE_LISTS:
            codes.fail(list_name, "…", FIXED_CODE_LISTS[base.name])
        c = _Reader(r.path, f"codes.{list_name}", codes.table[list_name])
        added: list[Code] = []
        for i, t in enumerate(c.tables("extra"), start=1):
            e = _Reader(r.path, f"codes.{list_name}.extra[{i}]", t)
            code = Code(value=e.text("value"), nl=e.text("nl"), en=e.text("en"))
            if code.value in base.values or any(a.value == code.value for a in added):
                e.fail("value", code.value, f"already a value of the code list {list_name}")
            e.done()
            added.append(code)
        c.done()
        out[list_name] = tuple(added)
    codes.done()
    return out


def load_profile(path: Path) -> Profile:
    """Read and validate the profile at ``path``; raise :class:`ProfileError` at the first problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"Profile {path} does not exist; the shipped profiles are "
                           f"{', '.join(shipped_profiles())} (WIJKNET_PROFILE).") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"Profile {path.name} cannot be read: {exc.__class__.__name__}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"Profile {path.name} is not valid TOML: {exc}.") from None
    r = _Reader(path, "", data)
    municipality, model = r.text("municipality"), r.text("model")
    description = r.text("description", required=False)
    extra = _codes(r)
    profile = Profile(key=path.stem, municipality=municipality, model=model, description=description,
                      generalist=_generalist(r), areas=_areas(r, extra), organisations=_organisations(r),
                      extra_codes=extra, path=path)
    r.done()
    return profile


def shipped_profiles() -> list[str]:
    """Names of the profiles shipped in ``graph/profiles``."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))


def profile_path(name_or_path: str) -> Path:
    """``WIJKNET_PROFILE``'s value as a file: a shipped profile's name, or a path to a .toml file."""
    text = name_or_path.strip() or "enschede"
    if "/" in text or text.endswith(".toml"):
        return Path(text).expanduser()
    if not _KEY.fullmatch(text):
        raise ProfileError(f"WIJKNET_PROFILE = {text!r}: give a shipped profile's name "
                           f"({', '.join(shipped_profiles())}) or the path of a .toml file.")
    return PROFILES_DIR / f"{text}.toml"


@lru_cache(maxsize=8)
def _cached(path: Path, mtime: float) -> Profile:
    return load_profile(path)


def active_profile() -> Profile:
    """The profile ``WIJKNET_PROFILE`` names, validated (read again when its file changes)."""
    path = profile_path(os.environ.get("WIJKNET_PROFILE", "") or "enschede")
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return load_profile(path)  # raises the "does not exist" sentence
    return _cached(path.resolve(), mtime)


def code_list(name: str, profile: Profile | None = None) -> CodeList:
    """The code list ``name`` with the extra values of ``profile`` (default: the active profile)."""
    base = CODE_LISTS[name]
    extra = (profile or active_profile()).extra_codes.get(name, ())
    return base if not extra else CodeList(base.name, base.fields, base.meaning, base.codes + extra)


def code_values(name: str, profile: Profile | None = None) -> tuple[Any, ...]:
    """The allowed values of the code list ``name`` in this deployment."""
    return code_list(name, profile).values
