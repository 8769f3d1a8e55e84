"""Docs generated from the code (settings, named queries, CLI help), so they cannot rot."""

from __future__ import annotations

from graph.settings import SETTINGS

__all__ = ["generated_docs"]


def configuration_md() -> str:
    lines = ["# Configuration", "", "Generated from `graph/settings.py` by `wijknet docs`; do not edit by hand.", "",
             "| Setting | Default | Meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        lines.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(lines) + "\n"


def queries_md() -> str:
    from queries.registry import all_queries

    lines = ["# Named queries", "", "Generated from `queries/cypher/*.cypher` by `wijknet docs`; do not edit by hand.",
             "", "| Name | Title | Answers | Parameters |", "|---|---|---|---|"]
    for q in all_queries().values():
        params = ", ".join(f"`${p}`" for p in sorted(q.params)) or "—"
        lines.append(f"| `{q.name}` | {q.title} | {q.answers} | {params} |")
    return "\n".join(lines) + "\n"


def generated_docs() -> dict[str, str]:
    """Relative path → generated text."""
    return {"docs/configuration.md": configuration_md(), "docs/queries.md": queries_md()}
