"""What only works where the app runs in a terminal on the member's own computer, and what it says in a browser
(textual-serve, `app.is_web`) instead: opening a file in $EDITOR, importing a spreadsheet from a path, and
opening sealed values with the key of the account the app runs as."""

from __future__ import annotations

import os
from typing import Any

from textual.app import App
from textual.dom import DOMNode

from allytui.store.location import IDENTITY_ENV
from allytui.tui.keymap import bindings_in_force, key_of

EDITOR = "editor"
"""The id of every binding that opens a file in $EDITOR (e, on every screen that shows files)."""

IMPORTS = frozenset({"import-sheet", "dashboard-import"})
"""The ids of the bindings that import a spreadsheet from a path on this computer."""

NEEDS_TERMINAL = IMPORTS | {EDITOR}
"""Bindings not offered in a browser: there the app cannot hand the screen to an editor, and a path names a file
on the server, which the member cannot put there (and should not read)."""


def in_terminal(app: App[Any]) -> bool:
    """Whether the app runs in a terminal (it can suspend itself for an editor, and paths are the member's)."""
    return not app.is_web


def own_key_here(app: App[Any]) -> bool:
    """Whether sealed values may be opened with the key file of the account the app runs as. In a terminal that
    account is the member's; in a browser it is the server's, the same for every member who logs in, so only a
    key the server gives this session ($ALLYTUI_IDENTITY) is used there."""
    return in_terminal(app) or bool(os.environ.get(IDENTITY_ENV))


def offered(app: App[Any], binding_id: str | None) -> bool:
    """Whether the binding with this id is offered here (footer, help, palette, hints that name its key)."""
    return binding_id not in NEEDS_TERMINAL or in_terminal(app)


def no_editor(app: App[Any], record: bool = True) -> str:
    """Why e does nothing in a browser, and what to do instead; `record`: the file holds a record that loads."""
    if record:
        return (
            f"In a browser allytui cannot open a text editor. Edit the record in its form ({key_of(app, 'edit')}): "
            "long text has its own text areas there."
        )
    return (
        "In a browser allytui cannot open a text editor, and this file does not load as a record, so it has no "
        "form. Someone with allytui in a terminal can fix it (allytui check lists it)."
    )


NO_IMPORT = (
    "In a browser allytui cannot read a spreadsheet from your computer. Someone with allytui in a terminal "
    "imports it (allytui import groups FILE.csv), or add the groups here one by one."
)


def why_not(app: App[Any], binding_id: str) -> str:
    """What a browser says when a key of NEEDS_TERMINAL is pressed anyway."""
    return NO_IMPORT if binding_id in IMPORTS else no_editor(app)


def terminal_binding_here(node: DOMNode, key: str) -> str | None:
    """The id of a binding of NEEDS_TERMINAL that key has from node (the focused widget, or the screen), the
    keymap applied; None when it has none."""
    for ancestor in node.ancestors_with_self:
        for binding in bindings_in_force(ancestor).key_to_bindings.get(key, []):
            if binding.id in NEEDS_TERMINAL:
                return binding.id
    return None
