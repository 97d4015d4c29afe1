"""People: the people in the groups we work with, and our own members."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from allytui.model.records import Kind, Person
from allytui.store.loader import Loaded
from allytui.tui.documents import hand_over, person_file
from allytui.tui.messages import ErasePerson
from allytui.tui.rows import PERSON_COLUMNS, PERSON_FIELDS, Column, Row, person_rows
from allytui.tui.screens.duplicates import DuplicatesScreen
from allytui.tui.screens.record_list import IMPORT_TIP, RecordListScreen


class PeopleScreen(RecordListScreen):
    KIND = Kind.PEOPLE
    TITLE_TEXT = "People"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f",
            "person_file",
            "Their file",
            id="privacy-file",
            show=False,
            tooltip="Everything held about them (as allytui about), as Markdown beside the repo "
            "(a download in a browser)",
        ),
        Binding("x", "erase", "Erase the person", id="privacy-erase", show=False),
        Binding("c", "log_conversation", "Log a conversation", id="log-conversation", show=False),
        Binding("D", "duplicates", "Duplicates", id="duplicates", show=False, tooltip="Likely duplicates, to merge"),
        Binding("i", "import_sheet", "Import CSV", id="import-sheet", show=False, tooltip=IMPORT_TIP),
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
        if action in ("log_conversation", "person_file", "erase") and self.is_mounted:
            return self.current_record() is not None or None
        return super().check_action(action, parameters)

    def action_person_file(self) -> None:
        """Everything held about the highlighted person (allytui about --markdown), beside the repo or downloaded."""
        person = self.current_record()
        if isinstance(person, Person):
            app, person_id, today = self.allytui_app, person.id, self.today
            self.run_flow(hand_over(app, lambda: person_file(app.repo, person_id, today), "Their file"))

    def action_erase(self) -> None:
        """Erase the highlighted person as allytui erase does, after showing what would go and asking."""
        person = self.current_record()
        if isinstance(person, Person):
            self.post_message(ErasePerson(person.id))

    def action_duplicates(self) -> None:
        """Likely duplicate people, with the reasons; merge one into the other."""
        self.app.push_screen(DuplicatesScreen(self.KIND))
