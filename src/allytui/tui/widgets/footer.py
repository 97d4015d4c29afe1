"""Textual's Footer without its leak: every redraw of the keys used to keep the old keys alive for good."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The footer of key bindings, rebuilt whenever the bindings change (focus moves, data reloads).

    Each key it builds binds to the footer's `compact`, which stores the key in the footer's watcher list;
    Textual prunes that list only when `compact` changes, which it never does, so every key ever shown stays
    alive (Textualize/textual#6666). Here the footer forgets the keys it has removed before building new ones.
    """

    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        yield from super().compose()

    def _forget_removed_keys(self) -> None:
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node is self or node.is_attached]
