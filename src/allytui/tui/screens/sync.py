"""Sync from the app: progress as it goes, then the summary and what others changed since last time."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from allytui.model.conflicts import other_value
from allytui.model.privacy import shown_conflict_value
from allytui.store.layout import parse_record_path
from allytui.store.repo import DataRepo
from allytui.sync.blockers import SyncBlocked
from allytui.sync.driver import SyncReport, sync
from allytui.sync.review import review
from allytui.tui.feedback import describe_error
from allytui.tui.safe import Doc, plain
from allytui.tui.widgets.footer import Footer

HIDDEN_HERE = "(hidden: contact details; C, then v, shows it)"
SKIP_HERE = "press k to sync again"
REVIEW_HIDDEN = "Contact details are hidden here; the record's history (h, then v) shows them."


class SyncScreen(ModalScreen[SyncReport | None]):
    """Runs one sync in a worker; escape closes once it has finished."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="sync-close"),
        Binding("C", "conflicts", "Conflicts", id="sync-conflicts"),
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

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def run_sync(self) -> SyncReport:
        repo = self.app.repo  # type: ignore[attr-defined]
        return sync(repo, progress=lambda line: self.app.call_from_thread(self.step, line), skip_bad=self.skip_bad)

    def on_worker_state_changed(self, event: object) -> None:
        worker = getattr(event, "worker", None)
        if worker is None or worker.name != "run_sync" or not worker.is_finished:
            return
        self.finished = True
        result = self.query_one("#sync-result", Static)
        self.blocked = isinstance(worker.error, SyncBlocked)
        self.refresh_bindings()
        if isinstance(worker.error, SyncBlocked):
            lines = worker.error.lines(skip_hint=SKIP_HERE)
            result.update(plain("Not synced: " + "\n".join(lines), "bold"))
        elif worker.error is not None:
            result.update(plain(f"Not synced: {describe_error(worker.error)}", "bold"))
        else:
            self.report = worker.result
            result.update(report_text(self.app.repo, self.report))  # type: ignore[attr-defined]
        self.app.action_reload()  # type: ignore[attr-defined]

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
            self.app.action_conflicts()  # type: ignore[attr-defined]


def report_text(repo: DataRepo, report: SyncReport) -> Text:
    doc = Doc()
    for line in report.summary():
        doc.line((line, "bold") if line.startswith(("CONFLICT", "LEFT OUT")) else line)
    for path, conflict in report.conflicts:
        found = parse_record_path(path)
        other = repr(other_value(conflict))
        if found is not None:
            other = shown_conflict_value(found[0].model, conflict, other, reveal=False, placeholder=HIDDEN_HERE)
        doc.line(f"  {path} {conflict.field}: the other value was {other}")
    if not report.incoming or report.after is None:
        return doc.text
    doc.heading("What others changed since your last sync (newest first)")
    hidden = False
    for item in review(repo, report.before, report.after, report.incoming):
        latest = item.changes[0]
        authors = ", ".join(sorted({c.author for c in item.changes}))
        doc.line((f"{item.kind.singular} {item.label}", "bold"), f" by {authors}, {latest.when:%Y-%m-%d %H:%M}")
        for diff in item.diffs:
            doc.line(f"  {diff.summary(reveal=False)}")
            for tag, line in diff.body(reveal=False):
                doc.line((f"    {tag} {line}", "italic" if tag == "-" else ""))
            hidden = hidden or diff.sensitive
    if hidden:
        doc.line((REVIEW_HIDDEN, "italic"))
    return doc.text
