"""Merging a duplicate into its twin: fields merged as a sync merges them, references moved, one commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from allytui.model.duplicates import DUPLICATE_KINDS, ContactOpener
from allytui.model.fields import field_shape
from allytui.model.records import FieldConflict, Kind, Record
from allytui.model.relations import RecordIndex
from allytui.model.repointing import repoint
from allytui.model.validation import build_record
from allytui.store import git as gitops
from allytui.store.errors import AllytuiError, InvalidRecord, not_found
from allytui.store.git import Commit
from allytui.store.keyring import KeyRing
from allytui.store.layout import path_of
from allytui.store.repo import DataRepo
from allytui.store.sealing import SealingError
from allytui.sync.edits import edit_sealing
from allytui.sync.merge import FieldMerger, Side

_KEEP = Side("", "", 1)  # the record kept wins every field both hold differently
_DROP = Side("", "", 0)


@dataclass
class CombinePlan:
    """What merging drop into keep writes: the merged record, the records whose references move, and the
    fields whose values differed (kept as open conflicts on the merged record, to choose)."""

    kind: Kind
    keep: Record
    drop: Record
    merged: Record
    moved: list[tuple[Record, list[str]]] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def references(self) -> int:
        return sum(len(fields) for _, fields in self.moved)

    def message(self) -> str:
        """The commit message: both ids, how many references moved and how many fields are left to choose."""
        kind = self.kind.singular
        text = f"{kind} {self.drop.id} merged into {kind} {self.keep.id}"
        details = [f"{self.references} reference(s) moved"] if self.references else []
        if self.conflicts:
            details.append(f"{len(self.conflicts)} field(s) differed: open conflicts to choose")
        return text + (f" ({'; '.join(details)})" if details else "")

    def summary(self) -> list[str]:
        """Lines saying what the merge does, naming records by kind and id (and field names, never values)."""
        kind = self.kind.value
        lines = [f"{kind}/{self.drop.id} goes; {kind}/{self.keep.id} keeps both records' fields"]
        for conflict in self.conflicts:
            lines.append(f"  {conflict.field}: the two differ; {self.keep.id}'s value kept, the other to choose")
        for record, fields in self.moved:
            lines.append(f"  {record.KIND.value}/{record.id}: {', '.join(fields)} now point at {self.keep.id}")
        return lines


def _defaults(model: type[BaseModel], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The base the two are merged from: each field's default (a nested table's defaults when both have one),
    so a field only one of them filled in is taken, and only fields both filled in differently clash."""
    base: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        base[name] = info.get_default(call_default_factory=True)
        if isinstance(base[name], BaseModel):
            base[name] = base[name].model_dump()
        shape, part = field_shape(model, name)
        o, t = ours.get(name), theirs.get(name)
        if shape == "part" and part is not None and isinstance(o, dict) and isinstance(t, dict):
            base[name] = _defaults(part, o, t)
    return base


def merged_record(
    keep: Record, drop: Record, *, repo: DataRepo | None = None, keyring: KeyRing | None = None
) -> tuple[Record, list[FieldConflict]]:
    """keep with drop's fields merged in as a sync merges two versions: a field only one holds is taken, lists
    are joined, and a field both hold differently keeps keep's value with drop's as an open conflict. Sealed
    values are opened with the member's key when they can be, else compared as they are."""
    sealing = edit_sealing(repo, keyring) if repo is not None else None
    drop_side = Side(f"{drop.KIND.value}/{drop.id}, merged in", "", 0)
    merger = FieldMerger(_KEEP, drop_side, sealing)
    ours, theirs = keep.model_dump(), drop.model_dump()
    data = merger.merge(type(keep), _defaults(type(keep), ours, theirs), ours, theirs)
    data["conflicts"] = [
        *ours.get("conflicts", []),
        *theirs.get("conflicts", []),
        *(c.model_dump() for c in merger.conflicts),
    ]
    record, errors = build_record(keep.KIND, keep.id, data)
    if record is None:
        raise AllytuiError(
            f"{keep.KIND.value}/{keep.id}: the merged record is not valid ({errors[0][0]}: {errors[0][1]})"
        )
    return record, merger.conflicts


def find(index: RecordIndex, kind: Kind, record_id: str) -> Record:
    """The record, or RecordNotFound saying "no such group; did you mean …?"."""
    record = index[kind].get(record_id)
    if record is not None:
        return record
    raise not_found(kind, record_id, index[kind])


def plan_combine(
    repo: DataRepo,
    index: RecordIndex,
    kind: Kind,
    keep_id: str,
    drop_id: str,
    *,
    keyring: KeyRing | None = None,
) -> CombinePlan:
    """What merging kind/drop_id into kind/keep_id would write (nothing is written)."""
    if kind not in DUPLICATE_KINDS:
        raise AllytuiError(f"only {' and '.join(k.value for k in DUPLICATE_KINDS)} can be merged")
    keep, drop = find(index, kind, keep_id), find(index, kind, drop_id)
    if keep.id == drop.id:
        raise AllytuiError(f"{kind.value}/{keep_id}: a record cannot be merged with itself")
    merged, conflicts = merged_record(keep, drop, repo=repo, keyring=keyring)
    merged, _ = repoint(merged, kind, drop.id, keep.id)
    plan = CombinePlan(kind, keep, drop, merged, conflicts=conflicts)
    for records in index.values():
        for record in records.values():
            if record.id in (keep.id, drop.id) and record.KIND is kind:
                continue
            moved, fields = repoint(record, kind, drop.id, keep.id)
            if fields:
                plan.moved.append((moved, fields))
    return plan


def apply_combine(repo: DataRepo, plan: CombinePlan) -> Commit:
    """Write the plan as one commit: the merged record, every record whose references moved, drop removed."""
    records = [plan.merged, *(record for record, _ in plan.moved)]
    commit = repo.save_many(records, plan.message(), deleted=[path_of(plan.drop)])
    if commit is None:
        raise InvalidRecord([])
    return commit


def combine(
    repo: DataRepo, kind: Kind, keep_id: str, drop_id: str, *, keyring: KeyRing | None = None
) -> tuple[CombinePlan, Commit]:
    """Merge kind/drop_id into kind/keep_id, as one commit (read and written under the repo's lock)."""
    with gitops.repo_lock(repo.git_repo):
        plan = plan_combine(repo, repo.load().records, kind, keep_id, drop_id, keyring=keyring)
        return plan, apply_combine(repo, plan)


def contact_opener(keyring: KeyRing | None) -> ContactOpener | None:
    """How duplicate detection opens a sealed contact value with the member's key (None: it cannot)."""
    if keyring is None or not keyring.holds_key:
        return None
    ring = keyring

    def opened(value: str) -> object:
        try:
            return ring.open_value(value)
        except SealingError:
            return None

    return opened
