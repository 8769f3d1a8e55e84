"""The registry of named queries: every ``queries/cypher/<name>.cypher`` file, loaded by name.

Each file starts with a header of ``// key: value`` lines::

    // title: Counts per label
    // answers: What does the database hold?
    // params: (none)

The parameters a query takes are the ``$names`` in its text; :func:`run` refuses to run a query with missing
or extra parameters, so wrappers cannot drift from their files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from graph.db import Database, Results

__all__ = ["NamedQuery", "all_queries", "get", "run", "stream"]

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER = re.compile(r"^//\s*(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    answers: str
    cypher: str

    @property
    def params(self) -> frozenset[str]:
        text = "\n".join(line for line in self.cypher.splitlines() if not line.lstrip().startswith("//"))
        return frozenset(_PARAM.findall(text))


def _parse(name: str, text: str) -> NamedQuery:
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            break
        header[m.group(1).lower()] = m.group(2).strip()
    return NamedQuery(name=name, title=header.get("title", name), answers=header.get("answers", ""), cypher=text)


@cache
def all_queries() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    root = resources.files("queries.cypher")
    out: dict[str, NamedQuery] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            out[name] = _parse(name, entry.read_text())
    return out


def get(name: str) -> NamedQuery:
    try:
        return all_queries()[name]
    except KeyError:
        raise KeyError(f"no named query {name!r}") from None


def run(db: Database, name: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Results:
    """Run the named query ``name`` with exactly the parameters it names."""
    q, given = _checked(name, params)
    return db.execute(name, q.cypher, given, **kwargs)


def _checked(name: str, params: dict[str, Any] | None) -> tuple[NamedQuery, dict[str, Any]]:
    q = get(name)
    given = dict(params or {})
    missing = q.params - given.keys()
    extra = given.keys() - q.params
    if missing or extra:
        raise TypeError(f"query {name!r} takes {sorted(q.params)}; missing {sorted(missing)}, extra {sorted(extra)}")
    return q, given


def stream(db: Database, name: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
    """Stream the rows of the named query ``name`` as tuples (see :meth:`graph.db.Database.stream`)."""
    q, given = _checked(name, params)
    return db.stream(name, q.cypher, given, **kwargs)
