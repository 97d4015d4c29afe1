"""A conflict's other value is written as the field holds it, readable in the file; older JSON text still reads."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from allytui.model.conflicts import FILE, as_kept, other_text, other_value, resolve
from allytui.model.enums import Stage
from allytui.model.privacy import mask_toml
from allytui.model.records import FieldConflict, Group, Person
from allytui.store.repo import DataRepo
from allytui.sync.merge import FieldMerger, Side

OURS = Side("Ana", "a" * 40, 200)
THEIRS = Side("Ben", "b" * 40, 100)


def group(**fields: object) -> Group:
    return Group.model_validate({"id": "st-marys", "name": "St Mary's", "category": "faith", **fields})


def clash(**both: tuple[object, object]) -> Group:
    """Ours and theirs each changed the fields of both (ours later, so theirs is kept as the other value)."""
    base = group().model_dump()
    ours = group(**{k: v[0] for k, v in both.items()}).model_dump()
    theirs = group(**{k: v[1] for k, v in both.items()}).model_dump()
    merger = FieldMerger(OURS, THEIRS)
    merged = merger.merge(Group, base, ours, theirs)
    return Group.model_validate({**merged, "id": "st-marys", "conflicts": [c.model_dump() for c in merger.conflicts]})


def test_the_other_value_is_written_as_the_field_holds_it(repo: DataRepo) -> None:
    merged = clash(
        stage=("allied", "in_conversation"),
        notes=("Ours.\nTwo lines.\n", "Theirs: met the vicar.\nShe said yes.\n"),
        next_action_due=(dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        influence=(2, 4),
    )
    repo.save(merged)
    text = (repo.root / "groups" / "st-marys.toml").read_text()
    assert 'other = "in_conversation"' in text
    assert 'other = """\nTheirs: met the vicar.\nShe said yes.\n"""' in text  # lines as typed
    assert "other = 2026-12-31" in text and "other = 4" in text
    assert "\\n" not in text and '\\"' not in text
    loaded = repo.read(merged.KIND, merged.id)
    assert isinstance(loaded, Group)
    by_field = {c.field: c for c in loaded.conflicts}
    assert other_value(by_field["notes"]) == "Theirs: met the vicar.\nShe said yes.\n"
    assert other_text(loaded, by_field["stage"]) == "in conversation"
    taken = resolve(loaded, by_field["next_action_due"], take_other=True)
    assert isinstance(taken, Group) and taken.next_action_due == dt.date(2026, 12, 31)
    taken = resolve(loaded, by_field["stage"], take_other=True)
    assert isinstance(taken, Group) and taken.stage is Stage.IN_CONVERSATION


@pytest.mark.parametrize(
    ("field", "stored", "value", "taken"),
    [
        ("stage", '"declined"', "declined", Stage.DECLINED),
        ("notes", '"Line one\\nLine two"', "Line one\nLine two", "Line one\nLine two"),
        ("influence", "4", 4, 4),
        ("next_action_due", '"2026-12-31"', "2026-12-31", dt.date(2026, 12, 31)),
        ("tags", '["faith", "youth"]', ["faith", "youth"], ["faith", "youth"]),
        ("influence", "null", None, None),
    ],
)
def test_conflicts_kept_as_json_text_before_still_read_and_resolve(
    field: str, stored: str, value: object, taken: object
) -> None:
    conflict = FieldConflict(field=field, other=stored, author="Ben")
    record = group(influence=2, conflicts=[conflict.model_dump()])
    assert other_value(conflict) == value
    resolved = resolve(record, conflict, take_other=True)
    assert resolved is not None and getattr(resolved, field) == taken and resolved.conflicts == []


def test_plain_text_that_happens_to_read_as_json_is_taken_as_text() -> None:
    conflict = FieldConflict(field="area", other="3", author="Ben")  # a text field: "3" is text, not a number
    resolved = resolve(group(area="Riverton", conflicts=[conflict.model_dump()]), conflict, take_other=True)
    assert isinstance(resolved, Group) and resolved.area == "3"
    assert other_value(FieldConflict(field="notes", other="3 people said so")) == "3 people said so"


def test_a_whole_file_conflict_keeps_its_note_as_text() -> None:
    conflict = FieldConflict(field=FILE, other="their version was not merged; ours kept")
    assert other_value(conflict) == "their version was not merged; ours kept"


def test_as_kept_makes_choices_text_and_leaves_out_empty_parts() -> None:
    assert as_kept(Stage.ALLIED) == "allied"
    assert as_kept({"email": "a@b.example", "phone": None}) == {"email": "a@b.example"}
    assert as_kept([Stage.MEETING]) == ["meeting"]


def test_a_part_kept_whole_is_a_table_and_control_characters_are_refused() -> None:
    person = Person.model_validate(
        {"id": "ana", "name": "Ana", "conflicts": [{"field": "contact", "other": {"email": "a@b.example"}}]}
    )
    assert other_value(person.conflicts[0]) == {"email": "a@b.example"}
    assert other_text(person, person.conflicts[0]) == "email: a@b.example"
    with pytest.raises(ValidationError):
        FieldConflict(field="notes", other={"x": ["ok", "bad\x1b[2J"]})


def test_a_contact_conflict_kept_as_a_table_is_masked_in_git_patches() -> None:
    text = (
        'name = "Ana"\n\n[[conflicts]]\nfield = "contact"\nauthor = "Ben"\n\n'
        '[conflicts.other]\nemail = "ana@example.org"\nphone = "07700 900123"\n'
    )
    masked = "\n".join(mask_toml(text, ["contact"]))
    assert "ana@example.org" not in masked and "900123" not in masked and 'author = "Ben"' in masked
