"""BSN normalisation, the 11-proef and keyed pseudonyms: the only place a clear BSN is handled.

The one normalisation rule (applied *only* to a column the mapping types as ``bsn``):

1. strip spaces, dots and dashes (``1234.56.782``, ``123 456 782`` and ``123-456-782`` are the same);
2. a value of exactly 8 digits gets one leading zero (a spreadsheet dropped it: ``12345672`` → ``012345672``);
3. the result must be 9 digits, must not be ``000000000`` and must pass the 11-proef.

A valid BSN is then replaced by an HMAC-SHA256 under a secret key kept in ``WIJKNET_SECRET_FILE`` (outside the
database and the repository; created on first use with mode 0600). A plain hash would not do: there are only
10⁹ nine-digit numbers, so anyone could hash them all. Person ids are ``'P-'`` + the first 16 hex characters.
Nothing here logs or raises with the clear value; messages carry :func:`mask` output only.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import lru_cache
from pathlib import Path

from graph.files import create_secret_file
from graph.said import message_of, said

__all__ = [
    "BsnProblem",
    "Pseudonymiser",
    "bsn_problem",
    "elfproef",
    "load_or_create_key",
    "mask",
    "normalise_bsn",
]

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_SEPARATORS = str.maketrans("", "", " .-\u00a0")
ID_HEX = 16


class BsnProblem(ValueError):
    """A BSN cell that cannot be used; ``str()`` is a reason without the value."""


def mask(value: object) -> str:
    """Mask an identifier for reports and logs: keep only the last four characters.

    >>> mask("123456789"), mask("1234.56.782"), mask("12")
    ('*****6789', '*******6782', '**')
    """
    text = "" if value is None else str(value)
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN 11-proef (weights 9..2 and -1, sum divisible by 11).

    >>> elfproef("111222333"), elfproef("123456789")
    (True, False)
    """
    return len(digits) == 9 and digits.isdigit() and sum(
        int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def normalise_bsn(raw: object) -> str:
    """Apply the documented rule and return nine valid digits; raise :class:`BsnProblem` otherwise.

    >>> normalise_bsn("1234.56.782"), normalise_bsn(12345672)
    ('123456782', '012345672')
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _normalise(("" if raw is None else str(raw)).strip())


@lru_cache(maxsize=65536)  # exports repeat a person on many rows; the cache lives only in this process
def _normalise(text: str) -> str:
    text = text.translate(_SEPARATORS)
    if not text:
        raise BsnProblem(said("said.bsn.empty", "empty BSN"))
    if not text.isdigit():
        raise BsnProblem(said("said.bsn.characters", "BSN contains characters other than digits, spaces, dots or dashes"))
    if len(text) == 8:
        text = "0" + text
    if len(text) != 9:
        raise BsnProblem(said("said.bsn.length", "BSN has {n} digits, not 9", n=len(text)))
    if text == "000000000":
        raise BsnProblem(said("said.bsn.zeros", "BSN of nine zeros is not a real number"))
    if not elfproef(text):
        raise BsnProblem(said("said.bsn.elfproef", "BSN fails the 11-proef"))
    return text


def bsn_problem(raw: object) -> str | None:
    """The reason ``raw`` is not a usable BSN, or ``None`` when it is."""
    try:
        normalise_bsn(raw)
    except BsnProblem as exc:
        return message_of(exc)
    return None


def load_or_create_key(path: Path) -> bytes:
    """Read the HMAC key from ``path``; create it (32 random bytes, hex, mode 0600) when it does not exist."""
    path = Path(path).expanduser()
    create_secret_file(path)
    text = path.read_text().strip()
    if len(text) < 32:
        raise ValueError(f"the pseudonym key in {path} is too short; delete it only if no data was loaded with it")
    return text.encode()


class Pseudonymiser:
    """Keyed pseudonyms for persons, households and match keys (one key per installation)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._lock = threading.Lock()
        # exports repeat a person on many rows; like _normalise's, this cache lives only in this process
        self._from_digits = lru_cache(maxsize=65536)(self._person_from_digits)

    def __reduce__(self) -> tuple[type[Pseudonymiser], tuple[bytes]]:
        # Sent to ingest's worker processes through a pipe (never written anywhere): the key, not the lock.
        return Pseudonymiser, (self._key,)

    @classmethod
    def from_file(cls, path: Path) -> Pseudonymiser:
        return cls(load_or_create_key(path))

    def _digest(self, domain: str, value: str) -> str:
        # A domain prefix keeps a BSN pseudonym from ever equalling an address or source-id pseudonym.
        return hmac.new(self._key, f"{domain}\x1f{value}".encode(), hashlib.sha256).hexdigest()

    def person_from_bsn(self, raw: object) -> str:
        """Person id for a BSN cell (normalised and checked first; raises :class:`BsnProblem`)."""
        return self._from_digits(normalise_bsn(raw))

    def _person_from_digits(self, digits: str) -> str:
        return "P-" + self._digest("bsn", digits)[:ID_HEX]

    def person_from_source_id(self, source: str, source_id: str) -> str:
        """Person id for a person known only by a source system's own id: never merged across sources."""
        return "P-" + self._digest(f"src:{source}", source_id.strip())[:ID_HEX]

    def household(self, address_key: str) -> str:
        """Household id for a normalised address key (one household per address)."""
        return "H-" + self._digest("addr", address_key)[:ID_HEX]

    def erased(self, node_id: str) -> str:
        """Keyed digest of an erased person's or household's id, the only form the erasure register keeps."""
        return self._digest("erased", node_id)

    def erased_address(self, address_key: str) -> str:
        """Keyed digest of an erased household's normalised address key (a later export may name it by address)."""
        return self.erased(f"address:{address_key}")

    def match_key(self, name: str, birth_date: str) -> str:
        """Keyed hash of normalised name + birth date, for the possible-duplicates review list."""
        norm = " ".join(name.casefold().split())
        return self._digest("match", f"{norm}|{birth_date}")
