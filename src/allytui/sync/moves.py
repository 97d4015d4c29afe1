"""Moving HEAD, the index and the work tree to another commit so that a kill at any moment is finished later.

A move first writes a journal in .git (from, to, and any files to put back in the work tree after), then
checks the files out, then moves HEAD, then puts files back, then removes the journal. If the process dies
in between, the next run finds the journal and finishes the move before anything else: otherwise the
checked-out files would look like hand edits, and the next sync would commit others' changes as this
member's own.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import git

from allytui.store import git as gitops
from allytui.store.atomic import write_atomic
from allytui.store.errors import GitFailed
from allytui.store.loader import link_problem
from allytui.sync.trees import diff_entries

JOURNAL = "allytui-move.json"
PAUSE_AT = "ALLYTUI_TEST_PAUSE_AT"  # test hook: the step to stop at, so a test can kill the process there
PAUSE_FILE = "ALLYTUI_TEST_PAUSE_FILE"  # created when the step is reached


def pause_point(step: str) -> None:
    """For tests only: when $ALLYTUI_TEST_PAUSE_AT names this step, say so in a file and wait to be killed."""
    if os.environ.get(PAUSE_AT) != step:
        return
    Path(os.environ.get(PAUSE_FILE, os.devnull)).write_text(step)
    time.sleep(120)


@dataclass(frozen=True)
class Move:
    """Where HEAD moves from (None: no commit yet) and to, and blobs to leave in the work tree afterwards."""

    old: str | None
    new: str
    put_back: dict[str, str | None]  # path -> blob id (None: no file), e.g. uncommitted hand edits

    def dumps(self) -> bytes:
        return json.dumps({"from": self.old, "to": self.new, "put_back": self.put_back}).encode()


def journal_path(repo: git.Repo) -> Path:
    return Path(repo.git_dir) / JOURNAL


def move(
    repo: git.Repo, old: str | None, new: str, put_back: dict[str, str | None] | None = None, *, why: str = "sync"
) -> None:
    """Point HEAD, the index and the work tree from commit old to commit new; see the module docstring."""
    plan = Move(old, new, dict(put_back or {}))
    journal = journal_path(repo)
    write_atomic(journal, plan.dumps())
    if old and plan.put_back:  # their files as old has them for now, so the checkout can go over them
        _reset(repo, old, list(plan.put_back))
    repo.git.update_index("-q", "--refresh", with_exceptions=False)  # saves leave no stat data in the index
    try:
        repo.git.read_tree("-m", "-u", *([old] if old else []), new)
    except BaseException:
        journal.unlink(missing_ok=True)  # read-tree checks everything before it writes
        raise
    pause_point(f"{why}: checked out")
    try:
        repo.git.update_ref("-m", f"allytui: {why}", "HEAD", new, old or gitops.ZERO_SHA)
    except git.GitCommandError:
        if old:
            repo.git.read_tree("-m", "-u", new, old)
        journal.unlink(missing_ok=True)
        raise
    pause_point(f"{why}: HEAD moved")
    _put_back(repo, plan.put_back)
    journal.unlink(missing_ok=True)


def finish_interrupted_move(repo: git.Repo) -> bool:
    """Finish a move a killed process left half done (see the module docstring). True if there was one."""
    journal = journal_path(repo)
    try:
        data = json.loads(journal.read_bytes())
        plan = Move(data["from"], data["to"], dict(data["put_back"]))
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically, so never torn; unreadable means not ours
        return False
    if not all(_is_commit(repo, sha) for sha in (plan.old, plan.new) if sha is not None):
        journal.unlink(missing_ok=True)  # names commits this repo does not have: not ours to finish
        return False
    try:
        _finish(repo, plan, journal)
    except git.GitCommandError as error:
        text = str(error.stderr or "").strip().strip("'").removeprefix("stderr:").strip()
        first = text.splitlines()[0].removeprefix("fatal: ").removeprefix("error: ") if text else error.status
        raise GitFailed(
            f"a sync that stopped part way could not be finished ({first}); nothing is lost: "
            "once that is sorted out, run the command again"
        ) from None
    return True


def _finish(repo: git.Repo, plan: Move, journal: Path) -> None:
    with gitops.repo_lock(repo):
        head = gitops.head_sha(repo)
        if head == plan.old:
            _force(repo, plan.old, plan.new)
            old = plan.old or gitops.ZERO_SHA
            repo.git.update_ref("-m", "allytui: finish an interrupted sync", "HEAD", plan.new, old)
            head = plan.new
        if head == plan.new:
            _put_back(repo, plan.put_back)
        journal.unlink(missing_ok=True)  # HEAD moved elsewhere by hand: nothing of ours left to finish


def _is_commit(repo: git.Repo, sha: object) -> bool:
    if not isinstance(sha, str) or len(sha) != 40:
        return False
    found = repo.git.cat_file("-t", sha, with_exceptions=False)
    return str(found).strip() == "commit"


def _force(repo: git.Repo, old: str | None, new: str) -> None:
    """Index and work tree to new for every path that differs from old, whatever state a kill left them in.

    A work-tree file that is neither old's nor new's version was edited after the kill: it is left as is.
    """
    root = Path(repo.working_tree_dir or ".")
    entries = diff_entries(repo, old, new)
    blobs = gitops.read_blobs(repo, {sha for e in entries.values() for sha in (e.old_sha, e.new_sha) if sha})
    lines = []
    for rel, entry in entries.items():
        wanted = blobs.get(entry.new_sha) if entry.new_sha else None
        before = blobs.get(entry.old_sha) if entry.old_sha else None
        if _current(root / rel) in (before, wanted):
            _write(root, rel, wanted)
        lines.append(f"{entry.new_mode} {entry.new_sha}\t{rel}" if entry.new_sha else f"0 {gitops.ZERO_SHA}\t{rel}")
    if lines:
        gitops.run_with_input(repo, ["update-index", "--index-info"], ("\n".join(lines) + "\n").encode())
    repo.git.update_index("-q", "--refresh", with_exceptions=False)


_OTHER = object()  # a work-tree entry that is not a plain file, or cannot be read: equal to no version


def _current(path: Path) -> object:
    """A work-tree file's bytes; None when absent; _OTHER for anything but a plain file."""
    try:
        if not path.is_symlink() and path.is_file():
            return path.read_bytes()
        return _OTHER if os.path.lexists(path) else None
    except OSError:
        return _OTHER


def _write(root: Path, rel: str, data: bytes | None) -> None:
    """Write or remove one work-tree file, never through a linked folder (which could lead out of the repo)."""
    if link_problem(root, rel, file_too=False) is not None:
        return
    path = root / rel
    if data is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, data)


def _reset(repo: git.Repo, old: str, paths: list[str]) -> None:
    """Work tree and index of these paths as commit old has them (absent there: removed)."""
    root = Path(repo.working_tree_dir or ".")
    blobs = gitops.read_blobs(repo, [f"{old}:{rel}" for rel in paths])
    for rel in paths:
        _write(root, rel, blobs.get(f"{old}:{rel}"))
    repo.git.reset("-q", old, "--", *paths, with_exceptions=False)


def _put_back(repo: git.Repo, put_back: dict[str, str | None]) -> None:
    """Write these blobs into the work tree (not the index): uncommitted hand edits, as they were."""
    if not put_back:
        return
    root = Path(repo.working_tree_dir or ".")
    blobs = gitops.read_blobs(repo, {sha for sha in put_back.values() if sha})
    for rel, sha in put_back.items():
        _write(root, rel, blobs.get(sha) if sha else None)
