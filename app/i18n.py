"""Every text a person reads in the app, from one catalogue (:data:`app.catalogue.CATALOGUE`), in the language
of ``WIJKNET_LANGUAGE`` (``nl``, the default, or ``en``).

* :func:`t` — a label, message or heading by key, formatted with ``**fmt``. Every text may name the
  generalist role as ``{coach}`` / ``{coaches}``: the one catalogue entry ``term.coach`` (``wijkcoach``) decides
  what it is called, so a deployment can give it another name in one place.
* :func:`code_label` — a stored code value (``ZORG_HULPVERLENING``) as its meaning in ``graph.model.CODE_LISTS``
  (``zorg en hulpverlening``); never the stored form.
* :func:`role_label`, :func:`purpose_label`, :func:`action_label`, :func:`page_title` — the identifiers of
  roles, purposes, audit actions and pages as words.
* :func:`num` — a whole number with the language's thousands separator (``1.141`` in Dutch).

Dates are written dd-mm-jjjj everywhere (:func:`app.dates.dmy`).

>>> t("common.yes", lang="en"), code_label("life_domain", "ZORG_HULPVERLENING", lang="nl")
('yes', 'zorg en hulpverlening')
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from typing import Any

from app.catalogue import CATALOGUE

__all__ = ["DYNAMIC_PREFIXES", "LANGUAGES", "action_label", "code_label", "col", "decimal", "column_labels", "language", "literal_md", "num",
           "organisation_label", "page_title", "capitalised", "plural", "purpose_label", "readable", "record_kind", "result_label", "role_label", "row_keys", "say", "section_title",
           "t"]

LANGUAGES = ("nl", "en")
#: Keys built at run time from an identifier (``role.<role>``, ``purpose.<purpose>`` …): the catalogue test
#: checks these families against the identifiers they are built from instead of looking for the literal key.
DYNAMIC_PREFIXES = ("role.", "purpose.", "action.", "page.", "section.", "kind.", "col.", "edge.", "node.", "load.", "val.", "code.",
                    "bin.", "said.", "result.", "org.")  # said.: sentences said below app/ (graph.said; tests/unit/test_said.py)


@functools.lru_cache(maxsize=4)
def _checked(raw: str) -> str:
    value = raw.strip().lower() or "nl"
    return value if value in LANGUAGES else "nl"


def language() -> str:
    """The app's language: ``WIJKNET_LANGUAGE`` (``nl`` or ``en``; anything else falls back to ``nl`` here,
    and ``load_settings`` refuses it with one sentence)."""
    return _checked(os.environ.get("WIJKNET_LANGUAGE", "nl"))



def _terms(lang: str) -> dict[str, str]:
    """How the generalist is called: the catalogue's ``term.coach`` (wijkcoach), unless the deployment profile
    (``WIJKNET_PROFILE``, :mod:`graph.profile`) names the role otherwise (a frontlijnwerker in Leeuwarden); and
    ``{coaches_since}``: the plural with when they started, where the profile says it ("wijkcoaches sinds
    september 2008")."""
    coach, coaches = CATALOGUE["term.coach"][_index(lang)], CATALOGUE["term.coaches"][_index(lang)]
    try:
        from graph.profile import active_profile

        g = active_profile().generalist
    except Exception:  # noqa: BLE001 - a broken profile stops the app at start-up (app/Home.py), not here
        return {"coach": coach, "coaches": coaches, "coaches_since": coaches}
    if g.title != "wijkcoach":  # the catalogue's own name is the Enschede profile's
        coach, coaches = g.title, g.plural
    since = coaches
    if g.since is not None:
        when = str(g.since) if isinstance(g.since, int) else \
            f"{CATALOGUE['term.months'][_index(lang)].split()[g.since.month - 1]} {g.since.year}"
        since = CATALOGUE["term.coaches_since"][_index(lang)].format(coaches=coaches, when=when)
    return {"coach": coach, "coaches": coaches, "coaches_since": since}


def _index(lang: str) -> int:
    return 0 if lang == "nl" else 1


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:/$=^&])")


def literal_md(value: Any) -> str:
    r"""``value`` as text in a Markdown string (``st.markdown``, ``st.caption``, ``st.write``): every character
    Markdown or Streamlit reads as markup escaped, so a name or a coach's text reads as written — not bold for
    ``**``, not a link for ``[...](...)``, not a formula for ``$``, not an icon or a colour for ``:...:``.

    >>> print(literal_md("**Vet** [link](https://x) $1$"))
    \*\*Vet\*\* \[link\]\(https\:\/\/x\) \$1\$
    """
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def t(key: str, *, lang: str | None = None, **fmt: Any) -> str:
    """The text of ``key`` in the app's language (or ``lang``), formatted with ``fmt`` (``str.format``)."""
    lang = lang or language()
    entry = CATALOGUE.get(key)
    if entry is None:
        raise KeyError(f"no text {key!r} in app/catalogue.py")
    if key in ("term.coach", "term.coaches", "term.coaches_since"):  # the deployment profile's, as in {coach}
        return _terms(lang)[key.removeprefix("term.")]
    text = entry[_index(lang)]
    if "{" not in text:
        return text
    return text.format(**{**_terms(lang), **fmt})


def shown_text(value: Any) -> str:
    """Text from outside (a file's cell, header, sheet or name) in a Markdown string, as written: markup escaped
    (:func:`literal_md`) and an invisible control character named, not obeyed (``<U+202E>``). A header
    ``![beacon](http://…)`` in an uploaded file made the steward's browser fetch the image, and a right-to-left
    override turned the page's line around (an outside test of 06-12-2026).

    >>> print(shown_text("![b](http://x/p.png) \u202e").replace("\u2060", "|"))
    \\!\\[b\\]\\(http|\\:\\/\\/x\\/p\\.png\\) \\<U\\+202E\\>
    """
    from ingest.mapping import name_controls

    text = name_controls(str(value))
    # the Markdown renderer makes a link of an address even when its characters are escaped: an invisible word
    # joiner after the scheme or "www" keeps it text
    text = _ADDRESS.sub("\\1\u2060\\2", text)
    return literal_md(text)


_ADDRESS = re.compile(r"(?i)\b(https?|ftp|mailto|www)([:.])")


def say(text: Any, *, lang: str | None = None, markdown: bool = False) -> str:
    """A sentence said below ``app/`` (:class:`graph.said.Said`: the ingest's reasons, the audit chain's findings)
    in the app's language; its values said too (numbers with the language's separator, a tuple as a list said
    item by item); other text unchanged. With ``markdown`` the sentence goes into a Markdown string: its text
    values (what a file or a person wrote) are :func:`shown_text`, and so is a plain text.

    >>> from graph.said import said
    >>> say(said("said.file.empty", "{name} is empty.", name="a.csv"), lang="nl"), say("plain")
    ('a.csv is leeg.', 'plain')
    >>> print(say(said("said.file.empty", "{name} is empty.", name="**a**.csv"), lang="nl", markdown=True))
    \\*\\*a\\*\\*\\.csv is leeg.
    """
    from graph.said import Said

    if not isinstance(text, Said) or text.key not in CATALOGUE:
        plain = "" if text is None else str(text)
        return shown_text(plain) if markdown and plain else plain
    values = {k: say(v, lang=lang, markdown=markdown) if isinstance(v, Said) else num(v, lang=lang)
              if isinstance(v, int) and not isinstance(v, bool) else ", ".join(say(x, lang=lang, markdown=markdown)
                                                                               for x in v)
              if isinstance(v, tuple) else _Shown(v) if markdown and isinstance(v, str) else v
              for k, v in text.params.items()}
    return t(text.key, lang=lang, **values)


class _Shown(str):
    """A value as written in a Markdown sentence (:func:`shown_text`), also where the sentence quotes it with
    ``{value!r}``: the quoted form is escaped, not the escaped form quoted (its backslashes doubled, "\\T2\\"
    showed on the lead's page for a typed "**T2**").

    >>> print(repr(_Shown("**T2**")))
    '\\*\\*T2\\*\\*'
    """

    _quoted: str

    def __new__(cls, raw: str) -> _Shown:
        obj = super().__new__(cls, shown_text(raw))
        obj._quoted = shown_text(repr(raw))
        return obj

    def __repr__(self) -> str:
        return self._quoted


def has(key: str) -> bool:
    return key in CATALOGUE


def code_label(list_name: str, value: Any, *, lang: str | None = None) -> str:
    """The meaning of a stored code value of ``graph.model.CODE_LISTS[list_name]`` in the app's language.

    ``None`` or an empty value is the catalogue's "unknown"; a value outside the list (stored before the list
    knew it) is shown lower-case with spaces, never as a raw upper-case identifier."""
    from graph.model import CODE_LISTS

    lang = lang or language()
    if value is None or value == "":
        return t("common.unknown", lang=lang)
    short = f"code.{list_name}.{value}"  # a short name where the code list's meaning is a description
    if short in CATALOGUE:
        return t(short, lang=lang)
    from graph.profile import code_list

    try:
        codes = code_list(list_name).codes  # with the deployment profile's extra values
    except Exception:  # noqa: BLE001 - a broken profile stops the app at start-up, not here
        codes = CODE_LISTS[list_name].codes
    for code in codes:
        if code.value == value or str(code.value) == str(value):
            return code.nl if lang == "nl" else code.en
    return str(value).replace("_", " ").lower()


def _family(prefix: str, value: Any, lang: str | None) -> str:
    key = f"{prefix}{value}"
    if key in CATALOGUE:
        return t(key, lang=lang)
    return str(value or "").replace("_", " ")


def record_kind(kind: str, *, lang: str | None = None) -> str:
    """A record kind (``involvement``) as what an import wrote of it ("betrokkenheden")."""
    return _family("record.", kind, lang)


def row_keys(keys: list[str], *, lang: str | None = None) -> str:
    """Row keys of an import (``organisation:ORG-1``, ``membership:HH-1|PER-2``) in words, by kind: "organisaties
    ORG-1, ORG-2; lidmaatschappen van een huishouden HH-1 · PER-2"."""
    by_kind: dict[str, list[str]] = {}
    for k in keys:
        kind, sep, key = k.partition(":")
        if not sep:
            kind, key = "", k
        by_kind.setdefault(kind, []).append(key.replace("|", " · "))
    return "; ".join(f"{record_kind(kind, lang=lang) if kind else ''} {', '.join(ks)}".strip()
                     for kind, ks in by_kind.items())


def role_label(role: Any, *, lang: str | None = None) -> str:
    """A role (``data_steward``) as its name (``gegevensbeheerder``); no role: empty."""
    return _family("role.", str(role), lang) if role else ""


def purpose_label(purpose: Any, *, lang: str | None = None) -> str:
    """A purpose (``home_visit_preparation``) as words (``voorbereiding huisbezoek``)."""
    return _family("purpose.", str(purpose), lang) if purpose else ""


def action_label(action: Any, *, lang: str | None = None) -> str:
    """An audit action (``view_household``) as words; an export (``export_<what>``) as "export: <what>"."""
    a = str(action or "")
    if f"action.{a}" not in CATALOGUE and a.startswith("export_"):
        return t("action.export", lang=lang, what=a.removeprefix("export_").replace("_", " "))
    return _family("action.", a, lang) if a else ""


def result_label(result: Any, *, lang: str | None = None) -> str:
    """An audit record's result (``failed``) as a word (``mislukt``); one the catalogue lacks stays as it is."""
    r = str(result or "")
    return t(f"result.{r}", lang=lang) if f"result.{r}" in CATALOGUE else r


def organisation_label(organisation: Any, *, lang: str | None = None) -> str:
    """An audit record's organisation: the command line's and the system's in words (``opdrachtregel``); an
    account's organisation is a name and stays as it is."""
    o = str(organisation or "")
    return t(f"org.{o}", lang=lang) if f"org.{o}" in CATALOGUE else o


def page_title(url_path: str, *, fallback: str = "", lang: str | None = None) -> str:
    """The title of the page served at ``url_path`` (``coach`` → ``Huishouden``); a page the catalogue does
    not know yet keeps ``fallback`` (its name in ``app/nav.py``)."""
    key = f"page.{url_path}"
    return t(key, lang=lang) if key in CATALOGUE else (fallback or url_path)


def capitalised(text: str) -> str:
    """``text`` with a capital first letter and the rest as it is (``str.capitalize`` lowers the rest: "DMO")."""
    return text[:1].upper() + text[1:]


def section_title(section: str, *, lang: str | None = None) -> str:
    """A sidebar section (``Project lead``) in the app's language, with a capital as a title (the generalist's
    section is the profile's role, ``wijkcoach``: Wijkcoach); an unknown one as it is."""
    key = f"section.{section}"
    title = t(key, lang=lang) if key in CATALOGUE else section
    return capitalised(title) if section == "Coach" else title  # wijknet keeps its small letter


def column_labels(columns: Mapping[str, str] | list[str], *, lang: str | None = None) -> dict[str, str]:
    """Column headers of a table or export: ``col.<name>`` from the catalogue, for the names that have one."""
    return {c: t(f"col.{c}", lang=lang) for c in columns if f"col.{c}" in CATALOGUE}


def num(n: int | float | None, *, lang: str | None = None) -> str:
    """A whole number with thousands separators: ``1.141`` in Dutch, ``1,141`` in English."""
    if n is None:
        return ""
    text = f"{int(n):,}"
    return text.replace(",", ".") if (lang or language()) == "nl" else text


def plural(n: int, one: str, more: str, *, lang: str | None = None, **fmt: Any) -> str:
    """``n`` with the catalogue's words for one (key ``one``) or for none and more (key ``more``), formatted with
    ``n`` as :func:`num` says it and ``fmt``: "1 dag", "2 dagen" (the keys' convention: ``<key>_one`` beside
    ``<key>_more`` or ``<key>``; tests/unit/test_plurals.py finds a counted noun without its singular).

    >>> plural(1, "triage.days_one", "triage.days_more", lang="nl"), plural(3, "triage.days_one", "triage.days_more", lang="nl")
    ('1 dag', '3 dagen')
    """
    return t(one if n == 1 else more, lang=lang, **{**fmt, "n": num(n, lang=lang)})


def decimal(n: float | None, *, digits: int = 1, lang: str | None = None) -> str:
    """A number with ``digits`` decimals in the page's language: ``1.234,5`` in Dutch, ``1,234.5`` in English."""
    if n is None:
        return ""
    text = f"{float(n):,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if (lang or language()) == "nl" else text


_PERIOD = re.compile(r"\bsince (\d{2}-\d{2}-\d{4})")


def readable(text: str, *, lang: str | None = None) -> str:
    """A label built by the analytics layer (``"woonbegeleider · WONEN · since 01-01-2008"``) as a person reads
    it: life-domain codes as their meaning, "since" in the app's language, the coach role by its one name."""
    from graph.model import CODE_LISTS

    lang = lang or language()
    parts = []
    for part in str(text).split(" · "):
        if part in CODE_LISTS["life_domain"].values:
            part = code_label("life_domain", part, lang=lang)
        elif part == "wijkcoach":
            part = t("term.coach", lang=lang)
        parts.append(_PERIOD.sub(lambda m: t("common.since", lang=lang, date=m.group(1)), part))
    return " · ".join(parts)


def col(name: Any, *, lang: str | None = None) -> str:
    """One column header: ``col.<name>`` from the catalogue, or the name as it is."""
    key = f"col.{name}"
    return t(key, lang=lang) if key in CATALOGUE else str(name)
