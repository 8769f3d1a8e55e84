"""What the code can write into the audit log's result, action and organisation columns, read from the source
itself (the AST of graph/, ingest/, queries/ and app/), so that a new value written anywhere is found by the
tests without anyone copying it into a list."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

__all__ = ["actions_written", "organisations_written", "results_written"]

ROOT = Path(__file__).resolve().parents[1]
_PACKAGES = ("graph", "ingest", "queries", "app")
#: call -> the position of its action argument (the audit action is the third argument of each of these)
_ACTION_AT = {"audit_action": 2, "require_role": 2, "audited_write": 2, "_operation": 0, "check_write": 2}
#: a call whose ``what`` is written as the action ``export_<what>`` (queries.aggregates.record_export)
_EXPORT_AT = {"record_export": 2}
_EXPORT_WHAT = ("export_buttons", "section")


def _trees() -> Iterator[tuple[Path, ast.AST]]:
    for pkg in _PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _strings(node: ast.AST | None) -> Iterator[str]:
    """The string constants an expression can be: a literal, either side of ``a if c else b``, ``a or b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _strings(value)


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _arg(call: ast.Call, at: int, keyword: str) -> ast.AST | None:
    if len(call.args) > at:
        return call.args[at]
    return next((kw.value for kw in call.keywords if kw.arg == keyword), None)


def _calls() -> Iterator[ast.Call]:
    for _, tree in _trees():
        yield from (n for n in ast.walk(tree) if isinstance(n, ast.Call))


def _status_values() -> set[str]:
    """What an import's report status can be (``ingest.pipeline`` reports ``outcome.done(report.status)``): every
    string given to a ``status`` attribute or field in ingest/."""
    found: set[str] = set()
    for path, tree in _trees():
        if path.parent.name != "ingest":
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "status" for t in n.targets):
                found.update(_strings(n.value))
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == "status":
                found.update(_strings(n.value))
    return found


def results_written() -> set[str]:
    """Every result an audit record can hold: ``result=`` of any call, the result of ``done(...)`` (an audited
    write's outcome, a CLI operation's), ``failed`` of a write that raised (``ingest.entry._after``)."""
    found: set[str] = set()
    for call in _calls():
        name = _name(call)
        if name == "done" and call.args:
            if isinstance(call.args[0], ast.Attribute) and call.args[0].attr == "status":
                found |= _status_values()
            found.update(_strings(call.args[0]))
        if name == "_after" and len(call.args) > 5:
            found.update(_strings(call.args[5]))
        for kw in call.keywords:
            if kw.arg == "result":
                found.update(_strings(kw.value))
    return found


def actions_written() -> set[str]:
    """Every audit action named as a literal: the action of ``audit_action``/``require_role``/``audited_write``/
    ``check_write``/a CLI operation, ``action=`` of a record, ``what=`` of a download (``while_signed_in``), and
    ``export_<what>`` of an export (``record_export``, the pages' export buttons)."""
    found: set[str] = set()
    for call in _calls():
        name = _name(call)
        if name in _ACTION_AT:
            found.update(_strings(_arg(call, _ACTION_AT[name], "action")))
        if name in _EXPORT_AT:
            found.update(f"export_{w}" for w in _strings(_arg(call, _EXPORT_AT[name], "what")))
        for kw in call.keywords:
            if kw.arg == "action" and name not in _ACTION_AT:
                found.update(_strings(kw.value))
            if kw.arg == "what" and name == "while_signed_in":
                found.update(_strings(kw.value))
            if kw.arg == "what" and name in _EXPORT_WHAT:
                found.update(f"export_{w}" for w in _strings(kw.value))
    for _, tree in _trees():  # a default: ``open_household(..., action="view_household")``, ``while_signed_in``
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            params = [*fn.args.posonlyargs, *fn.args.args][-len(fn.args.defaults):] if fn.args.defaults else []
            pairs = [*zip(params, fn.args.defaults, strict=True), *zip(fn.args.kwonlyargs, fn.args.kw_defaults,
                                                                         strict=True)]
            for param, default in pairs:
                if param.arg == "action" or (param.arg == "what" and fn.name == "while_signed_in"):
                    found.update(_strings(default))
    return found


def organisations_written() -> set[str]:
    """The organisations of the actors the code makes itself (the command line, the system): ``Actor(user,
    role, organisation, …)``. An account's organisation is whatever the administrator typed, and stays so."""
    return {s for call in _calls() if _name(call) == "Actor" for s in _strings(_arg(call, 2, "organisation")) if s}
