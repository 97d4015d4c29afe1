"""Where things live: the data repo a command works on (--repo, $ALLYTUI_REPO, cwd, default) and the config file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

from allytui.model.closest import did_you_mean
from allytui.model.records import Kind
from allytui.store.layout import SETTINGS_FILE

ENV_VAR = "ALLYTUI_REPO"


def default_repo_path() -> Path:
    """The member's own data repo when no other is named, under their data directory."""
    return Path(platformdirs.user_data_dir("allytui", appauthor=False)) / "data"


CONFIG_FILE = "config.toml"


def config_path() -> Path:
    """The member's own settings for the app (keys), under their config directory."""
    return Path(platformdirs.user_config_dir("allytui", appauthor=False)) / CONFIG_FILE


IDENTITY_ENV = "ALLYTUI_IDENTITY"
IDENTITY_FILE = "identity.txt"


def identity_path() -> Path:
    """The member's own secret key for sealed fields: $ALLYTUI_IDENTITY, else identity.txt in their config directory."""
    if os.environ.get(IDENTITY_ENV):
        return Path(os.environ[IDENTITY_ENV]).expanduser()
    return Path(platformdirs.user_config_dir("allytui", appauthor=False)) / IDENTITY_FILE


HALF_MADE_LEFTOVERS = {".git", ".gitignore", ".gitattributes"}
"""What an `allytui init` that stopped part way can leave: git's folder and the files written before allytui.toml."""


def half_made(folder: Path) -> bool:
    """A data repo whose init stopped part way: a .git, no allytui.toml, and nothing else in the folder."""
    try:
        names = {entry.name for entry in folder.iterdir()}
    except OSError:
        return False
    return ".git" in names and names <= HALF_MADE_LEFTOVERS


def half_made_message(folder: Path) -> str:
    return (
        f"{folder} is a half-made data repo: it has a .git folder but no {SETTINGS_FILE} "
        f"(an earlier allytui init stopped part way); finish it with: allytui init {folder}"
    )


def enclosing_repo(start: Path) -> Path | None:
    """The nearest folder at or above start holding allytui.toml and a .git, or a half-made data repo
    (so that a command run inside one names it, instead of working on another repo)."""
    for folder in (start, *start.parents):
        if ((folder / SETTINGS_FILE).is_file() and (folder / ".git").exists()) or half_made(folder):
            return folder
        if settings_lost(folder):  # named as such, never passed over for another repo
            return folder
    return None


def settings_lost(folder: Path) -> bool:
    """A data repo (a .git and record folders, or allytui's merge rule) whose allytui.toml is missing or
    not a plain file: a command run inside it must say so, not work on some other repo instead."""
    settings = folder / SETTINGS_FILE
    if not (folder / ".git").exists() or (settings.is_file() and not settings.is_symlink()):
        return False
    if os.path.lexists(settings):
        return True
    try:
        attributes = (folder / ".gitattributes").read_text(encoding="utf-8", errors="replace")
    except OSError:
        attributes = ""
    return "merge=binary" in attributes or any((folder / kind.value).is_dir() for kind in Kind)


def settings_lost_message(folder: Path) -> str:
    return (
        f"{folder} is an allytui data repo whose {SETTINGS_FILE} is missing or not a plain file; "
        f"bring it back with: git -C {folder} checkout HEAD -- {SETTINGS_FILE}"
    )


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


NAMED_BY_OPTION = "--repo"
NAMED_BY_ENV = f"${ENV_VAR}"
FOUND_HERE = "this folder"
OWN_REPO = "your own"


def locate_repo(explicit: str | None) -> tuple[Path, str]:
    """Where to work and what chose it: NAMED_BY_OPTION, NAMED_BY_ENV, FOUND_HERE (cwd or a folder above
    it) or OWN_REPO (the member's own repo, made on first use)."""
    path, is_default = choose_repo(explicit)
    if is_default:
        return path, OWN_REPO
    if explicit:
        return path, NAMED_BY_OPTION
    return path, NAMED_BY_ENV if os.environ.get(ENV_VAR) else FOUND_HERE


def missing_repo_message(path: Path, named_by: str) -> str:
    """A named data repo folder that is not there: said so, with a data repo beside it of a like name."""
    beside: list[str] = []
    with contextlib.suppress(OSError):
        beside = [p.name for p in path.parent.iterdir() if (p / SETTINGS_FILE).is_file()]
    hint = did_you_mean(path.name, beside)
    if hint:
        hint = hint.replace("did you mean ", f"did you mean {path.parent}{os.sep}")
    return f"{path} does not exist (named by {named_by}){hint}"


def shown_path(path: Path, most: int = 0) -> str:
    """path as a person reads it: under their home folder, as ~/...; longer than most (when given), as
    …/ and its last folder."""
    try:
        text = f"~{os.sep}{path.relative_to(Path.home())}"
    except ValueError:
        text = str(path)
    return f"…{os.sep}{path.name}" if most and len(text) > most else text


def repo_caption(name: str, root: Path, most: int = 0) -> str:
    """What to call a data repo on screen: its group's name (else its folder's) and where it is (its path
    shortened when longer than most)."""
    return f"{name or root.name} ({shown_path(root, most)})"
