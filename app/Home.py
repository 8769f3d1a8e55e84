"""wijknet — the Streamlit entry point: page config, who is signed in, and the navigation for their role."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/Home.py` from a checkout
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app.chrome_nl import speak_dutch  # noqa: E402
from app.i18n import role_label, t  # noqa: E402
from app.nav import PAGES, PAGES_DIR, START, note_page, pages_for, pages_outside, stand_in  # noqa: E402
from app.notices_ui import sidebar_count  # noqa: E402
from app.session import current_actor, emit_cookie_ops, note_unauthenticated, sign_out  # noqa: E402
from app.signin import sign_in_page  # noqa: E402
from app.state import freeze_startup_heap, state_permissions  # noqa: E402
from app.ui import guarded  # noqa: E402
from graph.profile import active_profile  # noqa: E402

# The favicon is an emoji (Streamlit draws it as an inline data: SVG). A ":material/...:" icon here, or no
# page_icon at all with material st.Page icons, makes the browser fetch the favicon from fonts.gstatic.com,
# and the app must load nothing from third-party hosts.
st.set_page_config(page_title="wijknet", page_icon="🏘️", layout="wide")
speak_dutch()  # Streamlit's own words (its widgets' chrome) in Dutch, on every page and the sign-in form
freeze_startup_heap()  # once per process: keeps Streamlit's collection after every run cheap
if guarded(state_permissions) is None:  # state files readable by others and not ours to tighten: serve nothing
    st.stop()
if guarded(active_profile) is None:  # a broken deployment profile: say which entry, serve nothing half-configured
    st.stop()

def _sign_in_at(url_path: str) -> Callable[[], None]:
    """The sign-in form served at a page's own URL to a signed-out browser: a link to a household (from a
    colleague, a bookmark) shows the form instead of "Page not found", and after signing in the same URL — query
    included — opens the page it names."""

    def page() -> None:
        sign_in_page()

    page.__name__ = f"sign_in_{url_path}"
    return page


# The gate: the server-side session is checked on every rerun, before any page runs. Without a live session
# the navigation holds only the sign-in page (also at every page's URL), so a deep link renders nothing of it.
actor = guarded(current_actor)
emit_cookie_ops()
if actor is None:
    note_unauthenticated()
    nav = st.navigation([st.Page(sign_in_page, title=t("signin.button"), icon=":material/login:")] + [
        st.Page(_sign_in_at(spec.url_path), title=t("signin.button"), url_path=spec.url_path, visibility="hidden")
        for spec in PAGES] + [st.Page(_sign_in_at(START), title=t("signin.button"), url_path=START,
                                      visibility="hidden")])
else:
    mine = pages_for(actor.role)
    # The role's first page is served at / by a hidden default copy, so the page itself keeps its own URL and
    # a bookmark of it opens it (Streamlit serves the default page at / only, and answers its own path with
    # "Page not found"). No st.switch_page from / either: that rerun would drop the session cookie being written.
    sections: dict[str, list[st.Page]] = {}
    sections[mine[0].section_title()] = [st.Page(str(PAGES_DIR / mine[0].file), title=mine[0].title(),
                                                 icon=mine[0].icon, url_path=START, default=True,
                                                 visibility="hidden")]
    for spec in mine:
        sections.setdefault(spec.section_title(), []).append(
            st.Page(str(PAGES_DIR / spec.file), title=spec.title(), icon=spec.icon, url_path=spec.url_path))
    # The other pages' URLs say "not permitted" (audited) instead of "Page not found"; not in the sidebar.
    first = next(iter(sections.values()))
    first += [st.Page(stand_in(spec), title=spec.title(), icon=spec.icon, url_path=spec.url_path,
                      visibility="hidden") for spec in pages_outside(actor.role)]
    nav = st.navigation(sections)
    with st.sidebar:
        st.caption(t("home.signed_in", user=actor.user, role=role_label(actor.role)))
        sidebar_count(actor)  # unread signals (app/notices_ui.py)
        if st.button(t("home.sign_out"), icon=":material/logout:"):
            sign_out()
note_page(nav.url_path)  # a page's filters come back as they were when it was left (app/aggregate_widgets.py)
# The edge of every page: an error no page caught is one sentence (its detail in the error log), never Streamlit's
# English "This app has encountered an error" (an outside test: a mapping of an unforeseen shape, session 39).
guarded(nav.run)
