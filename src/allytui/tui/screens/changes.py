"""Uncommitted hand edits: see each file's state, then commit it (if valid), edit it, or discard it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allytui.model.validation import Problem
from allytui.tui.messages import CommitHandEdits, DiscardHandEdit, EditFile
from allytui.tui.safe import plain
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.terminal import in_terminal
from allytui.tui.widgets.footer import Footer

FileState = tuple[str, list[Problem]]  # path, and its problems (none: valid)


class ChangesScreen(ModalScreen[None]):
    """The files changed outside the app and not yet committed. Nothing here is ever dropped silently."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "commit", "Commit file", id="changes-commit"),
        Binding("a", "commit_all", "Commit all valid", id="changes-commit-all"),
        Binding("e", "edit", "Edit", id="editor"),
        Binding("x", "discard", "Discard edit", id="changes-discard"),
        Binding("escape", "dismiss(None)", "Later", id="changes-later"),
    ]
    DEFAULT_CSS = """
    ChangesScreen { align: center middle; }
    ChangesScreen > Vertical { width: 90; max-width: 98%; height: auto; max-height: 90%;
        border: thick $warning; background: $panel; padding: 0 1; }
    ChangesScreen OptionList { height: auto; max-height: 14; }
    ChangesScreen #changes-detail { height: auto; max-height: 6; color: $text-muted; }
    """

    def __init__(self, files: list[FileState]) -> None:
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Changes not yet committed (made outside allytui)", style="bold"))
            yield OptionList(id="changes-list")
            yield Static(id="changes-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_list(self.files)

    def refresh_list(self, files: list[FileState]) -> None:
        self.files = files
        if not files:
            self.dismiss(None)
            return
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        for path, problems in files:
            line = plain(path)
            line.append(
                "  valid, ready to commit" if not problems else f"  {len(problems)} problem(s)",
                style="" if not problems else "bold",
            )
            options.add_option(Option(line, id=path))
        options.highlighted = min(keep, len(files) - 1)
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        problems = dict(self.files).get(event.option.id or "", [])
        detail = Text()
        for problem in problems[:5]:
            detail.append_text(plain(str(problem)))
            detail.append("\n")
        self.query_one("#changes-detail", Static).update(detail)

    def _current(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def action_commit(self) -> None:
        path = self._current()
        if path is not None:
            self.post_message(CommitHandEdits([path]))

    def action_commit_all(self) -> None:
        self.post_message(CommitHandEdits([p for p, problems in self.files if not problems]))

    def action_edit(self) -> None:
        path = self._current()
        if path is not None:
            self.post_message(EditFile(path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return in_terminal(self.app)  # in a browser there is no editor: commit or discard the edit
        return True

    def action_discard(self) -> None:
        path = self._current()
        if path is None:
            return
        question = plain(f"Discard the uncommitted edit to {path}? The last committed version comes back.")

        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(DiscardHandEdit(path))

        self.app.push_screen(ConfirmScreen(question, yes="Discard", no="Keep"), answer)
