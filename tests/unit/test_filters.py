"""The one filter language (model/filters.py) and the rows it filters (tui/rows.py), without a running app."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from allytui.model import filters
from allytui.model.enums import Channel, Stage
from allytui.model.filters import Fields, choice, date, number, parse, text
from allytui.model.privacy import sensitive_fields
from allytui.model.records import Activity, Conversation, Group, Kind, Person
from allytui.model.validation import Problem
from allytui.store.loader import Loaded, load_repo
from allytui.tui.rows import (
    ACTIVITY_COLUMNS,
    ACTIVITY_FIELDS,
    CONVERSATION_COLUMNS,
    CONVERSATION_FIELDS,
    GROUP_COLUMNS,
    GROUP_FIELDS,
    PERSON_COLUMNS,
    PERSON_FIELDS,
    PROBLEM_COLUMNS,
    PROBLEM_FIELDS,
    Column,
    Row,
    activity_rows,
    conversation_rows,
    fields_of_columns,
    group_rows,
    person_rows,
    problem_rows,
    select,
)
from tests.helpers import SAMPLE_DATA

TODAY = dt.date(2026, 11, 26)

FIELDS = Fields(
    (
        text("name"),
        choice("stage", Stage),
        number("influence"),
        number("alignment"),
        date("due", "next_action_due"),
        text("tag", "tags"),
    )
)


def item(
    name: str = "St Mary's Church",
    stage: str = "in_conversation",
    influence: int | None = 3,
    alignment: int | None = 1,
    due: dt.date | None = dt.date(2026, 12, 1),
    tags: tuple[str, ...] = ("faith", "venue"),
) -> tuple[str, filters.Lookup]:
    values: dict[str, filters.Values] = {
        "name": name,
        "stage": stage,
        "influence": influence,
        "alignment": alignment,
        "due": due,
        "tag": list(tags),
    }
    return filters.norm(f"{name} notes about soup_kitchens"), values.get


def matches(typed: str, **kwargs: Any) -> bool:
    wanted = parse(typed, FIELDS)
    assert not wanted.errors, wanted.errors
    return wanted.matches(*item(**kwargs))


# free words


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", True),
        ("mary", True),
        ("MARY church", True),  # every word, any case, any order
        ("mary mosque", False),
        ("soup kitchens", True),
        ("soup_kitchens", True),  # `_` and space are the same
        ('"mary\'s church"', True),  # quotes make one word of two
        ('"church mary"', False),
        ("ſt", True),  # casefold: the long s is an s
    ],
)
def test_free_words(typed: str, expected: bool) -> None:
    assert matches(typed) is expected


# fields


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("name:mary", True),  # text: any part
        ("NAME:Mary", True),
        ("name:mosque", False),
        ('name:"st mary"', True),
        ("tag:ven", True),  # any of a list's values
        ("tags:venue", True),  # another name for the field
        ("stage:in_conversation", True),  # the stored value
        ("stage:in conversation", False),  # two words: stage:in, and "conversation" not in the text
        ('stage:"in conversation"', True),  # the label people see
        ("stage:conv", True),  # the beginning of one of its words
        ("stage:contacted,in_conversation", True),  # a list: any of them
        ("stage:contacted stage:conv", True),  # the same field twice: the same as a list
        ("stage:contacted", False),
        ("stage:conv tag:faith", True),  # different fields: all of them
        ("stage:conv tag:sports", False),
        ("stage:conv mary", True),
        ("stage:conv mosque", False),
        ("stage:", True),  # half typed: no limit yet
        ("stage:contacted,", False),
        ("stage:,", True),
    ],
)
def test_text_and_choice_fields(typed: str, expected: bool) -> None:
    assert matches(typed) is expected


@pytest.mark.parametrize(
    ("typed", "influence", "expected"),
    [
        ("influence:3", 3, True),
        ("influence:3", 4, False),
        ("influence:3..5", 4, True),
        ("influence:3..5", 5, True),
        ("influence:3..5", 2, False),
        ("influence:>=3", 3, True),
        ("influence:>3", 3, False),
        ("influence:<=3", 3, True),
        ("influence:<3", 3, False),
        ("influence:<3", 2, True),
        ("influence:..2", 1, True),
        ("influence:4..", 5, True),
        ("influence:4..", 3, False),
        ("influence:1,5", 5, True),  # a list of numbers
        ("influence:>=1", None, False),  # not set: no number matches
    ],
)
def test_number_ranges(typed: str, influence: int | None, expected: bool) -> None:
    assert matches(typed, influence=influence) is expected


@pytest.mark.parametrize(
    ("typed", "alignment", "expected"),
    [
        ("alignment:-2..-1", -1, True),
        ("alignment:-2..-1", 0, False),
        ("alignment:+1", 1, True),
        ("alignment:1", -1, False),  # a number, not a part of "-1"
        ("alignment:>0", 2, True),
        ("alignment:<0", 0, False),
    ],
)
def test_signed_numbers(typed: str, alignment: int, expected: bool) -> None:
    assert matches(typed, alignment=alignment) is expected


@pytest.mark.parametrize(
    ("typed", "due", "expected"),
    [
        ("due:2026-12-01", dt.date(2026, 12, 1), True),
        ("due:2026-12", dt.date(2026, 12, 31), True),  # a month is all its days
        ("due:2026-12", dt.date(2027, 1, 1), False),
        ("due:2026", dt.date(2026, 1, 1), True),  # a year is all its days
        ("due:2026-2", dt.date(2026, 2, 28), True),  # a month without its 0
        ("due:..2026-12-31", dt.date(2026, 12, 31), True),
        ("due:..2026-12-31", dt.date(2027, 1, 1), False),
        ("due:2026-01-01..", dt.date(2026, 1, 1), True),
        ("due:2026-01-01..", dt.date(2025, 12, 31), False),
        ("due:2026-10..2026-11", dt.date(2026, 11, 30), True),  # to the end of the last month
        ("due:2026-10..2026-11", dt.date(2026, 12, 1), False),
        ("due:>2026-11", dt.date(2026, 11, 30), False),  # after November
        ("due:>2026-11", dt.date(2026, 12, 1), True),
        ("due:<2026-11", dt.date(2026, 11, 1), False),  # before November
        ("due:<=2026-11", dt.date(2026, 11, 30), True),
        ("next_action_due:2026", dt.date(2026, 6, 1), True),
        ("due:..2026-12-31", None, False),  # no date: not due before anything
    ],
)
def test_date_ranges(typed: str, due: dt.date | None, expected: bool) -> None:
    assert matches(typed, due=due) is expected


def test_dates_as_text_values_compare_as_dates() -> None:
    wanted = parse("due:2026-11..", FIELDS)
    assert wanted.matches("", {"due": "2026-11-24"}.get)
    assert not wanted.matches("", {"due": "2026-10-31"}.get)
    assert not wanted.matches("", {"due": "soon"}.get)


# what is not understood: reported, never raised, and matching nothing


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("colour:red", "colour: is not a field here; the fields are name, stage, influence, alignment, due, tag"),
        ("stage:xyz", "stage: no stage is “xyz”; it is one of researched, shortlisted"),
        ("stage:contacted,xyz", "no stage is “xyz”"),
        ("influence:lots", "influence: “lots” is not a number or a range, e.g. 3, 3..5, >=3, ..2"),
        ("influence:>", "“>” is not a number"),
        ("influence:..", "“..” is not a number"),
        ("influence:3..x", "“3..x” is not a number"),
        ("due:soon", "due: “soon” is not a date, month or year, or a range"),
        ("due:2026-13", "“2026-13” is not a date"),
        ("due:2026-02-30", "“2026-02-30” is not a date"),
    ],
)
def test_errors_are_reported_and_match_nothing(typed: str, message: str) -> None:
    wanted = parse(typed, FIELDS)
    assert any(message in error for error in wanted.errors), wanted.errors
    assert wanted  # not "no filter": it limits
    assert not wanted.matches(*item())


def test_words_that_only_look_like_fields_are_words() -> None:
    for typed in ("http://riverton.example", "10:30", "https://x.org/a:b"):
        wanted = parse(typed, FIELDS)
        assert wanted.errors == () and wanted.conditions == () and wanted.words == (typed,)


def test_errors_name_every_problem_and_keep_the_rest() -> None:
    wanted = parse("colour:red stage:allied influence:x mary", FIELDS)
    assert len(wanted.errors) == 2
    assert {c.field for c in wanted.conditions} == {"stage", "influence"}
    assert "mary" in wanted.words


def test_bare_dates_filter_on_the_date_field_when_the_list_says_so() -> None:
    fields = Fields((date("date"), text("notes")), date_words="date")
    wanted = parse("2026-11 soup", fields)
    assert [c.field for c in wanted.conditions] == ["date"] and wanted.words == ("soup",)
    assert wanted.matches("soup", {"date": dt.date(2026, 11, 5)}.get)
    assert not wanted.matches("soup", {"date": dt.date(2026, 12, 5)}.get)
    assert parse("2026-11", FIELDS).words == ("2026-11",)  # elsewhere a date is just a word


def test_exact_values_match_whole() -> None:
    def exact(typed: str, **kwargs: Any) -> bool:
        return parse(typed, FIELDS, exact=True).matches(*item(**kwargs))

    assert exact("tag:venue") and not exact("tag:ven")
    assert exact("stage:in_conversation") and exact('stage:"in conversation"')
    assert parse("stage:conv", FIELDS, exact=True).errors  # not a whole stage
    assert exact("name:st_mary's_church")  # any case, `_` as space, but whole


def test_typed_values_and_replacing_a_field() -> None:
    wanted = parse("group:St-Marys tag:a,b stage:", Fields((text("group"), text("tag"), choice("stage", Stage))))
    assert wanted.typed("group") == ("St-Marys",) and wanted.typed("tag") == ("a", "b")
    assert filters.replace_field("stage:allied kind:groups st", "kind", "people") == "kind:people stage:allied st"
    assert filters.replace_field('kind:groups "two words"', "kind", None) == '"two words"'


# records as `allytui list --where` sees them


def test_record_fields_from_the_model() -> None:
    fields = filters.record_fields(Person, hidden=sensitive_fields(Person))
    assert fields.find("contact") is None  # contact details are never a filter
    assert fields.find("group") is fields.find("groups")
    shapes = {f.name: f.shape for f in fields.fields}
    assert shapes["influence"] == "number" and shapes["consent"] == "choice" and shapes["consent_date"] == "date"
    stage = filters.record_fields(Group).find("stage")
    assert stage is not None and stage.shape == "choice"


def test_record_lookup_matches_yes_no_and_empty_values() -> None:
    fields = filters.record_fields(Group)
    group = Group(id="a", name="A", category="faith", national_contact=True, tags=["x"], influence=4)
    lookup = filters.record_lookup({**group.model_dump(mode="json"), "id": group.id})
    for pairs, expected in [
        ([("national_contact", "yes")], True),
        ([("national_contact", "false")], False),
        ([("lead", "")], True),  # an empty value: has none
        ([("tags", "")], False),
        ([("influence", "3..5"), ("tag", "x")], True),
        ([("category", "faith,sports")], True),
        ([("id", "a")], True),
    ]:
        wanted = filters.of(pairs, fields, exact=True)
        assert not wanted.errors and wanted.matches_fields(lookup) is expected, pairs


# the table's own fields: Row.extra first, then the cells


def test_table_fields_read_extra_values_then_cells() -> None:
    columns = [Column("name", "Name", 10), Column("stage", "Stage", 10), Column("n", "N", 3, numeric=True)]
    row = Row(
        "a", ("Ana", "in conversation", "12"), "ana in conversation", extra={"member": ["ana-lopez", "Ana López"]}
    )
    fields = fields_of_columns(columns, row.extra)

    def shown(typed: str) -> bool:
        return select([row], columns, parse(typed, fields)) == [row]

    assert shown("member:lópez")
    assert shown("stage:in_conversation")
    assert not shown("stage:meeting")
    assert shown("stage:")  # half typed: no filter yet
    assert shown("n:>10") and not shown("n:<10")  # a numeric column is a number
    assert not shown("http://x")  # not a field: a plain word
    assert parse("colour:red", fields).errors


# the list screens' rows, built from the sample data


@pytest.fixture(scope="module")
def sample() -> Loaded:
    return load_repo(SAMPLE_DATA)


def keys(rows: list[Row], columns: list[Column], fields: Fields, typed: str) -> set[str]:
    wanted = parse(typed, fields)
    assert not wanted.errors, wanted.errors
    return {row.key for row in select(rows, columns, wanted)}


def test_group_rows_filter_by_stage_list_influence_and_due(sample: Loaded) -> None:
    rows = group_rows(sample.records, TODAY)
    groups = [g for g in sample.records[Kind.GROUPS].values() if isinstance(g, Group)]
    assert [r.key for r in rows] == [g.id for g in sorted(groups, key=lambda g: g.name.lower())]

    def find(typed: str) -> set[str]:
        return keys(rows, GROUP_COLUMNS, GROUP_FIELDS, typed)

    stages = {Stage.CONTACTED, Stage.MEETING}
    assert find("stage:contacted,meeting") == {g.id for g in groups if g.stage in stages} != set()
    assert find("influence:>=3") == {g.id for g in groups if (g.influence or 0) >= 3} != set()
    assert find("influence:3..4 alignment:>0") == {
        g.id for g in groups if g.influence in (3, 4) and (g.alignment or 0) > 0
    }
    due = dt.date(2026, 12, 31)
    assert find("due:..2026-12-31") == {g.id for g in groups if g.next_action_due and g.next_action_due <= due}
    assert find("tag:faith") == {g.id for g in groups if any("faith" in t for t in g.tags)}
    assert find('category:"trade union"') == {g.id for g in groups if g.category.value == "trade_union"}
    overdue = {r.key for r in rows if r.style == "warning"}
    assert overdue == {
        g.id
        for g in groups
        if g.next_action_due and g.next_action_due < TODAY and g.stage not in {Stage.DECLINED, Stage.PAUSED}
    }


def test_conversation_rows_filter_by_field_words_and_bare_dates(sample: Loaded) -> None:
    rows = conversation_rows(sample.records, TODAY)
    talks = [c for c in sample.records[Kind.CONVERSATIONS].values() if isinstance(c, Conversation)]
    people = sample.records[Kind.PEOPLE]
    assert [r.cells[0] for r in rows] == sorted((r.cells[0] for r in rows), reverse=True)

    def find(typed: str) -> set[str]:
        return keys(rows, CONVERSATION_COLUMNS, CONVERSATION_FIELDS, typed)

    assert find("channel:email") == {c.id for c in talks if c.channel is Channel.EMAIL} != set()
    assert find("group:st-marys") == {c.id for c in talks if c.group == "st-marys-church"} != set()
    expected = {c.id for c in talks if "jonah-price" in c.our_people and c.date.isoformat().startswith("2026-11")}
    assert find("member:jonah 2026-11") == expected and len(expected) == 2
    assert find("with:pat") == {c.id for c in talks if any(people[p].name.startswith("Pat ") for p in c.their_people)}
    # A bare date is the conversation's date, not its follow-up: nothing was said in December 2026.
    assert any(c.follow_up and c.follow_up.isoformat().startswith("2026-12") for c in talks)
    assert find("2026-12") == set()
    assert find("follow_up:2026-12") == {c.id for c in talks if c.follow_up and c.follow_up.month == 12} != set()
    soup = find("channel:one_to_one soup")
    assert "2026-11-24-food-bank-soup-q3xy" in soup
    assert soup == {
        c.id
        for c in talks
        if c.channel is Channel.ONE_TO_ONE
        and "soup" in " ".join((c.cares_about, c.common_ground, c.outcome, c.next_steps, c.notes)).lower()
    }
    assert find("channel:email,one_to_one") == {c.id for c in talks if c.channel in (Channel.EMAIL, Channel.ONE_TO_ONE)}
    wanted = parse("colour:red", CONVERSATION_FIELDS)
    assert wanted.errors and select(rows, CONVERSATION_COLUMNS, wanted) == []


def test_person_rows_filter_by_group_team_and_ours(sample: Loaded) -> None:
    rows = person_rows(sample.records)
    people = [p for p in sample.records[Kind.PEOPLE].values() if isinstance(p, Person)]
    amira = next(row for row in rows if row.key == "amira-hassan")
    assert amira.cells == ("Amira Hassan", "Coordinator", "", "2", "+1", "Arle Valley Disability Forum")

    def find(typed: str) -> set[str]:
        return keys(rows, PERSON_COLUMNS, PERSON_FIELDS, typed)

    assert find("group:arle-disability-forum") == {p.id for p in people if "arle-disability-forum" in p.groups}
    assert find("ours:yes") == {p.id for p in people if p.is_member} != set()
    assert find("ours:no") == {p.id for p in people if not p.is_member} != set()
    assert find("group:disability influence:2") == {
        p.id for p in people if "arle-disability-forum" in p.groups and p.influence == 2
    }


def test_activity_rows_filter_by_status_and_date(sample: Loaded) -> None:
    rows = activity_rows(sample.records, TODAY)
    activities = [a for a in sample.records[Kind.ACTIVITIES].values() if isinstance(a, Activity)]

    def find(typed: str) -> set[str]:
        return keys(rows, ACTIVITY_COLUMNS, ACTIVITY_FIELDS, typed)

    assert find("status:planned,idea") == {a.id for a in activities if a.status.value in {"planned", "idea"}} != set()
    assert find("date:2026-11-26..") == {a.id for a in activities if a.date and a.date >= TODAY} != set()


def test_problem_rows_filter_by_line_and_field() -> None:
    problems = [Problem("groups/a.toml", "stage", "bad stage", line=3), Problem("people/b.toml", "", "bad", line=12)]
    rows = problem_rows(problems)
    assert keys(rows, PROBLEM_COLUMNS, PROBLEM_FIELDS, "line:>5") == {"1"}
    assert keys(rows, PROBLEM_COLUMNS, PROBLEM_FIELDS, "field:stage") == {"0"}
    assert keys(rows, PROBLEM_COLUMNS, PROBLEM_FIELDS, "file:people") == {"1"}


def test_a_field_may_be_named_by_its_start_when_only_one_field_starts_so() -> None:
    assert parse("inf:>=4", FIELDS).matches("", {"influence": "5"}.get)  # as the Inf column says
    assert not parse("inf:>=4", FIELDS).matches("", {"influence": "3"}.get)
    assert not parse("inf:>=4", FIELDS).errors
    assert parse("in:4", FIELDS).errors  # two letters name nothing
    both = Fields((text("name"), text("notes")))
    assert both.find("nam") is not None and both.find("not") is not None
    assert both.find("n") is None
    ambiguous = Fields((text("notes"), text("notice")))
    assert ambiguous.find("not") is None  # two fields start so: say it is not a field


def test_every_unknown_field_is_named_in_one_message() -> None:
    wanted = parse("colour:red size:big colour:blue", FIELDS)
    assert wanted.errors == (
        "colour, size: are not fields here; the fields are name, stage, influence, alignment, due, tag",
    )
