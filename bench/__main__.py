"""``python -m bench``: the benchmark suite of issue 7 (see :mod:`bench.suite` and bench/README.md)."""

from __future__ import annotations

from bench.suite import main

if __name__ == "__main__":
    raise SystemExit(main())
