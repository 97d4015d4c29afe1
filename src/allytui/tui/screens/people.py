"""People: the people in the groups we work with, and our own members."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from allytui.model.records import Kind, Person
from allytui.store.loader import Loaded
from allytui.tui.rows import PERSON_COLUMNS, PERSON_FIELDS, Column, Row, person_rows
from allytui.tui.screens.record_list import RecordListScreen


class PeopleScreen(RecordListScreen):
    KIND = Kind.PEOPLE
    TITLE_TEXT = "People"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "log_conversation", "Log a conversation", id="log-conversation", show=False),
    ]
    COLUMNS: ClassVar[list[Column]] = PERSON_COLUMNS
    FIELDS = PERSON_FIELDS

    def rows(self, loaded: Loaded) -> list[Row]:
        return person_rows(loaded.records)

    def action_log_conversation(self) -> None:
        """Start a conversation record with the highlighted person."""
        person = self.current_record()
        new = getattr(self.app, "new_conversation", None)
        if new is not None and isinstance(person, Person):
            new(person_id=person.id, group_id=person.groups[0] if len(person.groups) == 1 else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_conversation" and self.is_mounted:
            return self.current_record() is not None or None
        return super().check_action(action, parameters)
