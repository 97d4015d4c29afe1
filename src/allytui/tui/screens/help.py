"""Help, written from the real key bindings of the app and the screen underneath, so it never drifts."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "allytui keeps your alliance-building records in git. Every save is a commit with your name.\n"
    "Move with the arrow keys or j/k, open with enter, go back with escape. Ctrl+P finds any action."
)


SECTION_NAMES = {"RecordTable": "Moving in a table", "RefPicker": "Choosing a record", "PartList": "A list of items"}


def key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter", "delete": "del"}
    return ", ".join(names.get(k, k) for k in key.split(","))


def _acts(node: DOMNode, action: str, screen: Screen[object]) -> bool:
    """Whether the binding's action does anything on screen (the app's keys do not, in a form or dialog)."""
    if node is not screen.app:
        return True
    allowed = getattr(screen.app, "app_action_allowed", None)
    return allowed is None or bool(allowed(parse_action(action)[1], screen))


def bindings_text(screen: Screen[object]) -> Text:
    """Every binding in force on screen: the focused widget's and its parents', the screen's, the app's."""
    text = Text()
    seen: set[str] = set()
    widgets = [n for n in (screen.focused or screen).ancestors_with_self if n is not screen and n is not screen.app]
    for node in [screen, screen.app, *widgets]:  # the screen's own keys first, then everywhere, then details
        rows = []
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.description and binding.action not in seen and _acts(node, binding.action, screen):
                    seen.add(binding.action)
                    rows.append((key_label(binding.key), binding.description))
        if not rows:
            continue
        title = "Everywhere" if node is screen.app else SECTION_NAMES.get(type(node).__name__, type(node).__name__)
        text.append(f"\n{title.removesuffix('Screen')}\n", style="bold underline")
        for keys, description in rows:
            text.append(f"  {keys:<14}", style="bold")
            text.append(f"{description}\n")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss(None)", "Close help", id="help-close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 80; max-width: 100%; height: 90%; border: round $primary;
        background: $panel; padding: 0 1; }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Help", style="bold"))
            with VerticalScroll():
                yield Static(Text(INTRO))
                yield Static(bindings_text(self.under))
