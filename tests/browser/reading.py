"""What a person reads on a page, and what must never be among it on the Dutch app: stored code values that are
identifiers, role, purpose and audit action identifiers, relationship types, record kinds and an import's row keys
(``organisation:ORG-1``), None/NaN, English sentences
(:mod:`tests.english`) and a shown exception.

Used by the walk over every page (``test_pages_i18n.py``) and, through the ``page`` fixture
(``tests/browser/conftest.py``), at every screenshot a browser test takes: the states a person reaches by acting
(a file loaded, a signal taken, a fact recorded) are read as the pages at rest are.
"""

from __future__ import annotations

import re
from typing import Any

from app.chrome_nl import PLOTLY_CONFIG, SENTENCES, WORDS
from graph.model import CODE_LISTS, LOAD_KINDS, REL_TYPES
from queries.access import PURPOSES, ROLE_PURPOSES, WRITE_ACTIONS, Role
from tests.english import ENGLISH

__all__ = ["IDS", "RAW", "READ_ACTIONS", "cut_off_buttons", "cut_off_fields", "english_chrome", "unreadable",
           "visible_text"]

READ_ACTIONS = ("view_household", "view_caseload", "view_caseload_per_coach", "view_overlap", "view_overlap_trend",
                "view_coach_effect", "view_collaboration", "view_handovers", "view_audit_log", "view_users",
                "audit_who_saw", "audit_review", "download_brief", "list_organisations", "open_page",
                "unauthenticated_request", "review_list", "ingest_page", "review_page", "view_imports", "mapping_find",
                "view_review_persons", "count_notices")


def _raw_identifiers() -> re.Pattern[str]:
    """Stored code values that are identifiers (upper case or with an underscore), role, purpose and audit action
    identifiers, relationship types, record kinds with an underscore, None/NaN, and an import's row keys."""
    words: set[str] = set()
    for codes in CODE_LISTS.values():
        for code in codes.codes:
            v = str(code.value)
            if "_" in v or (v.isupper() and len(v) > 2):
                words.add(v)
    words |= {r.value for r in Role if "_" in r.value or r.value == "policymaker"}
    words |= {p for p in [*PURPOSES, *ROLE_PURPOSES.values()] if "_" in p}
    words |= {a for a in [*WRITE_ACTIONS, *READ_ACTIONS] if "_" in a}
    words |= {t for t in REL_TYPES if "_" in t}  # a merge summary named them (HAS_MEMBER)
    words |= {k for k in LOAD_KINDS if "_" in k}  # record kinds (client_system)
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    # a row key of an import (organisation:ORG-1): the record kind before a colon and a value
    row_keys = "|".join(sorted(LOAD_KINDS, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives}|None|NaN|nan|NaT|<NA>)(?![\w-])|(?<![\w-])(?:{row_keys}):(?=\S)")


#: Raw identifiers: code values, roles, purposes, audit actions, relationship types, record kinds and row keys,
#: None/NaN.
RAW = _raw_identifiers()
#: Internal organisation and professional ids (a page at rest shows names; a loaded file's own ids are its data).
IDS = re.compile(r"\b(?:ORG|PRO)-[A-Z0-9][\w-]*")


def visible_text(pg: Any) -> str:
    """What the page shows: the body's text, the tables' cells (the data grids draw on a canvas and keep their
    cells in an accessible table) and the hover-free text of the charts."""
    return str(pg.evaluate("""() => {
        const parts = [document.body.innerText];
        document.querySelectorAll('[data-testid="stDataFrame"] table th, [data-testid="stDataFrame"] table td, '
                                  + '.js-plotly-plot .main-svg text').forEach(e => parts.push(e.textContent));
        return parts.join('\\n');
    }"""))


def unreadable(pg: Any, *, ids: bool = False) -> list[str]:
    """What the page shows that a person should not read (sorted; empty: it reads as it should). ``ids``: also
    internal organisation and professional ids."""
    text = visible_text(pg)
    english = {"English: " + " ".join(text[max(0, m.start() - 40):m.end() + 40].split()) for m in ENGLISH.finditer(text)}
    hits = {m.group(0) for m in RAW.finditer(text)} | english
    if ids:
        hits |= {m.group(0) for m in IDS.finditer(text)}
    if pg.locator('[data-testid="stException"]').count():
        hits.add("an exception is shown")
    hits |= {f"cut off: {label}" for label in cut_off_buttons(pg)}
    hits |= {f"English chrome: {words}" for words in english_chrome(pg)}
    return sorted(hits)


#: The English words Streamlit and Plotly draw around our pages (:mod:`app.chrome_nl`), as the whole text of an
#: element or of a ``title``, ``aria-label``, ``placeholder`` or ``data-title`` attribute.
_CHROME_WORDS = sorted({*WORDS, *PLOTLY_CONFIG["locales"]["nl"]["dictionary"]} - {"trace", "max:", "min:"})
_CHROME_SENTENCES = [pattern for pattern, _ in SENTENCES]


def english_chrome(pg: Any) -> list[str]:
    """Streamlit's and Plotly's own English words on the page (sorted, once each; empty: they read Dutch)."""
    found = pg.evaluate("""([words, sentences]) => {
        const known = new Set(words), patterns = sentences.map(p => new RegExp(p)), hits = new Set();
        const check = (s) => {
            const k = (s || "").trim();
            if (k && (known.has(k) || patterns.some(p => p.test(k)))) { hits.add(k); }
        };
        const walk = document.createTreeWalker(document.body, 5);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (n.nodeType === 3) { check(n.nodeValue); continue; }
            for (const a of ["title", "aria-label", "placeholder", "data-title"]) { check(n.getAttribute(a)); }
        }
        return Array.from(hits);
    }""", [_CHROME_WORDS, _CHROME_SENTENCES])
    return sorted(found)


def cut_off_buttons(pg: Any) -> list[str]:
    """The labels of buttons drawn cut off (a review saw "Open HH-LDH-0…" on every caseload card): a label's text
    is wider than the room the button gives it."""
    return list(pg.evaluate("""() => Array.from(document.querySelectorAll('button [data-testid="stMarkdownContainer"]'))
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""))


def cut_off_fields(pg: Any) -> list[str]:
    """The values of fields drawn cut off (a walk saw "Gedeelde huishouder" in the collaboration page's *Band*
    field, five filters sharing one row alike): a select's or text field's value is wider than its box."""
    return list(pg.evaluate("""() => Array.from(document.querySelectorAll(
            '[data-testid="stSelectbox"] input, [data-testid="stTextInput"] input'))
        .filter(e => e.offsetParent !== null && e.value && e.scrollWidth > e.clientWidth + 1).map(e => e.value)"""))


def scrolling_tables(pg: Any) -> list[dict[str, Any]]:
    """The grids whose columns do not all fit their width (a horizontal scroll bar hides the last ones): their
    drawn width, the width of their columns and their headings. A walk on 8,000 households saw the clusters of
    professionals and the organisation pairs at 1024 px, the referral follow-up at 1280 px."""
    return list(pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].flatMap(d => {
        const s = d.querySelector('.dvn-scroller');
        if (!s || s.scrollWidth <= s.clientWidth + 1) return [];
        return [{shown: s.clientWidth, columns: s.scrollWidth,
                 headings: [...d.querySelectorAll('th, [role=columnheader]')].map(e => e.textContent)}];
    })"""))
