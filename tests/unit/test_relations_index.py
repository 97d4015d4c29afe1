"""RelationsIndex gives a group's people, conversations and activities, and a person's conversations, exactly as
the scans in relations.py do, and the detail views built from it read the same, on the sample data, on a generated
repo, and after records are added, changed and deleted one at a time as the app does after a save; and the
dashboard's recent conversations, found without sorting them all."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from allytui.model.overview import recent_conversations
from allytui.model.records import Activity, Conversation, Group, Kind, Partner, Person, Record
from allytui.model.relations import RecordIndex, activities_of_group, conversations_with, people_of_group
from allytui.model.relations_index import RelationsIndex
from allytui.store.loader import load_repo
from allytui.tui.details import record_detail
from tests.helpers import ROOT, SAMPLE_DATA

TODAY = dt.date(2026, 11, 26)


def differences(index: RecordIndex, related: RelationsIndex) -> list[str]:
    """Where the index answers otherwise than the scans, for every group and person (and an id nobody has)."""
    found = []
    for group_id in [*index[Kind.GROUPS], "no-such-group"]:
        if related.people_of_group(group_id) != people_of_group(index, group_id):
            found.append(f"people of {group_id}")
        if related.conversations_with(group_id=group_id) != conversations_with(index, group_id=group_id):
            found.append(f"conversations with {group_id}")
        if related.activities_of_group(group_id) != activities_of_group(index, group_id):
            found.append(f"activities of {group_id}")
    for person_id in [*index[Kind.PEOPLE], "no-such-person"]:
        if related.conversations_with(person_id=person_id) != conversations_with(index, person_id=person_id):
            found.append(f"conversations with {person_id}")
    group_id, person_id = next(iter(index[Kind.GROUPS])), next(iter(index[Kind.PEOPLE]))
    both = related.conversations_with(group_id=group_id, person_id=person_id)
    if both != conversations_with(index, group_id=group_id, person_id=person_id):
        found.append("conversations with a group or a person")
    return found


def details_differ(index: RecordIndex, related: RelationsIndex) -> list[str]:
    """The records whose detail view (text and styles) reads otherwise with the index than with the scans."""
    found = []
    for kind in (Kind.GROUPS, Kind.PEOPLE, Kind.CONVERSATIONS, Kind.ACTIVITIES):
        for record in index[kind].values():
            plain = record_detail(record, index, TODAY, str)
            indexed = record_detail(record, index, TODAY, str, related=related)
            if (indexed.plain, indexed.spans) != (plain.plain, plain.spans):
                found.append(f"{kind.value} {record.id}")
    return found


def test_the_sample_data_reads_the_same() -> None:
    index = load_repo(SAMPLE_DATA).records
    related = RelationsIndex(index)
    assert differences(index, related) == []
    assert details_differ(index, related) == []
    assert any(related.conversations_with(group_id=g) for g in index[Kind.GROUPS])  # not all empty
    assert any(related.activities_of_group(g) for g in index[Kind.GROUPS])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> RecordIndex:
    """bench/generate.py's repo of 3,000 records: every reference resolves, people in several groups."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate_repo
    finally:
        sys.path.remove(str(ROOT / "bench"))
    made = generate_repo(tmp_path_factory.mktemp("generated") / "repo", 3000, seed=3, pack=False)
    return load_repo(made.root).records


def test_a_generated_repo_reads_the_same(generated: RecordIndex) -> None:
    related = RelationsIndex(generated)
    assert differences(generated, related) == []
    assert all(related.people_of_group(g) for g in list(generated[Kind.GROUPS])[:20])  # groups with people
    for kind in (Kind.GROUPS, Kind.PEOPLE):
        for record in list(generated[kind].values())[:40]:
            plain = record_detail(record, generated, TODAY, str)
            indexed = record_detail(record, generated, TODAY, str, related=related)
            assert (indexed.plain, indexed.spans) == (plain.plain, plain.spans), record.id


def copy_of(index: RecordIndex) -> dict[Kind, dict[str, Record]]:
    return {kind: dict(records) for kind, records in index.items()}


def change(
    index: dict[Kind, dict[str, Record]], related: RelationsIndex, record: Record | None, kind: Kind, record_id: str
) -> None:
    """As App.record_changed: replace (or delete, for None) one record in the dict, then tell the index."""
    old = index[kind].get(record_id)
    if record is None:
        index[kind].pop(record_id, None)
    else:
        index[kind][record_id] = record
    related.replaced(kind, record_id, old, record)


def test_it_stays_right_as_records_are_saved_and_deleted() -> None:
    index = copy_of(load_repo(SAMPLE_DATA).records)
    related = RelationsIndex(index)
    assert differences(index, related) == []  # every part built, then kept up to date below
    group_id = "riverton-pride"
    person = index[Kind.PEOPLE]["stephen-marsh"]
    assert isinstance(person, Person) and group_id not in person.groups

    # a new conversation with the group and two people
    talk = Conversation(
        id="2026-11-26-riverton-pride-new",
        date=TODAY,
        group=group_id,
        their_people=["chris-onyango"],
        our_people=["stephen-marsh"],
        cares_about="A youth group",
    )
    change(index, related, talk, Kind.CONVERSATIONS, talk.id)
    assert related.conversations_with(group_id=group_id)[0] is talk
    assert related.conversations_with(person_id="stephen-marsh")[0] is talk

    # a person joins the group, under the same name as someone already in it: ties keep the records' order
    chris = index[Kind.PEOPLE]["chris-onyango"]
    assert isinstance(chris, Person)
    change(index, related, person.model_copy(update={"groups": [*person.groups, group_id]}), Kind.PEOPLE, person.id)
    twin = Person(id="chris-onyango-2", name=chris.name.upper(), groups=[group_id, group_id])
    change(index, related, twin, Kind.PEOPLE, twin.id)
    assert [p.id for p in related.people_of_group(group_id)] == ["chris-onyango", "chris-onyango-2", "stephen-marsh"]
    assert differences(index, related) == []

    # the first Chris leaves and comes back: as a dict does, they now come after their namesake
    change(index, related, None, Kind.PEOPLE, chris.id)
    change(index, related, chris, Kind.PEOPLE, chris.id)
    assert [p.id for p in related.people_of_group(group_id)] == ["chris-onyango-2", "chris-onyango", "stephen-marsh"]

    # the conversation moves to another group and loses a person; two activities on one day; one deleted
    moved = talk.model_copy(update={"group": "st-marys-church", "our_people": []})
    change(index, related, moved, Kind.CONVERSATIONS, talk.id)
    day = dt.date(2027, 1, 9)
    for n in (1, 2):
        activity = Activity(id=f"picnic-{n}", title=f"Picnic {n}", date=day, partners=[Partner(group=group_id)])
        change(index, related, activity, Kind.ACTIVITIES, activity.id)
    change(
        index,
        related,
        Activity(id="undated", title="Someday", partners=[Partner(group=group_id)]),
        Kind.ACTIVITIES,
        "undated",
    )
    assert [a.id for a in related.activities_of_group(group_id)][-3:] == ["picnic-1", "picnic-2", "undated"]
    first_activity = next(iter(index[Kind.ACTIVITIES]))
    change(index, related, None, Kind.ACTIVITIES, first_activity)
    change(index, related, None, Kind.CONVERSATIONS, "no-such-talk")  # deleting what is not there changes nothing
    group = index[Kind.GROUPS][group_id]
    assert isinstance(group, Group)
    change(index, related, group.model_copy(update={"name": "Pride Riverton"}), Kind.GROUPS, group_id)
    assert differences(index, related) == []
    assert details_differ(index, related) == []


def test_parts_not_built_yet_are_built_from_the_records_as_they_are_then() -> None:
    index = copy_of(load_repo(SAMPLE_DATA).records)
    related = RelationsIndex(index)
    assert related.people_of_group("riverton-pride")  # only this part is built
    talk = Conversation(id="2026-11-26-later", date=TODAY, group="riverton-pride", their_people=["chris-onyango"])
    change(index, related, talk, Kind.CONVERSATIONS, talk.id)
    assert related.conversations_with(group_id="riverton-pride")[0] is talk
    assert related.conversations_with(person_id="chris-onyango")[0] is talk
    assert differences(index, related) == []


def test_the_dashboards_recent_conversations_are_the_newest_whatever_the_ties() -> None:
    """recent_conversations sorts only the newest days' conversations: the same as sorting them all."""
    index = copy_of(load_repo(SAMPLE_DATA).records)
    for n in range(12):  # many on one day, and on the newest day the sample has
        day = TODAY if n % 2 else dt.date(2026, 11, 20)
        talk = Conversation(id=f"{day.isoformat()}-tie-{n:02d}", date=day, group="riverton-pride")
        index[Kind.CONVERSATIONS][talk.id] = talk
    talks = [t for t in index[Kind.CONVERSATIONS].values() if isinstance(t, Conversation)]
    for limit in (0, 1, 5, 7, 40, 1000):
        expected = sorted(talks, key=lambda c: (c.date, c.id), reverse=True)[:limit]
        assert recent_conversations(index, limit) == expected
    assert recent_conversations({kind: {} for kind in Kind}, 5) == []
