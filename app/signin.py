"""Sign-in. Development mode: pick one of the demo users (issue 6 replaces this with real accounts)."""

from __future__ import annotations

import streamlit as st

from app.session import set_actor
from app.state import get_db
from app.ui import guarded
from queries.access import Actor, Role

__all__ = ["sign_in_page", "sign_out"]


def _demo_actors() -> list[Actor]:
    from queries.people import coach_ids

    coaches = coach_ids(get_db())
    actors = [Actor(f"coach{i + 1}", Role.COACH, "Wijkcoaches Velve-Lindenhof", pid) for i, pid in enumerate(coaches)]
    actors += [Actor("projectleider", Role.PROJECT_LEAD, "Gemeente Enschede"),
               Actor("beleid", Role.POLICYMAKER, "Gemeente Enschede"),
               Actor("datasteward", Role.DATA_STEWARD, "Gemeente Enschede"),
               Actor("admin", Role.ADMIN, "Gemeente Enschede")]
    return actors


def sign_in_page() -> None:
    st.title("wijknet")
    st.write("The professional network around vulnerable households — for coaches, the project lead and "
             "policymakers.")
    actors = guarded(_demo_actors)
    if actors is None:
        return
    labels = {f"{a.user} ({a.role})": a for a in actors}
    choice = st.selectbox("Demo user", list(labels))
    if st.button("Sign in", type="primary"):
        set_actor(labels[choice])
        st.rerun()


def sign_out() -> None:
    set_actor(None)
    st.rerun()
