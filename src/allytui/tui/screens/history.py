"""One record's history: every commit that touched it, its field-level diff, git's patch, and restoring a version."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allytui.model.field_diff import compare
from allytui.model.privacy import sensitive_fields
from allytui.model.records import Kind, Record
from allytui.store.history import Change, raw_diff, record_history, restore
from allytui.store.layout import record_path
from allytui.store.repo import DataRepo
from allytui.tui.app_data import AppAccess
from allytui.tui.safe import plain
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.widgets.diff_view import DiffView, diffs_text, hidden_value
from allytui.tui.widgets.footer import Footer


class HistoryScreen(Screen[None], AppAccess):
    """Every commit that touched one record, newest first, beside the selected commit's changes."""

    WORK_TITLES: ClassVar[dict[str, str]] = {
        "history": "Could not read the history",
        "history-patch": "Could not read git's diff",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history-back"),
        Binding("r", "toggle_raw", "Raw diff", id="history-raw"),
        Binding("R", "restore", "Restore this version", id="history-restore"),
        Binding("v", "toggle_reveal", "Contact details", id="reveal", show=False),
    ]

    raw: var[bool] = var(False)
    """Show git's own patch for the selected commit instead of the field-level diff."""

    reveal: var[bool] = var(False)
    """Show the values of contact details (hidden by default, as everywhere else)."""

    class HistoryLoaded(Message):
        """The record's history was read (in a worker)."""

        def __init__(self, changes: list[Change]) -> None:
            super().__init__()
            self.changes = changes

    class PatchLoaded(Message):
        """git's patch of one commit for this record was read (in a worker)."""

        def __init__(self, sha: str, reveal: bool, patch: str) -> None:
            super().__init__()
            self.sha = sha
            self.reveal = reveal
            self.patch = patch

    def __init__(self, kind: Kind, record_id: str, label: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.label = label or record_id
        self.path = record_path(kind, record_id)
        self.changes: list[Change] = []
        self.patches: dict[tuple[str, bool], str] = {}  # (commit, revealed): git's patch
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(id="history-title")
        with Horizontal(id="history-body"):
            yield OptionList(id="history-commits")
            with VerticalScroll(id="history-pane"):
                yield DiffView(id="history-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.repo: DataRepo = self.allytui_app.repo
        self._title()
        self.query_one(DiffView).show_note("Reading the history from git…")
        self.query_one(OptionList).focus()
        self.load()
        # a save, restore or sync elsewhere may have added commits: read the history again
        self.watch(self.app, "data_version", self._data_changed, init=False)

    def _data_changed(self) -> None:
        self.load()

    def _title(self) -> None:
        title = Text("History of ", style="bold", end="")
        title.append_text(plain(f"{self.kind.singular} {self.label}", "bold"))
        title.append_text(plain(f"  {self.path}"))
        if self.loaded:
            title.append(f"  {len(self.changes)} commit(s)")
        self.query_one("#history-title", Static).update(title)

    # reading, in workers

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        changes = record_history(self.repo, self.kind, self.record_id, keyring=self.allytui_app.keyring)
        self.post_message(self.HistoryLoaded(changes))

    @work(thread=True, exclusive=True, group="history-patch", exit_on_error=False)
    def load_patch(self, sha: str, reveal: bool, placeholder: str) -> None:
        patch = raw_diff(self.repo, sha, self.path, reveal=reveal, placeholder=placeholder)
        self.post_message(self.PatchLoaded(sha, reveal, patch))

    def on_history_screen_history_loaded(self, message: HistoryLoaded) -> None:
        kept = self.current
        self.changes, self.loaded = message.changes, True
        self._title()
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._entry(change), id=change.sha) for change in self.changes])
        if not self.changes:
            self.query_one(DiffView).show_note("No commit has touched this record yet.")
            return
        shas = [change.sha for change in self.changes]
        options.highlighted = shas.index(kept.sha) if kept is not None and kept.sha in shas else 0
        self._show()

    def on_history_screen_patch_loaded(self, message: PatchLoaded) -> None:
        self.patches[message.sha, message.reveal] = message.patch
        self._show()

    def _entry(self, change: Change) -> Text:
        line = Text(end="")
        line.append(f"{change.short} ", style="dim")
        line.append(change.date.date().isoformat() + " ")
        line.append_text(plain(change.author, "bold"))
        # "group st-marys: stage a → b" says which record; here that is known, so only what changed
        line.append_text(plain("  " + change.subject.removeprefix(f"{self.kind.singular} {self.record_id}: ")))
        return line

    # showing

    @property
    def current(self) -> Change | None:
        if not self.is_mounted:
            return None
        index = self.query_one(OptionList).highlighted
        return self.changes[index] if index is not None and index < len(self.changes) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show()
        self.refresh_bindings()

    def watch_raw(self) -> None:
        self._show()

    def watch_reveal(self) -> None:
        self._show()

    def _show(self) -> None:
        change = self.current
        if change is None:
            return
        view = self.query_one(DiffView)
        if not self.raw:
            view.show_change(change, reveal=self.reveal)
        elif (change.sha, self.reveal) in self.patches:
            view.show_raw(change, self.patches[change.sha, self.reveal], reveal=self.reveal)
        else:
            view.show_note("Reading git's diff…")
            self.load_patch(change.sha, self.reveal, hidden_value(self.app))
        self.query_one("#history-pane").scroll_home(animate=False)

    # actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_raw(self) -> None:
        self.raw = not self.raw

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal

    def _restorable(self) -> tuple[Change, str] | None:
        """The selected entry and the commit whose version restoring it brings back, if that differs from now."""
        change = self.current
        target = change.restorable() if change is not None else None
        if change is None or target is None or target[1].record is None:
            return None
        now = self.changes[0].after if self.changes else None
        if now is not None and now.blob == target[1].blob:
            return None
        return change, target[0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self._restorable() is not None or None
        if action == "toggle_reveal":  # only a record with contact details
            return bool(sensitive_fields(self.kind.model))
        return True

    def action_restore(self) -> None:
        chosen = self._restorable()
        if chosen is None:
            return
        change, sha = chosen
        target = change.restorable()
        assert target is not None
        version = target[1]
        when = f"{change.date.date().isoformat()}, {change.author}"
        which = "the version deleted by" if change.status == "deleted" else "the version from"
        question = plain(
            f"Restore {self.kind.singular} {self.label} to {which} {change.short} ({when})? "
            "This is a new commit; the history keeps every version."
        )
        now = self.changes[0].after
        diffs = compare(self.kind, now, version)
        view = self.query_one(DiffView)
        details = Text("What changes:\n", style="bold", end="")
        details.append_text(diffs_text(diffs, reveal=self.reveal, style=view.style_of))

        expected = now.raw if now is not None else b""  # refused if someone committed the record since shown
        self.run_flow(
            self._restore(ConfirmScreen(question, details, yes="Restore", no="Keep"), sha, version.record, expected)
        )

    async def _restore(self, question: ConfirmScreen, sha: str, record: Record | None, expected: bytes) -> None:
        app = self.allytui_app
        if not await app.ask(question):
            return
        commit = await app.run_write(partial(restore, self.repo, self.kind, self.record_id, sha, expected=expected))
        if commit is None:
            app.notify("It already is that version; nothing to commit.", markup=False)
            return
        app.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Restored", markup=False)
        app.record_changed(self.kind, self.record_id, record)
