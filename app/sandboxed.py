"""A page of our own HTML (the eco-map) in an iframe sandboxed with ``allow-scripts`` only.

``st.iframe`` (and ``components.html``) give every frame Streamlit's fixed sandbox, ``allow-scripts`` together
with ``allow-same-origin`` (and popups, forms, downloads): a script in such a frame has the app's own origin, so
it could reach the app page (its DOM, the session cookie) or drop its own sandbox — the browser warns about
exactly this. The eco-map needs scripts (vis-network draws and reacts to clicks) but nothing of the app, so it
is shown through a tiny ``st.components.v2`` component instead: a fixed script in the app page that makes one
``<iframe sandbox="allow-scripts">`` and hands it the page as ``srcdoc`` (a DOM property, never parsed as the
app's HTML). The map's scripts then run in an opaque origin: no access to the app page, its cookies or
storage, no top-level navigation, no popups, no forms.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

__all__ = ["SANDBOX", "sandboxed_iframe"]

#: The whole sandbox of the frame: scripts run, but in an origin of their own.
SANDBOX = "allow-scripts"

_JS = """
export default function ({ parentElement, data }) {
  let frame = parentElement.querySelector("iframe");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "__SANDBOX__");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.cssText = "border:0;width:100%;display:block;color-scheme:light";
    parentElement.appendChild(frame);
  }
  frame.title = data.title;
  frame.style.height = data.height + "px";
  if (frame.srcdoc !== data.page) {
    frame.srcdoc = data.page;
  }
}
""".replace("__SANDBOX__", SANDBOX)


@functools.cache
def _component() -> Any:
    return st.components.v2.component("wijknet_sandboxed_iframe", js=_JS)


def sandboxed_iframe(page: str, *, title: str, height: int, key: str) -> None:
    """Show ``page`` (a whole HTML document) in a frame with ``sandbox="allow-scripts"`` only."""
    _component()(data={"page": page, "title": title, "height": int(height)}, key=key)
