"""The coach page's SVG timeline: what is drawn for a tiny household (parsed as XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from app.timeline import Bar, Gap, Mark, timeline_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def test_bars_markers_gaps_and_legend() -> None:
    bars = [Bar("Anna (parent)", date(2008, 1, 1), date(2009, 1, 1), "#1f77b4", "Tactus", "Tactus · hover", "Zorg"),
            Bar("Anna (parent)", date(2009, 2, 1), None, "#1f77b4", "Mediant", "Mediant <&> hover", "Zorg"),
            Bar("whole household", date(2008, 6, 1), date(2008, 9, 1), "#ff7f0e", "Woonbron", "w", "Wonen")]
    marks = [Mark("Anna (parent)", date(2009, 2, 1), False, "handover Tactus → Mediant"),
             Mark("Anna (parent)", date(2010, 2, 1), True, "Ping-pong")]
    gaps = [Gap("Anna (parent)", date(2009, 1, 2), date(2009, 1, 31), "Gap in Zorg: 30 days")]
    svg = timeline_svg(["Anna (parent)", "Ben (child)", "whole household"], bars, marks, gaps, date(2009, 6, 1),
                       date(2011, 1, 1), {"Zorg": "#1f77b4", "Wonen": "#ff7f0e"})
    root = ET.fromstring(svg)  # well-formed, hover text escaped
    assert len(root.findall(".//s:rect[@class='bar']", NS)) == 3
    assert len(root.findall(".//s:path[@class='handover']", NS)) == 1
    assert len(root.findall(".//s:g[@class='ping-pong']", NS)) == 1
    assert len(root.findall(".//s:line[@class='gap']", NS)) == 1
    assert len(root.findall(".//s:line[@class='as-of']", NS)) == 1
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "Mediant <&> hover" in titles and "Peildatum 01-06-2009" in titles
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Anna (parent)", "Ben (child)", "whole household", "2008", "2010"} <= set(texts)
    legend = [e.text for e in root.iter("span") if e.get("class") == "wijknet-timeline-legend"]
    assert legend == ["Zorg", "Wonen", "overdracht", "pingpong (A→B→A)", "gat (niemand betrokken)"]


def _parts(root: ET.Element) -> tuple[ET.Element, ET.Element, ET.Element]:
    """The names' SVG, the box that scrolls, and the time axis' SVG in it."""
    names = root.find(".//s:svg[@class='wijknet-timeline-labels']", NS)
    scroll = root.find(".//div[@class='wijknet-timeline-scroll']")
    assert names is not None and scroll is not None
    axis = scroll.find("s:svg[@class='wijknet-timeline']", NS)
    assert axis is not None
    return names, scroll, axis


def test_the_names_stay_put_and_the_time_axis_scrolls_opened_at_the_present() -> None:
    """At 1024 pixels (a 564 px column) the timeline showed 2004 to about 2014 and hid the peildatum and every
    current bar beyond the right edge; scrolled there, the names were gone. The names and life domains are an SVG
    of their own beside the box that scrolls; the box opens at its right end (direction: rtl), where the
    peildatum and the open bars are."""
    bars = [Bar("Anna", date(2004, 1, 1), date(2006, 1, 1), "#111", "Tactus", "t", "zorg", lane="zorg"),
            Bar("Anna", date(2011, 1, 1), None, "#222", "Wijkcoaches", "w", "wonen", lane="wonen")]
    root = ET.fromstring(timeline_svg(["Anna"], bars, [], [], date(2026, 12, 6), date(2027, 1, 5),
                                      {"zorg": "#111", "wonen": "#222"}))
    names, scroll, axis = _parts(root)
    assert [t.text for t in names.iter("{http://www.w3.org/2000/svg}text")] == ["Anna", "zorg", "wonen"]
    assert all((t.text or "").isdigit() for t in axis.iter("{http://www.w3.org/2000/svg}text")
               if t.get("fill") != "#fff")  # only years and the bars' own texts beside the names
    assert "direction: rtl" in (scroll.get("style") or "") and "overflow-x: auto" in (scroll.get("style") or "")
    assert "direction: ltr" in (axis.get("style") or "")
    width = float(axis.get("width") or 0)
    as_of = axis.find("s:line[@class='as-of']", NS)
    assert as_of is not None and 0.9 * width < float(as_of.get("x1") or 0) <= width  # at the right end
    # drawn at one unit per pixel: its 12-unit texts are 12 px at any window width
    assert (axis.get("viewBox") or "").split()[2] == axis.get("width")
    assert (names.get("viewBox") or "").split()[3] == names.get("height") == axis.get("height")


def test_bars_keep_their_order_in_time() -> None:
    early = Bar("r", date(2005, 1, 1), date(2006, 1, 1), "#000", "A", "a", "x")
    late = Bar("r", date(2010, 1, 1), None, "#000", "B", "b", "x")
    root = ET.fromstring(timeline_svg(["r"], [late, early], [], [], date(2011, 1, 1), date(2011, 2, 1), {"x": "#000"}))
    rects = root.findall(".//s:rect[@class='bar']", NS)
    x_late, x_early = (float(r.get("x") or 0) for r in rects)
    assert x_early < x_late  # earlier starts further left
    w_late = float(rects[0].get("width") or 0)
    assert x_late + w_late <= float(_parts(root)[2].get("width") or 0)  # an open bar ends inside the picture


def _ys(root: ET.Element) -> list[float]:
    return [float(r.get("y") or 0) for r in root.findall(".//s:rect[@class='bar']", NS)]


def test_each_member_gets_a_line_per_life_domain_and_overlapping_bars_never_cover_each_other() -> None:
    bars = [Bar("Anna", date(2008, 1, 1), date(2009, 1, 1), "#111", "Tactus", "t", "zorg", lane="zorg", key="I1"),
            Bar("Anna", date(2008, 6, 1), None, "#111", "Mediant", "m", "zorg", lane="zorg", key="I2"),
            Bar("Anna", date(2009, 6, 1), None, "#111", "SMD", "s", "zorg", lane="zorg", key="I3"),
            Bar("Anna", date(2008, 1, 1), None, "#222", "Domijn", "d", "wonen", lane="wonen", key="I4")]
    marks = [Mark("Anna", date(2009, 6, 1), False, "handover Tactus → SMD", key="I3")]
    root = ET.fromstring(timeline_svg(["Anna", "Ben"], bars, marks, [], date(2010, 1, 1), date(2011, 1, 1),
                                      {"zorg": "#111", "wonen": "#222"}))
    y1, y2, y3, y4 = _ys(root)
    assert y1 != y2            # Tactus and Mediant overlap in time: two lines
    assert y3 == y1            # SMD starts after Tactus ended: Tactus' line
    assert y4 not in (y1, y2)  # another life domain: its own line
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count("Anna") == 1 and "Ben" in texts and {"zorg", "wonen"} <= set(texts)
    handover = root.find(".//s:path[@class='handover']", NS)
    assert handover is not None
    mark_y = float((handover.get("d") or "").split(",")[1].split()[0]) + 6  # the path's centre line
    assert y3 < mark_y < y3 + 30
    height = float((_parts(root)[2].get("viewBox") or "").split()[3])
    assert height > 4 * 30  # four lines (zorg ×2, wonen, Ben)


def test_names_and_life_domains_never_share_a_line_and_markers_do_not_cover_bar_text() -> None:
    """A review saw "Monique Hofman (alleenst" drawn over "gezondheid en welzijn", "inkomen, financiën, sc" cut
    without a sign, and a handover arrow over the "W" of "Wijkcoaches"."""
    name = "Monique Hofman (alleenstaande ouder)"
    bars = [Bar(name, date(2008, 1, 1), date(2009, 1, 1), "#111", "Mediant", "m", "g", lane="gezondheid en welzijn",
                key="I1"),
            Bar(name, date(2009, 1, 1), None, "#111", "Wijkcoaches Velve-Lindenhof", "w", "g",
                lane="gezondheid en welzijn", key="I2"),
            Bar(name, date(2008, 1, 1), None, "#222", "Stadsbank", "s", "i",
                lane="inkomen, financiën, schulden en nog veel meer", key="I3")]
    marks = [Mark(name, date(2009, 1, 1), False, "overdracht Mediant → Wijkcoaches", key="I2")]
    root = ET.fromstring(timeline_svg([name], bars, marks, [], date(2010, 1, 1), date(2011, 1, 1),
                                      {"g": "#111", "i": "#222"}))
    texts = {t.text: t for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert name in texts  # the whole name, on a line of its own
    lanes = [t for t in texts.values() if t.get("fill") == "#666"]
    assert {t.text for t in lanes} == {"gezondheid en welzijn", next(x for x in texts if x and x.startswith("inkomen"))}
    assert all(t.text and (t.text.endswith("…") or len(t.text) <= 32) for t in lanes)  # cut with a sign
    name_y = float(texts[name].get("y") or 0)
    assert all(abs(float(t.get("y") or 0) - name_y) >= 15 for t in lanes)
    handover = root.find(".//s:path[@class='handover']", NS)
    assert handover is not None
    tip = float((handover.get("d") or "").split(" L")[1].split(",")[0])  # the arrow's right point
    label = next(t for x, t in texts.items() if x and x.startswith("Wijkcoaches"))
    assert float(label.get("x") or 0) > tip  # the bar's text starts after the arrow


def test_a_handover_dated_a_little_after_a_bar_starts_does_not_cover_its_text_either() -> None:
    """The walk saw "▶ijkcoaches…": the handover was dated some weeks after the bar began, so the arrow sat a
    few pixels into the bar, over its first letter; a marker further in cut the text before it instead."""
    row = "Frank (vader)"
    bars = [Bar(row, date(2006, 3, 1), None, "#111", "Wijkcoaches Velve-Lindenhof", "w", "g", key="I1"),
            Bar(row, date(2004, 1, 1), date(2005, 6, 1), "#111", "Tactus verslavingszorg Enschede", "t", "g",
                lane="zorg", key="I2")]
    for days_in in (0, 20, 40, 70):
        at = date.fromordinal(date(2006, 3, 1).toordinal() + days_in)
        late = Mark(row, date(2005, 3, 1), False, "overdracht in de balk", key="I2")
        root = ET.fromstring(timeline_svg([row], bars, [Mark(row, at, False, "overdracht", key="I1"), late], [],
                                          date(2010, 1, 1), date(2011, 1, 1), {"g": "#111"}))
        arrows = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "handover"]
        texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("fill") == "#fff"]
        for t in texts:  # from its x to x + 6.5 px per letter, an estimate at 12 px
            x0 = float(t.get("x") or 0)
            x1 = x0 + 6.5 * len(t.text or "")
            y = float(t.get("y") or 0)
            for a in arrows:
                d = a.get("d") or ""
                xs = [float(p.split(",")[0].lstrip("ML ")) for p in d.replace(" Z", "").split(" ")]
                ys = [float(p.split(",")[1]) for p in d.replace(" Z", "").split(" ")]
                if min(ys) - 2 <= y - 4 <= max(ys) + 2:  # on the same line
                    assert max(xs) < x0 or min(xs) > x1, (days_in, t.text, d)


def test_years_without_a_change_are_drawn_narrow_and_said_so() -> None:
    """The demo's households changed last in 2012 and the page opens on today: 2013–2026 took three fifths of the
    axis, empty, and pushed every change into its left part. A stretch of more than five years without a start,
    an end or a handover is drawn 36 px wide with a break sign; the years beside it keep their room."""
    bars = [Bar("Anna", date(2004, 1, 1), date(2008, 1, 1), "#111", "Tactus", "t", "zorg", lane="zorg"),
            Bar("Anna", date(2008, 1, 1), date(2012, 6, 1), "#222", "SMD", "s", "zorg", lane="zorg"),
            Bar("Anna", date(2011, 1, 1), None, "#333", "Wijkcoaches", "w", "wonen", lane="wonen")]
    root = ET.fromstring(timeline_svg(["Anna"], bars, [], [], date(2026, 12, 6), date(2027, 1, 5), {"zorg": "#111"}))
    axis = _parts(root)[2]
    quiet = axis.findall("s:g[@class='quiet']", NS)
    assert len(quiet) == 1
    band = quiet[0].find("s:rect", NS)
    assert band is not None and float(band.get("width") or 0) == 36
    title = quiet[0].find("s:title", NS)
    assert title is not None and (title.text or "").startswith("14 jaar zonder wijzigingen")
    years = {t.text: float(t.get("x") or 0) for t in axis.iter("{http://www.w3.org/2000/svg}text")}
    assert {"2004", "2008", "2012", "2026"} <= set(years) and "2020" not in years
    assert years["2012"] - years["2004"] > 0.6 * float(axis.get("width") or 0)  # the changes have the room
    # nothing is narrowed where changes follow each other within five years (2004 to 2008 here)
    busy = ET.fromstring(timeline_svg(["Anna"], bars[:2], [], [], date(2012, 6, 1), date(2012, 7, 1), {"zorg": "#111"}))
    assert _parts(busy)[2].findall("s:g[@class='quiet']", NS) == []
