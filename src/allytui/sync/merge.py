"""Merging two members' versions of a record field by field, from the version they both started from.

Different fields changed: both kept. Long text changed in different places: merged line by line.
Lists: additions and removals from both sides applied. The same field changed to different values:
the later change wins (the same on every machine) and the other value is kept in the record as an
open conflict until someone chooses. Nothing either member wrote is lost.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from allytui.model.conflicts import DELETED, as_kept
from allytui.model.fields import field_shape, is_long_text
from allytui.model.records import SEALABLE_KINDS, FieldConflict, Record, SealedSettings
from allytui.model.sealed import SEALED_NOTE, looks_sealed
from allytui.store.scratch import private_temp_root
from allytui.store.sealing import NoKey, SealingError, Unreadable, seal


@dataclass(frozen=True)
class Side:
    """One side of a merge: who made its last change to the record, and when (for the winner rule)."""

    author: str
    commit: str
    when: int  # seconds since the epoch

    def beats(self, other: Side) -> bool:
        """Whether this side's value wins a same-field clash: the later change, ties broken by commit id."""
        return (self.when, self.commit) > (other.when, other.commit)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def merge_lines(base: str, ours: str, theirs: str) -> str | None:
    """Three-way line merge of text (git merge-file); None when both sides changed the same lines.

    The three texts (which may be opened sealed values) go to a private folder that is removed at once,
    on a RAM-backed filesystem where there is one.
    """
    with tempfile.TemporaryDirectory(dir=private_temp_root()) as folder:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_text(text if text.endswith("\n") or not text else text + "\n", encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run(["git", "merge-file", "-p", "--quiet", *paths], capture_output=True, check=False)
    if result.returncode != 0:
        return None
    merged = result.stdout.decode("utf-8")
    return merged if ours.endswith("\n") or theirs.endswith("\n") else merged.removesuffix("\n")


def merge_sets(base: list[Any], first: list[Any], second: list[Any]) -> list[Any]:
    """Additions and removals from both sides: first's items in its order, then what only second added.

    Callers pass the later side first, so every machine merging the same two versions gets the same list.
    """
    removed = [x for x in base if x not in first or x not in second]
    merged = [x for x in first if x not in removed]
    merged += [x for x in second if x not in merged and x not in base]
    return merged


@dataclass(frozen=True)
class Sealing:
    """What a merge may do with sealed values: open them (the member's key, if they hold one) and seal a
    result to the members' keys. Without opener, sealed values merge as opaque values (a same-field change
    is a conflict); nothing sealed is ever written plain, not even the other value kept in a conflict."""

    settings: SealedSettings = field(default_factory=SealedSettings)
    opener: Callable[[str], Any] | None = None
    recipients: Sequence[str] | Callable[[], Sequence[str]] = ()
    """The members' keys, or how to find them (only asked for when a value is sealed)."""

    def fields_of(self, model: type[BaseModel]) -> frozenset[str]:
        kind = getattr(model, "KIND", None)
        return frozenset(self.settings.of(kind)) if kind in SEALABLE_KINDS else frozenset()

    def keys(self) -> Sequence[str]:
        return self.recipients() if callable(self.recipients) else self.recipients

    def sealed(self, value: Any) -> Any:
        """value sealed to the members' keys; as it is when it is sealed already, empty, or no one holds a key."""
        if value in (None, "", {}) or looks_sealed(value):
            return value
        keys = self.keys()
        return seal(value, keys) if keys else value

    def shown(self, value: Any) -> Any:
        """value to show the member: opened when they can, else the note that it is sealed (never its armor)."""
        try:
            return self.opened(value)
        except SealingError as error:
            return str(error) if isinstance(error, Unreadable) else SEALED_NOTE

    def opened(self, value: Any) -> Any:
        """The plain value (a contact table without its empty parts); SealingError when it cannot be opened."""
        if looks_sealed(value):
            if self.opener is None:
                raise NoKey()
            value = self.opener(value)
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if v not in (None, "")} or None
        return value


class FieldMerger:
    """Merges plain record data (model_dump) of one model, collecting the conflicts it had to record."""

    def __init__(self, ours_side: Side, theirs_side: Side, sealing: Sealing | None = None) -> None:
        self.ours_side = ours_side
        self.theirs_side = theirs_side
        self.sealing = sealing or Sealing()
        self.conflicts: list[FieldConflict] = []

    def later_first(self, ours: Any, theirs: Any) -> tuple[Any, Any]:
        return (ours, theirs) if self.ours_side.beats(self.theirs_side) else (theirs, ours)

    def clash(self, path: str, ours: Any, theirs: Any) -> Any:
        """Both sides set path to different values: the later wins, the other is kept as a conflict."""
        if self.ours_side.beats(self.theirs_side):
            winner, loser, side = ours, theirs, self.theirs_side
        else:
            winner, loser, side = theirs, ours, self.ours_side
        self.conflicts.append(
            FieldConflict(field=path, other=as_kept(loser), author=side.author, commit=side.commit[:12])
        )
        return winner

    def merge(
        self,
        model: type[BaseModel],
        base: dict[str, Any],
        ours: dict[str, Any],
        theirs: dict[str, Any],
        prefix: str = "",
    ) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        sealed = self.sealing.fields_of(model) if not prefix else frozenset()
        for name, info in model.model_fields.items():
            if name in ("id", "conflicts"):
                continue
            b, o, t = base.get(name), ours.get(name), theirs.get(name)
            path = f"{prefix}{name}"
            if o == t or t == b:
                merged[name] = o
            elif o == b:
                merged[name] = t
            elif any(looks_sealed(v) for v in (b, o, t)) or (name in sealed and self.sealing.keys()):
                # merged whole, so no conflict keeps a part of a value that is (or is about to be) sealed
                merged[name] = self._both_changed_sealed(model, name, b, o, t, long_text=is_long_text(info))
            else:
                merged[name] = self._both_changed(model, name, path, b, o, t, long_text=is_long_text(info))
        return merged

    def _both_changed_sealed(
        self, model: type[BaseModel], name: str, b: Any, o: Any, t: Any, *, long_text: bool
    ) -> Any:
        """A sealed field both sides changed: merged opened, like plain text, when the member holds a key
        (the result sealed afresh); else an opaque value, the later side winning. A conflict on it keeps the
        whole other value, sealed."""
        try:
            pb, po, pt = (self.sealing.opened(v) for v in (b, o, t))
        except SealingError:
            return self._sealed_clash(name, o, t)
        if po == pt or pt == pb:
            return self.sealing.sealed(po)
        if po == pb:
            return self.sealing.sealed(pt)
        inner = FieldMerger(self.ours_side, self.theirs_side)
        result = inner._both_changed(model, name, name, pb, po, pt, long_text=long_text)
        if inner.conflicts:
            return self._sealed_clash(name, po, pt)
        return self.sealing.sealed(result)

    def _sealed_clash(self, name: str, o: Any, t: Any) -> Any:
        return self.clash(name, self.sealing.sealed(o), self.sealing.sealed(t))

    def _both_changed(
        self, model: type[BaseModel], name: str, path: str, b: Any, o: Any, t: Any, *, long_text: bool
    ) -> Any:
        shape, part = field_shape(model, name)
        if shape == "list":
            return merge_sets(b or [], *self.later_first(o or [], t or []))
        if shape == "part_list" and part is not None:
            return self._merge_items(part, path, b or [], o or [], t or [])
        if shape == "part" and part is not None and isinstance(o, dict) and isinstance(t, dict):
            return self.merge(part, b or {}, o, t, prefix=f"{path}.")
        if long_text and isinstance(o, str) and isinstance(t, str):
            lines = merge_lines(b if isinstance(b, str) else "", o, t)
            if lines is not None:
                return lines
        return self.clash(path, o, t)

    def _merge_items(
        self,
        part: type[BaseModel],
        path: str,
        base: list[dict[str, Any]],
        ours: list[dict[str, Any]],
        theirs: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Lists of parts (a person's links, an activity's partners): matched by what they point at."""

        def key(item: dict[str, Any]) -> str:
            fields = [f for f in ("person", "group", "field") if f in part.model_fields]
            return _json([item.get(f) for f in fields]) if fields else _json(item)

        b_items, o_items, t_items = ({key(i): i for i in items} for items in (base, ours, theirs))
        first, second = self.later_first(o_items, t_items)
        order = list(first) + [k for k in second if k not in first]
        merged = []
        for k in order:
            b, o, t = b_items.get(k), o_items.get(k), t_items.get(k)
            if o is None or t is None:
                present = o if o is not None else t
                if present is not None and (b is None or present != b):  # new, or changed here and removed there
                    merged.append(present)
                continue
            merged.append(o if o == t else self.merge(part, b or {}, o, t, prefix=f"{path}[{len(merged)}]."))
        return merged


@dataclass
class RecordMerge:
    """The outcome for one record: its merged data (None: deleted on both sides) and any new conflicts."""

    data: dict[str, Any] | None
    conflicts: list[FieldConflict]


def merge_record(
    model: type[Record],
    base: Record | None,
    ours: Record | None,
    theirs: Record | None,
    ours_side: Side,
    theirs_side: Side,
    sealing: Sealing | None = None,
) -> RecordMerge:
    """Three-way merge of one record. base None: added on both sides; ours/theirs None: deleted there.

    sealing: how sealed values are merged (opened with the member's key, or as opaque values)."""
    merger = FieldMerger(ours_side, theirs_side, sealing)
    if ours is None or theirs is None:
        present, gone_side = (theirs, ours_side) if ours is None else (ours, theirs_side)
        if present is None:
            return RecordMerge(None, [])
        if base is not None and present.model_dump() == base.model_dump():
            return RecordMerge(None, [])  # deleted on one side, untouched on the other
        # edited on one side, deleted on the other: keep the edit, and say so
        conflict = FieldConflict(field=DELETED, author=gone_side.author, commit=gone_side.commit[:12])
        data = present.model_dump(exclude={"id"})
        data["conflicts"] = [*data.get("conflicts", []), conflict.model_dump()]
        return RecordMerge(data, [conflict])
    start = {} if base is None else base.model_dump()  # added on both sides: every field counts as new
    merged = merger.merge(model, start, ours.model_dump(), theirs.model_dump())
    # open conflicts are a list like any other: one side resolving one removes it
    kept = merge_sets(
        [c.model_dump() for c in base.conflicts] if base else [],
        *merger.later_first([c.model_dump() for c in ours.conflicts], [c.model_dump() for c in theirs.conflicts]),
    )
    merged["conflicts"] = kept + [c.model_dump() for c in merger.conflicts]
    return RecordMerge(merged, merger.conflicts)
