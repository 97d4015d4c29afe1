"""Sync from the app: progress as it goes, then the summary and what others changed since last time."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from allytui.model.conflicts import other_value
from allytui.model.privacy import shown_conflict_value
from allytui.model.readable import readable, readable_field
from allytui.model.records import Kind
from allytui.model.relations import RecordIndex
from allytui.store.keyring import KeyRing
from allytui.store.layout import parse_record_path
from allytui.store.repo import DataRepo
from allytui.sync.blockers import SyncBlocked
from allytui.sync.driver import SyncReport, sync
from allytui.sync.region import exchange_after_sync
from allytui.sync.review import review
from allytui.tui.app_data import AppAccess
from allytui.tui.feedback import describe_error
from allytui.tui.keymap import KeyOf, key_of
from allytui.tui.messages import Reload, ShowConflicts
from allytui.tui.safe import Doc, plain
from allytui.tui.widgets.footer import Footer


class SyncScreen(ModalScreen[SyncReport | None], AppAccess):
    """Runs one sync in a worker; escape closes once it has finished."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="sync-close"),
        Binding("C", "conflicts", "Conflicts", id="conflicts"),
        Binding("k", "skip_bad", "Sync, leaving those files out", id="sync-skip-bad"),
    ]
    DEFAULT_CSS = """
    SyncScreen { align: center middle; }
    SyncScreen > Vertical { width: 90; max-width: 98%; height: 90%; border: round $primary;
        background: $panel; padding: 0 1; }
    SyncScreen #sync-steps { color: $text-muted; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.report: SyncReport | None = None
        self.finished = False
        self.blocked = False  # stopped by files with problems: k syncs again, leaving them out
        self.skip_bad = False
        self.steps = Text()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Sync with the shared repository", style="bold"))
            yield Static(self.steps, id="sync-steps")
            with VerticalScroll():
                yield Static(id="sync-result")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.run_sync()

    def step(self, line: str) -> None:
        self.steps.append_text(plain(f"… {line}"))
        self.steps.append("\n")
        self.query_one("#sync-steps", Static).update(self.steps)

    @dataclass
    class Finished(Message):
        """The sync worker is done: its report, or why it did not sync (shown here, not as a notice)."""

        report: SyncReport | None
        error: Exception | None = None

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def run_sync(self) -> None:
        repo = self.allytui_app.repo
        try:
            report = sync(
                repo,
                progress=lambda line: self.app.call_from_thread(self.step, line),
                skip_bad=self.skip_bad,
                keyring=self.allytui_app.keyring,
            )
        except Exception as error:  # every failure is the sync's outcome, said on this screen
            self.post_message(self.Finished(None, error))
        else:
            say = partial(self.app.call_from_thread, self.step)
            for line in exchange_after_sync(repo, progress=say):  # the region's: never fails the group's sync
                say(f"region: {line}")
            self.post_message(self.Finished(report))

    def on_sync_screen_finished(self, message: Finished) -> None:
        self.finished = True
        result = self.query_one("#sync-result", Static)
        self.blocked = isinstance(message.error, SyncBlocked)
        self.refresh_bindings()
        if isinstance(message.error, SyncBlocked):
            lines = message.error.lines(skip_hint=f"press {key_of(self.app, 'sync-skip-bad')} to sync again")
            result.update(plain("Not synced: " + "\n".join(lines), "bold"))
        elif message.error is not None:
            result.update(plain(f"Not synced: {describe_error(message.error)}", "bold"))
        elif message.report is not None:
            self.report = message.report
            app = self.allytui_app
            ours = app.loaded.records if app.loaded is not None else None
            result.update(report_text(app.repo, message.report, partial(key_of, self.app), app.keyring, ours))
        self.post_message(Reload())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.blocked if action == "skip_bad" else True

    def action_skip_bad(self) -> None:
        """Sync again, taking everything else and listing the files with problems as left out."""
        if not (self.finished and self.blocked):
            return
        self.finished, self.blocked, self.skip_bad = False, False, True
        self.refresh_bindings()
        self.query_one("#sync-result", Static).update("")
        self.step("syncing again, leaving the files with problems out")
        self.run_sync()

    def action_close(self) -> None:
        if self.finished:
            self.dismiss(self.report)

    def action_conflicts(self) -> None:
        if self.finished:
            self.dismiss(self.report)
            self.app.post_message(ShowConflicts())


def report_text(
    repo: DataRepo,
    report: SyncReport,
    key: KeyOf,
    keyring: KeyRing | None = None,
    ours: RecordIndex | None = None,
) -> Text:
    """The sync's summary, its conflicts and what others changed; key names the keys in its hints.

    ours: the records as the app held them before the sync, to flag what others added that looks like ours."""
    doc = Doc()
    hidden_here = f"(hidden: contact details; {key('conflicts')}, then {key('reveal')}, shows it)"
    for line in report.summary():
        doc.line((line, "bold") if line.startswith(("CONFLICT", "LEFT OUT")) else line)
    for path, conflict in report.conflicts:
        found = parse_record_path(path)
        other = readable(other_value(conflict)).replace("\n", " / ")
        if found is not None:
            other = readable_field(found[0].model, conflict.field, other_value(conflict)).replace("\n", " / ")
            other = shown_conflict_value(found[0].model, conflict, other, reveal=False, placeholder=hidden_here)
        doc.line(f"  {path} {conflict.field}: the other value was {other}")
    if not report.incoming or report.after is None:
        return doc.text
    doc.heading("What others changed since your last sync (newest first)")
    hidden = False
    for item in review(repo, report.before, report.after, report.incoming, keyring=keyring, ours=ours):
        latest = item.changes[0]
        authors = ", ".join(sorted({c.author for c in item.changes}))
        doc.line((f"{item.kind.singular} {item.label}", "bold"), f" by {authors}, {latest.when:%Y-%m-%d %H:%M}")
        for diff in item.diffs:
            doc.line(f"  {diff.summary(reveal=False)}")
            for tag, line in diff.body(reveal=False):
                doc.line((f"    {tag} {line}", "italic" if tag == "-" else ""))
            hidden = hidden or diff.sensitive
        for twin_id, twin_label in item.twins:
            where = "Groups" if item.kind is Kind.GROUPS else "People"
            doc.line(
                (f"  looks like our {item.kind.singular} {twin_label} ({twin_id})", "bold"),
                f": {key('duplicates')} on {where} merges them",
            )
    if hidden:
        how = f"the record's history ({key('history')}, then {key('reveal')})"
        doc.line((f"Contact details are hidden here; {how} shows them.", "italic"))
    return doc.text
