"""Small shared pieces of the pages: friendly errors, empty states."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from app.errors import user_message
from graph.errors import AccessDenied, DatabaseError, WijknetError

__all__ = ["guarded"]

T = TypeVar("T")


def guarded(fn: Callable[[], T]) -> T | None:
    """Run ``fn``; on any error show one sentence (never a traceback) and return ``None``."""
    try:
        return fn()
    except AccessDenied as exc:
        st.warning(str(exc), icon=":material/lock:")
    except DatabaseError as exc:
        st.error(str(exc), icon=":material/cloud_off:")
    except WijknetError as exc:
        st.error(str(exc))
    except Exception as exc:  # the edge: one sentence, detail in the log
        st.error(user_message(exc))
    return None
