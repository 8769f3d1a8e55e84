"""Streamlit's and Plotly's own words in Dutch: the text the app's frame draws around our pages.

Every sentence of ours comes from the Dutch catalogue (:mod:`app.catalogue`), but the widgets draw a few words of
their own in English, with no option to change them: "Press Enter to submit form" under a form's text field,
"Choose an option" in an empty select, the data grid's toolbar ("Download as CSV", "Search", "Fullscreen"), the
sidebar's "Collapse sidebar", the charts' toolbar ("Download plot as a png", "Zoom", "Reset axes"). A walk
(``tests/browser/test_chrome_dutch.py``) reads them on every page.

- **Plotly** has a locale mechanism of its own: :data:`PLOTLY_CONFIG` hands every chart a Dutch locale (the
  toolbar's words, month names, decimal comma and thousands dot), no script of ours involved.
- **Streamlit** has none: :func:`speak_dutch` mounts one small fixed script (an ``st.components.v2`` component:
  it runs in the app page, nothing is loaded from elsewhere) that watches the page and replaces the known English
  chrome strings in text and in the ``title``, ``aria-label``, ``placeholder`` and ``data-title`` (a chart
  toolbar's tooltip) attributes by their Dutch
  words (:data:`WORDS`), exact whole strings only, so no text of ours or of the data is ever touched.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from app.i18n import language

__all__ = ["PLOTLY_CONFIG", "SENTENCES", "WORDS", "plotly_config", "speak_dutch"]

#: Streamlit's chrome strings (whole text of an element or attribute) and their Dutch words.
WORDS: dict[str, str] = {
    # selects and multiselects
    "Choose an option": "Kies een optie",
    "Choose options": "Kies opties",
    "Choose or add an option": "Kies of voeg een optie toe",
    "Choose or add options": "Kies of voeg opties toe",
    "Add an option": "Voeg een optie toe",
    "Add options": "Voeg opties toe",
    "No options to select": "Geen opties om te kiezen",
    "No results": "Geen resultaten",
    "No options": "Geen opties",
    "Clear value": "Waarde wissen",
    "Clear all": "Alles wissen",
    "Clear selection": "Selectie wissen",
    "Select all": "Alles kiezen",
    "Selected values": "Gekozen waarden",
    "Selectbox options": "Opties",
    "Multiselect options": "Opties",
    # number inputs
    "Increment": "Verhogen",
    "Decrement": "Verlagen",
    # the data grid's toolbar and column menu
    "Download as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Type to search": "Typ om te zoeken",
    "Close Search": "Zoeken sluiten",
    "Next Result": "Volgende resultaat",
    "Previous Result": "Vorige resultaat",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Show/hide columns": "Kolommen tonen of verbergen",
    "Sort ascending": "Oplopend sorteren",
    "Sort descending": "Aflopend sorteren",
    "Pin column": "Kolom vastzetten",
    "Unpin column": "Kolom losmaken",
    "Hide column": "Kolom verbergen",
    "Copy column name": "Kolomnaam kopiëren",
    "Dataframe column menu": "Kolommenu",
    "No data": "Geen gegevens",
    # the frame: sidebar, running indicator, menu, headings, dialogs
    "Skip to main content": "Naar de inhoud",  # the first Tab of every page
    "Collapse sidebar": "Zijbalk inklappen",
    "Expand sidebar": "Zijbalk uitklappen",
    "View more": "Meer tonen",
    "View less": "Minder tonen",
    "Running...": "Bezig…",
    "Stopping...": "Stoppen…",
    "Rerun": "Opnieuw uitvoeren",
    "Main menu": "Hoofdmenu",
    "Print": "Afdrukken",
    "Settings": "Instellingen",
    "Clear cache": "Cache wissen",
    "Connecting": "Verbinden",
    "Please wait...": "Even geduld…",
    "Link to heading": "Link naar deze kop",
    "Close": "Sluiten",
    "Copy to clipboard": "Kopiëren naar klembord",
    # a download whose file was not built (e.g. the session ended before the click: app.session.while_signed_in)
    "Failed to generate file for download": "Het bestand is niet gemaakt. Meld u opnieuw aan en probeer het nog eens.",
}

#: Chrome strings that carry a variable part: a pattern (JavaScript regular expression source) and its Dutch
#: replacement (``$1`` is the variable part). "Press Enter to submit form" is drawn below a form's text field.
SENTENCES: tuple[tuple[str, str], ...] = (
    (r"^Press (Enter|Ctrl\+Enter|⌘\+Enter) to submit form$", "Druk op $1 om het formulier te versturen"),
    (r"^Press (Enter|Ctrl\+Enter|⌘\+Enter) to apply$", "Druk op $1 om toe te passen"),
    (r"^Help for (.+)$", "Uitleg bij $1"),
    # what a select announces to a screen reader when it opens
    (r"^1 option available\.?$", "1 optie beschikbaar."),
    (r"^(\d+) options available\.?$", "$1 opties beschikbaar."),
    # a file the uploader refuses before sending it (a file too large for its limit)
    (r"^(?:Error: )?This type of files are not allowed\.$", "Dit soort bestand wordt hier niet aangenomen."),
    (r"^(?:Error: )?(.+) files are not allowed\.$", "Dit soort bestand ($1) wordt hier niet aangenomen."),
    (r"^(?:Error: )?File must be (.+) or smaller\.$", "Het bestand mag ten hoogste $1 zijn."),
    (r"^(?:Error: )?Only one file is allowed\.$", "Kies één bestand."),
    # an uploaded file's size under its name, "239.0B", "1.2KB" (Streamlit writes one decimal and the unit after it)
    (r"^(\d+)\.0B$", "$1 B"),
    (r"^(\d+)\.(\d)KB$", "$1,$2 kB"),
    (r"^(\d+)\.(\d)MB$", "$1,$2 MB"),
    (r"^(\d+)\.(\d)GB$", "$1,$2 GB"),
)

_JS = """
export default function ({ parentElement, data }) {
  const box = parentElement.closest('[data-testid="stElementContainer"]');
  if (box) { box.style.display = "none"; }
  const w = window;
  w.__wijknetWords = data.words;
  w.__wijknetSentences = data.sentences.map(([p, r]) => [new RegExp(p), r]);
  if (w.__wijknetDutch) { w.__wijknetDutch(document.body); return; }
  const ATTRS = ["title", "aria-label", "placeholder", "data-title"];
  const say = (s) => {
    if (!s || s.length > 80) { return null; }
    const k = s.trim();
    const word = w.__wijknetWords[k];
    if (word !== undefined) { return s.replace(k, word); }
    for (const [p, r] of w.__wijknetSentences) { if (p.test(k)) { return s.replace(k, k.replace(p, r)); } }
    return null;
  };
  const text = (n) => { const d = say(n.nodeValue); if (d !== null && d !== n.nodeValue) { n.nodeValue = d; } };
  const attrs = (e) => {
    for (const a of ATTRS) {
      const v = e.getAttribute(a);
      const d = v === null ? null : say(v);
      if (d !== null && d !== v) { e.setAttribute(a, d); }
    }
  };
  const fix = (root) => {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) { return; }
    attrs(root);
    const walk = document.createTreeWalker(root, 5);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) { if (n.nodeType === 3) { text(n); } else { attrs(n); } }
  };
  w.__wijknetDutch = fix;
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "childList") { c.addedNodes.forEach(fix); }
      else if (c.type === "characterData") { text(c.target); }
      else { attrs(c.target); }
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS });
  fix(document.body);
}
"""


@functools.cache
def _component() -> Any:
    return st.components.v2.component("wijknet_dutch", js=_JS, isolate_styles=False)


def speak_dutch() -> None:
    """Mount the script that puts Streamlit's own words in Dutch (once per page: a rerun keeps it mounted).

    Its box is hidden, so it takes no room on the page. Nothing in an English app (``WIJKNET_LANGUAGE=en``)."""
    if language() != "nl":
        return
    _component()(data={"words": WORDS, "sentences": [list(s) for s in SENTENCES]}, key="wijknet_dutch")


#: Plotly's own words in Dutch (its toolbar, month and day names) and Dutch numbers (decimal comma, thousands
#: dot), for every chart in the Dutch app (:func:`plotly_config`).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "locale": "nl",
    "locales": {"nl": {
        "dictionary": {
            "Autoscale": "Automatisch schalen",
            "Box Select": "Rechthoek selecteren",
            "Compare data on hover": "Gegevens vergelijken bij aanwijzen",
            "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
            "Download plot as a png": "Grafiek downloaden als PNG",
            "Download plot as a PNG": "Grafiek downloaden als PNG",
            "Download plot": "Grafiek downloaden",
            "Lasso Select": "Lasso-selectie",
            "Pan": "Verschuiven",
            "Produced with Plotly.js": "Gemaakt met Plotly.js",
            "Reset": "Herstellen",
            "Reset axes": "Assen herstellen",
            "Reset view": "Weergave herstellen",
            "Show closest data on hover": "Dichtstbijzijnde gegevens tonen bij aanwijzen",
            "Snapshot succeeded": "Afbeelding gemaakt",
            "Sorry, there was a problem downloading your snapshot!": "De afbeelding kon niet worden gedownload.",
            "Taking snapshot - this may take a few seconds": "Afbeelding maken, dit kan enkele seconden duren",
            "Toggle Spike Lines": "Hulplijnen aan of uit",
            "Zoom": "Zoomen",
            "Zoom in": "Inzoomen",
            "Zoom out": "Uitzoomen",
            "max:": "max.:",
            "mean:": "gemiddelde:",
            "median:": "mediaan:",
            "min:": "min.:",
            "trace": "reeks",
        },
        "format": {
            "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
            "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
            "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                       "oktober", "november", "december"],
            "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
            "date": "%d-%m-%Y",
            "decimal": ",",
            "thousands": ".",
            "year": "%Y",
            "month": "%b %Y",
            "dayMonth": "%-d %b",
            "dayMonthYear": "%-d %b %Y",
        },
    }},
}


def plotly_config() -> dict[str, Any]:
    """The ``config`` of every chart: ``st.plotly_chart(fig, config=plotly_config())`` — Plotly's Dutch locale in
    the Dutch app, Plotly's own English in the English one; no Plotly logo either way."""
    return PLOTLY_CONFIG if language() == "nl" else {"displaylogo": False}
