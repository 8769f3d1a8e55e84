"""A value in a Markdown string reads as written (``app.i18n.literal_md``), rendered as CommonMark renders it."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt

from app.i18n import literal_md


@pytest.mark.parametrize("text", [
    "Moeder belt **elke** week_dag", "[hier](https://voorbeeld.nl)", "https://voorbeeld.nl", "$5$ en 10 %",
    ":red[rood] :material/warning:", "# 1", "- niet een lijst", "1. niet genummerd", "`code` ~~weg~~",
    "Jan \\ de Vries", "<b>vet</b> & 'n \"quote\" 😀", "Heuvel-Oosterhuis (1996)", "a|b|c", "!",
])
def test_a_value_renders_as_written(text: str) -> None:
    rendered = MarkdownIt("commonmark").enable("strikethrough").render(f"Afspraak: {literal_md(text)}")
    assert rendered == f"<p>Afspraak: {html.escape(text, quote=True).replace('&#x27;', chr(39))}</p>\n"
