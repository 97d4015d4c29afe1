"""What changed between two commits, file by file with git's file modes, from one `git diff --raw`."""

from __future__ import annotations

from dataclasses import dataclass

import git

ZERO = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id for a tree with nothing in it
REGULAR_MODES = frozenset({"100644", "100755"})


@dataclass(frozen=True)
class DiffEntry:
    """One path that differs: its blob id and mode on each side (None, "000000": absent there)."""

    old_sha: str | None
    new_sha: str | None
    old_mode: str
    new_mode: str


def diff_entries(git_repo: git.Repo, old: str | None, new: str) -> dict[str, DiffEntry]:
    """path -> DiffEntry for each file that differs between old (None: nothing) and new."""
    out = str(git_repo.git.diff("--raw", "-z", "--no-abbrev", "--no-renames", old or EMPTY_TREE, new))
    items = out.split("\0")
    changed: dict[str, DiffEntry] = {}
    for meta, path in zip(items[0::2], items[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        old_mode, new_mode, old_sha, new_sha, _ = meta[1:].split(" ", 4)
        changed[path] = DiffEntry(
            None if old_sha == ZERO else old_sha, None if new_sha == ZERO else new_sha, old_mode, new_mode
        )
    return changed
