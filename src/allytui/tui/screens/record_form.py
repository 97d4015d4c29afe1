"""Creating or editing one record: validated as you save, errors beside their fields, one commit."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from allytui.model.fields import from_text
from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.records import Kind, Record
from allytui.model.validation import build_record
from allytui.store.codec import record_data
from allytui.store.errors import CommentsWouldBeLost, InvalidRecord
from allytui.store.git import Commit
from allytui.sync.edits import Clash, EditOutcome, save_edit, settle
from allytui.tui.feedback import describe_error
from allytui.tui.safe import plain
from allytui.tui.screens.clash import ClashScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.widgets.fields_form import FieldsForm


class RecordForm(Screen[Record | None]):
    """Returns the saved record, or None when the user leaves without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form-save"),
        Binding("escape", "leave", "Back", id="form-leave"),
    ]

    def __init__(
        self, kind: Kind, record: Record | None, *, prefill: dict[str, Any] | None = None, focus: str | None = None
    ) -> None:
        """prefill: values to start from (for a new record) or changes already proposed (for an edit)."""
        super().__init__()
        self.kind = kind
        self.record = record
        self.values = {**(record_data(record) if record is not None else {}), **(prefill or {})}
        self.proposed = set(prefill or {})  # fields a prefill changes: saved even if the user leaves them
        self.focus_on = focus
        self.initial: dict[str, Any] | None = None
        self.id_edited = False
        self.saving = False

    @property
    def is_new(self) -> bool:
        return self.record is None

    def compose(self) -> ComposeResult:
        title = f"New {self.kind.singular}" if self.is_new else f"Edit {self.kind.singular}: "
        heading = Text(title, style="bold")
        if self.record is not None:
            heading.append_text(plain(self.record.label, "bold"))
        yield Static(heading, id="form-title")
        with VerticalScroll(id="form-body"):
            if self.is_new and self.kind is not Kind.CONVERSATIONS:
                with Horizontal(classes="field-row", id="id-row"):
                    yield Label(Text("Id *"), classes="field-label")
                    yield Input(placeholder="from the name; fixed once saved", id="record-id", compact=True)
            yield FieldsForm(self.kind.model, self.values, self.app.candidates)  # type: ignore[attr-defined]
        yield Static(Text("ctrl+s save · escape back · tab next field", style="dim"), id="form-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        form = self.query_one(FieldsForm)
        first = self.focus_on or (form.names[0] if form.names else None)
        if first:
            form.focus_field(first)
        self.call_after_refresh(self._remember_start)

    def _remember_start(self) -> None:
        self.initial = self._current()

    def _current(self) -> dict[str, Any]:
        """What the form holds now, to tell whether leaving would lose anything."""
        ids = self.query("#record-id")
        return {**self.query_one(FieldsForm).data(), "id": ids.first(Input).value if ids else None}

    @property
    def dirty(self) -> bool:
        return self.initial is not None and self._current() != self.initial

    # keeping the id in step with the name, until the user types one

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "record-id":
            self.id_edited = event.input.has_focus
            return
        if self.is_new and event.input.id in {"field-name", "field-title"} and not self.id_edited:
            box = self.query("#record-id")
            if box:
                taken = set(self.app.loaded.records[self.kind]) if self.app.loaded else set()  # type: ignore[attr-defined]
                box.first(Input).value = unique_id(slugify(event.value), taken) if event.value else ""

    # saving

    def _record_id(self, data: dict[str, Any]) -> str | None:
        if self.record is not None:
            return self.record.id
        if self.kind is Kind.CONVERSATIONS:
            on = data.get("date")
            return conversation_id(on, str(data.get("group") or "conversation")) if isinstance(on, dt.date) else None
        return self.query_one("#record-id", Input).value.strip()

    def action_save(self) -> None:
        if self.saving:
            return
        form = self.query_one(FieldsForm)
        data = from_text(self.kind.model, form.data())
        record_id = self._record_id(data)
        errors: list[tuple[str, str]] = []
        if self.kind is Kind.CONVERSATIONS and record_id is None:
            errors.append(("date", "a conversation needs its date (YYYY-MM-DD)"))
        elif record_id is None or not is_valid_id(record_id):
            self.notify(
                "The id must be lowercase letters, digits and -, starting with a letter or digit.",
                severity="error",
                markup=False,
            )
            return
        elif self.is_new and self.app.loaded and record_id in self.app.loaded.records[self.kind]:  # type: ignore[attr-defined]
            self.notify(
                f"There is already a {self.kind.singular} with the id {record_id}.", severity="error", markup=False
            )
            return
        record = None
        if not errors:
            record, errors = build_record(self.kind, record_id or "", self._edited(data))
        if record is None or errors:
            first = form.show_errors(errors)
            if first:
                form.focus_field(first)
            self.notify("Not saved: fix the marked fields.", severity="warning", markup=False)
            return
        form.show_errors([])
        self._save(record, drop_comments=False)

    def _edited(self, data: dict[str, Any]) -> dict[str, Any]:
        """A new record's data as typed; an edit's: the record as loaded with only the fields the user
        changed (or a prefill proposes) replaced, so a field nobody touched is saved exactly as it was."""
        if self.record is None or self.initial is None:
            return data
        start = from_text(self.kind.model, {k: v for k, v in self.initial.items() if k != "id"})
        touched = {name for name in {*data, *start} if data.get(name) != start.get(name)} | self.proposed
        edited = record_data(self.record)
        for name in touched:
            if name in data:
                edited[name] = data[name]
            else:
                edited.pop(name, None)
        return edited

    def _save(self, record: Record, *, drop_comments: bool) -> None:
        if self.record is None:
            self._create(record, drop_comments=drop_comments)
        else:
            self._save_edit(self.record, record, drop_comments=drop_comments)

    def _create(self, record: Record, *, drop_comments: bool) -> None:
        self.saving = True
        repo = self.app.repo  # type: ignore[attr-defined]

        def job() -> Commit | None:
            return repo.save(record, create=True, drop_comments=drop_comments)

        def done(commit: Commit | None) -> None:
            self.saving = False
            self._saved(commit, record)

        self.app.write(job, done, partial(self._failed, record))  # type: ignore[attr-defined]

    def _save_edit(self, base: Record, mine: Record, *, drop_comments: bool) -> None:
        """Merge the user's changes onto the record as it is on disk now; ask about fields both changed."""
        self.saving = True
        repo = self.app.repo  # type: ignore[attr-defined]

        def job() -> EditOutcome:
            return save_edit(repo, base, mine, drop_comments=drop_comments)

        def done(outcome: EditOutcome) -> None:
            self.saving = False
            if outcome.gone:
                self._ask_recreate(mine)
            elif outcome.clashes and outcome.theirs is not None:
                self._ask_clashes(base, mine, outcome.theirs, outcome.clashes)
            elif outcome.record is None:
                self.notify("No changes to save.", markup=False)
                self.dismiss(None)
            else:
                self._saved(outcome.commit, outcome.record)

        self.app.write(job, done, partial(self._failed, mine))  # type: ignore[attr-defined]

    def _saved(self, commit: Commit | None, record: Record) -> None:
        if commit is None:
            self.notify("No changes to save.", markup=False)
        else:
            self.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Saved", markup=False)
        self.app.record_changed(record.KIND, record.id, record)  # type: ignore[attr-defined]
        self.dismiss(record)

    def _ask_clashes(self, base: Record, mine: Record, theirs: Record, clashes: list[Clash]) -> None:
        def answer(keep_mine: dict[str, bool] | None) -> None:
            if keep_mine is None:
                self.notify("Not saved yet: your changes are still in the form.", markup=False)
                return
            self._save_edit(*settle(base, mine, theirs, keep_mine), drop_comments=False)

        self.app.push_screen(ClashScreen(f"{self.kind.singular.capitalize()} {base.label}", clashes), answer)

    def _ask_recreate(self, mine: Record) -> None:
        question = plain(
            f"{self.kind.singular.capitalize()} {mine.label} was deleted outside this form since you opened it. "
            "Save your version as a new record?"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._create(mine, drop_comments=False)
            else:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(question, yes="Save it again", no="Leave it deleted"), answer)

    def _failed(self, record: Record, error: Exception) -> None:
        self.saving = False
        if isinstance(error, CommentsWouldBeLost):
            question = Text(
                f"Saving drops hand-written comments (line {', '.join(map(str, error.lines))}) "
                "whose fields are now empty. Save anyway?"
            )
            self.app.push_screen(
                ConfirmScreen(question, yes="Save, drop them", no="Keep editing"),
                lambda yes: self._save(record, drop_comments=True) if yes else None,
            )
        elif isinstance(error, InvalidRecord):
            form = self.query_one(FieldsForm)
            form.show_errors([(p.field, p.message) for p in error.problems])
            self.notify("Not saved: fix the marked fields.", severity="warning", markup=False)
        else:
            self.notify(describe_error(error), title="Not saved", severity="error", markup=False)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Leave without saving? Your changes to this form will be lost.", yes="Leave, discard", no="Keep editing"
            ),
            answer,
        )
