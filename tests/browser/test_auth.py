"""Sign-in in a real browser: the unauthenticated app shows only the sign-in form (also on deep links), a
wrong password gets one sentence, sign-out ends the session, and replaying the session cookie afterwards (or
using a second tab) gives nothing."""

from __future__ import annotations

from typing import Any

import pytest

from app.i18n import t
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.loader import load_records
from queries.audit import default_audit_log
from tests.access_records import records
from tests.browser.conftest import (
    AppServer,
    open_session,
    session_cookie,
    sign_in,
    wait_for_app,
)


@pytest.fixture(scope="module")
def data(db: Database) -> Database:
    load_records(db, records())
    return db


def _nav_links(pg: Any) -> list[str]:
    return [t.strip().splitlines()[-1] for t in pg.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]


def _shows_only_sign_in(pg: Any) -> None:
    pg.get_by_label("Wachtwoord", exact=True).wait_for(timeout=30_000)
    wait_for_app(pg)
    body = pg.locator("body").inner_text()
    assert pg.get_by_label("Wachtwoord", exact=True).count() == 1, body
    assert pg.get_by_text("Aangemeld als").count() == 0, body
    assert _nav_links(pg) == []
    for secret in ("Huishoudens", "Bewoners", "CanaryAnna", "HH-A"):
        assert secret not in body


def test_unauthenticated_and_deep_links_show_only_sign_in(data: Database, app_server: AppServer,
                                                          page: tuple[Any, Any]) -> None:
    pg, reqs = page
    for path in ("", "/overview", "/coach?household=HH-A", "/audit"):
        pg.goto(app_server.url + path)
        wait_for_app(pg)
        _shows_only_sign_in(pg)
    assert reqs.foreign() == []
    recs = [r for r in default_audit_log().records() if r.action == "unauthenticated_request"]
    assert {"overview", "audit"} <= {r.target for r in recs}
    # a link to a household is recorded under the household (who-saw lists the attempt), saying the page
    assert ("HH-A", "deep link to coach without a session") in {(r.target, r.detail) for r in recs}


def test_wrong_password_gets_one_sentence_and_is_audited(data: Database, app_server: AppServer,
                                                         page: tuple[Any, Any]) -> None:
    pg, _ = page
    sign_in(pg, app_server.url, "coach1", password="not the password")
    pg.get_by_text("Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet, of het account is "
                   "geblokkeerd of uitgeschakeld. Probeer het later opnieuw of vraag het de beheerder.").wait_for(
        timeout=30_000)
    _shows_only_sign_in(pg)
    last = [r for r in default_audit_log().records() if r.action == "sign_in"][-1]
    assert (last.user, last.result, last.detail) == ("coach1", "denied", "wrong password")


def _failures_from(address: str) -> int:
    import sqlite3

    from app.auth import default_store

    with sqlite3.connect(default_store().path) as c:
        return int(c.execute("SELECT count(*) FROM address_failures WHERE address = ?", (address,)).fetchone()[0])


def test_a_failed_sign_in_counts_against_the_client_the_proxy_names_not_against_everyone(
        data: Database, app_server: AppServer, browser: Any) -> None:
    """Failed sign-ins are counted per client address (20 in 15 minutes refuse that address, tests/unit/test_auth.py):
    the one a reverse proxy names in ``X-Forwarded-For``. Without one every browser arrives as ``web:localhost``:
    that is not counted, or anyone's 20 wrong passwords would refuse everyone (an outside test of 08-12-2026)."""
    before = _failures_from("web:localhost")
    # (Streamlit's server itself takes the proxy's last address as the client's on a connection from this host)
    for headers, address in (({"X-Forwarded-For": "10.1.1.1, 203.0.113.9"}, "web:203.0.113.9"),
                             ({}, "web:localhost")):
        ctx = browser.new_context(extra_http_headers=headers)
        try:
            pg = ctx.new_page()
            sign_in(pg, app_server.url, "coach2", password="not the password")
            pg.get_by_text("Aanmelden mislukt", exact=False).first.wait_for(timeout=30_000)
        finally:
            ctx.close()
        last = [r for r in default_audit_log().records() if r.action == "sign_in"][-1]
        assert (last.user, last.result, last.access_point) == ("coach2", "denied", address)
    assert _failures_from("web:203.0.113.9") == 1
    assert _failures_from("web:localhost") == before == 0


def test_sign_out_then_replayed_cookie_gives_nothing(data: Database, app_server: AppServer, browser: Any,
                                                     page: tuple[Any, Any]) -> None:
    from app.auth import default_store

    pg, _ = page
    # sessions other test files started as projectleider (open_session) stay theirs: only this test's count here
    earlier = {s.trace_id for s in default_store().sessions("projectleider")}
    messages: list[str] = []
    pg.on("console", lambda m: messages.append(m.text))
    sign_in(pg, app_server.url, "projectleider")
    assert "Overzicht" in _nav_links(pg)
    cookie = session_cookie(pg)
    assert cookie is not None and cookie["sameSite"] == "Strict"
    # the cookie is written without a frame that has the app's origin and scripts together
    assert pg.locator("iframe[sandbox*='allow-same-origin']").count() == 0
    assert not [m for m in messages if "allow-same-origin" in m], messages
    # A second tab in the same browser shares the cookie: signed in there too (a reload keeps the session).
    tab2 = pg.context.new_page()
    tab2.goto(app_server.url + "/overview")
    tab2.get_by_text("Aangemeld als projectleider").wait_for(timeout=30_000)
    # An attacker copies the cookie into another browser while the session is alive: it works (bearer token)…
    thief = browser.new_context()
    thief.add_cookies([cookie])
    tp = thief.new_page()
    tp.goto(app_server.url)
    tp.get_by_text("Aangemeld als projectleider").wait_for(timeout=30_000)
    tp.close()
    # …until the user signs out: then the replayed cookie, the stolen one and the open tab give nothing.
    pg.get_by_role("button", name="Afmelden").click()
    pg.get_by_text("Aangemeld als").wait_for(state="detached", timeout=30_000)
    _shows_only_sign_in(pg)
    tp = thief.new_page()
    tp.goto(app_server.url + "/overview")
    wait_for_app(tp)
    _shows_only_sign_in(tp)
    thief.close()
    tab2.reload()
    wait_for_app(tab2)
    _shows_only_sign_in(tab2)
    replay = browser.new_context()
    replay.add_cookies([cookie])
    rp = replay.new_page()
    rp.goto(app_server.url + "/overview")
    wait_for_app(rp)
    _shows_only_sign_in(rp)
    replay.close()
    actions = [(r.user, r.action, r.result) for r in default_audit_log().records() if r.user == "projectleider"]
    assert ("projectleider", "sign_in", "ok") in actions and ("projectleider", "sign_out", "ok") in actions
    # the server-side session ended with the click: nothing this test started is live (the users page count)
    mine = [s for s in default_store().sessions("projectleider") if s.trace_id not in earlier]
    assert mine and [s for s in mine if s.ended is None] == [], mine
    assert "signed out" in {s.end_reason for s in mine}


def test_a_bookmark_of_the_first_page_opens_it_before_and_after_signing_in(data: Database, app_server: AppServer,
                                                                         page: tuple[Any, Any]) -> None:
    """The role's first page (the overview; the partner's inbox) has its own URL like every other page: a bookmark
    of it opens the page, not Streamlit's English "Page not found" dialog — signed in, and when signing in from it."""
    pg, _ = page
    sign_in(pg, app_server.url + "/overview", "projectleider")  # signed out: the form at the page's own URL
    assert session_cookie(pg) is not None
    for url in (pg.url, app_server.url + "/overview", app_server.url):
        if pg.url != url:
            pg.goto(url)
            wait_for_app(pg)
        pg.get_by_text(t("overview.caption")).wait_for(timeout=30_000)
        body = pg.locator("body").inner_text()
        assert "Page not found" not in body and "not found" not in body.lower(), (url, body)
        assert "Overzicht" in _nav_links(pg)
    assert pg.url.rstrip("/") == app_server.url.rstrip("/")


def test_coach_signs_in_and_sees_the_coach_pages(data: Database, app_server: AppServer,
                                                 page: tuple[Any, Any]) -> None:
    pg, _ = page
    sign_in(pg, app_server.url, "coach1")
    links = _nav_links(pg)
    assert "Overzicht" in links and "Gebruikers" not in links and "Auditlog" not in links


def test_a_page_outside_the_role_says_not_permitted_and_is_audited(data: Database, app_server: AppServer,
                                                                    page: tuple[Any, Any]) -> None:
    from app.i18n import t
    from app.nav import NOT_PERMITTED

    pg, reqs = page
    sign_in(pg, app_server.url, "projectleider")
    links = _nav_links(pg)
    assert "Samenwerking partners" in links and "Huishouden" not in links
    # What the lead's intake needs: the caseload per coach, households by pseudonym only.
    pg.get_by_role("link", name="Caseload per wijkcoach").click()
    wait_for_app(pg)
    pg.get_by_text("Huishoudens met een wijkcoach").wait_for(timeout=30_000)
    table = pg.get_by_test_id("stDataFrame").first
    table.wait_for(timeout=30_000)
    # it opens on the data's last day, as the other pages of the lead do, not on today (the data end earlier)
    from app.dates import dmy
    from queries.overview import data_period

    last = data_period(data)[1]
    assert last is not None and last < dutch_today()
    assert pg.get_by_label("Peildatum", exact=True).input_value() == dmy(last)
    assert pg.get_by_text("Geen toegang").count() == 0
    body = pg.locator("body").inner_text()
    for secret in ("CanaryAnna", "CanaryAstraat", "CanaryGoalVaderTactus"):
        assert secret not in body
    assert any((r.action, r.purpose) == ("view_caseload_per_coach", "caseload_management")
               for r in default_audit_log().records(user="projectleider"))
    # A deep link to a household (a bookmark, a link from a colleague): one sentence, nothing of the household.
    for path in ("/coach?household=HH-A", "/users"):
        pg.goto(app_server.url + path)
        wait_for_app(pg)
        pg.get_by_text(t(NOT_PERMITTED)).wait_for(timeout=30_000)
        body = pg.locator("body").inner_text()
        assert "Page not found" not in body and "Een huishouden zoeken" not in body
        for secret in ("CanaryAnna", "CanaryAstraat", "CanaryGoalVaderTactus", "CanaryAfspraakDMO"):
            assert secret not in body
        assert "Huishouden" not in _nav_links(pg)
    assert reqs.foreign() == []
    denied = [(r.action, r.target, r.purpose) for r in default_audit_log().records()
              if r.user == "projectleider" and r.result == "denied"]
    assert ("view_household", "HH-A", "partner_collaboration") in denied
    assert ("open_page", "users", "partner_collaboration") in denied
    # The same for every role: a coach on the project lead's page.
    pg.get_by_role("button", name="Afmelden").click()
    pg.get_by_text("Aangemeld als").wait_for(state="detached", timeout=30_000)
    sign_in(pg, app_server.url, "coach1")
    pg.goto(app_server.url + "/collaboration")
    wait_for_app(pg)
    pg.get_by_text(t(NOT_PERMITTED)).wait_for(timeout=30_000)
    assert [r.target for r in default_audit_log().records()
            if r.user == "coach1" and r.action == "open_page" and r.result == "denied"] == ["collaboration"]


_FOREIGN_PAGE = """<html><body><pre id="out"></pre><script>
const chunks = [];
const ws = new WebSocket("__WS__", ["streamlit"]);
ws.binaryType = "arraybuffer";
ws.onopen = () => ws.send(new Uint8Array(__MESSAGE__));
ws.onmessage = (e) => {
  let s = ""; for (const c of new Uint8Array(e.data)) s += (c >= 32 && c < 127) || c >= 160 ? String.fromCharCode(c) : " ";
  chunks.push(s); document.getElementById("out").textContent = chunks.join("\\n");
  document.title = "messages:" + chunks.length;
};
</script></body></html>"""


def _rerun(page: str, query: str) -> list[int]:
    """Streamlit's BackMsg ``rerun_script`` (field 11) of a ClientState with ``query_string`` (1) and
    ``page_name`` (4): what a page of the app sends to run a page."""
    inner = bytes([0x0A, len(query)]) + query.encode() + bytes([0x22, len(page)]) + page.encode()
    return list(bytes([0x5A, len(inner)]) + inner)


def test_a_page_of_another_origin_on_this_host_reads_nothing_through_the_apps_socket(
        data: Database, app_server: AppServer, browser: Any, tmp_path: Any) -> None:
    """An outside test (06-12-2026): a page served from another port of the same host opened the app's WebSocket
    in the browser where coach1 was signed in (the browser sends the session cookie: SameSite does not tell
    ports apart, and Streamlit takes any localhost origin) and ran the coach page of a household: its address,
    members and involvements came back, audited as coach1's own look. The app now takes a session only on a
    connection whose Origin is its own."""
    import http.server
    import threading
    from functools import partial
    from urllib.parse import urlsplit

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = ctx.new_page()
        # signed in on the app's own page (not the household: its view would be a record of HH-A that
        # tests/integration/test_privacy.py does not expect there)
        open_session(pg, app_server, "coach1")
        before = len(list(default_audit_log().records(target="HH-A")))
        host = urlsplit(app_server.url)
        (tmp_path / "index.html").write_text(
            _FOREIGN_PAGE.replace("__WS__", f"ws://{host.netloc}/_stcore/stream")
            .replace("__MESSAGE__", str(_rerun("coach", "household=HH-A"))), encoding="utf-8")
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            other = ctx.new_page()
            other.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            other.wait_for_function("(t => t.includes('Gebruikersnaam') || t.includes('Aangemeld als'))("
                                    "document.getElementById('out').textContent)", timeout=30_000)
            other.wait_for_timeout(2_000)
            seen = other.locator("#out").inner_text()
        finally:
            server.shutdown()
            server.server_close()  # its socket too (an unclosed one is an error in a later test)
        # the socket answers (the sign-in page), but with nobody signed in: nothing of the household
        assert "Gebruikersnaam" in seen
        for secret in ("CanaryAnna", "CanaryAstraat", "Aangemeld als coach1"):
            assert secret not in seen, secret
        assert len(list(default_audit_log().records(target="HH-A"))) == before  # no look in coach1's name
    finally:
        ctx.close()


def test_the_app_serves_no_agent_api(app_server: AppServer) -> None:
    """Streamlit 1.67 can let a non-browser client drive the app over HTTP (``server.enableAgentApi``, an
    experimental API whose sessions have no identity without trusted headers). Off by default; wijknet pins it off
    on the command line it serves with (``app.cli.SERVE_FLAGS``, which this app server is started with), where an
    environment variable (``STREAMLIT_SERVER_ENABLE_AGENT_API=true``) or another config file cannot turn it on."""
    import json
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(f"{app_server.url}/_stcore/agent/openapi.json", timeout=10) as r:
        described = json.loads(r.read())
    assert described["info"]["x-streamlit-agent-api"] == "disabled", described["info"]
    request = urllib.request.Request(f"{app_server.url}/_stcore/agent/interact", data=b'{"action": "snapshot"}',
                                     method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code >= 400 and b"does not serve the agent API" in refused.value.read()
