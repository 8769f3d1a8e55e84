"""Process-wide resources of the Streamlit app: one Database (driver) and one audit log.

``st.cache_resource`` shares them across users; they hold no per-user data. Per-user data is never cached
without the actor in the key.
"""

from __future__ import annotations

import streamlit as st

from graph.db import Database, connect
from queries.audit import AuditLog, default_audit_log

__all__ = ["get_audit", "get_db"]


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """The connection to Neo4j (never starts a server from inside the app)."""
    return connect(start=False)


@st.cache_resource(show_spinner=False)
def get_audit() -> AuditLog:
    return default_audit_log()
