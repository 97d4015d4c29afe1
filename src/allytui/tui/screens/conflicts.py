"""Open sync conflicts: for each, the value the record holds and the other one; keep one, or edit."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allytui.model.conflicts import DELETED, other_value, resolve, value_at
from allytui.model.privacy import conflict_is_sensitive, shown_conflict_value
from allytui.model.readable import readable_field
from allytui.model.records import FieldConflict, Kind, Record
from allytui.model.sealed import looks_sealed
from allytui.store.sealing import SealingError
from allytui.sync.edits import EditOutcome, save_edit
from allytui.tui.app_data import AppAccess
from allytui.tui.keymap import key_of
from allytui.tui.messages import EditRecord
from allytui.tui.safe import block, plain
from allytui.tui.widgets.footer import Footer

Entry = tuple[Record, FieldConflict]


def open_conflicts(records: dict[Kind, dict[str, Record]]) -> list[Entry]:
    return [(r, c) for kind in Kind for r in records[kind].values() for c in r.conflicts]


VALUE_INDENT = " " * len("  this value:  ")


def _lines(text: str) -> str:
    """A value of several lines with each line after the first under the first (line breaks shown as such)."""
    return text.rstrip("\n").replace("\n", "\n" + VALUE_INDENT)


class ConflictsScreen(ModalScreen[None], AppAccess):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep", "Keep this value", id="conflict-keep"),
        Binding("o", "take_other", "Take the other", id="conflict-other"),
        Binding("enter", "edit", "Edit record", id="edit", priority=True),  # over the list's own enter
        Binding("v", "toggle_reveal", "Contact details", id="reveal", show=False),
        Binding("escape", "dismiss(None)", "Close", id="conflict-close"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen { align: center middle; }
    ConflictsScreen > Vertical { width: 100; max-width: 98%; height: 90%; border: thick $warning;
        background: $panel; padding: 0 1; }
    ConflictsScreen OptionList { height: 1fr; }
    """

    reveal: var[bool] = var(False)
    """Show the values of conflicts on contact details (hidden by default, as everywhere else)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Open conflicts from syncing: two members changed the same field", style="bold"))
            yield OptionList(id="conflict-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self.refresh_list)

    def entries(self) -> list[Entry]:
        loaded = self.allytui_app.loaded
        return open_conflicts(loaded.records) if loaded else []

    def refresh_list(self) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        entries = self.entries()
        for n, (record, conflict) in enumerate(entries):
            line = plain(f"{record.KIND.singular} {record.label} — {conflict.field}", "bold")
            line.append("\n")
            if conflict.field == DELETED:
                line.append_text(plain(f"  {conflict.author or 'someone'} deleted it; the edits were kept"))
            else:
                now = self._shown(record, conflict, value_at(record.model_dump(), conflict.field))
                other = self._shown(record, conflict, other_value(conflict))
                line.append_text(block(f"  this value:  {_lines(now)}\n"))
                line.append_text(block(f"  the other:   {_lines(other)}\n{VALUE_INDENT}"))
                line.append_text(plain(f"(from {conflict.author or 'someone'})", "italic"))
            options.add_option(Option(line, id=str(n)))
        if not entries:
            options.add_option(Option(Text("No open conflicts.", style="italic"), disabled=True))
        else:
            options.highlighted = min(keep, len(entries) - 1)

    def _shown(self, record: Record, conflict: FieldConflict, value: object) -> str:
        hidden = f"(hidden; {key_of(self.app, 'reveal')} shows it)"
        opened = readable_field(type(record), conflict.field, self._opened(value))
        return shown_conflict_value(type(record), conflict, opened, reveal=self.reveal, placeholder=hidden)

    def _opened(self, value: object) -> object:
        """A sealed value opened with the member's key (in memory only), or the note saying why it cannot be."""
        if not looks_sealed(value):
            return value
        try:
            return self.allytui_app.keyring.open_value(str(value))
        except SealingError as error:
            return str(error)

    def watch_reveal(self) -> None:
        if self.is_mounted:
            self.refresh_list()

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_reveal":  # only where a conflict is on contact details
            return any(conflict_is_sensitive(type(r), c) for r, c in self.entries())
        return True

    def _current(self) -> Entry | None:
        options = self.query_one(OptionList)
        entries = self.entries()
        if options.highlighted is None or options.highlighted >= len(entries):
            return None
        return entries[options.highlighted]

    def _settle(self, take_other: bool) -> None:
        entry = self._current()
        if entry is None:
            return
        record, conflict = entry
        self.run_flow(self._resolve(record, resolve(record, conflict, take_other)))

    async def _resolve(self, record: Record, resolved: Record | None) -> None:
        app = self.allytui_app
        repo = app.repo

        def job() -> EditOutcome:
            if resolved is None:
                return EditOutcome(commit=repo.delete(record.KIND, record.id))
            return save_edit(repo, record, resolved)  # onto the file as it is now: another writer's change stays

        outcome = await app.run_write(job)
        refused = outcome.refusal(f"{record.KIND.singular.capitalize()} {record.label}")
        if refused is not None:
            app.notify(refused, title="Not resolved", severity="warning", markup=False)
            return
        if outcome.commit is not None:
            commit = outcome.commit
            app.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Resolved", markup=False)
        if resolved is None or outcome.record is not None:
            app.record_changed(record.KIND, record.id, outcome.record)

    def action_keep(self) -> None:
        self._settle(take_other=False)

    def action_take_other(self) -> None:
        self._settle(take_other=True)

    def action_edit(self) -> None:
        entry = self._current()
        if entry is not None:
            self.post_message(EditRecord(entry[0].KIND, entry[0]))
