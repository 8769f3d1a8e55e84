"""Static safety checks of the Streamlit app: no v1 pages folder (which would bypass the sign-in gate), no
error details in the browser, no per-user data in shared caches."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
ACTOR_PARAMS = {"actor", "user", "_actor"}


def test_there_is_no_pages_folder_next_to_home() -> None:
    # With app/pages/ Streamlit runs every file in it directly by URL (v1 multipage mode), skipping the gate
    # in Home.py: an unauthenticated deep link would render the page.
    assert not (APP / "pages").exists()
    from app.nav import PAGES_DIR

    assert PAGES_DIR.name != "pages" and PAGES_DIR.is_dir()


def test_error_details_are_off_in_config_and_every_launcher() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableAgentApi"] is False
    from app.cli import SERVE_FLAGS

    flags = dict(zip(SERVE_FLAGS[::2], SERVE_FLAGS[1::2], strict=True))
    assert flags["--client.showErrorDetails"] == "none" and flags["--server.enableAgentApi"] == "false"
    launchers = [ROOT / "app" / "cli.py", ROOT / "tests" / "browser" / "conftest.py", ROOT / "bench" / "bench_browser.py"]
    for path in launchers:  # every place that starts `streamlit run` passes the flags explicitly as well
        text = path.read_text()
        assert text.count('"streamlit", "run"') == text.count("*SERVE_FLAGS"), path


def test_served_app_neither_watches_files_nor_rewrites_scripts() -> None:
    # Both cost CPU on every new session (the watcher rescanned every module path after each run: ~0.5 s).
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    assert config["runner"]["magicEnabled"] is False


def _cache_data_functions() -> list[tuple[Path, ast.FunctionDef]]:
    found = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for dec in node.decorator_list:
                    target = dec.func if isinstance(dec, ast.Call) else dec
                    if ast.unparse(target).endswith("cache_data"):
                        found.append((path, node))  # type: ignore[arg-type]
    return found


def test_cache_data_functions_take_the_actor() -> None:
    # st.cache_data is shared by all users: a cached function may only hold per-user data when the actor
    # is part of its key, so every cache_data function must take the actor.
    offenders = []
    for path, fn in _cache_data_functions():
        params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
        if not params & ACTOR_PARAMS:
            offenders.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert offenders == []


def test_the_cache_check_would_catch_an_offender(tmp_path: Path) -> None:
    tree = ast.parse("import streamlit as st\n@st.cache_data(ttl=60)\ndef f(db, household_id): ...\n")
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))
    assert ast.unparse(fn.decorator_list[0].func).endswith("cache_data")  # type: ignore[attr-defined]
    assert not {a.arg for a in fn.args.args} & ACTOR_PARAMS


def test_every_page_is_either_in_a_roles_navigation_or_not_permitted() -> None:
    from app.nav import PAGES, pages_for, pages_outside
    from queries.access import HOUSEHOLD_ROLES, Role

    for role in Role:
        shown = {p.url_path for p in pages_for(role)}
        refused = {p.url_path for p in pages_outside(role)}
        assert shown.isdisjoint(refused) and shown | refused == {p.url_path for p in PAGES}, role
        assert ("coach" in shown) == (role in HOUSEHOLD_ROLES), role
    assert "coach" in {p.url_path for p in pages_outside(Role.PROJECT_LEAD)}
