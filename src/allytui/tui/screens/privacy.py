"""Privacy: what is due for a retention review, and people with contact details but no lawful basis.

From here: clear the notes of old conversations (keeping date, group, channel, people and outcome),
mark a person as reviewed (due again after the same period), open a record, or erase a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.records import Conversation, Kind, Record, RetentionSettings
from allytui.model.retention import NOTE_FIELDS, Due, Reason, cleared_notes, retention_due
from allytui.model.rights import missing_basis, national_report
from allytui.render.rights import report_markdown
from allytui.store.dates import record_dates
from allytui.store.git import Commit
from allytui.store.repo import DataRepo
from allytui.tui.app_data import AppData
from allytui.tui.documents import Delivery, Document, beside_repo, hand_over, person_file, redacted_export
from allytui.tui.keymap import key_of
from allytui.tui.messages import ErasePerson, OpenRecord
from allytui.tui.safe import Doc, plain
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.list_body import ListBody
from allytui.tui.widgets.record_table import Column, RecordTable, Row


def due_key(item: Due) -> str:
    return f"{item.kind.value}/{item.record_id}|{item.reason.value}"


def clear_notes_job(repo: DataRepo, conversation_ids: list[str]) -> Commit | None:
    """Clear the notes of these conversations as one commit, each read afresh from its file."""
    talks = [repo.read(Kind.CONVERSATIONS, cid) for cid in conversation_ids]
    cleared = [cleared_notes(t) for t in talks if isinstance(t, Conversation)]
    many = f"{len(cleared)} conversations" if len(cleared) != 1 else "a conversation"
    return repo.save_many(cleared, f"Clear the notes of {many} (retention review)")


def national_report_document(repo: DataRepo, today: dt.date) -> Delivery:
    """The national-contacts report (allytui national-report --markdown, no contact details)."""
    loaded = repo.load()
    text = report_markdown(national_report(loaded.records), loaded.settings.name, include_contact=False)
    return Delivery([Document(f"national-report-{today.isoformat()}.md", text)], beside_repo(repo))


def mark_reviewed_job(repo: DataRepo, person_id: str, today: dt.date) -> tuple[Commit | None, Record]:
    """Set the person's reviewed date, on their record as it is on disk now; the commit and the record saved."""
    someone = repo.read(Kind.PEOPLE, person_id).model_copy(update={"reviewed": today})
    return repo.save(someone), someone


class PrivacyScreen(Screen[None], AppData):
    """Records due for a retention review, with why and how long; the actions a coordinator takes on them."""

    DEFAULT_CSS = """
    PrivacyScreen #privacy-title { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="privacy-back"),
        Binding("enter", "open", "Open", id="open", priority=True),
        Binding("c", "clear_notes", "Clear notes", id="privacy-clear-notes"),
        Binding("a", "clear_all_notes", "Clear all old notes", id="privacy-clear-all"),
        Binding("r", "reviewed", "Mark reviewed", id="privacy-reviewed"),
        Binding("x", "erase", "Erase the person", id="privacy-erase"),
        Binding(
            "f",
            "person_file",
            "Their file",
            id="privacy-file",
            tooltip="Everything held about them (as allytui about), as Markdown beside the repo "
            "(a download in a browser)",
        ),
        Binding(
            "N",
            "national_report",
            "National report",
            id="privacy-national",
            tooltip="National-contact groups and who of ours knows someone there, as Markdown beside the repo "
            "(a download in a browser)",
        ),
        Binding(
            "E",
            "share_redacted",
            "Redacted export",
            id="export",
            show=False,
            tooltip="Every kind as allytui export KIND --redact writes it (no notes, views or contact details), "
            "as CSV in a folder beside the repo (one zip, downloaded, in a browser)",
        ),
    ]

    WORK_TITLES: ClassVar[dict[str, str]] = {"privacy-review": "Could not work out the review"}

    COLUMNS: ClassVar[list[Column]] = [
        Column("record", "Record", 16, grow=2, most=44),
        Column("why", "Why", 20, grow=1),
        Column("since", "Since", 10, whole=True),
        Column("age", "Age", 10, whole=True),
    ]

    @dataclass
    class DueFound(Message):
        """The retention review, worked out in a thread (it reads git)."""

        due: list[Due]
        settings: RetentionSettings

    def __init__(self) -> None:
        super().__init__()
        self.due: dict[str, Due] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="privacy-title")
        yield ListBody(self.COLUMNS)
        yield Footer(compact=True)

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)
        self.table.focus()
        self._data_changed()

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            self.query_one("#privacy-title", Static).update(Text("Loading…", style="italic"))
            return
        self._work_out(loaded.settings.retention)

    @work(thread=True, exclusive=True, group="privacy-review", exit_on_error=False)
    def _work_out(self, settings: RetentionSettings) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        dates = record_dates(self.allytui_app.repo, Kind.PEOPLE)
        self.post_message(self.DueFound(retention_due(loaded.records, settings, self.today, dates), settings))

    def on_privacy_screen_due_found(self, message: DueFound) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        today = self.today
        self.due = {due_key(d): d for d in message.due}
        rows = []
        for item in message.due:
            cells = (f"{item.label}", item.why, item.since.isoformat(), item.age(today))
            rows.append(Row(due_key(item), cells, " ".join(cells).lower()))
        self.table.set_rows(rows)
        self.table.border_title = f"Due for review · {len(rows)}" if rows else "Due for review · nothing"
        self.query_one("#privacy-title", Static).update(self._title(message.settings))
        self._show_detail(self.table.current_key)
        self.refresh_bindings()

    def _title(self, settings: RetentionSettings) -> Text:
        doc = Doc()
        doc.line(
            ("Privacy", "bold"),
            f" · due: contact details with no lawful basis after {settings.no_basis_days} days, "
            f"people inactive for {settings.inactive_months} months, "
            f"conversation notes after {settings.conversation_notes_months} months ([retention] in allytui.toml)",
        )
        loaded = self.loaded
        unbased = missing_basis(loaded.records) if loaded else []
        if unbased:
            names = ", ".join(p.name for p in unbased)
            doc.line((f"No lawful basis recorded ({len(unbased)}): ", "bold"), names)
        text = doc.text
        text.rstrip()
        return text

    def _show_detail(self, key: str | None) -> None:
        item = self.due.get(key or "")
        body = self.query_one(ListBody)
        if item is None:
            body.show(Text("Nothing selected.", style="italic"))
            return
        doc = Doc()
        doc.line((item.label, "bold"))
        doc.line(f"{item.why}, since {item.since.isoformat()} ({item.age(self.today)})")
        doc.line("")
        if item.reason is Reason.OLD_NOTES:
            doc.line(
                (key_of(self.app, "privacy-clear-notes"), "bold"),
                " clears its notes (",
                ", ".join(NOTE_FIELDS).replace("_", " "),
                "); its date, group, channel, people and outcome stay.",
            )
        else:
            doc.line((key_of(self.app, "privacy-reviewed"), "bold"), " marks them as reviewed today.")
            doc.line((key_of(self.app, "privacy-file"), "bold"), " writes everything held about them to a file.")
            doc.line(
                (key_of(self.app, "privacy-erase"), "bold"),
                " erases them and their history here; allytui sync shares it.",
            )
        doc.line((key_of(self.app, "open"), "bold"), " opens the record.")
        body.show(doc.text)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show_detail(event.key)
        self.refresh_bindings()

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_open()

    def _current(self) -> Due | None:
        return self.due.get(self.table.current_key or "") if self.is_mounted else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self._current()
        if action == "open":
            return item is not None
        if action == "clear_notes":
            return item is not None and item.reason is Reason.OLD_NOTES
        if action == "clear_all_notes":
            return any(d.reason is Reason.OLD_NOTES for d in self.due.values())
        if action in ("reviewed", "erase", "person_file"):
            return item is not None and item.kind is Kind.PEOPLE
        return True

    # actions

    def action_back(self) -> None:
        self.dismiss()

    def action_open(self) -> None:
        item = self._current()
        if item is not None:
            self.post_message(OpenRecord(item.kind.value, item.record_id))

    def action_erase(self) -> None:
        item = self._current()
        if item is not None and item.kind is Kind.PEOPLE:
            self.post_message(ErasePerson(item.record_id))

    def action_person_file(self) -> None:
        item = self._current()
        if item is not None and item.kind is Kind.PEOPLE:
            repo, today = self.allytui_app.repo, self.today
            self.run_flow(self._hand_over(lambda: person_file(repo, item.record_id, today), "Their file"))

    def action_national_report(self) -> None:
        repo, today = self.allytui_app.repo, self.today
        self.run_flow(self._hand_over(lambda: national_report_document(repo, today), "National report"))

    def action_share_redacted(self) -> None:
        repo, today = self.allytui_app.repo, self.today
        self.run_flow(self._hand_over(lambda: redacted_export(repo, today), "Redacted export"))

    async def _hand_over(self, make: Callable[[], Delivery], what: str) -> None:
        await hand_over(self.allytui_app, make, what)

    def action_clear_notes(self) -> None:
        item = self._current()
        if item is not None and item.reason is Reason.OLD_NOTES:
            self.run_flow(self._clear([item.record_id], f"Clear the notes of the conversation {item.label}?"))

    def action_clear_all_notes(self) -> None:
        ids = [d.record_id for d in self.due.values() if d.reason is Reason.OLD_NOTES]
        if ids:
            self.run_flow(self._clear(ids, f"Clear the notes of {len(ids)} old conversation(s)?"))

    async def _clear(self, ids: list[str], question: str) -> None:
        app = self.allytui_app
        details = plain(
            "Their date, group, channel, people, outcome and follow-up stay. The notes stay in git's history "
            "until the history is rewritten."
        )
        if not await app.ask(ConfirmScreen(plain(question), details, yes="Clear the notes", no="Keep them")):
            return
        commit = await app.run_write(lambda: clear_notes_job(app.repo, ids))
        if commit is not None:
            app.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Notes cleared", markup=False)
        app.action_reload()

    def action_reviewed(self) -> None:
        item = self._current()
        if item is not None and item.kind is Kind.PEOPLE:
            self.run_flow(self._reviewed(item.record_id))

    async def _reviewed(self, person_id: str) -> None:
        app = self.allytui_app
        today = self.today
        commit, someone = await app.run_write(lambda: mark_reviewed_job(app.repo, person_id, today))
        if commit is not None:
            app.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Reviewed", markup=False)
        app.record_changed(Kind.PEOPLE, person_id, someone)
