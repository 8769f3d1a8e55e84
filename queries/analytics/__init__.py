"""Pure analytics: functions that take plain rows or graphs and return plain values (no driver inside)."""

from __future__ import annotations

__all__: list[str] = []
