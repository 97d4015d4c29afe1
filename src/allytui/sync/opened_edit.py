"""Editing a record file by hand when it holds sealed values: opened in a private scratch file, or kept as they are.

With a key, like sops: the editor gets the file with its sealed values opened, in a private folder
(store.scratch) removed however the edit ends; what comes back is validated, every sealed value left
alone keeps its bytes, one changed is sealed afresh, and the edit is saved as a merge onto the file as
it is now (another writer may have changed it meanwhile). Without a key the file is edited where it is,
armor and all, and each sealed value must come back byte for byte.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from allytui.model.records import Record
from allytui.model.validation import Problem, build_record
from allytui.store.codec import ParseError, dump_record, parse, record_data
from allytui.store.comments import carry_comments
from allytui.store.errors import InvalidRecord
from allytui.store.keyring import KeyRing
from allytui.store.layout import parse_record_path
from allytui.store.loader import read_file
from allytui.store.repo import DataRepo
from allytui.store.sealing import sealed_values
from allytui.sync.edits import BeforeHandEdit, EditOutcome, save_edit, save_hand_edit, settle

KEEP_SEALED = "is sealed and you hold no key for it, so it must stay exactly as it was; put it back as it was"


@dataclass
class OpenedEdit:
    """A record file being edited with its sealed values opened: the scratch file, and the record as read."""

    rel: str
    path: Path  # the plain scratch file the editor works on
    base: Record  # the record as the repo file held it (sealed)
    opened: Record  # the same with its sealed values opened


def open_for_editing(repo: DataRepo, rel: str, keyring: KeyRing, folder: Path) -> OpenedEdit | None:
    """The file written opened into folder (mode 0600), when it holds sealed values the member can open
    (every one of them); None when it holds none, or cannot be read: then it is edited in place."""
    target = parse_record_path(rel)
    if target is None or not keyring.holds_key:
        return None
    try:
        base = repo.read(*target)
    except InvalidRecord:
        return None
    if not sealed_values(base):
        return None
    opened = keyring.open(base)
    if opened.closed:
        return None  # a value this member cannot open: the file is edited as it is, and must keep it
    text = dump_record(opened.record)
    with contextlib.suppress(OSError, ParseError, UnicodeDecodeError):  # comments are a nicety here
        text, _ = carry_comments(read_file(repo.root / rel).decode("utf-8"), text)
    path = folder / Path(rel).name
    path.touch(mode=0o600)
    path.write_text(text, encoding="utf-8")
    return OpenedEdit(rel, path, base, opened.record)


def edited_record(edit: OpenedEdit) -> Record:
    """What the editor left in the scratch file, validated; InvalidRecord naming the repo file and field."""
    try:
        data = parse(read_file(edit.path))
    except ParseError as error:
        raise InvalidRecord([Problem(edit.rel, "", error.message, error.line)]) from None
    except OSError as error:
        raise InvalidRecord([Problem(edit.rel, "", f"the edited copy is gone: {error.strerror}")]) from None
    record, errors = build_record(edit.base.KIND, edit.base.id, data)
    if record is None:
        raise InvalidRecord([Problem(edit.rel, f, m) for f, m in errors])
    return record


def with_unchanged_sealed(edit: OpenedEdit, record: Record) -> Record:
    """record with each sealed value the editor left as it was opened put back sealed, byte for byte."""
    kept = {
        name: getattr(edit.base, name)
        for name in sealed_values(edit.base)
        if record_data(record).get(name) == record_data(edit.opened).get(name)
    }
    return record.model_copy(update=kept) if kept else record


def save_opened_edit(
    repo: DataRepo, edit: OpenedEdit, keyring: KeyRing, keep_mine: Mapping[str, bool] | None = None
) -> EditOutcome:
    """Save what the editor changed onto the file as it is now (sealing changed values), as one commit."""
    mine = with_unchanged_sealed(edit, edited_record(edit))
    base = edit.base
    if keep_mine:
        theirs = repo.read(base.KIND, base.id)
        base, mine = settle(base, mine, theirs, keep_mine)
    return save_edit(repo, base, mine, keyring=keyring)


def sealed_changed(repo: DataRepo, before: BeforeHandEdit) -> list[Problem]:
    """A problem for each sealed value an in-place edit did not keep byte for byte (empty: all kept)."""
    target = parse_record_path(before.rel)
    if target is None or before.on_disk is None:
        return []
    try:
        old, _ = build_record(*target, parse(before.on_disk))
        now, _ = build_record(*target, parse(read_file(repo.root / before.rel)))
    except (OSError, ParseError):
        return []
    if old is None:
        return []
    return [
        Problem(before.rel, name, KEEP_SEALED)
        for name in sealed_values(old)
        if now is None or getattr(now, name, None) != getattr(old, name)
    ]


def commit_hand_edit(
    repo: DataRepo, before: BeforeHandEdit, keep_mine: Mapping[str, bool] | None = None
) -> EditOutcome:
    """Commit a file edited in place: its sealed values must be as they were; a plain value typed into a
    sealed field is sealed (once a member holds a key); a change committed meanwhile is merged in."""
    problems = sealed_changed(repo, before)
    if problems:
        raise InvalidRecord(problems)
    merged = save_hand_edit(repo, before, keep_mine)
    if merged is not None:
        return merged
    return EditOutcome(commit=repo.commit_file(before.rel))  # which seals a plain value typed into a sealed field
