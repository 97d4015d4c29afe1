"""Looking across records: a group's people, conversations and activities; names for ids."""

from __future__ import annotations

from collections.abc import Mapping

from allytui.model.records import Activity, Conversation, Kind, Person, Record, Team

RecordIndex = Mapping[Kind, Mapping[str, Record]]
NATIONAL_WARNING = "National contact: route via the national relationships team; don't approach locally."


def name_of(index: RecordIndex, kind: Kind, record_id: str | None) -> str:
    """A record's name or title, or its id (marked missing) when there is no such record."""
    if not record_id:
        return ""
    record = index[kind].get(record_id)
    return record.label if record is not None else f"{record_id} (missing)"


def people_of_group(index: RecordIndex, group_id: str) -> list[Person]:
    people = [p for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and group_id in p.groups]
    return sorted(people, key=lambda p: p.name.lower())


def conversations_with(
    index: RecordIndex, *, group_id: str | None = None, person_id: str | None = None
) -> list[Conversation]:
    """Conversations with a group or a person (theirs or ours), newest first."""
    found = []
    for talk in index[Kind.CONVERSATIONS].values():
        if not isinstance(talk, Conversation):
            continue
        if (group_id and talk.group == group_id) or (
            person_id and (person_id in talk.their_people or person_id in talk.our_people)
        ):
            found.append(talk)
    return sorted(found, key=lambda c: (c.date, c.id), reverse=True)


def activities_of_group(index: RecordIndex, group_id: str) -> list[Activity]:
    found = [
        a
        for a in index[Kind.ACTIVITIES].values()
        if isinstance(a, Activity) and any(p.group == group_id for p in a.partners)
    ]
    return sorted(found, key=lambda a: (a.date is None, a.date), reverse=False)


def our_team(index: RecordIndex) -> Team | None:
    """The team doing the outreach (the first, when a repo holds several)."""
    teams = sorted((t for t in index[Kind.TEAMS].values() if isinstance(t, Team)), key=lambda t: t.id)
    return teams[0] if teams else None


def our_red_lines(index: RecordIndex) -> list[str]:
    team = our_team(index)
    return list(team.red_lines) if team else []
