"""The team's keys: adding or removing a member's recipient re-seals every sealed value; sealing a repo's plain values.

Each operation loads the repo, works out every changed record, and writes them as one commit through
DataRepo.save_many (atomic, locked, committed with the author). Commit messages hold counts only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

import git

from allytui.model.records import SEALABLE_KINDS, Kind, Person, Record
from allytui.store import git as gitops
from allytui.store.errors import AllytuiError, CommentsWouldBeLost, RecordNotFound
from allytui.store.layout import parse_record_path, path_of
from allytui.store.loader import Loaded
from allytui.store.repo import DataRepo
from allytui.store.sealing import (
    Identity,
    SealingError,
    member_recipients,
    parse_recipient,
    plain_to_seal,
    reseal_record,
    seal_record,
    sealed_conflicts,
    sealed_values,
)


@dataclass(frozen=True)
class KeysOutcome:
    """What a keys operation did: values (re)sealed, members now holding a key, the commit (None: no change)."""

    values: int
    members: int
    commit: gitops.Commit | None
    still_plain: int = 0  # values of sealed fields left plain (run allytui seal)
    records: int = 0


def counted(number: int, word: str) -> str:
    """'1 value', '3 values'."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def _resealed_message(values: int, members: int, what: str) -> str:
    """The commit message: counts and the member's id, never a value."""
    return f"re-sealed {counted(values, 'value')} for {counted(members, 'member')} ({what})"


def _sealable_records(loaded: Loaded) -> list[Record]:
    return [record for kind in SEALABLE_KINDS for _, record in sorted(loaded.records[kind].items())]


def _refuse_unreadable_files(loaded: Loaded) -> None:
    """Every record of people and conversations must load, or a sealed value in a broken file would be left behind."""
    broken = sorted(
        {
            p.path
            for p in loaded.problems
            if (target := parse_record_path(p.path)) is not None
            and target[0] in SEALABLE_KINDS
            and loaded.get(*target) is None
        }
    )
    if broken:
        shown = ", ".join(broken[:3]) + (f" and {len(broken) - 3} more" if len(broken) > 3 else "")
        raise AllytuiError(f"{shown} cannot be read (run allytui check); fix them first, then try again")


def _member(loaded: Loaded, person_id: str) -> Person:
    person_id = person_id.removeprefix(f"{Kind.PEOPLE.value}/")
    person = loaded.get(Kind.PEOPLE, person_id)
    if person is None:
        raise RecordNotFound(f"{Kind.PEOPLE.value}/{person_id} does not exist")
    assert isinstance(person, Person)
    if not person.member_of:
        raise AllytuiError(f"{path_of(person)}: only one of our members (member_of set) can hold a key")
    return person


def _resealed(
    loaded: Loaded, recipients: Sequence[str], identities: Sequence[Identity], action: str
) -> tuple[dict[str, Record], int]:
    """Every record with a sealed value, sealed again to recipients; SealingError when one cannot be opened."""
    changed: dict[str, Record] = {}
    count = 0
    for record in _sealable_records(loaded):
        if not sealed_values(record) and not sealed_conflicts(record):
            continue
        try:
            changed[path_of(record)], n = reseal_record(record, recipients, identities)
        except SealingError as error:
            raise SealingError(
                f"{error}. Only a member who can read every sealed value can {action}; nothing was changed"
            ) from None
        count += n
    return changed, count


def _still_plain(loaded: Loaded, changed: dict[str, Record]) -> int:
    settings = loaded.settings.sealed
    return sum(len(plain_to_seal(changed.get(path_of(r), r), settings)) for r in _sealable_records(loaded))


def _save_all(repo: DataRepo, records: list[Record], message: str, recipients: list[str]) -> gitops.Commit | None:
    """save_many, saying what to do about a hand-written comment inside a part that is being sealed."""
    try:
        return repo.save_many(records, message, recipients=recipients)
    except CommentsWouldBeLost as lost:
        where = ", ".join(str(n) for n in lost.lines)
        raise AllytuiError(
            f"{lost.path}: the hand-written comments on line {where} sit in a part that is sealed now, with no "
            "field left to stay beside (and a comment is never sealed): move them out of it or delete them, "
            "then run this again; nothing was changed"
        ) from None


def _refresh_index(repo: DataRepo) -> None:
    """Give git's index the file times and sizes of the files just committed (a commit of many records
    writes index entries without them), so every later load's record cache, and git status, see those
    files unchanged without reading them again. A failure here changes nothing: it only costs time."""
    with contextlib.suppress(git.GitCommandError):
        repo.git_repo.git.update_index("-q", "--refresh")


def add_key(repo: DataRepo, person_id: str, recipient: str, identities: Sequence[Identity]) -> KeysOutcome:
    """Give a member a key: set their recipient and re-seal every sealed value to the new set, in one commit."""
    parse_recipient(recipient)
    with gitops.repo_lock(repo.git_repo):
        loaded = repo.load()
        _refuse_unreadable_files(loaded)
        person = _member(loaded, person_id)
        current = member_recipients(loaded.records[Kind.PEOPLE].values())
        if current.get(person.id) == recipient:
            return KeysOutcome(0, len(current), None, _still_plain(loaded, {}))
        wanted = {**current, person.id: recipient}
        changed, count = _resealed(loaded, list(wanted.values()), identities, "add a key")
        base = changed.get(path_of(person), person)
        changed[path_of(person)] = base.model_copy(update={"recipient": recipient})
        still = _still_plain(loaded, changed) - len(plain_to_seal(person, loaded.settings.sealed))
        message = _resealed_message(count, len(wanted), f"{person.id}'s key added")
        commit = _save_all(repo, list(changed.values()), message, list(wanted.values()))
        _refresh_index(repo)
        return KeysOutcome(count, len(wanted), commit, still)


def remove_key(repo: DataRepo, person_id: str, identities: Sequence[Identity]) -> KeysOutcome:
    """Take a member's key away: clear their recipient and re-seal every sealed value without it, in one commit."""
    with gitops.repo_lock(repo.git_repo):
        loaded = repo.load()
        _refuse_unreadable_files(loaded)
        person = _member(loaded, person_id)
        current = member_recipients(loaded.records[Kind.PEOPLE].values())
        if person.id not in current:
            raise AllytuiError(f"{path_of(person)} holds no key")
        wanted = {pid: key for pid, key in current.items() if pid != person.id}
        sealed = any(sealed_values(r) or sealed_conflicts(r) for r in _sealable_records(loaded))
        if not wanted and sealed:
            raise AllytuiError(
                f"{person.id} holds the last key: without it no one could read the sealed values; "
                "add another member's key first (allytui keys add PERSON RECIPIENT)"
            )
        changed, count = _resealed(loaded, list(wanted.values()), identities, "remove a key")
        base = changed.get(path_of(person), person)
        changed[path_of(person)] = base.model_copy(update={"recipient": ""})
        message = (
            f"re-sealed {counted(count, 'value')} for {counted(len(wanted), 'member')} ({person.id}'s key removed)"
        )
        commit = _save_all(repo, list(changed.values()), message, list(wanted.values()))
        _refresh_index(repo)
        return KeysOutcome(count, len(wanted), commit, _still_plain(loaded, changed))


def seal_all(repo: DataRepo) -> KeysOutcome:
    """Seal every plain value of a sealed field in the repo, in one commit. Needs no key of one's own."""
    with gitops.repo_lock(repo.git_repo):
        loaded = repo.load()
        _refuse_unreadable_files(loaded)
        recipients = list(member_recipients(loaded.records[Kind.PEOPLE].values()).values())
        if not recipients:
            raise AllytuiError("no member holds a key yet: each member runs allytui keys init, then allytui keys add")
        changed: list[Record] = []
        count = 0
        for record in _sealable_records(loaded):
            sealed, n = seal_record(record, loaded.settings.sealed, recipients)
            if n:
                changed.append(sealed)
                count += n
        if not changed:
            return KeysOutcome(0, len(recipients), None)
        message = f"sealed {counted(count, 'value')} for {counted(len(recipients), 'member')}"
        commit = _save_all(repo, changed, message, recipients)
        _refresh_index(repo)
        return KeysOutcome(count, len(recipients), commit, records=len(changed))
