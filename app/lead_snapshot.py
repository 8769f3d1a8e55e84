"""The project lead's pages: say which state of the data the counts come from."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from graph.clock import local

__all__ = ["snapshot_caption"]


def snapshot_caption(counted_at: datetime | None) -> None:
    """One line under the filters: counted just now in the database, or from the snapshot read at a moment
    (it may lag the newest import by at most WIJKNET_SNAPSHOT_MAX_AGE)."""
    from app.i18n import t

    if counted_at is None:
        st.caption(t("snapshot.now"))
    else:
        st.caption(t("snapshot.at", at=f"{local(counted_at):%d-%m-%Y %H:%M:%S}"))
