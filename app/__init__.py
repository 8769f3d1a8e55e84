"""The user-facing edges of wijknet: the Streamlit app (``app/Home.py`` and ``app/views``) and the CLI."""

from __future__ import annotations

__all__ = ["cli"]
