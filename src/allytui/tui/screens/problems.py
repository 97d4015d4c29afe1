"""Problems: every file that did not load cleanly, where and why; enter opens the file in $EDITOR."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from allytui.model.validation import Problem
from allytui.tui.keymap import KeyOf, at_start, key_of
from allytui.tui.messages import EditFile
from allytui.tui.rows import PROBLEM_COLUMNS, PROBLEM_FIELDS, Column, problem_rows
from allytui.tui.safe import Doc
from allytui.tui.screens.record_list import TableScreen
from allytui.tui.terminal import in_terminal, no_editor
from allytui.tui.widgets.record_table import RecordTable

NONE = "No problems: every file is valid."


def problem_detail(problem: Problem, key: KeyOf, *, editor: bool = True, browser: str = "") -> Text:
    """The problem in full, and how to fix it: in an editor (`editor`), or as `browser` says where there is none."""
    doc = Doc()
    doc.line((problem.path, "bold"))
    doc.field("Line", problem.line)
    doc.field("Field", problem.field)
    doc.field("Problem", problem.message)
    doc.line("")
    if not editor:
        doc.line((browser, "italic"))
        return doc.text
    keys = f"{at_start(key('table-select'))} or {key('editor')}"
    doc.line((f"{keys} opens the file in your editor; allytui reloads it when you save.", "italic"))
    return doc.text


class ProblemsScreen(TableScreen):
    """Every problem found while loading: path, line, field, message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("e", "open", "Open in $EDITOR", id="editor"),
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter", show=False),
    ]
    COLUMNS: ClassVar[list[Column]] = PROBLEM_COLUMNS
    FIELDS = PROBLEM_FIELDS

    FILTER_HINT = "to filter: file, field or message"
    SUMMARY_ID = "problems-summary"

    def problems(self) -> list[Problem]:
        loaded = self.loaded
        return list(loaded.problems) if loaded is not None else []

    def _data_changed(self) -> None:
        problems = self.problems()
        self.table.set_rows(problem_rows(problems))
        files = len({p.path for p in problems})
        summary = self.query_one("#problems-summary", Static)
        if self.loaded is None:
            summary.update(Text("Loading…", style="italic"))
        elif problems:
            summary.update(
                Text(
                    f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file"
                    f"{'s' if files != 1 else ''}. These files are left out until they are fixed.",
                    style="bold",
                )
            )
        else:
            text = Text(NONE, style="bold", end="")
            text.append(
                "\nA file that can't be read, or doesn't follow the format, is listed here with its line and field.",
                style="italic",
            )
            summary.update(text)
        self.query_one("#list-body").display = bool(problems)
        self.query_one("#filter").display = bool(problems)
        self.show_detail(self.table.current_key)
        self.refresh_bindings()

    def current_problem(self) -> Problem | None:
        key, problems = self.table.current_key, self.problems()
        return problems[int(key)] if key is not None and int(key) < len(problems) else None

    def show_detail(self, key: str | None) -> None:
        problem, app = self.current_problem(), self.app
        browser = no_editor(app, record=False)
        detail = Text("")
        if problem is not None:
            detail = problem_detail(problem, partial(key_of, app), editor=in_terminal(app), browser=browser)
        self.query_one("#detail", Static).update(detail)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_detail(event.key)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_open()

    def action_open(self) -> None:
        problem = self.current_problem()
        if problem is not None:
            self.post_message(EditFile(problem.path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open" and not in_terminal(self.app):
            return False  # in a browser there is no editor to open the file in
        if action in {"open", "filter"} and self.is_mounted:
            return bool(self.problems())
        return True
