"""People: the people in the groups we work with, and our own members."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from allytui.model.records import Kind, Person
from allytui.model.relations import name_of
from allytui.store.loader import Loaded
from allytui.tui.details import signed
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.widgets.record_table import Column, Row


class PeopleScreen(RecordListScreen):
    KIND = Kind.PEOPLE
    TITLE_TEXT = "People"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "log_conversation", "Log a conversation", id="log-conversation", show=False),
    ]
    COLUMNS: ClassVar[list[Column]] = [
        Column("name", "Name", 20),
        Column("role", "Role", 18),
        Column("ours", "Ours", 4),
        Column("influence", "Inf", 3, numeric=True),
        Column("alignment", "Aln", 3, numeric=True),
        Column("groups", "Groups", 20),
    ]

    def rows(self, loaded: Loaded) -> list[Row]:
        index = loaded.records
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
            haystack = " ".join((*cells, person.id, team, *person.groups, person.notes)).lower()
            rows.append(
                Row(
                    person.id,
                    cells,
                    haystack,
                    sort_keys=(
                        person.name.lower(),
                        person.role.lower(),
                        not person.is_member,
                        person.influence,
                        person.alignment,
                        ", ".join(groups).lower(),
                    ),
                    extra={"group": [*person.groups, *groups], "team": [person.member_of or "", team]},
                )
            )
        rows.sort(key=lambda r: r.sort_keys[0])
        return rows

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
