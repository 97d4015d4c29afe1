"""Which editor to open a record in ($VISUAL, then $EDITOR, then one that is installed), and running it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported

from allytui.tui.terminal import in_terminal, no_editor

FALLBACKS = ("nano", "vim", "vi")


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
    if not in_terminal(app):
        app.notify(no_editor(app), title="Not in a browser", severity="warning", markup=False)
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
