"""`allytui publish URL`: share a data repo made with `allytui init` through an empty shared git repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import git

from allytui.store.repo import DataRepo
from allytui.sync.driver import Progress, SyncReport, current_branch, sync
from allytui.sync.remote import SyncError, check_remote_url, network, shown


@dataclass
class Published:
    """What publish did: the branch shared, and whether the shared repo's HEAD now names it."""

    url: str
    branch: str
    report: SyncReport
    head_set: bool


def local_bare_path(url: str) -> Path | None:
    """The folder of a shared repo on this machine (a path or file:// address), else None."""
    if url.startswith("file://"):
        path = Path(unquote(urlsplit(url).path))
    elif "://" in url or (":" in url.split("/", 1)[0] and not Path(url).exists()):
        return None  # ssh://, https://, or host:path (scp-like)
    else:
        path = Path(url).expanduser()
    return path if path.is_dir() else None


def _remote_url(g: git.Repo, remote: str) -> str | None:
    try:
        return str(g.git.remote("get-url", remote)).strip()
    except git.GitCommandError:
        return None


def _their_branches(g: git.Repo, remote: str) -> list[str]:
    lines = network(g, "ls-remote", "--heads", remote).splitlines()
    return [line.split("refs/heads/", 1)[1] for line in lines if "refs/heads/" in line]


def _refuse_other_data(g: git.Repo, remote: str, url: str, branch: str) -> None:
    """A shared repo that already holds another group's data must be cloned, not published over."""
    branches = _their_branches(g, remote)
    if not branches:
        return
    if branch in branches:
        network(g, "fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
        theirs = f"refs/remotes/{remote}/{branch}"
        if str(g.git.merge_base("HEAD", theirs, with_exceptions=False)).strip():
            return  # our own history, published before: publishing again is a sync
    raise SyncError(
        f"the shared repository at {shown(url)} already holds other data ({', '.join(sorted(branches))}); "
        f"to join it, clone it instead: allytui clone {shown(url)} FOLDER"
    )


def _set_upstream(g: git.Repo, remote: str, branch: str) -> None:
    """So that plain `git pull` and `git push` in this folder know where to go."""
    with g.config_writer() as config:
        config.set_value(f'branch "{branch}"', "remote", remote)
        config.set_value(f'branch "{branch}"', "merge", f"refs/heads/{branch}")


def _point_head(url: str, branch: str) -> bool:
    """Point a shared repo on this machine at our branch, so a plain `git clone` checks it out."""
    path = local_bare_path(url)
    if path is None:
        return False
    shared = git.Repo(path)
    if f"refs/heads/{branch}" not in {ref.path for ref in shared.references}:
        return False
    shared.git.symbolic_ref("HEAD", f"refs/heads/{branch}")
    return True


def publish(repo: DataRepo, url: str, remote: str = "origin", progress: Progress | None = None) -> Published:
    """Add the shared repo as remote, send everything to it, and set this branch to follow it.

    The shared repo must be empty or hold this repo's own history already (publishing again is a sync).
    A remote added here is taken away again when the first sync fails, so a typo can be corrected.
    """
    url = check_remote_url(url.strip())
    g = repo.git_repo
    branch = current_branch(g)
    existing = _remote_url(g, remote)
    if existing is not None and existing != url:
        raise SyncError(
            f"this data repo already shares through {shown(existing)} (remote {remote}); "
            f"sync with allytui sync, or remove it first: git remote remove {remote}"
        )
    if existing is None:
        g.git.remote("add", remote, url)
    try:
        _refuse_other_data(g, remote, url, branch)
        report = sync(repo, remote=remote, progress=progress)
    except BaseException:
        if existing is None:
            g.git.remote("remove", remote)
        raise
    _set_upstream(g, remote, branch)
    return Published(url, branch, report, _point_head(url, branch))
