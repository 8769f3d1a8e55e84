"""A refusal on the command line reads in one language, the same way from every command: the sentence, the role
and the action in ``WIJKNET_LANGUAGE`` (Dutch by default) behind its own prefix — never "Error: Your role
(project_lead) …" from one command and "Fout: Uw rol … : view notices." from another."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from tests.english import english_words


@pytest.fixture()
def accounts(state: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An admin (added first, without --as), a project lead and a policymaker."""
    monkeypatch.setenv("WIJKNET_CLI_ACCOUNT", "")
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert cli("users", "add", "beheer", "--role", "admin", "--email", "b@gemeente.nl", "--no-password")[0] == 0
    for name, role in (("projectleider", "project_lead"), ("beleid", "policymaker")):
        code, out = cli("users", "add", name, "--role", role, "--email", f"{name}@gemeente.nl", "--no-password",
                        "--as", "beheer")
        assert code == 0, out
    return state


def cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    return res.exit_code, res.output


def _last(out: str) -> str:
    return out.strip().splitlines()[-1]


@pytest.mark.parametrize(("args", "line"), [
    (("users", "add", "evil", "--role", "admin", "--email", "e@x.nl", "--no-password", "--as", "projectleider"),
     "Fout: Uw rol (projectleider) mag dit niet: account toevoegen."),
    (("users", "disable", "beleid", "--as", "beleid"),
     "Fout: Uw rol (beleidsmedewerker) mag dit niet: account uitschakelen."),
    (("signals", "run", "--as", "beleid"),
     "Fout: Uw rol (beleidsmedewerker) mag dit niet: betrokkenheden matchen (signalen maken)."),
    (("users", "disable", "beleid", "--as", "niemand"),
     "Fout: Er is geen account 'niemand'; `wijknet users list` toont de accounts."),
    (("users", "add", "evil", "--role", "admin", "--email", "e@x.nl", "--no-password"),
     "Fout: Noem het account waarmee u werkt: --as ACCOUNT of WIJKNET_CLI_ACCOUNT (`wijknet users list` toont de "
     "accounts)."),
])
def test_every_command_refuses_in_the_apps_language(accounts: Path, args: tuple[str, ...], line: str) -> None:
    code, out = cli(*args)
    assert code == 1
    assert _last(out) == line
    said = line.removeprefix("Fout: ").replace("ACCOUNT", "").replace("WIJKNET_CLI_ACCOUNT", "")
    assert english_words(said.split("`")[0]) == [], said


def test_the_first_admin_refusal_is_said_too(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_CLI_ACCOUNT", "")
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    code, out = cli("users", "add", "eerst", "--role", "data_steward", "--email", "e@gemeente.nl", "--no-password")
    assert code == 1
    assert _last(out).startswith("Fout: Zonder --as kan alleen het eerste beheerdersaccount worden toegevoegd")


def test_in_english_the_whole_refusal_is_english(accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    code, out = cli("users", "add", "evil", "--role", "admin", "--email", "e@x.nl", "--no-password",
                    "--as", "projectleider")
    assert code == 1
    assert _last(out) == "Error: Your role (project lead) may not do this: add an account."
