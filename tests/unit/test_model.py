"""The model layer on its own: ids, text safety, validation messages, references, change descriptions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import ValidationError

from allytui.model.changes import describe_change
from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.records import Group, Kind, Knows, Person, Stage
from allytui.model.text import visible
from allytui.model.validation import broken_references, build_record, referrers
from tests.helpers import one_of_each


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("st-marys", True),
        ("a", True),
        ("0-9", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("-a", False),
        ("St-Marys", False),
        ("st_marys", False),
        ("../etc", False),
        ("a/b", False),
        ("", False),
        ("café", False),
    ],
)
def test_ids(text: str, valid: bool) -> None:
    assert is_valid_id(text) is valid


def test_slugs_and_unique_ids() -> None:
    assert slugify("St Mary's Church") == "st-marys-church"
    assert slugify("Café Ñandú — Riverton!") == "cafe-nandu-riverton"
    assert slugify("???") == "record"
    assert is_valid_id(slugify("x" * 200))
    assert unique_id("st-marys", {"st-marys", "st-marys-2"}) == "st-marys-3"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("مسجد النور", "msjd-lnwr"),
        ("בית הכנסת", "vyt-hkhnst"),
        ("Храм Христа Спасителя", "khram-khrista-spasitelya"),
        ("Ελληνική Κοινότητα", "elliniki-koinotita"),
        ("Łódź Sisters", "lodz-sisters"),
        ("🌍 Climate Café", "climate-cafe"),  # a symbol is left out, not spelt out as its name
    ],
)
def test_names_in_any_script_get_readable_ids(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_valid_id(slug)


@pytest.mark.parametrize(("kind", "field"), [(Kind.GROUPS, "name"), (Kind.PEOPLE, "name"), (Kind.ACTIVITIES, "title")])
@pytest.mark.parametrize("blank", ["", "   ", "\u00a0"])
def test_a_blank_name_is_refused_with_the_field_named(kind: Kind, field: str, blank: str) -> None:
    data: dict[str, object] = {field: blank, "category": "faith"} if kind is Kind.GROUPS else {field: blank}
    record, errors = build_record(kind, "x", data)
    assert record is None
    assert errors == [(field, "a name is needed: it cannot be empty or only spaces")]


def test_conversation_ids_do_not_collide() -> None:
    ids = {conversation_id(dt.date(2026, 11, 24), "St Mary's") for _ in range(300)}
    assert len(ids) == 300
    assert all(re.fullmatch(r"2026-11-24-st-marys-[a-z2-9]{6}", i) for i in ids)
    assert all(is_valid_id(i) for i in ids)


def test_visible_escapes_every_control_character() -> None:
    assert visible("a\x1b[31mb\x07\x9b\u202e\nc\td") == "a\\x1b[31mb\\x07\\x9b\\u202e\\nc\\td"
    assert visible("[bold]plain[/] ✓ café") == "[bold]plain[/] ✓ café"


def test_knows_needs_exactly_one_target() -> None:
    with pytest.raises(ValidationError):
        Knows(person="a", group="b")
    with pytest.raises(ValidationError):
        Knows(how="neighbours")
    assert Knows(group="st-marys").target == (Kind.GROUPS, "st-marys")


def test_errors_name_nested_fields_and_hide_values() -> None:
    record, errors = build_record(
        Kind.PEOPLE, "ana", {"name": "Ana", "knows": [{"person": "b"}, {"person": "c", "strength": "secret-9"}]}
    )
    assert record is None
    assert errors == [("knows[1].strength", "Input should be a valid integer")]


def test_references_and_referrers() -> None:
    index = {kind: {} for kind in Kind}
    for record in one_of_each():
        index[record.KIND][record.id] = record
    assert list(broken_references(index)) == []
    del index[Kind.PEOPLE]["rev-okafor"]
    broken = sorted((r.id, field) for r, field, _ in broken_references(index))
    assert broken == [("2026-11-24-st-marys-k3f9", "their_people[0]"), ("ana", "knows[0].person")]
    found = sorted((r.id, field) for r, field in referrers(index, Kind.GROUPS, "st-marys"))
    assert found == [("2026-11-24-st-marys-k3f9", "group"), ("winter-climate-cafe", "partners[0].group")]


def test_change_descriptions_name_fields_not_free_text() -> None:
    old = Group(id="st-marys", name="St Mary's", category="faith", influence=3, notes="private")
    new = old.model_copy(
        update={
            "stage": Stage.CONTACTED,
            "notes": "Rev. said something private",
            "influence": None,
            "national_contact": True,
            "next_action_due": dt.date(2026, 12, 1),
        }
    )
    assert describe_change(old, new) == (
        "group st-marys: stage researched → contacted; influence 3 → (none); national_contact no → yes; "
        "next_action_due (none) → 2026-12-01; notes"
    )
    assert describe_change(None, old) == "group st-marys: created"
    assert describe_change(old, None) == "group st-marys: deleted"
    person = Person(id="ana", name="Ana")
    moved = Person(id="ana", name="Ana", contact={"email": "ana@example.org"})
    assert describe_change(person, moved) == "person ana: contact"


def test_resolving_conflicts() -> None:
    from allytui.model.conflicts import resolve, value_at
    from allytui.model.records import FieldConflict

    conflict = FieldConflict(field="stage", other='"declined"', author="Ben")
    nested = FieldConflict(field="knows[0].how", other='"choir"', author="Ben")
    person = Person(id="ana", name="Ana", knows=[{"person": "bob", "how": "work"}], conflicts=[nested])
    group = Group(id="st-marys", name="St Mary's", category="faith", stage="contacted", conflicts=[conflict])
    kept = resolve(group, conflict, take_other=False)
    assert kept is not None and kept.stage is Stage.CONTACTED and kept.conflicts == []
    taken = resolve(group, conflict, take_other=True)
    assert taken is not None and taken.stage is Stage.DECLINED and taken.conflicts == []
    fixed = resolve(person, nested, take_other=True)
    assert isinstance(fixed, Person) and fixed.knows[0].how == "choir"
    assert value_at(person.model_dump(), "knows[0].how") == "work"
    gone = FieldConflict(field="(deleted)", other="null", author="Ben")
    assert resolve(group.model_copy(update={"conflicts": [gone]}), gone, take_other=True) is None


def test_follow_ups_and_whos_not_here() -> None:
    from allytui.model.overview import follow_ups, whos_not_here
    from allytui.model.records import Conversation

    today = dt.date(2026, 11, 26)
    index = {kind: {} for kind in Kind}
    records = [
        Group(id="a", name="A", category="faith", next_action="ring", next_action_due=dt.date(2026, 11, 20)),
        Group(id="b", name="B", category="pta", stage="contacted", next_action_due=dt.date(2026, 12, 1)),
        Group(id="c", name="C", category="sports", next_action_due=dt.date(2027, 1, 1)),
        Group(id="d", name="D", category="gardening", stage="declined", next_action_due=dt.date(2026, 11, 1)),
        Conversation(id="2026-10-01-a-aaaa", date=dt.date(2026, 10, 1), group="a", follow_up=dt.date(2026, 10, 8)),
        Conversation(
            id="2026-11-01-a-bbbb",
            date=dt.date(2026, 11, 1),
            group="a",
            follow_up=dt.date(2026, 11, 25),
            next_steps="Send the notes\nand the poster",
        ),
    ]
    for record in records:
        index[record.KIND][record.id] = record
    found = [(f.record_id, f.due, f.what, f.is_overdue(today)) for f in follow_ups(index, today)]
    assert found == [
        ("a", dt.date(2026, 11, 20), "ring", True),
        ("2026-11-01-a-bbbb", dt.date(2026, 11, 25), "Send the notes", True),  # the October one was followed up
        ("b", dt.date(2026, 12, 1), "", False),
    ]
    gaps = {c.category.value: c.gap for c in whos_not_here(index)}
    assert gaps["faith"] == "only researched so far" and gaps["lgbtq"] == "no group yet"
    assert "pta" not in gaps and "gardening" not in gaps
