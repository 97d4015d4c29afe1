"""The lines of each list screen, built from records alone (no Textual): cells, filter fields, sort keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from itertools import compress, repeat
from operator import contains, ne
from typing import Any

from allytui.model.agenda import unagreed_roles
from allytui.model.enums import ActivityKind, ActivityStatus, Category, Channel, Stage
from allytui.model.filters import Condition, Fields, Filter, Lookup, Values, choice, date, norm, number, text
from allytui.model.records import Activity, Conversation, Group, Kind, Person
from allytui.model.relations import RecordIndex, name_of
from allytui.model.shortlist import DECIDING, Score
from allytui.model.text_index import TextIndex
from allytui.model.validation import Problem
from allytui.render.cells import cell_width
from allytui.tui.details import signed


@dataclass(frozen=True)
class Column:
    """A table column: its least width in cells, and how it takes a share of a wider table.

    grow: this column's share of the width left over (0: it keeps its width), up to most cells;
    wide: the column shows only when the table has at least this many cells;
    whole: its cells are never cut (dates, counts like "overdue 124d"): the table widens it to its widest
    cell and scrolls sideways rather than shrink it. Numeric columns are whole too.
    The last shown column takes whatever is left, or gives some up before the table scrolls sideways.
    """

    key: str
    label: str
    width: int
    numeric: bool = False
    grow: int = 0
    most: int | None = None
    wide: int = 0
    whole: bool = False

    @property
    def kept_whole(self) -> bool:
        return self.whole or self.numeric


def sized_to(columns: list[Column], rows: Iterable[Row]) -> list[Column]:
    """The columns with each whole one at least as wide as its label and its widest cell, so none is cut."""
    keep = [n for n, c in enumerate(columns) if c.kept_whole]
    if not keep:
        return list(columns)
    widest = {n: len(columns[n].label) for n in keep}
    for row in rows:
        for n in keep:
            if n < len(row.cells):
                widest[n] = max(widest[n], cell_width(row.cells[n]))
    return [replace(c, width=max(c.width, widest[n])) if n in widest else c for n, c in enumerate(columns)]


def fit_widths(columns: list[Column], room: int, last_least: int = 8) -> list[int | None]:
    """Each column's width in a table room cells wide (a space after each column), None for a hidden one."""
    widths: list[int | None] = [c.width if room >= c.wide else None for c in columns]
    shown = [n for n, w in enumerate(widths) if w is not None]
    if not shown:
        return widths
    spare = room - sum(columns[n].width + 1 for n in shown)
    growers = [n for n in shown if columns[n].grow > 0]
    while spare > 0 and growers:
        total = sum(columns[n].grow for n in growers)
        given = 0
        for n in growers:
            width = widths[n] or 0
            most = columns[n].most
            add = spare * columns[n].grow // total
            add = add if most is None else min(add, most - width)
            widths[n] = width + add
            given += add
        growers = [n for n in growers if columns[n].most is None or (widths[n] or 0) < (columns[n].most or 0)]
        if given == 0:
            break
        spare -= given
    last = shown[-1]
    width = widths[last] or 0
    least = width if columns[last].kept_whole else min(width, last_least)
    widths[last] = max(least, width + spare)
    return widths


@dataclass
class Row:
    """One record's line: its cells as plain text, what filtering searches, and how it sorts."""

    key: str
    cells: tuple[str, ...]
    haystack: str = ""
    """What free filter words are found in: normalised with filters.norm() (any case, `_` as space)."""
    sort_keys: tuple[Any, ...] = ()
    style: str = ""  # a component-class suffix for the whole row, e.g. "warning"
    extra: dict[str, Values] = field(default_factory=dict)
    """Values for `field:value` filter words, where they differ from the cell of the column of that key."""


def haystack(*parts: str) -> str:
    return norm(" ".join(parts))


def words(value: str) -> str:
    return value.replace("_", " ")


def value_in(row: Row, name: str, column: int | None) -> Values:
    """A row's value for a filter's field: Row.extra first, then the cell of the field's column."""
    if name in row.extra:
        return row.extra[name]
    return row.cells[column] if column is not None and column < len(row.cells) else None


def lookup_in(row: Row, column_index: dict[str, int]) -> Lookup:
    """The function a Filter asks for a row's values (value_in)."""
    return lambda name: value_in(row, name, column_index.get(name))


class RowIndex:
    """The words of some rows' searchable text (model.text_index), indexed a part at a time."""

    FROM_ROWS = 1000
    """Fewer rows than this to look through are read (a millisecond), not looked up."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.texts = [row.haystack for row in rows]
        """The rows' texts alone: reading them from here does not touch each row (5x quicker at 50,000)."""
        self.text = TextIndex()

    @classmethod
    def carried(cls, rows: list[Row], previous: RowIndex, most: int = 100) -> RowIndex | None:
        """An index of rows made from previous (of the rows before a change; it is taken over), when it is
        complete, there are as many rows, in the same order, and at most `most` of their texts differ (a save):
        only those are indexed again. None otherwise (a record added, removed or renamed: build anew)."""
        if not previous.complete or len(rows) != len(previous.rows):
            return None
        index = cls(rows)
        changed = list(compress(range(len(rows)), map(ne, previous.texts, index.texts)))
        if len(changed) > most:
            return None
        index.text = previous.text
        for n in changed:
            index.text.replace(n, previous.texts[n], index.texts[n])
        return index

    @property
    def complete(self) -> bool:
        return len(self.text) == len(self.rows)

    def add(self, count: int) -> None:
        """Index the next count rows."""
        done = len(self.text)
        self.text.add(self.texts[done : done + count])

    def with_word(self, rows: list[Row], word: str) -> list[Row] | None:
        """Those of rows (some of the indexed rows, in their order) whose text holds word, or None when they are
        better read one by one: the index is not complete, there are few rows, or most of them hold the word."""
        if not self.complete or len(rows) < self.FROM_ROWS:
            return None
        everyone = len(rows) == len(self.rows)  # rows are some of them, so all of them
        found = self.text.find(word, most=2 * len(rows))
        if found is None:
            return list(compress(self.rows, map(contains, self.texts, repeat(word)))) if everyone else None
        if everyone:
            positions = sorted(found.positions)
            if not found.exact:
                texts = map(self.texts.__getitem__, positions)
                positions = list(compress(positions, map(contains, texts, repeat(word))))
            return list(map(self.rows.__getitem__, positions))
        keep = set(map(id, map(self.rows.__getitem__, found.positions)))
        if found.exact:
            return [r for r in rows if id(r) in keep]
        return [r for r in rows if id(r) in keep and word in r.haystack]


def select(rows: list[Row], columns: Iterable[Column], wanted: Filter, index: RowIndex | None = None) -> list[Row]:
    """The rows a filter lets through, in order: one quick pass per free word, then one per field condition,
    asking the condition once per distinct value (a stage column of 50,000 rows holds a dozen).

    index: of the rows these are some of; a free word is looked up in it where that is quicker than reading
    every row's text."""
    for word in wanted.words:
        looked_up = index.with_word(rows, word) if index is not None else None
        rows = [r for r in rows if word in r.haystack] if looked_up is None else looked_up
    if wanted.conditions:
        at = {c.key: n for n, c in enumerate(columns)}
        for condition in wanted.conditions:
            rows = _accepted(rows, condition, at.get(condition.field))
    return rows


SCALARS = (str, int, float, dt.date)


def _accepted(rows: list[Row], condition: Condition, column: int | None) -> list[Row]:
    """The rows whose value for the condition's field (value_in) the condition accepts."""
    name = condition.field
    answers: dict[Hashable, bool] = {}
    kept = []
    for row in rows:
        value = value_in(row, name, column)
        if value is None or isinstance(value, SCALARS):
            key: Hashable = (type(value), value)
        else:
            key = tuple((type(v), v) for v in value)
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = condition.accepts(value)
        if answer:
            kept.append(row)
    return kept


def fields_of_columns(columns: Iterable[Column], extra_keys: Iterable[str] = ()) -> Fields:
    """Filter fields for a table that declares none: its columns (numbers where numeric) and extra keys."""
    found = [number(c.key) if c.numeric else text(c.key) for c in columns]
    names = {f.name for f in found}
    found += [text(key) for key in sorted(set(extra_keys) - names)]
    return Fields(tuple(found))


# groups

STAGE_ORDER = {stage.value: n for n, stage in enumerate(Stage)}
INACTIVE = {Stage.DECLINED.value, Stage.PAUSED.value}

GROUP_COLUMNS = [
    Column("name", "Name", 20, grow=2, most=40),
    Column("category", "Category", 12, wide=90),  # at 80 columns: in the detail below, so the rest fit
    Column("stage", "Stage", 11, grow=1, most=15),
    Column("influence", "Inf", 3, numeric=True),
    Column("alignment", "Aln", 3, numeric=True),
    Column("lead", "Lead", 10, grow=1, most=18),
    Column("due", "Due", 10, whole=True),
    Column("next", "Next action", 8, grow=3),
]
GROUP_FIELDS = Fields(
    (
        text("name"),
        choice("category", Category),
        choice("stage", Stage),
        number("influence"),
        number("alignment"),
        text("lead"),
        text("next", "next_action"),
        date("due", "next_action_due"),
        text("tag", "tags"),
        text("area"),
    )
)


def group_rows(index: RecordIndex, today: dt.date) -> list[Row]:
    """Every group, by name; overdue next actions warn, paused and declined groups are muted."""
    rows = []
    for group in index[Kind.GROUPS].values():
        assert isinstance(group, Group)
        lead = name_of(index, Kind.PEOPLE, group.lead)
        due = group.next_action_due
        cells = (
            group.name,
            words(group.category.value),
            words(group.stage.value),
            "" if group.influence is None else str(group.influence),
            signed(group.alignment),
            lead,
            due.isoformat() if due else "",
            group.next_action,
        )
        searched = haystack(
            *cells,
            group.id,
            group.area,
            group.aims,
            group.notes,
            group.theory_of_change,
            group.organisation,
            group.networks,
            " ".join(group.tags),
            " ".join(group.red_lines),
            group.shortlist_notes,
            group.website,
        )
        overdue = due is not None and due < today and group.stage.value not in INACTIVE
        rows.append(
            Row(
                group.id,
                cells,
                searched,
                sort_keys=(
                    group.name.lower(),
                    group.category.value,
                    STAGE_ORDER[group.stage.value],
                    group.influence,
                    group.alignment,
                    lead.lower(),
                    due,
                    group.next_action.lower(),
                ),
                style="warning" if overdue else ("muted" if group.stage.value in INACTIVE else ""),
                extra={
                    "category": group.category.value,
                    "stage": group.stage.value,
                    "influence": group.influence,
                    "alignment": group.alignment,
                    "lead": [group.lead or "", lead],
                    "due": due,
                    "tag": list(group.tags),
                    "area": group.area,
                },
            )
        )
    rows.sort(key=lambda r: r.sort_keys[0])
    return rows


# people

PERSON_COLUMNS = [
    Column("name", "Name", 20),
    Column("role", "Role", 18),
    Column("ours", "Ours", 4),
    Column("influence", "Inf", 3, numeric=True),
    Column("alignment", "Aln", 3, numeric=True),
    Column("groups", "Groups", 20),
]
PERSON_FIELDS = Fields(
    (
        text("name"),
        text("role"),
        choice("ours", ["yes", "no"], {"yes": ["true"], "no": ["false"]}),
        number("influence"),
        number("alignment"),
        text("groups"),
        text("group"),
        text("team", "member_of"),
    )
)


def person_rows(index: RecordIndex) -> list[Row]:
    """Every person, by name, with their groups' names and whether they are one of ours."""
    rows = []
    for person in index[Kind.PEOPLE].values():
        assert isinstance(person, Person)
        groups = [name_of(index, Kind.GROUPS, g) for g in person.groups]
        team = name_of(index, Kind.TEAMS, person.member_of)
        cells = (
            person.name,
            person.role,
            "yes" if person.is_member else "",
            "" if person.influence is None else str(person.influence),
            signed(person.alignment),
            ", ".join(groups),
        )
        rows.append(
            Row(
                person.id,
                cells,
                haystack(*cells, person.id, team, *person.groups, person.notes),
                sort_keys=(
                    person.name.lower(),
                    person.role.lower(),
                    not person.is_member,
                    person.influence,
                    person.alignment,
                    ", ".join(groups).lower(),
                ),
                extra={
                    "ours": "yes" if person.is_member else "no",
                    "influence": person.influence,
                    "alignment": person.alignment,
                    "group": [*person.groups, *groups],
                    "team": [person.member_of or "", team],
                },
            )
        )
    rows.sort(key=lambda r: r.sort_keys[0])
    return rows


# conversations

CONVERSATION_COLUMNS = [
    Column("date", "Date", 10, whole=True),
    Column("group", "Group", 20),
    Column("channel", "Channel", 12),
    Column("follow_up", "Follow-up", 12, whole=True),
    Column("us", "Us", 16),
]
CONVERSATION_FIELDS = Fields(
    (
        date("date"),
        text("group"),
        choice("channel", Channel),
        date("follow_up", "due"),
        text("us"),
        text("member"),
        text("with"),
    ),
    date_words="date",
)


def conversation_rows(index: RecordIndex, today: dt.date) -> list[Row]:
    """Every conversation, newest first; a follow-up that is due warns."""
    rows = []
    for talk in index[Kind.CONVERSATIONS].values():
        assert isinstance(talk, Conversation)
        group = name_of(index, Kind.GROUPS, talk.group)
        ours = [name_of(index, Kind.PEOPLE, p) for p in talk.our_people]
        theirs = [name_of(index, Kind.PEOPLE, p) for p in talk.their_people]
        channel = words(talk.channel.value)
        overdue = talk.follow_up is not None and talk.follow_up < today
        follow_up = talk.follow_up.isoformat() + (" !" if overdue else "") if talk.follow_up else ""
        cells = (talk.date.isoformat(), group or "no group", channel, follow_up, ", ".join(ours))
        searched = haystack(
            *cells,
            talk.id,
            *theirs,
            talk.cares_about,
            talk.values_and_aims,
            talk.common_ground,
            talk.red_lines,
            talk.concerns,
            talk.outcome,
            talk.next_steps,
            talk.notes,
        )
        rows.append(
            Row(
                talk.id,
                cells,
                searched,
                sort_keys=(talk.date, group.lower(), channel, talk.follow_up, ", ".join(ours).lower()),
                style="warning" if overdue else "",
                extra={
                    "group": [talk.group or "", group],
                    "channel": talk.channel.value,
                    "member": [*talk.our_people, *ours],
                    "with": [*talk.their_people, *theirs],
                    "date": talk.date,
                    "follow_up": talk.follow_up,
                },
            )
        )
    rows.sort(key=lambda r: (r.sort_keys[0], r.key), reverse=True)
    return rows


# activities

STATUS_ORDER = {status: n for n, status in enumerate(ActivityStatus)}
ACTIVITY_COLUMNS = [
    Column("title", "Title", 24),
    Column("kind", "Kind", 13),
    Column("status", "Status", 9),
    Column("date", "Date", 10, whole=True),
    Column("partners", "Agreed", 8, whole=True),
]
ACTIVITY_FIELDS = Fields(
    (
        text("title"),
        choice("kind", ActivityKind),
        choice("status", ActivityStatus),
        date("date"),
        text("partners"),
        text("group"),
        text("location"),
    )
)


def activity_rows(index: RecordIndex, today: dt.date) -> list[Row]:
    """Soonest to come first, then undated ideas, then what is past; an unagreed role soon warns."""
    rows = []
    for activity in index[Kind.ACTIVITIES].values():
        assert isinstance(activity, Activity)
        partners = activity.partners
        agreed = sum(1 for p in partners if p.agreed)
        warn = bool(unagreed_roles(activity, today))
        partner_text = f"{agreed}/{len(partners)}" + (" !" if warn else "") if partners else "-"
        kind = words(activity.kind.value)
        names = [name_of(index, Kind.GROUPS, p.group) for p in partners]
        cells = (
            activity.title,
            kind,
            activity.status.value,
            activity.date.isoformat() if activity.date else "",
            partner_text,
        )
        searched = haystack(*cells, activity.id, activity.location, activity.notes, *names, *(p.role for p in partners))
        style = "warning" if warn else ("muted" if activity.status.value in {"done", "cancelled"} else "")
        rows.append(
            Row(
                activity.id,
                cells,
                searched,
                sort_keys=(
                    activity.title.lower(),
                    kind,
                    STATUS_ORDER[activity.status],
                    activity.date,
                    (len(partners) - agreed, len(partners)),
                ),
                style=style,
                extra={
                    "kind": activity.kind.value,
                    "status": activity.status.value,
                    "date": activity.date,
                    "group": [*(p.group for p in partners), *names],
                    "location": activity.location,
                },
            )
        )
    upcoming = [r for r in rows if r.sort_keys[3] is None or r.sort_keys[3] >= today]
    past = [r for r in rows if r.sort_keys[3] is not None and r.sort_keys[3] < today]
    upcoming.sort(key=lambda r: (r.sort_keys[3] is None, r.sort_keys[3] or dt.date.max, r.sort_keys[0]))
    past.sort(key=lambda r: (r.sort_keys[3], r.sort_keys[0]), reverse=True)
    return upcoming + past


# the shortlist

SHORTLIST_COLUMNS = [
    Column("rank", "#", 3, numeric=True),
    Column("score", "Score", 5, numeric=True),
    Column("name", "Group", 24),
    Column("stage", "Stage", 15),
    Column("why", "Why", 24),
]
SHORTLIST_FIELDS = Fields(
    (
        number("rank"),
        number("score"),
        text("name"),
        choice("stage", Stage),
        text("why"),
        choice("category", Category),
        text("tag", "tags"),
    )
)


def short_label(label: str) -> str:
    """A reason's label cut down for the table: "known: 2 of our members know it..." -> "known to 2"."""
    if label.startswith("known: "):
        return "known to " + label.split()[1]
    return label.removeprefix("network ").replace("would benefit from our demands", "benefits from demands")


def shortlist_row(n: int | None, item: Score) -> Row:
    """A ranked group (n None: a national contact, listed unranked): its score and its biggest reasons."""
    group = item.group
    biggest = sorted((r for r in item.reasons if round(r.points, 1) > 0), key=lambda r: -r.points)
    why = ", ".join(short_label(label) for label, _ in biggest)
    if item.national:
        why = "national contact · " + why
    cells = ("–" if n is None else str(n), f"{item.total:.1f}", group.name, words(group.stage.value), why)
    return Row(
        group.id,
        cells,
        haystack(*cells, group.id, group.category.value, *group.tags),
        style="muted" if item.national or group.stage not in DECIDING else "",
        extra={
            "rank": n,
            "score": item.total,
            "stage": group.stage.value,
            "category": group.category.value,
            "tag": list(group.tags),
        },
    )


# problems

PROBLEM_COLUMNS = [
    Column("path", "File", 30),
    Column("line", "Line", 4, numeric=True),
    Column("field", "Field", 14),
    Column("message", "Problem", 24),
]
PROBLEM_FIELDS = Fields((text("path", "file"), number("line"), text("field"), text("message", "problem")))


def problem_rows(problems: Iterable[Problem]) -> list[Row]:
    """One row per problem, keyed by its place in the list."""
    rows = []
    for n, problem in enumerate(problems):
        cells = (problem.path, "" if problem.line is None else str(problem.line), problem.field, problem.message)
        rows.append(
            Row(
                str(n),
                cells,
                haystack(*cells),
                sort_keys=(problem.path, problem.line or 0, *cells[2:]),
                extra={"line": problem.line},
            )
        )
    return rows
