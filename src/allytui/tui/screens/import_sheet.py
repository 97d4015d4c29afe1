"""Asking which spreadsheet (CSV) to import, and as which kind of record."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from allytui.model.records import Kind


class ImportSheetScreen(ModalScreen[tuple[Kind, Path] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="import-cancel")]
    DEFAULT_CSS = """
    ImportSheetScreen { align: center middle; }
    ImportSheetScreen > Vertical { width: 76; max-width: 98%; height: auto; border: round $primary;
        background: $panel; padding: 0 1; }
    ImportSheetScreen Input, ImportSheetScreen Select { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Import a spreadsheet", style="bold"))
            yield Static(
                Text(
                    "Save it as CSV (UTF-8) with a header row: name, category, stage, ... "
                    "Nothing is written until every row is valid.",
                    style="dim",
                )
            )
            yield Select(
                [(k.value, k.value) for k in Kind],
                value=Kind.GROUPS.value,
                allow_blank=False,
                id="import-kind",
                compact=True,
            )
            yield Input(placeholder="path to the .csv file, then enter", id="import-path", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not path.is_file():
            self.notify("No such file.", severity="error", markup=False)
            return
        kind = Kind(str(self.query_one("#import-kind", Select).value))
        self.dismiss((kind, path))
