"""Mapping files uploaded with an export (the app's *Load data* page), and the ones a steward keeps for next time.

An uploaded mapping is checked exactly like one on disk (:func:`ingest.mapping.mapping_from_dict`) after its name
(as :func:`ingest.readers.check_upload_name` checks an export's: no path, no stream, no control character, not too
long; here ``.yaml``/``.yml`` only) and its size; it is read with ``yaml.safe_load`` — data only, nothing in it is
ever executed or imported — and YAML anchors/aliases are refused (a few bytes could otherwise expand into a huge
table). A kept mapping is stored in ``<state dir>/mappings/`` (0700), one file per mapping ``name``, mode 0600;
keeping a mapping with the same ``name`` again replaces it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.files import private_dir, replace_private
from graph.said import message_of, said
from graph.settings import PROJECT_ROOT
from ingest.mapping import Mapping, MappingError, load_mapping, mapping_from_dict

__all__ = ["MAX_MAPPING_BYTES", "SHIPPED_DIR", "KeptMapping", "find_mapping", "keep_mapping", "kept_mappings",
           "known_mappings", "read_uploaded_mapping", "shipped_mapping"]

#: A mapping is a page of YAML; the largest shipped one is about 4 KB.
MAX_MAPPING_BYTES = 100_000
_MAX_NAME_BYTES = 150
_SLUG = re.compile(r"[^a-z0-9_-]+")
#: The mappings that come with wijknet (docs/ingest.md); ``wijknet ingest`` also takes one by its name.
SHIPPED_DIR = PROJECT_ROOT / "mappings"


@dataclass(frozen=True)
class KeptMapping:
    """A kept mapping: its file in the mappings folder and the mapping it holds."""

    path: Path
    mapping: Mapping

    @property
    def label(self) -> str:
        """How a person recognises it: the mapping's name and description, not the file name."""
        m = self.mapping
        return f"{m.name} — {m.description}" if m.description else m.name


def _check_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base or ":" in base or base.startswith(".") or any(unicodedata.category(c)[0] == "C" for c in base):
        raise MappingError(said("said.kept.bad_name", "The mapping file's name cannot be used; call it e.g. "
                                "mapping.yaml."))
    if len(base.encode("utf-8")) > _MAX_NAME_BYTES:
        raise MappingError(said("said.kept.long_name", "The mapping file's name is longer than {n} characters; "
                                "call it e.g. mapping.yaml.", n=str(_MAX_NAME_BYTES)))
    parts = base.lower().split(".")
    if len(parts) != 2 or parts[-1] not in ("yaml", "yml"):
        raise MappingError(said("said.kept.extension", "A mapping is a .yaml file (without a double extension), "
                                "e.g. mapping.yaml."))
    return base


def read_uploaded_mapping(name: str, data: bytes) -> Mapping:
    """Check an uploaded mapping file and return its mapping; raise :class:`MappingError` (one sentence naming
    what is wrong, said in the user's language on the page: :mod:`graph.said`) otherwise. Nothing is written."""
    base = _check_name(name)
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingError(said("said.kept.too_big", "{name} is {kb} KB, more than the {limit} KB a mapping may be.",
                                name=base, kb=f"{len(data) / 1000:.0f}", limit=str(MAX_MAPPING_BYTES // 1000)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError(said("said.kept.not_utf8", "{name} is not UTF-8 text; save the mapping as UTF-8.",
                                name=base)) from None
    try:
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise MappingError(said("said.kept.aliases", "{name} uses YAML references (*alias); write every value "
                                    "out.", name=base))
        content = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise MappingError(said("said.kept.bad_yaml_line", "{name} is not valid YAML (line {line}).", name=base,
                                    line=str(mark.line + 1))) from None
        raise MappingError(said("said.kept.bad_yaml", "{name} is not valid YAML.", name=base)) from None
    try:
        return mapping_from_dict(content, where=base)
    except MappingError as exc:
        raise MappingError(said("said.kept.wrong", "The mapping is not right: {error}", error=message_of(exc))) from None


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.casefold()).strip("-")[:80] or "mapping"


def _file_for(folder: Path, mapping: Mapping) -> Path:
    return folder / f"{_slug(mapping.name)}.yaml"


def find_mapping(given: str, kept_dir: Path | None = None) -> Path:
    """The mapping file ``given`` names: a file by its path, else a shipped mapping (:data:`SHIPPED_DIR`) or one
    kept in ``kept_dir`` by its name, with or without ``.yaml`` (``gebieden``, ``vis2_betrokkenheid.yaml``).
    Raise :class:`MappingError` naming the shipped and kept mappings when there is none."""
    path = Path(given)
    if path.is_file():
        return path
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    if path.name == given and stem:  # a bare name, not a path that does not exist
        for folder, name in ((SHIPPED_DIR, stem), (kept_dir, _slug(stem))):
            if folder is not None and (found := folder / f"{name}.yaml").is_file():
                return found
        # the mapping's own name, as the page and a rejected file's report show it ("… (brp-huishoudens)"), which
        # is not always its file's ("brp_huishoudens.yaml")
        for m in known_mappings(kept_dir):
            if m.name.casefold() == stem.strip().casefold() and m.path is not None:
                return m.path
    names = sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml"))
    kept = sorted(p.stem for p in kept_dir.glob("*.yaml")) if kept_dir is not None and kept_dir.is_dir() else []
    raise MappingError(said("said.mapping.not_found", "{given}: no such mapping file, and no mapping of that name. "
                            "Give a mapping file, or the name of one: {names}.", given=given,
                            names=", ".join(names + kept)))


def keep_mapping(folder: Path, name: str, data: bytes) -> KeptMapping:
    """Check an uploaded mapping (:func:`read_uploaded_mapping`) and store it in ``folder`` (0700) as a 0600 file
    named after the mapping's ``name``; a kept mapping of the same name is replaced."""
    mapping = read_uploaded_mapping(name, data)
    private_dir(folder)
    path = _file_for(folder, mapping)
    replace_private(path, data)  # two stewards keeping the same mapping at once never collide
    return KeptMapping(path, load_mapping(path))


def kept_mappings(folder: Path) -> tuple[list[KeptMapping], list[str]]:
    """The kept mappings in ``folder`` by label, and a sentence for each file there that no longer checks."""
    kept: list[KeptMapping] = []
    broken: list[str] = []
    if not folder.is_dir():
        return kept, broken
    for path in sorted(folder.glob("*.yaml")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            kept.append(KeptMapping(path, load_mapping(path)))
        except MappingError as exc:
            broken.append(f"Bewaarde mapping {path.name} is niet meer bruikbaar: {exc}")
    return sorted(kept, key=lambda k: k.label.casefold()), broken


def shipped_mapping(path: Path) -> Mapping | None:
    """A shipped mapping's file read once per version of the file (the same for every user: no data in it); None
    when it does not check (that is reported when it is chosen)."""
    return _shipped(path, path.stat().st_mtime)


@functools.lru_cache(maxsize=64)
def _shipped(path: Path, mtime: float) -> Mapping | None:
    try:
        return load_mapping(path)
    except (MappingError, OSError):
        return None


def known_mappings(kept_dir: Path | None = None) -> list[Mapping]:
    """Every mapping a steward can choose: the shipped ones (read once per file version) and those kept in
    ``kept_dir``; a file that no longer checks is left out (the page says so where it lists them)."""
    shipped = [shipped_mapping(p) for p in sorted(SHIPPED_DIR.glob("*.yaml"))]
    kept = kept_mappings(kept_dir)[0] if kept_dir is not None else []
    return [m for m in shipped if m is not None] + [k.mapping for k in kept]
