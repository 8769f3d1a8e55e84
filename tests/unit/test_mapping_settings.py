"""Every setting of a mapping is read by its type or refused in one sentence naming the setting and the value
(an outside test, session 39: ``store_names: nee`` stored names — any non-empty text counted as yes — and
``format: csv``, ``delimiter: ';;'`` or ``max_length: veel`` ended in an AttributeError, TypeError or ValueError
instead of a sentence)."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.mapping import MappingError, mapping_from_dict


def _brp(**top: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"bsn": "bsn", "name": "naam", "postcode": "pc", "house_number": "nr", "role": "rol",
                              "since": "van"}
    fields.update(top.pop("fields", {}))
    return {"name": "x", "kind": "household_composition", "source": "s", "fields": fields, **top}


@pytest.mark.parametrize(("written", "meant"), [
    (True, True), (False, False), ("ja", True), ("nee", False), ("Nee", False), ("yes", True), ("no", False),
    ("true", True), ("false", False), (" NEE ", False),
])
def test_yes_no_settings_read_what_was_written(written: object, meant: bool) -> None:
    assert mapping_from_dict(_brp(store_names=written)).store_names is meant
    assert mapping_from_dict(_brp(fields={"street": {"column": "straat", "required": written}})
                             ).fields["street"].required is meant


@pytest.mark.parametrize("written", ["misschien", "", 1, 0, [True], {"a": 1}, None])
def test_a_yes_no_setting_that_is_neither_is_refused(written: object) -> None:
    with pytest.raises(MappingError, match=r"mapping: store_names must be yes or no"):
        mapping_from_dict(_brp(store_names=written))


@pytest.mark.parametrize(("top", "says"), [
    ({"format": "csv"}, r"'format' must be a table"),
    ({"format": {"delimiter": ";;"}}, r"delimiter ';;' .*one character"),
    ({"format": {"delimiter": '"'}}, r"delimiter '\"'"),
    ({"format": {"delimiter": "\n"}}, r"delimiter"),
    ({"format": {"encoding": "klingon"}}, r"encoding 'klingon' is unknown"),
    ({"format": {"type": "pdf"}}, r"format type 'pdf' is unknown"),
    ({"format": {"sep": ";"}}, r"unknown format settings \['sep'\]"),
    ({"format": {"sheet": ["a"]}}, r"sheet must be a text"),
    ({"name": ""}, r"'name' must be a text"),
    ({"name": ["a"]}, r"'name' must be a text"),
    ({"source": {"a": 1}}, r"'source' must be a text"),
    ({"description": ["a"]}, r"'description' must be a text"),
    ({"key": {"a": 1}}, r"'key' must be a column name or a list"),
    ({"key": [["bsn"]]}, r"'key' must be a column name or a list"),
    ({"codes": {"g": {"M": ["x"]}}}, r"code list 'g'.*'M'"),
    ({"create_professionals": "nee"}, None),
    ({"fields": {"street": {"column": "straat", "max_length": "veel"}}}, r"field 'street': max_length must be a "
                                                                          r"whole number of at least 1, not 'veel'"),
    ({"fields": {"street": {"column": "straat", "max_length": 0}}}, r"max_length must be a whole number"),
    ({"fields": {"street": {"column": "straat", "max_length": True}}}, r"max_length must be a whole number"),
    ({"fields": {"street": {"column": ""}}}, r"field 'street': column must be a text"),
    ({"fields": {"street": {"column": ["a", "b"]}}}, r"field 'street': column must be a text"),
    ({"fields": {"street": {"column": "straat", "prefix": ["a"]}}}, r"field 'street': prefix must be a text"),
    ({"fields": {"street": {"column": "straat", "codes": ["a"]}}}, r"field 'street': codes must be a text"),
    ({"fields": {"house_number": {"column": "nr", "type": "int", "decimal": ";;"}}},
     r"field 'house_number': decimal must be '\.' or ','"),
    ({"fields": {"since": {"column": "van", "type": "date", "format": ["dd"]}}}, r"field 'since': format must be a "
                                                                                  r"text"),
    ({"fields": {"since": {"column": "van", "type": ["date"]}}}, r"field 'since' has unknown type"),
])
def test_a_setting_of_the_wrong_shape_is_refused_in_a_sentence(top: dict[str, Any], says: str | None) -> None:
    if says is None:
        with pytest.raises(MappingError, match="create_professionals applies to"):
            mapping_from_dict(_brp(create_professionals=True))
        assert mapping_from_dict(_brp(**top)).create_professionals is False
        return
    with pytest.raises(MappingError, match=says):
        mapping_from_dict(_brp(**top))


def test_settings_written_as_people_write_them_are_read() -> None:
    m = mapping_from_dict(_brp(format={"type": "CSV", "encoding": "Windows-1252", "delimiter": "tab"}, key="bsn",
                               name=2024, fields={"street": {"column": "straat", "max_length": "80"}}))
    assert (m.fmt, m.encoding, m.delimiter, m.key, m.name) == ("csv", "Windows-1252", "\t", ("bsn",), "2024")
    assert m.fields["street"].max_length == 80
    assert mapping_from_dict(_brp(format={"delimiter": "\\t"})).delimiter == "\t"
    assert mapping_from_dict(_brp(format={"delimiter": ","})).delimiter == ","
    assert mapping_from_dict(_brp(format=None)).delimiter == "auto"
