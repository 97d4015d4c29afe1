"""A large list looks filter words up in an index of its rows' words (RecordTable._build_index): in the real app it
shows exactly what reading every row shows, keystroke by keystroke, and a record edited in the form is found by its
new text (and no longer by its old) right after saving and once the index is built again."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.worker import Worker
from textual.worker_manager import WorkerManager

from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.rows import Row, RowIndex, select
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.widgets.record_table import RecordTable
from tests.ui.conftest import TODAY, settle

KEYS = {" ": "space", ":": "colon", '"': "quotation_mark", "-": "minus", ".": "full_stop", "é": "é"}


@pytest.fixture(autouse=True)
def index_every_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list keeps an index, however short (the sample data has dozens of rows, not 50,000)."""
    monkeypatch.setattr(RecordTable, "INDEX_FROM_CHARS", 0)
    monkeypatch.setattr(RowIndex, "FROM_ROWS", 0)
    monkeypatch.setattr(RecordTable, "INDEX_AFTER", 0.0)


def from_scratch(table: RecordTable) -> list[str]:
    """The keys the table's whole filter lets through, reading every row's text."""
    return [row.key for row in select(table._all, table.columns, table.wanted)]


async def type_into(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[KEYS.get(c, c) for c in text])


async def filter_by(pilot: Pilot[None], text: str) -> list[str]:
    box = pilot.app.screen.query_one("#filter", Input)
    box.value = text
    await pilot.pause()
    table = pilot.app.screen.query_one(RecordTable)
    assert table.filter_text == text
    return [row.key for row in table.shown]


async def test_each_keystroke_shows_what_reading_every_row_shows(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    table = app.screen.query_one(RecordTable)
    box = app.screen.query_one("#filter", Input)
    assert table.indexed
    await pilot.press("slash")
    seen: dict[str, int] = {}
    for step in ["riverton food", '"climate café"', "st-marys stage:con", "2026-11"]:
        await type_into(pilot, step)
        for _ in step:  # then every letter deleted again, one at a time
            assert [row.key for row in table.shown] == from_scratch(table), box.value
            seen[box.value] = len(table.shown)
            await pilot.press("backspace")
        assert box.value == "" and len(table.shown) == len(table._all)
    assert seen["r"] > seen["riverton"] > seen["riverton fo"] > seen["riverton food"] > 0, seen
    assert seen['"clim'] > seen['"climate café"'] > 0 and seen["st-marys"] == 1, seen
    assert seen["2026"] > seen["2026-11"] > 0, seen


async def rows_made_again(pilot: Pilot[None], table: RecordTable, before: list[Row]) -> None:
    """Wait (up to 10 s) for the save and the rows made again from the records it changed."""
    for _ in range(1000):
        if table._all is not before:
            return
        await pilot.pause(0.01)
    raise AssertionError("the rows were not made again: not saved?")


async def until_indexed(pilot: Pilot[None], table: RecordTable) -> bool:
    """Whether the table's index is complete within a second (a full build waits INDEX_AFTER first)."""
    for _ in range(100):
        if table.indexed:
            return True
        await pilot.pause(0.01)
    return False


async def indexed_groups(pilot: Pilot[None]) -> RecordTable:
    """The Groups list, shown once the app has loaded, its index of words built."""
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    table = pilot.app.screen.query_one(RecordTable)
    assert table.indexed
    return table


async def test_a_group_edited_in_the_form_is_found_by_its_new_text_right_after_saving(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await indexed_groups(pilot)
        assert "riverton-pride" in await filter_by(pilot, '"december climate café"')
        assert "riverton-pride" in await filter_by(pilot, "december")
        assert await filter_by(pilot, "quokkafest") == []
        assert await filter_by(pilot, "pride") == ["riverton-pride"]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-next_action", Input).value = "Book the Quokkafest hall"
        rows_before = table._all
        monkeypatch.setattr(RecordTable, "INDEX_AFTER", 5.0)  # an index built anew would take 5 s
        await pilot.press("ctrl+s")
        await rows_made_again(pilot, table, rows_before)
        assert await until_indexed(pilot, table)  # the last index, brought up to date at once
        assert await filter_by(pilot, "quokkafest") == ["riverton-pride"]
        assert await filter_by(pilot, "quokk") == ["riverton-pride"]
        assert await filter_by(pilot, "quokkafest hall") == ["riverton-pride"]
        assert "riverton-pride" not in await filter_by(pilot, '"december climate café"')
        assert "riverton-pride" not in await filter_by(pilot, "december")  # one word: the index alone says
        assert "riverton-pride" in await filter_by(pilot, "pride")
        group = app.loaded.records[Kind.GROUPS]["riverton-pride"] if app.loaded else None
        assert isinstance(group, Group) and group.next_action == "Book the Quokkafest hall"


async def test_a_new_group_is_found_while_the_index_is_built_again_and_after(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await indexed_groups(pilot)
        rows_before = table._all
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_into(pilot, "Quokkafest Collective")  # the name field has focus
        form.query_one("#field-category", Select).value = "sports"
        monkeypatch.setattr(RecordTable, "INDEX_AFTER", 2.0)  # one more row: the index is built anew, later
        await pilot.press("ctrl+s")
        await rows_made_again(pilot, table, rows_before)
        assert not table.indexed  # not the old rows' index, and the new one not built yet: every row is read
        assert await filter_by(pilot, "quokkafest") == ["quokkafest-collective"]
        assert "quokkafest-collective" in await filter_by(pilot, "collective")
        await settle(pilot)  # the new rows' index built
        assert table.indexed
        assert await filter_by(pilot, "quokkafest") == ["quokkafest-collective"]
        assert await filter_by(pilot, "kafest coll") == ["quokkafest-collective"]


async def test_the_index_worker_does_not_describe_itself_by_every_row(
    sample_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual describes a worker by its arguments' repr unless told otherwise: for 50,000 rows that took seconds,
    and would put the records' text into any log of workers."""
    described: list[str] = []
    add = WorkerManager.add_worker

    def noting(manager: WorkerManager, worker: Worker[object], *, start: bool = True, exclusive: bool = True) -> None:
        if worker.group == "filter-index":
            described.append(worker.description)
        add(manager, worker, start=start, exclusive=exclusive)

    monkeypatch.setattr(WorkerManager, "add_worker", noting)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(RecordTable).indexed
    assert described and all("riverton" not in text.lower() for text in described), described
