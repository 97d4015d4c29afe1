"""Record text for widgets: always a rich Text built from plain strings, never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from allytui.model.sealed import shown
from allytui.model.text import visible


def plain(value: object, style: str = "") -> Text:
    """One line of record text, shown literally: markup stays text, control characters are escaped."""
    return Text(visible(str(value)), style=style, no_wrap=False, end="")


def block(value: object, style: str = "") -> Text:
    """Several lines of record text (notes, aims), shown literally."""
    return Text(visible(str(value), keep_newlines=True), style=style, end="")


class Doc:
    """Builds a detail view line by line out of plain strings and styles; nothing is markup."""

    def __init__(self) -> None:
        self.text = Text(end="")

    def line(self, *parts: tuple[str, str] | str) -> Doc:
        for part in parts:
            value, style = (part, "") if isinstance(part, str) else part
            self.text.append_text(plain(value, style))
        self.text.append("\n")
        return self

    def heading(self, title: str) -> Doc:
        self.text.append("\n")
        self.text.append_text(plain(title, "bold underline"))
        self.text.append("\n")
        return self

    def field(self, label: str, value: object) -> Doc:
        """label: value, on one line or as a block; a sealed value not opened says so, never shows its armor."""
        if value in (None, "", [], ()):
            return self
        text = str(shown(value))
        if "\n" in text.strip():
            self.text.append_text(plain(f"{label}:", "bold"))
            self.text.append("\n")
            self.text.append_text(block(text.strip()))
            self.text.append("\n")
        else:
            self.line((f"{label}: ", "bold"), text)
        return self

    def bullets(self, items: list[str], empty: str = "") -> Doc:
        if not items and empty:
            self.line((empty, "italic"))
        for item in items:
            self.line("• ", item)
        return self
