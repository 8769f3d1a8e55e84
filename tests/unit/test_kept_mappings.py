"""A mapping uploaded with an export (issue 17, part 4): checked like one on disk, size- and name-limited, never
executed, and kept for next time in the state dir (0600), listed by its human name."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from app.i18n import say
from graph.said import message_of
from ingest.kept_mappings import MAX_MAPPING_BYTES, keep_mapping, kept_mappings, read_uploaded_mapping
from ingest.mapping import MappingError

ROOT = Path(__file__).resolve().parents[2]
ORGS = (ROOT / "mappings" / "organisaties.yaml").read_bytes()


def test_an_uploaded_mapping_is_the_mapping_on_disk() -> None:
    from dataclasses import replace

    from ingest.mapping import load_mapping

    on_disk = load_mapping(ROOT / "mappings" / "organisaties.yaml")
    assert read_uploaded_mapping("organisaties.yaml", ORGS) == replace(on_disk, path=None)


@pytest.mark.parametrize(("name", "data", "match"), [
    ("m.yaml", b"name: x\nkind: nonsense\nsource: s\nfields: {}\n",
     "^De mapping klopt niet: m.yaml: soort 'nonsense' is onbekend; kies uit"),
    ("m.yaml", b"name: [unclosed\n", r"m.yaml is geen geldige YAML \(regel"),
    ("m.yaml", b"a: &x [1]\nb: *x\n", "YAML-verwijzingen"),
    ("m.yaml", b"!!python/object/apply:os.system ['touch /tmp/pwned']\n", "geen geldige YAML"),
    ("m.yaml", b"x" * (MAX_MAPPING_BYTES + 1), "groter dan"),
    ("m.yaml", b"\xff\xfe\x00", "geen UTF-8"),
    ("m.exe.yaml", ORGS, "dubbele extensie"),
    ("m.csv", ORGS, "een .yaml-bestand"),
    ("../../etc/x:y.yaml", ORGS, "niet bruikbaar"),
    ("a" * 200 + ".yaml", ORGS, "langer dan"),
])
def test_a_wrong_mapping_is_one_dutch_sentence(name: str, data: bytes, match: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    with pytest.raises(MappingError) as caught:
        read_uploaded_mapping(name, data)
    assert re.search(match, say(message_of(caught.value)))  # as the Load data page says it
    assert not Path("/tmp/pwned").exists()


def test_kept_mappings_are_private_and_listed_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "mappings"
    data = ORGS.replace(b'description: "Organisaties: de convenantpartners en gemeentelijke diensten."\n', b"").replace(
        b"name: organisaties", b"name: Organisaties Leeuwarden\ndescription: Partners van het FLT")
    kept = keep_mapping(folder, "export-mapping.yaml", data)
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    (folder / "kapot.yaml").write_text("name: x\n")
    listed, broken = kept_mappings(folder)
    assert [k.label for k in listed] == ["Organisaties Leeuwarden — Partners van het FLT"]
    assert listed[0].mapping.name == "Organisaties Leeuwarden"
    assert len(broken) == 1 and "kapot.yaml" in broken[0]
    keep_mapping(folder, "again.yaml", data.replace(b"Partners van het FLT", b"Nieuwe omschrijving"))
    assert [k.label for k in kept_mappings(folder)[0]] == ["Organisaties Leeuwarden — Nieuwe omschrijving"]
    with pytest.raises(MappingError):
        keep_mapping(folder, "bad.yaml", b"name: y\n")
    assert sorted(p.name for p in folder.iterdir()) == ["kapot.yaml", "organisaties-leeuwarden.yaml"]


def test_two_stewards_keeping_the_same_mapping_at_once_both_succeed(tmp_path: Path) -> None:
    """Each write goes through a temporary file of its own: one shared name let the second rename find it gone."""
    from tests.together import at_once

    folder = tmp_path / "kept"
    outcomes = at_once(lambda: [keep_mapping(folder, "organisaties.yaml", ORGS) for _ in range(20)], threads=6)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    [only] = list(folder.iterdir())
    assert only.read_bytes() == ORGS and stat.S_IMODE(only.stat().st_mode) == 0o600
    assert len(kept_mappings(folder)[0]) == 1


def test_wijknet_ingest_finds_a_mapping_by_its_path_or_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """``wijknet ingest gebieden file.csv``: a steward outside the repository names a shipped or kept mapping;
    a file by its path still comes first, and a name that is neither says which names there are."""
    from ingest.kept_mappings import find_mapping

    folder = tmp_path / "state" / "mappings"
    kept = keep_mapping(folder, "m.yaml", ORGS.replace(b"name: organisaties", b"name: Organisaties Leeuwarden"))
    monkeypatch.chdir(tmp_path)
    assert find_mapping("gebieden", folder) == ROOT / "mappings" / "gebieden.yaml"
    assert find_mapping("vis2_betrokkenheid.yaml", folder) == ROOT / "mappings" / "vis2_betrokkenheid.yaml"
    assert find_mapping("Organisaties Leeuwarden", folder) == kept.path == folder / "organisaties-leeuwarden.yaml"
    # a shipped mapping by the name the page and a rejected file's report give it, not its file's
    assert find_mapping("brp-huishoudens", folder) == ROOT / "mappings" / "brp_huishoudens.yaml"
    assert find_mapping("wijkcoach-caseload", folder) == ROOT / "mappings" / "caseload.yaml"
    own = tmp_path / "gebieden"  # a file of that name in the working directory is the steward's own
    own.write_text("name: x\n")
    assert find_mapping("gebieden", folder).resolve() == own
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    for given in ("gebiedn", "elders/gebieden.yaml", ""):  # a path that is not there is not looked up by its name
        with pytest.raises(MappingError) as caught:
            find_mapping(given, folder)
        said = say(message_of(caught.value))
        assert said.startswith(f"{given}: geen mappingbestand en geen mapping met die naam"), said
        assert "gebieden, mandaathouders" in said and said.endswith(", organisaties-leeuwarden."), said
