"""Accounts and server-side sessions: hashing, lock-out, timeouts, sign-out, disable, OIDC replay, demo users."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.auth import (
    ADDRESS_MAX_FAILURES,
    SIGN_IN_REFUSED,
    SignInFailed,
    UserStore,
    ensure_demo_users,
    token_trace_id,
)
from graph.errors import WijknetError
from queries.access import Role

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PW = "correct horse battery"


@pytest.fixture()
def store(tmp_path: Path) -> UserStore:
    s = UserStore(tmp_path / "users.sqlite", idle_minutes=30, max_hours=10,
                  hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    s.add_user("coach1", Role.COACH, organisation="Wijkcoaches", password=PW, professional_id="PRO-1")
    s.add_user("beleid", Role.POLICYMAKER, password=PW)
    return s


def test_store_file_is_private_and_holds_no_password(store: UserStore) -> None:
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert PW.encode() not in store.path.read_bytes()
    assert b"$argon2id$" in store.path.read_bytes()


def test_right_password_gives_the_account_and_actor(store: UserStore) -> None:
    acc = store.authenticate("Coach1 ", PW)
    actor = acc.actor(trace_id="t", access_point="web:1")
    assert (actor.user, actor.role, actor.organisation, actor.professional_id) == (
        "coach1", Role.COACH, "Wijkcoaches", "PRO-1")


class CountingHasher(PasswordHasher):
    """argon2 as configured, counting its verifications (a refused sign-in must cost one, whatever the reason)."""

    verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - argon2's own name
        CountingHasher.verified += 1
        return super().verify(hash, password)


def _refusal(store: UserStore, user: str, password: str, now: datetime = T0) -> str:
    before = CountingHasher.verified
    with pytest.raises(SignInFailed) as exc:
        store.authenticate(user, password, now=now)
    assert CountingHasher.verified == before + 1  # one argon2 verification on every path: similar timing
    return str(exc.value)


@pytest.fixture()
def counted(tmp_path: Path) -> UserStore:
    s = UserStore(tmp_path / "users.sqlite", hasher=CountingHasher(time_cost=1, memory_cost=8, parallelism=1))
    for name in ("coach1", "locked", "off"):
        s.add_user(name, Role.POLICYMAKER, password=PW)
    s.add_user("oidc-only", Role.POLICYMAKER, email="anna@enschede.nl")
    s.set_disabled("off")
    for _ in range(5):
        with pytest.raises(SignInFailed):
            s.authenticate("locked", "guess guess guess", now=T0)
    return s


def test_every_refused_sign_in_gets_one_sentence(counted: UserStore) -> None:
    """Locked or not, existing or not, disabled or not: nobody can tell which from the answer."""
    answers = {
        "wrong password": _refusal(counted, "coach1", "wrong password!"),
        "empty password": _refusal(counted, "coach1", ""),
        "unknown name": _refusal(counted, "nobody", PW),
        "unknown name, 5th try": [_refusal(counted, "nobody", "x") for _ in range(5)][-1],
        "locked, wrong password": _refusal(counted, "locked", "wrong password!", T0 + timedelta(minutes=1)),
        "locked, right password": _refusal(counted, "locked", PW, T0 + timedelta(minutes=1)),
        "disabled, right password": _refusal(counted, "off", PW),
        "disabled, wrong password": _refusal(counted, "off", "wrong password!"),
        "no password (OIDC only)": _refusal(counted, "oidc-only", PW),
    }
    assert set(answers.values()) == {SIGN_IN_REFUSED}, answers
    assert SIGN_IN_REFUSED == ("Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet, of het account "
                               "is geblokkeerd of uitgeschakeld. Probeer het later opnieuw of vraag het de beheerder.")


def test_five_wrong_passwords_lock_the_account_for_15_minutes(store: UserStore) -> None:
    for _ in range(5):
        with pytest.raises(SignInFailed, match="klopt niet"):
            store.authenticate("coach1", "guess guess guess", now=T0)
    with pytest.raises(SignInFailed) as exc:
        store.authenticate("coach1", PW, now=T0 + timedelta(seconds=5))  # even the right password
    assert (str(exc.value), exc.value.reason) == (SIGN_IN_REFUSED, "locked")
    with pytest.raises(SignInFailed, match="^Aanmelden mislukt"):
        store.authenticate("coach1", PW, now=T0 + timedelta(minutes=14, seconds=59))
    assert store.authenticate("coach1", PW, now=T0 + timedelta(minutes=16)).username == "coach1"


def test_the_reason_is_kept_for_the_audit_log_only(counted: UserStore) -> None:
    reasons = {}
    for user, password in (("coach1", "wrong password!"), ("nobody", PW), ("locked", PW), ("off", PW)):
        with pytest.raises(SignInFailed) as exc:
            counted.authenticate(user, password, now=T0 + timedelta(minutes=1))
        reasons[user] = exc.value.reason
    assert reasons == {"coach1": "wrong password", "nobody": "unknown user", "locked": "locked",
                       "off": "disabled"}


def test_session_lives_while_active_and_ends_when_idle(store: UserStore) -> None:
    token = store.start_session(store.authenticate("coach1", PW), now=T0)
    for minutes in (20, 40, 60):  # each check within 30 minutes of the last keeps it alive
        acc = store.check_session(token, now=T0 + timedelta(minutes=minutes))
        assert acc is not None and acc.username == "coach1"
    assert store.check_session(token, now=T0 + timedelta(minutes=91)) is None
    assert store.check_session(token, now=T0 + timedelta(minutes=92)) is None  # ended for good
    assert store.sessions("coach1")[0].end_reason == "idle"


def test_session_ends_after_its_absolute_lifetime(store: UserStore) -> None:
    token = store.start_session(store.authenticate("coach1", PW), now=T0)
    t = T0
    while t < T0 + timedelta(hours=10, minutes=20):
        t += timedelta(minutes=20)
        alive = store.check_session(token, now=t)
        assert (alive is not None) == (t - T0 <= timedelta(hours=10))
    assert store.sessions("coach1")[0].end_reason == "lifetime over"


def test_sessions_of_closed_browsers_end_after_the_idle_time(store: UserStore) -> None:
    """One account had 23 open sessions: browsers closed without signing out are never checked again, so the
    store must end them by itself; only live sessions are listed (the users page)."""
    acc = store.authenticate("coach1", PW)
    for i in range(22):  # closed browsers, every 20 minutes since T0
        store.start_session(acc, now=T0 + timedelta(minutes=20 * i))
    now = T0 + timedelta(minutes=20 * 22)
    live = store.start_session(acc, now=now - timedelta(minutes=5))  # this one is in use
    store.check_session(live, now=now)
    # each sign-in ended the sessions idle for more than 30 minutes: the 22nd (20 minutes idle) and the live one
    assert len(store.sessions("coach1", open_only=True)) == 2
    assert len(store.sessions("coach1", live_only=True, now=now)) == 2
    later = now + timedelta(minutes=25)
    assert [s.trace_id for s in store.sessions("coach1", live_only=True, now=later)] == [token_trace_id(live)]
    assert store.end_expired(now=later) == 1
    open_now = store.sessions("coach1", open_only=True)
    assert [s.trace_id for s in open_now] == [token_trace_id(live)]
    ended = [s for s in store.sessions("coach1") if s.ended is not None]
    assert len(ended) == 22 and {s.end_reason for s in ended} == {"idle"}
    assert store.check_session(live, now=now + timedelta(minutes=26)) is not None


def test_a_new_sign_in_ends_the_expired_sessions(store: UserStore) -> None:
    acc = store.authenticate("beleid", PW)
    old = store.start_session(acc, now=T0)
    for minutes in range(20, 600, 20):  # active all day
        assert store.check_session(old, now=T0 + timedelta(minutes=minutes)) is not None
    store.start_session(acc, now=T0 + timedelta(hours=10, minutes=1))  # past the absolute lifetime of the first
    assert [s.end_reason for s in store.sessions("beleid")] == ["", "lifetime over"]


def test_sign_out_makes_a_replayed_token_worthless(store: UserStore) -> None:
    token = store.start_session(store.authenticate("coach1", PW), now=T0)
    other = store.start_session(store.authenticate("coach1", PW), now=T0)
    store.end_session(token, now=T0 + timedelta(minutes=1))
    assert store.check_session(token, now=T0 + timedelta(minutes=2)) is None
    assert store.check_session(other, now=T0 + timedelta(minutes=2)) is not None  # other tab/device
    assert store.check_session("made-up-token", now=T0) is None
    assert store.check_session(None) is None


def test_disabling_an_account_ends_all_its_sessions_and_sign_in(store: UserStore) -> None:
    tokens = [store.start_session(store.authenticate("coach1", PW), now=T0) for _ in range(3)]
    store.set_disabled("coach1", now=T0 + timedelta(minutes=1))
    assert [store.check_session(t, now=T0 + timedelta(minutes=2)) for t in tokens] == [None, None, None]
    with pytest.raises(SignInFailed, match="^Aanmelden mislukt"):
        store.authenticate("coach1", PW)
    store.set_disabled("coach1", False)
    assert store.check_session(tokens[0]) is None  # enabling again does not revive old sessions


def test_a_sign_in_checked_with_the_old_password_gets_no_session_after_the_password_changed(
        store: UserStore) -> None:
    signing_in = store.authenticate("coach1", PW, now=T0)  # the password is checked ...
    store.set_password("coach1", "a brand new long password")  # ... an admin changes it meanwhile ...
    with pytest.raises(SignInFailed, match=SIGN_IN_REFUSED) as refused:
        store.start_session(signing_in, now=T0)  # ... and the session would start with the old one
    assert refused.value.reason == "password changed during sign-in"
    assert store.sessions("coach1", live_only=True, now=T0) == []
    fresh = store.authenticate("coach1", "a brand new long password", now=T0)
    assert store.check_session(store.start_session(fresh, now=T0), now=T0) == fresh


def test_a_sign_in_racing_a_disable_gets_no_session(store: UserStore) -> None:
    signing_in = store.authenticate("beleid", PW, now=T0)
    store.set_disabled("beleid", now=T0)
    with pytest.raises(SignInFailed, match=SIGN_IN_REFUSED) as refused:
        store.start_session(signing_in, now=T0)
    assert refused.value.reason == "account disabled during sign-in"
    assert store.sessions("beleid", live_only=True, now=T0) == []


def test_trace_id_is_not_the_token(store: UserStore) -> None:
    token = store.start_session(store.authenticate("beleid", PW))
    assert len(token_trace_id(token)) == 16
    assert token_trace_id(token) not in token
    assert token.encode() not in store.path.read_bytes()


def test_oidc_identity_issued_before_sign_out_is_refused(store: UserStore) -> None:
    store.add_user("anna", Role.PROJECT_LEAD, email="Anna@Enschede.nl")
    claims = {"email": "anna@enschede.nl", "iat": T0.timestamp()}
    assert store.account_for_oidc(claims).username == "anna"
    store.revoke_sessions("anna", now=T0 + timedelta(minutes=5))
    with pytest.raises(SignInFailed, match="meld u opnieuw aan"):
        store.account_for_oidc(claims)  # the replayed identity cookie
    fresh = {"email": "anna@enschede.nl", "iat": (T0 + timedelta(minutes=6)).timestamp()}
    assert store.account_for_oidc(fresh).username == "anna"
    with pytest.raises(SignInFailed, match="geen account"):
        store.account_for_oidc({"email": "mallory@example.org", "iat": T0.timestamp()})
    with pytest.raises(SignInFailed, match="^Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet"):
        store.authenticate("anna", "")  # an OIDC-only account has no password


def test_oidc_identity_with_an_unverified_email_is_refused(store: UserStore) -> None:
    store.add_user("anna", Role.PROJECT_LEAD, email="anna@enschede.nl")
    for unverified in (False, "false"):
        with pytest.raises(SignInFailed, match="niet geverifieerd"):
            store.account_for_oidc({"email": "anna@enschede.nl", "email_verified": unverified, "iat": T0.timestamp()})
    for verified in ({"email_verified": True}, {}):  # Entra ID sends no email_verified at all
        assert store.account_for_oidc({"email": "anna@enschede.nl", "iat": T0.timestamp(), **verified}).username == "anna"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"username": "Robert'); DROP TABLE accounts;--", "role": "admin", "password": PW}, "not allowed"),
    ({"username": "x1", "role": "root", "password": PW}, "Unknown role"),
    ({"username": "c2", "role": "coach", "password": PW}, "Professional"),
    ({"username": "c3", "role": "admin", "password": "short"}, "at least 12"),
    ({"username": "coach1", "role": "admin", "password": PW}, "already"),
])
def test_add_user_refuses_bad_input(store: UserStore, kwargs: dict[str, str], match: str) -> None:
    with pytest.raises(WijknetError, match=match):
        store.add_user(**kwargs)  # type: ignore[arg-type]
    assert [a.username for a in store.list_users()] == ["beleid", "coach1"]


def test_demo_users_are_made_once_with_a_private_password_file(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.sqlite", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    pw_file = tmp_path / "demo-password"
    password, created = ensure_demo_users(store, ["PRO-A", "PRO-B"], pw_file)
    assert created == ["coach1", "coach2", "projectleider", "beleid", "datasteward", "admin"]
    assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
    assert len(password) >= 16
    assert ensure_demo_users(store, ["PRO-A", "PRO-B"], pw_file) == (password, [])
    _, created = ensure_demo_users(store, ["PRO-X", "PRO-B", "PRO-C"], pw_file)  # data reloaded
    assert created == ["coach3"]
    assert store.authenticate("coach1", password).professional_id == "PRO-X"
    assert {a.username: a.role for a in store.list_users()}["beleid"] == Role.POLICYMAKER


def test_the_stand_in_hash_for_unknown_names_is_made_once_per_process_and_parameters(tmp_path: Path) -> None:
    """Opening a store costs no argon2 hash after the first (a command, a page, a test opens one each time), and a
    store with other parameters gets a stand-in of its own parameters, so an unknown name still costs as long."""
    from argon2 import PasswordHasher

    from app.auth import UserStore

    class Counting(PasswordHasher):
        made = 0

        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            type(self).made += 1
            return super().hash(password, salt=salt)

    # parameters no other test uses, so no stand-in was made for them before in this process
    first = UserStore(tmp_path / "a.sqlite", hasher=Counting(time_cost=3, memory_cost=11, parallelism=1))
    second = UserStore(tmp_path / "b.sqlite", hasher=Counting(time_cost=3, memory_cost=11, parallelism=1))
    assert Counting.made == 1 and first._dummy_hash == second._dummy_hash
    other = UserStore(tmp_path / "c.sqlite", hasher=Counting(time_cost=4, memory_cost=11, parallelism=1))
    assert Counting.made == 2 and "t=4" in other._dummy_hash and "t=3" in first._dummy_hash
    with pytest.raises(SignInFailed):  # an unknown name is verified against the stand-in, and refused
        other.authenticate("onbekend", "een-lang-wachtwoord")


# -- what an outside review added as an admin (twenty-fourth session) -----------------------------------------------

@pytest.mark.parametrize("email", ["anouk@@gemeente", "geen-email", "a nouk@gemeente.nl", "anouk@gemeente"])
def test_an_e_mail_that_is_none_is_refused(store: UserStore, email: str) -> None:
    """``--email anouk@@gemeente`` made a password-less account nobody could ever sign in to, and nobody was told."""
    with pytest.raises(WijknetError, match="not an e-mail address"):
        store.add_user("anouk", Role.PROJECT_LEAD, email=email)
    assert store.get("anouk") is None


def test_one_e_mail_address_signs_in_to_one_account(store: UserStore) -> None:
    """The second account with an address crashed on the database's constraint ("something unexpected")."""
    store.add_user("anouk", Role.PROJECT_LEAD, email=" Anouk@Gemeente.nl")
    assert store.get("anouk").email == "anouk@gemeente.nl"
    with pytest.raises(WijknetError, match="'anouk' already has the e-mail address 'anouk@gemeente.nl'"):
        store.add_user("anouk4", Role.ADMIN, email="anouk@gemeente.nl")


def test_the_last_enabled_admin_is_not_disabled(store: UserStore) -> None:
    """`users disable admin --as admin` with the other admin disabled locked every admin out."""
    store.add_user("beheer1", Role.ADMIN, password="a long admin password")
    store.add_user("beheer2", Role.ADMIN, password="a long admin password")
    store.set_disabled("beheer2")
    with pytest.raises(WijknetError, match="last admin account"):
        store.set_disabled("beheer1")
    assert store.get("beheer1").disabled is False
    store.set_disabled("beheer2", False)
    store.set_disabled("beheer1")  # another admin is enabled now
    assert store.get("beheer1").disabled is True


def test_many_accounts_tried_from_one_address_are_refused_there_until_the_failures_age(counted: UserStore) -> None:
    """Credential stuffing: every account tried once from one address never reaches any account's lock (five
    wrong passwords each). After ADDRESS_MAX_FAILURES failed sign-ins within ADDRESS_WINDOW_MINUTES from one address,
    that address is refused before any password is checked, with when to try again; another address is not, and the
    refusal ends by itself (refused attempts do not count, so an office behind one address is slowed, not locked)."""
    here, office = "web:203.0.113.7", "web:198.51.100.2"
    for n in range(ADDRESS_MAX_FAILURES):  # one try each at many names, spread over ten minutes
        with pytest.raises(SignInFailed) as exc:
            counted.authenticate(f"naam{n}", "Welkom01!", now=T0 + timedelta(seconds=30 * n), address=here)
        assert exc.value.reason == "unknown user"
    at = T0 + timedelta(minutes=10)
    before = CountingHasher.verified
    with pytest.raises(SignInFailed) as exc:
        counted.authenticate("coach1", PW, now=at, address=here)  # even the right password
    assert CountingHasher.verified == before  # refused before any hash is checked
    assert exc.value.reason == "too many failed sign-ins from this address"
    # the oldest failure (T0) leaves the 15-minute window at T0 + 15 min: 5 minutes from now
    assert str(exc.value) == ("Te veel mislukte aanmeldpogingen vanaf dit netwerkadres. Probeer het over 5 minuten "
                              "opnieuw of vraag het de beheerder.")
    with pytest.raises(SignInFailed, match="over 1 minuut opnieuw"):
        counted.authenticate("coach1", PW, now=T0 + timedelta(minutes=14, seconds=1), address=here)
    assert counted.authenticate("coach1", PW, now=at, address=office).username == "coach1"  # another address
    assert counted.authenticate("coach1", PW, now=T0 + timedelta(minutes=15, seconds=1), address=here).username \
        == "coach1"  # the first failure has aged out; the refusals in between were not counted


def test_a_few_typing_errors_from_one_office_address_are_not_refused(counted: UserStore) -> None:
    office = "web:198.51.100.2"
    for n in range(ADDRESS_MAX_FAILURES - 1):
        with pytest.raises(SignInFailed, match="^Aanmelden mislukt"):
            counted.authenticate("coach1" if n % 4 else "nobody", "typo typo typo", now=T0, address=office)
        if n % 4 == 3:
            counted.authenticate("coach1", PW, now=T0, address=office)  # resets coach1's own count
    assert counted.authenticate("coach1", PW, now=T0, address=office).username == "coach1"
