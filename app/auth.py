"""Accounts and server-side sessions: one SQLite file (``<state dir>/users.sqlite``, mode 0600), no Streamlit.

* **Accounts** have a role, an organisation, for coaches the id of their ``Professional`` node, and either a
  password (argon2id via argon2-cffi) or an e-mail address that an OpenID Connect sign-in maps onto. Five
  wrong passwords lock an account for 15 minutes. Every refused password sign-in gets one sentence,
  :data:`SIGN_IN_REFUSED` — wrong password, unknown name, locked (even with the right password) or disabled —
  after one argon2 verification on every path, so neither the answer nor its timing tells whether an account
  exists or is locked. The reason is kept in :attr:`SignInFailed.reason` for the audit log.
* **Sessions** are random 256-bit tokens. Only their SHA-256 is stored, with the time of sign-in, the last
  activity and the reason it ended. :meth:`UserStore.check_session` is called on every rerun of the app: a
  session is good only while it has not been ended (sign-out, account disabled, revoked by an admin), has
  been active within the idle timeout and is younger than the absolute lifetime. So a copied token or cookie
  replayed after sign-out gives nothing. A browser closed without signing out never asks again: its session
  is ended by :meth:`UserStore.end_expired` (at every sign-in, and when the users page lists sessions), and
  :meth:`UserStore.sessions` ``(live_only=True)`` lists only the sessions a browser can still use.
* **Demo accounts** (``coach1``.., ``projectleider``, ``beleid``, ``datasteward``, ``admin``) share one random
  password written to ``<state dir>/demo-password`` (mode 0600) when ``WIJKNET_DEMO_USERS=1``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.i18n import plural, t
from graph.errors import WijknetError
from graph.files import private_dir, private_file
from graph.said import said
from queries.access import Actor, Role

__all__ = [
    "ADDRESS_MAX_FAILURES",
    "ADDRESS_WINDOW_MINUTES",
    "DEMO_ORGANISATION",
    "SIGN_IN_REFUSED",
    "Account",
    "SessionInfo",
    "SignInFailed",
    "UserStore",
    "cli_actor",
    "default_store",
    "demo_password_path",
    "ensure_demo_users",
    "token_trace_id",
]

MAX_FAILURES = 5
#: The one answer to every refused password sign-in (see :meth:`UserStore.authenticate`), in the app's language.
SIGN_IN_REFUSED = t("auth.refused")
LOCK_MINUTES = 15
#: Failed sign-ins from one address (``web:<address>``, as the audit records it) within
#: :data:`ADDRESS_WINDOW_MINUTES` after which that address is refused without a password being checked: trying
#: many accounts once each (credential stuffing, password spraying) never reaches any account's lock. High enough
#: that an office behind one NAT address does not reach it by typing errors; the refusal ends by itself as the
#: failures leave the window (refused attempts are not counted, so it is a slow-down, not a lock-out).
ADDRESS_MAX_FAILURES = 20
ADDRESS_WINDOW_MINUTES = 15
MIN_PASSWORD = 12
DEMO_ORGANISATION = "Gemeente Enschede"
COACH_ORGANISATION = "Wijkcoaches Velve-Lindenhof"
DEMO_STAFF = (("projectleider", Role.PROJECT_LEAD), ("beleid", Role.POLICYMAKER),
              ("datasteward", Role.DATA_STEWARD), ("admin", Role.ADMIN))
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
#: an e-mail address as an identity provider gives it: one @, a dotted domain, no spaces
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class SignInFailed(WijknetError):
    """Sign-in refused (wrong name or password, locked, disabled, not known to wijknet).

    The message is what the person sees; ``reason`` (e.g. ``"locked"``) is for the audit log only.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    organisation: str
    professional_id: str | None
    email: str | None
    disabled: bool
    demo: bool
    #: A fingerprint of the password hash as it was read (``None``: no password). A session starts only while
    #: the stored hash still has it, so a sign-in checked with a password changed meanwhile gets none.
    credential: str | None = field(default=None, repr=False, compare=False)

    def actor(self, *, trace_id: str = "", access_point: str = "") -> Actor:
        return Actor(self.username, self.role, self.organisation, self.professional_id, trace_id, access_point)


@dataclass(frozen=True)
class SessionInfo:
    trace_id: str
    username: str
    started: datetime
    last_seen: datetime
    ended: datetime | None
    end_reason: str


_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY, role TEXT NOT NULL, organisation TEXT NOT NULL, professional_id TEXT,
    email TEXT UNIQUE, password_hash TEXT, disabled INTEGER NOT NULL DEFAULT 0, demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
    sessions_revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES accounts(username),
    started TEXT NOT NULL, last_seen TEXT NOT NULL, ended TEXT, end_reason TEXT NOT NULL DEFAULT '',
    access_point TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(username);
CREATE TABLE IF NOT EXISTS address_failures (address TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS address_failures_at ON address_failures(address, at);
"""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _ts(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def _parse(t: str | None) -> datetime | None:
    return datetime.fromisoformat(t) if t else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _credential(pw_hash: str | None) -> str | None:
    return hashlib.sha256(pw_hash.encode()).hexdigest()[:32] if pw_hash else None


def token_trace_id(token: str) -> str:
    """The id under which a session appears in the audit log (a hash prefix, never the token)."""
    return _token_hash(token)[:16]


_DUMMY_HASHES: dict[tuple[Any, ...], str] = {}
_DUMMY_LOCK = threading.Lock()


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random secret nobody knows, made with ``hasher``'s parameters: verified instead of an account's
    for an unknown name, so that both take as long. Made once per process and parameters (an argon2 hash costs a
    tenth of a second; a store is opened per command and per test), when the first store opens — not at the first
    sign-in, whose extra time would tell that the name is unknown."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len, hasher.type)
    with _DUMMY_LOCK:
        if key not in _DUMMY_HASHES:
            _DUMMY_HASHES[key] = hasher.hash(secrets.token_hex(8))
        return _DUMMY_HASHES[key]


class UserStore:
    """Accounts and sessions in one SQLite file."""

    def __init__(self, path: Path, *, idle_minutes: int = 30, max_hours: int = 10,
                 hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self.idle = timedelta(minutes=idle_minutes)
        self.lifetime = timedelta(hours=max_hours)
        self.hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        self._dummy_hash = _dummy_hash(self.hasher)  # equal timing for unknown names

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        private_file(self.path)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            conn.executescript(_SCHEMA)
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    # -- accounts -----------------------------------------------------------------------------------------

    @staticmethod
    def _account(row: Sequence[Any]) -> Account:
        return Account(row[0], Role(row[1]), row[2], row[3], row[4], bool(row[5]), bool(row[6]), _credential(row[7]))

    _ACCOUNT_COLS = "username, role, organisation, professional_id, email, disabled, demo, password_hash"

    def add_user(self, username: str, role: Role | str, *, organisation: str = DEMO_ORGANISATION,
                 password: str | None = None, professional_id: str | None = None, email: str | None = None,
                 demo: bool = False, password_hash: str | None = None) -> Account:
        """Create an account. Coaches need ``professional_id``; an account needs a password or an e-mail."""
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise WijknetError(said("said.auth.username", "User name {username!r} is not allowed: use 2–64 "
                                    "lower-case letters, digits, '.', '_', '-' or '@'.", username=username))
        try:
            role = Role(role)
        except ValueError:
            raise WijknetError(said("said.auth.role", "Unknown role {role!r}; choose one of: {roles}.", role=role,
                                    roles=tuple(r.value for r in Role))) from None
        if role in (Role.COACH, Role.PARTNER) and not professional_id:
            raise WijknetError(said("said.auth.professional", "A {role} account needs the id of their Professional "
                                    "(--professional-id).", role=role.value))
        if password is None and password_hash is None and not email:
            raise WijknetError(said("said.auth.no_credential", "An account needs a password or an e-mail address "
                                    "for OpenID Connect sign-in."))
        if email and not _EMAIL.match(email.strip()):
            raise WijknetError(said("said.auth.email", "{email!r} is not an e-mail address (name@domain.nl, without "
                                    "spaces).", email=email))
        if password is not None and not demo and len(password) < MIN_PASSWORD:
            raise WijknetError(said("said.auth.password", "A password needs at least {n} characters.",
                                    n=MIN_PASSWORD))
        pw_hash = password_hash or (self.hasher.hash(password) if password is not None else None)
        with self._lock, self._db() as c:
            if c.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
                raise WijknetError(said("said.auth.exists", "There is already an account {username!r}.",
                                    username=username))
            if email and (other := c.execute("SELECT username FROM accounts WHERE email = ?",
                                             (email.strip().lower(),)).fetchone()):
                raise WijknetError(said("said.auth.email_taken", "The account {other!r} already has the e-mail address "
                                        "{email!r}: one address signs in to one account.", other=other[0],
                                        email=email.strip().lower()))
            c.execute("INSERT INTO accounts (username, role, organisation, professional_id, email, password_hash, "
                      "demo, created_at) VALUES (?,?,?,?,?,?,?,?)",
                      (username, role.value, organisation, professional_id, (email or "").strip().lower() or None,
                       pw_hash,
                       int(demo), _ts(_now(None))))
        acc = self.get(username)
        assert acc is not None
        return acc

    def get(self, username: str) -> Account | None:
        with self._db() as c:
            row = c.execute(f"SELECT {self._ACCOUNT_COLS} FROM accounts WHERE username = ?",  # noqa: S608
                            (username.strip().lower(),)).fetchone()
        return self._account(row) if row else None

    def list_users(self) -> list[Account]:
        with self._db() as c:
            rows = c.execute(f"SELECT {self._ACCOUNT_COLS} FROM accounts ORDER BY username").fetchall()  # noqa: S608
        return [self._account(r) for r in rows]

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise WijknetError(said("said.auth.password", "A password needs at least {n} characters.",
                                    n=MIN_PASSWORD))
        self._require(username)
        with self._lock, self._db() as c:
            c.execute("UPDATE accounts SET password_hash = ?, failures = 0, locked_until = NULL WHERE username = ?",
                      (self.hasher.hash(password), username))
        self.revoke_sessions(username, "password changed")

    def set_disabled(self, username: str, disabled: bool = True, now: datetime | None = None) -> None:
        """Disable (or enable) an account; disabling ends all its sessions at once. The last enabled admin account
        is not disabled: nobody could then manage the accounts but by the first-admin bootstrap."""
        acc = self._require(username)
        with self._lock, self._db() as c:
            if disabled and acc.role == Role.ADMIN and not acc.disabled and c.execute(
                    "SELECT count(*) FROM accounts WHERE role = ? AND disabled = 0 AND username <> ?",
                    (Role.ADMIN.value, acc.username)).fetchone()[0] == 0:
                raise WijknetError(said("said.auth.last_admin", "{username!r} is the last admin account that is "
                                        "enabled: add or enable another admin first, or nobody can manage the "
                                        "accounts.", username=acc.username))
            # enabled, it can sign in again: a lock by wrong passwords ends too (the page said "signing in works
            # again" while the lock still refused the right password)
            c.execute("UPDATE accounts SET disabled = ?, failures = CASE WHEN ? THEN failures ELSE 0 END, "
                      "locked_until = CASE WHEN ? THEN locked_until ELSE NULL END WHERE username = ?",
                      (int(disabled), int(disabled), int(disabled), username))
        if disabled:
            self.revoke_sessions(username, "account disabled", now)

    def locked(self, now: datetime | None = None) -> dict[str, datetime]:
        """The accounts locked by wrong passwords now, and until when (the admin's page and `users list` show it:
        a locked account looked "active", and the admin could not tell why the right password was refused)."""
        now = _now(now)
        with self._lock, self._db() as c:
            rows = c.execute("SELECT username, locked_until FROM accounts WHERE locked_until > ?", (_ts(now),))
            return {name: until for name, raw in rows if (until := _parse(raw)) is not None}

    def unlock(self, username: str) -> None:
        """End the lock of wrong passwords on ``username`` (and its count of them) before it ends by itself."""
        self._require(username)
        with self._lock, self._db() as c:
            c.execute("UPDATE accounts SET failures = 0, locked_until = NULL WHERE username = ?", (username,))

    def _require(self, username: str) -> Account:
        acc = self.get(username)
        if acc is None:
            raise WijknetError(said("said.auth.unknown", "There is no account {username!r}; `wijknet users list` "
                                    "shows them.", username=username))
        return acc

    # -- sign-in ------------------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, now: datetime | None = None, *,
                     address: str = "") -> Account:
        """Check a password; raise :class:`SignInFailed` with :data:`SIGN_IN_REFUSED` whatever was wrong.

        Every path verifies one argon2 hash (the account's, or a dummy for an unknown name or an account
        without a password), so a locked or unknown account answers as slowly as a wrong password. A locked
        account is refused even with the right password, and its lock is neither extended nor lifted.
        ``address`` (where the attempt comes from): once :data:`ADDRESS_MAX_FAILURES` attempts from it failed
        within :data:`ADDRESS_WINDOW_MINUTES`, it is refused before any password is checked, saying when to try
        again (which tells nothing about any account).
        """
        now = _now(now)
        name = (username or "").strip().lower()
        reason, acc = "", None
        # The failure counters must be committed, so the refusal is raised after the transaction.
        with self._lock, self._db() as c:
            wait = self._address_wait(c, address, now)
            if wait:
                reason = "too many failed sign-ins from this address"
            else:
                reason, acc = self._check_password(c, name, password, now)
                if reason and address:
                    c.execute("INSERT INTO address_failures (address, at) VALUES (?, ?)", (address, _ts(now)))
        if wait:
            raise SignInFailed(plural(wait, "auth.throttled_one", "auth.throttled_more"), reason)
        if reason or acc is None:
            raise SignInFailed(t("auth.refused"), reason)
        return acc

    @staticmethod
    def _address_wait(c: sqlite3.Connection, address: str, now: datetime) -> int:
        """Whole minutes until ``address`` may try again (0: it may now); forgets failures older than the window."""
        window = timedelta(minutes=ADDRESS_WINDOW_MINUTES)
        c.execute("DELETE FROM address_failures WHERE at < ?", (_ts(now - window),))
        if not address:
            return 0
        times = [r[0] for r in c.execute("SELECT at FROM address_failures WHERE address = ? ORDER BY at DESC "
                                         "LIMIT ?", (address, ADDRESS_MAX_FAILURES))]
        if len(times) < ADDRESS_MAX_FAILURES:
            return 0
        # it may try again once the oldest of the latest ADDRESS_MAX_FAILURES failures has left the window
        free = (_parse(times[-1]) or now) + window
        return max(1, -(-int((free - now).total_seconds()) // 60))

    def _check_password(self, c: sqlite3.Connection, name: str, password: str,
                        now: datetime) -> tuple[str, Account | None]:
        """Why ``name`` with ``password`` is refused (``""``: it is not) and the account it signs in."""
        reason, acc = "", None
        row = c.execute("SELECT password_hash, disabled, failures, locked_until FROM accounts "
                        "WHERE username = ?", (name,)).fetchone()
        if row is None or row[0] is None:
            self._verify(self._dummy_hash, password)
            reason = "unknown user" if row is None else "no password (OpenID Connect account)"
        else:
            pw_hash, disabled, failures, locked_until = row
            locked = _parse(locked_until)
            right = self._verify(pw_hash, password)
            if locked and locked > now:
                reason = "locked"
            elif not right:
                failures += 1
                lock = _ts(now + timedelta(minutes=LOCK_MINUTES)) if failures >= MAX_FAILURES else None
                c.execute("UPDATE accounts SET failures = ?, locked_until = ? WHERE username = ?",
                          (0 if lock else failures, lock, name))
                reason = "wrong password" + (" (account now locked)" if lock else "")
            elif disabled:
                reason = "disabled"
            else:
                c.execute("UPDATE accounts SET failures = 0, locked_until = NULL WHERE username = ?", (name,))
                if self.hasher.check_needs_rehash(pw_hash):
                    c.execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                              (self.hasher.hash(password), name))
                # Read in the same transaction: the account carries the hash this password was checked
                # against (start_session compares it), not one a concurrent change wrote after it.
                acc = self._account(c.execute(f"SELECT {self._ACCOUNT_COLS} FROM accounts "  # noqa: S608
                                              "WHERE username = ?", (name,)).fetchone())
        return reason, acc

    def _verify(self, pw_hash: str, password: str) -> bool:
        try:
            return bool(self.hasher.verify(pw_hash, password or ""))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def account_for_oidc(self, claims: dict[str, Any], now: datetime | None = None) -> Account:
        """The enabled account whose e-mail matches the OIDC identity; the identity must have been issued
        after the account's sessions were last revoked (a replayed identity cookie is refused). An address the
        provider says it has not verified (``email_verified`` false) is refused; one without the claim (Entra
        ID sends none) is taken as the provider's own."""
        email = str(claims.get("email") or "").strip().lower()
        if not email:
            raise SignInFailed(t("auth.no_email"))
        if claims.get("email_verified") in (False, "false"):  # anyone may type any address into some profiles
            raise SignInFailed(t("auth.unverified"))
        with self._db() as c:
            row = c.execute(f"SELECT {self._ACCOUNT_COLS}, sessions_revoked_at FROM accounts "  # noqa: S608
                            "WHERE email = ?", (email,)).fetchone()
        if row is None:
            raise SignInFailed(t("auth.no_account"))
        acc = self._account(row)
        if acc.disabled:
            raise SignInFailed(t("auth.disabled"))
        revoked = _parse(row[8])
        iat = claims.get("iat")
        issued = datetime.fromtimestamp(float(iat), UTC) if isinstance(iat, int | float) else None
        if revoked and (issued is None or issued <= revoked):
            raise SignInFailed(t("auth.ended"))
        return acc

    # -- sessions -----------------------------------------------------------------------------------------

    def start_session(self, account: Account, *, access_point: str = "", now: datetime | None = None) -> str:
        """A new session token for ``account`` (give it to the browser; only its hash is stored).

        Ends the sessions that expired meanwhile (:meth:`end_expired`): a browser closed without signing out
        never asks again, so nothing else would end its session. Raises :class:`SignInFailed` (no session) when
        the account was disabled or removed, or its password changed, since ``account`` was read: a sign-in
        checked with the old password must not outlive the change that revoked the sessions.
        """
        token = secrets.token_urlsafe(32)
        now = _now(now)
        ts = _ts(now)
        refused = ""
        with self._lock, self._db() as c:
            self._end_expired(c, now)
            row = c.execute("SELECT password_hash, disabled FROM accounts WHERE username = ?",
                            (account.username,)).fetchone()
            if row is None or row[1]:
                refused = "account disabled during sign-in" if row else "account removed during sign-in"
            elif _credential(row[0]) != account.credential:
                refused = "password changed during sign-in"
            else:
                c.execute("INSERT INTO sessions (token_hash, username, started, last_seen, access_point) "
                          "VALUES (?,?,?,?,?)", (_token_hash(token), account.username, ts, ts, access_point[:100]))
        if refused:
            raise SignInFailed(t("auth.refused"), refused)
        return token

    def _expiry_reason(self, started: str, last_seen: str, now: datetime) -> str:
        """Why a session that has not been ended is over at ``now`` ("" while it lives)."""
        return ("lifetime over" if now - datetime.fromisoformat(started) > self.lifetime else
                "idle" if now - datetime.fromisoformat(last_seen) > self.idle else "")

    def _end_expired(self, c: sqlite3.Connection, now: datetime) -> int:
        rows = c.execute("SELECT token_hash, started, last_seen FROM sessions WHERE ended IS NULL").fetchall()
        over = [(_ts(now), reason, th) for th, started, last_seen in rows
                if (reason := self._expiry_reason(started, last_seen, now))]
        c.executemany("UPDATE sessions SET ended = ?, end_reason = ? WHERE token_hash = ?", over)
        return len(over)

    def end_expired(self, now: datetime | None = None) -> int:
        """End every session idle longer than the idle timeout or older than the lifetime; return how many."""
        with self._lock, self._db() as c:
            return self._end_expired(c, _now(now))

    def check_session(self, token: str | None, now: datetime | None = None) -> Account | None:
        """The account of a live session, or ``None``; ends the session when it has timed out."""
        if not token:
            return None
        now = _now(now)
        th = _token_hash(token)
        with self._lock, self._db() as c:
            row = c.execute("SELECT s.username, s.started, s.last_seen, s.ended, a.disabled FROM sessions s "
                            "JOIN accounts a ON a.username = s.username WHERE s.token_hash = ?", (th,)).fetchone()
            if row is None or row[3] is not None:
                return None
            username, started, last_seen, _, disabled = row
            reason = "account disabled" if disabled else self._expiry_reason(started, last_seen, now)
            if reason:
                c.execute("UPDATE sessions SET ended = ?, end_reason = ? WHERE token_hash = ?",
                          (_ts(now), reason, th))
                return None
            c.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (_ts(now), th))
        return self.get(username)

    def session_live(self, trace_id: str, username: str, now: datetime | None = None) -> bool:
        """Whether the session known by ``trace_id`` (:func:`token_trace_id`) of ``username`` is still alive: not
        ended (signed out, revoked), its account enabled, within the idle time and the lifetime.

        For what runs after the page that offered it, without the token (a download built when clicked): it
        neither counts as activity nor ends a session (:meth:`check_session` does that on the next rerun).
        """
        if not trace_id or not username:
            return False
        with self._db() as c:
            rows = c.execute("SELECT s.started, s.last_seen FROM sessions s JOIN accounts a ON a.username = "
                             "s.username WHERE s.username = ? AND substr(s.token_hash, 1, 16) = ? AND s.ended IS "
                             "NULL AND a.disabled = 0", (username, trace_id)).fetchall()
        t = _now(now)
        return any(not self._expiry_reason(started, last_seen, t) for started, last_seen in rows)

    def end_session(self, token: str | None, reason: str = "signed out", now: datetime | None = None) -> None:
        if not token:
            return
        with self._lock, self._db() as c:
            c.execute("UPDATE sessions SET ended = ?, end_reason = ? WHERE token_hash = ? AND ended IS NULL",
                      (_ts(_now(now)), reason, _token_hash(token)))

    def revoke_sessions(self, username: str, reason: str = "revoked", now: datetime | None = None) -> int:
        """End every open session of ``username`` (and refuse OIDC identities issued before now)."""
        t = _ts(_now(now))
        with self._lock, self._db() as c:
            cur = c.execute("UPDATE sessions SET ended = ?, end_reason = ? WHERE username = ? AND ended IS NULL",
                            (t, reason, username))
            c.execute("UPDATE accounts SET sessions_revoked_at = ? WHERE username = ?", (t, username))
            return int(cur.rowcount)

    def sessions(self, username: str | None = None, *, open_only: bool = False, live_only: bool = False,
                 now: datetime | None = None) -> list[SessionInfo]:
        """Sessions, newest first: all, ``open_only`` (not ended yet), or ``live_only`` (not ended, not expired
        at ``now`` and of an enabled account: those a browser can still use)."""
        sql = ("SELECT s.token_hash, s.username, s.started, s.last_seen, s.ended, s.end_reason, a.disabled "
               "FROM sessions s JOIN accounts a ON a.username = s.username")
        cond, args = [], []
        if username:
            cond.append("s.username = ?")
            args.append(username)
        if open_only or live_only:
            cond.append("s.ended IS NULL")
        if cond:
            sql += " WHERE " + " AND ".join(cond)
        with self._db() as c:
            rows = c.execute(sql + " ORDER BY s.started DESC", args).fetchall()
        if live_only:
            t = _now(now)
            rows = [r for r in rows if not r[6] and not self._expiry_reason(r[2], r[3], t)]
        return [SessionInfo(r[0][:16], r[1], datetime.fromisoformat(r[2]), datetime.fromisoformat(r[3]),
                            _parse(r[4]), r[5]) for r in rows]


def default_store() -> UserStore:
    from graph.settings import load_settings

    s = load_settings()
    return UserStore(s.state_dir / "users.sqlite", idle_minutes=s.session_idle_minutes,
                     max_hours=s.session_max_hours)


def demo_password_path(state_dir: Path) -> Path:
    return Path(state_dir) / "demo-password"


def _demo_password(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    private_dir(path.parent)
    password = secrets.token_urlsafe(12)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    return password


def ensure_demo_users(store: UserStore, coach_ids: Sequence[str], password_file: Path) -> tuple[str, list[str]]:
    """Create the demo accounts that are missing; point ``coachN`` at the N-th coach id.

    Returns the demo password and the names of the accounts created now.
    """
    password = _demo_password(password_file)
    wanted: list[tuple[str, Role, str, str | None]] = [
        (f"coach{i + 1}", Role.COACH, COACH_ORGANISATION, pid) for i, pid in enumerate(coach_ids)]
    wanted += [(name, role, DEMO_ORGANISATION, None) for name, role in DEMO_STAFF]
    existing = {a.username: a for a in store.list_users()}
    created: list[str] = []
    shared_hash: str | None = None  # one argon2 hash for the one demo password: first start stays quick
    for name, role, org, pid in wanted:
        acc = existing.get(name)
        if acc is None:
            shared_hash = shared_hash or store.hasher.hash(password)
            store.add_user(name, role, organisation=org, password_hash=shared_hash, professional_id=pid, demo=True)
            created.append(name)
        elif acc.demo and acc.professional_id != pid:  # the demo data was reloaded with other coach ids
            with store._lock, store._db() as c:
                c.execute("UPDATE accounts SET professional_id = ? WHERE username = ?", (pid, name))
    return password, created


def cli_actor(role: Role = Role.ADMIN) -> Actor:
    """The actor of a ``wijknet`` command: the operating-system user at the server's console.

    Whoever can run the CLI can read the state directory anyway; the actor makes their actions accountable.
    """
    import getpass

    return Actor(f"cli:{getpass.getuser()}", role, "command line", None, "", "cli")
