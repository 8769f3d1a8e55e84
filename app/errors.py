"""Errors at the edge: one sentence for the user, the detail in a log file with identifiers masked."""

from __future__ import annotations

import logging
import re
import traceback
from pathlib import Path

from graph.errors import InvalidFields, WijknetError
from graph.files import private_file
from graph.said import message_of

__all__ = ["log_detail", "log_unexpected", "mask_identifiers", "user_message"]

_BSN_LIKE = re.compile(r"(?<!\d)(\d{4,5})(\d{4})(?!\d)")


def mask_identifiers(text: str) -> str:
    """Mask anything that looks like a BSN (8–9 digits): keep only the last four, e.g. ``*****6789``."""
    return _BSN_LIKE.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)


def _log_path() -> Path:
    from graph.settings import load_settings

    try:
        root = load_settings().state_dir
    except WijknetError:
        root = Path.cwd() / ".state"
    return private_file(root / "wijknet-errors.log")


def _log(text: str, what: str) -> Path:
    """Append ``text`` to the error log with identifiers masked; return the log's path."""
    path = _log_path()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(mask_identifiers(text) + "\n")
    logging.getLogger("wijknet").error("%s (logged to %s)", what, path)
    return path


def log_unexpected(exc: BaseException) -> Path:
    """Append the masked traceback of ``exc`` to the error log; return the log's path."""
    return _log("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
                f"unexpected {type(exc).__name__}")


def log_detail(exc: BaseException) -> Path:
    """Append what ``exc`` says (its English sentence, which may name the server's files) to the error log, with
    identifiers masked; return the log's path. For an error whose sentence is for the administrator, not the page."""
    from datetime import UTC, datetime

    return _log(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {type(exc).__name__}: {exc}", type(exc).__name__)


def user_message(exc: BaseException, *, on_server: bool = False) -> str:
    """The one sentence a user sees for ``exc``.

    An audit log that cannot be written is one sentence without the log's path on a page (the page is read in a
    browser, anywhere): the path and the reason go to the server's error log. ``on_server``: the reader is on the
    server itself (the CLI), who may read the path in the sentence."""
    from app.i18n import say, t
    from queries.audit import AuditUnavailable

    if isinstance(exc, AuditUnavailable) and not on_server:
        log_detail(exc)
        return t("errors.audit_unavailable")
    # A page shows the sentence as Markdown: the values in it that a person, a link or a file wrote are shown as
    # written (escaped), not obeyed (a link's "![b](http://…)" made the browser fetch an outside image).
    markdown = not on_server
    if isinstance(exc, InvalidFields):  # one sentence per field, each in the user's language
        return " ".join(say(msg, markdown=markdown) for msg in exc.fields.values())
    if isinstance(exc, WijknetError):
        return say(message_of(exc), markdown=markdown)  # said below app/ (graph.said) in the user's language

    where = log_unexpected(exc)
    if on_server:
        return f"{t('errors.unexpected', kind=type(exc).__name__)} ({where})"
    return t("errors.unexpected", kind=type(exc).__name__)
