"""Run the same work in several threads released at the same moment: for races (the CI saw two of ten concurrent
imports refused, each from a race between threads of one process)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["at_once"]

T = TypeVar("T")


def at_once(work: Callable[[], T], threads: int = 8) -> list[T | Exception]:
    """Call ``work`` in ``threads`` threads that all start together; what each returned, or the exception it
    raised, in the order they finished."""
    start = threading.Barrier(threads)
    out: list[T | Exception] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait()
        try:
            result: T | Exception = work()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            result = exc
        with lock:
            out.append(result)

    pool = [threading.Thread(target=one) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return out
