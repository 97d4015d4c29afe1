"""Textual's Footer without its leak, and with no key cut off: less important keys leave it when it is narrow."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """The footer of key bindings, rebuilt whenever the bindings change (focus moves, data reloads) or its width.

    Each key it builds binds to the footer's `compact`, which stores the key in the footer's watcher list;
    Textual prunes that list only when `compact` changes, which it never does, so every key ever shown stays
    alive (Textualize/textual#6666). Here the footer forgets the keys it has removed before building new ones.

    Keys that would not fit beside the palette key (at 80 columns, say) leave the footer, those of DROP_FIRST
    first; help and the palette still list them.
    """

    DROP_FIRST: ClassVar[tuple[str, ...]] = ("reload", "editor", "history")
    """Actions whose keys leave a crowded footer, in this order."""

    def __init__(self, *children: Widget, compact: bool = False) -> None:
        super().__init__(*children, compact=compact)
        self._composed_width = 0

    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        self._composed_width = self.size.width
        yield from self._fitting(list(super().compose()), self.size.width)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)

    def _fitting(self, widgets: list[Widget], width: int) -> Iterable[Widget]:
        """The widgets, without the keys of DROP_FIRST that do not fit in width (all of them before a layout)."""
        if not width:
            return widgets
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        room = width - sum(key_width(w) + 2 for w in palette)  # the palette key has a border and a space
        padding = 0 if self.compact else 2
        for action in self.DROP_FIRST:
            if sum(key_width(w) + padding + 1 for w in widgets if w not in palette) - 1 <= room:
                break
            widgets = [w for w in widgets if not (isinstance(w, FooterKey) and w.action.split(".")[-1] == action)]
        return widgets

    def _forget_removed_keys(self) -> None:
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node is self or node.is_attached]


def key_width(widget: Widget) -> int:
    """The cells a compact footer key takes: its key, a space and its description."""
    if not isinstance(widget, FooterKey):
        return 0
    return cell_len(widget.key_display) + (1 + cell_len(widget.description) if widget.description else 0)
