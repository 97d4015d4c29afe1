"""The Shortlist screen driven as an organiser would: ranking, breakdown, mark/unmark, filter, edit."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind, Knows, Person
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.shortlist import ShortlistScreen
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import commit_count, git
from tests.ui.conftest import TODAY, settle


async def open_shortlist(app: AllytuiApp, pilot: Pilot[None]) -> RecordTable:
    await settle(pilot)
    await app.switch_mode("shortlist")
    await settle(pilot)
    assert isinstance(app.screen, ShortlistScreen)
    return app.screen.query_one(RecordTable)


def detail_text(app: AllytuiApp) -> str:
    return str(app.screen.query_one("#detail", Static).render())


def last_subject(repo: DataRepo) -> str:
    return git(repo.root, "log", "-1", "--format=%s").strip()


def notifications(app: AllytuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_ranks_the_groups_to_decide_on_with_the_breakdown(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = await open_shortlist(app, pilot)
    assert [row.key for row in table.shown] == [
        "riverton-town-fc",
        "riverton-quaker-meeting",
        "library-reading-group",
        "arle-valley-motor-club",
        "neu-western-region",  # a national contact: last, unranked
    ]
    assert [row.cells[0] for row in table.shown] == ["1", "2", "3", "4", "–"]
    assert table.shown[0].cells[1:4] == ("11.3", "Riverton Town FC", "shortlisted")
    detail = detail_text(app)
    for line in (
        "Score 11.3 · rank 1 of 4",
        "+2.0  local influence",
        "+4.0  influence 4",
        "+2.8  network ~600 people",
        "+1.0  known: 1 of our members knows it or its people",
        "Sam Whitfield: knows Kwame Asante",
        "Set in allytui.toml under [shortlist].",
        "alignment = 1.5  × alignment -2..+2",
        "No group yet: human rights, racial justice",
        "No contact yet: reading group, sports",
    ):
        assert line in detail, line

    table.move_to("neu-western-region")
    await settle(pilot)
    detail = detail_text(app)
    assert "National contact: route via the national relationships team" in detail
    assert "rank" not in detail.split("Score 13.3")[1].splitlines()[0]

    await pilot.press("a")  # every group not declined
    await settle(pilot)
    assert len(table.shown) == 21 and table.shown[0].key == "st-marys-church"
    assert table.current_key == "neu-western-region"  # still selected
    await pilot.press("a")
    await settle(pilot)
    assert len(table.shown) == 5


async def test_m_marks_and_unmarks_shortlisted_with_a_commit_each(sample_repo: DataRepo) -> None:
    path = sample_repo.root / "groups" / "arle-valley-motor-club.toml"
    before = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_shortlist(app, pilot)
        table.move_to("arle-valley-motor-club")
        await pilot.press("m")
        await settle(pilot)
        assert 'stage = "shortlisted"' in path.read_text()
        assert last_subject(sample_repo) == "group arle-valley-motor-club: stage researched → shortlisted"
        assert git(sample_repo.root, "show", "--format=", "--name-only", "HEAD").split() == [
            "groups/arle-valley-motor-club.toml"
        ]
        group = app.loaded.get(Kind.GROUPS, "arle-valley-motor-club")
        assert isinstance(group, Group) and group.stage is Stage.SHORTLISTED
        assert table.shown[table.cursor].cells[3] == "shortlisted"
        assert "sports · shortlisted" in detail_text(app)
        assert any("stage researched → shortlisted" in n for n in notifications(app))

        await pilot.press("m")
        await settle(pilot)
        assert last_subject(sample_repo) == "group arle-valley-motor-club: stage shortlisted → researched"
        assert 'stage = "shortlisted"' not in path.read_text()
        assert sample_repo.read(Kind.GROUPS, "arle-valley-motor-club").stage is Stage.RESEARCHED  # type: ignore[attr-defined]
    assert commit_count(sample_repo.root) == before + 2
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_a_group_past_shortlisting_keeps_its_stage(sample_repo: DataRepo) -> None:
    before = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_shortlist(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        table.move_to("st-marys-church")
        await pilot.press("m")
        await settle(pilot)
        assert any("St Mary's Parish Church is past shortlisting (stage: allied)" in n for n in notifications(app))
    assert commit_count(sample_repo.root) == before


async def test_filter_and_enter_opens_the_groups_form(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = await open_shortlist(app, pilot)
    await pilot.press("slash")
    await pilot.press(*"faith")
    assert app.screen.query_one("#filter", Input).has_focus
    assert [row.key for row in table.shown] == ["riverton-quaker-meeting"]
    await pilot.press("enter")  # back to the table
    await pilot.press("enter")  # open the group
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    assert form.query_one("#field-name", Input).value == "Riverton Quaker Meeting"
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, ShortlistScreen)
    await pilot.press("escape")  # clears the filter
    assert len(table.shown) == 5


async def test_names_are_shown_literally(sample_repo: DataRepo) -> None:
    hostile = "[bold]Evil[/] [@click=app.quit]Quit[/]"
    sample_repo.save(Group(id="evil", name=hostile, category="other", shortlist_notes="[red]why[/red]"))
    sample_repo.save(Person(id="evil-friend", name=hostile, groups=["evil"]))
    maya = sample_repo.read(Kind.PEOPLE, "maya-okafor")
    sample_repo.save(maya.model_copy(update={"knows": [Knows(person="evil-friend")]}))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_shortlist(app, pilot)
        table.move_to("evil")
        await settle(pilot)
        detail = detail_text(app)
        assert hostile in detail and f"Maya Okafor: knows {hostile}" in detail and "[red]why[/red]" in detail
        line = table.render_line(1 + [row.key for row in table.shown].index("evil"))
        assert "[bold]Evil[/]" in line.text
        assert app.is_running


@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_wide_layout_puts_the_breakdown_beside_the_ranking(app: AllytuiApp, pilot: Pilot[None]) -> None:
    table = await open_shortlist(app, pilot)
    pane = app.screen.query_one("#detail-pane")
    assert pane.region.x >= table.region.right - 1 and pane.region.width >= 36
    await pilot.press("a")
    await settle(pilot)
    header = table.render_line(0).text
    for label in ("#", "Score", "Group", "Stage", "Why"):
        assert label in header
    assert "in conversation " in "".join(table.render_line(y).text for y in range(1, 22))
