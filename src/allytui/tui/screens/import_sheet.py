"""Asking which spreadsheet (CSV) to import, as which kind of record, and whether rows already here update them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, Static

from allytui.model.records import Kind
from allytui.store.importing import ImportPlan
from allytui.tui.safe import block


@dataclass(frozen=True)
class SheetChoice:
    """The file to import, its kind of record, and whether rows matching a record here update it."""

    kind: Kind
    path: Path
    update: bool = False


class ImportSheetScreen(ModalScreen[SheetChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="import-cancel")]
    DEFAULT_CSS = """
    ImportSheetScreen { align: center middle; }
    ImportSheetScreen > Vertical { width: 76; max-width: 98%; height: auto; border: round $primary;
        background: $panel; padding: 0 1; }
    ImportSheetScreen Input, ImportSheetScreen Select, ImportSheetScreen Checkbox { margin-bottom: 1; }
    """

    def __init__(self, kind: Kind = Kind.GROUPS) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Import a spreadsheet", style="bold"))
            yield Static(
                Text(
                    "Save it as CSV with a header row: name, category, stage, ... (comma, semicolon or tab "
                    "between cells). Rows already here are matched by id, website or name, never made twice. "
                    "You see what each row would do before anything is written.",
                    style="dim",
                )
            )
            yield Select(
                [(k.value, k.value) for k in Kind],
                value=self.kind.value,
                allow_blank=False,
                id="import-kind",
                compact=True,
            )
            yield Checkbox("Update records already here from the sheet", id="import-update", compact=True)
            yield Input(placeholder="path to the .csv file, then enter", id="import-path", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not path.is_file():
            self.notify("No such file.", severity="error", markup=False)
            return
        kind = Kind(str(self.query_one("#import-kind", Select).value))
        self.dismiss(SheetChoice(kind, path, self.query_one("#import-update", Checkbox).value))


def plan_details(plan: ImportPlan, limit: int = 200) -> Text:
    """What the import would do, for the confirm dialog: notes on the file, then row by row (errors first),
    then the values a column with a bad value takes, once."""
    errors = [row for row in plan.rows if row.status == "error"]
    others = [row for row in plan.rows if row.status != "error"]
    hint = "tick Update records already here to change"
    shown = (errors + others)[:limit]
    lines = plan.warnings + [line for row in shown for line in row.lines(plan.kind, plan.source, hint)]
    if len(plan.rows) > limit:
        lines.append(f"… and {len(plan.rows) - limit} more rows")
    return block("\n".join(lines + plan.allowed_lines))
