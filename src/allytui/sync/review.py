"""What changed since my last sync: every record others changed, with its field-level diff, newest first."""

from __future__ import annotations

from dataclasses import dataclass, replace

from allytui.model.duplicates import DUPLICATE_KINDS, looks_like
from allytui.model.field_diff import FieldDiff, compare
from allytui.model.records import Kind, Record
from allytui.model.relations import RecordIndex
from allytui.store.git import read_blobs
from allytui.store.history import read_version
from allytui.store.keyring import KeyRing
from allytui.store.layout import parse_record_path
from allytui.store.repo import DataRepo
from allytui.sync.driver import IncomingChange


@dataclass(frozen=True)
class RecordReview:
    """One record others changed: the net change from before the sync to after it, and who made it."""

    path: str
    kind: Kind
    record_id: str
    label: str
    changes: tuple[IncomingChange, ...]  # newest first
    diffs: tuple[FieldDiff, ...]
    twins: tuple[tuple[str, str], ...] = ()
    """A group or person others added that looks like one of ours: (id, label) of each it is like."""

    @property
    def status(self) -> str:
        first = self.diffs[0] if self.diffs else None
        return "changed" if first is None or first.kind != "problem" else "problem"


def review(
    repo: DataRepo,
    old: str | None,
    new: str,
    incoming: list[IncomingChange],
    *,
    keyring: KeyRing | None = None,
    ours: RecordIndex | None = None,
) -> list[RecordReview]:
    """The records touched by incoming changes, each diffed between old and new, newest change first; a group
    or person others added is flagged when it looks like one of ours.

    keyring: the member's key, to diff sealed values opened (marked sensitive); else they show as changed.
    ours: the records as they were before the sync (the app's), compared with what others added; else the
    repo is read for them."""
    by_path: dict[str, list[IncomingChange]] = {}
    targets: dict[str, tuple[Kind, str]] = {}
    for change in incoming:  # incoming is newest first already
        for path in change.paths:
            target = parse_record_path(path)
            if target is not None:
                targets[path] = target
                by_path.setdefault(path, []).append(change)
    specs = [f"{rev}:{path}" for path in by_path for rev in ((old, new) if old else (new,))]
    blobs = read_blobs(repo.git_repo, specs)
    reviews: list[RecordReview] = []
    added: list[tuple[int, Record]] = []
    for path, changes in by_path.items():
        kind, record_id = targets[path]
        before_raw = blobs.get(f"{old}:{path}") if old else None
        after_raw = blobs.get(f"{new}:{path}")
        before = read_version(kind, record_id, "", before_raw, keyring=keyring) if before_raw is not None else None
        after = read_version(kind, record_id, "", after_raw, keyring=keyring) if after_raw is not None else None
        shown = after or before
        label = shown.record.label if shown is not None and shown.record is not None else record_id
        reviews.append(RecordReview(path, kind, record_id, label, tuple(changes), tuple(compare(kind, before, after))))
        if before is None and after is not None and after.record is not None and kind in DUPLICATE_KINDS:
            added.append((len(reviews) - 1, after.record))
    if added:
        _flag_twins(reviews, added, repo.load().records if ours is None else ours)
    return sorted(reviews, key=lambda r: r.changes[0].when, reverse=True)


def _flag_twins(reviews: list[RecordReview], added: list[tuple[int, Record]], index: RecordIndex) -> None:
    """Each record others added (at its place in reviews) flagged with the records of ours it looks like."""
    theirs = {(record.KIND, record.id) for _, record in added}
    for n, record in added:
        ours = {rid: r for rid, r in index[record.KIND].items() if (record.KIND, rid) not in theirs}
        reviews[n] = replace(reviews[n], twins=tuple((twin.id, twin.label) for twin, _ in looks_like(record, ours)))
