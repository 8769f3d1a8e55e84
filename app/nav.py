"""The app's pages and which roles see them. ``app/Home.py`` builds the navigation from :data:`PAGES`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from queries.access import Role

__all__ = ["PAGES", "PageSpec", "pages_for"]

# Not "pages": a pages/ folder next to Home.py switches Streamlit to its v1 multipage mode, in which every
# file there is served by URL without running Home.py (and so without the sign-in gate).
PAGES_DIR = Path(__file__).resolve().parent / "views"
ALL = tuple(Role)


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    roles: tuple[Role, ...]
    section: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Overview", ":material/home:", ALL, "wijknet"),
    PageSpec("coach.py", "Household", ":material/family_restroom:", (Role.COACH,), "Coach"),
    PageSpec("collaboration.py", "Partner collaboration", ":material/hub:", (Role.PROJECT_LEAD, Role.ADMIN),
             "Project lead"),
    PageSpec("handovers.py", "Handover clusters", ":material/swap_horiz:", (Role.PROJECT_LEAD, Role.ADMIN),
             "Project lead"),
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
