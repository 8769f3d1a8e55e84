"""Benchmarks on named data sizes (never timed unit tests). See bench/README.md."""
