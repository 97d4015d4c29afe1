"""Retention review: which people and conversation notes are due for review, why, and since when.

Three reasons, each set in `[retention]` of allytui.toml (model.records.RetentionSettings):

- no basis: a person with contact details and no lawful basis, `no_basis_days` after their record
  was added (or after their last review);
- inactive: someone who is not one of our members, with no conversation, no change to their record
  and no review for `inactive_months`;
- old notes: a conversation `conversation_notes_months` old that still holds notes. Clearing them
  keeps its date, group, channel, outcome, people and follow-up.

A person marked as reviewed (`reviewed`) is due again after the same period, counted from that date.
The dates a record was added and last changed come from git (store.dates); a record git has not seen
yet counts as added and changed today.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from allytui.model.records import Conversation, Kind, Person, Record, RetentionSettings
from allytui.model.rights import has_contact

RecordIndex = Mapping[Kind, Mapping[str, Record]]

NOTE_FIELDS = ("cares_about", "values_and_aims", "common_ground", "red_lines", "concerns", "next_steps", "notes")
"""A conversation's notes: what clearing them empties (date, group, channel and outcome stay)."""


class Reason(StrEnum):
    NO_BASIS = "no_basis"
    INACTIVE = "inactive"
    OLD_NOTES = "old_notes"


@dataclass(frozen=True)
class RecordDates:
    """When git first and last saw a record's file."""

    added: dt.date
    changed: dt.date


@dataclass(frozen=True)
class Due:
    """One record due for review: why, and since when the period is counted."""

    kind: Kind
    record_id: str
    label: str
    reason: Reason
    since: dt.date
    age_days: int

    @property
    def why(self) -> str:
        return REASON_WORDS[self.reason]

    def age(self, today: dt.date) -> str:
        return age_words(self.since, today)

    def as_dict(self, today: dt.date) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.record_id,
            "label": self.label,
            "reason": self.reason.value,
            "why": self.why,
            "since": self.since.isoformat(),
            "age_days": self.age_days,
            "age": self.age(today),
        }


REASON_WORDS = {
    Reason.NO_BASIS: "contact details with no lawful basis",
    Reason.INACTIVE: "no conversation or change for a long time",
    Reason.OLD_NOTES: "old conversation notes",
}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def age_words(since: dt.date, today: dt.date) -> str:
    """How long ago, as a person says it: "45 days", "7 months", "3 years 2 months"."""
    days = (today - since).days
    if days < 60:
        return f"{days} day{'' if days == 1 else 's'}"
    months = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    years, months = divmod(months, 12)
    parts = [f"{years} year{'' if years == 1 else 's'}"] if years else []
    if months or not years:
        parts.append(f"{months} month{'' if months == 1 else 's'}")
    return " ".join(parts)


def has_notes(talk: Conversation) -> bool:
    return any(getattr(talk, name) for name in NOTE_FIELDS)


def cleared_notes(talk: Conversation) -> Conversation:
    """The conversation without its notes; date, group, channel, people, outcome and follow-up stay."""
    return talk.model_copy(update=dict.fromkeys(NOTE_FIELDS, ""))


def _later(*days: dt.date | None) -> dt.date:
    return max(day for day in days if day is not None)


def retention_due(
    index: RecordIndex, settings: RetentionSettings, today: dt.date, dates: Mapping[str, RecordDates]
) -> list[Due]:
    """Every person and conversation due for review, longest due first.

    dates: the people's file dates by id, from git; a person missing from it counts as added today.
    """
    unknown = RecordDates(today, today)
    last_talk: dict[str, dt.date] = {}
    found: list[Due] = []
    for talk in index[Kind.CONVERSATIONS].values():
        if not isinstance(talk, Conversation):
            continue
        for pid in (*talk.their_people, *talk.our_people):
            last_talk[pid] = max(talk.date, last_talk.get(pid, talk.date))
        if has_notes(talk) and talk.date <= months_before(today, settings.conversation_notes_months):
            age = (today - talk.date).days
            found.append(Due(Kind.CONVERSATIONS, talk.id, talk.label, Reason.OLD_NOTES, talk.date, age))
    for someone in index[Kind.PEOPLE].values():
        if not isinstance(someone, Person):
            continue
        seen = dates.get(someone.id, unknown)
        if has_contact(someone) and someone.basis is None:
            since = _later(seen.added, someone.reviewed)
            if (today - since).days >= settings.no_basis_days:
                found.append(Due(Kind.PEOPLE, someone.id, someone.name, Reason.NO_BASIS, since, (today - since).days))
        if not someone.is_member:
            since = _later(seen.changed, someone.reviewed, last_talk.get(someone.id))
            if since <= months_before(today, settings.inactive_months):
                found.append(Due(Kind.PEOPLE, someone.id, someone.name, Reason.INACTIVE, since, (today - since).days))
    return sorted(found, key=lambda d: (-d.age_days, d.label.casefold(), d.reason.value, d.record_id))
