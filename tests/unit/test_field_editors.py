"""Each field is edited by the shape of its value, never by its name: model.fields.editor_shape."""

from __future__ import annotations

import pytest

from allytui.model.fields import UnknownField, editor_shape, field_shape
from allytui.model.records import ContactDetails, Group, Kind, Knows, Partner, Person, Team


@pytest.mark.parametrize(
    ("model", "name", "shape"),
    [
        (Group, "red_lines", "lines"),  # free-text items may hold commas: one per line
        (Team, "red_lines", "lines"),
        (Group, "tags", "words"),
        (Group, "shortlist_reasons", "choices"),
        (Group, "stage", "choice"),
        (Group, "lead", "reference"),
        (Team, "members", "references"),
        (Person, "knows", "part_list"),
        (Group, "national_contact", "flag"),
        (Group, "influence", "number"),
        (Group, "next_action_due", "date"),
        (Group, "aims", "text"),
        (Group, "name", "line"),
        (ContactDetails, "address", "text"),
        (Knows, "person", "reference"),
        (Partner, "agreed", "flag"),
    ],
)
def test_editor_shape(model: type, name: str, shape: str) -> None:
    assert editor_shape(model, name) == shape


def test_every_field_of_every_record_has_an_editor() -> None:
    from allytui.tui.widgets.fields_form import EDITORS

    for kind in Kind:
        for name in kind.model.model_fields:
            if name == "id":
                continue
            shape, part = field_shape(kind.model, name)
            models = [(part, sub) for sub in part.model_fields] if shape == "part" and part else [(kind.model, name)]
            for model, field in models:
                assert editor_shape(model, field) in EDITORS, (kind, field)


def test_a_part_has_no_editor_of_its_own() -> None:
    with pytest.raises(UnknownField, match="contact"):
        editor_shape(Person, "contact")
