"""Sign-in through a real OpenID Connect provider (panva's oidc-provider, OpenID Certified, on loopback; see
``tests/oidc/provider.mjs``): the identity's e-mail address maps to a wijknet account made with ``--email`` and
no password, which then sees its own pages; an identity without an account and a disabled account are refused
with one sentence on the page, and audited. Sign-out also signs out at the provider, and the identity cookie
copied before it gives nothing afterwards. The browser talks to nothing but the app and the provider."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from queries.audit import default_audit_log
from tests.browser.conftest import OidcApp, wait_for_app
from tests.household_records import records

BUTTON = "Aanmelden met uw organisatieaccount"
DISABLED = "Dit account is uitgeschakeld; vraag het de beheerder."
EMAIL = "oidc.coach@example.test"
ENDED = "Deze aanmelding is beëindigd; meld u opnieuw aan bij uw identiteitsprovider."
UNVERIFIED = "Uw identiteitsprovider heeft uw e-mailadres niet geverifieerd; vraag het de beheerder."
NO_ACCOUNT = "U bent aangemeld, maar wijknet heeft geen account voor u; vraag het de beheerder."


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())  # coach PR-COACH-1 has household HH-T1
    return db


def _at_provider(pg: Any, oidc: OidcApp) -> None:
    """From the app's sign-in page, the OIDC button leads to the provider's login form."""
    pg.goto(oidc.app.url)
    wait_for_app(pg)
    pg.get_by_role("button", name=BUTTON).click()
    pg.wait_for_url(f"{oidc.provider.issuer}/interaction/**", timeout=30_000)
    pg.get_by_text("Sign in to continue to").wait_for(timeout=10_000)


def _sign_in_there(pg: Any, oidc: OidcApp, login: str, password: str | None = None) -> None:
    pg.get_by_label("Login").fill(login)
    pg.get_by_label("Password").fill(oidc.provider.identities[login]["password"] if password is None else password)
    pg.get_by_role("button", name="Sign in").click()


def _through_provider(pg: Any, oidc: OidcApp, login: str) -> None:
    """The OIDC button, the provider's login form, and back to the app."""
    _at_provider(pg, oidc)
    _sign_in_there(pg, oidc, login)
    pg.wait_for_url(f"{oidc.app.url}/**", timeout=30_000)
    wait_for_app(pg)


def _not_loopback(urls: list[str], *allowed: str) -> list[str]:
    hosts = {urlparse(a).netloc for a in allowed}
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
            and (urlparse(u).hostname != "127.0.0.1" or urlparse(u).netloc not in hosts)]


def _sign_ins(*users: str) -> list[tuple[str, str, str]]:
    """Audited sign-ins of these users (a refused identity is recorded under its e-mail address)."""
    return [(r.user, r.result, r.detail) for r in default_audit_log().records()
            if r.action == "sign_in" and r.user in users]


def test_sign_in_through_the_provider_maps_to_the_account_and_a_disabled_one_is_refused(
        loaded: Database, oidc_app: OidcApp, browser: Any) -> None:
    store = default_store()
    store.add_user("oidc.coach", Role.COACH, professional_id="PR-COACH-1", email="OIDC.Coach@example.test")
    urls: list[str] = []

    # The coach signs in at the provider and comes back signed in as the wijknet account of that e-mail address.
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.on("request", lambda r: urls.append(r.url))
    _through_provider(pg, oidc_app, "oidc.coach")
    pg.get_by_text("Aangemeld als oidc.coach · wijkcoach").wait_for(timeout=30_000)
    assert pg.get_by_role("button", name=BUTTON).count() == 0
    assert any(u.startswith(oidc_app.provider.issuer + "/interaction/") for u in urls)  # really went there
    pg.goto(f"{oidc_app.app.url}/coach")
    wait_for_app(pg)
    pg.get_by_role("button", name="Open HH-T1").first.wait_for(timeout=30_000)  # the coach's caseload
    assert pg.get_by_role("button", name="Open HH-T2").count() == 0  # another coach's household
    assert [s.username for s in store.sessions("oidc.coach", open_only=True)] == ["oidc.coach"]
    assert _sign_ins("oidc.coach", EMAIL) == [("oidc.coach", "ok", "")]

    # The administrator disables the account: the open session ends at the next rerun, and the identity the
    # browser still holds from the provider is refused with one sentence.
    store.set_disabled("oidc.coach")
    pg.reload()
    wait_for_app(pg)
    pg.get_by_text(DISABLED).wait_for(timeout=30_000)
    assert pg.get_by_text("Aangemeld als").count() == 0
    ctx.close()

    # A new sign-in through the provider (another browser) is refused too: the provider vouches for the
    # person, wijknet decides whether the account may work.
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.on("request", lambda r: urls.append(r.url))
    _at_provider(pg, oidc_app)
    _sign_in_there(pg, oidc_app, "oidc.coach", password="wrong password")  # the provider checks the password
    pg.get_by_text("Wrong login or password.").wait_for(timeout=10_000)
    assert pg.url.startswith(oidc_app.provider.issuer + "/interaction/")
    _sign_in_there(pg, oidc_app, "oidc.coach")
    pg.wait_for_url(f"{oidc_app.app.url}/**", timeout=30_000)
    wait_for_app(pg)
    pg.get_by_text(DISABLED).wait_for(timeout=30_000)
    assert pg.get_by_text("Aangemeld als").count() == 0
    # back on the sign-in page (its button may be drawn a moment after the message: CI counted 0 once)
    pg.get_by_role("button", name=BUTTON).wait_for(timeout=30_000)
    assert pg.get_by_role("button", name=BUTTON).count() == 1
    assert store.sessions("oidc.coach", open_only=True) == []
    audited = _sign_ins("oidc.coach", EMAIL)
    assert audited[0] == ("oidc.coach", "ok", "") and len(audited) >= 3  # the reload, the new sign-in
    assert set(audited[1:]) == {(EMAIL, "denied", "oidc: " + DISABLED)}

    # A person the provider knows but wijknet has no account for gets no session either.
    _through_provider(pg, oidc_app, "oidc.stranger")
    pg.get_by_text(NO_ACCOUNT).wait_for(timeout=30_000)
    assert pg.get_by_text("Aangemeld als").count() == 0
    assert _sign_ins("oidc.stranger", "oidc.stranger@example.test") == [
        ("oidc.stranger@example.test", "denied", "oidc: " + NO_ACCOUNT)]
    ctx.close()

    assert _not_loopback(urls, oidc_app.app.url, oidc_app.provider.issuer) == []


def test_sign_out_ends_the_oidc_sign_in_and_a_copied_identity_cookie_gives_nothing(
        loaded: Database, oidc_app: OidcApp, browser: Any) -> None:
    store = default_store()
    store.add_user("oidc.lead", Role.PROJECT_LEAD, email="oidc.lead@example.test")
    urls: list[str] = []
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.on("request", lambda r: urls.append(r.url))
    _through_provider(pg, oidc_app, "oidc.lead")
    pg.get_by_text("Aangemeld als oidc.lead · projectleider").wait_for(timeout=30_000)
    copied = ctx.cookies()  # everything this browser holds, st.login's signed identity cookie included
    assert any(c["name"].startswith("_streamlit_user") for c in copied)

    # Sign-out ends the wijknet session and sends the browser to the provider's end-session page.
    pg.get_by_role("button", name="Afmelden").click()
    pg.wait_for_url(f"{oidc_app.provider.issuer}/session/end**", timeout=30_000)
    pg.get_by_role("button", name="Yes, sign me out").click()
    pg.wait_for_url(f"{oidc_app.app.url}/**", timeout=30_000)
    wait_for_app(pg)
    pg.get_by_role("button", name=BUTTON).wait_for(timeout=30_000)
    assert pg.get_by_text("Aangemeld als").count() == 0
    assert store.sessions("oidc.lead", open_only=True) == []
    ctx.close()

    # The cookies copied while signed in, replayed in another browser: the identity was issued before the
    # sign-out, so it is refused (Streamlit cannot revoke its own identity cookie; wijknet refuses it).
    thief = browser.new_context(viewport={"width": 1400, "height": 1000})
    thief.add_cookies(copied)
    tp = thief.new_page()
    tp.on("request", lambda r: urls.append(r.url))
    tp.goto(oidc_app.app.url + "/overview")
    wait_for_app(tp)
    tp.get_by_text(ENDED).wait_for(timeout=30_000)
    assert tp.get_by_text("Aangemeld als").count() == 0
    thief.close()
    assert _sign_ins("oidc.lead", "oidc.lead@example.test") == [
        ("oidc.lead", "ok", ""), ("oidc.lead@example.test", "denied", "oidc: " + ENDED)]
    assert [(r.user, r.result) for r in default_audit_log().records() if r.action == "sign_out"
            and r.user == "oidc.lead"] == [("oidc.lead", "ok")]
    assert _not_loopback(urls, oidc_app.app.url, oidc_app.provider.issuer) == []


def test_an_identity_whose_email_the_provider_has_not_verified_is_refused(
        loaded: Database, oidc_app: OidcApp, browser: Any) -> None:
    """Anyone can type someone else's address into a profile at many providers: an address the provider says
    it has not verified (``email_verified`` false) must not open the account that has it."""
    store = default_store()
    store.add_user("oidc.unverified", Role.POLICYMAKER, email="oidc.unverified@example.test")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    _through_provider(pg, oidc_app, "oidc.unverified")
    pg.get_by_text(UNVERIFIED).wait_for(timeout=30_000)
    assert pg.get_by_text("Aangemeld als").count() == 0
    assert store.sessions("oidc.unverified", open_only=True) == []
    ctx.close()
