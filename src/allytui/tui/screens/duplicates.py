"""Likely duplicates: pairs of groups or people with the reasons they look alike; merge one into the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allytui.model.duplicates import LikelyPair, find_duplicates
from allytui.model.records import Kind
from allytui.sync.combine import combine, contact_opener, plan_combine
from allytui.tui.app_data import AppAccess
from allytui.tui.keymap import key_of
from allytui.tui.safe import block, plain
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.widgets.footer import Footer


class DuplicatesScreen(ModalScreen[None], AppAccess):
    """The likely duplicates of one kind, surest first; m merges the second of a pair into the first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "merge(False)", "Merge into the first", id="dupes-merge"),
        Binding("M", "merge(True)", "Merge into the second", id="dupes-merge-other"),
        Binding("escape", "dismiss(None)", "Close", id="dupes-close"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen { align: center middle; }
    DuplicatesScreen > Vertical { width: 100; max-width: 98%; height: 90%; border: thick $primary;
        background: $panel; padding: 0 1; }
    DuplicatesScreen OptionList { height: 1fr; }
    """
    WORK_TITLES: ClassVar[dict[str, str]] = {"dupes": "Could not look for duplicates"}

    @dataclass
    class Found(Message):
        """The pairs found, from the worker that looked (dropped if the screen has closed meanwhile)."""

        pairs: list[LikelyPair]

    def __init__(self, kind: Kind) -> None:
        super().__init__()
        self.kind = kind
        self.pairs: list[LikelyPair] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Likely duplicate {self.kind.value}", style="bold"), id="dupes-title")
            yield Static(Text("Looking…", style="italic"), id="dupes-summary")
            yield OptionList(id="dupes-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self.look)
        self.query_one(OptionList).focus()

    def look(self) -> None:
        if self.allytui_app.loaded is not None:
            self._find()

    @work(thread=True, exclusive=True, group="dupes", exit_on_error=False)
    def _find(self) -> None:
        """Find the pairs in a thread (sealed contact details are opened with the member's key, in memory)."""
        app = self.allytui_app
        loaded = app.loaded
        if loaded is None:
            return
        self.post_message(self.Found(find_duplicates(loaded.records, [self.kind], opener=contact_opener(app.keyring))))

    def on_duplicates_screen_found(self, message: Found) -> None:
        self.show_pairs(message.pairs)

    def label(self, record_id: str) -> str:
        loaded = self.allytui_app.loaded
        record = loaded.get(self.kind, record_id) if loaded is not None else None
        return record.label if record is not None else record_id

    def show_pairs(self, pairs: list[LikelyPair]) -> None:
        self.pairs = pairs
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        for pair in pairs:
            text = Text()
            for mark, record_id in (("1 ", pair.keep), ("2 ", pair.drop)):
                text.append(mark, style="bold")
                text.append_text(plain(self.label(record_id), "bold"))
                text.append_text(plain(f"  {record_id}", "dim"))
                text.append("\n")
            text.append_text(plain("  " + ", ".join(pair.reasons), "italic"))
            options.add_option(Option(text, id=f"{pair.keep} {pair.drop}"))
        if pairs:
            options.highlighted = min(keep, len(pairs) - 1)
            merge, other = key_of(self.app, "dupes-merge"), key_of(self.app, "dupes-merge-other")
            summary = f"{len(pairs)} pair(s), the fuller record first. {merge} merges 2 into 1, {other} 1 into 2."
        else:
            summary = f"No likely duplicate {self.kind.value}."
        self.query_one("#dupes-summary", Static).update(Text(summary))
        self.refresh_bindings()

    def current(self) -> LikelyPair | None:
        index = self.query_one(OptionList).highlighted
        return self.pairs[index] if index is not None and index < len(self.pairs) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge" and self.is_mounted:
            if not self.pairs:
                return False  # nothing to merge: not offered at all
            return self.current() is not None or None
        return True

    def action_merge(self, swap: bool) -> None:
        pair = self.current()
        if pair is not None:
            keep, drop = (pair.drop, pair.keep) if swap else (pair.keep, pair.drop)
            self.run_flow(self._merge(keep, drop))

    async def _merge(self, keep: str, drop: str) -> None:
        """Show what merging does, naming both, and ask; then merge in one commit."""
        app, kind = self.allytui_app, self.kind
        loaded = app.loaded
        if loaded is None:
            return
        plan = await app.run_write(
            lambda: plan_combine(app.repo, loaded.records, kind, keep, drop, keyring=app.keyring)
        )
        question = plain(
            f"Merge {kind.singular} {self.label(drop)} ({drop}) into {self.label(keep)} ({keep})? "
            f"{self.label(drop)} goes; every reference to it then points at {self.label(keep)}."
        )
        details = block("\n".join(plan.summary()[1:]) or "Nothing else refers to it, and no field differs.")
        if not await app.ask(ConfirmScreen(question, details, yes="Merge", no="Keep both")):
            return
        _, commit = await app.run_write(lambda: combine(app.repo, kind, keep, drop, keyring=app.keyring))
        conflicts = key_of(self.app, "conflicts")
        more = f"\nFields that differed are open conflicts: {conflicts} to choose." if plan.conflicts else ""
        app.notify(f"{commit.message}\ncommit {commit.sha[:8]}{more}", title="Merged", markup=False)
        app.action_reload()
