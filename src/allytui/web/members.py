"""Who may open a data repo in a browser: one-time login links and sessions, kept as hashes in the config dir."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from allytui.store.atomic import write_atomic
from allytui.store.codec import ParseError, dump, parse
from allytui.store.errors import AllytuiError
from allytui.store.loader import read_file

MEMBERS_FILE = "web-members.toml"
LINK_LIFETIME = dt.timedelta(days=7)
"""How long a login link can wait to be used."""
SESSION_LIFETIME = dt.timedelta(days=30)
"""How long a browser stays logged in before its member needs a new link."""

_HEADER = (
    "# Members who may use allytui in a browser (allytui serve). Written by allytui serve --add-member and\n"
    "# --remove-member; it holds only hashes of login links and sessions, never the links themselves.\n"
)


def members_path() -> Path:
    """The members file, beside config.toml in the member's config directory (never in the data repo)."""
    return Path(platformdirs.user_config_dir("allytui", appauthor=False)) / MEMBERS_FILE


def digest(secret: str) -> str:
    """What is stored for a secret: its SHA-256 (enough for 256 random bits; nothing to guess or stretch)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Member:
    """A person record allowed in, the identity their commits carry, their pending link and live sessions."""

    id: str
    name: str
    email: str
    link: str = ""
    """The hash of the login link not yet used ("" once used)."""
    link_expires: dt.datetime | None = None
    sessions: dict[str, dt.datetime] = field(default_factory=dict)
    """Each logged-in browser's session hash and when it expires."""

    def has_session(self, session_hash: str, at: dt.datetime) -> bool:
        expires = self.sessions.get(session_hash)
        return expires is not None and at < expires

    def link_is(self, link_hash: str, at: dt.datetime) -> bool:
        usable = bool(self.link) and self.link_expires is not None and at < self.link_expires
        return usable and hmac.compare_digest(self.link, link_hash)


def _member(member_id: str, data: dict[str, Any]) -> Member:
    sessions = data.get("sessions", {})
    return Member(
        id=member_id,
        name=str(data.get("name", "")),
        email=str(data.get("email", "")),
        link=str(data.get("link", "")),
        link_expires=data.get("link_expires") if isinstance(data.get("link_expires"), dt.datetime) else None,
        sessions={str(key): value for key, value in sessions.items() if isinstance(value, dt.datetime)}
        if isinstance(sessions, dict)
        else {},
    )


def _data(member: Member) -> dict[str, Any]:
    data: dict[str, Any] = {"name": member.name, "email": member.email, "link": member.link}
    if member.link_expires is not None:
        data["link_expires"] = member.link_expires
    data["sessions"] = dict(member.sessions)
    return data


class MembersFile:
    """The members of one data repo in the members file, which may list several repos (each by its path)."""

    def __init__(self, repo_root: Path, path: Path | None = None) -> None:
        self.repo = str(repo_root.resolve())
        self.path = path or members_path()

    def stamp(self) -> tuple[int, int, int] | None:
        """What changes when the file is replaced (inode, size, mtime); None when there is none."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def _read_all(self) -> dict[str, Any]:
        try:
            raw = read_file(self.path)
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise AllytuiError(f"{self.path}: cannot read it ({error.strerror})") from None
        try:
            return parse(raw)
        except ParseError as error:
            raise AllytuiError(f"{self.path}: {error.message}") from None

    def _repo_table(self, data: dict[str, Any]) -> dict[str, Any]:
        repos = data.get("repos", {})
        table = repos.get(self.repo, {}) if isinstance(repos, dict) else {}
        members = table.get("members", {}) if isinstance(table, dict) else {}
        return members if isinstance(members, dict) else {}

    def read(self) -> dict[str, Member]:
        """This repo's members by person id."""
        return {
            key: _member(key, value)
            for key, value in self._repo_table(self._read_all()).items()
            if isinstance(value, dict)
        }

    @contextmanager
    def _changing(self) -> Iterator[dict[str, Member]]:
        """This repo's members to change in place, written back (0600, atomically) under a lock when done."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = os.open(self.path.with_name(f".{self.path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._read_all()
            members = {
                key: _member(key, value) for key, value in self._repo_table(data).items() if isinstance(value, dict)
            }
            yield members
            repos = data.setdefault("repos", {})
            repos[self.repo] = {"members": {key: _data(member) for key, member in sorted(members.items())}}
            write_atomic(self.path, (_HEADER + dump(data)).encode("utf-8"), private=True)
            os.chmod(self.path, 0o600)
        finally:
            os.close(lock)

    def add(self, member_id: str, name: str, email: str) -> str:
        """Let member_id in (again): a new one-time login token, of which only the hash is kept. Their
        earlier link stops working; browsers already logged in stay so."""
        token = secrets.token_urlsafe(32)
        with self._changing() as members:
            before = members.get(member_id)
            members[member_id] = Member(
                id=member_id,
                name=name,
                email=email,
                link=digest(token),
                link_expires=now() + LINK_LIFETIME,
                sessions=dict(before.sessions) if before else {},
            )
        return token

    def remove(self, member_id: str) -> bool:
        """Take member_id's access away, with every session; whether they were a member."""
        with self._changing() as members:
            return members.pop(member_id, None) is not None

    def use_link(self, token: str) -> tuple[Member, str] | None:
        """Spend a login token: the member it was for and a new session id, or None when it is unknown,
        used or out of date. A link works once."""
        wanted, at = digest(token), now()
        with self._changing() as members:
            for key, member in members.items():
                if member.link_is(wanted, at):
                    session = secrets.token_urlsafe(32)
                    live = {h: e for h, e in member.sessions.items() if at < e}
                    live[digest(session)] = at + SESSION_LIFETIME
                    members[key] = Member(member.id, member.name, member.email, "", None, live)
                    return members[key], session
        return None

    def end_session(self, session: str) -> None:
        """Log one browser out."""
        wanted = digest(session)
        with self._changing() as members:
            for key, member in members.items():
                if wanted in member.sessions:
                    sessions = {h: e for h, e in member.sessions.items() if h != wanted}
                    members[key] = Member(
                        member.id, member.name, member.email, member.link, member.link_expires, sessions
                    )


class Roster:
    """The members as the running server sees them: the file read again whenever it has changed."""

    def __init__(self, members: MembersFile) -> None:
        self.file = members
        self._stamp: tuple[int, int, int] | None = None
        self._members: dict[str, Member] = {}
        self._sessions: dict[str, str] = {}
        self.problem = ""
        self.refresh()

    def refresh(self) -> bool:
        """Read the file again if it changed; whether it did. A file that cannot be read lets nobody in."""
        stamp = self.file.stamp()
        if stamp == self._stamp and not self.problem:
            return False
        self._stamp = stamp
        try:
            self._members = self.file.read()
            self.problem = ""
        except AllytuiError as error:
            self._members, self.problem = {}, str(error)
        self._sessions = {h: m.id for m in self._members.values() for h in m.sessions}
        return True

    def member_for(self, session: str) -> Member | None:
        """The member a session id belongs to, while they are a member and it has not expired."""
        session_hash = digest(session)
        member = self._members.get(self._sessions.get(session_hash, ""))
        if member is None or not member.has_session(session_hash, now()):
            return None
        return member

    def link_for(self, token: str) -> Member | None:
        """The member a login token would let in (without spending it)."""
        wanted, at = digest(token), now()
        return next((m for m in self._members.values() if m.link_is(wanted, at)), None)
