"""Record text is data: markup, actions and control characters show literally in every widget."""

from __future__ import annotations

from textual.widgets import Input, Static

from allytui.model.records import Group, Kind, Person
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.changes import ChangesScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.ref_picker import RefPicker
from tests.ui.conftest import TODAY, settle

HOSTILE_NAME = "[bold]Evil[/] [@click=app.quit]Quit[/] [/ \\[x]"
HOSTILE_NOTES = "Line one [red]red[/red]\n[link=https://example.org]link[/link] \\ back\\slash [/"


def add_hostile_records(repo: DataRepo) -> None:
    repo.save(
        Group(
            id="evil-group",
            name=HOSTILE_NAME,
            category="other",
            stage="contacted",
            notes=HOSTILE_NOTES,
            next_action="[blink]now[/]",
            red_lines=["[b]no[/b]"],
        )
    )
    repo.save(Person(id="evil-person", name=HOSTILE_NAME, role="[i]vicar[/i]", groups=["evil-group"]))


async def test_record_text_is_never_markup(sample_repo: DataRepo) -> None:
    add_hostile_records(sample_repo)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.loaded.get(Kind.GROUPS, "evil-group") is not None
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        table.move_to("evil-group")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert HOSTILE_NAME in detail
        assert "[red]red[/red]" in detail and "[link=https://example.org]link[/link]" in detail
        assert "[b]no[/b]" in detail
        line = table.render_line(1 + table.shown.index(next(r for r in table.shown if r.key == "evil-group")))
        assert "[bold]Evil[/]" in line.text
        await pilot.click(RecordTable, offset=(2, 1))  # clicking a cell runs no action
        await settle(pilot)
        assert app.is_running

        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-name", Input).value == HOSTILE_NAME
        assert "[@click=app.quit]Quit[/]" in str(form.query_one("#form-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert HOSTILE_NAME in str(dialog.question) and HOSTILE_NAME in str(dialog.details)
        await pilot.press("n")

        await pilot.press("c")  # log a conversation: the group picker shows the name literally
        await settle(pilot)
        picker = app.screen.query_one("#field-group", RefPicker)
        assert HOSTILE_NAME in str(picker.query_one(".chosen", Static).render())
        await pilot.press("escape", "y")
        await settle(pilot)

        for key in "1234567":
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running
        await pilot.press("3")
        await settle(pilot)
        people = app.screen.query_one(RecordTable)
        people.move_to("evil-person")
        await settle(pilot)
        assert HOSTILE_NAME in str(app.screen.query_one("#detail", Static).render())
    assert app.return_code in (None, 0)


async def test_control_characters_in_a_file_never_reach_the_terminal(sample_repo: DataRepo) -> None:
    (sample_repo.root / "groups" / "bad.toml").write_text('name = "x\\u001b[2J\\u0007"\ncategory = "other"\n')
    (sample_repo.root / "groups" / "odd\x1b[31mname.toml").write_text('name = "x"\ncategory = "other"\n')
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)  # both files are new and uncommitted
        assert "\x1b" not in app.export_screenshot()
        await pilot.press("escape", "7")
        await settle(pilot)
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "\x1b[2J" not in screen_text and "\x07" not in screen_text
        assert "\\x1b[31m" in screen_text or "\\x1b" in screen_text
        rows = app.screen.query_one(RecordTable).shown
        assert any("control character U+001B" in " ".join(row.cells) for row in rows)
