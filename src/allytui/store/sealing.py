"""Sealing and opening field values with age (pyrage): the member's identity, the team's recipients, and records.

A value is sealed as the JSON of its plain value (a string, or a contact table), encrypted to every
member's recipient and kept as ASCII armor. Nothing here writes plain text anywhere, and no error
message repeats a value, sealed or plain.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import pyrage
from pyrage import ssh, x25519

from allytui.model.conflicts import other_value
from allytui.model.records import FieldConflict, Kind, Person, Record, SealedSettings
from allytui.model.sealed import SEALED_NOTE, Sealed, looks_sealed
from allytui.model.validation import Problem, build_record
from allytui.store.codec import ParseError, record_data
from allytui.store.errors import AllytuiError, InvalidRecord
from allytui.store.layout import path_of
from allytui.store.loader import load_record, read_file
from allytui.store.location import IDENTITY_ENV, enclosing_repo, identity_path

Identity: TypeAlias = x25519.Identity | ssh.Identity
Recipient: TypeAlias = x25519.Recipient | ssh.Recipient
_SSH_PRIVATE = b"-----BEGIN OPENSSH PRIVATE KEY-----"
_AGE_SECRET = "AGE-SECRET-KEY-"


class SealingError(AllytuiError):
    """A sealed value could not be made or opened; the message is safe to show (it never holds a value)."""


class NoKey(SealingError):
    """The member holds no identity among a sealed value's recipients."""

    def __init__(self, message: str = SEALED_NOTE) -> None:
        super().__init__(message)


class Unreadable(SealingError):
    """A sealed value that is damaged, or was not made by allytui."""

    def __init__(self, message: str = "sealed value not readable: it is damaged or was not made by allytui") -> None:
        super().__init__(message)


# the member's identity


@dataclass(frozen=True)
class MadeIdentity:
    path: Path
    recipient: str
    created: bool


def make_identity(path: Path | None = None) -> MadeIdentity:
    """The member's age identity at path (default: identity_path()), made (mode 0600) unless one is there."""
    path = path or identity_path()
    if path.exists():
        found = load_identities(path)
        recipient = _public(found[0]) if found else None
        if recipient is None:
            raise SealingError(f"{path} already exists and holds an SSH key; its public key is in the .pub file")
        return MadeIdentity(path, recipient, created=False)
    repo = enclosing_repo(path.parent.resolve()) if path.parent.exists() else None
    if repo is not None:
        raise SealingError(f"{path} is inside the data repo {repo}; a secret key must never be shared with the data")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    text = (
        f"# allytui identity, made {dt.date.today().isoformat()}: keep it secret, keep a backup\n"
        f"# public key: {recipient}\n{identity}\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return MadeIdentity(path, recipient, created=True)


def _public(identity: Identity) -> str | None:
    return str(identity.to_public()) if isinstance(identity, x25519.Identity) else None


def load_identities(path: Path | None = None) -> list[Identity]:
    """The member's identities from their key file ([] when there is none): age keys, or an SSH ed25519 key."""
    path = path or identity_path()
    try:
        raw = read_file(path)
    except FileNotFoundError:
        if os.environ.get(IDENTITY_ENV):
            raise SealingError(f"{IDENTITY_ENV} names {path}, which does not exist") from None
        return []
    except (OSError, ParseError) as error:
        reason = error.message if isinstance(error, ParseError) else (error.strerror or type(error).__name__)
        raise SealingError(f"cannot read your key file {path}: {reason}") from None
    if _SSH_PRIVATE in raw:
        try:
            return [ssh.Identity.from_buffer(raw)]
        except pyrage.IdentityError as error:
            hint = "; use a key without a passphrase, or run allytui keys init" if "decrypted" in str(error) else ""
            raise SealingError(f"{path}: not a usable SSH ed25519 key{hint}") from None
    keys = [line.strip() for line in raw.decode("ascii", errors="replace").splitlines()]
    found: list[Identity] = []
    for number, line in enumerate(keys, start=1):
        if not line.startswith(_AGE_SECRET):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise SealingError(f"{path}:{number}: not a valid age secret key") from None
    if not found:
        raise SealingError(f"{path} holds no age secret key (AGE-SECRET-KEY-…) or SSH ed25519 key")
    return found


# recipients


def parse_recipient(text: str) -> Recipient:
    """An age1… or ssh-ed25519 public key; SealingError when it is neither."""
    try:
        if text.startswith("ssh-"):
            return ssh.Recipient.from_str(text)
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError:
        raise SealingError("not a public key: expected age1… (from allytui keys init) or an ssh-ed25519 line") from None


def member_recipients(people: Iterable[Record]) -> dict[str, str]:
    """person id -> recipient, for every member who holds a key, in id order."""
    found = {p.id: p.recipient for p in people if isinstance(p, Person) and p.member_of and p.recipient}
    return dict(sorted(found.items()))


def scan_recipients(root: Path) -> dict[str, str]:
    """The members' recipients as the people files on disk say (files that cannot be read are passed over)."""
    folder = root / Kind.PEOPLE.value
    people: list[Record] = []
    if not folder.is_dir() or folder.is_symlink():
        return {}
    for entry in os.scandir(folder):
        if not entry.name.endswith(".toml") or entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            if b"recipient" not in read_file(Path(entry.path)):
                continue
        except (OSError, ParseError):
            continue
        record, _, _ = load_record(root, f"{Kind.PEOPLE.value}/{entry.name}", Kind.PEOPLE, entry.name[:-5])
        if record is not None:
            people.append(record)
    return member_recipients(people)


# values


def seal(value: Any, recipients: Sequence[str]) -> Sealed:
    """value (a string, or a contact table as a dict) sealed to every recipient, as ASCII armor."""
    if not recipients:
        raise SealingError("no member holds a key yet: add one with allytui keys add PERSON RECIPIENT")
    keys = [parse_recipient(text) for text in recipients]
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        return Sealed(pyrage.encrypt(plain, keys, armored=True).decode("ascii"))
    except pyrage.EncryptError:
        raise SealingError("could not seal a value to these keys") from None


def unseal(sealed: Sealed | str, identities: Sequence[Identity]) -> Any:
    """The plain value of a sealed one; NoKey or Unreadable, whose messages never hold any of it."""
    if not identities:
        raise NoKey()
    try:
        plain = pyrage.decrypt(sealed.encode("ascii", errors="replace"), list(identities))
    except pyrage.DecryptError as error:
        raise NoKey() if "no matching keys" in str(error).lower() else Unreadable() from None
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Unreadable() from None


# records


def _plain(value: Any) -> Any:
    """A field's plain value as sealed: a contact table as a dict of what it says, text as is."""
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_defaults=True)
    return value


def sealed_values(record: Record) -> list[str]:
    """The fields of record holding a sealed value."""
    return [name for name in type(record).model_fields if isinstance(getattr(record, name, None), Sealed)]


def _field_of(conflict: FieldConflict) -> str:
    """The record's own field a conflict is about: contact for contact.phone, notes for notes."""
    return re.split(r"[.\[]", conflict.field, maxsplit=1)[0]


def sealed_conflicts(record: Record) -> list[int]:
    """The open conflicts of record whose other value is sealed (by position)."""
    return [n for n, conflict in enumerate(record.conflicts) if looks_sealed(conflict.other)]


def _plain_conflicts(record: Record, settings: SealedSettings) -> list[int]:
    """The open conflicts on a field the team seals whose other value is plain and not empty (by position)."""
    sealed = settings.of(record.KIND)
    return [
        n
        for n, conflict in enumerate(record.conflicts)
        if _field_of(conflict) in sealed and conflict.other not in (None, "", {}) and not looks_sealed(conflict.other)
    ]


def plain_to_seal(record: Record, settings: SealedSettings) -> list[str]:
    """The fields the team seals that hold a plain, non-empty value in record, and as `conflicts[N]` each
    open conflict on one of them whose other value is plain."""
    return [
        name
        for name in settings.of(record.KIND)
        if getattr(record, name) not in (None, "") and not isinstance(getattr(record, name), Sealed)
    ] + [f"conflicts[{n}]" for n in _plain_conflicts(record, settings)]


def _rebuilt(record: Record, update: Mapping[str, Any]) -> Record:
    """record with fields replaced, validated again (a plain contact table becomes a part again)."""
    rebuilt, errors = build_record(record.KIND, record.id, {**record_data(record), **update})
    if rebuilt is None:
        raise InvalidRecord([Problem(path_of(record), f, m) for f, m in errors])
    return rebuilt


def _sealed_conflict(record: Record, conflict: FieldConflict, recipients: Sequence[str]) -> dict[str, Any]:
    """A conflict on a sealed field with its other value sealed. One on a part (contact.phone, recorded
    while the repo did not seal) becomes one on the whole field, as merges keep them for sealed fields:
    the other value is the table as it is now with that part as the other side had it."""
    name, value = _field_of(conflict), other_value(conflict)
    part = conflict.field[len(name) + 1 :]
    current = getattr(record, name)
    if conflict.field != name and "." not in part and "[" not in part and not isinstance(current, Sealed):
        whole = {**(_plain(current) or {}), part: value}
        value = {key: item for key, item in whole.items() if item not in (None, "")}
    else:
        name = conflict.field
    return {**conflict.model_dump(exclude_none=True), "field": name, "other": seal(value, recipients)}


def seal_record(record: Record, settings: SealedSettings, recipients: Sequence[str]) -> tuple[Record, int]:
    """record with every plain value of a sealed field sealed (a conflict's other value too), and how many were."""
    names = [name for name in plain_to_seal(record, settings) if not name.startswith("conflicts[")]
    conflicts = _plain_conflicts(record, settings)
    if not names and not conflicts:
        return record, 0
    update: dict[str, Any] = {name: seal(_plain(getattr(record, name)), recipients) for name in names}
    if conflicts:
        update["conflicts"] = [
            _sealed_conflict(record, c, recipients) if n in conflicts else c.model_dump(exclude_none=True)
            for n, c in enumerate(record.conflicts)
        ]
    return _rebuilt(record, update), len(names) + len(conflicts)


def reseal_record(record: Record, recipients: Sequence[str], identities: Sequence[Identity]) -> tuple[Record, int]:
    """record with every sealed value (a conflict's other value too) opened and sealed again to recipients;
    NoKey/Unreadable name the field."""
    update: dict[str, Any] = {}
    for name in sealed_values(record):
        try:
            update[name] = seal(unseal(getattr(record, name), identities), recipients)
        except SealingError as error:
            raise type(error)(f"{path_of(record)}: {name}: {error}") from None
    conflicts = sealed_conflicts(record)
    if conflicts:
        kept = [conflict.model_dump(exclude_none=True) for conflict in record.conflicts]
        for n in conflicts:
            try:
                kept[n]["other"] = seal(unseal(record.conflicts[n].other, identities), recipients)
            except SealingError as error:
                raise type(error)(f"{path_of(record)}: conflicts[{n}] ({kept[n]['field']}): {error}") from None
        update["conflicts"] = kept
    count = len(update) - (1 if conflicts else 0) + len(conflicts)
    return (_rebuilt(record, update), count) if update else (record, 0)


@dataclass
class Opened:
    """A record with the sealed values the member could open made plain, and what could not be opened."""

    record: Record
    closed: dict[str, str]  # field -> why it stays sealed (safe to show)


def open_record(
    record: Record, identities: Sequence[Identity], *, unsealer: Callable[[Sealed], Any] | None = None
) -> Opened:
    """record with every sealed value the identities open made plain (for showing, never for writing back
    unchanged: a value saved plain is sealed afresh, so keep the Sealed one when nothing was edited).
    unsealer: how to open one value (a KeyRing's, which remembers what it opened); unseal by default."""
    update: dict[str, Any] = {}
    closed: dict[str, str] = {}
    for name in sealed_values(record):
        try:
            value = getattr(record, name)
            update[name] = unsealer(value) if unsealer is not None else unseal(value, identities)
        except SealingError as error:
            closed[name] = str(error)
    if not update:
        return Opened(record, closed)
    try:
        return Opened(_rebuilt(record, update), closed)
    except InvalidRecord:  # what was sealed is not a valid value of the field: say so, keep it sealed
        return Opened(record, {**closed, **dict.fromkeys(update, Unreadable().args[0])})


def open_conflicts(record: Record, identities: Sequence[Identity]) -> Record:
    """record with each conflict's sealed other value opened where the identities can, for showing only
    (never to be written: the copy is not validated, and a value written plain would be sealed afresh)."""
    if not sealed_conflicts(record) or not identities:
        return record
    conflicts = []
    for conflict in record.conflicts:
        try:
            opened = unseal(conflict.other, identities) if looks_sealed(conflict.other) else conflict.other
        except SealingError:
            opened = conflict.other  # stays sealed: shown as such
        conflicts.append(conflict.model_copy(update={"other": opened}))
    return record.model_copy(update={"conflicts": conflicts})


def sealing_on(recipients: Mapping[str, str]) -> bool:
    """A repo seals once at least one member holds a key: from then on no sealed field is written plain."""
    return bool(recipients)
