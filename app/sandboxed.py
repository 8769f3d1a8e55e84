"""A page of our own HTML (the eco-map) whose scripts run in an iframe sandboxed with ``allow-scripts`` only.

``st.iframe`` (and ``components.html``) give every frame Streamlit's fixed sandbox, ``allow-scripts`` together
with ``allow-same-origin`` (and popups, forms, downloads): a script in such a frame has the app's own origin, so
it could reach the app page (its DOM, the session cookie) or drop its own sandbox — the browser warns about
exactly this. The eco-map needs scripts (vis-network draws it and reacts to clicks) but nothing of the app.

So the page is nested: Streamlit's frame gets a fixed document without any script, holding one
``<iframe sandbox="allow-scripts">`` whose ``srcdoc`` is the page (escaped as an attribute value, so it cannot
end the attribute or add markup to the outer document). The map's scripts run in that inner frame, in an opaque
origin of their own: no access to the app page, its cookies or storage, nor to the outer frame; no navigation
of either, no popups, no forms. (A ``st.components.v2`` component could create the sandboxed frame without the
outer one, which would also silence the browser's warning about the outer frame, but it runs a script of ours in
the app page itself; the nested frame adds none there.)
"""

from __future__ import annotations

import html

import streamlit as st

__all__ = ["SANDBOX", "sandboxed_iframe", "sandboxed_page"]

#: The whole sandbox of the frame the scripts run in: scripts, but in an origin of their own.
SANDBOX = "allow-scripts"


def sandboxed_page(page: str, *, title: str) -> str:
    """The outer document: no script, one frame with sandbox :data:`SANDBOX` showing ``page``.

    >>> outer = sandboxed_page('<p title="a">x</p><script>1</script>', title="Map")
    >>> '<script' in outer.replace('&lt;script', '')
    False
    """
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;height:100%;'
            'overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}</style></head><body>'
            f'<iframe sandbox="{SANDBOX}" referrerpolicy="no-referrer" title="{html.escape(title, quote=True)}" '
            f'srcdoc="{html.escape(page, quote=True)}"></iframe></body></html>')


def sandboxed_iframe(page: str, *, title: str, height: int) -> None:
    """Show ``page`` (a whole HTML document) with its scripts in a frame sandboxed with ``allow-scripts`` only."""
    st.iframe(sandboxed_page(page, title=title), height=height, alt=title)
