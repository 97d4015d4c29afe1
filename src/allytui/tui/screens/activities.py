"""Activities: meetings, assemblies and joint activities, with a warning when a partner's role isn't agreed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from allytui.model.agenda import unagreed_roles
from allytui.model.enums import ActivityStatus
from allytui.model.records import Activity, Kind, Record
from allytui.model.relations import RecordIndex, name_of
from allytui.store.loader import Loaded
from allytui.tui.safe import plain
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.screens.suggestions import SuggestionsScreen
from allytui.tui.widgets.record_table import Column, Row

STATUS_ORDER = {status: n for n, status in enumerate(ActivityStatus)}


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
    COLUMNS: ClassVar[list[Column]] = [
        Column("title", "Title", 24),
        Column("kind", "Kind", 13),
        Column("status", "Status", 9),
        Column("date", "Date", 10),
        Column("partners", "Agreed", 8),
    ]

    def rows(self, loaded: Loaded) -> list[Row]:
        today: dt.date = self.app.today  # type: ignore[attr-defined]
        index = loaded.records
        rows = []
        for activity in index[Kind.ACTIVITIES].values():
            assert isinstance(activity, Activity)
            partners = activity.partners
            agreed = sum(1 for p in partners if p.agreed)
            warn = bool(unagreed_roles(activity, today))
            partner_text = f"{agreed}/{len(partners)}" + (" !" if warn else "") if partners else "-"
            kind = activity.kind.value.replace("_", " ")
            names = [name_of(index, Kind.GROUPS, p.group) for p in partners]
            cells = (
                activity.title,
                kind,
                activity.status.value,
                activity.date.isoformat() if activity.date else "",
                partner_text,
            )
            haystack = " ".join(
                (*cells, activity.id, activity.location, activity.notes, *names, *(p.role for p in partners))
            ).lower()
            style = "warning" if warn else ("muted" if activity.status.value in {"done", "cancelled"} else "")
            rows.append(
                Row(
                    activity.id,
                    cells,
                    haystack,
                    sort_keys=(
                        activity.title.lower(),
                        kind,
                        STATUS_ORDER[activity.status],
                        activity.date,
                        (len(partners) - agreed, len(partners)),
                    ),
                    style=style,
                    extra={"group": [*(p.group for p in partners), *names]},
                )
            )
        # Soonest to come first, then undated ideas, then what is past.
        upcoming = [r for r in rows if r.sort_keys[3] is None or r.sort_keys[3] >= today]
        past = [r for r in rows if r.sort_keys[3] is not None and r.sort_keys[3] < today]
        upcoming.sort(key=lambda r: (r.sort_keys[3] is None, r.sort_keys[3] or dt.date.max, r.sort_keys[0]))
        past.sort(key=lambda r: (r.sort_keys[3], r.sort_keys[0]), reverse=True)
        return upcoming + past

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
