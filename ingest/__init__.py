"""Everything that brings data into the graph: readers, mappings, validation, pseudonymisation, entity
resolution, the batched loader and the synthetic neighbourhood generator."""

from __future__ import annotations

__all__ = ["loader", "synthetic"]
