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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from allytui.model.conflicts import DELETED
from allytui.model.fields import field_shape, is_long_text
from allytui.model.records import FieldConflict, Record


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
    """Three-way line merge of text (git merge-file); None when both sides changed the same lines."""
    with tempfile.TemporaryDirectory() as folder:
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


class FieldMerger:
    """Merges plain record data (model_dump) of one model, collecting the conflicts it had to record."""

    def __init__(self, ours_side: Side, theirs_side: Side) -> None:
        self.ours_side = ours_side
        self.theirs_side = theirs_side
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
            FieldConflict(field=path, other=_json(loser), author=side.author, commit=side.commit[:12])
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
        for name, info in model.model_fields.items():
            if name in ("id", "conflicts"):
                continue
            b, o, t = base.get(name), ours.get(name), theirs.get(name)
            path = f"{prefix}{name}"
            if o == t or t == b:
                merged[name] = o
            elif o == b:
                merged[name] = t
            else:
                merged[name] = self._both_changed(model, name, path, b, o, t, long_text=is_long_text(info))
        return merged

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
) -> RecordMerge:
    """Three-way merge of one record. base None: added on both sides; ours/theirs None: deleted there."""
    merger = FieldMerger(ours_side, theirs_side)
    if ours is None or theirs is None:
        present, gone_side = (theirs, ours_side) if ours is None else (ours, theirs_side)
        if present is None:
            return RecordMerge(None, [])
        if base is not None and present.model_dump() == base.model_dump():
            return RecordMerge(None, [])  # deleted on one side, untouched on the other
        # edited on one side, deleted on the other: keep the edit, and say so
        conflict = FieldConflict(
            field=DELETED, other=_json(None), author=gone_side.author, commit=gone_side.commit[:12]
        )
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
