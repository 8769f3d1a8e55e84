"""Real-browser fixtures: the app under ``streamlit run`` against the session's Neo4j, driven by Debian's
chromium through playwright (never ``playwright install``). Every request the page makes is recorded; a test
asserts none goes to another host."""

from __future__ import annotations

import json
import os
import secrets as pysecrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from app.cli import SERVE_FLAGS
from graph.db import Database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: ``--disable-features``: the address bar's suggestion popups, which chromium 156 builds ahead as pages of its own
#: (``chrome://omnibox-popup.top-chrome/``, a renderer process) in every window, although a headless window has no
#: address bar: two modules of browser tests used 7% less CPU without them (136 s against 126 s, session 37).
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-quic", "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    db: Database | None = None  # the database the app talks to (for :func:`open_session`)


@pytest.fixture(scope="session")
def app_server(neo4j_db: Database, test_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[AppServer]:
    """``streamlit run app/Home.py`` on a free loopback port, talking to the session's Neo4j."""
    with running_app(neo4j_db, test_env, tmp_path_factory.mktemp("streamlit")) as app:
        yield app


@contextmanager
def running_app(neo4j_db: Database, test_env: dict[str, str], work: Path, **env_extra: str) -> Iterator[AppServer]:
    """An app server on a free loopback port (settings ``env_extra`` on top of the test environment's), stopped
    when the block ends."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: install it with `apt-get install chromium` (the test command "
                    "does this).")
    port = _free_port()
    log = work / "streamlit.log"
    # WIJKNET_SNAPSHOT_MAX_AGE=0: every module loads its own data into this one server, so the pages must count
    # what is there now, never a snapshot of the previous module's data (the app's default allows 300 s).
    env = {**os.environ, **test_env, "NEO4J_URI": neo4j_db.uri, "NEO4J_USER": neo4j_db.user,
           "NEO4J_PASSWORD": neo4j_db.password, "WIJKNET_SNAPSHOT_MAX_AGE": "0", **env_extra}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "Home.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port), *SERVE_FLAGS],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail(f"streamlit did not come up; see {log}")
    try:
        yield AppServer(url, proc, log, neo4j_db)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass
class Requests:
    """Every URL the page requested."""

    app_host: str
    urls: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        out = []
        for u in self.urls:
            p = urlparse(u)
            if p.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if p.hostname not in ("127.0.0.1", "localhost") or p.netloc != self.app_host:
                out.append(u)
        return out


#: Counts, in the page, the script runs the app was asked for and the last one the server finished: every
#: ``rerun_script`` message the page sends on Streamlit's websocket (a BackMsg whose first byte is the tag of field
#: 11, length-delimited) and every ``script_finished`` it receives (ForwardMsg field 6, a varint status) other than
#: FINISHED_EARLY_FOR_RERUN (2). Both happen in the page's one thread, so when a click returns its rerun request is
#: already counted: :func:`wait_for_app` waits on that, not on a fixed sleep. ``frame`` counts animation frames.
RUNS_JS = """
(() => {
  if (window.__wnRuns) { return; }
  const runs = window.__wnRuns = {asked: 0, answered: 0, answeredFrame: 0, answeredAt: 0, frame: 0};
  const tick = () => { runs.frame += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const bytes = d => d instanceof ArrayBuffer ? new Uint8Array(d)
    : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
  function finishedStatus(b) {  // the script_finished status of a ForwardMsg, or -1
    let i = 0;
    const varint = () => { let v = 0, m = 1, x; do { x = b[i++]; v += (x & 0x7f) * m; m *= 128; } while (x & 0x80); return v; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) { const v = varint(); if (field === 6) { return v; } }
      else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return -1; }
    }
    return -1;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (String(args[0]).indexOf("/_stcore/stream") < 0) { return; }
      this.addEventListener("message", e => {
        const b = bytes(e.data);
        const status = b ? finishedStatus(b) : -1;
        if (status >= 0 && status !== 2) { runs.answered = runs.asked; runs.answeredFrame = runs.frame;
                                            runs.answeredAt = performance.now(); }
      });
    }
    send(data) {
      const b = bytes(data);
      if (b && b.length && b[0] === 0x5a && String(this.url).indexOf("/_stcore/stream") >= 0) { runs.asked += 1; }
      return super.send(data);
    }
  };
})();
"""


class CountingBrowser:
    """The session's chromium; every context it opens runs :data:`RUNS_JS` in its pages."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        ctx = self._browser.new_context(**kwargs)
        ctx.add_init_script(RUNS_JS)
        return ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield CountingBrowser(b)
        b.close()


@pytest.fixture()
def page(browser: Any, app_server: AppServer) -> Iterator[tuple[Any, Requests]]:
    """A fresh browser context and page; yields (page, recorded requests).

    Every screenshot the test takes is also read (:func:`tests.browser.reading.unreadable`): a state a person
    reaches by acting must read as the pages at rest do — no raw code, no English, no exception."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    reqs = Requests(urlparse(app_server.url).netloc)
    pg.on("request", lambda r: reqs.urls.append(r.url))
    pg.screenshot = _read_when_shot(pg, pg.screenshot)
    yield pg, reqs
    ctx.close()


def _read_when_shot(pg: Any, shoot: Any) -> Any:
    from tests.browser.reading import unreadable

    def screenshot(*args: Any, **kwargs: Any) -> Any:
        out = shoot(*args, **kwargs)
        if pg.locator('[data-testid="stApp"]').count():  # the app's pages (not the identity provider's)
            hits = unreadable(pg)
            assert hits == [], f"{kwargs.get('path') or 'the page'} shows what a person should not read: {hits}"
        return out

    return screenshot


#: 1 once the app is idle: every script run the page asked for has finished (:data:`RUNS_JS`) two animation frames
#: or 100 ms ago (its last messages are drawn) and the app says it is not running; 2 in a page without the counter
#: once no 'running' status widget shows.
_IDLE = """() => {
  const r = window.__wnRuns, app = document.querySelector('[data-testid="stApp"]');
  if (!app) { return 0; }
  if (!r) { return document.querySelector('[data-testid="stStatusWidget"]') ? 0 : 2; }
  const drawn = r.frame - r.answeredFrame >= 2 || performance.now() - r.answeredAt >= 100;
  return r.asked > 0 && r.answered === r.asked && drawn && app.dataset.testScriptState === "notRunning" ? 1 : 0;
}"""


#: How long the first page a test opens may take to run: the app server may have just started (a module's own, as
#: tests/browser/test_lead_signals_pending.py's), and its first run imports every page module and reads the data
#: while the machine runs the other worker's tests beside it (CI74: more than 30 s, the default below).
FIRST_PAGE_MS = 90_000


def wait_for_app(pg: Any, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script: in a page of :class:`CountingBrowser`, until every
    run the page asked for is over (:data:`_IDLE`), with no fixed sleep; elsewhere (bench/bench_browser.py) until
    the 'running' status widget is gone and 300 ms more (it shows only once a run takes half a second)."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    if pg.wait_for_function(_IDLE, timeout=timeout, polling=25).json_value() == 2:
        pg.wait_for_timeout(300)


def click_to_run(pg: Any, target: Any, attempts: int = 3) -> None:
    """Click ``target`` (a locator of a button) and wait for the script run the click asks for; click again if the
    page asked for no run within 3 s. The browser now and then drops a click made right after a rerun (CI runs of
    the workspace: a goal never saved, a too-long name never refused), and waiting for what the click should show
    cannot tell a dropped click from a slow run, where a second click would save twice. The counter of
    :data:`RUNS_JS` can: a click the app took has sent its rerun request before ``click`` returns."""
    asked = "() => window.__wnRuns ? window.__wnRuns.asked : -1"
    for attempt in range(attempts):
        before = pg.evaluate(asked)
        target.click()
        if before < 0:  # a page without the counter: nothing to tell by
            break
        try:
            pg.wait_for_function(f"() => window.__wnRuns.asked > {before}", timeout=3_000, polling=25)
            break
        except Exception:  # noqa: BLE001 - no run asked for: the click was dropped
            if attempt == attempts - 1:
                raise AssertionError(f"{attempts} clicks on {target} asked the app for no run") from None
    wait_for_app(pg)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A failed browser test carries the end of its app's log (a download that never came was an exception in the
    app, which the page does not show and the log was gone with the test's temp dir)."""
    report: pytest.TestReport = yield
    server = getattr(item, "funcargs", {}).get("app_server")
    if report.failed and isinstance(server, AppServer) and server.log.exists():
        tail = server.log.read_text(errors="replace").splitlines()[-80:]
        report.sections.append(("streamlit log (last 80 lines)", "\n".join(tail)))
    return report


def download(pg: Any, button: Any, taken: Callable[[], bool], attempts: int = 3) -> Any:
    """Click ``button`` (a download button's locator) and return the browser's download. A click the browser
    dropped (a CI run waited 30 s for a CSV that was never asked for) is made again — but only when ``taken()``
    says the app never took it (the export's audit record is written before its file is built), so a slow export
    is waited for and never asked for twice."""
    got: list[Any] = []

    def listen(d: Any) -> None:
        got.append(d)

    pg.on("download", listen)

    def wait(seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not got and time.monotonic() < deadline:
            pg.wait_for_timeout(100)
        return bool(got)

    # a run still going can show the button twice, the last run's (stale) and this run's (a CI run: "strict mode
    # violation ... resolved to 2 elements" after a metric of the new run was waited for): click once it is over
    wait_for_app(pg)
    deadline = time.monotonic() + 10
    while button.count() > 1 and time.monotonic() < deadline:
        pg.wait_for_timeout(100)
    try:
        for _ in range(attempts):
            button.click()
            if wait(10):
                return got[0]
            if taken():
                assert wait(60), "the export was audited, but no file came within 70 s"
                return got[0]
        raise AssertionError(f"{attempts} clicks on {button} started no download")
    finally:
        pg.remove_listener("download", listen)


def audited_since(user: str, action: str) -> Callable[[], bool]:
    """For :func:`download`: whether ``user`` has a record of ``action`` (an export or brief download audits one
    before its file is built) that was not there when this was called."""
    from queries.audit import default_audit_log

    def count() -> int:
        return sum(1 for r in default_audit_log().records(user=user) if r.action == action)

    before = count()
    return lambda: count() > before


def value_of(field: Any, expected: str, timeout_s: float = 20.0) -> str:
    """The value of the input ``field`` once it is ``expected``, or what it is after ``timeout_s``: a widget can get
    its value a frame after the app went idle (seen in CI: a date field beside a slider read empty), and a page
    drawn anew (Back) shows the old field beside the new one for a moment (two fields labelled "Van")."""
    from playwright.sync_api import Error

    def read() -> str | None:
        try:
            return str(field.input_value(timeout=timeout_s * 1000))
        except Error as exc:
            if "strict mode violation" not in str(exc):
                raise
            return None  # the old field and the new one: read again once the old one is gone

    deadline = time.monotonic() + timeout_s
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return str(value)


def choose(pg: Any, label: str, option: str, attempts: int = 3, *, within: Any = None) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (or the one inside the locator ``within``) and wait
    for the rerun.

    Waits for the app to be idle first: a rerun that redraws the selectbox closes a dropdown opened during it,
    and the option never shows. If the list does not open, or closes before the option is clicked, it is closed
    and opened again."""
    box = (within.get_by_test_id("stSelectbox") if within is not None else
           pg.get_by_test_id("stSelectbox").filter(has_text=label)).first
    item = pg.get_by_role("option", name=option).first
    for attempt in range(attempts):
        wait_for_app(pg)
        # The list opens with room below or above the field: a list reaching past the window's edge made the
        # click scroll the page, and the select closes its list when the page scrolls (the option was then
        # "detached from the DOM" until the click timed out; seen in full runs).
        box.evaluate("e => e.scrollIntoView({block: 'center'})")
        box.click()
        try:
            item.wait_for(timeout=5_000)
            item.click(timeout=10_000)
        except Exception:
            if attempt == attempts - 1:
                raise
            pg.keyboard.press("Escape")
            continue
        wait_for_app(pg)
        # The box shows what it holds: a pick made while a rerun redrew the box is now and then lost (a CI run
        # saved the ladder form without its rung), so look, and pick again when the box does not show it.
        if _shows(box, option):
            return
    raise AssertionError(f"{label}: {attempts} picks of {option!r} did not stay in its box: "
                         f"{selected(box)!r}")


def selected(box: Any, timeout: float = 30_000) -> str:
    """What the selectbox ``box`` (a locator of its ``stSelectbox``) shows as its value: the text of its input."""
    field = box.locator("input").first
    return str((field.count() and field.input_value(timeout=timeout)) or box.inner_text(timeout=timeout))


def _shows(box: Any, option: str, timeout_s: float = 5.0) -> bool:
    """Whether the selectbox ``box`` shows ``option`` as its value within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if box.count() == 0:  # the pick redrew the page without this box (another form): nothing to look at
            return True
        try:
            if option in selected(box, timeout=1_000):
                return True
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: the box was being redrawn
            pass
        if time.monotonic() > deadline:
            return False
        box.page.wait_for_timeout(100)


def demo_password() -> str:
    """The demo accounts' password: the app writes it to ``<state dir>/demo-password`` (mode 0600) the first
    time the sign-in page is shown with ``WIJKNET_DEMO_USERS=1``."""
    path = Path(os.environ["WIJKNET_STATE_DIR"]) / "demo-password"
    deadline = time.monotonic() + 15
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return path.read_text().strip()


def session_cookie(pg: Any) -> dict[str, Any] | None:
    """The ``wijknet_session`` cookie of the page's browser context, if any."""
    return next((c for c in pg.context.cookies() if c["name"] == "wijknet_session"), None)


def sign_in(pg: Any, base_url: str, user: str, password: str | None = None) -> None:
    """Sign in as a demo user (``coach1``, ``coach2``, ``projectleider``, ``beleid``, ``datasteward``, ``admin``)
    through the sign-in form; returns once the session cookie is set (so ``pg.goto`` deep links work)."""
    pg.goto(base_url)
    wait_for_app(pg, timeout=FIRST_PAGE_MS)
    pg.get_by_label("Gebruikersnaam", exact=True).fill(user)
    pg.get_by_label("Wachtwoord", exact=True).fill(password if password is not None else demo_password())
    pg.get_by_role("button", name="Aanmelden", exact=True).click()
    wait_for_app(pg)
    if password is None:
        pg.get_by_text(f"Aangemeld als {user}").wait_for(timeout=15_000)
        wait_for_session_cookie(pg, 10)


def open_session(pg: Any, app: AppServer, user: str, path: str | None = "") -> None:
    """Sign in as a demo user without the form, for the tests about something else than signing in (those about
    signing in, tests/browser/test_auth.py and test_oidc.py, use :func:`sign_in`): the demo accounts are made or
    pointed at the current coaches as the sign-in page does (:func:`app.auth.ensure_demo_users`), a session is
    started in the app's server-side store and its token put in the browser as the ``wijknet_session`` cookie,
    which is what the app's cookie script writes at sign-in. Then ``path`` (the main page by default) is opened;
    returns once the app has run it and shows who is signed in. With ``path=None`` only the cookie is set: the
    caller opens its page."""
    from app.auth import default_store, demo_password_path, ensure_demo_users
    from app.session import COOKIE
    from graph.settings import load_settings
    from queries.people import coach_ids

    assert app.db is not None
    store = default_store()
    ensure_demo_users(store, coach_ids(app.db), demo_password_path(load_settings().state_dir))
    account = store.get(user)
    assert account is not None and account.demo, f"no demo account {user}"
    token = store.start_session(account, access_point="test:open_session")
    pg.context.add_cookies([{"name": COOKIE, "value": token, "url": app.url, "sameSite": "Strict"}])
    if path is None:
        return
    if "household=" in path and "doel=" not in path:  # a household link states its purpose (else: asked first)
        path += "&doel=home_visit_preparation"
    pg.goto(f"{app.url}/{path}")
    wait_for_app(pg, timeout=FIRST_PAGE_MS)
    pg.get_by_text(f"Aangemeld als {user}").wait_for(timeout=15_000)


def wait_for_session_cookie(pg: Any, timeout_s: float) -> bool:
    """Whether the session cookie is in the browser within ``timeout_s``: the page writes it by script just after it
    shows who is signed in, so a navigation right after signing in could otherwise land on the sign-in form."""
    deadline = time.monotonic() + timeout_s
    while session_cookie(pg) is None and time.monotonic() < deadline:
        pg.wait_for_timeout(100)
    return session_cookie(pg) is not None


# -- OpenID Connect: a real provider on loopback and an app configured for it ----------------------------------

OIDC_DIR = ROOT / "tests" / "oidc"


@dataclass
class OidcProvider:
    """panva's ``oidc-provider`` (OpenID Certified) run by Node from ``tests/oidc/provider.mjs``."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    identities: dict[str, dict[str, Any]]
    log: Path


@dataclass
class OidcApp:
    """The app started with an ``[auth]`` secrets section that points at :class:`OidcProvider`."""

    app: AppServer
    provider: OidcProvider


def _oidc_node_modules() -> None:
    """``npm ci`` into tests/oidc/node_modules (gitignored) when it is missing or holds another version than
    package.json pins; the pinned tree is package-lock.json."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("The OpenID Connect test needs Node.js 20.19+ and npm: install them (apt-get install nodejs "
                    "npm) and run again.")
    pinned = json.loads((OIDC_DIR / "package.json").read_text())["dependencies"]["oidc-provider"]
    installed = OIDC_DIR / "node_modules" / "oidc-provider" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == pinned:
        return
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=OIDC_DIR,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"npm ci in {OIDC_DIR} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}: {log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    pytest.fail(f"{what} did not come up; see {log}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def oidc_app(neo4j_db: Database, test_env: dict[str, str]) -> Iterator[OidcApp]:
    """A real OpenID Connect provider on a free loopback port, and a second ``streamlit run app/Home.py``
    whose ``secrets.toml`` (in a temp dir, via ``--secrets.files``) has an ``[auth]`` section for it. The
    password-only ``app_server`` is not touched. Identities at the provider: ``oidc.coach``,
    ``oidc.lead``, ``oidc.stranger`` and ``oidc.unverified`` (``email_verified`` false), e-mail
    ``<login>@example.test``, a random password each (``provider.identities``)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: install it with `apt-get install chromium`.")
    _oidc_node_modules()
    # Its own 0700 directory (kept, like the session's state dir, for the logs): pytest's numbered temp dirs
    # are pruned by any other pytest run of the same user, also while this one still needs them.
    work = Path(tempfile.mkdtemp(prefix="wijknet-test-oidc-"))
    app_port, idp_port = _free_port(), _free_port()
    while idp_port == app_port:
        idp_port = _free_port()
    identities = {login: {"password": pysecrets.token_urlsafe(12), "email": f"{login}@example.test",
                          "email_verified": login != "oidc.unverified", "name": name}
                  for login, name in (("oidc.coach", "Olga Coach"), ("oidc.lead", "Lotte Lead"),
                                      ("oidc.stranger", "Sam Stranger"), ("oidc.unverified", "Uma Unverified"))}
    provider = OidcProvider(issuer=f"http://127.0.0.1:{idp_port}", client_id="wijknet-test",
                            client_secret=pysecrets.token_urlsafe(32),
                            redirect_uri=f"http://127.0.0.1:{app_port}/oauth2callback", identities=identities,
                            log=work / "provider.log")
    (work / "provider.json").write_text(json.dumps({
        "port": idp_port, "identities": identities,
        "client": {"client_id": provider.client_id, "client_secret": provider.client_secret,
                   "redirect_uri": provider.redirect_uri}}))
    with open(provider.log, "wb") as out:
        idp = subprocess.Popen([shutil.which("node") or "node", str(OIDC_DIR / "provider.mjs"),
                                str(work / "provider.json")], cwd=OIDC_DIR, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"{provider.issuer}/.well-known/openid-configuration", idp, provider.log, "the OIDC provider")
        secrets_file = work / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{provider.redirect_uri}"\n'
            f'cookie_secret = "{pysecrets.token_urlsafe(48)}"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"\n'
            'client_kwargs = { scope = "openid profile email", prompt = "login" }\n')
        secrets_file.chmod(0o600)
        log = work / "streamlit.log"
        env = {**os.environ, **test_env, "NEO4J_URI": neo4j_db.uri, "NEO4J_USER": neo4j_db.user,
               "NEO4J_PASSWORD": neo4j_db.password}
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "Home.py"),
                 "--server.address", "127.0.0.1", "--server.port", str(app_port), *SERVE_FLAGS,
                 "--secrets.files", str(secrets_file)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{app_port}"
            _wait_for(f"{url}/_stcore/health", proc, log, "streamlit (OIDC)")
            yield OidcApp(AppServer(url, proc, log), provider)
        finally:
            _stop(proc)
    finally:
        _stop(idp)
