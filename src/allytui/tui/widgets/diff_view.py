"""A record's change shown field by field, or git's own patch: every line marked +/- so NO_COLOR still tells."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.widget import Widget

from allytui.model.field_diff import FieldDiff
from allytui.store.history import Change
from allytui.tui.keymap import key_of
from allytui.tui.safe import plain

StyleOf = Callable[[str], Style | str]  # "added", "removed", "gap", "field", "note" -> a style

MERGE_NOTE = "A merge: this is the change it brought in, compared with its first parent."


def hidden_note(app: App[Any]) -> str:
    return f"Contact details are hidden: {key_of(app, 'reveal')} shows them."


def hidden_value(app: App[Any]) -> str:
    """What stands in place of a contact detail in git's patch."""
    return f"(hidden; {key_of(app, 'reveal')} shows it)"


def _line(text: Text, *parts: tuple[str, Style | str]) -> None:
    for value, style in parts:
        piece = plain(value)
        if style:
            piece.stylize(style)
        text.append_text(piece)
    text.append("\n")


def diffs_text(diffs: Iterable[FieldDiff], *, reveal: bool, style: StyleOf) -> Text:
    """Field diffs as Text: 'stage: a → b', then a text field's lines or a list's items marked + and -."""
    text = Text(end="")
    marks = {"+": "added", "-": "removed", " ": "", "@": "gap"}
    for diff in diffs:
        if diff.kind == "problem":
            _line(text, ("! " + diff.summary(), style("note")))
            continue
        _line(text, (diff.summary(reveal=reveal), style("field")))
        for tag, value in diff.body(reveal=reveal):
            kind = marks[tag]
            _line(text, (f"  {tag if tag != '@' else ' '} {value}", style(kind) if kind else ""))
    return text


def change_heading(change: Change) -> Text:
    text = Text(end="")
    _line(text, (f"commit {change.short}", "bold"), (f"  {change.author}", ""))
    _line(text, (change.date.strftime("%Y-%m-%d %H:%M %z"), ""))
    _line(text, (change.subject, "bold"))
    return text


class DiffView(Widget):
    """Shows one Change as field diffs, or git's patch for it, or a short note; re-styled with the theme."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-view--added",
        "diff-view--removed",
        "diff-view--gap",
        "diff-view--field",
        "diff-view--note",
    }
    DEFAULT_CSS = """
    DiffView { height: auto; }
    DiffView > .diff-view--added { color: $text-success; }
    DiffView > .diff-view--removed { color: $text-error; }
    DiffView > .diff-view--gap { color: $text-muted; }
    DiffView > .diff-view--field { text-style: bold; }
    DiffView > .diff-view--note { color: $text-warning; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._change: Change | None = None
        self._raw: str | None = None
        self._note = ""
        self._reveal = False

    def style_of(self, name: str) -> Style:
        return self.get_component_rich_style(f"diff-view--{name}", partial=True)

    def show_note(self, note: str) -> None:
        self._change, self._raw, self._note = None, None, note
        self.refresh(layout=True)

    def show_change(self, change: Change, *, reveal: bool) -> None:
        self._change, self._raw, self._note, self._reveal = change, None, "", reveal
        self.refresh(layout=True)

    def show_raw(self, change: Change, patch: str, *, reveal: bool) -> None:
        self._change, self._raw, self._note, self._reveal = change, patch, "", reveal
        self.refresh(layout=True)

    def render(self) -> Text:
        change = self._change
        if change is None:
            return plain(self._note, "italic")
        text = change_heading(change)
        if change.is_merge:
            _line(text, (MERGE_NOTE, "italic"))
        text.append("\n")
        if self._raw is not None:
            text.append_text(self._patch(self._raw))
            if not self._reveal and hidden_value(self.app) in self._raw:
                _line(text, (hidden_note(self.app), "italic"))
            return text
        diffs = change.diffs
        if change.status == "deleted":  # what it held is the entry below this one
            restore = key_of(self.app, "history-restore")
            _line(text, (f"Deleted. {restore} brings back the version it deleted.", self.style_of("note")))
            diffs = tuple(d for d in diffs if d.kind == "problem")
        elif not diffs:
            _line(text, ("No field changed: only formatting or comments.", "italic"))
        text.append_text(diffs_text(diffs, reveal=self._reveal, style=self.style_of))
        if not self._reveal and any(d.sensitive for d in diffs):
            _line(text, (hidden_note(self.app), "italic"))
        return text

    def _patch(self, patch: str) -> Text:
        text = Text(end="")
        for line in patch.splitlines():
            if line.startswith(("+++", "---")):
                style: Style | str = "bold"
            elif line.startswith("+"):
                style = self.style_of("added")
            elif line.startswith("-"):
                style = self.style_of("removed")
            elif line.startswith("@@"):
                style = self.style_of("gap")
            else:
                style = ""
            _line(text, (line, style))
        return text
