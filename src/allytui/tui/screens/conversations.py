"""Conversations: every contact and one-to-one as a timeline, newest first.

The filter understands `field:value` words besides free text, e.g.
`channel:email group:st-marys member:maya 2026-11`: member is one of ours, with one of theirs, and a
bare date (or year, or month) matches the conversation's date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from textual.widgets import Input

from allytui.model.records import Conversation, Kind
from allytui.model.relations import name_of
from allytui.store.loader import Loaded
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.widgets.record_table import Column, Row

FILTER_HINT = "/ filter, e.g. channel:email group:st-marys member:maya with:pat 2026-11"


DATE_WORD = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")


def dates_as_fields(text: str) -> str:
    """A bare date or part of one (2026, 2026-11, 2026-11-24) filters on the conversation's date only."""
    return " ".join(f"date:{word}" if DATE_WORD.match(word) else word for word in text.split())


class ConversationsScreen(RecordListScreen):
    KIND = Kind.CONVERSATIONS
    TITLE_TEXT = "Conversations"
    COLUMNS: ClassVar[list[Column]] = [
        Column("date", "Date", 10),
        Column("group", "Group", 20),
        Column("channel", "Channel", 12),
        Column("follow_up", "Follow-up", 12),
        Column("us", "Us", 16),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#filter", Input).placeholder = FILTER_HINT

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            event.prevent_default()  # instead of RecordListScreen's, which filters on the words as typed
            self.table.filter(dates_as_fields(event.value))
            self.show_detail(self.table.current_key)

    def rows(self, loaded: Loaded) -> list[Row]:
        today: dt.date = self.app.today  # type: ignore[attr-defined]
        index = loaded.records
        rows = []
        for talk in index[Kind.CONVERSATIONS].values():
            assert isinstance(talk, Conversation)
            group = name_of(index, Kind.GROUPS, talk.group)
            ours = [name_of(index, Kind.PEOPLE, p) for p in talk.our_people]
            theirs = [name_of(index, Kind.PEOPLE, p) for p in talk.their_people]
            channel = talk.channel.value.replace("_", " ")
            overdue = talk.follow_up is not None and talk.follow_up < today
            follow_up = talk.follow_up.isoformat() + (" !" if overdue else "") if talk.follow_up else ""
            cells = (talk.date.isoformat(), group or "no group", channel, follow_up, ", ".join(ours))
            haystack = " ".join(
                (
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
            ).lower()
            rows.append(
                Row(
                    talk.id,
                    cells,
                    haystack,
                    sort_keys=(talk.date, group.lower(), channel, talk.follow_up, ", ".join(ours).lower()),
                    style="warning" if overdue else "",
                    extra={
                        "group": [talk.group or "", group],
                        "channel": talk.channel.value,
                        "member": [*talk.our_people, *ours],
                        "with": [*talk.their_people, *theirs],
                        "date": talk.date.isoformat(),
                        "follow_up": talk.follow_up.isoformat() if talk.follow_up else "",
                    },
                )
            )
        rows.sort(key=lambda r: (r.sort_keys[0], r.key), reverse=True)
        return rows

    def action_new(self) -> None:
        """A new conversation, with the group or person the filter names, when it names exactly one."""
        new = getattr(self.app, "new_conversation", None)
        if new is None:
            super().action_new()
            return
        loaded = self.loaded
        wanted = dict(word.split(":", 1) for word in self.table.filter_text.lower().split() if ":" in word)
        group_id = wanted.get("group")
        person_id = wanted.get("with")
        records = loaded.records if loaded is not None else {}
        new(
            group_id=group_id if group_id in records.get(Kind.GROUPS, {}) else None,
            person_id=person_id if person_id in records.get(Kind.PEOPLE, {}) else None,
        )
