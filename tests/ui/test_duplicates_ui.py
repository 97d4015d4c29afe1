"""The Duplicates screen at 80x24: reached from Groups and People, the palette and help; merging asks, naming both."""

from __future__ import annotations

import tomllib

from textual.pilot import Pilot
from textual.widgets import Label, OptionList, Select

from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.duplicates import DuplicatesScreen
from allytui.tui.screens.help import bindings_text
from allytui.tui.screens.record_form import RecordForm
from tests.helpers import commit_count, git
from tests.ui.conftest import TODAY, settle


def add_twin(repo: DataRepo) -> None:
    """A second Riverton Food Bank, which a person and a conversation refer to."""
    repo.save(
        Group(id="the-riverton-foodbank", name="The Riverton Foodbank Ltd", category="food_bank", stage="meeting")
    )
    person = repo.read(Kind.PEOPLE, "amira-hassan")
    repo.save(person.model_copy(update={"groups": [*getattr(person, "groups", []), "the-riverton-foodbank"]}))


async def test_duplicates_screen_lists_pairs_and_merges_after_asking(sample_repo: DataRepo) -> None:
    add_twin(sample_repo)
    before = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "Duplicates" in bindings_text(app.screen).plain
        assert "Duplicates" in [command.title for command in app.get_system_commands(app.screen)]
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 1
        shown = str(options.get_option_at_index(0).prompt)
        assert "1 Riverton Food Bank  riverton-food-bank" in shown
        assert "2 The Riverton Foodbank Ltd  the-riverton-foodbank" in shown
        assert "same name" in shown

        await pilot.press("m")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, ConfirmScreen)
        question = ask.question.plain
        assert "The Riverton Foodbank Ltd (the-riverton-foodbank) into Riverton Food Bank" in question
        assert ask.details is not None and "people/amira-hassan: groups[1] now point at riverton-food-bank" in (
            ask.details.plain
        )
        assert "\\n" not in ask.details.plain  # one line each, not an escaped line break
        await pilot.press("y")
        await settle(pilot)

        assert commit_count(sample_repo.root) == before + 1
        assert git(sample_repo.root, "log", "-1", "--format=%s").startswith(
            "group the-riverton-foodbank merged into group riverton-food-bank"
        )
        assert not (sample_repo.root / "groups" / "the-riverton-foodbank.toml").exists()
        amira = tomllib.loads((sample_repo.root / "people" / "amira-hassan.toml").read_text())
        assert "the-riverton-foodbank" not in amira["groups"] and "riverton-food-bank" in amira["groups"]
        kept = tomllib.loads((sample_repo.root / "groups" / "riverton-food-bank.toml").read_text())
        assert [c["field"] for c in kept["conflicts"]] == ["name", "stage"]  # differing values, to choose
        assert app.screen is screen and options.option_count == 0  # the list follows the reload
        assert "No likely duplicate groups." in str(screen.query_one("#dupes-summary").render())
        assert screen.check_action("merge", (False,)) is False  # nothing to merge: not offered in the footer


async def test_merge_can_be_declined_and_keeps_both(sample_repo: DataRepo) -> None:
    add_twin(sample_repo)
    before = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "D")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen) and app.screen.kind is Kind.PEOPLE
        await pilot.press("escape", "2", "D")
        await settle(pilot)
        await pilot.press("M")  # merge the other way: keep the second
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Riverton Food Bank (riverton-food-bank) into The Riverton Foodbank Ltd" in app.screen.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert commit_count(sample_repo.root) == before
        assert (sample_repo.root / "groups" / "the-riverton-foodbank.toml").exists()


async def new_group_named(pilot: Pilot[None], name: str) -> RecordForm:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    await pilot.press(*["space" if c == " " else c for c in name])  # the name field has focus
    form.query_one("#field-category", Select).value = "food_bank"
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


async def test_a_new_group_like_an_existing_one_asks_open_it_or_save_anyway(sample_repo: DataRepo) -> None:
    before = commit_count(sample_repo.root)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await new_group_named(pilot, "The Riverton Foodbank")
        ask = app.screen
        assert isinstance(ask, ChooseScreen)
        assert (
            ask.title_text == "The Riverton Foodbank looks like existing group Riverton Food Bank (riverton-food-bank)"
        )
        title = ask.query_one(Label)
        assert title.size.height == 2 and title.size.width <= 48  # wrapped inside the dialog at 80 columns
        assert ask.options == [
            ("open riverton-food-bank", "Open Riverton Food Bank (riverton-food-bank)"),
            ("save", "Save anyway"),
        ]
        await pilot.press("escape")  # back to the form, nothing saved
        await settle(pilot)
        assert app.screen is form and commit_count(sample_repo.root) == before

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # the first choice: open the existing group
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, RecordForm) and opened is not form
        assert opened.record is not None and opened.record.id == "riverton-food-bank"
        assert commit_count(sample_repo.root) == before

        await pilot.press("escape")
        await settle(pilot)
        form = await new_group_named(pilot, "The Riverton Foodbank")
        await pilot.press("down", "enter")  # save anyway
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm | ChooseScreen)
        assert (sample_repo.root / "groups" / "the-riverton-foodbank.toml").exists()
        assert commit_count(sample_repo.root) == before + 1


async def test_a_new_group_unlike_any_saves_without_asking(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await new_group_named(pilot, "Riverton Cycle Club")
        assert not isinstance(app.screen, RecordForm | ChooseScreen)
        assert (sample_repo.root / "groups" / "riverton-cycle-club.toml").exists()


async def test_closing_the_screen_before_the_search_ends_is_harmless(sample_repo: DataRepo) -> None:
    add_twin(sample_repo)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "D", "escape")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, DuplicatesScreen)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen) and app.screen.query_one(OptionList).option_count == 1
