"""Saving an edit to a record read earlier: the user's changes merged field by field onto the file as it is now.

A form, a key press or a CLI `set` starts from the record as it was read (base) and produces the user's
version (mine). Meanwhile another writer (the CLI, another app, a hand edit, a sync) may have changed the
file (theirs). Saving applies only what the user changed, onto theirs, under the repo lock; a field both
changed to different values is never decided silently: it comes back as a Clash for the user to settle.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from allytui.model.records import Kind, Record
from allytui.model.validation import Problem, build_record
from allytui.store import git as gitops
from allytui.store.codec import ParseError, parse
from allytui.store.errors import AllytuiError, InvalidRecord, RecordNotFound
from allytui.store.git import Commit
from allytui.store.keyring import KeyRing
from allytui.store.layout import parse_record_path, path_of
from allytui.store.loader import read_file
from allytui.store.repo import DataRepo
from allytui.store.sealing import plain_to_seal
from allytui.sync.merge import FieldMerger, Sealing, Side, merge_sets

# In a save, the user's side wins any clash the merger would settle by time; clashes are asked about anyway.
_MINE = Side("you", "1", 1)
_THEIRS = Side("another writer", "0", 0)


class ChangedOnDiskInvalid(AllytuiError):
    """The file was changed outside allytui and cannot be read now, so an edit cannot be merged onto it."""

    def __init__(self, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.problems = problems
        found = "; ".join(str(p) for p in problems[:3])
        super().__init__(
            f"{rel} was changed outside allytui and now has problems ({found}). Nothing was saved; "
            "fix the file (or discard that change), then save again."
        )


@dataclass(frozen=True)
class Clash:
    """A field the user and another writer both changed, to different values (plain values, model_dump)."""

    field: str
    mine: Any
    theirs: Any


@dataclass
class EditOutcome:
    """What a save did: a commit (None when nothing changed), or clashes to settle, or the record is gone."""

    commit: Commit | None = None
    record: Record | None = None  # the record as saved (merged); None when nothing was saved
    clashes: list[Clash] = field(default_factory=list)
    theirs: Record | None = None  # the record on disk when the save was tried
    gone: bool = False  # deleted since base was read: nothing saved

    def refusal(self, label: str) -> str | None:
        """Why nothing was saved, for a change made without a form to go back to; None when saved."""
        if self.gone:
            return f"{label} was deleted outside allytui meanwhile; nothing was saved."
        if self.clashes:
            fields = ", ".join(c.field.replace("_", " ") for c in self.clashes)
            return f"{label}: {fields} was changed outside allytui meanwhile; nothing was saved. Check, then try again."
        return None


def top_field(path: str) -> str:
    """'contact.email' -> 'contact'; 'knows[1].strength' -> 'knows'."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def merge_edit(
    base: Record, mine: Record, theirs: Record, sealing: Sealing | None = None
) -> tuple[dict[str, Any], list[Clash]]:
    """The merged record data (theirs plus the user's changes) and the fields both changed differently.

    sealing: how sealed values are merged (opened with the member's key); a clash on one shows it opened,
    or says it is sealed, never its armor."""
    sealing = sealing or Sealing()
    merger = FieldMerger(_MINE, _THEIRS, sealing)
    b, m, t = base.model_dump(), mine.model_dump(), theirs.model_dump()
    merged = merger.merge(type(mine), b, m, t)
    merged["conflicts"] = merge_sets(b.get("conflicts") or [], m.get("conflicts") or [], t.get("conflicts") or [])
    clashed = list(dict.fromkeys(top_field(c.field) for c in merger.conflicts))
    return merged, [Clash(name, sealing.shown(m.get(name)), sealing.shown(t.get(name))) for name in clashed]


def edit_sealing(repo: DataRepo, keyring: KeyRing | None) -> Sealing:
    """How a save merges sealed values: opened with the member's key, sealed again to the members' keys."""
    opener = keyring.open_value if keyring is not None and keyring.holds_key else None
    return Sealing(repo.sealing(), opener, lambda: list(repo.recipients().values()))


def changed_by_user(base: Record, mine: Record) -> bool:
    return base.model_dump() != mine.model_dump()


def save_edit(
    repo: DataRepo, base: Record, mine: Record, *, drop_comments: bool = False, keyring: KeyRing | None = None
) -> EditOutcome:
    """Save what changed from base to mine onto the record as it is on disk now, as one commit.

    Clashes (both changed a field differently) save nothing and come back to be settled (`settle`);
    a record deleted meanwhile comes back as gone; a file made unreadable meanwhile raises
    ChangedOnDiskInvalid. Mine unchanged from base: nothing is written. A sealed value the user left
    alone is written back byte for byte; one they changed (plain in mine) is sealed on save; keyring
    opens sealed values both changed, to merge them as text.
    """
    if not changed_by_user(base, mine):
        return EditOutcome()
    with gitops.repo_lock(repo.git_repo):
        try:
            theirs = repo.read(mine.KIND, mine.id)
        except RecordNotFound:
            return EditOutcome(gone=True)
        except InvalidRecord as error:
            raise ChangedOnDiskInvalid(path_of(mine), error.problems) from None
        merged, clashes = merge_edit(base, mine, theirs, edit_sealing(repo, keyring))
        if clashes:
            return EditOutcome(clashes=clashes, theirs=theirs)
        record, errors = build_record(mine.KIND, mine.id, merged)
        if record is None:
            raise InvalidRecord([Problem(path_of(mine), f, m) for f, m in errors])
        commit = repo.save(record, drop_comments=drop_comments)
        return EditOutcome(commit=commit, record=as_written(repo, record), theirs=theirs)


def as_written(repo: DataRepo, record: Record) -> Record:
    """record as its file now holds it, when saving it sealed some of its values: what the app keeps in
    memory is sealed as on disk, so a value is never held plain longer than it is shown."""
    return repo.read(record.KIND, record.id) if plain_to_seal(record, repo.sealing()) else record


def settle(base: Record, mine: Record, theirs: Record, keep_mine: Mapping[str, bool]) -> tuple[Record, Record]:
    """A new (base, mine) pair with each clash decided: keep mine (True) or take theirs (False).

    Saving the pair again merges cleanly unless the file changed yet again, which is asked about afresh.
    """
    base_update: dict[str, Any] = {}
    mine_update: dict[str, Any] = {}
    for name, keep in keep_mine.items():
        if keep:
            base_update[name] = getattr(theirs, name)  # theirs becomes the starting point: only mine changed it
        else:
            mine_update[name] = getattr(theirs, name)
    return base.model_copy(update=base_update), mine.model_copy(update=mine_update)


@dataclass(frozen=True)
class BeforeHandEdit:
    """A record file as it was when an editor opened it: its bytes on disk and at HEAD."""

    rel: str
    on_disk: bytes | None
    committed: bytes | None


def before_hand_edit(repo: DataRepo, rel: str) -> BeforeHandEdit:
    try:  # never read_bytes: a FIFO in a record's place would wait forever for a writer
        on_disk: bytes | None = read_file(repo.root / rel)
    except (OSError, ParseError):
        on_disk = None
    return BeforeHandEdit(rel, on_disk, gitops.committed_bytes(repo.git_repo, rel))


def _record_from(kind: Kind, record_id: str, raw: bytes | None) -> Record | None:
    if raw is None:
        return None
    try:
        record, _ = build_record(kind, record_id, parse(raw))
    except ParseError:
        return None
    return record


def save_hand_edit(
    repo: DataRepo, before: BeforeHandEdit, keep_mine: Mapping[str, bool] | None = None
) -> EditOutcome | None:
    """A hand edit merged onto what another writer committed to the same file while the editor was open.

    An editor writes back its whole buffer, so a change committed meanwhile (the CLI, another app, a
    sync) would be undone by committing the file as it is. None when nobody committed the file
    meanwhile, or a version cannot be read: then the file is committed (or reported) as it is.
    keep_mine: how the user settled the clashes a first try reported.
    """
    target = parse_record_path(before.rel)
    if target is None:
        return None
    with gitops.repo_lock(repo.git_repo):
        committed = gitops.committed_bytes(repo.git_repo, before.rel)
        if committed == before.committed:
            return None
        try:
            now = read_file(repo.root / before.rel)
        except (OSError, ParseError):
            return None
        base, mine, theirs = (_record_from(*target, raw) for raw in (before.on_disk, now, committed))
        if base is None or mine is None or theirs is None:
            return None
        if keep_mine:
            base, mine = settle(base, mine, theirs, keep_mine)
        merged, clashes = merge_edit(base, mine, theirs)
        if clashes:
            return EditOutcome(clashes=clashes, theirs=theirs)
        record, errors = build_record(mine.KIND, mine.id, merged)
        if record is None:
            raise InvalidRecord([Problem(before.rel, f, m) for f, m in errors])
        return EditOutcome(commit=repo.save(record), record=as_written(repo, record), theirs=theirs)
