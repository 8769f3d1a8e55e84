"""Who is using the app: the server-side session, checked on every rerun.

How a signed-in browser is recognised (the reasoning is in ``docs/security.md``):

* at sign-in :class:`app.auth.UserStore` makes a random 256-bit token; the server keeps only its SHA-256
  with the sign-in time, the last activity and whether it has ended;
* the token lives in ``st.session_state`` (server memory of this browser tab) and in a ``SameSite=Strict``
  cookie (written by a fixed script in the app page, no iframe: :func:`emit_cookie_ops`), so a reload or a
  deep link in the same browser stays signed in;
* :func:`current_actor` runs on every rerun (``app/Home.py`` calls it before any page) and asks the store
  whether the session is still alive: not signed out, account not disabled, idle less than
  ``WIJKNET_SESSION_IDLE_MINUTES``, younger than ``WIJKNET_SESSION_MAX_HOURS``. A token or cookie copied and
  replayed after sign-out, disable or timeout therefore gets the sign-in page and nothing else.

Pages call :func:`current_actor`; they never build an Actor themselves.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import streamlit as st

from app.auth import Account, UserStore, default_store, token_trace_id
from app.i18n import t
from graph.errors import AccessDenied
from queries.access import Actor, Role, audit_action
from queries.audit import AuditLog

__all__ = ["COOKIE", "access_point", "current_actor", "emit_cookie_ops", "get_store", "note_unauthenticated",
           "oidc_configured", "role_label",
           "sign_out", "start_session", "while_signed_in"]

T = TypeVar("T")

COOKIE = "wijknet_session"
_TOKEN = "wijknet_session_token"
_COOKIE_OP = "wijknet_cookie_op"
_OIDC_FAILED = "wijknet_oidc_failed"


@st.cache_resource(show_spinner=False)
def get_store() -> UserStore:
    """The account and session store (process-wide; holds no per-user data in memory)."""
    return default_store()


def _audit() -> AuditLog:
    from app.state import get_audit

    return get_audit()


def access_point() -> str:
    """Where a browser request comes from, for the audit record (``web:<client address>``)."""
    try:
        return client_access_point(st.context.ip_address, st.context.headers)
    except Exception:  # outside a browser request (bare mode)
        return "web:unknown"


def client_access_point(ip: str | None, headers: Any) -> str:
    """``web:<address>`` of the client. Streamlit gives no address for a connection from this host (``ip`` None),
    and the app listens on 127.0.0.1 only: such a connection is the reverse proxy in front of it (docs/operations.md)
    or a browser on the host. The proxy names the client it served in ``X-Forwarded-For`` (the last address: the
    one the proxy itself saw; earlier ones are the client's own word) or ``X-Real-IP``; without either, the client
    is this host. Headers are believed only from this host, and only when they hold an address.

    >>> client_access_point(None, {"X-Forwarded-For": "10.0.0.9, 203.0.113.7"})
    'web:203.0.113.7 via proxy'
    >>> client_access_point(None, {}), client_access_point("192.0.2.4", {"X-Forwarded-For": "203.0.113.7"})
    ('web:localhost', 'web:192.0.2.4')
    """
    if ip:
        return f"web:{ip}"
    get = getattr(headers, "get", lambda _name: None)
    for name, pick in (("X-Forwarded-For", lambda v: v.split(",")[-1]), ("X-Real-IP", lambda v: v)):
        value = pick(str(get(name) or "")).strip()
        try:
            return f"web:{ipaddress.ip_address(value)} via proxy"
        except ValueError:
            continue
    return "web:localhost"


#: What :func:`client_access_point` says when it knows no client: the browser on this host, or a reverse proxy
#: that names no client (every browser behind it then looks the same).
NO_CLIENT = ("web:localhost", "web:unknown")


def client_address() -> str:
    """Where a sign-in attempt comes from, to count its failures by (:meth:`app.auth.UserStore.authenticate`):
    :func:`access_point`, or ``""`` when that names no one client (:data:`NO_CLIENT`): one count for every browser
    behind a proxy that sends no ``X-Forwarded-For`` would let anyone's 20 wrong passwords refuse everyone (an
    outside test of 08-12-2026). docs/operations.md says how the proxy names the client."""
    point = access_point()
    return "" if point in NO_CLIENT else point


def oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (``st.login`` is available)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _actor(account: Account, token: str) -> Actor:
    return account.actor(trace_id=token_trace_id(token), access_point=access_point())


def start_session(account: Account) -> Actor:
    """Start a server-side session for ``account`` in this browser (audited) and return its actor."""
    store = get_store()
    token = store.start_session(account, access_point=access_point())
    actor = _actor(account, token)
    try:
        from queries.access import audit_action

        audit_action(_audit(), actor, "sign_in", result="ok")
    except Exception:
        store.end_session(token, "audit log unavailable")
        raise
    st.session_state[_TOKEN] = token
    st.session_state[_COOKIE_OP] = ("set", token)
    return actor


def _oidc_actor(store: UserStore) -> Actor | None:
    """Turn a fresh ``st.login`` identity into a server-side session (once per identity cookie)."""
    if not oidc_configured() or st.session_state.get(_OIDC_FAILED):
        return None
    try:
        if not st.user.is_logged_in:
            return None
        claims = st.user.to_dict()
    except Exception:
        return None
    from app.auth import SignInFailed

    try:
        return start_session(store.account_for_oidc(claims))
    except SignInFailed as exc:
        st.session_state[_OIDC_FAILED] = str(exc)
        _audit().record(user=str(claims.get("email", ""))[:64], role="", organisation="", action="sign_in",
                        result="denied", detail="oidc: " + str(exc.reason), access_point=access_point())
        return None


def while_signed_in(actor: Actor, build: Callable[[], T], *, what: str = "download", target: str = "",
                    purpose: str = "", store: UserStore | None = None, audit: AuditLog | None = None
                    ) -> Callable[[], T]:
    """``build`` for a download that runs when clicked — maybe long after the page run that offered it — only
    while ``actor``'s session is still alive (:meth:`app.auth.UserStore.session_live`).

    A session that was signed out, revoked or timed out, or whose account was disabled meanwhile, gets no file:
    the refusal is audited (``what``, ``denied``, with the ``target`` and ``purpose`` the download had: a refused
    brief named no household, an outside test) and :class:`AccessDenied` raised, so nothing is built.
    The store and the audit log are taken when the button is drawn (a download runs outside the page run).
    """
    sessions = store if store is not None else get_store()
    log = audit if audit is not None else _audit()

    def run() -> T:
        if not sessions.session_live(actor.trace_id, actor.user):
            audit_action(log, actor, what, target=target, purpose=purpose, result="denied",
                         detail="session no longer active")
            raise AccessDenied(t("auth.download_ended"))
        return build()

    return run


def same_origin(headers: Any) -> bool:
    """Whether the browser connection comes from a page of this app: its ``Origin`` names the host (and port) the
    connection was made to (``Host``, or ``X-Forwarded-Host`` from the reverse proxy). Streamlit takes a
    WebSocket from any page on localhost, whatever its port, and the browser sends the session cookie along
    (``SameSite`` does not tell ports apart): a page on another port read a signed-in coach's household through
    the app's socket, audited as the coach's own look (an outside test of 06-12-2026). A connection without an
    ``Origin`` is no browser page's (browsers always send it on a WebSocket).

    >>> same_origin({"Origin": "http://127.0.0.1:8501", "Host": "127.0.0.1:8501"})
    True
    >>> same_origin({"Origin": "http://127.0.0.1:9998", "Host": "127.0.0.1:8501"})
    False
    >>> same_origin({"Origin": "https://wijknet.gemeente.nl", "Host": "127.0.0.1:8501",
    ...              "X-Forwarded-Host": "wijknet.gemeente.nl"}), same_origin({})
    (True, True)
    """
    get = getattr(headers, "get", lambda _name: None)
    origin = str(get("Origin") or "").strip()
    if not origin:
        return True
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443}.get(parts.scheme)

    def netloc(host: str, port: int | None) -> str:
        return host.lower() if port in (None, default) else f"{host.lower()}:{port}"

    try:
        theirs = netloc(parts.hostname or "", parts.port)
    except ValueError:
        return False
    for name in ("Host", "X-Forwarded-Host"):
        for value in str(get(name) or "").split(","):
            mine = urlsplit(f"//{value.strip()}")
            try:
                if value.strip() and netloc(mine.hostname or "", mine.port) == theirs:
                    return True
            except ValueError:
                continue
    return False


def _from_this_app() -> bool:
    try:
        return same_origin(st.context.headers)
    except Exception:  # outside a browser request (bare mode, AppTest)
        return True


def current_actor() -> Actor | None:
    """The signed-in actor, re-checked against the server-side session store on every call; nobody on a
    connection from a page of another origin (:func:`same_origin`)."""
    if not _from_this_app():
        return None
    store = get_store()
    token = st.session_state.get(_TOKEN)
    if not token:
        try:
            token = st.context.cookies.get(COOKIE)  # a reload or deep link in the same browser
        except Exception:
            token = None
    if not isinstance(token, str):
        token = None
    account = store.check_session(token) if token else None
    if account is None:
        if token:  # ended, timed out or replayed: forget it here and in the browser
            st.session_state.pop(_TOKEN, None)
            st.session_state[_COOKIE_OP] = ("clear", "")
        return _oidc_actor(store)
    st.session_state[_TOKEN] = token
    return _actor(account, token)


def sign_out() -> None:
    """End the session server-side (a replayed token gives nothing), forget it in the browser, audit it."""
    store = get_store()
    token = st.session_state.pop(_TOKEN, None)
    account = store.check_session(token) if token else None
    if token:
        store.end_session(token, "signed out")
    if account is not None:
        from queries.access import audit_action

        try:
            audit_action(_audit(), _actor(account, token or ""), "sign_out")
        except Exception:  # signing out must work even when the audit log is down
            pass
        if oidc_configured():
            # An st.login identity cookie cannot be revoked by Streamlit; refusing identities issued before
            # now makes a copied one worthless here.
            store.revoke_sessions(account.username, "signed out (OIDC)")
    st.session_state[_COOKIE_OP] = ("clear", "")
    st.session_state.pop(_OIDC_FAILED, None)
    if oidc_configured():
        try:
            redirected = bool(st.user.is_logged_in)
            if redirected:
                st.logout()  # sends the browser to /auth/logout and the provider's end-session page
        except Exception:
            redirected = False
        if redirected:
            # Not st.rerun(): a new run clears the messages not yet sent to the browser, the redirect too.
            st.stop()
    st.rerun()


_COOKIE_JS = """
export default function ({ data }) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.cookie + "; Path=/; SameSite=Strict" + secure;
}
"""


@functools.cache
def _cookie_writer() -> Any:
    return st.components.v2.component("wijknet_session_cookie", js=_COOKIE_JS)


def emit_cookie_ops() -> None:
    """Write or clear the session cookie in the browser.

    A fixed script of our own (an ``st.components.v2`` component: it runs in the app page, no iframe), given
    only the cookie text. An ``st.iframe`` would need Streamlit's ``allow-scripts allow-same-origin`` sandbox
    to reach the page's cookie — the combination the browser warns can escape its sandbox.
    """
    op = st.session_state.pop(_COOKIE_OP, None)
    if not op:
        return
    kind, token = op
    if kind == "set":
        max_age = int(get_store().lifetime.total_seconds())
        value = f"{COOKIE}={token}; Max-Age={max_age}"  # the token is url-safe base64
    else:
        value = f"{COOKIE}=; Max-Age=0"
    _cookie_writer()(data={"cookie": value}, key=f"wijknet-cookie-{kind}-{token_trace_id(token) if token else ''}")


def note_unauthenticated() -> None:
    """Audit a deep link opened without a session (once per browser tab and path); the page is not run."""
    try:
        path = st.context.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if st.context.url else ""
    except Exception:
        return
    host_like = ":" in path or path in ("", "localhost")
    # a link to a household is an attempt at that household: recorded under it, so `wijknet audit who-saw` lists it
    # (it was recorded under the page's name: an outside test, 08-12-2026)
    try:
        household = str(st.query_params.get("household") or "").strip()[:100]
    except Exception:
        household = ""
    seen = st.session_state.setdefault("wijknet_unauth_seen", set())
    if host_like or (path, household) in seen:
        return
    seen.add((path, household))
    try:
        _audit().record(user="anonymous", role="", organisation="", action="unauthenticated_request",
                        target=household or path, result="denied",
                        detail=f"deep link to {path} without a session" if household else "deep link without a session",
                        access_point=access_point())
    except Exception:  # nothing is served anyway
        pass


def role_label(role: Role) -> str:
    from app.i18n import role_label as label

    return label(role)
