"""Who belongs with whom across records, indexed by id: a group's people, conversations and activities.

The functions in relations.py answer by scanning every person, conversation or activity (~20 ms for a
group's detail at 50,000 records), and a detail pane following the cursor asks again at every key.
`RelationsIndex` gives the same answers from an index: each part is built in one pass the first time it is
asked for (the Groups screen never needs a person's conversations), then kept up to date record by
record (`replaced`) as the app saves or deletes one. Lists come out in exactly the order the scans
give, ties included: the scans keep the order of the records in the index (a dict), and so does this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from allytui.model.records import Activity, Conversation, Kind, Person, Record

RecordIndex = Mapping[Kind, Mapping[str, Record]]
Ids = dict[str, list[str]]
"""A group's or person's id -> the ids of the records linked to it (an id twice when linked twice)."""


def groups_of_person(record: Record | None) -> Iterable[str | None]:
    return record.groups if isinstance(record, Person) else ()


def group_of_talk(record: Record | None) -> Iterable[str | None]:
    return (record.group,) if isinstance(record, Conversation) else ()


def people_of_talk(record: Record | None) -> Iterable[str | None]:
    return (*record.their_people, *record.our_people) if isinstance(record, Conversation) else ()


def groups_of_activity(record: Record | None) -> Iterable[str | None]:
    return [p.group for p in record.partners] if isinstance(record, Activity) else ()


KEYS: dict[str, tuple[Kind, Callable[[Record | None], Iterable[str | None]]]] = {
    "people_in": (Kind.PEOPLE, groups_of_person),  # group id -> its people
    "talks_with_group": (Kind.CONVERSATIONS, group_of_talk),  # group id -> conversations with it
    "talks_with_person": (Kind.CONVERSATIONS, people_of_talk),  # person id -> conversations, theirs or ours
    "activities_of": (Kind.ACTIVITIES, groups_of_activity),  # group id -> activities it is a partner in
}
"""Each part of the index: the kind of record it is made of, and the ids a record of that kind links to."""


class RelationsIndex:
    """The links between the records of one index, for views that ask about one record after another.

    index: the records as loaded, a dict per kind, which the app changes one record at a time: tell this
    of every such change with `replaced`, once made. Answers exactly as relations.people_of_group,
    conversations_with and activities_of_group over the same index.
    """

    def __init__(self, index: RecordIndex) -> None:
        self.index = index
        self._parts: dict[str, Ids] = {}
        self._order: dict[Kind, dict[str, int]] = {}
        """Each person's or activity's place in index[kind]: their lists keep that order on ties, as the scans do."""
        self._next: dict[Kind, int] = {}

    def people_of_group(self, group_id: str) -> list[Person]:
        """relations.people_of_group: the people in a group, by name."""
        people = self.index[Kind.PEOPLE]
        order = self._place(Kind.PEOPLE)
        linked = dict.fromkeys(self._part("people_in").get(group_id, ()))
        found = [(order[i], p) for i in linked if isinstance(p := people[i], Person)]
        return [p for _, p in sorted(found, key=lambda pair: (pair[1].name.lower(), pair[0]))]

    def conversations_with(self, *, group_id: str | None = None, person_id: str | None = None) -> list[Conversation]:
        """relations.conversations_with: conversations with a group or a person (theirs or ours), newest first."""
        linked: dict[str, None] = {}
        if group_id:
            linked.update(dict.fromkeys(self._part("talks_with_group").get(group_id, ())))
        if person_id:
            linked.update(dict.fromkeys(self._part("talks_with_person").get(person_id, ())))
        talks = self.index[Kind.CONVERSATIONS]
        found = [t for i in linked if isinstance(t := talks[i], Conversation)]
        return sorted(found, key=lambda c: (c.date, c.id), reverse=True)

    def activities_of_group(self, group_id: str) -> list[Activity]:
        """relations.activities_of_group: the activities a group is a partner in, by date, undated last."""
        activities = self.index[Kind.ACTIVITIES]
        order = self._place(Kind.ACTIVITIES)
        linked = dict.fromkeys(self._part("activities_of").get(group_id, ()))
        found = [(order[i], a) for i in linked if isinstance(a := activities[i], Activity)]
        return [a for _, a in sorted(found, key=lambda pair: (pair[1].date is None, pair[1].date, pair[0]))]

    def replaced(self, kind: Kind, record_id: str, old: Record | None, new: Record | None) -> None:
        """index[kind][record_id] was old and is now new (None: there was none, or it was deleted)."""
        for name, (made_of, keys) in KEYS.items():
            part = self._parts.get(name)
            if made_of is not kind or part is None:
                continue  # not built yet: it will be built from the index as it is then
            for key in set(keys(old)):
                if key and key in part:
                    part[key] = [i for i in part[key] if i != record_id]
            for key in keys(new):
                if key:
                    part.setdefault(key, []).append(record_id)
        order = self._order.get(kind)
        if order is None:
            return
        if new is None:
            order.pop(record_id, None)  # as dict.pop: a record added again later goes last
        elif record_id not in order:
            order[record_id] = self._next[kind]  # a new key goes last in a dict; a replaced one keeps its place
            self._next[kind] += 1

    def _part(self, name: str) -> Ids:
        part = self._parts.get(name)
        if part is None:
            part = self._parts[name] = BUILDERS[name](self.index)
        return part

    def _place(self, kind: Kind) -> dict[str, int]:
        order = self._order.get(kind)
        if order is None:
            order = self._order[kind] = {record_id: n for n, record_id in enumerate(self.index[kind])}
            self._next[kind] = len(order)
        return order


# one pass each over the records (as KEYS says, written out: ~5 ms for 32,500 conversations, not ~8)


def _people_in(index: RecordIndex) -> Ids:
    part: Ids = {}
    for record_id, person in index[Kind.PEOPLE].items():
        if isinstance(person, Person):
            for group_id in person.groups:
                if (linked := part.get(group_id)) is None:
                    part[group_id] = [record_id]
                else:
                    linked.append(record_id)
    return part


def _talks_with_group(index: RecordIndex) -> Ids:
    part: Ids = {}
    for record_id, talk in index[Kind.CONVERSATIONS].items():
        if isinstance(talk, Conversation) and (group_id := talk.group):
            if (linked := part.get(group_id)) is None:
                part[group_id] = [record_id]
            else:
                linked.append(record_id)
    return part


def _talks_with_person(index: RecordIndex) -> Ids:
    part: Ids = {}
    for record_id, talk in index[Kind.CONVERSATIONS].items():
        if isinstance(talk, Conversation):
            for person_id in (*talk.their_people, *talk.our_people):
                if (linked := part.get(person_id)) is None:
                    part[person_id] = [record_id]
                else:
                    linked.append(record_id)
    return part


def _activities_of(index: RecordIndex) -> Ids:
    part: Ids = {}
    for record_id, activity in index[Kind.ACTIVITIES].items():
        if isinstance(activity, Activity):
            for partner in activity.partners:
                part.setdefault(partner.group, []).append(record_id)
    return part


BUILDERS: dict[str, Callable[[RecordIndex], Ids]] = {
    "people_in": _people_in,
    "talks_with_group": _talks_with_group,
    "talks_with_person": _talks_with_person,
    "activities_of": _activities_of,
}
