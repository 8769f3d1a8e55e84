"""Shared pieces of the benchmarks: a private server per run, peak memory, percentiles, result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).resolve().parent / "results"
WORK = Path(__file__).resolve().parent / "work"

__all__ = ["RESULTS", "WORK", "PeakRss", "bench_settings", "machine", "percentiles", "write_result"]


def bench_settings(name: str) -> dict[str, str]:
    """Environment for a benchmark's private Neo4j (its own state dir under bench/work)."""
    state = WORK / name
    state.mkdir(parents=True, exist_ok=True)
    return {"WIJKNET_STATE_DIR": str(state), "WIJKNET_SECRET_FILE": str(state / "pseudonym.key"),
            "WIJKNET_NEO4J_HEAP": os.environ.get("WIJKNET_NEO4J_HEAP", "2g"),
            "WIJKNET_NEO4J_PAGECACHE": os.environ.get("WIJKNET_NEO4J_PAGECACHE", "2g"),
            # A benchmark measures how long a query takes, also past the app's 30 s limit.
            "WIJKNET_QUERY_TIMEOUT": os.environ.get("WIJKNET_QUERY_TIMEOUT", "300"),
            # While the steward imports (the 25-user run) the pages may show a snapshot up to 15 min old, saying
            # when it was read, as a city deployment with daytime imports would be configured (the app's
            # default, 0, is exact: every import sends the pages to Cypher until a fresh snapshot is read).
            "WIJKNET_SNAPSHOT_MAX_AGE": os.environ.get("WIJKNET_SNAPSHOT_MAX_AGE", "900")}


@dataclass
class PeakRss:
    """Samples the RSS of this process (and optionally another pid) every 50 ms; keeps the peak in MB."""

    other_pid: int | None = None
    peak_mb: float = 0.0
    other_peak_mb: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _run(self) -> None:
        me = psutil.Process()
        other = psutil.Process(self.other_pid) if self.other_pid else None
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, me.memory_info().rss / 2**20)
            if other is not None:
                try:
                    self.other_peak_mb = max(self.other_peak_mb, other.memory_info().rss / 2**20)
                except psutil.Error:
                    other = None
            time.sleep(0.05)

    @contextmanager
    def measure(self) -> Iterator[PeakRss]:
        t = threading.Thread(target=self._run, daemon=True)
        t.start()
        try:
            yield self
        finally:
            self._stop.set()
            t.join()


def wait_until_quiet(pid: int | None, *, busy_share: float = 0.1, window_s: float = 0.5,
                     max_wait_s: float = 30.0, own: bool = False) -> float:
    """Wait until process ``pid`` (the Neo4j server) uses less than ``busy_share`` of a core over ``window_s``
    (its garbage collector and compiler threads finish what the previous phase left), at most ``max_wait_s``;
    return the seconds waited. Latency figures are then the page's, not the previous phase's aftermath. With
    ``own`` this process must be as quiet too: the threads a phase left reading a snapshot and computing its
    figures ahead (the 25 users' data steward changes the graph every few seconds) took a core from the next."""
    if pid is None and not own:
        return 0.0
    try:
        procs = [psutil.Process(p) for p in (pid, os.getpid() if own else None) if p is not None]
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < max_wait_s:
            before = [sum(p.cpu_times()[:2]) for p in procs]
            time.sleep(window_s)
            if all(sum(p.cpu_times()[:2]) - b < busy_share * window_s for p, b in zip(procs, before, strict=True)):
                break
        return round(time.perf_counter() - t0, 1)
    except psutil.Error:
        return 0.0


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    qs = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": round(qs[49], 2), "p95": round(qs[94], 2), "p99": round(qs[98], 2),
            "mean": round(statistics.fmean(samples_ms), 2), "n": len(samples_ms)}


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "machine": machine(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               **payload}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path
