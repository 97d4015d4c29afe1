"""Who has what to do: overdue and upcoming next actions and follow-ups by member, and groups going cold.

Built on `overview.follow_ups` (the dashboard's list), adding who owns each item:

- a group's next action belongs to the group's lead;
- a conversation's follow-up belongs to our people in that conversation (each of them sees it);
- a planned activity coming up with a partner whose role is not agreed belongs to that partner group's lead
  (the guide: "make sure the other group's role is agreed in advance").

Anything with no owner is listed as unassigned, so nothing falls through. A conversation's follow-up
with someone who asked not to be contacted is left out (`left_out` counts them, for a one-line note).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allytui.model.enums import ActivityStatus, Stage
from allytui.model.overview import RecordIndex, follow_ups, groups
from allytui.model.records import Activity, Conversation, Group, Kind
from allytui.model.relations import name_of
from allytui.model.rights import conversation_blocked

ROLE_WARN_DAYS = 14
"""How close a planned activity may come before every partner's role should be agreed."""

ACTIVE_STAGES = (Stage.CONTACTED, Stage.IN_CONVERSATION, Stage.MEETING, Stage.ALLIED)
"""Stages at which a group with no recent conversation is going cold."""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def due_words(due: dt.date, today: dt.date, *, short: bool = False) -> str:
    """How far off a date is, in words that need no colour: "overdue by 3 days", "today", "in 5 days".

    short: "overdue 3d", "in 5d", for narrow columns.
    """
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d" if short else f"overdue by {plural(-days, 'day')}"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days}d" if short else f"in {days} days"


@dataclass(frozen=True)
class AgendaItem:
    """One thing someone should do, by a date."""

    due: dt.date
    kind: Kind  # the record to open: a group, a conversation or an activity
    record_id: str
    label: str  # the group's name, "group (conversation date)", or the activity's title
    what: str
    owners: tuple[str, ...]  # person ids; empty when nobody owns it
    group_id: str | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.due < today


@dataclass(frozen=True)
class MemberAgenda:
    """One member's items (or the unassigned ones, member None): overdue first, then soonest."""

    member: str | None
    name: str
    items: list[AgendaItem] = field(default_factory=list)

    def overdue(self, today: dt.date) -> list[AgendaItem]:
        return [item for item in self.items if item.is_overdue(today)]


UNASSIGNED = "unassigned"
"""The name of the section holding items nobody owns."""


def unagreed_roles(activity: Activity, today: dt.date, days: int = ROLE_WARN_DAYS) -> list[str]:
    """Partner group ids whose role is not agreed, when the activity is planned for the next `days` days."""
    if activity.status is not ActivityStatus.PLANNED or activity.date is None:
        return []
    if not 0 <= (activity.date - today).days <= days:
        return []
    return [p.group for p in activity.partners if not p.agreed]


def agenda_items(index: RecordIndex, today: dt.date, horizon_days: int = 14) -> list[AgendaItem]:
    """Every overdue item and every item due within horizon_days, with its owners, soonest first."""
    items: list[AgendaItem] = []
    for due in follow_ups(index, today, within_days=horizon_days):
        record = index[due.kind].get(due.record_id)
        if isinstance(record, Group):
            owners: tuple[str, ...] = (record.lead,) if record.lead else ()
            items.append(
                AgendaItem(due.due, due.kind, record.id, due.label, due.what or "next action", owners, record.id)
            )
        elif isinstance(record, Conversation) and not conversation_blocked(index, record):
            owners = tuple(dict.fromkeys(record.our_people))
            items.append(AgendaItem(due.due, due.kind, record.id, due.label, due.what, owners, record.group))
    for activity in index[Kind.ACTIVITIES].values():
        if not isinstance(activity, Activity) or activity.date is None:
            continue
        for group_id in dict.fromkeys(unagreed_roles(activity, today, max(horizon_days, 0))):
            group = index[Kind.GROUPS].get(group_id)
            lead = group.lead if isinstance(group, Group) else None
            role = next((p.role for p in activity.partners if p.group == group_id and p.role), "")
            what = f"agree the role of {name_of(index, Kind.GROUPS, group_id)}" + (f" ({role})" if role else "")
            items.append(
                AgendaItem(
                    activity.date, Kind.ACTIVITIES, activity.id, activity.title, what, (lead,) if lead else (), group_id
                )
            )
    return sorted(items, key=lambda i: (i.due, i.label.lower(), i.kind.value, i.record_id, i.what))


def left_out(index: RecordIndex, today: dt.date, horizon_days: int = 14) -> int:
    """How many follow-ups agenda_items leaves out because they are with someone who asked not to be contacted."""
    return sum(
        1
        for due in follow_ups(index, today, within_days=horizon_days)
        if isinstance(talk := index[due.kind].get(due.record_id), Conversation) and conversation_blocked(index, talk)
    )


def agenda(index: RecordIndex, today: dt.date, member: str | None = None, horizon_days: int = 14) -> list[MemberAgenda]:
    """Overdue and upcoming items grouped by member, by name, with the unassigned ones last.

    An item owned by several members is listed under each of them. With `member`, only that member's
    section (empty list when they have nothing due).
    """
    sections: dict[str | None, list[AgendaItem]] = {}
    for item in agenda_items(index, today, horizon_days):
        for owner in item.owners or (None,):
            sections.setdefault(owner, []).append(item)
    found = []
    for owner, items in sections.items():
        if member is not None and owner != member:
            continue
        ordered = sorted(items, key=lambda i: not i.is_overdue(today))  # stable: soonest first within each
        found.append(MemberAgenda(owner, name_of(index, Kind.PEOPLE, owner) if owner else UNASSIGNED, ordered))
    return sorted(found, key=lambda s: (s.member is None, s.name.lower(), s.member or ""))


@dataclass(frozen=True)
class GoingCold:
    """A group we have been talking to, with no conversation for a while (or none ever recorded)."""

    group_id: str
    name: str
    stage: Stage
    lead: str | None
    last_contact: dt.date | None
    conversation_id: str | None
    days: int | None  # since the last conversation; None when there has been none

    @property
    def how_long(self) -> str:
        if self.last_contact is None or self.days is None:
            return "no conversation recorded"
        return f"last conversation {plural(self.days, 'day')} ago ({self.last_contact.isoformat()})"


def going_cold(index: RecordIndex, today: dt.date, days: int) -> list[GoingCold]:
    """Groups contacted, in conversation, meeting or allied whose latest conversation is `days` or more
    days old, or who have none: never-talked-to first, then the longest silence first."""
    latest: dict[str, Conversation] = {}
    for talk in index[Kind.CONVERSATIONS].values():
        if isinstance(talk, Conversation) and talk.group:
            known = latest.get(talk.group)
            if known is None or (talk.date, talk.id) > (known.date, known.id):
                latest[talk.group] = talk
    found = []
    for group in groups(index):
        if group.stage not in ACTIVE_STAGES:
            continue
        last = latest.get(group.id)
        if last is None:
            found.append(GoingCold(group.id, group.name, group.stage, group.lead, None, None, None))
            continue
        since = (today - last.date).days
        if since >= days:
            found.append(GoingCold(group.id, group.name, group.stage, group.lead, last.date, last.id, since))
    return sorted(found, key=lambda c: (c.days is not None, -(c.days or 0), c.name.lower()))
