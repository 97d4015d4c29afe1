"""Creating or editing one record: validated as you save, errors beside their fields, one commit."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from allytui.model.duplicates import DUPLICATE_KINDS, looks_like
from allytui.model.fields import from_text
from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.membership import membership_moved
from allytui.model.records import Conversation, Kind, Person, Record
from allytui.model.rights import do_not_contact_reason
from allytui.model.typed_dates import DATE_HELP
from allytui.model.validation import build_record
from allytui.store.codec import record_data
from allytui.store.errors import CommentsWouldBeLost, InvalidRecord
from allytui.store.git import Commit
from allytui.sync.edits import as_written, save_edit, settle
from allytui.tui.app_data import AppData
from allytui.tui.keymap import key_of
from allytui.tui.messages import ASK
from allytui.tui.safe import plain
from allytui.tui.screens.choose import ChooseScreen
from allytui.tui.screens.clash import ClashScreen
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.part_form import edit_part
from allytui.tui.widgets.fields_form import FieldsForm
from allytui.tui.widgets.part_list import PartList


class RecordForm(Screen[Record | None], AppData):
    """Returns the saved record, or None when the user leaves without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("escape", "leave", "Back", id="form-leave"),
    ]

    def __init__(
        self, kind: Kind, record: Record | None, *, prefill: dict[str, Any] | None = None, focus: str | None = None
    ) -> None:
        """prefill: values to start from (for a new record) or changes already proposed (for an edit)."""
        super().__init__()
        self.kind = kind
        self.record = record
        self.prefill = prefill or {}
        self.values = {**(record_data(record) if record is not None else {}), **self.prefill}
        self.closed: dict[str, str] = {}
        """Sealed fields this member cannot open (why, for each): shown read-only, saved exactly as they are."""
        self.proposed = set(prefill or {})  # fields a prefill changes: saved even if the user leaves them
        self.focus_on = focus
        self.initial: dict[str, Any] | None = None
        self.id_edited = False
        self.saving = False
        self.contact_asked: str | None = None
        """The do-not-contact question already answered yes for this new conversation (asked again if it changes)."""

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
            self._open_sealed()
            yield FieldsForm(self.kind.model, self.values, self.allytui_app.candidates, skip=set(self.closed))
            for name, why in self.closed.items():
                with Horizontal(classes="field-row sealed-row"):
                    yield Label(Text(name.replace("_", " ").capitalize()), classes="field-label")
                    yield Static(plain(why), id=f"sealed-{name}", classes="field-help")
        save, leave = key_of(self.app, "save"), key_of(self.app, "form-leave")
        yield Static(Text(f"{save} save · {leave} back · tab next field", style="dim"), id="form-hint")
        yield Footer(compact=True)

    def _open_sealed(self) -> None:
        """The form shows sealed values opened when the member holds a key (in memory only); the record
        itself stays sealed, so a value left alone is saved byte for byte and one changed is sealed afresh."""
        if self.record is None:
            return
        opened = self.allytui_app.keyring.open(self.record)
        self.closed = dict(opened.closed)
        self.values = {**record_data(opened.record), **self.prefill}

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
                taken = set(self.loaded.records[self.kind]) if self.loaded else set()
                box.first(Input).value = unique_id(slugify(event.value), taken) if event.value else ""

    def on_part_list_edit_item(self, request: PartList.EditItem) -> None:
        edit_part(self.app, request)

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
            errors.append(("date", f"a conversation needs its date; {DATE_HELP}"))
        elif record_id is None or not is_valid_id(record_id):
            self.notify(
                "The id must be lowercase letters, digits and -, starting with a letter or digit.",
                severity="error",
                markup=False,
            )
            return
        elif self.is_new and self.loaded and record_id in self.loaded.records[self.kind]:
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
        if isinstance(record, Person) and record.do_not_contact and record.do_not_contact_since is None:
            record = record.model_copy(update={"do_not_contact_since": self.today})  # flagged now: since today
        self._save(record)

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

    @work(group=ASK, exit_on_error=False, description="save a record")  # not its repr: its text stays out of logs
    async def _save(self, mine: Record) -> None:
        """Write the record, asking when comments would be lost, when someone changed the same fields since
        the form opened (the user's changes are merged onto the record as it is on disk now), or deleted it."""
        self.saving = True
        try:
            await self._save_asking(mine)
        finally:
            self.saving = False

    async def _contact_allowed(self, talk: Conversation, before: Record | None) -> bool:
        """Whether to save a conversation: asks first, saying why, when a new one is with someone who asked not
        to be contacted (or a group whose only known people did), or an edit adds such a person (or moves it
        to such a group), unless that was asked already."""
        loaded = self.loaded
        logged = before if isinstance(before, Conversation) else None
        reason = do_not_contact_reason(loaded.records, talk.group, talk.their_people, logged=logged) if loaded else None
        if reason is None or reason == self.contact_asked:
            return True
        question = plain(f"{reason} Save the conversation anyway?")
        allowed: bool = await self.allytui_app.ask(ConfirmScreen(question, yes="Save it anyway", no="Keep editing"))
        self.contact_asked = reason if allowed else None
        return allowed

    async def _no_twin_or_save_anyway(self, mine: Record) -> bool:
        """A new group or person whose name is like an existing one's: asks whether to open that one instead
        (this form closes) or save anyway; escape goes back to the form. True: save."""
        loaded = self.loaded
        if loaded is None or self.kind not in DUPLICATE_KINDS:
            return True
        twins = looks_like(mine, loaded.records[self.kind])
        if not twins:
            return True
        first = twins[0][0]
        title = f"{mine.label} looks like existing {self.kind.singular} {first.label} ({first.id})"
        options = [(f"open {twin.id}", f"Open {twin.label} ({twin.id})") for twin, _ in twins]
        choice = await self.allytui_app.ask(ChooseScreen(title, [*options, ("save", "Save anyway")]))
        if choice is None or choice == "save":
            return choice == "save"
        twin = loaded.get(self.kind, choice.removeprefix("open "))
        self.dismiss(None)
        if twin is not None:
            self.allytui_app.edit_record(self.kind, twin)
        return False

    async def _save_asking(self, mine: Record) -> None:
        app, base, create, drop = self.allytui_app, self.record, self.record is None, False
        if isinstance(mine, Conversation) and not await self._contact_allowed(mine, base):
            return
        if create and not await self._no_twin_or_save_anyway(mine):
            return
        while True:
            try:
                if create or base is None:
                    commit = await app.run_write(partial(app.repo.save, mine, create=True, drop_comments=drop))
                    self._saved(commit, await app.run_write(partial(as_written, app.repo, mine)))
                    return
                edit = partial(save_edit, app.repo, base, mine, drop_comments=drop, keyring=app.keyring)
                outcome = await app.run_write(edit)
            except CommentsWouldBeLost as error:
                drop = await self._ask_drop_comments(error)
                if drop:
                    continue
                return
            except InvalidRecord as error:
                self.query_one(FieldsForm).show_errors([(p.field, p.message) for p in error.problems])
                self.notify("Not saved: fix the marked fields.", severity="warning", markup=False)
                return
            drop = False
            if outcome.gone:
                create = await self._ask_recreate(mine)
                if not create:
                    self.dismiss(None)
                    return
            elif outcome.clashes and outcome.theirs is not None:
                title = f"{self.kind.singular.capitalize()} {base.label}"
                keep_mine = await app.ask(ClashScreen(title, outcome.clashes))
                if keep_mine is None:
                    self.notify("Not saved yet: your changes are still in the form.", markup=False)
                    return
                base, mine = settle(base, mine, outcome.theirs, keep_mine)
            elif outcome.record is None:
                self.notify("No changes to save.", markup=False)
                self.dismiss(None)
                return
            else:
                self._saved(outcome.commit, outcome.record)
                return

    def _saved(self, commit: Commit | None, record: Record) -> None:
        if commit is None:
            self.notify("No changes to save.", markup=False)
        else:
            self.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Saved", markup=False)
        self.allytui_app.record_changed(record.KIND, record.id, record)
        if membership_moved(self.record, record):
            self.allytui_app.action_reload()  # the team or people that changed with it
        self.dismiss(record)

    async def _ask_drop_comments(self, error: CommentsWouldBeLost) -> bool:
        question = Text(
            f"Saving drops hand-written comments (line {', '.join(map(str, error.lines))}) "
            "whose fields are now empty. Save anyway?"
        )
        drop: bool = await self.allytui_app.ask(ConfirmScreen(question, yes="Save, drop them", no="Keep editing"))
        return drop

    async def _ask_recreate(self, mine: Record) -> bool:
        question = plain(
            f"{self.kind.singular.capitalize()} {mine.label} was deleted outside this form since you opened it. "
            "Save your version as a new record?"
        )
        again: bool = await self.allytui_app.ask(ConfirmScreen(question, yes="Save it again", no="Leave it deleted"))
        return again

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
