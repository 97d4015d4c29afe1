"""The power map screen on the sample data: drawing at 80x24 and 120x40, moving, opening, expanding a
crowded cell, filtering and exporting."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from allytui.model.powermap import Quadrant
from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.power_map import CellChoice, MapScreen
from allytui.tui.widgets.power_map import PowerMap
from allytui.tui.widgets.record_table import RecordTable
from tests.helpers import git
from tests.ui.conftest import TODAY, settle

SIZES = [(80, 24), (120, 40)]
MARKUP = "[bold]x[/] [@click=app.quit]q[/]"


@pytest.fixture
async def power_map(app: AllytuiApp, pilot: Pilot[None]) -> PowerMap:
    """The app (the shared `pilot` fixture) switched to the power map."""
    await app.switch_mode("map")
    await settle(pilot)
    return app.screen.query_one(PowerMap)


def drawn(power_map: PowerMap) -> list[str]:
    return [power_map.render_line(y).text for y in range(power_map.size.height)]


def status(app: AllytuiApp) -> str:
    return str(app.screen.query_one("#map-status", Static).render())


async def select(pilot: Pilot[None], power_map: PowerMap, key: str) -> None:
    power_map.select(key)
    await pilot.pause()
    assert power_map.selected == key


@pytest.mark.parametrize("app_size", SIZES)
async def test_the_map_fits_with_all_four_quadrants_filled(
    app: AllytuiApp, power_map: PowerMap, app_size: tuple[int, int]
) -> None:
    width, height = app_size
    assert len(power_map.marks) == 46
    lines = drawn(power_map)
    text = "\n".join(lines)
    for quadrant in Quadrant:
        assert quadrant.label in text, quadrant
        assert any(spot.mark.quadrant is quadrant for spot in power_map._spots), quadrant
    assert any(spot.mark.quadrant is None for spot in power_map._spots)  # the neutral column
    assert "46 on the map" in text
    assert "0 neutral" in text and "-2 opposed" in text
    for symbol in ("● allied", "◐ ", "○ ", "· researched", "× paused", "◇ no "):
        assert symbol in text, symbol  # the legend, in full
    assert all(len(line) <= width for line in lines)
    assert len(power_map._ensure_built()) <= power_map.size.height  # nothing cut off at the bottom
    assert power_map.region.bottom <= height - 2  # the status line and footer still show
    assert "Riverton Chamber of Trade" in status(app)  # the top-left mark is selected first
    shown = {spot.mark.key for spot in power_map._spots}
    hidden = [m for c in power_map._grid.values() for m in c.marks if m.key not in shown]
    counts = [c for c in power_map._grid.values() if c.crowded]
    assert sum(c.hidden for c in counts) == len(hidden)
    if app_size == (80, 24):
        assert counts  # the sample is too much for 80x24: crowded cells collapse into a count
        assert any(f"+{counts[0].hidden}" in line for line in lines)
    else:
        assert len(hidden) < 6


@pytest.mark.parametrize("app_size", SIZES)
async def test_arrows_and_hjkl_move_to_the_nearest_mark(
    app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap, app_size: tuple[int, int]
) -> None:
    await select(pilot, power_map, "groups/st-marys-church")  # influence 4, alignment +2
    await pilot.press("left")
    assert power_map.selected == "groups/neu-western-region"  # same row, next column left
    await pilot.press("l")
    assert power_map.selected == "groups/st-marys-church"
    await pilot.press("right")
    assert power_map.selected == "groups/st-marys-church"  # nothing further right
    await pilot.press("down")
    assert power_map.selected == "people/helen-carter"  # the next in the same cell
    await pilot.press("j")
    assert power_map.selected == "groups/friends-of-the-arle"  # the top of the cell below
    await pilot.press("up")
    assert power_map.selected == "people/helen-carter"  # back to the nearest line
    await pilot.press("k", "k", "k")  # the only cell above, far left; entered at its nearest line
    assert power_map.selected == "groups/riverton-chamber-of-trade"
    await pilot.press("j")
    assert power_map.selected == "people/sandra-lyle"  # in the same cell (at 80x24 counted in its "+1")
    await pilot.press("j")
    assert power_map.selected == "groups/keep-riverton-moving"  # one row down, one column over
    await pilot.press("l")
    assert power_map.selected == "groups/riverton-town-fc"  # the same row, across the empty column
    assert "Riverton Town FC" in status(app) and "neutral" in status(app)


async def test_enter_opens_the_record_on_its_list(app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap) -> None:
    await select(pilot, power_map, "groups/st-marys-church")
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "groups"
    assert app.screen.query_one(RecordTable).current_key == "st-marys-church"
    await app.switch_mode("map")
    await settle(pilot)
    await select(pilot, power_map, "people/helen-carter")
    await pilot.press("enter")
    await settle(pilot)
    assert app.current_mode == "people"
    assert app.screen.query_one(RecordTable).current_key == "helen-carter"


async def test_a_crowded_cell_expands_into_a_list_and_down_walks_through_it(
    app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap
) -> None:
    cell = next(c for c in power_map._grid.values() if c.crowded and len(c.marks) >= 4)
    await select(pilot, power_map, cell.marks[0].key)
    screen = app.screen
    assert isinstance(screen, MapScreen)
    assert f"1 of {len(cell.marks)} here, x lists all" in screen.status(power_map.current, power_map).plain
    assert power_map.check_action("expand", ()) is True  # the footer offers x
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, CellChoice)
    options = app.screen.query_one(OptionList)
    assert options.option_count == len(cell.marks)
    assert options.highlighted == 0  # the selected mark
    await pilot.press("end", "enter")
    await settle(pilot)
    assert app.screen is not None and not isinstance(app.screen, CellChoice)
    last = cell.marks[-1]
    assert power_map.selected == last.key
    assert power_map.current_cell is not None and power_map.current_cell.shown[-1] == last  # now on screen
    assert any(last.label[:6] in line for line in drawn(power_map))
    await pilot.press("escape")  # nothing happens: the map stays
    # walking down from the first mark visits every mark of the cell, hidden ones included
    await select(pilot, power_map, cell.marks[0].key)
    visited = [power_map.selected]
    for _ in range(len(cell.marks) - 1):
        await pilot.press("down")
        visited.append(power_map.selected)
    assert visited == [m.key for m in cell.marks]
    await select(pilot, power_map, "groups/riverton-town-fc")  # alone in its cell: nothing to expand
    assert power_map.check_action("expand", ()) is None
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, MapScreen)


async def test_filters_by_kind_stage_category_and_tag(app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap) -> None:
    box = app.screen.query_one("#filter", Input)
    assert not box.display  # hidden until wanted: the map needs the line at 80x24
    await pilot.press("slash")
    assert box.display and box.has_focus
    await pilot.press(*"kind:people", "space", *"stage:allied", "enter")
    await settle(pilot)
    assert power_map.has_focus and box.display
    assert power_map.marks and all(m.kind is Kind.PEOPLE and m.stage is not None for m in power_map.marks)
    assert {m.stage.value for m in power_map.marks if m.stage} == {"allied"}
    assert f"{len(power_map.marks)} of 46 shown" in "\n".join(drawn(power_map))
    await pilot.press("f")  # people -> all
    assert box.value == "stage:allied"
    await pilot.press("f")  # all -> groups
    assert box.value == "kind:groups stage:allied"
    await settle(pilot)
    assert {m.id for m in power_map.marks} == {
        "friends-of-the-arle",
        "riverside-flood-group",
        "riverton-allotment-society",
        "riverton-food-bank",
        "st-marys-church",
    }
    box.value = "category:faith tag:venue"
    await settle(pilot)
    assert {m.key for m in power_map.marks} == {  # people through their groups
        "groups/st-marys-church",
        "groups/riverton-quaker-meeting",
        "people/helen-carter",
        "people/sandra-lyle",
    }
    box.value = "stage:nothing"
    await settle(pilot)
    assert power_map.marks == [] and power_map.selected is None
    assert "Nothing matches the filter" in "\n".join(drawn(power_map))
    await pilot.press("escape")
    await settle(pilot)
    assert box.value == "" and not box.display and len(power_map.marks) == 46


@pytest.mark.usefixtures("power_map")
async def test_export_writes_svg_and_text_beside_the_repo(
    app: AllytuiApp, pilot: Pilot[None], sample_repo: DataRepo
) -> None:
    app.screen.query_one("#filter", Input).value = "kind:groups"
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    stem = sample_repo.root.parent / f"riverton-power-map-{TODAY.isoformat()}"
    svg = stem.with_suffix(".svg").read_text(encoding="utf-8")
    text = stem.with_suffix(".txt").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert len([g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-id")]) == 22
    assert "22 on the map · filter: kind:groups" in text
    assert "Rev. Helen Carter" not in text  # the filter applies
    assert git(sample_repo.root, "status", "--porcelain") == ""  # nothing written inside the data repo
    messages = [n.message for n in app._notifications]
    assert any(str(stem.with_suffix(".svg")) in m for m in messages)


@pytest.fixture
def markup_group(sample_repo: DataRepo) -> None:
    """A group whose name is markup, saved before the app starts (usefixtures sets it up ahead of `pilot`)."""
    sample_repo.save(
        Group(id="markup", name=MARKUP, category="other", influence=5, alignment=2, stage="allied"), create=True
    )


@pytest.mark.usefixtures("markup_group")
@pytest.mark.parametrize("app_size", [(120, 40)])
async def test_record_text_on_the_map_is_never_markup(app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap) -> None:
    await select(pilot, power_map, "groups/markup")
    assert any("[bold]x[/] [@click" in line for line in drawn(power_map))
    assert MARKUP in status(app)
    assert app.is_running


async def test_clicking_selects_a_mark_and_its_count_lists_the_cell(
    app: AllytuiApp, pilot: Pilot[None], power_map: PowerMap
) -> None:
    spot = next(s for s in power_map._spots if s.mark.key == "groups/st-marys-church")
    await pilot.click(PowerMap, offset=(spot.x + 3, spot.y))
    assert power_map.selected == "groups/st-marys-church"
    y, start, _, cell = power_map._counts[0]
    await pilot.click(PowerMap, offset=(start + 1, y))
    await settle(pilot)
    assert isinstance(app.screen, CellChoice)
    assert app.screen.query_one(OptionList).option_count == len(cell.marks)
