"""A brief on one group before a conversation or meeting: drawn from plain-text blocks, saved as Markdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.brief import Block, NoSuchGroup, brief
from allytui.model.records import Conversation, Kind, Record
from allytui.render.brief import brief_markdown
from allytui.tui.app_data import AppData
from allytui.tui.documents import Delivery, Document, hand_over
from allytui.tui.keymap import at_start, key_of
from allytui.tui.navigation import open_record
from allytui.tui.safe import Doc, block, plain
from allytui.tui.screens.team import reflow
from allytui.tui.widgets.footer import Footer


def brief_file(repo_root: Path, group_id: str, today: dt.date) -> Path:
    """Where a saved brief goes: beside the data repo (never inside it, where sync would see it)."""
    return repo_root.parent / f"brief-{group_id}-{today.isoformat()}.md"


def _indented(doc: Doc, text: str, indent: str) -> None:
    """Several lines of record text, each indented; blank lines kept."""
    for line in text.strip().splitlines():
        doc.text.append(indent)
        doc.text.append_text(block(line))
        doc.text.append("\n")


def brief_text(blocks: list[Block]) -> Text:
    """The brief as rich Text built from plain strings: record text is never markup here either.

    The title block is left out (the screen shows it in its title bar); lines hard-wrapped in an editor
    are joined back into paragraphs, so they wrap to the width of the screen.
    """
    doc = Doc()
    for n, item in enumerate(blocks):
        kind = item.kind
        if kind == "title":
            continue
        if kind == "meta":
            doc.line((item.text, "italic"))
        elif kind == "warning":
            doc.line(("⚠ " + item.text, "bold reverse"))
        elif kind == "heading":
            doc.heading(item.text)
        elif kind == "subheading":
            if n and blocks[n - 1].kind not in ("heading",):
                doc.line("")
            doc.line((item.text, "bold"))
        elif kind == "note":
            doc.line((item.text, "italic"))
        elif kind == "field":
            doc.field(item.label, reflow(item.text))
        elif kind in ("item", "subitem"):
            bullet, indent = ("• ", "  ") if kind == "item" else ("  ◦ ", "    ")
            first, *rest = reflow(item.text).splitlines() or [""]
            lead = (item.label + (item.sep if first else ""), "bold" if item.strong else "") if item.label else ""
            doc.line(bullet, lead, first)
            if rest:
                _indented(doc, "\n".join(rest), indent)
        else:  # para
            doc.text.append_text(block(reflow(item.text)))
            doc.text.append("\n")
    text = doc.text
    text.rstrip()
    return text


class BriefScreen(Screen[None], AppData):
    """Everything to read before talking to a group; s saves it as Markdown beside the data repo."""

    DEFAULT_CSS = """
    BriefScreen #brief-title { height: 1; padding: 0 1; background: $boost; }
    BriefScreen #brief-pane { height: 1fr; padding: 0 1; background: $surface; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="brief-back"),
        Binding(
            "E",
            "save",
            "Save as Markdown",
            id="export",
            tooltip="Write the brief to a file beside the repo (a download in a browser)",
        ),
        Binding("o", "open_group", "Open group", id="brief-open"),
    ]

    def __init__(self, group_id: str) -> None:
        super().__init__()
        self.group_id = group_id
        self.saved: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="brief-title")
        with VerticalScroll(id="brief-pane"):
            yield Static(id="brief-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.query_one("#brief-pane").focus()

    def _exists(self) -> bool:
        loaded = self.loaded
        return loaded is not None and loaded.get(Kind.GROUPS, self.group_id) is not None

    def _opened(self, talk: Conversation) -> tuple[Record, Mapping[str, str]]:
        """The conversation with the sealed values this member can open made plain (in memory only), and why
        each other one stays sealed."""
        opened = self.allytui_app.keyring.open(talk)
        return opened.record, opened.closed

    def _data_changed(self) -> None:
        loaded = self.loaded
        title = self.query_one("#brief-title", Static)
        body = self.query_one("#brief-body", Static)
        if loaded is None:
            body.update(Text("Loading…", style="italic"))
            return
        try:
            blocks = brief(loaded.records, self.group_id, self.today, opened=self._opened, also=self._also())
        except NoSuchGroup:
            title.update(plain(f"Brief: no group {self.group_id}", "bold"))
            back = f"{at_start(key_of(self.app, 'brief-back'))} goes back."
            body.update(Text(f"This group is not in the data (deleted, or renamed?). {back}", style="italic"))
            self.refresh_bindings()
            return
        group = loaded.get(Kind.GROUPS, self.group_id)
        heading = Doc().line(("Brief", "bold"), f" · {group.label if group else self.group_id}")
        title.update(heading.text)
        body.update(brief_text(blocks))
        self.refresh_bindings()

    def _also(self) -> list[str]:
        """Who else in the region is in touch with this group, as the app last read the exchange."""
        return [t.line() for t in self.allytui_app.region.touch.get(self.group_id, [])]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"save", "open_group"}:
            return self._exists() or None
        return True

    def action_back(self) -> None:
        self.dismiss()

    async def action_open_group(self) -> None:
        if self._exists():
            self.dismiss()
            await open_record(self.app, Kind.GROUPS, self.group_id)

    def action_save(self) -> None:
        loaded = self.loaded
        if loaded is None or not self._exists():
            return
        text = brief_markdown(loaded.records, self.group_id, self.today, opened=self._opened, also=self._also())
        path = brief_file(self.allytui_app.repo.root, self.group_id, self.today)
        self.run_flow(self._save(Delivery([Document(path.name, text)], path.parent)))

    async def _save(self, delivery: Delivery) -> None:
        paths = await hand_over(self.allytui_app, lambda: delivery, "Brief")
        if paths:
            self.saved = paths[0]
