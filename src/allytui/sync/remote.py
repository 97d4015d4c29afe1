"""Talking to the shared remote safely: which URLs are allowed, and git that never waits for a person."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git

from allytui.store.errors import AllytuiError, DiskFull
from allytui.store.git import disk_full, no_hooks_env
from allytui.store.layout import SETTINGS_FILE

NETWORK_TIMEOUT = 120  # seconds for one fetch or push
CLONE_TIMEOUT = 600
CONNECT_TIMEOUT = 20  # seconds ssh waits for the server to answer
SSH_OPTIONS = f"-o BatchMode=yes -o ConnectTimeout={CONNECT_TIMEOUT}"  # never ask for a passphrase or host key
SAFE_ENV = {
    "GIT_TERMINAL_PROMPT": "0",  # never ask for a password on the terminal
    "GIT_ALLOW_PROTOCOL": "ssh:https:file",  # ext::, fd:: and friends can run commands
    "GCM_INTERACTIVE": "never",
}
ALLOWED = "only ssh://, user@host:path, host:path, https://, file:/// and local paths"
_NAME = r"[A-Za-z0-9_][A-Za-z0-9._-]*"  # a user or host name that cannot be read as an option
_HOST = rf"(?:{_NAME}@)?{_NAME}"
_SCP_LIKE = re.compile(rf"^{_HOST}:(?!-)(?!//)\S+$")
_SSH = re.compile(rf"^ssh://{_HOST}(?::\d+)?/\S*$")
_HTTPS = re.compile(r"^https://(?:[^@/\s]+@)?[A-Za-z0-9_][A-Za-z0-9._-]*(?::\d+)?(?:/\S*)?$")
_SSH_FIRST_WORD = re.compile(r"^(\s*(?:\S*/)?ssh(?:\.exe)?)(?=\s|$)")
_LOCK = re.compile(r"Unable to create '([^']+\.lock)': File exists")
_REMOTE_REJECTED = re.compile(r"\[remote rejected\][^(\n]*\(([^)\n]*)\)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_USERINFO = re.compile(r"(?<=://)[^@/\s]+@")


class SyncError(AllytuiError):
    pass


class RemoteUnreachable(SyncError):
    """Nothing could be sent or taken; local commits stay and go with the next sync."""


class HostKeyUnknown(RemoteUnreachable):
    """The ssh server's key is not in known_hosts yet."""


class HostKeyChanged(RemoteUnreachable):
    """The ssh server's key differs from the remembered one: possibly an attack."""


class AccessRefused(RemoteUnreachable):
    """The server refused this person's key or password."""


class StaleLock(RemoteUnreachable):
    """An interrupted git left a .lock file that blocks every later write."""


class NoRoomHere(SyncError, DiskFull):
    """This computer's disk filled up while git fetched or cloned: nothing was taken."""


class NoRoomThere(RemoteUnreachable):
    """The shared repository's disk is full: nothing was sent; local commits go with the next sync."""


class PushRejected(SyncError):
    """Someone pushed first: fetch, merge and push again."""


class RemoteBranchMissing(SyncError):
    """The shared repo has no such branch yet (a new, empty shared repo)."""


def check_remote_url(url: str) -> str:
    """Accept ssh://, [user@]host:path, https://, file:/// and local paths; refuse anything that could run a command."""
    text = url.strip()
    if not text or text.startswith("-") or "::" in text or _CONTROL.search(text):
        raise SyncError(f"refusing this remote address: {ALLOWED}")
    if _SSH.match(text) or _HTTPS.match(text) or text.startswith("file:///") or _SCP_LIKE.match(text):
        return text
    if ":" in text.split("/", 1)[0]:  # git would read this as host:path or a transport; neither is safe here
        raise SyncError(f"refusing this remote address: {ALLOWED}")
    return text  # a local path: a folder, a USB stick


def shown(url: str) -> str:
    """A remote address fit for a message: no user name or password, no control characters."""
    text = _USERINFO.sub("", url.strip())
    if _SCP_LIKE.match(text):
        text = re.sub(rf"^{_NAME}@", "", text)
    return _CONTROL.sub("?", text)


@dataclass(frozen=True)
class Address:
    """Where a remote is, as far as messages need it."""

    url: str
    host: str = ""  # empty for a local path
    port: str = ""

    @property
    def local(self) -> bool:
        return not self.host

    @property
    def ssh(self) -> bool:
        return bool(self.host) and not self.url.startswith("https://")

    def ssh_login(self) -> str:
        """The command that connects once to the server, to see and accept its key."""
        return f"ssh -p {self.port} {self.host}" if self.port else f"ssh {self.host}"


def address(url: str) -> Address:
    text = url.strip()
    found = re.match(r"^(?:ssh|https)://(?:[^@/]+@)?([^/:]+)(?::(\d+))?", text)
    if found:
        return Address(text, found.group(1), found.group(2) or "")
    found = re.match(rf"^(?:{_NAME}@)?({_NAME}):", text)
    if found and _SCP_LIKE.match(text):
        return Address(text, found.group(1))
    return Address(text)


def ssh_command(configured: str = "") -> str:
    """The person's own ssh command (GIT_SSH_COMMAND, core.sshCommand, GIT_SSH or ssh), never prompting."""
    command = os.environ.get("GIT_SSH_COMMAND", "").strip() or configured.strip()
    if not command:
        program = os.environ.get("GIT_SSH", "").strip()
        command = _shell_quote(program) if program else "ssh"
    # ssh takes the first value it sees for an option: put ours right after the program when it is ssh
    wrapped, found = _SSH_FIRST_WORD.subn(lambda m: f"{m.group(1)} {SSH_OPTIONS}", command, count=1)
    return wrapped if found else f"{command} {SSH_OPTIONS}"


def _shell_quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def _configured_ssh(git_repo: git.Repo | None) -> str:
    if git_repo is not None:
        return str(git_repo.git.config("--get", "core.sshCommand", with_exceptions=False)).strip()
    for scope in ("--global", "--system"):  # git clone reads no repo's config
        value = str(git.Git().config(scope, "--get", "core.sshCommand", with_exceptions=False)).strip()
        if value:
            return value
    return ""


def remote_env(git_repo: git.Repo | None = None) -> dict[str, str]:
    """The environment for any git command that talks to a remote."""
    return {**SAFE_ENV, "GIT_SSH_COMMAND": ssh_command(_configured_ssh(git_repo))}


def safe_git(git_repo: git.Repo) -> git.Git:
    git_repo.git.update_environment(**remote_env(git_repo))
    return git_repo.git


def check_remote(git_repo: git.Repo, name: str) -> tuple[list[str], list[str]]:
    """Check every address git would use for this remote, as rewritten by insteadOf and pushInsteadOf.

    Returns the fetch and the push addresses.
    """
    fetch = _lines(git_repo.git.remote("get-url", "--all", name, with_exceptions=False))
    if not fetch:
        raise SyncError(f"no remote called {name}; add one with: git remote add {name} ADDRESS")
    push = _lines(git_repo.git.remote("get-url", "--push", "--all", name, with_exceptions=False)) or fetch
    for url in fetch + push:
        check_remote_url(url)
    for key in ("uploadpack", "receivepack", "vcs"):  # each names a program git would run
        if str(git_repo.git.config("--get", f"remote.{name}.{key}", with_exceptions=False)).strip():
            raise SyncError(f"refusing to sync: the git setting remote.{name}.{key} runs another program")
    return fetch, push


def _lines(output: object) -> list[str]:
    return [line.strip() for line in str(output).splitlines() if line.strip()]


def network(git_repo: git.Repo, *args: str) -> str:
    """Run a fetch or push: bounded in time, never prompting; failures become one clear message."""
    name = next((arg for arg in args[1:] if not arg.startswith("-")), "origin")
    fetch, push = check_remote(git_repo, name)
    urls = push if args[0] == "push" else fetch
    url = urls[0]
    if args[0] == "push" and all(address(each).local for each in urls):
        # a shared folder's own hooks would run here, as this person: anyone who can write there could plant one
        args = ("push", f"--receive-pack=git -c core.hooksPath={os.devnull} receive-pack", *args[1:])
    try:
        return str(safe_git(git_repo).execute(["git", *args], kill_after_timeout=NETWORK_TIMEOUT))
    except git.GitCommandError as error:
        raise explain(error, url, local_git_dir=Path(git_repo.git_dir)) from None


def clone_into(url: str, path: Path) -> None:
    """git clone, bounded in time and never prompting."""
    rewritten = _rewritten(url)
    if rewritten != url.strip():
        check_remote_url(rewritten)
    env = {**os.environ, **remote_env()}
    env.pop("GIT_DIR", None)
    env.update(no_hooks_env(env))  # a template's or core.hooksPath's post-checkout must not run
    command = ["git", "clone", "--quiet", "--no-recurse-submodules", "--", url.strip(), str(path)]
    try:
        git.Git().execute(command, env=env, kill_after_timeout=CLONE_TIMEOUT)
    except git.GitCommandError as error:
        raise explain(error, url, cloning=True) from None


def check_cloned(path: Path, url: str) -> None:
    """Check a new clone holds allytui data, first checking out the shared branch if the shared repo's HEAD
    names a branch it does not have (a bare repo made with `git init --bare` says master; allytui pushes main)."""
    g = git.Git(path)
    g.update_environment(**no_hooks_env())
    if not _has_head(g):
        branches = _lines(g.execute(["git", "for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/"]))
        branches = [name for name in branches if name != "HEAD"]
        chosen = next((name for name in ("main", "master") if name in branches), branches[0] if branches else None)
        if chosen is not None:
            g.execute(["git", "checkout", "-q", "-B", chosen, "--track", f"origin/{chosen}"])
    if (path / SETTINGS_FILE).is_file():
        return
    if not _has_head(g):
        raise SyncError(
            f"the shared repository at {shown(url)} is empty: the first member shares their data repo into it "
            f"(allytui init, then allytui publish {shown(url)}); then clone again"
        )
    raise SyncError(f"{shown(url)} is a git repository but not allytui data (it has no {SETTINGS_FILE})")


def _has_head(g: git.Git) -> bool:
    return bool(str(g.execute(["git", "rev-parse", "-q", "--verify", "HEAD"], with_exceptions=False)).strip())


def _rewritten(url: str) -> str:
    """The address after url.*.insteadOf in the person's own git configuration, as git clone would use it."""
    with tempfile.TemporaryDirectory() as outside:  # outside every repository: clone reads no repo's config
        env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(Path(outside).parent)}
        env.pop("GIT_DIR", None)
        result = git.Git(outside).execute(
            ["git", "ls-remote", "--get-url", url], env=env, with_exceptions=False, strip_newline_in_stdout=True
        )
    return str(result).strip() or url.strip()


@contextlib.contextmanager
def removed_on_failure(path: Path) -> Iterator[None]:
    """Take away what a failed clone made: the folders it created, or the new contents of an empty one."""
    top = path
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    existed = path.exists()
    try:
        yield
    except BaseException:
        if not existed:
            shutil.rmtree(top, ignore_errors=True)
        elif path.is_dir():
            for child in path.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise


def explain(
    error: git.GitCommandError, url: str = "", *, cloning: bool = False, local_git_dir: Path | None = None
) -> SyncError:
    """One clear line for a failed fetch, push or clone: what went wrong and what the person can do."""
    text = _CONTROL.sub(" ", str(error.stderr or "").replace("\r", ""))
    lower = text.lower()
    where = address(url)
    after = "nothing was cloned" if cloning else "your commits stay here and go with the next sync"
    if "[rejected]" in lower or "fetch first" in lower or "non-fast-forward" in lower:
        return PushRejected("someone pushed first")
    if "couldn't find remote ref" in lower:
        return RemoteBranchMissing("the shared repository has no such branch yet")
    lock = _LOCK.search(text)
    if lock:
        return _stale_lock(Path(os.path.normpath(lock.group(1))), where, local_git_dir)
    if disk_full(error, local_git_dir):
        return _no_room(error, url, cloning)
    found = _ssh_failure(lower, where, after)
    if found is not None:
        return found
    rejected = _REMOTE_REJECTED.search(text)
    if rejected:
        return SyncError(f"the shared repository at {shown(url)} refused the push ({rejected.group(1).strip()})")
    if "transport '" in lower and "not allowed" in lower:
        return SyncError(f"refusing this remote address: {ALLOWED}")
    return _unreachable(error, text, url, after)


def _no_room(error: git.GitCommandError, url: str, cloning: bool) -> SyncError:
    """A full disk: this computer's when fetching or cloning, the shared repository's when pushing."""
    pushing = "push" in (error.command if isinstance(error.command, list) else [error.command])
    if pushing:
        return NoRoomThere(
            f"the disk of the shared repository at {shown(url)} is full, so nothing was sent; your commits stay "
            "here and go with the next sync, once whoever looks after it frees some space"
        )
    if cloning:
        return NoRoomHere("nothing was cloned", what="the shared repository could not be cloned")
    return NoRoomHere("nothing was taken; your commits stay here", what="others' changes could not be fetched")


def _ssh_failure(lower: str, where: Address, after: str) -> RemoteUnreachable | None:
    host = where.host
    if "remote host identification has changed" in lower or re.search(r"host key for \S+ has changed", lower):
        return HostKeyChanged(
            f"WARNING: the server {host} did not show the key this computer knows it by. Someone may be "
            "intercepting the connection (a man-in-the-middle attack), or the server was reinstalled. "
            f"Nothing was sent or taken. Do not connect until whoever runs {host} confirms, in person or by "
            f"phone, that its key changed; only then remove the old key with: ssh-keygen -R {_known_as(lower, where)}"
        )
    if "host key verification failed" in lower or "host key is known for" in lower:
        return HostKeyUnknown(
            f"this computer does not know the server {host} yet, so allytui did not connect. Ask whoever runs "
            f"it for its key fingerprint, then run `{where.ssh_login()}` once in a terminal: it shows the "
            "server's fingerprint; answer yes only if it matches (then type exit), and try again"
        )
    if re.search(r"permission denied \((publickey|password|keyboard|gssapi|hostbased)", lower):
        return AccessRefused(
            f"the server {host} refused your ssh key (permission denied). Check that your public key was added "
            f"for this repository, and that a key with a passphrase is loaded with ssh-add (allytui cannot ask "
            f"for passphrases); {after}"
        )
    if "connection refused" in lower or "couldn't connect to server" in lower:
        port = f"port {where.port}" if where.port else "the ssh port" if where.ssh else "the https port"
        return RemoteUnreachable(
            f"the server {host or shown(where.url)} refused the connection on {port}: it is down, or the address "
            f"or port is wrong; {after}"
        )
    if "timed out" in lower:
        return RemoteUnreachable(
            f"the server {host or 'of the shared repository'} did not answer within {CONNECT_TIMEOUT} seconds "
            f"(offline, a firewall, or a wrong address); {after}"
        )
    if "could not resolve hostname" in lower or "could not resolve host" in lower:
        return RemoteUnreachable(f"the server name {host} cannot be found (a typo, or no internet); {after}")
    if "kex_exchange_identification" in lower or "connection closed by" in lower or "connection reset" in lower:
        return RemoteUnreachable(
            f"the server {host} closed the connection before ssh could start (not an ssh server, or it does "
            f"not accept this computer); {after}"
        )
    return None


def _known_as(lower: str, where: Address) -> str:
    """The name ssh remembers the server by (its real address and port, not an alias), as ssh itself says."""
    said = re.search(r"-r \"(\[?[a-z0-9._:-]+\]?(?::\d+)?)\"", lower)
    if said:
        return f'"{said.group(1)}"'
    return f'"[{where.host}]:{where.port}"' if where.port else where.host


def _unreachable(error: git.GitCommandError, text: str, url: str, after: str) -> SyncError:
    lower, where = text.lower(), address(url)
    if "could not read username" in lower or "authentication failed" in lower:
        return AccessRefused(
            f"{where.host} asked for a user name and password, which allytui cannot type: set up a git "
            f"credential helper or use an ssh address; {after}"
        )
    if "ssl certificate" in lower or "server certificate verification failed" in lower:
        return HostKeyChanged(
            f"WARNING: the https certificate of {where.host} is not trusted: someone may be intercepting the "
            f"connection. Nothing was sent or taken; {after}"
        )
    if "did not complete in" in lower or error.status == -9:  # our own time limit killed git
        return RemoteUnreachable(f"the shared repository at {shown(url)} took too long to answer; {after}")
    missing = ("does not appear to be a git repository", "does not exist", "repository not found", "not found")
    if where.local and any(phrase in lower for phrase in missing):
        return RemoteUnreachable(
            f"the shared repository at {shown(url)} cannot be reached (a USB stick or network drive not "
            f"connected, or a wrong path); {after}"
        )
    if any(phrase in lower for phrase in missing):
        return RemoteUnreachable(f"there is no shared repository at {shown(url)}; check the address; {after}")
    if "insufficient permission" in lower or "permission denied" in lower:
        return AccessRefused(f"you may not write to the shared repository at {shown(url)}; {after}")
    offline = ("network is unreachable", "no route to host", "unable to access", "could not read from remote")
    if any(phrase in lower for phrase in offline):
        return RemoteUnreachable(
            f"the shared repository at {shown(url)} cannot be reached (offline, a wrong address, or no access); {after}"
        )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return SyncError(f"git failed: {_USERINFO.sub('', lines[-1]) if lines else error.status}")


def _stale_lock(lock: Path, where: Address, local_git_dir: Path | None) -> StaleLock:
    if local_git_dir is not None and lock.is_relative_to(local_git_dir.resolve()):
        return StaleLock(
            f"this data repo has a stale lock file {lock} left by an interrupted git or sync; if no sync or git is "
            "running on it right now, delete it and try again"
        )
    if where.local:
        return StaleLock(
            f"the shared repo at {shown(where.url)} has a stale lock file {lock} left by an interrupted push; "
            "if no one is syncing right now, delete it and sync again"
        )
    return StaleLock(
        f"the shared repository on {where.host} has a stale lock file {lock} left by an interrupted push; ask "
        "whoever runs the server to delete it if no one is syncing right now"
    )
