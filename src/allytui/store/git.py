"""Committing exactly the files a change touched, with git plumbing through GitPython's `git_repo.git`.

A save builds the new tree from HEAD's trees and the changed blobs (hash-object, mktree,
commit-tree, update-ref), so nothing else staged or edited in the work tree can be swept into the
commit, no hook runs, and the cost grows with the folders touched, not with the whole repo.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

import git
from git.objects import Tree
from git.refs.symbolic import SymbolicReference

from allytui.store.errors import DiskFull, GitFailed, IdentityMissing

ZERO_SHA = "0" * 40
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str


def no_hooks_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Variables that make every git command run with an empty hooks path, so no hook of any kind runs
    (reference-transaction and post-index-change run even for plumbing), from .git/hooks or core.hooksPath.

    Added after any GIT_CONFIG_KEY_n the environment already holds, so those still apply.
    """
    environ = os.environ if environ is None else environ
    try:
        count = max(int(environ.get("GIT_CONFIG_COUNT", "0")), 0)
    except ValueError:
        count = 0
    return {
        "GIT_CONFIG_COUNT": str(count + 1),
        f"GIT_CONFIG_KEY_{count}": "core.hooksPath",
        f"GIT_CONFIG_VALUE_{count}": os.devnull,
    }


def open_git(root: Path) -> git.Repo:
    """The git repo at root, set up so that every git command allytui runs in it runs no hook,
    unless this clone opted in (`git config allytui.runHooks true`)."""
    git_repo = git.Repo(root)
    git_repo.git.update_environment(**GIT_ENV)
    if not runs_hooks(git_repo):
        git_repo.git.update_environment(**no_hooks_env())
    return git_repo


_IDENT_COMMAND = ["git", "-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT"]


def identity(git_repo: git.Repo) -> str:
    """The member's git identity ("Name <email>"), or IdentityMissing with how to set one.

    Asks git itself (config files and GIT_AUTHOR_* variables), refusing the guesses git would
    otherwise make from the machine's user and host names.
    """
    try:
        ident = str(git_repo.git.execute(_IDENT_COMMAND))
    except git.GitCommandError:
        raise IdentityMissing() from None
    return ident.rsplit(">", 1)[0] + ">"


def identity_for_new_repo() -> str:
    """The identity a repo not yet made would commit with (global config and GIT_AUTHOR_* only), or
    IdentityMissing: asked outside every repository, so the folder we stand in does not answer."""
    with tempfile.TemporaryDirectory() as outside:
        env = {**os.environ, **GIT_ENV, "GIT_CEILING_DIRECTORIES": str(Path(outside).parent)}
        env.pop("GIT_DIR", None)
        try:
            ident = str(git.Git(outside).execute(_IDENT_COMMAND, env=env))
        except git.GitCommandError:
            raise IdentityMissing() from None
    return ident.rsplit(">", 1)[0] + ">"


def _config(git_repo: git.Repo, key: str) -> str:
    try:
        return str(git_repo.git.config("--get", key)).strip()
    except git.GitCommandError:
        return ""


def runs_hooks(git_repo: git.Repo) -> bool:
    """Whether this clone opted in to running its hooks on app commits (`git config allytui.runHooks true`)."""
    return _config(git_repo, "allytui.runhooks").lower() in {"true", "yes", "on", "1"}


_held = threading.local()


@contextmanager
def repo_lock(git_repo: git.Repo) -> Iterator[None]:
    """One allytui writer at a time per clone, across processes and threads; re-entrant in one thread."""
    lock_path = str(Path(git_repo.git_dir) / "allytui.lock")
    depth = getattr(_held, lock_path, 0)
    if depth:
        setattr(_held, lock_path, depth + 1)
        try:
            yield
        finally:
            setattr(_held, lock_path, depth)
        return
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        setattr(_held, lock_path, 1)
        try:
            yield
        finally:
            setattr(_held, lock_path, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def head_sha(git_repo: git.Repo) -> str | None:
    """HEAD's commit id, read from the refs without starting git; None on a branch with no commits.

    Only the ref files are read: `head.commit` would also ask GitPython's one long-running `git cat-file`
    about the object, and two threads asking it at once (the app's workers) wait on each other forever."""
    try:
        return str(SymbolicReference.dereference_recursive(git_repo, "HEAD"))
    except ValueError:
        return None


def _tree_at(git_repo: git.Repo, head: str | None, folder: str) -> Tree | None:
    if head is None:
        return None
    try:
        tree = git_repo.commit(head).tree
        return tree.join(folder) if folder else tree
    except KeyError:
        return None


def committed_bytes(git_repo: git.Repo, rel: str) -> bytes | None:
    """A file's exact bytes at HEAD, or None when HEAD does not have it (read through git's object store)."""
    head = head_sha(git_repo)
    if head is None:
        return None
    try:
        blob = git_repo.commit(head).tree.join(rel)
    except KeyError:
        return None
    return bytes(blob.data_stream.read())


def _stdin(data: bytes) -> tempfile._TemporaryFileWrapper[bytes]:
    handle = tempfile.NamedTemporaryFile()  # noqa: SIM115 - the caller closes it
    handle.write(data)
    handle.flush()
    handle.seek(0)
    return handle


_TYPE_OF_MODE = {0o40000: "tree", 0o160000: "commit"}


def run_with_input(git_repo: git.Repo, args: list[str], data: bytes) -> bytes:
    """Run a git command with data on its standard input; its output as bytes."""
    with _stdin(data) as stdin:
        source = cast("BinaryIO", stdin)  # a named temporary file is a binary file; its wrapper type is not
        out = git_repo.git.execute(
            ["git", *args], istream=source, stdout_as_string=False, strip_newline_in_stdout=False
        )
    return bytes(out)


def read_blobs(git_repo: git.Repo, names: Iterable[str]) -> dict[str, bytes | None]:
    """The bytes of many blobs (ids, or `rev:path` names) from one `git cat-file --batch`.

    None where an object is missing or is not a blob.
    """
    wanted = sorted(set(names))
    found: dict[str, bytes | None] = dict.fromkeys(wanted)
    if not wanted:
        return found
    out = run_with_input(git_repo, ["cat-file", "--batch"], ("\n".join(wanted) + "\n").encode())
    position = 0
    for name in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or not header[-1].isdigit():  # "<name> missing", "<name> ambiguous"
            continue
        size = int(header[-1])
        if header[-2] == b"blob":
            found[name] = out[position : position + size]
        position += size + 1
    return found


def _tree_entries(git_repo: git.Repo, head: str | None, folder: str) -> dict[str, bytes]:
    """name -> mktree line (mode type sha\tname) for the entries of folder at head."""
    tree = _tree_at(git_repo, head, folder)
    if tree is None:
        return {}
    # the raw (sha, mode, name) entries: no object per entry, which matters in a folder of thousands
    return {
        name: f"{mode:06o} {_TYPE_OF_MODE.get(mode, 'blob')} {binsha.hex()}\t{name}".encode()
        for binsha, mode, name in tree._cache
    }


def write_tree(git_repo: git.Repo, head: str | None, folder: str, changes: Mapping[str, str | None]) -> str | None:
    """Write the tree for folder with changes (path -> blob sha, or None to delete); None if empty."""
    entries = _tree_entries(git_repo, head, folder)
    prefix = f"{folder}/" if folder else ""
    direct: dict[str, str | None] = {}
    nested: dict[str, dict[str, str | None]] = {}
    for path, blob in changes.items():
        rest = path[len(prefix) :]
        if "/" in rest:
            child = rest.split("/", 1)[0]
            nested.setdefault(child, {})[path] = blob
        else:
            direct[rest] = blob
    for name, blob in direct.items():
        if blob is None:
            entries.pop(name, None)
        else:
            entries[name] = f"100644 blob {blob}\t{name}".encode()
    for child, child_changes in nested.items():
        tree = write_tree(git_repo, head, prefix + child, child_changes)
        if tree is None:
            entries.pop(child, None)
        else:
            entries[child] = f"040000 tree {tree}\t{child}".encode()
    if not entries and folder:
        return None
    with _stdin(b"\0".join(entries.values()) + (b"\0" if entries else b"")) as stdin:
        return str(git_repo.git.mktree("-z", istream=stdin)).strip()


def commit_paths(git_repo: git.Repo, paths: list[str], message: str, *, run_hooks: bool = False) -> Commit:
    """Commit the working-tree state of exactly these repo-relative paths (missing = deleted).

    The caller has checked the identity (before writing any file) and whether hooks should run.
    """
    if run_hooks:
        return _commit_with_porcelain(git_repo, paths, message)
    try:
        sha, blobs = _record_commit(git_repo, paths, message)
    except (git.GitCommandError, OSError) as error:  # OSError: the temporary files that feed git
        if disk_full(error):
            raise DiskFull() from None
        detail = _first_line(error) if isinstance(error, git.GitCommandError) else error.strerror
        raise GitFailed(f"git could not record the commit: {detail}") from None
    # The commit is made: a full disk refusing the index update must not undo it (git status then lists
    # the paths as changed, until their next save or sync brings the index up to date).
    with contextlib.suppress(git.GitCommandError, OSError):
        _sync_index(git_repo, blobs)
    return Commit(sha, message)


def _record_commit(git_repo: git.Repo, paths: list[str], message: str) -> tuple[str, dict[str, str | None]]:
    """Write the blobs, trees and commit for paths and move HEAD to it: (commit id, path -> blob id)."""
    root = Path(git_repo.working_tree_dir or ".")
    present = [p for p in paths if (root / p).is_file()]
    blobs: dict[str, str | None] = dict.fromkeys(paths)
    if present:
        shas = str(git_repo.git.hash_object("-w", "--", *present)).split()
        blobs.update(zip(present, shas, strict=True))
    head = head_sha(git_repo)
    tree = write_tree(git_repo, head, "", blobs)
    assert tree is not None  # the root tree is written even when empty
    parents = ["-p", head] if head else []
    sha = str(git_repo.git.commit_tree(tree, *parents, "-m", message)).strip()
    git_repo.git.update_ref("-m", "allytui: commit", "HEAD", sha, head or ZERO_SHA)
    return sha, blobs


_FULL = ("No space left on device", "Disk quota exceeded", "Out of diskspace")
_WRITE_FAILED = ("unable to write", "couldn't write", "write error")  # git's words when a write came up short
NEARLY_FULL = 1 << 20  # bytes: less room than this left on a disk counts as full


def disk_full(error: BaseException, where: Path | None = None) -> bool:
    """Whether a failure was the disk filling up: an OSError saying so, or git saying so.

    Some of git's messages only say a write failed ("unable to write file", "couldn't write ref.lock");
    given where git was writing, the disk there is then asked how much room is left.
    """
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    if not isinstance(error, git.GitCommandError):
        return False
    said = str(error.stderr)
    if any(text in said for text in _FULL):
        return True
    if where is None or not any(text in said.lower() for text in _WRITE_FAILED):
        return False
    try:
        disk = os.statvfs(where)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < NEARLY_FULL


def _sync_index(git_repo: git.Repo, blobs: Mapping[str, str | None]) -> None:
    """Make the real index agree with the new commit for these paths, so `git status` stays clean."""
    lines = [f"100644 {blob}\t{path}" if blob else f"0 {ZERO_SHA}\t{path}" for path, blob in blobs.items()]
    with _stdin(("\n".join(lines) + "\n").encode()) as stdin:
        git_repo.git.update_index("--index-info", istream=stdin)


def _commit_with_porcelain(git_repo: git.Repo, paths: list[str], message: str) -> Commit:
    try:
        git_repo.git.add("-A", "--", *paths)
        git_repo.git.commit("--only", "-m", message, "--", *paths)
    except git.GitCommandError as error:
        if disk_full(error):
            raise DiskFull() from None
        raise GitFailed(f"git commit failed (a hook may have refused it): {_first_line(error)}") from None
    return Commit(str(git_repo.head.commit.hexsha), message)


def _first_line(error: git.GitCommandError) -> str:
    text = str(error.stderr or "").strip().strip("'").removeprefix("stderr:").strip()
    return text.splitlines()[0] if text else f"exit {error.status}"


def changed_paths(git_repo: git.Repo) -> list[str]:
    """Repo-relative paths with uncommitted changes (modified, added, deleted or untracked)."""
    out = git_repo.git.status("--porcelain=v1", "-z", "--untracked-files=all")
    paths = []
    items = str(out).split("\0")
    skip = False
    for item in items:
        if skip:
            skip = False
            continue
        if len(item) > 3:
            paths.append(item[3:])
            skip = item[0] in "RC"  # a rename's source path follows
    return sorted(str(PurePosixPath(p)) for p in paths)


def reset_index_path(git_repo: git.Repo, rel: str) -> None:
    """Unstage whatever the index holds for rel, back to HEAD's version (or nothing)."""
    git_repo.git.reset("-q", "--", rel, with_exceptions=False)
