"""Sentences for people, said below ``app/`` and put into words by the app's one catalogue.

The ingest, the audit chain and the queries explain what they found in a sentence (a rejected row, a file that
cannot be read, a broken chain). The CLI, the JSON reports and the logs keep the English sentence; the pages
speak the user's language. So such a sentence is a :class:`Said`: an ordinary ``str`` (the English text, which
every caller, test and file keeps using as before) that also carries the catalogue key and the values it was
made from. :func:`app.i18n.say` puts it into the user's language (``app/catalogue.py``: Dutch by default,
English with ``WIJKNET_LANGUAGE=en``); a plain string passes unchanged.

``tests/unit/test_said.py`` checks that every ``said("key", "English {x}", ...)`` below ``app/`` has its key in
the catalogue with the same English text and, in Dutch, the same placeholders.

>>> s = said("said.file.empty", "{name} is empty.", name="a.csv")
>>> s, s.key, s.params
('a.csv is empty.', 'said.file.empty', {'name': 'a.csv'})
>>> message_of(ValueError(s)).key
'said.file.empty'
>>> said("said.merge.collapsed", "; {parts} already held by the survivor (kept once)", parts=("a", "b"))
'; a, b already held by the survivor (kept once)'
"""

from __future__ import annotations

from typing import Any

__all__ = ["DATE_PATTERNS", "Said", "date_pattern", "field_word", "message_of", "said", "said_count"]


class Said(str):
    """An English sentence with its catalogue ``key`` and the ``params`` it was formatted with."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, english: str, params: dict[str, Any]) -> Said:
        # A whole number in English with thousands separators (1,000,000); the app says it with its language's.
        # A tuple of sentences is a list, said item by item ("HAS_MEMBER 1, CONCERNS 2").
        shown = {k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else ", ".join(map(str, v))
                 if isinstance(v, tuple) else v for k, v in params.items()}
        obj = super().__new__(cls, english.format(**shown) if params else english)
        obj.key, obj.params = key, dict(params)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to the ingest's worker processes and back, deep-copied
        return _rebuild, (self.key, str(self), self.params)


def _rebuild(key: str, text: str, params: dict[str, Any]) -> Said:
    obj = str.__new__(Said, text)
    obj.key, obj.params = key, params
    return obj


def said(key: str, english: str, /, **params: Any) -> Said:
    """The sentence ``english`` formatted with ``params``, to be said in the user's language under ``key``."""
    return Said(key, english, params)


def said_count(key: str, n: int, one: str, more: str, /, **params: Any) -> Said:
    """A sentence that counts ``n`` things: under ``<key>_one`` with the English ``one`` for exactly one ("1 hidden
    row"), else under ``key`` with ``more`` ("3 hidden rows"); ``n`` is given to both as ``{n}``.

    >>> said_count("said.file.hidden_rows", 1, "{n} hidden row", "{n} hidden rows").key
    'said.file.hidden_rows_one'
    >>> said_count("said.file.hidden_rows", 2, "{n} hidden row", "{n} hidden rows")
    '2 hidden rows'
    """
    return said(f"{key}_one", one, n=str(n), **params) if n == 1 else said(key, more, n=str(n), **params)


def field_word(name: str) -> Said:
    """A field of a source row or form (``status_since``) named in a sentence: its own name in English (the CLI
    and the JSON report, read by whoever writes mappings), its label on a page (``said.field.<name>``:
    "datum van de status").

    >>> w = field_word("until")
    >>> w, w.key
    ('until', 'said.field.until')
    """
    return Said(f"said.field.{name}", name, {})


def message_of(exc: BaseException) -> str:
    """An exception's sentence, a :class:`Said` kept as one (``str(exc)`` would make it a plain string)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Said) else str(exc)


#: every date format a mapping may give (``dd-mm-yyyy``, ``yyyy/mm/dd``, …): day, month and year in any order,
#: one separator
DATE_PATTERNS = tuple(sep.join(order) for order in (("dd", "mm", "yyyy"), ("yyyy", "mm", "dd"), ("mm", "dd", "yyyy"),
                                                    ("dd", "yyyy", "mm"), ("mm", "yyyy", "dd"), ("yyyy", "dd", "mm"))
                      for sep in "-/.")


def date_pattern(fmt: str) -> Said:
    """A date format of :data:`DATE_PATTERNS` named in a sentence: as written (``dd-mm-yyyy``) in English, in the
    page's letters on a page (``said.date_pattern.<fmt>``: "dd-mm-jjjj").

    >>> w = date_pattern("dd-mm-yyyy")
    >>> w, w.key
    ('dd-mm-yyyy', 'said.date_pattern.dd-mm-yyyy')
    """
    return Said(f"said.date_pattern.{fmt}", fmt, {})
