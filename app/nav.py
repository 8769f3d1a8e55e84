"""The app's pages and which roles see them. ``app/Home.py`` builds the navigation from :data:`PAGES`.

A page outside the signed-in role is not in the sidebar; a link to it (a bookmark, a deep link) opens a hidden
stand-in that says so in one sentence (:data:`NOT_PERMITTED`) and audits the attempt as ``denied``, instead of
Streamlit's "Page not found". The query layer refuses the data itself in any case (``queries/access.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.i18n import page_title, section_title, t
from queries.access import CASELOAD_ROLES, INTAKE_ROLES, NOTICE_ROLES, Role

__all__ = ["NOT_PERMITTED", "PAGES", "START", "PageSpec", "not_permitted", "pages_for", "pages_outside", "stand_in"]

#: The URL path reserved for the hidden copy of the role's first page that Streamlit serves at ``/``.
START = "start"

#: What a signed-in user sees on a page that is not for their role.
NOT_PERMITTED = "nav.not_permitted"  # catalogue key: "Geen toegang: deze pagina hoort niet bij uw rol."

# Not "pages": a pages/ folder next to Home.py switches Streamlit to its v1 multipage mode, in which every
# file there is served by URL without running Home.py (and so without the sign-in gate).
PAGES_DIR = Path(__file__).resolve().parent / "views"
ALL = tuple(Role)


@dataclass(frozen=True)
class PageSpec:
    file: str
    name: str  # the English name in this table; what a person reads is page.<url_path> in the catalogue
    icon: str
    roles: tuple[Role, ...]
    section: str

    @property
    def url_path(self) -> str:
        return self.file.removesuffix(".py")

    def title(self) -> str:
        """The page's title in the app's language (``page.<url_path>`` in the catalogue)."""
        return page_title(self.url_path, fallback=self.name)

    def section_title(self) -> str:
        """The sidebar section's title in the app's language (``section.<section>``)."""
        return section_title(self.section)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Overview", ":material/home:", tuple(r for r in ALL if r != Role.PARTNER), "wijknet"),
    PageSpec("inbox.py", "Signalen", ":material/notifications:", NOTICE_ROLES, "wijknet"),
    PageSpec("coach.py", "Household", ":material/family_restroom:", (Role.COACH,), "Coach"),
    PageSpec("collaboration.py", "Partner collaboration", ":material/hub:", (Role.PROJECT_LEAD, Role.ADMIN),
             "Project lead"),
    PageSpec("handovers.py", "Handover clusters", ":material/swap_horiz:", (Role.PROJECT_LEAD, Role.ADMIN),
             "Project lead"),
    PageSpec("caseload.py", "Caseload per wijkcoach", ":material/assignment_ind:", CASELOAD_ROLES, "Project lead"),
    PageSpec("intake.py", "Aanmeldingen en caseload", ":material/move_to_inbox:", INTAKE_ROLES, "Project lead"),
    PageSpec("overlap.py", "Overlapping casemanagers", ":material/stacked_bar_chart:",
             (Role.POLICYMAKER, Role.PROJECT_LEAD, Role.ADMIN), "Policy"),
    PageSpec("ingest.py", "Load data", ":material/upload_file:", (Role.DATA_STEWARD, Role.ADMIN), "Data"),
    PageSpec("review.py", "Review duplicates", ":material/rule:", (Role.DATA_STEWARD, Role.ADMIN), "Data"),
    PageSpec("audit.py", "Audit log", ":material/policy:", (Role.ADMIN,), "Admin"),
    PageSpec("users.py", "Users", ":material/group:", (Role.ADMIN,), "Admin"),
)


def pages_for(role: Role) -> list[PageSpec]:
    """The pages ``role`` may open whose files exist."""
    return [p for p in PAGES if role in p.roles and (PAGES_DIR / p.file).exists()]


def pages_outside(role: Role) -> list[PageSpec]:
    """The pages ``role`` may not open (their URLs lead to :func:`stand_in`)."""
    return [p for p in PAGES if role not in p.roles]


def not_permitted(page: str) -> None:
    """Say that ``page`` is not for the signed-in user's role, audit the attempt as ``denied`` (once per page
    and session, not on every rerun) and stop the script. A deep link to a household (``?household=``) is
    audited as a refused ``view_household`` of that household."""
    import streamlit as st

    from app.session import current_actor
    from app.state import get_audit
    from app.ui import guarded
    from queries.access import audit_action

    actor = current_actor()
    if actor is not None:
        household = str(st.query_params.get("household") or "")
        action, target = ("view_household", household) if household else ("open_page", page)
        logged: set[tuple[str, str]] = st.session_state.setdefault("_not_permitted_logged", set())
        if (action, target) not in logged:
            guarded(lambda: audit_action(get_audit(), actor, action, target=target, result="denied",
                                         detail=f"page {page} is not for role {actor.role}"))
            logged.add((action, target))
    st.warning(t(NOT_PERMITTED), icon=":material/lock:")
    st.stop()


def stand_in(spec: PageSpec) -> Callable[[], None]:
    """The hidden page served at ``spec``'s URL to a role it is not for."""

    def page() -> None:
        not_permitted(spec.url_path)

    page.__name__ = f"not_permitted_{spec.url_path}"
    return page


#: Session keys: the page this run draws and the page the run before drew (:func:`note_page`).
PAGE_NOW, PAGE_BEFORE = "wijknet_page_now", "wijknet_page_before"


def note_page(url_path: str) -> None:
    """Note which page this run draws (``app/Home.py``, before the page runs): a page's filters tell a page come
    back to from a run after the other on the same page (:func:`app.aggregate_widgets._restore`)."""
    import streamlit as st

    st.session_state[PAGE_BEFORE] = st.session_state.get(PAGE_NOW)
    st.session_state[PAGE_NOW] = url_path
