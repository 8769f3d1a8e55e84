"""The ingest package's shape, held like a lint: no function over about 60 lines, no Cypher outside
``ingest/cypher/`` (issue 17, part 5: a staged pipeline whose stages can be named in a sentence)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

INGEST = Path(__file__).resolve().parents[2] / "ingest"
MAX_LINES = 60
#: the one statement built in code: one subquery per whitelisted relationship type (ingest.merge)
GENERATED_CYPHER = {("merge.py", "merge_statement")}


def _functions() -> list[tuple[str, str, int]]:
    out = []
    for path in sorted(INGEST.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                out.append((str(path.relative_to(INGEST)), node.name, node.end_lineno - node.lineno + 1))
    return out


def test_no_function_in_ingest_is_longer_than_60_lines() -> None:
    found = _functions()
    assert len(found) > 100  # the walk saw the package
    long = [f"{file}:{name} ({n} lines)" for file, name, n in found if n > MAX_LINES]
    assert not long, f"split these functions (at most {MAX_LINES} lines each): {', '.join(long)}"


_CYPHER = re.compile(r"\b(MATCH|MERGE|UNWIND)\s*\(?[\w$]*[:{ ]|\bRETURN\s+\w+(\.\w+)?\s+AS\b")


def test_ingest_cypher_lives_in_named_files() -> None:
    inline = []
    for path in sorted(INGEST.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef) or (path.name, fn.name) in GENERATED_CYPHER:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _CYPHER.search(node.value) \
                        and node is not _docstring(fn):
                    inline.append(f"{path.relative_to(INGEST)}:{node.lineno}")
        for node in tree.body:  # module-level statements (dicts of Cypher by kind, ...)
            if isinstance(node, ast.Assign | ast.AnnAssign):
                for c in ast.walk(node):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and _CYPHER.search(c.value):
                        inline.append(f"{path.relative_to(INGEST)}:{c.lineno}")
    assert not inline, f"Cypher belongs in ingest/cypher/<name>.cypher: {', '.join(inline)}"


def _docstring(fn: ast.FunctionDef) -> ast.AST | None:
    first = fn.body[0] if fn.body else None
    return first.value if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) else None


def test_every_named_statement_exists() -> None:
    from ingest.cypher import statement
    from ingest.resolve import REFERENCE_LOOKUPS

    names = [*REFERENCE_LOOKUPS.values(), "lookup_household_ids", "lookup_organisation_names", "lookup_postcodes",
             "ledger_epoch", "ledger_status", "ledger_start", "ledger_batch",
             "ledger_complete", "ledger_vanished", "ledger_synthetic_lookup", "ledger_synthetic_begin",
             "ledger_synthetic_complete", "end_involvement", "end_membership", "end_caseload", "merge_count",
             "merge_exists"]
    for name in names:
        assert statement(name).strip(), name
