"""Moving HEAD, the index and the work tree to another commit so that a kill at any moment is finished later.

A move first keeps every work-tree file it will replace aside under a second, hidden name (a hard link:
no space), writes a journal in .git (from, to, files to put back in the work tree after, the names kept
aside), then checks the files out, then moves HEAD, then puts files back, then removes the journal. If a
step fails (a full disk), the move is undone: the kept files are renamed back, which needs no space, and
HEAD and the index go back to where they were. If the process dies in between, or the undo cannot finish,
the next run finds the journal and finishes the move before anything else: otherwise the checked-out files
would look like hand edits, and the next sync would commit others' changes as this member's own.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import git

from allytui.store import git as gitops
from allytui.store.atomic import keep_aside, write_atomic
from allytui.store.atomic import put_back as rename_back
from allytui.store.errors import DiskFull, GitFailed
from allytui.store.loader import link_problem
from allytui.sync.trees import EMPTY_TREE, DiffEntry, diff_entries

JOURNAL = "allytui-move.json"
PAUSE_AT = "ALLYTUI_TEST_PAUSE_AT"  # test hook: the step to stop at, so a test can kill the process there
PAUSE_FILE = "ALLYTUI_TEST_PAUSE_FILE"  # created when the step is reached
_KEPT_NAME = re.compile(r"\.[^/\\]+\.tmp-[0-9a-f]+")  # as store.atomic.keep_aside names a file kept aside


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
    kept: dict[str, str] = field(default_factory=dict)  # path -> the hidden name its old file is kept under

    def dumps(self) -> bytes:
        return json.dumps({"from": self.old, "to": self.new, "put_back": self.put_back, "kept": self.kept}).encode()


def journal_path(git_repo: git.Repo) -> Path:
    return Path(git_repo.git_dir) / JOURNAL


class MoveStopped(DiskFull):
    """A move the disk had no room for: undone, or (undone=False) journalled for the next run to finish."""

    def __init__(self, undone: bool) -> None:
        self.undone = undone
        super().__init__(
            "the data repo is as it was"
            if undone
            else "the change stopped part way; nothing is lost, and it is finished the next time allytui runs",
            what="this could not be done",
        )


def move(
    git_repo: git.Repo, old: str | None, new: str, put_back: dict[str, str | None] | None = None, *, why: str = "sync"
) -> None:
    """Point HEAD, the index and the work tree from commit old to commit new; see the module docstring.

    A step that fails is undone, leaving HEAD, the index and every work-tree file as they were; a full disk
    raises MoveStopped, saying whether the undo finished or the next run will finish the move instead.
    """
    changed = diff_entries(git_repo, old, new)
    root = Path(git_repo.working_tree_dir or ".")
    try:
        kept = _keep_aside(root, sorted(set(changed) | set(put_back or {})))
    except OSError as error:  # no room even for a copy (a file system without hard links): nothing changed yet
        if gitops.disk_full(error):
            raise MoveStopped(undone=True) from None
        raise
    plan = Move(old, new, dict(put_back or {}), kept)
    journal = journal_path(git_repo)
    try:
        write_atomic(journal, plan.dumps())
        _apply(git_repo, plan, why)
    except BaseException as error:
        undone = _undo(git_repo, plan, changed)
        if undone:
            journal.unlink(missing_ok=True)
        if _no_room(error, root):
            raise MoveStopped(undone) from None
        raise
    _drop(root, kept)
    journal.unlink(missing_ok=True)


def _no_room(error: BaseException, root: Path) -> bool:
    """Whether a step failed for want of space (git's checkout may say only "unable to write file")."""
    return gitops.disk_full(error, root) or isinstance(error, DiskFull)


def _apply(git_repo: git.Repo, plan: Move, why: str) -> None:
    """The steps of a move, each of which may fail (a full disk) or be killed."""
    old, new = plan.old, plan.new
    if old and plan.put_back:  # their files as old has them for now, so the checkout can go over them
        _reset(git_repo, old, list(plan.put_back))
    # saves leave no stat data in the index, and keeping files aside changed theirs: without a refresh,
    # read-tree would take them for edited ones; with -q, only a failure to write the index is an error
    git_repo.git.update_index("-q", "--refresh")
    git_repo.git.read_tree("-m", "-u", *([old] if old else []), new)
    pause_point(f"{why}: checked out")
    git_repo.git.update_ref("-m", f"allytui: {why}", "HEAD", new, old or gitops.ZERO_SHA)
    pause_point(f"{why}: HEAD moved")
    _put_back(git_repo, plan.put_back)


def _keep_aside(root: Path, paths: list[str]) -> dict[str, str]:
    """Keep each work-tree file at these paths under a second, hidden name beside it: path -> that name."""
    kept: dict[str, str] = {}
    try:
        for rel in paths:
            path = root / rel
            if link_problem(root, rel, file_too=False) is None and os.path.lexists(path) and not path.is_dir():
                backup = keep_aside(path)
                if backup is not None:
                    kept[rel] = backup.name
    except BaseException:
        _drop(root, kept)
        raise
    return kept


def _drop(root: Path, kept: dict[str, str]) -> None:
    """Remove the files kept aside (a move finished, or a journal read back)."""
    for rel, name in kept.items():
        if _KEPT_NAME.fullmatch(str(name)) and link_problem(root, rel, file_too=False) is None:
            (root / rel).with_name(name).unlink(missing_ok=True)


def _undo(git_repo: git.Repo, plan: Move, changed: dict[str, DiffEntry]) -> bool:
    """HEAD, the index and the work tree back as they were before the move. True if all of it is."""
    root = Path(git_repo.working_tree_dir or ".")
    try:
        if plan.new != plan.old and gitops.head_sha(git_repo) == plan.new:
            if plan.old:
                git_repo.git.update_ref("-m", "allytui: undo a sync", "HEAD", plan.old, plan.new)
            else:
                git_repo.git.update_ref("-d", "HEAD", plan.new)
        _index_back(git_repo, plan.old, sorted(set(changed) | set(plan.put_back)))
        for rel in sorted(set(changed) | set(plan.put_back)):
            if link_problem(root, rel, file_too=False) is not None:
                continue
            path = root / rel
            if rel in plan.kept:
                rename_back(path, path.with_name(plan.kept[rel]))
            elif os.path.lexists(path) and not path.is_dir():  # the move made it: there was no file here
                path.unlink()
    except (git.GitCommandError, OSError):
        return False
    return True


def _index_back(git_repo: git.Repo, old: str | None, paths: list[str]) -> None:
    """Index entries of these paths as commit old has them, writing the index only if one differs."""
    if not paths:
        return
    literal = {"GIT_LITERAL_PATHSPECS": "1"}
    differ = str(
        git_repo.git.diff_index("--cached", "--name-only", "-z", old or EMPTY_TREE, "--", *paths, env=literal)
    ).split("\0")
    differ = [rel for rel in differ if rel]
    if not differ:
        return
    if old:
        git_repo.git.reset("-q", old, "--", *differ, env=literal)
    else:
        git_repo.git.update_index("--force-remove", "--", *differ)


def finish_interrupted_move(git_repo: git.Repo) -> bool:
    """Finish a move a killed process left half done (see the module docstring). True if there was one."""
    journal = journal_path(git_repo)
    try:
        data = json.loads(journal.read_bytes())
        plan = Move(data["from"], data["to"], dict(data["put_back"]), dict(data.get("kept", {})))
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically, so never torn; unreadable means not ours
        return False
    if not all(_is_commit(git_repo, sha) for sha in (plan.old, plan.new) if sha is not None):
        journal.unlink(missing_ok=True)  # names commits this repo does not have: not ours to finish
        return False
    try:
        _finish(git_repo, plan, journal)
    except git.GitCommandError as error:
        text = str(error.stderr or "").strip().strip("'").removeprefix("stderr:").strip()
        first = text.splitlines()[0].removeprefix("fatal: ").removeprefix("error: ") if text else error.status
        raise GitFailed(
            f"a sync that stopped part way could not be finished ({first}); nothing is lost: "
            "once that is sorted out, run the command again"
        ) from None
    return True


def _finish(git_repo: git.Repo, plan: Move, journal: Path) -> None:
    with gitops.repo_lock(git_repo):
        head = gitops.head_sha(git_repo)
        if head == plan.old:
            _force(git_repo, plan.old, plan.new)
            old = plan.old or gitops.ZERO_SHA
            git_repo.git.update_ref("-m", "allytui: finish an interrupted sync", "HEAD", plan.new, old)
            head = plan.new
        if head == plan.new:  # an undo that stopped part way may have put some old files back
            _force(git_repo, plan.old, plan.new)
            _put_back(git_repo, plan.put_back)
        _drop(Path(git_repo.working_tree_dir or "."), plan.kept)
        journal.unlink(missing_ok=True)  # HEAD moved elsewhere by hand: nothing of ours left to finish


def _is_commit(git_repo: git.Repo, sha: object) -> bool:
    if not isinstance(sha, str) or len(sha) != 40:
        return False
    found = git_repo.git.cat_file("-t", sha, with_exceptions=False)
    return str(found).strip() == "commit"


def _force(git_repo: git.Repo, old: str | None, new: str) -> None:
    """Index and work tree to new for every path that differs from old, whatever state a kill left them in.

    A work-tree file that is neither old's nor new's version was edited after the kill: it is left as is.
    """
    root = Path(git_repo.working_tree_dir or ".")
    entries = diff_entries(git_repo, old, new)
    blobs = gitops.read_blobs(git_repo, {sha for e in entries.values() for sha in (e.old_sha, e.new_sha) if sha})
    lines = []
    for rel, entry in entries.items():
        wanted = blobs.get(entry.new_sha) if entry.new_sha else None
        before = blobs.get(entry.old_sha) if entry.old_sha else None
        if _current(root / rel) in (before, wanted):
            _write(root, rel, wanted)
        lines.append(f"{entry.new_mode} {entry.new_sha}\t{rel}" if entry.new_sha else f"0 {gitops.ZERO_SHA}\t{rel}")
    if lines:
        gitops.run_with_input(git_repo, ["update-index", "--index-info"], ("\n".join(lines) + "\n").encode())
    git_repo.git.update_index("-q", "--refresh", with_exceptions=False)


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
    if _current(path) == data:  # already so: no write, which a full disk might refuse
        return
    if data is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, data)


def _reset(git_repo: git.Repo, old: str, paths: list[str]) -> None:
    """Work tree and index of these paths as commit old has them (absent there: removed)."""
    root = Path(git_repo.working_tree_dir or ".")
    blobs = gitops.read_blobs(git_repo, [f"{old}:{rel}" for rel in paths])
    for rel in paths:
        _write(root, rel, blobs.get(f"{old}:{rel}"))
    git_repo.git.reset("-q", old, "--", *paths, with_exceptions=False)


def _put_back(git_repo: git.Repo, put_back: dict[str, str | None]) -> None:
    """Write these blobs into the work tree (not the index): uncommitted hand edits, as they were."""
    if not put_back:
        return
    root = Path(git_repo.working_tree_dir or ".")
    blobs = gitops.read_blobs(git_repo, {sha for sha in put_back.values() if sha})
    for rel, sha in put_back.items():
        _write(root, rel, blobs.get(sha) if sha else None)
