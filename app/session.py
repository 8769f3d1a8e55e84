"""Who is using the app. Until login lands (issue 6) the actor is chosen from the demo users in the sidebar.

Pages call :func:`current_actor`; they never build an Actor themselves.
"""

from __future__ import annotations

import streamlit as st

from queries.access import Actor, Role

__all__ = ["current_actor", "set_actor"]

_KEY = "wijknet_actor"


def set_actor(actor: Actor | None) -> None:
    if actor is None:
        st.session_state.pop(_KEY, None)
    else:
        st.session_state[_KEY] = actor


def current_actor() -> Actor | None:
    actor = st.session_state.get(_KEY)
    return actor if isinstance(actor, Actor) else None


def role_label(role: Role) -> str:
    return {"coach": "Coach", "project_lead": "Project lead", "policymaker": "Policymaker",
            "data_steward": "Data steward", "admin": "Administrator"}[str(role)]
