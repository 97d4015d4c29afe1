"""A filter typed on from the last one looks among its matches only when it narrows them (Filter.narrows,
Condition.within): typed and deleted a letter at a time, it always shows what the whole filter shows on every row."""

from __future__ import annotations

import datetime as dt

import pytest

from allytui.model.filters import Fields, Filter, parse
from allytui.store.loader import load_repo
from allytui.tui.rows import (
    CONVERSATION_COLUMNS,
    CONVERSATION_FIELDS,
    GROUP_COLUMNS,
    GROUP_FIELDS,
    Column,
    Row,
    conversation_rows,
    group_rows,
    select,
)
from tests.helpers import SAMPLE_DATA

TODAY = dt.date(2026, 11, 26)
GROUP_QUERIES = [
    "stage:allied",
    "stage:a,c",
    "stage:c,a food",
    "category:f stage:c",
    "group:st-m",
    "name:riv,st",
    "tag:foo,bar",
    "tag:youth tag:l",
    "lead:sam",
    "influence:>=3 stage:con",
    "influence:3..5",
    "due:2026-1",
    "due:..2026-12-31",
    "stagex:a",
    "stage:zzz stage:a",
    "riv stage:con",
]
CONVERSATION_QUERIES = ["channel:o", "group:riv channel:e,o", "with:chris", "2026-1", "member:sam date:2026"]


def typed_and_deleted(rows: list[Row], columns: list[Column], fields: Fields, query: str) -> int:
    """Type query a letter at a time, then delete it, as RecordTable._matching does (the last matches are the
    source when the filter narrows them); check each step against every row. How many steps narrowed."""
    steps = [query[:n] for n in range(1, len(query) + 1)]
    last: tuple[Filter, list[Row]] = (Filter(), rows)
    narrowed = 0
    for text in steps + steps[::-1] + [""]:
        wanted = parse(text, fields)
        source = last[1] if wanted.narrows(last[0]) else rows
        narrowed += source is not rows
        found = select(source, columns, wanted) if wanted else list(source)
        assert [r.key for r in found] == [r.key for r in select(rows, columns, wanted)], text
        last = (wanted, found)
    return narrowed


@pytest.mark.parametrize("query", GROUP_QUERIES)
def test_groups_filter_typed_and_deleted_shows_what_every_row_shows(query: str) -> None:
    rows = group_rows(load_repo(SAMPLE_DATA).records, TODAY)
    assert typed_and_deleted(rows, GROUP_COLUMNS, GROUP_FIELDS, query) > 0


@pytest.mark.parametrize("query", CONVERSATION_QUERIES)
def test_conversations_filter_typed_and_deleted_shows_what_every_row_shows(query: str) -> None:
    rows = conversation_rows(load_repo(SAMPLE_DATA).records, TODAY)
    assert typed_and_deleted(rows, CONVERSATION_COLUMNS, CONVERSATION_FIELDS, query) > 0


def condition(text: str) -> Filter:
    return parse(text, GROUP_FIELDS)


@pytest.mark.parametrize(
    ("before", "after", "narrows"),
    [
        ("stage:c", "stage:conv", True),  # in conversation only, of contacted and in conversation
        ("stage:conv", "stage:c", False),
        ("stage:a", "stage:al", True),  # allied both
        ("stage:a", "stage:a,c", False),  # a second value widens
        ("stage:a,c", "stage:a", True),
        ("name:st", "name:st-m", True),  # longer text
        ("name:st-m", "name:st", False),
        ("name:st", "name:st,r", False),
        ("name:st,r", "name:st-m,ri", True),
        ("name:st", "name:st tag:y", True),  # another field limits more
        ("name:st tag:y", "name:st", False),
        ("stage:zzz", "stage:zzza", True),  # matched nothing, still nothing
        ("stage:a", "stage:zzz", True),  # nothing is among anything
        ("stage:zzz", "stage:a", False),
        ("influence:3", "influence:3..5", False),  # ranges: only the same one
        ("influence:3..5", "influence:3", False),
        ("influence:3", "influence:3", True),
        ("riv stage:a", "rive stage:al", True),
    ],
)
def test_a_condition_typed_on_narrows_and_one_widened_does_not(before: str, after: str, narrows: bool) -> None:
    assert condition(after).narrows(condition(before)) is narrows
