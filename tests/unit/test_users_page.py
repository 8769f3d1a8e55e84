"""The admin's users page in-process (Streamlit's AppTest): disabling an account or ending its sessions asks
first and goes through the audited write entry; nothing changes before the admin confirms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.auth import default_store
from queries.access import Role
from queries.audit import default_audit_log

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "users.py")


@pytest.fixture()
def admin_page(test_env: dict[str, str]) -> AppTest:
    store = default_store()
    acc = store.get("usersadmin") or store.add_user("usersadmin", Role.ADMIN, password="a long admin password")
    if store.get("medewerker") is None:
        store.add_user("medewerker", Role.DATA_STEWARD, password="another long password")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_disabling_asks_first_and_is_audited_through_the_write_entry(admin_page: AppTest) -> None:
    at = admin_page
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()  # empty cells are empty, not "None"
    assert set(table["Rol"]) <= {"wijkcoach", "projectleider", "beleidsmedewerker", "gegevensbeheerder", "beheerder",
                                 "partnerprofessional"}  # (an account of another test file may be there)
    next(s for s in at.selectbox if s.label == "Account").set_value("medewerker").run()
    _button(at, "Uitschakelen (beëindigt alle sessies)").click().run()
    assert default_store().get("medewerker").disabled is False  # only asked so far
    assert any("**medewerker** uitschakelen?" in m.value for m in at.markdown)
    _button(at, "Ja, uitschakelen").click().run()
    assert default_store().get("medewerker").disabled is True
    recs = [(r.action, r.target, r.result) for r in default_audit_log().records(user="usersadmin")
            if r.target == "medewerker"]
    assert recs[-2:] == [("user_disable", "medewerker", "ok"), ("user_disable", "medewerker", "disabled")]
    # what happened is said, and only the button that changes the account can be clicked (an outside review: no
    # sign of anything after a click, and "Uitschakelen" on a disabled account did it again without a word)
    assert [m.value for m in at.success] == ["medewerker is uitgeschakeld; elke sessie ervan is beëindigd."]
    assert _button(at, "Uitschakelen (beëindigt alle sessies)").disabled
    _button(at, "Inschakelen").click().run()
    assert default_store().get("medewerker").disabled is False
    assert [m.value for m in at.success] == ["medewerker is weer ingeschakeld: aanmelden kan weer."]
    assert not _button(at, "Uitschakelen (beëindigt alle sessies)").disabled and _button(at, "Inschakelen").disabled
    _button(at, "Alle sessies beëindigen").click().run()
    _button(at, "Ja, sessies beëindigen").click().run()
    assert [m.value for m in at.success] == ["0 sessies van medewerker beëindigd."]


def test_a_locked_account_shows_until_when_and_unlocking_lets_it_sign_in(admin_page: AppTest) -> None:
    """A steward's walk (08-12-2026): an account locked by five wrong passwords looked like any other on this
    page; the admin could not see why the right password was refused, nor end the lock."""
    from app.auth import SignInFailed

    store = default_store()
    if store.get("vergrendeld") is None:
        store.add_user("vergrendeld", Role.DATA_STEWARD, password="nog een lang wachtwoord")
    for _ in range(5):
        with pytest.raises(SignInFailed):
            store.authenticate("vergrendeld", "fout fout fout")
    at = admin_page
    at.run()
    table = at.dataframe[0].value
    row = table[table["Gebruiker"] == "vergrendeld"].iloc[0]
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", str(row["Vergrendeld tot"])), row  # Dutch time
    assert set(table[table["Gebruiker"] != "vergrendeld"]["Vergrendeld tot"]) <= {""}
    next(s for s in at.selectbox if s.label == "Account").set_value("vergrendeld").run()
    _button(at, "Ontgrendelen").click().run()
    assert [m.value for m in at.success] == ["vergrendeld is ontgrendeld: aanmelden kan weer."]
    assert store.authenticate("vergrendeld", "nog een lang wachtwoord").username == "vergrendeld"
    assert _button(at, "Ontgrendelen").disabled  # nothing to unlock now
    assert [(r.action, r.result) for r in default_audit_log().records(user="usersadmin")
            if r.target == "vergrendeld"][-2:] == [("user_unlock", "ok"), ("user_unlock", "unlocked")]
