"""Small shared pieces of the pages: friendly errors, empty states."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from app.errors import user_message
from app.i18n import t
from graph.errors import AccessDenied, BeingComputed, DatabaseError, WijknetError
from queries.access import Actor, Role

if TYPE_CHECKING:
    from ingest.validate import Problem

__all__ = ["busy", "computed", "guarded", "page_actor", "problem_rows"]

T = TypeVar("T")
_ASK_AGAIN_S = 3.0  # how long a page whose figures are being computed waits before it asks again


def guarded(fn: Callable[[], T]) -> T | None:
    """Run ``fn``; on any error show one sentence (never a traceback) and return ``None``."""
    try:
        return fn()
    except BeingComputed as exc:  # a large graph while a fresh snapshot is read: say so and ask again shortly
        st.info(user_message(exc), icon=":material/hourglass_top:")
        time.sleep(_ASK_AGAIN_S)
        st.rerun()
    except AccessDenied as exc:
        st.warning(user_message(exc), icon=":material/lock:")
    except DatabaseError as exc:
        st.error(user_message(exc), icon=":material/cloud_off:")
    except WijknetError as exc:
        st.error(user_message(exc))
    except Exception as exc:  # the edge: one sentence, detail in the log
        st.error(user_message(exc))
    return None


def computed(fn: Callable[[], T]) -> T | None:
    """:func:`guarded` for a page's figures: a first read of a date or period counts and protects them (the
    disclosure control's programmes), seconds for a small municipality's many small cells, so a spinner says so.
    It shows only once the work has taken half a second (``st.spinner``): figures read from memory show nothing.
    Without Streamlit's elapsed time, which it says in English ("(2.0 seconds)")."""
    with st.spinner(t("agg.computing")):
        return guarded(fn)


@contextmanager
def busy(text: str) -> Iterator[None]:
    """A running status line (its spinner and ``text``) drawn at once and gone when the block ends.

    ``st.spinner`` draws only once its block has run half a second, so a check that ends sooner showed nothing
    and one just over it a flash; a person who just dropped a file is better served by seeing at once that it
    is being read (and the browser test of the Load data page no longer depends on how fast the machine is).
    """
    shown = st.empty()
    shown.status(text, state="running")
    try:
        yield
    finally:
        shown.empty()


def page_actor(title: str, action: str, *roles: Role) -> Actor:
    """Title the page and return the signed-in actor; stop the script when nobody is signed in or the actor's
    role is not one of ``roles`` (that denial is audited as ``action``)."""
    from app.session import current_actor
    from app.state import get_audit
    from queries.access import require_role

    st.title(title)
    actor = current_actor()
    if actor is None:
        st.warning(t("ui.sign_in_first"))
        st.stop()
    if actor.role not in roles:
        guarded(lambda: require_role(get_audit(), actor, action, *roles))
        st.stop()
    return actor


def uploader_in_language() -> None:
    """Streamlit draws its file uploader's button ("Upload") and its limits ("20MB per file • CSV, XLSX") in
    English, with no option to change them: this page's uploaders show the button in the user's language and
    leave the limits to the page's own caption. CSS only (generated content), so nothing is loaded from elsewhere."""
    button = t("ui.upload_button").replace("\\", "").replace('"', "")
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: "{button}"; }}
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
</style>""")


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems of a load report as the load page's table shows them, in the page's language: the value column
    as the report has it (the cell as written, BSN-like digits masked; an unknown address as the steward loaded
    it, like the key column)."""
    from app.i18n import say, shown_text

    # st.table reads its cells as Markdown: what the file holds is shown as written (an image in a cell was fetched)
    return [{t("col.file"): shown_text(p.file), t("col.row"): p.row, t("col.key"): shown_text(p.key or ""),
             t("col.column"): shown_text(p.column), t("col.value"): say(p.value, markdown=True),
             t("col.reason"): say(p.reason, markdown=True)} for p in problems]
