"""A brief on one group, to read before a conversation or a meeting with it.

`brief(index, group_id, today)` gives it as a list of plain-text blocks (headings, fields, list items),
which the TUI draws as rich Text and allytui.render.brief writes as Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from allytui.model.agenda import due_words, unagreed_roles
from allytui.model.records import Conversation, Group, Kind, Person, Record
from allytui.model.relations import (
    NATIONAL_WARNING,
    RecordIndex,
    activities_of_group,
    conversations_with,
    name_of,
    our_team,
    people_of_group,
)
from allytui.model.sealed import SEALED_NOTE, Sealed, shown

STRENGTH = {1: "acquaintance", 2: "friendly", 3: "close"}


Opener = Callable[[Conversation], tuple[Record, Mapping[str, str]]]
"""A conversation with the sealed values the reader can open made plain (store.keyring), and why each other
one stays sealed (field -> a message that never holds a value)."""


class NoSuchGroup(LookupError):
    pass


@dataclass(frozen=True)
class _Talk:
    """A conversation as the reader may see it: opened where they hold a key, and why the rest stay sealed."""

    talk: Conversation
    closed: Mapping[str, str]

    def text(self, name: str) -> str:
        """A text field's value; a sealed one not opened says why (never its armor)."""
        value = getattr(self.talk, name)
        return self.closed.get(name, SEALED_NOTE) if isinstance(value, Sealed) else str(value)


def _open(talk: Conversation, opened: Opener | None) -> _Talk:
    if opened is None:
        return _Talk(talk, {})
    record, closed = opened(talk)
    return _Talk(record if isinstance(record, Conversation) else talk, closed)


@dataclass(frozen=True)
class Link:
    """One of our members who knows someone (or the group itself), how, and how well."""

    member: str
    name: str
    how: str
    strength: int

    def words(self) -> str:
        how = f", {self.how}" if self.how else ""
        return f"{self.name} ({STRENGTH.get(self.strength, str(self.strength))}{how})"


def _members(index: RecordIndex) -> list[Person]:
    people = [p for p in index[Kind.PEOPLE].values() if isinstance(p, Person) and p.is_member]
    return sorted(people, key=lambda p: p.name.lower())


def links_to(index: RecordIndex, kind: Kind, target: str) -> list[Link]:
    """Our members who know a person or group, strongest first. A person's link to one of our members
    counts too (knowing goes both ways for a brief); the stronger of two links is kept."""
    found: dict[str, Link] = {}

    def keep(link: Link) -> None:
        if link.member not in found or link.strength > found[link.member].strength:
            found[link.member] = link

    for member in _members(index):
        for knows in member.knows:
            if knows.target == (kind, target) and member.id != target:
                keep(Link(member.id, member.name, knows.how, knows.strength))
    if kind is Kind.PEOPLE:
        person = index[Kind.PEOPLE].get(target)
        if isinstance(person, Person):
            for knows in person.knows:
                other = index[Kind.PEOPLE].get(knows.person or "")
                if isinstance(other, Person) and other.is_member and other.id != target:
                    keep(Link(other.id, other.name, knows.how, knows.strength))
    return sorted(found.values(), key=lambda link: (-link.strength, link.name.lower()))


BlockKind = Literal["title", "meta", "warning", "heading", "subheading", "field", "para", "note", "item", "subitem"]


@dataclass(frozen=True)
class Block:
    """One piece of a brief, in plain text (never Markdown): how it is drawn depends on its kind.

    field: `label` in bold, then `text`. item, subitem: a list entry; `label` (in bold when `strong`)
    then `sep` then `text`. note: an italic remark such as "None yet.". The rest: just `text`.
    """

    kind: BlockKind
    text: str = ""
    label: str = ""
    sep: str = ": "
    strong: bool = True


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _facts(group: Group, index: RecordIndex) -> str:
    facts = [group.category.value.replace("_", " "), f"stage: {group.stage.value.replace('_', ' ')}"]
    if group.influence is not None:
        facts.append(f"influence {group.influence}/5")
    if group.alignment is not None:
        facts.append(f"alignment {_signed(group.alignment)}")
    if group.size_estimate is not None:
        facts.append(f"about {group.size_estimate} people")
    if group.lead:
        facts.append(f"our lead: {name_of(index, Kind.PEOPLE, group.lead)}")
    return " · ".join(facts)


def _fields(*pairs: tuple[str, str]) -> list[Block]:
    """A block for each field with text; a sealed value not opened says so (never its armor)."""
    return [Block("field", shown(text).strip(), label) for label, text in pairs if text.strip()]


def _talk(said: _Talk, index: RecordIndex, today: dt.date, *, latest: bool) -> list[Block]:
    talk = said.talk
    blocks = [Block("subheading", f"{talk.date.isoformat()} — {talk.channel.value.replace('_', ' ')}")]
    theirs = ", ".join(name_of(index, Kind.PEOPLE, p) for p in talk.their_people)
    ours = ", ".join(name_of(index, Kind.PEOPLE, p) for p in talk.our_people)
    if theirs:
        blocks.append(Block("para", f"With {theirs}" + (f"; for us {ours}." if ours else ".")))
    elif ours:
        blocks.append(Block("para", f"For us: {ours}."))
    blocks += _fields(
        ("What they care about", said.text("cares_about")),
        ("Values and aims", said.text("values_and_aims")),
        ("Common ground", said.text("common_ground")),
        ("Red lines they raised", said.text("red_lines")),
        ("Concerns", said.text("concerns")),
        ("Outcome", said.text("outcome")),
        ("Next steps", said.text("next_steps")),
    )
    if talk.follow_up and latest:
        blocks.append(Block("para", f"Follow up by {talk.follow_up.isoformat()} ({due_words(talk.follow_up, today)})."))
    elif talk.follow_up:  # a later conversation happened: this follow-up was had
        blocks.append(Block("para", f"Follow-up was due {talk.follow_up.isoformat()}."))
    return blocks


def _people(group: Group, index: RecordIndex) -> list[Block]:
    blocks = [Block("heading", "Their people and our links to them")]
    direct = links_to(index, Kind.GROUPS, group.id)
    if direct:
        blocks.append(Block("para", "Our members who know the group itself: " + "; ".join(d.words() for d in direct)))
    people = people_of_group(index, group.id)
    for person in people:
        facts = [person.role] if person.role else []
        if person.influence is not None:
            facts.append(f"influence {person.influence}/5")
        if person.alignment is not None:
            facts.append(f"alignment {_signed(person.alignment)}")
        blocks.append(Block("item", ", ".join(facts), person.name, " — "))
        links = links_to(index, Kind.PEOPLE, person.id)
        blocks += [Block("subitem", f"Known to {link.words()}") for link in links] or [
            Block("subitem", "None of our members knows them yet.")
        ]
    if not people:
        blocks.append(Block("note", "No one recorded yet."))
    return blocks


def _red_lines(group: Group, talks: list[_Talk], index: RecordIndex) -> list[Block]:
    blocks = [Block("heading", "Red lines"), Block("subheading", "Theirs")]
    theirs = [Block("item", line) for line in group.red_lines]
    theirs += [
        Block("item", t.text("red_lines").strip(), f"Raised on {t.talk.date.isoformat()}")
        for t in talks
        if t.text("red_lines").strip()
    ]
    blocks += theirs or [Block("note", "None recorded: find out theirs.")]
    team = our_team(index)
    blocks.append(Block("subheading", f"Ours ({team.name})" if team else "Ours"))
    ours = [Block("item", line) for line in (team.red_lines if team else [])]
    return blocks + (ours or [Block("note", "None recorded: be clear about ours.")])


def _next_steps(group: Group, talks: list[_Talk], index: RecordIndex, today: dt.date) -> list[Block]:
    blocks = [Block("heading", "Open next steps")]
    if group.next_action or group.next_action_due:
        who = name_of(index, Kind.PEOPLE, group.lead) if group.lead else "no lead"
        when = ""
        if group.next_action_due:
            when = f" — due {group.next_action_due.isoformat()}, {due_words(group.next_action_due, today)}"
        blocks.append(Block("item", (group.next_action or "not written down") + when, f"Next action ({who})"))
    said = talks[0] if talks else None
    latest = said.talk if said is not None else None
    next_steps = said.text("next_steps").strip() if said is not None else ""
    if latest is not None and (next_steps or latest.follow_up):
        ours = ", ".join(name_of(index, Kind.PEOPLE, p) for p in latest.our_people) or "no one named"
        when = ""
        if latest.follow_up:
            when = f" — follow up by {latest.follow_up.isoformat()}, {due_words(latest.follow_up, today)}"
        label = f"From the conversation of {latest.date.isoformat()} ({ours}){when}"
        blocks.append(Block("item", next_steps or "follow up", label))
    if len(blocks) == 1:
        blocks.append(Block("note", "None recorded."))
    return blocks


def _activities(group: Group, index: RecordIndex, today: dt.date) -> list[Block]:
    activities = activities_of_group(index, group.id)
    blocks = [Block("heading", f"Joint activities ({len(activities)})")]
    for activity in activities:
        when = activity.date.isoformat() if activity.date else "no date"
        what = f"{activity.kind.value.replace('_', ' ')}, {activity.status.value}, {when}"
        blocks.append(Block("item", what, activity.title, " — "))
        soon = unagreed_roles(activity, today)
        for partner in activity.partners:
            role = partner.role or "role to discuss"
            agreed = "agreed" if partner.agreed else "not agreed yet"
            warn = " ⚠ agree it in advance" if partner.group in soon else ""
            name = name_of(index, Kind.GROUPS, partner.group)
            blocks.append(Block("subitem", f"{role} ({agreed}){warn}", name, strong=partner.group == group.id))
    if not activities:
        blocks.append(Block("note", "None yet."))
    return blocks


def brief(
    index: RecordIndex, group_id: str, today: dt.date, *, opened: Opener | None = None, also: Sequence[str] = ()
) -> list[Block]:
    """The brief on a group as blocks of plain text. NoSuchGroup when there is no such group.

    opened: each conversation with its sealed values opened for the reader (store.keyring), if they hold a key;
    without it, or for a value it cannot open, a sealed value says why it stays sealed, never its armor.
    also: lines about other participants of the region in touch with the same organisation.
    """
    group = index[Kind.GROUPS].get(group_id)
    if not isinstance(group, Group):
        raise NoSuchGroup(group_id)
    blocks = [Block("title", group.name), Block("meta", f"Prepared {today.isoformat()} · {_facts(group, index)}")]
    if group.national_contact:
        blocks.append(Block("warning", NATIONAL_WARNING))
    blocks += [Block("warning", line) for line in also]
    blocks.append(Block("heading", "Who they are"))
    about = _fields(
        ("Aims", group.aims),
        ("Theory of change", group.theory_of_change),
        ("How they are organised", group.organisation),
        ("Networks", group.networks),
        ("Area", group.area),
        ("Website", group.website),
    )
    blocks += about or [
        Block(
            "note",
            "Nothing recorded yet: ask about their aims, how they see change happen, and how they decide things.",
        )
    ]
    blocks += _people(group, index)
    talks = [_open(talk, opened) for talk in conversations_with(index, group_id=group.id)]
    blocks.append(Block("heading", f"Conversations ({len(talks)}, newest first)"))
    for n, said in enumerate(talks):
        blocks += _talk(said, index, today, latest=n == 0)
    if not talks:
        blocks.append(Block("note", "None yet."))
    blocks += _red_lines(group, talks, index)
    blocks += _next_steps(group, talks, index, today)
    blocks += _activities(group, index, today)
    return blocks
