"""Which editor to open a record in ($VISUAL, then $EDITOR, then one that is installed), running it, and saying
why there is none in a browser (textual-serve), where the app cannot hand the screen to another program."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.dom import DOMNode

from allytui.tui.keymap import bindings_in_force, key_of

FALLBACKS = ("nano", "vim", "vi")

EDITOR_ID = "editor"
"""The id of every binding that opens a file in $EDITOR (e, on every screen that shows files)."""


def editor_available(app: App[Any]) -> bool:
    """Whether the app can suspend itself for an editor: in a terminal, not in a browser (app.is_web)."""
    return not app.is_web


def offered(app: App[Any], binding: Binding) -> bool:
    """Whether a binding is offered here (footer, help, palette): the editor's only where there can be one."""
    return binding.id != EDITOR_ID or editor_available(app)


def no_editor(app: App[Any], record: bool = True) -> str:
    """Why e does nothing in a browser, and what to do instead; `record`: the file holds a record that loads."""
    if record:
        form = key_of(app, "edit")
        return (
            f"In a browser allytui cannot open a text editor. Edit the record in its form ({form}): "
            "long text has its own text areas there."
        )
    return (
        "In a browser allytui cannot open a text editor, and this file does not load as a record, so it has no "
        "form. Someone with allytui in a terminal can fix it (allytui check lists it)."
    )


def editor_key_here(node: DOMNode, key: str) -> bool:
    """Whether key opens the editor from node (the focused widget, or the screen) with the keymap applied."""
    for ancestor in node.ancestors_with_self:
        if any(binding.id == EDITOR_ID for binding in bindings_in_force(ancestor).key_to_bindings.get(key, [])):
            return True
    return False


def editor_command() -> list[str]:
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for name in FALLBACKS:
        if shutil.which(name):
            return [name]
    return ["vi"]


def run_editor(app: App[None], path: Path) -> int | None:
    """Edit path with the app suspended; the editor's exit status (negative: killed by that signal), or None
    when it could not start (and the app has said why). Never in a browser: there is no terminal to give it,
    and an editor started anyway would wait for one, holding the session."""
    if not editor_available(app):
        app.notify(no_editor(app), title="No editor here", severity="warning", markup=False)
        return None
    command = [*editor_command(), str(path)]
    try:
        with app.suspend():
            return subprocess.run(command, check=False).returncode
    except SuspendNotSupported:  # headless (tests): the editor needs no terminal
        return subprocess.run(command, check=False, stdin=subprocess.DEVNULL).returncode
    except OSError as error:
        app.notify(f"Could not start the editor {command[0]}: {error.strerror}", severity="error", markup=False)
        return None
