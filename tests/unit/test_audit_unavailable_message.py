"""An audit log that cannot be written (or anything unexpected): the page says one Dutch sentence without the server's paths (also on the
sign-in page, to someone not signed in); the path is in the server's error log; the CLI, on the server, keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.auth import default_store
from app.errors import user_message
from graph.errors import WijknetError
from queries.access import Actor, Role, audit_action
from queries.audit import AuditLog, default_audit_log

SENTENCE = ("Het auditlog kan niet worden geschreven, daarom worden er geen gegevens getoond; vraag de beheerder "
            "het foutenlogboek van de server na te kijken.")


def _refused(log: AuditLog) -> WijknetError:
    with pytest.raises(WijknetError) as caught:
        audit_action(log, Actor("p1", Role.POLICYMAKER, "Gemeente"), "view_household", target="HH-1")
    return caught.value


def test_the_page_sentence_names_no_path_and_the_error_log_does(state: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    exc = _refused(AuditLog(blocker / "audit.sqlite"))
    shown = user_message(exc)
    assert shown == SENTENCE
    assert "/" not in shown and str(tmp_path) not in shown and "Het auditlog kan niet worden geschreven" in shown
    assert str(blocker / "audit.sqlite") in (state / "wijknet-errors.log").read_text(encoding="utf-8")
    assert str(blocker / "audit.sqlite") in user_message(exc, on_server=True)  # the CLI, run on the server


def _sign_in() -> None:
    from app.signin import sign_in_page

    sign_in_page()


def test_the_sign_in_page_says_it_without_a_path(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed sign-in is audited; with the log unwritable (here its file is a directory) the form says so in
    one Dutch sentence, and the reader of the page learns nothing of the server's folders."""
    import app.signin

    monkeypatch.setenv("WIJKNET_DEMO_USERS", "0")
    default_store().add_user("beheer", Role.ADMIN, password="a long admin password")
    (state / "audit.sqlite").mkdir(parents=True)
    # this state's store and log, not the process-wide cached ones (st.cache_resource) other tests share
    monkeypatch.setattr(app.signin, "get_store", default_store)
    monkeypatch.setattr(app.signin, "get_audit", default_audit_log)
    at = AppTest.from_function(_sign_in, default_timeout=60)
    at.run()
    at.text_input[0].input("beheer")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert said == [SENTENCE]
    assert str(state) not in " ".join(said)
    assert str(state / "audit.sqlite") in (state / "wijknet-errors.log").read_text(encoding="utf-8")


def test_an_unexpected_error_names_no_path_on_the_page_either(state: Path) -> None:
    shown = user_message(RuntimeError("boom"))
    assert shown == ("Er ging iets onverwacht mis (RuntimeError); de details staan in het foutenlogboek van de "
                     "server.")
    assert "RuntimeError: boom" in (state / "wijknet-errors.log").read_text(encoding="utf-8")


def test_a_value_someone_wrote_is_shown_as_written_on_a_page_and_kept_on_the_server() -> None:
    """A page shows the sentence as Markdown: a value from a link, a form or a file in it must not become an
    image the browser fetches or a link (an outside test of 08-12-2026: a link's value in a warning)."""
    from graph.errors import InvalidFields
    from graph.said import said

    hostile = "![b](http://attacker.example/b.png) [Opnieuw aanmelden](https://evil.example/l)"
    exc = WijknetError(said("said.file.empty", "{name} is empty.", name=hostile))
    page, server = user_message(exc), user_message(exc, on_server=True)
    assert server == f"{hostile} is leeg."
    assert "](" not in page and "![" not in page and "\\!\\[b\\]" in page
    fields = user_message(InvalidFields({"datum": said("said.file.empty", "{name} is empty.", name=hostile)}))
    assert "](" not in fields and "\\[Opnieuw aanmelden\\]" in fields
