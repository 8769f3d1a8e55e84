"""English in text the Dutch UI shows: common English words that no Dutch sentence of the app uses.

Shared by the unit tests of the sentences said below ``app/`` and the browser walk over every page
(``tests/browser/test_pages_i18n.py``). Words that are Dutch too (*is*, *of*, *in*, *over*, *been*) are left out, and so
are words a Dutch page shows as they are (*Enter* in "druk op Enter", the names of icons such as *error*).
"""

from __future__ import annotations

import re

__all__ = ["ENGLISH", "english_words"]

#: A common English word, whole and in any case.
ENGLISH = re.compile(
    r"(?<![\w-])(?:the|choose|not|period|and|must|unknown|before|after|between|which|cannot|your|you|with|should|"
    r"there|only|please|select|households?|nothing|already|seed|"
    r"organisations?|involvements?|memberships?)(?![\w-])",  # record kinds a page once wrote in English
    re.IGNORECASE)


def english_words(text: str) -> list[str]:
    """The English words in ``text``, in order (empty: the text reads as Dutch)."""
    return [m.group(0) for m in ENGLISH.finditer(text)]
