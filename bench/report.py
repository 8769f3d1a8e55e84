"""Turn the suite's result into ``suite.json``, ``report.md``, PNG scaling plots and docs/scaling.md's
"Measured" section. Pure formatting: no database, no timing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["GOALS", "Goal", "evaluate_goals", "markdown", "measured_section", "plots", "update_scaling_doc",
           "write_all"]

ROOT = Path(__file__).resolve().parent.parent
DOCS_SCALING = ROOT / "docs" / "scaling.md"
BEGIN, END = "<!-- suite:measured:begin -->", "<!-- suite:measured:end -->"


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


@dataclass(frozen=True)
class Goal:
    """One goal of issue 7: ``value(tier)`` compared with ``target`` (``at_most`` or at least)."""

    name: str
    target: float
    unit: str
    at_most: bool
    value: Callable[[dict[str, Any]], float | None]
    why: Callable[[dict[str, Any]], str]
    concurrency: bool = False


def _why_ingest(t: dict[str, Any]) -> str:
    i = t.get("ingest") or {}
    return (f"{i.get('rows', 0):,} VIS2 rows: wijknet ingest reads and validates the whole file, pseudonymises "
            f"BSNs (HMAC), resolves persons in its side store and writes the change ledger before loading; "
            f"LOAD CSV only MERGEs (pseudonyms precomputed). {i.get('ingest_rows_per_s')} vs "
            f"{i.get('load_csv_rows_per_s')} rows/s." + (f" Figure {i['remeasured']}." if i.get("remeasured") else ""))


def _why_household(t: dict[str, Any]) -> str:
    h = t.get("household") or {}
    return (f"p95 of a bare RETURN 1 was {_get(h, 'return_1_ms', 'p95')} ms in the same run (machine load "
            f"{t.get('load_average_start')}); the view is one read of the whole page with the scope "
            f"check inside it, then an audit append (p95 {_get(h, 'audit_record_ms', 'p95')} ms): {h.get('ratio_p95')}× RETURN 1 "
            f"at p95. Steady state: every caseload household was opened once before ({h.get('caseload_pairs')}; "
            f"first opening p95 {_get(h, 'first_touch_ms', 'p95')} ms), measured once the server was quiet "
            f"(waited {(t.get('quiet_wait_s') or {}).get('household', 0)} s after the previous phase).")


def _why_overlap(t: dict[str, Any]) -> str:
    snap = t.get("snapshot") or {}
    if snap.get("periods"):
        return (f"{t.get('cold', '')}, in-memory snapshots dropped; counted with numpy from the overlap snapshot "
                f"({snap['periods']:,} involvement periods, {snap.get('file_mb')} MB file, read from the graph in "
                f"{snap.get('read_s')} s right after the load, as the CLI does) after one data-token check; the "
                f"pair matrices' hidden cells from disk, computed after the load as the CLI does "
                f"({snap.get('ahead_s')} s) (warm: {_get(t, 'aggregates', 'overlap_view_warm_s')} s).")
    return (f"{t.get('cold', '')}; Neo4j counts {_get(t, 'data', 'involvements')} involvements in one query "
            f"(overlap_counts) and returns a few hundred rows; the first call also plans the query "
            f"(warm: {_get(t, 'aggregates', 'overlap_view_warm_s')} s).")


def _why_lead(page: str) -> Any:
    def why(t: dict[str, Any]) -> str:
        snap = t.get("snapshot") or {}
        return (f"{t.get('cold', '')}; {page} page data for 2004–2012, counted from the snapshot "
                f"({_get(t, 'aggregates', 'handovers')} handovers; snapshot read in {snap.get('read_s')} s after the "
                "load) while its data token equals the graph's; warm = the same filters again (the view kept for "
                "that snapshot); one area: other filters, counted again.")
    return why


def _why_clustering(t: dict[str, Any]) -> str:
    c = t.get("clustering") or {}
    return (f"{c.get('edges')} distinct professional handover edges; the handover page as a whole (queries + "
            f"two clusterings + tables) took {_get(t, 'aggregates', 'handover_view_s')} s.")


def _why_app(t: dict[str, Any]) -> str:
    a = t.get("app") or {}
    return (f"{a.get('peak_rss_after_import_mb')} MB after importing streamlit, plotly and pandas; the rest is "
            "page data (the involvement rows of the aggregates are the largest part).")


def _num(x: float) -> str:
    """4 significant digits without scientific notation: 28040 → '28,040', 3.5512 → '3.551'."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _page_latencies(t: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Latency percentiles per page of the 25-user run (the steward's file loads are not pages)."""
    lat = (t.get("concurrency") or {}).get("latency_ms") or {}
    return {k: v for k, v in lat.items() if k.startswith(("coach_", "policy_", "lead_"))}


def _slowest_page_p95(t: dict[str, Any]) -> Any:
    """The p95 of the slowest page, not of all requests together: 20 coaches' quick pages would otherwise hide
    what a policymaker waits for."""
    return max((v["p95"] for v in _page_latencies(t).values()), default=None)


def _why_concurrency(t: dict[str, Any]) -> str:
    c = t.get("concurrency") or {}
    lat = _page_latencies(t)
    worst = max(lat, key=lambda k: lat[k]["p95"]) if lat else "-"
    think = c.get("think_s") or [0, 0]
    stress = t.get("concurrency_stress") or {}
    closed = (f"; with no think time at all (every user clicks again the moment a page is there) p95 was "
              f"{stress.get('page_data_p95_ms')} ms at {stress.get('pages_per_s')} pages/s") if stress else ""
    writes = (f"; {c.get('writes')} coach writes (record + correct) mixed in, write p95 {c.get('write_p95_ms')} ms"
              if c.get("writes") else "")
    return (f"p95 over all pages together {c.get('page_data_p95_ms')} ms{writes}; "
            f"{c.get('requests')} requests in {c.get('seconds')} s on {t.get('households'):,} households, each "
            f"user reading {think[0]:g}–{think[1]:g} s between pages ({c.get('pages_per_s')} pages/s); slowest "
            f"page at p95: {worst} ({_get(lat, worst, 'p95')} ms){closed}; 25 threads share 2 cores with Neo4j.")


GOALS: tuple[Goal, ...] = (
    Goal("Ingest throughput vs LOAD CSV", 0.8, "× LOAD CSV", False,
         lambda t: _get(t, "ingest", "ratio"), _why_ingest),
    Goal("Household query p95", 25, "ms", True, lambda t: _get(t, "household", "household_view_ms", "p95"),
         _why_household),
    Goal("Overlap dashboard cold", 2, "s", True, lambda t: _get(t, "aggregates", "overlap_view_cold_s"),
         _why_overlap),
    Goal("Collaboration page data cold", 2, "s", True,
         lambda t: _get(t, "aggregates", "collaboration_view_cold_s"), _why_lead("collaboration")),
    Goal("Collaboration page data warm", 1, "s", True,
         lambda t: _get(t, "aggregates", "collaboration_view_warm_s"), _why_lead("collaboration")),
    Goal("Handover page data cold", 2, "s", True,
         lambda t: _get(t, "aggregates", "handover_view_s"), _why_lead("handover")),
    Goal("Handover page data warm", 1, "s", True,
         lambda t: _get(t, "aggregates", "handover_view_warm_s"), _why_lead("handover")),
    Goal("Handover clustering (igraph)", 5, "s", True, lambda t: _get(t, "clustering", "igraph_leiden_s"),
         _why_clustering),
    Goal("App process peak RSS", 1024, "MB", True, lambda t: _get(t, "app", "peak_rss_mb"), _why_app),
    Goal("25 users: page-data p95 (slowest page)", 1000, "ms", True, _slowest_page_p95,
         _why_concurrency, concurrency=True),
    Goal("25 users: errors", 0, "", True, lambda t: _get(t, "concurrency", "errors"),
         lambda t: "; ".join(_get(t, "concurrency", "error_samples") or []) or "none", concurrency=True),
    Goal("25 users: scope violations", 0, "", True, lambda t: _get(t, "concurrency", "scope_violations"),
         lambda t: (f"{_get(t, 'concurrency', 'denials_seen')} of {_get(t, 'concurrency', 'denials_expected')} "
                    "out-of-scope requests denied"), concurrency=True),
)


def _goal_tier(result: dict[str, Any], concurrency: bool) -> dict[str, Any] | None:
    tiers = result["tiers"]
    if concurrency:
        return next((t for t in tiers if "concurrency" in t), None)
    exact = [t for t in tiers if t["households"] == 80_000]
    return exact[0] if exact else (max(tiers, key=lambda t: t["households"]) if tiers else None)


def evaluate_goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per goal: the tier it was measured at, the value, met or missed and by how much, and why."""
    out = []
    for g in GOALS:
        t = _goal_tier(result, g.concurrency)
        v = g.value(t) if t else None
        row: dict[str, Any] = {"goal": g.name, "target": g.target, "unit": g.unit, "at_most": g.at_most,
                               "households": t["households"] if t else None, "value": v}
        if v is None:
            failed = (t or {}).get("failed") or {}
            skipped = (t or {}).get("skipped") or []
            row.update(met=None, margin="not measured",
                       why="; ".join([f"{k} failed: {v}" for k, v in failed.items()]
                                     + [f"{k} skipped (--skip)" for k in skipped]))
        else:
            met = v <= g.target if g.at_most else v >= g.target
            diff = v - g.target
            if met:
                margin = "met" if diff == 0 else f"met with {_num(abs(diff))} {g.unit} to spare".rstrip()
            else:
                rel = f" ({v / g.target:.2f}× the limit)" if g.at_most and g.target else (
                    f" ({abs(diff) / g.target:.0%} short)" if g.target else "")
                margin = f"missed by {_num(abs(diff))} {g.unit}".rstrip() + rel
            row.update(met=met, margin=margin, why="" if met else g.why(t))  # type: ignore[arg-type]
        if t and t["households"] != 80_000:
            row["note"] = f"measured at {t['households']:,} households; the goal is stated for 80,000"
        out.append(row)
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _size(t: dict[str, Any]) -> list[Any]:
    return [t["households"], _get(t, "load", "records")]


def tables(result: dict[str, Any]) -> str:
    """The per-tier tables; every row starts with the tier (households) and its record count."""
    tiers = result["tiers"]
    size = ["Households", "Records"]
    parts = ["### Load (generate + load once per tier)", _table(
        [*size, "Household nodes", "Involvements", "Nodes", "Relationships", "Store MB", "Load s", "Records/s",
         "Generator share s", "Python peak MB", "Neo4j peak MB"],
        [[*_size(t), _get(t, "data", "household_nodes"), _get(t, "data", "involvements"), _get(t, "data", "nodes"),
          _get(t, "data", "relationships"), _get(t, "data", "store_mb"), _get(t, "load", "load_s"),
          _get(t, "load", "records_per_s"), _get(t, "load", "generate_s"), _get(t, "load", "python_peak_rss_mb"),
          _get(t, "load", "neo4j_peak_rss_mb")] for t in tiers])]
    parts += ["### Ingest vs Neo4j LOAD CSV (same VIS2 rows, same database, same run)", _table(
        [*size, "Rows", "wijknet ingest rows/s", "LOAD CSV rows/s", "Ratio", "Ingest peak MB (above base)",
         "Same counts"],
        [[*_size(t), _get(t, "ingest", "rows"), _get(t, "ingest", "ingest_rows_per_s"),
          _get(t, "ingest", "load_csv_rows_per_s"), _get(t, "ingest", "ratio"), _get(t, "ingest", "ingest_peak_rss_mb"),
          _get(t, "ingest", "same_counts")] for t in tiers])]
    parts += ["### Household page data (household_view) vs a bare RETURN 1, ms", _table(
        [*size, "Samples", "p50", "p95", "p99", "RETURN 1 p50", "RETURN 1 p95", "Ratio p50", "Ratio p95",
         "Audit append p95", "Rows per view", "First opening p95"],
        [[*_size(t), _get(t, "household", "household_view_ms", "n"), _get(t, "household", "household_view_ms", "p50"),
          _get(t, "household", "household_view_ms", "p95"), _get(t, "household", "household_view_ms", "p99"),
          _get(t, "household", "return_1_ms", "p50"), _get(t, "household", "return_1_ms", "p95"),
          _get(t, "household", "ratio_p50"), _get(t, "household", "ratio_p95"),
          _get(t, "household", "audit_record_ms", "p95"), _get(t, "household", "rows_per_view_mean"),
          _get(t, "household", "first_touch_ms", "p95")]
         for t in tiers])]
    parts += ["### Aggregates, seconds (cold = first call; see the note per tier)", _table(
        [*size, "Snapshot read", "Hidden cells ahead", "Overlap cold", "Overlap warm", "Collaboration cold", "Collaboration warm", "Overlap trend",
         "Coach effect", "Handover page cold", "Handover page warm", "Collaboration, one area",
         "Handover page, one area", "Cold means"],
        [[*_size(t), _get(t, "snapshot", "read_s"), _get(t, "snapshot", "ahead_s"),
          _get(t, "aggregates", "overlap_view_cold_s"),
          _get(t, "aggregates", "overlap_view_warm_s"),
          _get(t, "aggregates", "collaboration_view_cold_s"), _get(t, "aggregates", "collaboration_view_warm_s"),
          _get(t, "aggregates", "overlap_trend_s"), _get(t, "aggregates", "coach_effect_s"),
          _get(t, "aggregates", "handover_view_s"), _get(t, "aggregates", "handover_view_warm_s"),
          _get(t, "aggregates", "collaboration_view_area_s"), _get(t, "aggregates", "handover_view_area_s"),
          t.get("cold")] for t in tiers])]
    parts += ["### Handover clustering on the tier's professional handover graph", _table(
        [*size, "Handovers", "Distinct edges", "igraph Leiden s", "Modularity", "Communities",
         "networkx Louvain s", "Modularity", "Communities", "networkx skipped because"],
        [[*_size(t), _get(t, "clustering", "handovers"), _get(t, "clustering", "edges"),
          _get(t, "clustering", "igraph_leiden_s"), _get(t, "clustering", "igraph_modularity"),
          _get(t, "clustering", "igraph_communities"), _get(t, "clustering", "networkx_louvain_s"),
          _get(t, "clustering", "networkx_modularity"), _get(t, "clustering", "networkx_communities"),
          _get(t, "clustering", "networkx_skipped")] for t in tiers])]
    pages = sorted({p for t in tiers for p in (_get(t, "app", "pages_s") or {})})
    parts += ["### App page data in a fresh process (seconds per page, first call) and its peak memory", _table(
        [*size, *pages, "All pages s", "Imports s", "RSS after imports MB", "Peak RSS MB"],
        [[*_size(t), *[_get(t, "app", "pages_s", p) for p in pages], _get(t, "app", "pages_total_s"),
          _get(t, "app", "import_s"), _get(t, "app", "peak_rss_after_import_mb"), _get(t, "app", "peak_rss_mb")]
         for t in tiers])]
    conc = [(t, key) for t in tiers for key in ("concurrency", "concurrency_stress") if key in t]
    if conc:
        def think(t: dict[str, Any], key: str) -> str:
            lo, hi = t[key].get("think_s") or [0, 0]
            return "none (stress)" if not hi else f"{lo:g}–{hi:g} s"

        rows = []
        for t, key in conc:
            for kind, p in sorted((t[key].get("latency_ms") or {}).items()):
                rows.append([*_size(t), think(t, key), kind, p["n"], p["p50"], p["p95"], p["p99"]])
        parts += ["### 25 concurrent users (20 coaches, 4 policymakers, 1 data steward), ms", _table(
            [*size, "Think time", "User action", "Requests", "p50", "p95", "p99"], rows)]
        parts += [_table([*size, "Think time", "Seconds", "Requests", "Pages/s", "Page-data p95 ms", "Writes",
                          "Write p95 ms", "Errors", "Scope violations", "Out-of-scope requests denied"],
                         [[*_size(t), think(t, key), _get(t, key, "seconds"), _get(t, key, "requests"),
                           _get(t, key, "pages_per_s"), _get(t, key, "page_data_p95_ms"), _get(t, key, "writes"),
                           _get(t, key, "write_p95_ms"), _get(t, key, "errors"),
                           _get(t, key, "scope_violations"),
                           f"{_get(t, key, 'denials_seen')}/{_get(t, key, 'denials_expected')}"]
                          for t, key in conc])]
    phases = list(dict.fromkeys(p for t in tiers for p in t["phase_s"]))
    parts += ["### Where the time went (seconds per phase)", _table(
        [*size, *phases, "Tier wall s", "Load average start → end"],
        [[*_size(t), *[t["phase_s"].get(p) for p in phases], t.get("wall_s"),
          f"{t.get('load_average_start')} → {t.get('load_average_end')}"] for t in tiers])]
    return "\n\n".join(parts)


def goals_table(result: dict[str, Any]) -> str:
    rows = []
    for g in evaluate_goals(result):
        op = "≤" if g["at_most"] else "≥"
        status = {True: "**met**", False: "**missed**", None: "not measured"}[g["met"]]
        why = " ".join(x for x in (g.get("note", "") + "." if g.get("note") else "", g["why"]) if x)
        rows.append([g["goal"], f"{op} {_fmt(g['target'])} {g['unit']}".strip(), g["households"], g["value"],
                     status, g["margin"], why])
    return _table(["Goal", "Target", "Households", "Measured", "Status", "By how much", "Why / note"], rows)


def markdown(result: dict[str, Any], plot_names: list[str]) -> str:
    m = result["machine"]
    o = result["options"]
    head = [
        "# wijknet benchmark report (issue 7)",
        "",
        f"Generated by `python -m bench` at {result['at']} on {m['cpus']} CPUs, {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, {m['platform']}; Neo4j heap {result['neo4j']['heap']}, page cache "
        f"{result['neo4j']['pagecache']}. Suite wall time {result['wall_s']:,} s for tiers "
        f"{', '.join(f'{n:,}' for n in o['tiers'])}{' (quick mode)' if o['quick'] else ''}.",
        "",
        "Households = the tier (households of the experiment area asked of the generator; the control area "
        "comes on top, see 'Household nodes'). Records = canonical records generated and loaded for that tier. "
        "Every figure below was measured on the database loaded once for its tier. See bench/README.md for what "
        "each figure means.",
        "",
        "## Goals (issue 7, at 80,000 households on 2 cores)",
        "",
        goals_table(result),
        "",
        *(["## Failed phases", "", _table(["Households", "Phase", "Error"],
                                          [[t["households"], k, v] for t in result["tiers"]
                                           for k, v in (t.get("failed") or {}).items()]), ""]
          if any(t.get("failed") for t in result["tiers"]) else []),
        "## Figures per tier",
        "",
        tables(result),
        "",
        "## Scaling plots",
        "",
        *[f"![{n}]({n})" for n in plot_names],
        "",
    ]
    return "\n".join(head)


def plots(result: dict[str, Any], out_dir: Path) -> list[str]:
    """PNG scaling plots (households on a log axis); returns their file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tiers = result["tiers"]
    x = [t["households"] for t in tiers]
    from matplotlib.ticker import NullFormatter

    goal_lines = {"scaling-household.png": [(25, "goal p95 ≤ 25 ms")],
                  "scaling-aggregates.png": [(2, "goal overlap cold ≤ 2 s"), (5, "goal clustering ≤ 5 s")],
                  "scaling-memory.png": [(1024, "goal app ≤ 1 GB")]}
    specs: list[tuple[str, str, str, list[tuple[str, Callable[[dict[str, Any]], Any]]]]] = [
        ("scaling-throughput.png", "Load and ingest throughput", "records or rows per second", [
            ("synthetic load (records/s)", lambda t: _get(t, "load", "records_per_s")),
            ("wijknet ingest (rows/s)", lambda t: _get(t, "ingest", "ingest_rows_per_s")),
            ("LOAD CSV (rows/s)", lambda t: _get(t, "ingest", "load_csv_rows_per_s"))]),
        ("scaling-household.png", "Household page data", "milliseconds", [
            ("p50", lambda t: _get(t, "household", "household_view_ms", "p50")),
            ("p95", lambda t: _get(t, "household", "household_view_ms", "p95")),
            ("p99", lambda t: _get(t, "household", "household_view_ms", "p99")),
            ("RETURN 1 p95", lambda t: _get(t, "household", "return_1_ms", "p95"))]),
        ("scaling-aggregates.png", "Aggregates and clustering", "seconds", [
            ("overlap cold", lambda t: _get(t, "aggregates", "overlap_view_cold_s")),
            ("collaboration cold", lambda t: _get(t, "aggregates", "collaboration_view_cold_s")),
            ("handover page", lambda t: _get(t, "aggregates", "handover_view_s")),
            ("igraph Leiden", lambda t: _get(t, "clustering", "igraph_leiden_s")),
            ("networkx Louvain", lambda t: _get(t, "clustering", "networkx_louvain_s")),
            ("all app pages (fresh process)", lambda t: _get(t, "app", "pages_total_s"))]),
        ("scaling-memory.png", "Peak memory", "MB (resident)", [
            ("Neo4j JVM during load", lambda t: _get(t, "load", "neo4j_peak_rss_mb")),
            ("loader process", lambda t: _get(t, "load", "python_peak_rss_mb")),
            ("app page-data process", lambda t: _get(t, "app", "peak_rss_mb")),
            ("store on disk", lambda t: _get(t, "data", "store_mb"))]),
    ]
    names = []
    for name, title, ylabel, series in specs:
        fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
        plotted = False
        for label, fn in series:
            pts = [(xi, fn(t)) for xi, t in zip(x, tiers, strict=True) if isinstance(fn(t), int | float)]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
                plotted = True
        ax.set_xscale("log")
        for y, label in goal_lines.get(name, []):
            ax.axhline(y, color="grey", linestyle="--", linewidth=1)
            ax.annotate(label, (0.01, y), xycoords=("axes fraction", "data"), fontsize=7, color="grey",
                        va="bottom")
        if plotted:
            ax.set_yscale("log")
            ax.legend(fontsize=8)
        else:
            ax.text(0.5, 0.5, "not measured", transform=ax.transAxes, ha="center")
        ax.set_xticks(x, [f"{v:,}" for v in x])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("households (tier)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(out_dir / name)
        plt.close(fig)
        names.append(name)
    return names


def measured_section(result: dict[str, Any]) -> str:
    """The text docs/scaling.md shows between its markers: goals, cost growth per tier, where it came from."""
    tiers = result["tiers"]
    out = Path(str(result["options"].get("out_dir") or "bench/results"))
    if out.is_absolute() and out.is_relative_to(ROOT):
        out = out.relative_to(ROOT)
    tables = f"{out.as_posix()}/report.md"  # where this run wrote its tables (--out)
    growth = []
    for a, b in zip(tiers, tiers[1:], strict=False):
        f = b["households"] / a["households"]

        def ratio(*path: str, a: dict[str, Any] = a, b: dict[str, Any] = b) -> str:
            va, vb = _get(a, *path), _get(b, *path)
            return f"{vb / va:.1f}×" if isinstance(va, int | float) and isinstance(vb, int | float) and va else "–"
        growth.append([f"{a['households']:,} → {b['households']:,} ({f:.0f}× data)",
                       ratio("load", "load_s"), ratio("data", "store_mb"),
                       ratio("household", "household_view_ms", "p95"), ratio("aggregates", "overlap_view_cold_s"),
                       ratio("aggregates", "handover_view_s"), ratio("clustering", "igraph_leiden_s"),
                       ratio("app", "peak_rss_mb")])
    parts = [f"_Regenerated by `python -m bench` at {result['at']} ({result['machine']['cpus']} CPUs; tiers "
             f"{', '.join(f'{t:,}' for t in result['options']['tiers'])}"
             f"{', quick mode' if result['options']['quick'] else ''}). Full tables: "
             f"[{tables}](../{tables})._", "", goals_table(result), ""]
    if growth:
        parts += ["Cost growth between tiers (how many times larger each figure became):", "",
                  _table(["Tiers", "Load time", "Store size", "Household p95", "Overlap cold", "Handover page",
                          "igraph clustering", "App RSS"], growth), ""]
    return "\n".join(parts)


def update_scaling_doc(result: dict[str, Any], path: Path = DOCS_SCALING) -> bool:
    """Replace the text between the markers of docs/scaling.md; False when the file or a marker is missing."""
    if not path.exists():
        return False
    text = path.read_text()
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{measured_section(result)}\n{END}{tail}")
    return True


def write_all(result: dict[str, Any], out_dir: Path, *, update_docs: bool = True) -> list[Path]:
    """suite.json, the plots and report.md in ``out_dir``; docs/scaling.md's Measured section when asked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = {**result, "goals": evaluate_goals(result)}
    written = [out_dir / "suite.json"]
    written[0].write_text(json.dumps(result, indent=2, default=str) + "\n")
    names = plots(result, out_dir)
    written += [out_dir / n for n in names]
    (out_dir / "report.md").write_text(markdown(result, names))
    written.append(out_dir / "report.md")
    if update_docs and update_scaling_doc(result):
        written.append(DOCS_SCALING)
    return written
