"""Talking to the shared remote safely: which URLs are allowed, and git that never waits for a person."""

from __future__ import annotations

import re

import git

from allytui.store.errors import AllytuiError

NETWORK_TIMEOUT = 120  # seconds for one fetch or push
SAFE_ENV = {
    "GIT_TERMINAL_PROMPT": "0",  # never ask for a password on the terminal
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=20",  # nor for a passphrase or host key
    "GIT_ALLOW_PROTOCOL": "ssh:https:file",  # ext::, fd:: and friends can run commands
    "GCM_INTERACTIVE": "never",
}
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!/?/)[^\s]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class SyncError(AllytuiError):
    pass


class RemoteUnreachable(SyncError):
    pass


class PushRejected(SyncError):
    """Someone pushed first: fetch, merge and push again."""


class RemoteBranchMissing(SyncError):
    """The shared repo has no such branch yet (a new, empty shared repo)."""


def check_remote_url(url: str) -> str:
    """Accept ssh://, user@host:path, https:// and local paths; refuse anything that could run a command."""
    text = url.strip()
    if not text or text.startswith("-") or "::" in text or any(c in text for c in "\n\r\0"):
        raise SyncError("refusing this remote address: only ssh://, user@host:path, https:// and local paths")
    if text.startswith(("ssh://", "https://", "file://")) or _SCP_LIKE.match(text):
        return text
    if _SCHEME.match(text):
        raise SyncError("refusing this remote address: only ssh://, user@host:path, https:// and local paths")
    if ":" in text.split("/", 1)[0]:  # git would read host:path as ssh; ask for user@host:path instead
        raise SyncError("refusing this remote address: write it as user@host:path, ssh://host/path or a local path")
    return text  # a local path: a folder, a USB stick


def safe_git(repo: git.Repo) -> git.Git:
    repo.git.update_environment(**SAFE_ENV)
    return repo.git


def network(repo: git.Repo, *args: str) -> str:
    """Run a fetch or push: bounded in time, never prompting; failures become one clear message."""
    try:
        return str(safe_git(repo).execute(["git", *args], kill_after_timeout=NETWORK_TIMEOUT))
    except git.GitCommandError as error:
        raise explain(error) from None


def explain(error: git.GitCommandError) -> SyncError:
    text = str(error.stderr or "").lower()
    if "[rejected]" in text or "fetch first" in text or "non-fast-forward" in text:
        return PushRejected("someone pushed first")
    if "couldn't find remote ref" in text:
        return RemoteBranchMissing("the shared repository has no such branch yet")
    unreachable = (
        "could not resolve",
        "unable to access",
        "connection refused",
        "connection timed out",
        "network is unreachable",
        "could not read from remote",
        "does not appear to be a git repository",
        "permission denied",
        "host key verification failed",
        "no route to host",
        "timed out",
        "killed",
    )
    if any(phrase in text for phrase in unreachable) or error.status == -9:
        return RemoteUnreachable(
            "the shared repository cannot be reached (offline, a wrong address, or no access with your ssh key); "
            "your commits stay here and go with the next sync"
        )
    first = str(error.stderr or "").strip().strip("'").splitlines()
    return SyncError(f"git failed: {first[-1] if first else error.status}")
