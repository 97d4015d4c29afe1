"""Everything readable at 80x24: the tab bar, lists that never cut a date or a number, the footer, the power
map's labels, and toasts that cover no dialog or field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Footer
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast, ToastRack

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.help import bindings_text
from allytui.tui.widgets.power_map import PowerMap
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.tab_bar import SCREENS, TabBar
from tests.helpers import git
from tests.ui.conftest import TODAY, settle

KEYS = "1234567890"


def bar_text(app: AllytuiApp) -> str:
    return str(app.screen.query_one(TabBar).render())


def labelled(bar: str, key: str) -> bool:
    """Whether the screen on this key has a label in the bar, not its number alone."""
    return re.search(rf"(^| ){key} [A-Z]", bar) is not None


@pytest.mark.parametrize("problems", [0, 3, 12])
async def test_at_80_columns_every_screen_keeps_its_number_and_a_label(sample_repo: DataRepo, problems: int) -> None:
    for n in range(problems):
        (sample_repo.root / "groups" / f"broken-{n}.toml").write_text('name = "unclosed\n')
    if problems:  # committed: uncommitted files would open the review of changes first
        git(sample_repo.root, "add", "-A")
        git(sample_repo.root, "commit", "-q", "-m", "test data")
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, (mode, _) in zip(KEYS, SCREENS, strict=True):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            bar = bar_text(app)
            assert len(bar) <= 80
            assert [k for k in KEYS if not labelled(bar, k)] == [], bar
            if problems:
                assert f"({problems})" in bar


async def test_a_narrow_bar_keeps_every_number_and_the_current_screens_label(
    app: AllytuiApp, pilot: Pilot[None]
) -> None:
    await pilot.resize_terminal(50, 24)
    for key, (mode, _) in zip(KEYS, SCREENS, strict=True):
        await pilot.press(key)
        await settle(pilot)
        bar = bar_text(app)
        assert len(bar) <= 50
        assert all(re.search(rf"(^| ){k}( |$)", bar) for k in KEYS), bar
        assert labelled(bar, key), (mode, bar)


def cut_keys(app: AllytuiApp) -> list[str]:
    """The footer's keys that do not fit beside the palette key (drawn under it, or past the edge)."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    end = palette[0].region.x if palette else footer.region.right
    return [f"{k.key} {k.description}" for k in keys if k not in palette and k.region.right > end]


async def test_at_80_columns_the_footer_never_cuts_a_key(app: AllytuiApp, pilot: Pilot[None]) -> None:
    for key, (mode, _) in zip(KEYS, SCREENS, strict=True):
        await pilot.press(key)
        await settle(pilot)
        assert cut_keys(app) == [], mode
        box = app.screen.query("#filter")
        if box:
            await pilot.press("slash")
            await settle(pilot)
            assert cut_keys(app) == [], (mode, "filter")
            await pilot.press("escape")
    await pilot.press("2")
    await settle(pilot)
    for key in ("h", "b", "P", "enter"):  # history, brief, privacy, the form
        await pilot.press(key)
        await settle(pilot)
        assert cut_keys(app) == [], key
        await pilot.press("escape")
        await settle(pilot)


async def test_a_crowded_footer_leaves_reload_out_but_help_and_the_palette_keep_it(
    app: AllytuiApp, pilot: Pilot[None]
) -> None:
    await pilot.press("2")
    await settle(pilot)
    shown = [k.action for k in app.screen.query(FooterKey)]
    assert "reload" not in shown and "quit_by_letter" in shown and "brief" in shown
    commands = [command.title for command in app.get_system_commands(app.screen)]
    assert "Reload" in commands
    assert "Reload" in bindings_text(app.screen).plain
    await pilot.press("3")  # People has room for it
    await settle(pilot)
    assert "reload" in [k.action for k in app.screen.query(FooterKey)]
    await pilot.resize_terminal(120, 24)
    await pilot.press("2")
    await settle(pilot)
    assert "reload" in [k.action for k in app.screen.query(FooterKey)]
    assert cut_keys(app) == []


# dates and numbers are never cut

LATE = 1241  # days: "overdue 124…" would read as 124


def line_text(table: RecordTable, key: str) -> str:
    """The text a table draws on screen for the row with this key (scrolling it into view first)."""
    table.move_to(key)
    index = next(n for n, row in enumerate(table.shown) if row.key == key)
    y = index - int(table.scroll_offset.y) + 1
    return "".join(segment.text for segment in table.render_line(y))


@pytest.fixture
def long_overdue(sample_repo: DataRepo) -> DataRepo:
    due = TODAY - dt.timedelta(days=LATE)
    (sample_repo.root / "groups" / "long-overdue.toml").write_text(
        'name = "Riverton Society for the Preservation of Very Long Names"\ncategory = "faith"\n'
        f'stage = "in_conversation"\nlead = "ellen-brooks"\nnext_action = "Write again"\nnext_action_due = {due}\n'
    )
    git(sample_repo.root, "add", "-A")
    git(sample_repo.root, "commit", "-q", "-m", "test data")
    return sample_repo


async def test_at_80_columns_no_date_or_day_count_is_cut(long_overdue: DataRepo) -> None:
    due = (TODAY - dt.timedelta(days=LATE)).isoformat()
    app = AllytuiApp(long_overdue, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        follow_ups = app.screen.query_one("#follow-ups", RecordTable)
        line = line_text(follow_ups, "groups/long-overdue")
        assert f"overdue {LATE}d" in line and due in line

        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert len(line_text(table, "long-overdue")) <= 80
        for row in table.shown:  # every date whole, without scrolling sideways
            date = row.cells[[c.key for c in table.columns].index("due")]
            assert date in line_text(table, row.key)
        assert "Write again"[:5] in line_text(table, "long-overdue")

        await pilot.press("8")
        await settle(pilot)
        items = app.screen.query_one("#agenda-items", RecordTable)
        key = next(row.key for row in items.shown if "long-overdue" in row.key)
        assert f"OVERDUE {LATE}d" in line_text(items, key)

        await pilot.press("4")
        await settle(pilot)
        talks = app.screen.query_one(RecordTable)
        assert all(row.cells[3] in line_text(talks, row.key) for row in talks.shown)  # follow-up date and its !

        for key in "1234589":  # no list on any screen shows part of a number ("124…", "(2026-04-…")
            await pilot.press(key)
            await settle(pilot)
            for table in app.screen.query(RecordTable):
                cut_numbers = [line for row in table.shown if re.search(r"\d…", line := line_text(table, row.key))]
                assert cut_numbers == [], (key, table.id)


async def test_a_table_wider_than_the_screen_scrolls_sideways_with_its_dates_whole(long_overdue: DataRepo) -> None:
    app = AllytuiApp(long_overdue, today=TODAY)
    async with app.run_test(size=(50, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert table.virtual_size.width > table.size.width
        due = (TODAY - dt.timedelta(days=LATE)).isoformat()
        assert due not in line_text(table, "long-overdue")  # past the right edge
        for _ in range(30):
            await pilot.press("right")
        await settle(pilot)
        assert table.scroll_offset.x > 0
        assert due in line_text(table, "long-overdue")


async def test_at_80_columns_map_labels_leave_off_the_start_names_share(app: AllytuiApp, pilot: Pilot[None]) -> None:
    await pilot.press("0")
    await settle(pilot)
    power_map = app.screen.query_one(PowerMap)
    drawn = "\n".join("".join(s.text for s in power_map.render_line(y)) for y in range(power_map.size.height))
    assert "Food Bank" in drawn and "Town FC" in drawn
    assert "Riverton Fo" not in drawn and "Riverton To" not in drawn  # they told nothing apart
    assert "Keep Riverto" in drawn  # Riverton in the middle of a name stays
    assert "“Riverton” left off names" in drawn
    assert power_map.current is not None and power_map.current.label.startswith("Riverton")  # the full name below
    assert power_map.current.label in str(app.screen.query_one("#map-status").render())


# toasts


async def toast_regions(pilot: Pilot[None]) -> list[Region]:
    await pilot.pause(0.3)  # the toast rack is shown a refresh after the notification
    await settle(pilot)
    return [toast.region for toast in pilot.app.screen.query(Toast)]


@pytest.fixture
async def toasting(sample_repo: DataRepo) -> AsyncIterator[Pilot[None]]:
    """The app at 80x24 with its notifications shown (run_test hides them unless asked)."""
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        yield pilot


async def test_a_toast_never_covers_the_field_being_edited(toasting: Pilot[None]) -> None:
    pilot, app = toasting, toasting.app
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = app.screen
    for _ in range(12):  # down to the last fields, at the bottom of the screen
        await pilot.press("tab")
    focused = form.focused
    assert focused is not None and focused.region.bottom > 14
    app.notify("A long message that wraps onto a second line, to take some room on the screen", title="Saved")
    app.notify("And another one")
    toasts = await toast_regions(pilot)
    assert len(toasts) == 2
    focused = form.focused
    assert focused is not None and focused.region.height > 0
    body = form.query_one("#form-body").region
    assert body.contains_region(focused.region)  # scrolled back into view above the toasts
    assert all(not toast.overlaps(focused.region) for toast in toasts)
    assert all(not toast.overlaps(body) for toast in toasts)  # nor any other field


async def test_a_toast_never_covers_a_dialog(toasting: Pilot[None]) -> None:
    pilot, app = toasting, toasting.app
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("d")  # delete: a dialog that asks
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, ModalScreen)
    app.notify("Changed outside allytui: groups/x.toml", title="Changed outside allytui")
    toasts = await toast_regions(pilot)
    assert toasts
    boxes = [w.region for w in dialog.children if not isinstance(w, ToastRack) and w.region.height]
    assert boxes and all(not toast.overlaps(box) for toast in toasts for box in boxes)
    buttons = [b.region for b in dialog.query(Button)]
    assert buttons and all(not toast.overlaps(b) for toast in toasts for b in buttons)
