"""Dutch singular and plural on the coach's and the data steward's pages: a count is never followed by a plural
noun when it is 1 ("1 afspraken", "1 rijen", "1 knopen") and no noun is hedged with "(n)"/"(s)". Every such text
has a singular sibling (``<key>_one``), and the app picks it with the one helper, :func:`app.i18n.plural`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.catalogue import CATALOGUE
from app.i18n import plural

APP = Path(__file__).resolve().parents[2] / "app"
#: the catalogue families of the coach's pages (household, overview, signals) and the data steward's (load data,
#: review duplicates)
PAGES = ("coach.", "ws.", "ecomap.", "brief.", "since.", "triage.", "ro.", "inbox.", "ingest.", "review.")
#: a count followed by a plural noun (an adjective between): {n} rijen, {n} open punten — not #{n} (a number)
_COUNTED = re.compile(r"(?<!#)\{(n|days|count|contacts|points|of|rows|unread)\} (?:[a-zë]+ )?([a-zë]+(?:en|s))\b")
#: words after a count that are the same for one: "1 ongelezen", "3 dagen geleden", "-1 sinds de intake" (no noun)
_SAME_FOR_ONE = {"ongelezen", "geleden", "sinds"}
#: counts that cannot be 1, by what they count: an overlap is two or more organisations; a referral is flagged
#: after the follow-up term (30 days); the upload limit is a setting in the thousands; the import history's length
#: is a constant (app/views/ingest.py HISTORY_ROWS, 20)
NEVER_ONE = {"coach.overlap_on", "brief.overlap", "coach.referrals", "brief.referral", "ingest.limits",
             "ingest.history_more"}


def _base(key: str) -> str:
    return re.sub(r"_(more|n)$", "", key)


def _counted_keys() -> list[str]:
    return sorted(k for k, (nl, _) in CATALOGUE.items()
                  if k.startswith(PAGES) and not k.endswith("_one") and k not in NEVER_ONE
                  and any(m.group(2) not in _SAME_FOR_ONE for m in _COUNTED.finditer(nl)))


def test_no_noun_is_hedged_with_a_plural_in_brackets() -> None:
    hedged = [k for k, (nl, en) in CATALOGUE.items() if k.startswith(PAGES)
              and (re.search(r"\w\(n\)", nl) or re.search(r"\w\(s\)", en))]
    assert hedged == []


@pytest.mark.parametrize("key", _counted_keys())
def test_a_counted_noun_has_a_singular(key: str) -> None:
    one = f"{_base(key)}_one"
    assert one in CATALOGUE, f"{key} ({CATALOGUE[key][0]!r}) has no singular {one}"


def test_each_singular_is_picked_by_the_app() -> None:
    """A singular no page asks for is a plural the page still says for 1."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(APP.rglob("*.py")) if p.name != "catalogue.py")
    unused = [k for k in CATALOGUE if k.startswith(PAGES) and k.endswith("_one") and f'"{k}"' not in source]
    assert unused == []


@pytest.mark.parametrize(("n", "nl", "en"), [
    (0, "0 dagen", "0 days"), (1, "1 dag", "1 day"), (2, "2 dagen", "2 days"), (1141, "1.141 dagen", "1,141 days")])
def test_plural_says_the_count_with_its_noun(n: int, nl: str, en: str) -> None:
    assert plural(n, "triage.days_one", "triage.days_more", lang="nl") == nl
    assert plural(n, "triage.days_one", "triage.days_more", lang="en") == en


@pytest.mark.parametrize(("missing", "unkeyed", "nl", "en"), [
    (1, 1, "1 ontbrekende rij is NIET beëindigd: 1 rij van dit bestand was niet ver genoeg te lezen om de sleutel "
     "te kennen; herstel die en laad opnieuw", "1 missing row was NOT ended: 1 row of this file could not be read "
     "far enough to know its key; fix it and import again"),
    (3, 1, "3 ontbrekende rijen zijn NIET beëindigd: 1 rij van dit bestand was niet ver genoeg te lezen om de "
     "sleutel te kennen; herstel die en laad opnieuw", "3 missing rows were NOT ended: 1 row of this file could "
     "not be read far enough to know its key; fix it and import again"),
    (1, 2, "1 ontbrekende rij is NIET beëindigd: 2 rijen van dit bestand waren niet ver genoeg te lezen om hun "
     "sleutel te kennen; herstel ze en laad opnieuw", "1 missing row was NOT ended: 2 rows of this file could not "
     "be read far enough to know their key; fix them and import again"),
])
def test_the_note_on_missing_rows_not_ended_counts_both_right(missing: int, unkeyed: int, nl: str, en: str) -> None:
    from app.i18n import say
    from ingest.ledger import not_ended_note

    note = not_ended_note(missing, unkeyed)
    assert (say(note, lang="nl"), say(note, lang="en"), str(note)) == (nl, en, en)
