"""What a reader sees of a Markdown sentence whose values :func:`app.i18n.shown_text` wrote as written."""

from __future__ import annotations

import re


def as_read(md: str) -> str:
    """``md`` without the backslashes that keep its values' punctuation from being Markdown and without the
    invisible word joiners that keep an address from becoming a link.

    >>> as_read("Van: '31\\\\-02\\\\-2009' bestaat niet, zie http\\u2060\\\\:\\\\/\\\\/x")
    "Van: '31-02-2009' bestaat niet, zie http://x"
    """
    return re.sub(r"\\(.)", r"\1", md).replace("\u2060", "")
