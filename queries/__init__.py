"""Named Cypher queries (one ``.cypher`` file per question), thin typed wrappers, analytics and access scope."""

from __future__ import annotations

__all__ = ["overview"]
