"""Activities: meetings, assemblies and joint activities, with a warning when a partner's role isn't agreed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from allytui.model.agenda import unagreed_roles
from allytui.model.records import Activity, Kind, Record
from allytui.model.relations import RecordIndex, name_of
from allytui.store.loader import Loaded
from allytui.tui.rows import ACTIVITY_COLUMNS, ACTIVITY_FIELDS, Column, Row, activity_rows
from allytui.tui.safe import plain
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.screens.suggestions import SuggestionsScreen


def warning_text(activity: Activity, index: RecordIndex, today: dt.date) -> str:
    """The detail's warning line, or "" when there is nothing to warn about."""
    missing = unagreed_roles(activity, today)
    if not missing or activity.date is None:
        return ""
    days = (activity.date - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    names = [name_of(index, Kind.GROUPS, g) for g in missing]
    if len(names) == 1:
        whose = f"the role of {names[0]} is"
    else:
        whose = f"the roles of {', '.join(names[:-1])} and {names[-1]} are"
    return f"⚠ Warning: this is {when} and {whose} not agreed yet. Agree each group's role in advance."


class ActivitiesScreen(RecordListScreen):
    KIND = Kind.ACTIVITIES
    TITLE_TEXT = "Activities"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "ideas", "Ideas", id="activity-ideas"),
    ]
    COLUMNS: ClassVar[list[Column]] = ACTIVITY_COLUMNS
    FIELDS = ACTIVITY_FIELDS

    def rows(self, loaded: Loaded) -> list[Row]:
        return activity_rows(loaded.records, self.today)

    def detail(self, record: Record, loaded: Loaded) -> Text:
        text = super().detail(record, loaded)
        assert isinstance(record, Activity)
        warning = warning_text(record, loaded.records, self.today)
        if not warning:
            return text
        first_line_end = text.plain.find("\n") + 1 or len(text.plain)
        result = text[:first_line_end]
        result.append_text(plain(warning, "bold reverse"))
        result.append("\n")
        result.append_text(text[first_line_end:])
        return result

    def action_ideas(self) -> None:
        """Activities from the guide that fit our capacity and the groups we are talking to."""
        self.app.push_screen(SuggestionsScreen())
