"""Region: each participant's pipeline, the organisations nobody has contacted, and the categories nobody covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.readable import label
from allytui.sync.region import RegionInfo
from allytui.tui.app_data import AppData
from allytui.tui.safe import Doc
from allytui.tui.widgets.footer import Footer

UNCONTACTED_SHOWN = 40


@dataclass
class RegionLoaded(Message):
    """The region's exchange, as last fetched, was read again (posted from the load worker's thread)."""

    info: RegionInfo


def region_text(info: RegionInfo) -> Text:
    """The Region screen's text, built from what was last fetched (record text is never markup)."""
    doc = Doc()
    if info.failure:
        doc.line(("The region could not be read: ", "bold"), info.failure)
        return doc.text
    status = info.status
    if status is None:
        doc.line("This data repo takes part in no region.")
        doc.line("Join one with: allytui region join URL (then allytui sync shares and reads it).")
        return doc.text
    doc.line((f"The region: {len(status.pipelines)} participant(s), as last fetched", "bold"))
    doc.heading("Pipelines")
    for pid, counts in status.pipelines.items():
        stages = ", ".join(f"{stage.replace('_', ' ')} {n}" for stage, n in counts.items()) or "no groups shared"
        national = " (national)" if status.kinds[pid] == "national" else ""
        doc.line(f"{status.names[pid]}{national}: {stages}")
    doc.heading(f"Nobody has contacted yet ({len(status.uncontacted)})")
    shown = [f"{name} — researched by {', '.join(who)}" for name, who in status.uncontacted[:UNCONTACTED_SHOWN]]
    if len(status.uncontacted) > UNCONTACTED_SHOWN:
        shown.append(f"… and {len(status.uncontacted) - UNCONTACTED_SHOWN} more (allytui region status)")
    doc.bullets(shown, "none")
    doc.heading("Who's not here? Categories with no group anywhere")
    doc.line(", ".join(label(c.value) for c in status.no_group) or "none")
    doc.heading("Categories nobody is in touch with")
    doc.line(", ".join(label(c.value) for c in status.nobody_in_touch) or "none")
    if info.problems:
        doc.heading(f"Problems in the exchange ({len(info.problems)})")
        doc.bullets([str(problem) for problem in info.problems])
    return doc.text


class RegionScreen(Screen[None], AppData):
    """The region at a glance; redrawn whenever the app reads the exchange again (after a load or a sync)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="region-back"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="region-body"):
            yield Static(id="region-text")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_data(self._redraw_text)
        self._redraw_text()

    def on_screen_resume(self) -> None:
        self.redraw_if_stale()

    def _redraw_text(self) -> None:
        self.query_one("#region-text", Static).update(region_text(self.allytui_app.region))
