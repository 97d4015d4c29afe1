"""From the Team screen a new member is made on the spot, and the team's list follows their member_of."""

from __future__ import annotations

from textual.pilot import Pilot

from allytui.model.records import Kind, Person, Team
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from tests.ui.conftest import settle


async def test_a_new_member_made_from_the_team_screen_is_on_the_team(
    pilot: Pilot[None], app: AllytuiApp, sample_repo: DataRepo
) -> None:
    await pilot.press("6", "m")
    await settle(pilot)
    assert isinstance(app.screen, RecordForm)
    await pilot.press(*"Noor Haddad")
    await pilot.press("ctrl+s")
    await settle(pilot)
    noor = sample_repo.read(Kind.PEOPLE, "noor-haddad")
    assert isinstance(noor, Person) and noor.member_of == "riverton-climate-action"
    team = sample_repo.read(Kind.TEAMS, "riverton-climate-action")
    assert isinstance(team, Team) and team.members[-1] == "noor-haddad"
    assert sample_repo.git_repo.git.show("--name-only", "--format=").split() == [
        "people/noor-haddad.toml",
        "teams/riverton-climate-action.toml",
    ]
    assert "Noor Haddad" in str(app.screen.query_one("#team-summary").render())
