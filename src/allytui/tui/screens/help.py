"""Help, written from the real key bindings of the app and the screen underneath, so it never drifts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from allytui.model.text import visible
from allytui.store.location import repo_caption
from allytui.tui.keymap import bindings_in_force, key_of, keys_of
from allytui.tui.terminal import in_terminal, offered


def intro(app: App[Any]) -> str:
    """What help says first: the keys that move, open and go back (as the keymap has them)."""
    down, up = key_of(app, "table-down", besides=("down",)), key_of(app, "table-up", besides=("up",))
    loaded = getattr(app, "loaded", None)
    repo = getattr(app, "repo", None)
    here = (
        f"This is the data repo {repo_caption(loaded.settings.name if loaded else '', repo.root, 48)}.\n"
        if repo
        else ""
    )
    text = (
        here + "allytui keeps your alliance-building records in git. Every save is a commit with your name.\n"
        f"Move with the arrow keys or {down}/{up}, open with {key_of(app, 'table-select')}, "
        f"go back with {key_of(app, 'form-leave')}. Ctrl+P finds any action."
    )
    if not in_terminal(app):
        text += (
            f"\nIn a browser, long text is edited in the form: {key_of(app, 'edit')} opens a record's form, whose "
            "text areas take several lines and paragraphs; there is no text editor to open a file in."
        )
    return text


SECTION_NAMES = {"RecordTable": "Moving in a table", "RefPicker": "Choosing a record", "PartList": "A list of items"}


def _acts(node: DOMNode, action: str, screen: Screen[object]) -> bool:
    """Whether the binding's action does anything on screen (the app's keys do not, in a form or dialog)."""
    if node is not screen.app:
        return True
    allowed = getattr(screen.app, "app_action_allowed", None)
    return allowed is None or bool(allowed(parse_action(action)[1], screen))


def _rows(node: DOMNode, screen: Screen[object], seen: set[str]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) of node's bindings that act on screen, keys as remapped by the keymap."""
    keys: dict[str, list[str]] = {}
    found: dict[str, Binding] = {}
    for bindings in bindings_in_force(node).key_to_bindings.values():
        for binding in bindings:
            shown = binding.description and offered(screen.app, binding.id)  # not in a browser: the editor, imports
            if shown and binding.action not in seen and _acts(node, binding.action, screen):
                keys.setdefault(binding.action, []).append(screen.app.get_key_display(binding))
                found.setdefault(binding.action, binding)
    seen.update(found)
    return [(", ".join(dict.fromkeys(keys[a])), b.description, b.id or "") for a, b in found.items()]


def bindings_text(screen: Screen[object]) -> Text:
    """Every binding in force on screen: the focused widget's and its parents', the screen's, the app's."""
    text = Text()
    seen: set[str] = set()
    widgets = [n for n in (screen.focused or screen).ancestors_with_self if n is not screen and n is not screen.app]
    for node in [screen, screen.app, *widgets]:  # the screen's own keys first, then everywhere, then details
        rows = _rows(node, screen, seen)
        if not rows:
            continue
        title = "Everywhere" if node is screen.app else SECTION_NAMES.get(type(node).__name__, type(node).__name__)
        text.append(f"\n{title.removesuffix('Screen')}\n", style="bold underline")
        for keys, description, binding_id in rows:
            text.append(f"  {keys:<14}", style="bold")
            text.append(f"{description:<36}")
            text.append(f" {binding_id}\n", style="dim")
    return text


def home_relative(path: Path) -> str:
    """A path under the home folder written as ~/..., as members type it."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def keymap_text(app: App[object]) -> Text:
    """Where the member's keys are set, and which they changed."""
    path = getattr(app, "config_path", None)
    changed: dict[str, str] = getattr(app, "user_keys", {})
    text = Text("\nYour keys\n", style="bold underline")
    if not in_terminal(app):  # the config file is the server's, not the member's
        text.append("  In a browser the keys are those set on the computer that runs allytui serve, in\n  ")
    else:
        text.append("  The grey names above are binding ids. To change a key, write it in\n  ")
    text.append(visible(home_relative(Path(path))) if path else "config.toml", style="bold")
    example = 'editor = "ctrl+e"' if in_terminal(app) else 'filter = "ctrl+f"'
    text.append(f"\n  under [keys], like:  {example}   (then start allytui again)\n")
    if not changed:
        text.append("  Every key is the usual one.\n")
    for binding_id, keys in changed.items():
        text.append(f"  {binding_id} = {', '.join(keys_of(app, binding_id)) or keys}\n")
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
                yield Static(Text(intro(self.app)))
                yield Static(bindings_text(self.under))
                yield Static(keymap_text(self.app))
