"""The power map (the guide's step 4): groups and people placed by influence and alignment.

Pure: which records go where, the filters, and how a crowded cell collapses into a count, all from
records alone. The text, JSON and SVG exports are in allytui.render.powermap.

The grid has five influence rows (5 at the top, 1 at the bottom) and five alignment columns (-2 on the
left, +2 on the right). Its four quadrants are the guide's:

- influential allies: alignment +1 or +2, influence 3 or more
- influential opponents: alignment -1 or -2, influence 3 or more
- supportive, little influence: alignment +1 or +2, influence 1 or 2
- opposed, little influence: alignment -1 or -2, influence 1 or 2

Influence 3 counts as influential (INFLUENTIAL): on the 1-5 scale 3 is "some local influence", and the
guide's step 3 shortlists groups *for* local influence, so a middling group belongs with those worth
mapping as influential, not lost among the small. Alignment 0 is the neutral column between the two
halves: in no quadrant (quadrant() says None), drawn between them and listed as "neutral": the
undecided, who may be persuaded either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from allytui.model import filters
from allytui.model.enums import Category, Stage
from allytui.model.filters import Fields, Filter, Values, norm
from allytui.model.records import Group, Kind, Person, Record

RecordIndex = Mapping[Kind, Mapping[str, Record]]

INFLUENCES = (5, 4, 3, 2, 1)
"""The rows, top to bottom."""
ALIGNMENTS = (-2, -1, 0, 1, 2)
"""The columns, left to right."""
INFLUENTIAL = 3
"""The least influence that counts as influential: the top three rows."""

MAP_KINDS = (Kind.GROUPS, Kind.PEOPLE)


class Quadrant(StrEnum):
    INFLUENTIAL_ALLIES = "influential_allies"
    INFLUENTIAL_OPPONENTS = "influential_opponents"
    SUPPORTIVE = "supportive_little_influence"
    OPPOSED = "opposed_little_influence"

    @property
    def label(self) -> str:
        return _QUADRANT_TITLES[self]


_QUADRANT_TITLES = {
    Quadrant.INFLUENTIAL_ALLIES: "Influential allies",
    Quadrant.INFLUENTIAL_OPPONENTS: "Influential opponents",
    Quadrant.SUPPORTIVE: "Supportive, little influence",
    Quadrant.OPPOSED: "Opposed, little influence",
}
NEUTRAL_TITLE = "Neutral"


def quadrant(influence: int, alignment: int) -> Quadrant | None:
    """The quadrant of a place on the grid; None for the neutral column (alignment 0)."""
    if alignment == 0:
        return None
    if influence >= INFLUENTIAL:
        return Quadrant.INFLUENTIAL_ALLIES if alignment > 0 else Quadrant.INFLUENTIAL_OPPONENTS
    return Quadrant.SUPPORTIVE if alignment > 0 else Quadrant.OPPOSED


class Standing(StrEnum):
    """Stages grouped for drawing: each has a symbol (so no colour is needed) and a colour."""

    ALLIED = "allied"
    TALKING = "talking"
    APPROACHED = "approached"
    RESEARCHED = "researched"
    STOPPED = "stopped"
    NO_STAGE = "no_stage"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def label(self) -> str:
        return _STANDING_LABELS[self]


_SYMBOLS = {
    Standing.ALLIED: "●",
    Standing.TALKING: "◐",
    Standing.APPROACHED: "○",
    Standing.RESEARCHED: "·",
    Standing.STOPPED: "×",
    Standing.NO_STAGE: "◇",
}
_STANDING_LABELS = {
    Standing.ALLIED: "allied",
    Standing.TALKING: "in conversation, meeting",
    Standing.APPROACHED: "shortlisted, contacted",
    Standing.RESEARCHED: "researched",
    Standing.STOPPED: "paused, declined",
    Standing.NO_STAGE: "no stage (a person in no group)",
}
STANDING_OF_STAGE = {
    Stage.ALLIED: Standing.ALLIED,
    Stage.MEETING: Standing.TALKING,
    Stage.IN_CONVERSATION: Standing.TALKING,
    Stage.CONTACTED: Standing.APPROACHED,
    Stage.SHORTLISTED: Standing.APPROACHED,
    Stage.RESEARCHED: Standing.RESEARCHED,
    Stage.PAUSED: Standing.STOPPED,
    Stage.DECLINED: Standing.STOPPED,
}

# How far along a relationship is, for the stage a person takes from their groups.
_STAGE_RANK = {
    stage: rank
    for rank, stage in enumerate(
        [
            Stage.DECLINED,
            Stage.PAUSED,
            Stage.RESEARCHED,
            Stage.SHORTLISTED,
            Stage.CONTACTED,
            Stage.IN_CONVERSATION,
            Stage.MEETING,
            Stage.ALLIED,
        ]
    )
}


def _words(value: str) -> str:
    return value.replace("_", " ")


def signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A group or person as the map's filters see it.

    A person has no stage of their own: they are drawn with the stage of their group that is furthest
    along (allied first, declined last; `via` names it), because that is the relationship that reaches
    them; an opponent inside an allied group shows as such. They take the categories and tags of all
    their groups, for the filters.
    """

    kind: Kind
    id: str
    label: str
    stage: Stage | None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    via: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind.value}/{self.id}"

    @property
    def standing(self) -> Standing:
        return Standing.NO_STAGE if self.stage is None else STANDING_OF_STAGE[self.stage]

    @property
    def stage_text(self) -> str:
        """The stage in words, saying where a person's comes from: "allied (their group St Mary's)"."""
        if self.stage is None:
            return "no stage (in no group)" if self.kind is Kind.PEOPLE else "no stage"
        stage = _words(self.stage.value)
        return f"{stage} (their group {self.via})" if self.via else stage


@dataclass(frozen=True, kw_only=True)
class Mark(Entry):
    """A group or person with both influence and alignment: a labelled mark on the grid."""

    influence: int
    alignment: int

    @property
    def cell(self) -> tuple[int, int]:
        return self.influence, self.alignment

    @property
    def quadrant(self) -> Quadrant | None:
        return quadrant(self.influence, self.alignment)

    @property
    def zone(self) -> str:
        """The quadrant's title, or "Neutral"."""
        found = self.quadrant
        return found.label if found else NEUTRAL_TITLE


@dataclass(frozen=True, kw_only=True)
class Unplaced(Entry):
    """A group or person left off the map: missing influence, alignment or both."""

    missing: tuple[str, ...]


def sort_key(entry: Entry) -> tuple[int, str, str]:
    """The order within a cell: groups before people, then by name (any case), then by id."""
    return (0 if entry.kind is Kind.GROUPS else 1, entry.label.casefold(), entry.id)


def _entry_fields(record: Record, index: RecordIndex) -> dict[str, Any]:
    fields: dict[str, Any] = {"kind": record.KIND, "id": record.id, "label": record.label}
    if isinstance(record, Group):
        fields.update(stage=record.stage, categories=(record.category.value,), tags=tuple(record.tags))
    elif isinstance(record, Person):
        groups = [g for g in (index[Kind.GROUPS].get(ref) for ref in record.groups) if isinstance(g, Group)]
        best = max(groups, key=lambda g: _STAGE_RANK[g.stage], default=None)  # the first of equals
        fields.update(
            stage=best.stage if best else None,
            via=best.name if best else "",
            categories=tuple(dict.fromkeys(g.category.value for g in groups)),
            tags=tuple(dict.fromkeys(t for g in groups for t in g.tags)),
        )
    return fields


def _mappable(index: RecordIndex) -> Iterable[Group | Person]:
    for kind in MAP_KINDS:
        for record in index[kind].values():
            if isinstance(record, Group | Person):
                yield record


def marks(index: RecordIndex) -> list[Mark]:
    """Every group and person with both influence and alignment, in sort_key order."""
    found = [
        Mark(**_entry_fields(record, index), influence=record.influence, alignment=record.alignment)
        for record in _mappable(index)
        if record.influence is not None and record.alignment is not None
    ]
    return sorted(found, key=sort_key)


def unplaced(index: RecordIndex) -> list[Unplaced]:
    """Groups and people missing influence or alignment (or both), so not on the map.

    Our own members with neither are left out: they are us, not someone to map.
    """
    found = []
    for record in _mappable(index):
        missing = tuple(name for name in ("influence", "alignment") if getattr(record, name) is None)
        if not missing or (isinstance(record, Person) and record.is_member and len(missing) == 2):
            continue
        found.append(Unplaced(**_entry_fields(record, index), missing=missing))
    return sorted(found, key=sort_key)


# filters

KINDS = [Kind.GROUPS.value, Kind.PEOPLE.value]
MAP_FIELDS = Fields(
    (
        filters.choice("kind", KINDS, {"groups": ["group"], "people": ["person"]}, every="all"),
        filters.choice("stage", Stage),
        filters.choice("category", Category),
        filters.text("tag", "tags"),
        filters.text("name"),
        filters.number("influence"),
        filters.number("alignment"),
    )
)
"""What the map's filter words may name (the language is model/filters.py)."""


@dataclass(frozen=True)
class MapFilter:
    """Which entries to show, in the filter language every list uses (model/filters.py).

    Values of one field are alternatives (`stage:allied,meeting`, or the field twice); fields and words
    must all match. A kind is "groups" or "people" ("group", "person" and beginnings such as "g" do too);
    "all" is no limit. A person has the stage of their group furthest along, and matches a category or
    tag when one of their groups has it. Free words match the name or id. Anything not understood is in
    .errors, and matches nothing.
    """

    wanted: Filter = field(default_factory=Filter)
    written: str = ""

    @classmethod
    def parse(cls, text: str, *, exact: bool = False) -> MapFilter:
        """Read `kind:people stage:allied tag:faith influence:>=3 words`. exact: values match whole."""
        return cls(filters.parse(text, MAP_FIELDS, exact=exact), " ".join(text.split()))

    @classmethod
    def of(
        cls,
        kinds: Iterable[str] = (),
        stages: Iterable[str] = (),
        categories: Iterable[str] = (),
        tags: Iterable[str] = (),
        *,
        exact: bool = True,
    ) -> MapFilter:
        """A filter from lists of values (the command line's options); exact: values match whole."""
        pairs = [(name, v) for name, values in (("kind", kinds), ("stage", stages)) for v in values]
        pairs += [(name, v) for name, values in (("category", categories), ("tag", tags)) for v in values]
        written = " ".join(f"{name}:{value}" for name, value in pairs)
        return cls(filters.of(pairs, MAP_FIELDS, exact=exact), written)

    def __bool__(self) -> bool:
        return bool(self.wanted)

    @property
    def errors(self) -> tuple[str, ...]:
        return self.wanted.errors

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds shown, when the filter limits them (e.g. ("people",)); () for every kind."""
        return tuple(sorted(v for c in self.wanted.conditions if c.field == "kind" for v in c.chosen))

    def text(self) -> str:
        """The filter written out again, as parse() reads it."""
        return self.written

    def with_kind(self, kind: Kind | None) -> MapFilter:
        """The same filter limited to one kind instead (None: every kind)."""
        return MapFilter.parse(filters.replace_field(self.written, "kind", kind.value if kind else None))

    def matches(self, entry: Entry) -> bool:
        return self.wanted.matches(norm(f"{entry.label} {entry.id}"), lambda name: _entry_value(entry, name))


def _entry_value(entry: Entry, name: str) -> Values:
    if name == "kind":
        return entry.kind.value
    if name == "stage":
        return entry.stage.value if entry.stage else None
    if name == "category":
        return entry.categories
    if name == "tag":
        return entry.tags
    if name == "name":
        return entry.label
    value = getattr(entry, name, None)  # influence and alignment: a Mark has both, an Unplaced maybe not
    return value if isinstance(value, int) else None


def only(entries: Iterable[Mark], wanted: MapFilter) -> list[Mark]:
    """The marks the filter lets through, in sort_key order."""
    return sorted((m for m in entries if wanted.matches(m)), key=sort_key)


# layout


@dataclass(frozen=True)
class Cell:
    """One place on the grid: every mark there, in order, and those drawn (the rest are counted)."""

    influence: int
    alignment: int
    marks: tuple[Mark, ...]
    shown: tuple[Mark, ...]

    @property
    def hidden(self) -> int:
        """How many marks collapse into the cell's "+N"."""
        return len(self.marks) - len(self.shown)

    @property
    def crowded(self) -> bool:
        return self.hidden > 0


Grid = dict[tuple[int, int], Cell]


def layout(entries: Iterable[Mark], cell_capacity: int | Mapping[int, int], *, selected: str | None = None) -> Grid:
    """Every one of the 25 cells, by (influence, alignment), rows top to bottom, columns left to right.

    A cell shows up to cell_capacity marks (a number, or one per influence row) in sort_key order; the
    rest are counted. When the selected mark (by key) is among those counted, it takes the last place
    shown, so the selection is always on screen: the last place steps through the crowd.
    """
    by_cell: dict[tuple[int, int], list[Mark]] = {(i, a): [] for i in INFLUENCES for a in ALIGNMENTS}
    for mark in sorted(entries, key=sort_key):
        by_cell[mark.cell].append(mark)
    grid: Grid = {}
    for (influence, alignment), members in by_cell.items():
        room = cell_capacity if isinstance(cell_capacity, int) else cell_capacity.get(influence, 1)
        room = max(1, room)
        shown = members[:room]
        if len(members) > room and selected is not None:
            keys = [m.key for m in members]
            if selected in keys[room:]:
                shown = [*members[: room - 1], members[keys.index(selected)]]
        grid[influence, alignment] = Cell(influence, alignment, tuple(members), tuple(shown))
    return grid


def fullest(entries: Iterable[Mark]) -> dict[int, int]:
    """The most marks in any one cell of each influence row."""
    counts: dict[tuple[int, int], int] = {}
    for mark in entries:
        counts[mark.cell] = counts.get(mark.cell, 0) + 1
    return {i: max((counts.get((i, a), 0) for a in ALIGNMENTS), default=0) for i in INFLUENCES}


def row_capacities(entries: Iterable[Mark], lines: int) -> dict[int, int]:
    """Share `lines` out among the five rows by need: one each, then each spare line to the row whose
    fullest cell is furthest from fitting (the higher row on a tie); once all fit, evenly from the top."""
    need = fullest(entries)
    room = dict.fromkeys(INFLUENCES, 1)
    for _ in range(max(0, lines - len(INFLUENCES))):
        short = [i for i in INFLUENCES if need[i] > room[i]]
        # the row furthest from fitting; once all fit, the one with least room (the higher on a tie)
        pick = max(short, key=lambda i: need[i] - room[i]) if short else min(INFLUENCES, key=lambda i: room[i])
        room[pick] += 1
    return room


# labels and grouping


COLUMN_HEADINGS = {-2: "-2 opposed", -1: "-1", 0: "0 neutral", 1: "+1", 2: "+2 supportive"}


SHARED_LEAST = 3
SHARED_SHARE = 0.1
"""A start is shared when at least this many names, and this share of them, begin with it (a word of three
letters or more: "St" or "Dr" says too little on its own to leave off)."""
_JOINERS = re.compile(r"(?:(?:and|of|the|for|&|[-–—:,·])(?:\s+|$))+", re.IGNORECASE)


def shared_start(labels: Iterable[str], *, least: int = SHARED_LEAST, share: float = SHARED_SHARE) -> str:
    """The words that start many of the names ("Riverton" in a town's map), or "" when no start is that common.

    Names cut to fit a cell all look alike when they start the same ("Riverton Fo…", "Riverton To…"):
    short_label() leaves this start off so the marks can be told apart. Words compare in any case.
    """
    names = [label.split() for label in labels]
    firsts: dict[str, int] = {}
    for words in names:
        if len(words) > 1 and len(words[0]) >= 3:
            firsts[words[0].casefold()] = firsts.get(words[0].casefold(), 0) + 1
    wanted = max(least, share * len(names))
    common = [(-count, word) for word, count in firsts.items() if count >= wanted]
    if not common:
        return ""
    first = min(common)[1]
    starting = [words for words in names if len(words) > 1 and words[0].casefold() == first]
    shared = starting[0][:1]
    for n in range(1, min(len(words) for words in starting) - 1):  # always a word left after it
        if any(words[n].casefold() != starting[0][n].casefold() for words in starting):
            break
        shared = starting[0][: n + 1]
    return " ".join(shared)


def short_label(label: str, start: str) -> str:
    """label without a shared start (shared_start) and the joining words after it ("Riverton and District
    Trades Council" -> "District Trades Council"); the whole label when it does not begin so, or nothing is left."""
    if not start:
        return label
    words = start.split()
    pattern = r"\s*" + r"\s+".join(re.escape(w) for w in words) + r"\s+"
    found = re.match(pattern, label, re.IGNORECASE)
    if found is None:
        return label
    rest = label[found.end() :]
    joined = _JOINERS.match(rest)
    if joined is not None:
        rest = rest[joined.end() :]
    return rest if rest.strip() else label


def fitted_label(label: str, start: str, room: int) -> str:
    """The label as a cell room characters wide shows it: whole when it fits, else without the shared start."""
    return label if len(label) <= room else short_label(label, start)


def zones(entries: Iterable[Mark]) -> list[tuple[str, list[Mark]]]:
    """The marks of each quadrant and then the neutral ones, most influential and most decided first."""
    order = [*(q.label for q in Quadrant), NEUTRAL_TITLE]
    found: dict[str, list[Mark]] = {title: [] for title in order}
    for mark in entries:
        found[mark.zone].append(mark)
    return [
        (title, sorted(found[title], key=lambda m: (-m.influence, -abs(m.alignment), *sort_key(m)))) for title in order
    ]
