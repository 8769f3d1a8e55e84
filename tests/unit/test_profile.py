"""Deployment profiles (issue 17, part 8): what differs per municipality is one validated file, not code.

Both shipped profiles (Enschede's wijkcoach, Leeuwarden's Frontlijnteam) load and mean what they say; a broken
profile is one sentence naming the file, the entry, the value as written and the reason — at the start of every
command and of the app, so nothing runs half-configured.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.cli import app as cli
from graph.profile import (
    FIXED_CODE_LISTS,
    PROFILES_DIR,
    ProfileError,
    active_profile,
    code_values,
    load_profile,
    shipped_profiles,
)
from tests.shown import as_read

HOME = str(Path(__file__).resolve().parents[2] / "app" / "Home.py")

GOOD = """
municipality = "Arnhem"
model = "Participatiecoach"

[generalist]
title = "participatiecoach"
plural = "participatiecoaches"
team = "Participatiecoaches Arnhem"
caseload_min = 20
caseload_max = 30

[[areas]]
code = "MLK"
name = "Malburgen"
kind = "experiment"

[[organisations]]
id = "ORG-RIJNSTAD"
name = "Rijnstad"
sector = "welzijn"
aliases = ["Stichting Rijnstad"]
"""


def _write(tmp_path: Path, text: str, name: str = "arnhem.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_both_shipped_profiles_load_and_differ_where_the_models_differ() -> None:
    assert {"enschede", "leeuwarden"} <= set(shipped_profiles())
    ens = load_profile(PROFILES_DIR / "enschede.toml")
    lwd = load_profile(PROFILES_DIR / "leeuwarden.toml")
    assert (ens.generalist.title, ens.generalist.holds_mandates) == ("wijkcoach", True)
    assert (lwd.generalist.title, lwd.generalist.plural, lwd.generalist.holds_mandates) == (
        "frontlijnwerker", "frontlijnwerkers", False)
    assert [a.code for a in lwd.areas] == ["HS"] and lwd.areas[0].kind == "werkgebied"
    assert "aanbellen" in code_values("signal_channel", lwd) and "aanbellen" not in code_values("signal_channel", ens)
    assert "Fier Fryslan" in next(o for o in lwd.organisations if o.id == "ORG-FIER").aliases


def test_the_enschede_profile_holds_the_demo_neighbourhoods_areas_and_organisations() -> None:
    """One truth: the profile's reference data is the demo's (a change to one without the other fails here)."""
    from ingest.synthetic.addresses import AREAS
    from ingest.synthetic.organisations import ORGANISATIONS

    ens = load_profile(PROFILES_DIR / "enschede.toml")
    assert [(a.code, a.name, a.kind) for a in ens.areas] == [(a.code, a.name, a.kind) for a in AREAS.values()]
    assert [(o.id, o.name, o.sector, o.covenant_group, o.mandating) for o in ens.organisations] == [
        (o.id, o.name, o.sector, o.covenant_group, o.mandating) for o in ORGANISATIONS]


def test_a_new_municipality_is_a_file(tmp_path: Path) -> None:
    p = load_profile(_write(tmp_path, GOOD))
    assert (p.key, p.municipality, p.generalist.title_capital, p.generalist.holds_mandates) == (
        "arnhem", "Arnhem", "Participatiecoach", False)
    assert p.organisations[0].aliases == ("Stichting Rijnstad",)
    # what the entry does not say is an empty cell of its export, so an organisation loaded before keeps it
    # (observed: profile apply withdrew a partner's mandate loaded from the organisations' export)
    org = p.organisations[0]
    assert (org.mandating, org.covenant_group) == (None, None)
    from ingest.profile import profile_exports

    [(_, areas), (_, orgs)] = profile_exports(p, tmp_path)
    assert orgs.read_text(encoding="utf-8").splitlines()[1] == "ORG-RIJNSTAD;Rijnstad;welzijn;;;Stichting Rijnstad"


@pytest.mark.parametrize(("change", "says"), [
    (("caseload_max = 30", "caseload_max = 10"), "generalist.caseload_max = 10: smaller than caseload_min (20)"),
    (('title = "participatiecoach"\n', ""), "generalist.title = '(missing)': this entry is required"),
    (('kind = "experiment"', 'kind = "proefwijk"'), "areas[1].kind = 'proefwijk': not a value of the code list"),
    (('sector = "welzijn"', 'sector = "welzijn"\nmandaat = true'), "organisations[1].mandaat = True: unknown entry"),
    (('aliases = ["Stichting Rijnstad"]', 'aliases = ["Stichting Rijnstad"]\n\n[[organisations]]\nid = "ORG-2"\n'
                                          'name = "Volkshuisvesting"\nsector = "wonen"\naliases = ["RIJNSTAD!"]'),
     "organisations[2].aliases = 'RIJNSTAD!': the same name (ignoring case and punctuation) is already used by "
     "ORG-RIJNSTAD"),
    (("caseload_min = 20", "caseload_min = true"), "generalist.caseload_min = True: expected a whole number"),
    (("caseload_max = 30", 'caseload_max = 30\nsince = "sept 2008"'),
     "generalist.since = 'sept 2008': expected a day like 2008-09-01 (without quotes) or a year like 2007"),
    (('model = "Participatiecoach"', 'model = "Participatiecoach"\n[codes.life_domain]\nextra = []'),
     "codes.life_domain = '…': the life domains are the self-sufficiency matrix's"),
    (('model = "Participatiecoach"', 'model = "Participatiecoach"\n[codes.signaal]\nextra = []'),
     "codes.signaal = '…': no such code list"),
    (('model = "Participatiecoach"', 'model = "Participatiecoach"\n[codes.signal_channel]\n'
      'extra = [{ value = "buur", nl = "buur", en = "neighbour" }]'),
     "codes.signal_channel.extra[1].value = 'buur': already a value of the code list signal_channel"),
    (('name = "Malburgen"', 'name = "Malburgen'), "Profile arnhem.toml is not valid TOML"),
])
def test_a_broken_profile_is_one_sentence_naming_entry_value_and_reason(tmp_path: Path, change: tuple[str, str],
                                                                         says: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(ProfileError) as exc:
        load_profile(_write(tmp_path, GOOD.replace(old, new, 1)))
    assert says in str(exc.value)
    assert str(exc.value).startswith("Profile arnhem.toml")


def test_the_fixed_code_lists_are_the_ones_the_figures_depend_on() -> None:
    assert set(FIXED_CODE_LISTS) == {"ladder_rung", "life_domain", "involvement_role"}


def test_the_ingest_checks_coded_fields_against_the_active_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.mapping import _allowed

    monkeypatch.setenv("WIJKNET_PROFILE", "enschede")
    assert "aanbellen" not in (_allowed("signal", "channel") or ())
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    assert active_profile().generalist.title == "frontlijnwerker"
    assert "aanbellen" in (_allowed("signal", "channel") or ())


def test_every_command_starts_by_validating_the_profile(tmp_path: Path, test_env: dict[str, str]) -> None:
    broken = _write(tmp_path, GOOD.replace('kind = "experiment"', 'kind = "proefwijk"'))
    runner = CliRunner()
    res = runner.invoke(cli, ["users", "list"], env={"WIJKNET_PROFILE": str(broken)})
    assert res.exit_code == 1 and "areas[1].kind = 'proefwijk'" in res.output and "Traceback" not in res.output
    # ``profile check`` still works with a broken active profile: it is how the file gets fixed
    res = runner.invoke(cli, ["profile", "check", str(PROFILES_DIR / "leeuwarden.toml")],
                        env={"WIJKNET_PROFILE": str(broken)})
    assert res.exit_code == 0 and "Generalist: frontlijnwerker" in res.output and "holds no formal mandates" in res.output
    res = runner.invoke(cli, ["profile", "check", str(broken)])
    assert res.exit_code == 1 and "not a value of the code list area_kind" in res.output


def test_the_app_serves_nothing_with_a_broken_profile(tmp_path: Path, test_env: dict[str, str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_PROFILE", str(tmp_path / "missing.toml"))
    at = AppTest.from_file(HOME, default_timeout=60).run()
    assert not at.exception
    assert any("missing.toml does not exist" in as_read(e.value) for e in at.error)
    assert not at.text_input  # no sign-in form: the app stopped before the gate


def test_the_app_speaks_of_the_profiles_generalist(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue's {coach} is the profile's generalist: a frontlijnwerker in Leeuwarden."""
    from app.i18n import code_label, role_label, t

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    assert t("page.caseload") == "Caseload per frontlijnwerker" and role_label("coach") == "frontlijnwerker"
    assert code_label("signal_channel", "aanbellen") == "aangebeld door een frontlijnwerker (outreachend)"
    assert "geen formeel mandaat" in t("coach.no_mandates_in_model")
    monkeypatch.setenv("WIJKNET_PROFILE", "enschede")
    assert t("page.caseload") == "Caseload per wijkcoach"


def test_the_overlap_page_says_since_when_the_profiles_generalists_work(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    """The experiment area's help text said "wijkcoaches sinds september 2008" in every municipality; it is the
    profile's start (a day said as its month, or a year), and nothing when the profile does not say."""
    from datetime import date

    from app.i18n import t

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    assert load_profile(PROFILES_DIR / "enschede.toml").generalist.since == date(2008, 9, 1)
    monkeypatch.setenv("WIJKNET_PROFILE", "enschede")
    assert "met de experimentwijk (wijkcoaches sinds september 2008) naast" in t("ov.kinds_help")
    assert "(neighbourhood coaches since September 2008)" in t("ov.kinds_help", lang="en")
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    assert "met de experimentwijk (frontlijnwerkers sinds 2007) naast" in t("ov.kinds_help")
    monkeypatch.setenv("WIJKNET_PROFILE", str(_write(tmp_path, GOOD)))  # Arnhem's says nothing of a start
    assert "met de experimentwijk (participatiecoaches) naast" in t("ov.kinds_help")
    monkeypatch.setenv("WIJKNET_PROFILE", str(_write(tmp_path, GOOD.replace("caseload_max = 30",
                                                                            "caseload_max = 30\nsince = 2011-01-15"),
                                                     "arnhem2.toml")))
    assert "(participatiecoaches sinds januari 2011)" in t("ov.kinds_help")


def test_the_brief_names_the_profiles_generalist_and_team(monkeypatch: pytest.MonkeyPatch) -> None:
    """The visit brief's coach row and header say the profile's role and team: a frontlijnwerker of the
    Frontlijnteam in Leeuwarden, not Enschede's "wijkcoach" of "Wijkcoaches"."""
    from datetime import date

    from app.brief import contacts
    from app.i18n import t
    from queries.analytics.household import CoachAssignment
    from queries.household import HouseholdInfo, HouseholdView

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    info = HouseholdInfo("H-1", None, None, None, None, None, None)
    view = HouseholdView(info, [], [CoachAssignment("FLW-1", date(2026, 1, 5), name="Tjitske Hoekstra")],
                         [], [], [], [], [], [], [])
    for profile, title, team in (("leeuwarden", "frontlijnwerker", "Frontlijnteam Heechterp-Schieringen"),
                                 ("enschede", "wijkcoach", "Wijkcoaches Velve-Lindenhof")):
        monkeypatch.setenv("WIJKNET_PROFILE", profile)
        assert t("term.coach") == title
        [row] = contacts(view, date(2026, 2, 1))
        assert (row.name, row.organisation, row.role) == ("Tjitske Hoekstra", team, title)
    # the organisation the coach works for in the data, when the graph has it, before the profile's team
    view = HouseholdView(info, [], [CoachAssignment("FLW-1", date(2026, 1, 5), name="Tjitske Hoekstra",
                                                    organisation="Gemeente Leeuwarden")], [], [], [], [], [], [], [])
    [row] = contacts(view, date(2026, 2, 1))
    assert row.organisation == "Gemeente Leeuwarden"


def test_the_sidebar_section_of_the_generalist_is_capitalised_as_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coach's sidebar section reads as its neighbours (Projectleider, Beleid, Gegevens): Frontlijnwerker."""
    from app.i18n import section_title, t

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    assert section_title("Coach") == "Frontlijnwerker" and section_title("Project lead") == "Projectleider"
    assert section_title("wijknet") == "wijknet"  # the product's name as it is written
    assert t("page.caseload") == "Caseload per frontlijnwerker"  # in a sentence the role keeps its small letter
    monkeypatch.setenv("WIJKNET_PROFILE", "enschede")
    assert section_title("Coach") == "Wijkcoach"
