"""The power map (the guide's step 4): groups and people placed by influence and alignment.

Pure: which records go where, the filters, how a crowded cell collapses into a count, and the text and
SVG exports all work from records alone and return values or strings.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from typing import Any

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind, Person, Record
from allytui.model.text import visible

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

FILTER_FIELDS = ("kind", "stage", "category", "tag")


def _norm(value: str) -> str:
    return value.casefold().replace("_", " ")


@dataclass(frozen=True)
class MapFilter:
    """Which entries to show. Values of one field are alternatives; fields and words must all match.

    Values match as parts of words, any case, with `_` and space the same ("stage:conv" finds
    in_conversation), as the list screens' `field:value` filter does. A kind is "groups" or "people"
    ("group", "person" and beginnings such as "g" do too); "all" is no limit. A person matches a category
    or tag when one of their groups has it. Free words match the name or id.
    """

    kinds: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    exact: bool = False
    """Values must match whole (for the command line, where they are chosen from lists)."""

    @classmethod
    def parse(cls, text: str) -> MapFilter:
        """Read `kind:people stage:allied tag:faith words`; an unknown `x:y` is a free word."""
        found: dict[str, list[str]] = {name: [] for name in FILTER_FIELDS}
        words: list[str] = []
        for word in text.split():
            name, colon, value = word.partition(":")
            name = name.casefold()
            if colon and name in found:
                if value:  # `stage:` on its own, half typed, limits nothing yet
                    found[name].append(_norm(value))
            else:
                words.append(word.casefold())
        kinds = tuple(v for v in found["kind"] if v != "all")
        return cls(kinds, tuple(found["stage"]), tuple(found["category"]), tuple(found["tag"]), tuple(words))

    def __bool__(self) -> bool:
        return bool(self.kinds or self.stages or self.categories or self.tags or self.words)

    def text(self) -> str:
        """The filter written out again, as parse() reads it."""
        parts = [f"{name}:{value.replace(' ', '_')}" for name, values in self._fields() for value in values]
        return " ".join([*parts, *self.words])

    def _fields(self) -> list[tuple[str, tuple[str, ...]]]:
        return [("kind", self.kinds), ("stage", self.stages), ("category", self.categories), ("tag", self.tags)]

    def with_kind(self, kind: Kind | None) -> MapFilter:
        """The same filter limited to one kind instead (None: every kind)."""
        kinds = (kind.value,) if kind is not None else ()
        return MapFilter(kinds, self.stages, self.categories, self.tags, self.words, self.exact)

    def matches(self, entry: Entry) -> bool:
        def any_of(wanted: tuple[str, ...], values: Iterable[str]) -> bool:
            normed = [_norm(v) for v in values]
            return not wanted or any((_norm(w) == v) if self.exact else (_norm(w) in v) for w in wanted for v in normed)

        kind_names = (entry.kind.value, entry.kind.singular)
        if self.kinds and not any(
            (name == w) if self.exact else name.startswith(w) for w in self.kinds for name in kind_names
        ):
            return False
        if not any_of(self.stages, [entry.stage.value] if entry.stage else []):
            return False
        if not any_of(self.categories, entry.categories) or not any_of(self.tags, entry.tags):
            return False
        haystack = f"{entry.label} {entry.id}".casefold()
        return all(word in haystack for word in self.words)


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


# exports


def _cut(text: str, width: int) -> str:
    text = visible(text)
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(mark: Mark) -> str:
    """One line about a mark, for lists: kind, stage, influence and alignment."""
    return f"{mark.kind.singular}; {mark.stage_text}; influence {mark.influence}, alignment {signed(mark.alignment)}"


def legend(entries: Iterable[Entry]) -> list[tuple[Standing, str]]:
    """(standing, "● allied") for the legend, with "no stage" only when some entry has none."""
    present = {e.standing for e in entries}
    return [
        (standing, f"{standing.symbol} {standing.label}")
        for standing in Standing
        if standing is not Standing.NO_STAGE or standing in present
    ]


COLUMN_HEADINGS = {-2: "-2 opposed", -1: "-1", 0: "0 neutral", 1: "+1", 2: "+2 supportive"}


def zones(entries: Iterable[Mark]) -> list[tuple[str, list[Mark]]]:
    """The marks of each quadrant and then the neutral ones, most influential and most decided first."""
    order = [*(q.label for q in Quadrant), NEUTRAL_TITLE]
    found: dict[str, list[Mark]] = {title: [] for title in order}
    for mark in entries:
        found[mark.zone].append(mark)
    return [
        (title, sorted(found[title], key=lambda m: (-m.influence, -abs(m.alignment), *sort_key(m)))) for title in order
    ]


def to_text(
    entries: Iterable[Mark],
    *,
    title: str = "Power map",
    note: str = "",
    left_off: Sequence[Unplaced] = (),
    column_width: int = 15,
    cell_capacity: int | None = None,
) -> str:
    """The map as plain text for an email: the grid (labels cut to fit), a legend, then every mark in
    full under its quadrant, and who is not on the map yet. Every cell shows all its marks unless
    cell_capacity says otherwise."""
    placed = sorted(entries, key=sort_key)
    width = max(6, column_width)
    inner = width - 2
    counts = fullest(placed)
    capacity = cell_capacity or {i: max(1, counts[i]) for i in INFLUENCES}
    grid = layout(placed, capacity)
    gutter = "influence "
    lines = [visible(title)]
    lines.append(f"{len(placed)} on the map" + (f" · {visible(note)}" if note else ""))
    lines.append("")

    def span(text: str, columns: int) -> str:
        room = columns * width + (columns - 1)
        return _cut(text, room).center(room)

    def titles(left: Quadrant, right: Quadrant) -> str:
        middle = " " * (width + 2)  # the neutral column and its two borders
        return (" " * (len(gutter) + 1) + span(left.label.upper(), 2) + middle + span(right.label.upper(), 2)).rstrip()

    rule = "-" * len(gutter) + "+" + "+".join("-" * width for _ in ALIGNMENTS)
    cut_rule = rule.replace("-", "=")
    lines.append(titles(Quadrant.INFLUENTIAL_OPPONENTS, Quadrant.INFLUENTIAL_ALLIES))
    headings = "|".join(f" {_cut(COLUMN_HEADINGS[a], inner):<{inner}} " for a in ALIGNMENTS)
    lines.append((gutter + "|" + headings).rstrip())
    lines.append(rule)
    for influence in INFLUENCES:
        row = [grid[influence, a] for a in ALIGNMENTS]
        height = max(1, *(len(c.shown) + (1 if c.crowded else 0) for c in row))
        for n in range(height):
            label = f"{influence:>{len(gutter) - 2}}  " if n == 0 else " " * len(gutter)
            cells = []
            for cell in row:
                if n < len(cell.shown):
                    mark = cell.shown[n]
                    content = f"{mark.standing.symbol} {_cut(mark.label, inner - 2)}"
                elif n == len(cell.shown) and cell.crowded:
                    content = f"+{cell.hidden} more"
                else:
                    content = ""
                cells.append(f" {content:<{inner}} ")
            lines.append((label + "|" + "|".join(cells)).rstrip())
        lines.append(cut_rule if influence == INFLUENTIAL else rule)
    lines.append(titles(Quadrant.OPPOSED, Quadrant.SUPPORTIVE))
    lines.append("")
    key = [item for _, item in legend(placed)]
    per_line = 3 if len("   ".join(key)) > 80 else len(key)
    for n in range(0, len(key), per_line):
        lines.append(("Key: " if n == 0 else "     ") + "   ".join(key[n : n + per_line]))
    lines.append("A person is shown with the stage of their group that is furthest along.")
    lines.append(f"Influential: influence {INFLUENTIAL} or more. Alignment 0 is neutral, in no quadrant.")
    for zone, members in zones(placed):
        lines.append("")
        lines.append(f"{zone} ({len(members)})")
        lines.extend(f"  {m.standing.symbol} {visible(m.label)} ({describe(m)})" for m in members)
        if not members:
            lines.append("  none")
    if left_off:
        lines.append("")
        lines.append(f"Not on the map yet ({len(left_off)}): no influence or alignment recorded")
        lines.extend(f"  {visible(e.label)} ({e.kind.singular}; no {' or '.join(e.missing)})" for e in left_off)
    return "\n".join(lines) + "\n"


def to_json(entries: Iterable[Mark], left_off: Sequence[Unplaced] = (), note: str = "") -> dict[str, Any]:
    """Placements as plain data, for `allytui map --json`."""

    def common(entry: Entry) -> dict[str, Any]:
        return {
            "kind": entry.kind.value,
            "id": entry.id,
            "label": entry.label,
            "stage": entry.stage.value if entry.stage else None,
            "stage_via": entry.via or None,
            "categories": list(entry.categories),
            "tags": list(entry.tags),
        }

    return {
        "filter": note,
        "influential_from": INFLUENTIAL,
        "placements": [
            {
                **common(m),
                "influence": m.influence,
                "alignment": m.alignment,
                "quadrant": m.quadrant.value if m.quadrant else "neutral",
            }
            for m in sorted(entries, key=sort_key)
        ],
        "not_on_map": [{**common(e), "missing": list(e.missing)} for e in left_off],
    }


# SVG: Okabe-Ito colours, which stay apart for colour-blind eyes; each standing has its own shape too.
SVG_COLOURS = {
    Standing.ALLIED: "#009E73",
    Standing.TALKING: "#0072B2",
    Standing.APPROACHED: "#E69F00",
    Standing.RESEARCHED: "#6F6F6F",
    Standing.STOPPED: "#D55E00",
    Standing.NO_STAGE: "#222222",
}
_QUADRANT_FILLS = {
    Quadrant.INFLUENTIAL_ALLIES: "#E8F5EE",
    Quadrant.INFLUENTIAL_OPPONENTS: "#FBEDE6",
    Quadrant.SUPPORTIVE: "#F1F8F4",
    Quadrant.OPPOSED: "#FDF5F1",
}
_FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
_SVG_COLUMN, _SVG_LEFT, _SVG_LINE = 200, 90, 18


def _x(text: str) -> str:
    """Record text made safe for XML: control characters shown as escapes, then & < > " ' escaped."""
    return escape(visible(text), quote=True)


def _shape(standing: Standing, x: float, y: float) -> str:
    colour = SVG_COLOURS[standing]
    if standing is Standing.ALLIED:
        return f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}"/>'
    if standing is Standing.TALKING:
        return (
            f'<circle cx="{x}" cy="{y}" r="5" fill="#FFFFFF" stroke="{colour}" stroke-width="1.6"/>'
            f'<path d="M{x},{y - 5} A5,5 0 0,0 {x},{y + 5} Z" fill="{colour}"/>'
        )
    if standing is Standing.APPROACHED:
        return f'<circle cx="{x}" cy="{y}" r="4.5" fill="#FFFFFF" stroke="{colour}" stroke-width="2"/>'
    if standing is Standing.RESEARCHED:
        return f'<circle cx="{x}" cy="{y}" r="2.6" fill="{colour}"/>'
    if standing is Standing.STOPPED:
        return (
            f'<path d="M{x - 4},{y - 4} L{x + 4},{y + 4} M{x - 4},{y + 4} L{x + 4},{y - 4}" '
            f'stroke="{colour}" stroke-width="2.2" stroke-linecap="round"/>'
        )
    return f'<path d="M{x},{y - 5} L{x + 5},{y} L{x},{y + 5} L{x - 5},{y} Z" fill="#FFFFFF" stroke="{colour}"/>'


def to_svg(entries: Iterable[Mark], *, title: str = "Power map", note: str = "") -> str:
    """A standalone SVG of the map for slides: quadrants, axes, every mark labelled (names cut to fit,
    in full on hover), shaped and coloured by stage, people in italics, and a legend. No external files;
    every piece of record text is escaped."""
    placed = sorted(entries, key=sort_key)
    counts = fullest(placed)
    heights = {i: max(64, 16 + counts[i] * _SVG_LINE) for i in INFLUENCES}
    top, left, column = 118, _SVG_LEFT, _SVG_COLUMN
    width = left + 5 * column + 24
    tops: dict[int, int] = {}
    y = top
    for influence in INFLUENCES:
        tops[influence] = y
        y += heights[influence]
    bottom = y
    height = bottom + 130

    def col_x(alignment: int) -> int:
        return left + (alignment + 2) * column

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="13" fill="#222222">',
        f"<title>{_x(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>',
        f'<text x="{left}" y="32" font-size="22" font-weight="bold">{_x(title)}</text>',
        f'<text x="{left}" y="56" fill="#555555">{_x(f"{len(placed)} on the map" + (f" · {note}" if note else ""))}'
        "</text>",
    ]
    # quadrant backgrounds and the neutral column
    for q in Quadrant:
        right = q in (Quadrant.INFLUENTIAL_ALLIES, Quadrant.SUPPORTIVE)
        high = q in (Quadrant.INFLUENTIAL_ALLIES, Quadrant.INFLUENTIAL_OPPONENTS)
        x0 = col_x(1 if right else -2)
        y0 = top if high else tops[INFLUENTIAL - 1]
        y1 = tops[INFLUENTIAL - 1] if high else bottom
        out.append(f'<rect x="{x0}" y="{y0}" width="{2 * column}" height="{y1 - y0}" fill="{_QUADRANT_FILLS[q]}"/>')
    out.append(f'<rect x="{col_x(0)}" y="{top}" width="{column}" height="{bottom - top}" fill="#F4F4F4"/>')
    # grid lines
    for influence in INFLUENCES[1:]:
        heavy = influence == INFLUENTIAL - 1
        out.append(
            f'<line x1="{left}" y1="{tops[influence]}" x2="{left + 5 * column}" y2="{tops[influence]}" '
            f'stroke="{"#444444" if heavy else "#D0D0D0"}" stroke-width="{2 if heavy else 1}"/>'
        )
    for alignment in (*ALIGNMENTS[1:], 3):
        heavy = alignment in (0, 1)
        x = col_x(alignment) if alignment < 3 else left + 5 * column
        out.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" '
            f'stroke="{"#444444" if heavy else "#D0D0D0"}" stroke-width="{2 if heavy else 1}"/>'
        )
    out.append(
        f'<rect x="{left}" y="{top}" width="{5 * column}" height="{bottom - top}" fill="none" stroke="#444444"/>'
    )
    # quadrant titles, column headings, row numbers and axis titles
    middle_left, middle_right = col_x(-1), col_x(2)
    for x, y_text, q in (
        (middle_left, 84, Quadrant.INFLUENTIAL_OPPONENTS),
        (middle_right, 84, Quadrant.INFLUENTIAL_ALLIES),
        (middle_left, bottom + 24, Quadrant.OPPOSED),
        (middle_right, bottom + 24, Quadrant.SUPPORTIVE),
    ):
        out.append(f'<text x="{x}" y="{y_text}" text-anchor="middle" font-weight="bold">{_x(q.label)}</text>')
    for alignment in ALIGNMENTS:
        out.append(
            f'<text x="{col_x(alignment) + column // 2}" y="106" text-anchor="middle" fill="#555555">'
            f"{_x(COLUMN_HEADINGS[alignment])}</text>"
        )
    for influence in INFLUENCES:
        out.append(
            f'<text x="{left - 12}" y="{tops[influence] + 20}" text-anchor="end" font-weight="bold">{influence}</text>'
        )
    axis_y = (top + bottom) // 2
    out.append(
        f'<text x="28" y="{axis_y}" text-anchor="middle" transform="rotate(-90 28 {axis_y})" fill="#555555">'
        "influence (5 most)</text>"
    )
    out.append(
        f'<text x="{left + 5 * column // 2}" y="{bottom + 48}" text-anchor="middle" fill="#555555">'
        f"alignment: opposed ← → shares our aims · influential from {INFLUENTIAL} up</text>"
    )
    # the marks
    limit = (column - 40) // 7  # characters that fit beside the symbol, at about 7 pixels each
    grid = layout(placed, {i: max(1, counts[i]) for i in INFLUENCES})
    for (influence, alignment), cell in grid.items():
        for n, mark in enumerate(cell.shown):
            x = col_x(alignment) + 14
            y = tops[influence] + 18 + n * _SVG_LINE
            style = ' font-style="italic"' if mark.kind is Kind.PEOPLE else ""
            out.append(
                f'<g data-kind="{_x(mark.kind.value)}" data-id="{_x(mark.id)}">'
                f"<title>{_x(f'{mark.label} ({describe(mark)})')}</title>"
                f"{_shape(mark.standing, x, y - 4)}"
                f'<text x="{x + 10}" y="{y}"{style}>{_x(_cut(mark.label, limit))}</text></g>'
            )
    # the legend
    x, y = left, bottom + 86
    items: list[tuple[Standing | None, str]] = [(standing, standing.label) for standing, _ in legend(placed)]
    for standing, label in [*items, (None, "italic: a person, shown with their group's stage")]:
        room = 24 + 7 * len(label)
        if x + room > width - 10:
            x, y = left, y + 24
        if standing is not None:
            out.append(_shape(standing, x + 6, y - 4))
            out.append(f'<text x="{x + 16}" y="{y}">{_x(label)}</text>')
        else:
            out.append(f'<text x="{x}" y="{y}" font-style="italic">{_x(label)}</text>')
        x += room
    out.append("</svg>")
    return "\n".join(out) + "\n"
