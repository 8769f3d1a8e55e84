"""The eco-map on the household page as a two-way component: a click on a person in the map reaches the server.

The map (:func:`app.ecomap.ecomap_html`) keeps running in a frame sandboxed with ``allow-scripts`` only, in an
opaque origin of its own (see :mod:`app.sandboxed` for why); what is new is who creates that frame. Here it is a
small fixed script of ours, an ``st.components.v2`` component (like the session cookie's writer in
:mod:`app.session`: it runs in the app page, no frame with the app's origin and scripts is added), that

1. creates the ``<iframe sandbox="allow-scripts">`` and gives it the page as ``srcdoc`` (a DOM property, so the
   page cannot add markup to the app page), and gives it a new page only when the page changed, so a rerun
   for another reason (a form field, a write) keeps the map's zoom, search and open details;
2. listens for one kind of message, and only from that frame (``event.source``): ``{wijknet: "ecomap",
   action: "change", node}`` when the coach clicks a person of the client system or an informal supporter, and
   ``{…, action: "add"}`` from the map's "Aan de kaart toevoegen" button. A node that is not one of the map's
   pickable people (:func:`pickable`) is ignored, so the frame cannot name anything the page did not give it;
3. hands it to the server as a *trigger value* ``pick`` (one rerun only, so clicking the same person twice
   opens the form twice).

The frame also tells how tall its page is (``action: "height"``, a number only): the frame is made that tall
(by one listener for the whole app page, kept when an instance is cleaned up), so the legend under the map is
never cut off when a narrow window wraps it onto more lines. The map's frame
only posts to its parent; it never receives data from it, and what it posts is a node id the
server drew itself. :func:`show` returns the :class:`Pick` of this run, or ``None``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import networkx as nx
import streamlit as st

from app.sandboxed import SANDBOX

__all__ = ["PICKABLE_KINDS", "Pick", "pick_from", "pickable", "show"]

#: The node kinds a click opens a form for: the people of the client system outside the household.
PICKABLE_KINDS = ("client_system", "informal")


@dataclass(frozen=True)
class Pick:
    """What the coach chose in the map: ``action`` ``"change"`` (with the person's id) or ``"add"``."""

    action: str
    person_id: str = ""


def pickable(g: nx.Graph) -> list[str]:
    """The node ids of ``g`` a click opens a change form for (sorted).

    >>> g = nx.Graph(); g.add_node("P:a", kind="member"); g.add_node("P:b", kind="client_system")
    >>> g.add_node("P:c", kind="informal"); g.add_node("PR:x", kind="professional")
    >>> pickable(g)
    ['P:b', 'P:c']
    """
    return sorted(n for n, d in g.nodes(data=True) if d.get("kind") in PICKABLE_KINDS)


def pick_from(value: Any, allowed: list[str]) -> Pick | None:
    """The :class:`Pick` a trigger value stands for, or ``None`` for anything else (checked again here: the
    value comes from the browser).

    >>> pick_from({"action": "change", "node": "P:b"}, ["P:b"])
    Pick(action='change', person_id='b')
    >>> pick_from({"action": "change", "node": "PR:x"}, ["P:b"]) is None
    True
    >>> pick_from({"action": "add"}, [])
    Pick(action='add', person_id='')
    """
    if not isinstance(value, dict):
        return None
    if value.get("action") == "add":
        return Pick("add")
    node = value.get("node")
    if value.get("action") == "change" and isinstance(node, str) and node in allowed and node.startswith("P:"):
        return Pick("change", node.removeprefix("P:"))
    return None


_JS = """
export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let s = parentElement.__wijknetMap;
  if (s && !parentElement.contains(s.frame)) {  // the host was emptied meanwhile: start again
    window.removeEventListener("message", s.listener);
    s = null;
  }
  if (!window.__wijknetMapHeights) {
    // The map's page as tall as it is, its legend never cut off: one listener for the app page, never removed,
    // and a height reaches whichever map frame sent it. Streamlit runs the cleanup an instance returns at once
    // when the instance's data changed again before its script returned (a cancelled effect, BidiComponent), and
    // that cleanup removed the listener of the state the next instance had already taken over; on a loaded CI
    // machine the 60-node map kept its first height at 1024 pixels, its legend cut off, with its page drawn.
    window.__wijknetMapHeights = true;
    window.addEventListener("message", function (event) {
      const m = event.data;
      if (!m || m.wijknet !== "ecomap" || m.action !== "height") { return; }
      for (const f of document.querySelectorAll("iframe[data-wijknet-map]")) {
        if (f.contentWindow !== event.source) { continue; }
        const h = Math.round(Number(m.height));
        f.dataset.told = String(h);  // the last height heard, and when (the tests say it when a legend is cut off)
        f.dataset.toldAt = String(Math.round(performance.now()));
        if (h >= 100 && h <= 5000) { f.dataset.fitted = String(h); f.height = String(h); }
      }
    });
  }
  if (!s) {
    const frame = document.createElement("iframe");
    frame.setAttribute("data-wijknet-map", "");
    frame.setAttribute("sandbox", "__SANDBOX__");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.cssText = "border:0;width:100%;display:block";
    parentElement.appendChild(frame);
    s = parentElement.__wijknetMap = { frame: frame, page: null, allowed: [], editable: false, send: null };
    s.listener = function (event) {
      if (event.source !== frame.contentWindow) { return; }
      const m = event.data;
      if (!m || m.wijknet !== "ecomap") { return; }
      if (m.action === "height") { return; }  // the app page's one listener (above) fits the frame
      if (m.action === "loaded" || m.action === "drawn") {  // for the page's own timing (bench_browser)
        frame.dataset.doc = String(m.doc);
        frame.dataset.nodes = String(m.nodes);
        if (m.action === "drawn") { frame.dataset.drawn = "1"; }
        return;
      }
      if (!s.editable) { return; }
      if (m.action === "add") {
        s.send("pick", { action: "add" });
      } else if (m.action === "change" && typeof m.node === "string" && s.allowed.indexOf(m.node) >= 0) {
        s.send("pick", { action: "change", node: m.node });
      }
    };
    window.addEventListener("message", s.listener);
  }
  s.send = setTriggerValue;
  s.allowed = data.pickable || [];
  s.editable = !!data.editable;
  s.frame.title = data.title;
  s.frame.height = s.frame.dataset.fitted || String(data.height);  // the page's own height once it told it
  if (s.page !== data.page) {
    // The new page keeps the frame's fitted height until it tells its own: resetting it to the default made
    // everything below the map jump twice after each save (a click landing then hit another element).
    s.page = data.page;
    delete s.frame.dataset.drawn;
    delete s.frame.dataset.doc;
    s.frame.srcdoc = data.page;
  }
  return function () {
    window.removeEventListener("message", s.listener);
    s.frame.remove();
    delete parentElement.__wijknetMap;
  };
}
""".replace("__SANDBOX__", SANDBOX)


@functools.cache
def _component() -> Any:
    return st.components.v2.component("wijknet_ecomap", js=_JS, isolate_styles=False)


def show(page: str, *, title: str, height: int, pickable_nodes: list[str], editable: bool,
         key: str = "wijknet_ecomap") -> Pick | None:
    """Show the eco-map ``page`` in its sandboxed frame; the coach's pick in the map during this run, if any.

    ``editable``: the map's clicks reach the server (a coach with the workspace); otherwise the map is only
    shown, as before."""
    result = _component()(data={"page": page, "title": title, "height": height,
                                "pickable": pickable_nodes if editable else [], "editable": editable},
                          # the element as tall as the frame (``height`` is the frame's first height): a fixed
                          # box of ``height`` hid the legend's last lines where it wraps (1024 pixels)
                          key=key, height="content", on_pick_change=lambda: None)
    return pick_from(getattr(result, "pick", None), pickable_nodes) if editable else None
