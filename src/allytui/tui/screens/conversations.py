"""Conversations: every contact and one-to-one as a timeline, newest first.

The filter (model/filters.py) understands `field:value` words besides free text, e.g.
`channel:email group:st-marys member:maya 2026-11`: member is one of ours, with one of theirs, and a
bare date (or year, or month) matches the conversation's date.
"""

from __future__ import annotations

from typing import ClassVar

from allytui.model.records import Kind
from allytui.store.loader import Loaded
from allytui.tui.rows import CONVERSATION_COLUMNS, CONVERSATION_FIELDS, Column, Row, conversation_rows
from allytui.tui.screens.record_list import RecordListScreen


class ConversationsScreen(RecordListScreen):
    KIND = Kind.CONVERSATIONS
    TITLE_TEXT = "Conversations"
    COLUMNS: ClassVar[list[Column]] = CONVERSATION_COLUMNS
    FIELDS = CONVERSATION_FIELDS
    FILTER_HINT = "filter, e.g. channel:email group:st-marys member:maya with:pat 2026-11"

    def rows(self, loaded: Loaded) -> list[Row]:
        return conversation_rows(loaded.records, self.today)

    def action_new(self) -> None:
        """A new conversation, with the group or person the filter names, when it names exactly one."""
        new = getattr(self.app, "new_conversation", None)
        if new is None:
            super().action_new()
            return
        loaded = self.loaded
        wanted = self.table.wanted
        groups, people = wanted.typed("group"), wanted.typed("with")
        group_id = groups[0].casefold() if len(groups) == 1 else None
        person_id = people[0].casefold() if len(people) == 1 else None
        records = loaded.records if loaded is not None else {}
        new(
            group_id=group_id if group_id in records.get(Kind.GROUPS, {}) else None,
            person_id=person_id if person_id in records.get(Kind.PEOPLE, {}) else None,
        )
