"""People's rights over their data: do-not-contact, missing lawful basis, a person's file, redacted sharing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from allytui.model.records import Conversation, Group, Kind, Person, Record
from allytui.model.relations import name_of
from allytui.model.sealed import Sealed

RecordIndex = Mapping[Kind, Mapping[str, Record]]
STRENGTH_WORDS = {1: "acquaintance", 2: "friendly", 3: "close"}


# do not contact


def person(index: RecordIndex, person_id: str | None) -> Person | None:
    found = index[Kind.PEOPLE].get(person_id) if person_id else None
    return found if isinstance(found, Person) else None


def known_people(index: RecordIndex, group_id: str) -> list[Person]:
    """The people we know in a group, leaving out our own members."""
    found = [p for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and group_id in p.groups]
    return sorted((p for p in found if not p.is_member), key=lambda p: (p.name.casefold(), p.id))


def _since(someone: Person) -> str:
    return f" (since {someone.do_not_contact_since.isoformat()})" if someone.do_not_contact_since else ""


def do_not_contact_reason(
    index: RecordIndex, group_id: str | None, their_people: list[str], *, logged: Conversation | None = None
) -> str | None:
    """Why logging a conversation with these people (or this group) needs asking first, or None.

    Asks when any of their people asked not to be contacted, or when none are named and everyone we
    know at the group did. logged: the conversation as it was before an edit; then only what the edit
    brings in is asked about (someone added to their people, or, with nobody named, a move to another
    group), so editing anything else of a conversation already logged never asks.
    """
    if logged is not None:
        added = [pid for pid in their_people if pid not in logged.their_people]
        if added:
            return do_not_contact_reason(index, None, added)
        if their_people or group_id == logged.group:
            return None
    named = [p for p in (person(index, pid) for pid in dict.fromkeys(their_people)) if p is not None]
    blocked = [p for p in named if p.do_not_contact]
    if blocked:
        return " ".join(f"{p.name} asked not to be contacted{_since(p)}." for p in blocked)
    if their_people or not group_id:
        return None
    known = known_people(index, group_id)
    if known and all(p.do_not_contact for p in known):
        names = ", ".join(p.name for p in known)
        return f"Everyone we know at {name_of(index, Kind.GROUPS, group_id)} ({names}) asked not to be contacted."
    return None


def conversation_blocked(index: RecordIndex, talk: Conversation) -> bool:
    """Whether a conversation is with someone who asked not to be contacted (its follow-up is dropped)."""
    return do_not_contact_reason(index, talk.group, talk.their_people) is not None


def do_not_contact_note(count: int) -> str:
    """The agenda's one line about the follow-ups it left out."""
    if count == 1:
        return "1 follow-up left out: it is with someone who asked not to be contacted."
    return f"{count} follow-ups left out: they are with people who asked not to be contacted."


# lawful basis


def has_contact(someone: Person) -> bool:
    """Whether contact details are recorded: a contact table, or a sealed one (known without opening it)."""
    return someone.contact is not None


def missing_basis(index: RecordIndex) -> list[Person]:
    """People with contact details but no lawful basis recorded, by name."""
    found = [p for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and has_contact(p) and p.basis is None]
    return sorted(found, key=lambda p: (p.name.casefold(), p.id))


def missing_basis_rows(people: list[Person]) -> list[dict[str, Any]]:
    """What `allytui privacy --json` says of each person: never their contact details."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "member": p.is_member,
            "consent": p.consent,
            "contact_sealed": isinstance(p.contact, Sealed),
        }
        for p in people
    ]


# a person's file: who refers to them and who mentions them


TITLES = re.compile(r"(rev|revd|dr|cllr|councillor|mr|mrs|ms|mx|miss|prof|fr|imam|rabbi|sir|dame|lord|lady)\.?", re.I)
"""Titles a name may start with; a mention without the title ("Helen Carter" for "Rev. Helen Carter") counts."""


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern finding name as whole words, case-insensitive, whatever the spaces between its words.
    A title in front is left out, so "Helen Carter" is found for "Rev. Helen Carter" (and so is the whole)."""
    words = name.split()
    while len(words) > 1 and TITLES.fullmatch(words[0]):
        words = words[1:]
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def text_fields(item: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, text) of a record or part, nested parts and lists included; sealed values left out."""
    for name in type(item).model_fields:
        if name == "id":
            continue
        value = getattr(item, name)
        path = f"{prefix}{name}"
        yield from _texts(path, value)


def _texts(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Sealed):
        return
    if isinstance(value, str):
        if value:
            yield path, value
    elif isinstance(value, BaseModel):
        yield from text_fields(value, f"{path}.")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _texts(f"{path}[{n}]", item)


@dataclass(frozen=True)
class Mention:
    """A record that refers to the person, or mentions their name, and the fields where it does."""

    kind: Kind
    record_id: str
    label: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PersonFile:
    """What is held about one person, apart from the dates their record changed (those come from git)."""

    person: Person
    referring: list[Mention] = field(default_factory=list)
    mentioning: list[Mention] = field(default_factory=list)


REFERENCE_FIELDS = frozenset({"id", "member_of", "groups", "lead", "group", "person", "their_people", "our_people"})


def person_file(index: RecordIndex, person_id: str) -> PersonFile:
    """Their record, every record that refers to them, and every other text that mentions their name.

    Raises KeyError when there is no such person.
    """
    someone = person(index, person_id)
    if someone is None:
        raise KeyError(person_id)
    pattern = name_pattern(someone.name)
    referring, mentioning = [], []
    for kind in Kind:
        for record in sorted(index[kind].values(), key=lambda r: r.id):
            refs = tuple(
                dict.fromkeys(path for path, k, ref in record.references() if k is Kind.PEOPLE and ref == person_id)
            )
            if refs and record is not someone:
                referring.append(Mention(kind, record.id, record.label, refs))
            if pattern is None:
                continue
            said = tuple(path for path, text in text_fields(record) if _is_free_text(path) and pattern.search(text))
            if record is someone:
                said = tuple(path for path in said if path != "name")
            if said:
                mentioning.append(Mention(kind, record.id, record.label, said))
    return PersonFile(someone, referring, mentioning)


def _is_free_text(path: str) -> bool:
    """Text written by someone, not an id: reference fields hold ids, which are often the name itself."""
    last = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
    return last not in REFERENCE_FIELDS


# sharing beyond the team

REDACTED_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.PEOPLE: ("id", "role", "groups"),
    Kind.CONVERSATIONS: ("id", "date", "group", "channel", "outcome"),
    Kind.GROUPS: ("id", "name", "category", "area", "stage", "national_contact"),
    Kind.TEAMS: ("id", "name", "area"),
    Kind.ACTIVITIES: ("id", "title", "kind", "status", "date"),
}
"""What `export --redact` keeps of each kind: no names of people, notes, views or contact details."""


def redacted(record: Record) -> dict[str, Any]:
    """The record as JSON-like data holding only REDACTED_FIELDS of its kind; a sealed outcome says so."""
    data = {"id": record.id, **record.model_dump(mode="json")}
    return {
        name: "sealed" if isinstance(getattr(record, name, None), Sealed) else data.get(name)
        for name in REDACTED_FIELDS[record.KIND]
    }


# the national-contacts report


@dataclass(frozen=True)
class KnownThere:
    """One of our members who knows someone at a national-contact group (or the group itself)."""

    member_id: str
    member: str
    knows: str  # the person's name, or the group's
    strength: int

    @property
    def strength_word(self) -> str:
        return STRENGTH_WORDS.get(self.strength, str(self.strength))


@dataclass(frozen=True)
class NationalContact:
    """A group the national relationships team should hear about."""

    group: Group
    known: list[KnownThere]
    people: list[Person]  # who we know there (not our members)
    last_conversation: dt.date | None


def national_report(index: RecordIndex) -> list[NationalContact]:
    """Every national-contact group, by name: who of ours knows someone there, and the last conversation."""
    groups = sorted(
        (g for g in index[Kind.GROUPS].values() if isinstance(g, Group) and g.national_contact),
        key=lambda g: (g.name.casefold(), g.id),
    )
    members = sorted(
        (p for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and p.is_member),
        key=lambda p: (p.name.casefold(), p.id),
    )
    last: dict[str, dt.date] = {}
    for talk in index[Kind.CONVERSATIONS].values():
        if isinstance(talk, Conversation) and talk.group and (talk.group not in last or talk.date > last[talk.group]):
            last[talk.group] = talk.date
    found = []
    for group in groups:
        there = known_people(index, group.id)
        ids = {p.id for p in there}
        known = [
            KnownThere(member.id, member.name, _known_name(index, link.person, link.group), link.strength)
            for member in members
            for link in member.knows
            if (link.person in ids) or link.group == group.id
        ]
        known.sort(key=lambda k: (-k.strength, k.member.casefold(), k.knows.casefold()))
        found.append(NationalContact(group, known, there, last.get(group.id)))
    return found


def _known_name(index: RecordIndex, person_id: str | None, group_id: str | None) -> str:
    if person_id:
        return name_of(index, Kind.PEOPLE, person_id)
    return f"{name_of(index, Kind.GROUPS, group_id)} (the group)"
