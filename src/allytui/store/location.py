"""Which data repo a command works on: --repo, $ALLYTUI_REPO, the current folder, or the default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from allytui.store.layout import SETTINGS_FILE

ENV_VAR = "ALLYTUI_REPO"


def default_repo_path() -> Path:
    """The member's own data repo when no other is named, under their data directory."""
    return Path(platformdirs.user_data_dir("allytui", appauthor=False)) / "data"


def enclosing_repo(start: Path) -> Path | None:
    """The nearest folder at or above start holding allytui.toml and a .git."""
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file() and (folder / ".git").exists():
            return folder
    return None


def choose_repo(explicit: str | None) -> tuple[Path, bool]:
    """(path, is_default): where to work, and whether it is the default repo (created on first use)."""
    if explicit:
        return Path(explicit).expanduser(), False
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), False
    found = enclosing_repo(Path.cwd())
    if found is not None:
        return found, False
    return default_repo_path(), True
