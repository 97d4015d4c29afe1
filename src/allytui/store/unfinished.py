"""A plain `git pull` (or rebase) that stopped part way: files git marks unmerged, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import git

from allytui.store.repo import DataRepo

SHOWN_PATHS = 3


@dataclass(frozen=True)
class Unfinished:
    """A merge git left unfinished in the data repo: how it was started, and the files still unmerged."""

    rebase: bool
    paths: tuple[str, ...]

    def message(self) -> str:
        what = "git pull --rebase" if self.rebase else "plain git pull (or git merge)"
        if self.paths:
            shown = ", ".join(self.paths[:SHOWN_PATHS]) + (" ..." if len(self.paths) > SHOWN_PATHS else "")
            files = f"file{'s are' if len(self.paths) > 1 else ' is'}"
            state = f"{len(self.paths)} {files} marked unmerged in git ({shown})"
        else:
            state = "its files are merged but not committed"
        finish = "git rebase --continue" if self.rebase else "git commit"
        return (
            f"A {what} stopped part way: {state}. Run allytui sync to finish it the allytui way (it takes the "
            f"pull back and merges field by field, keeping both members' changes), or fix the files by hand, "
            f"then git add them and {finish}."
        )


def unfinished_merge(repo: DataRepo) -> Unfinished | None:
    """The merge a plain git pull left unfinished here, if any (read from git's index and its state files)."""
    git_dir = Path(repo.git_repo.git_dir)
    rebase = (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()
    merging = (git_dir / "MERGE_HEAD").exists()
    try:
        listed = str(repo.git_repo.git.ls_files("-u", "-z"))
    except git.GitCommandError:
        listed = ""
    paths = tuple(dict.fromkeys(entry.split("\t", 1)[1] for entry in listed.split("\0") if "\t" in entry))
    if not (paths or rebase or merging):
        return None
    return Unfinished(rebase=rebase, paths=paths)
