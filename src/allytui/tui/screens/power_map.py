"""The power map screen (the guide's step 4): the grid, the selected mark in one line, filters, export."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from allytui.model.powermap import MapFilter, Mark, Unplaced, marks, only, signed, unplaced
from allytui.model.records import Kind
from allytui.render.powermap import to_svg, to_text
from allytui.tui.app_data import AppData
from allytui.tui.documents import Delivery, Document, hand_over
from allytui.tui.keymap import key_of
from allytui.tui.messages import OpenRecord
from allytui.tui.safe import plain
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.typed_ahead import keep_typed_ahead
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.power_map import PowerMap, standing_class
from allytui.tui.widgets.tab_bar import TabBar

FILTER_HELP = "filter: kind:people stage:allied category:faith tag:venue or any part of a name"
KIND_CYCLE: list[Kind | None] = [None, Kind.GROUPS, Kind.PEOPLE]


def export_folder(repo_root: Path) -> Path:
    """Where exports go: beside the data repo (never inside it, where they would be uncommitted
    changes), or the current folder when that one can't be written."""
    parent = repo_root.resolve().parent
    return parent if os.access(parent, os.W_OK) else Path.cwd()


class CellChoice(ChooseScreen):
    """Every mark in a crowded cell, the selected one highlighted; choosing one selects it on the map."""

    DEFAULT_CSS = """
    CellChoice > Vertical { width: 76; }
    """

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None) -> None:
        super().__init__(title, options)
        self.current = current

    def on_mount(self) -> None:
        keys = [key for key, _ in self.options]
        if self.current in keys:
            self.query_one(OptionList).highlighted = keys.index(self.current)


class MapScreen(Screen[None], AppData):
    """Groups and people by influence and alignment; move between marks, open one, filter, export."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("f", "cycle_kind", "Kind", id="map-kind"),
        Binding(
            "E",
            "export",
            "Export",
            id="export",
            tooltip="The map as shown, as SVG and text beside the repo (downloads in a browser)",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter", show=False),
    ]
    DEFAULT_CSS = """
    MapScreen #filter { display: none; }
    MapScreen #filter.-shown { display: block; }
    MapScreen #map-status { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.all_marks: list[Mark] = []
        self.left_off: list[Unplaced] = []

    def compose(self) -> ComposeResult:
        yield TabBar()
        yield Input(placeholder=f"{key_of(self.app, 'filter')} {FILTER_HELP}", id="filter")
        yield Static(id="filter-problem")
        yield PowerMap(id="map")
        yield Static(id="map-status")
        yield Footer(compact=True)

    @property
    def power_map(self) -> PowerMap:
        return self.query_one(PowerMap)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def wanted(self) -> MapFilter:
        return MapFilter.parse(self.filter_box.value)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.power_map.focus()

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            self.query_one("#map-status", Static).update(Text("Loading…", style="italic"))
            return
        self.all_marks = marks(loaded.records)
        self.left_off = unplaced(loaded.records)
        self._refilter()

    def _refilter(self) -> None:
        wanted = self.wanted
        problem = self.query_one("#filter-problem", Static)
        problem.update(Text("\n".join(wanted.errors)))  # record text: never markup
        problem.set_class(bool(wanted.errors), "-shown")
        shown = only(self.all_marks, wanted)
        if not self.all_marks:
            empty = "Nothing on the map yet: give groups and people an influence and an alignment."
        else:
            empty = f"Nothing matches the filter ({key_of(self.app, 'clear-filter')} clears it)."
        self.power_map.set_marks(shown, total=len(self.all_marks), empty_text=empty)
        self.refresh_bindings()

    # the status line

    def on_power_map_highlighted(self, event: PowerMap.Highlighted) -> None:
        self.query_one("#map-status", Static).update(self.status(event.mark, event.power_map))

    def status(self, mark: Mark | None, power_map: PowerMap) -> Text:
        """The selected mark in one line: what it is, its stage, its place; or why the map is empty."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if mark is None:
            left_off = len([e for e in self.left_off if self.wanted.matches(e)])
            line.append(power_map.empty_text)
            if left_off:
                line.append(f" {left_off} without influence or alignment are not on the map.")
            return line
        colour = power_map.get_component_rich_style(standing_class(mark.standing), partial=True)
        line.append(mark.standing.symbol, style=colour)
        line.append(" ")
        line.append_text(plain(mark.label, "bold"))  # record text: never markup
        details = [
            mark.kind.singular,
            mark.stage_text,
            f"influence {mark.influence}, alignment {signed(mark.alignment)}",
        ]
        cell = power_map.current_cell
        if cell is not None and cell.crowded:
            place = [m.key for m in cell.marks].index(mark.key) + 1
            details.append(f"{place} of {len(cell.marks)} here, {key_of(self.app, 'map-expand')} lists all")
        details.append(mark.zone.lower())
        line.append_text(plain(" · " + " · ".join(details)))
        return line

    # events

    def on_power_map_expand(self, event: PowerMap.Expand) -> None:
        power_map = event.power_map
        self.app.push_screen(CellChoice(event.title, event.options, power_map.selected), power_map.select)

    def on_power_map_opened(self, event: PowerMap.Opened) -> None:
        self.post_message(OpenRecord(event.mark.kind.value, event.mark.id))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.power_map.focus()

    def on_descendant_blur(self) -> None:
        self.filter_box.set_class(bool(self.filter_box.value) or self.filter_box.has_focus, "-shown")

    # actions

    def on_key(self, event: events.Key) -> None:
        keep_typed_ahead(self, event, self.action_filter)

    def action_filter(self) -> None:
        self.filter_box.add_class("-shown")
        self.app.update_styles(self.filter_box)  # shown now, so that it can take focus now
        self.set_focus(self.filter_box)  # now, not after the keys already typed: those go into the box

    def action_clear_filter(self) -> None:
        self.filter_box.value = ""
        self.filter_box.remove_class("-shown")
        self.power_map.focus()

    def action_cycle_kind(self) -> None:
        kinds = self.wanted.kinds
        now = Kind(kinds[0]) if len(kinds) == 1 else None
        following = KIND_CYCLE[(KIND_CYCLE.index(now) + 1) % len(KIND_CYCLE)]
        self.filter_box.value = self.wanted.with_kind(following).text()
        self.filter_box.set_class(bool(self.filter_box.value), "-shown")

    def action_export(self) -> None:
        """The map as it is shown (filter and all) as SVG and as text: beside the data repo, or downloaded."""
        loaded = self.loaded
        if loaded is None:
            return
        repo, today = self.allytui_app.repo, self.today
        wanted = self.wanted
        shown = only(self.all_marks, wanted)
        left_off = [e for e in self.left_off if wanted.matches(e)]
        name = loaded.settings.name or repo.root.name
        title = f"Power map: {name} · {today.isoformat()}"
        note = f"filter: {self.filter_box.value.strip()}" if self.filter_box.value.strip() else ""
        stem = f"{repo.root.name}-power-map-{today.isoformat()}"
        what = f"{len(shown)} marks" + (f" ({note})" if note else "")

        def make() -> Delivery:
            svg = Document(f"{stem}.svg", to_svg(shown, title=title, note=note))
            text = Document(f"{stem}.txt", to_text(shown, title=title, note=note, left_off=left_off))
            return Delivery([svg, text], export_folder(repo.root), summary=what)

        self.run_flow(hand_over(self.allytui_app, make, "Map"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self.loaded is not None or None
        if action == "clear_filter":
            return bool(self.is_mounted and (self.filter_box.value or self.filter_box.has_focus)) or None
        return True
