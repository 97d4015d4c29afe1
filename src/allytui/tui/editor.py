"""Which editor to open a record in: $VISUAL, then $EDITOR, then one that is installed."""

from __future__ import annotations

import os
import shlex
import shutil

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
