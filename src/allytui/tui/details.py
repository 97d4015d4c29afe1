"""Detail views of records, as rich Text built with Doc (record text is never markup)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.text import Text

from allytui.model.agenda import due_words
from allytui.model.conflicts import DELETED, other_text
from allytui.model.pathways import NATIONAL_WARNING, graph_for, pathways
from allytui.model.privacy import shown_conflict_value
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Record, Team
from allytui.model.relations import (
    RecordIndex,
    activities_of_group,
    conversations_with,
    name_of,
    our_red_lines,
    people_of_group,
)
from allytui.model.relations_index import RelationsIndex
from allytui.model.sealed import SEALED_NOTE, Sealed, shown
from allytui.tui.keymap import KeyOf
from allytui.tui.safe import Doc

PATHWAYS_SHOWN = 3  # paths (or suggestions, when there is none) in a detail view


def words(value: str) -> str:
    """A vocabulary value as people say it: in_conversation -> in conversation."""
    return value.replace("_", " ")


def signed(value: int | None) -> str:
    return "" if value is None else f"{value:+d}" if value else "0"


def due_text(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return ""
    return f"{due.isoformat()} ({due_words(due, today)})"


def group_detail(
    group: Group,
    index: RecordIndex,
    today: dt.date,
    also: Sequence[str] = (),
    related: RelationsIndex | None = None,
    graph_pending: bool = False,
) -> Text:
    """also: lines about other participants of the region in touch with the same organisation; related: the
    index of who belongs with whom (the same answers as scanning index, which is done without it); graph_pending:
    the pathways graph is still being built (the section says so)."""
    doc = Doc()
    doc.line((group.name, "bold"))
    facts = [words(group.category.value), words(group.stage.value)]
    if group.influence is not None:
        facts.append(f"influence {group.influence}")
    if group.alignment is not None:
        facts.append(f"alignment {signed(group.alignment)}")
    doc.line(" · ".join(facts))
    if group.national_contact:
        doc.line(("⚠ " + NATIONAL_WARNING, "bold reverse"))
    for line in also:
        doc.line(("◆ " + line, "bold"))
    if group.lead:
        doc.field("Lead", name_of(index, Kind.PEOPLE, group.lead))
    if group.next_action or group.next_action_due:
        doc.field("Next", " — ".join(x for x in (group.next_action, due_text(group.next_action_due, today)) if x))
    doc.field("Area", group.area).field("Website", group.website)
    doc.field("Size", group.size_estimate)
    doc.field("Aims", group.aims).field("Theory of change", group.theory_of_change)
    doc.field("Organisation", group.organisation).field("Networks", group.networks)
    reasons = ", ".join(words(r.value) for r in group.shortlist_reasons)
    doc.field("Shortlisted for", reasons).field("Shortlist notes", group.shortlist_notes)
    doc.heading("Red lines — theirs").bullets(list(group.red_lines), "none recorded")
    doc.heading("Red lines — ours").bullets(our_red_lines(index), "none recorded")
    people = related.people_of_group(group.id) if related else people_of_group(index, group.id)
    doc.heading(f"People ({len(people)})")
    doc.bullets([f"{p.name}" + (f" — {p.role}" if p.role else "") for p in people], "none yet")
    pathways_section(doc, Kind.GROUPS, group.id, index, graph_pending)
    talks = related.conversations_with(group_id=group.id) if related else conversations_with(index, group_id=group.id)
    doc.heading(f"Conversations ({len(talks)}, newest first)")
    doc.bullets([conversation_line(c, index) for c in talks], "none yet")
    activities = related.activities_of_group(group.id) if related else activities_of_group(index, group.id)
    doc.heading(f"Activities ({len(activities)})")
    doc.bullets([activity_line(a, group.id) for a in activities], "none yet")
    if group.tags:
        doc.field("Tags", ", ".join(group.tags))
    doc.field("Notes", group.notes)
    return doc.text


def pathways_section(doc: Doc, kind: Kind, record_id: str, index: RecordIndex, graph_pending: bool = False) -> None:
    """The best chains from our members to a group or person, or the other ways in when there is none."""
    doc.heading("Pathways")
    if graph_pending:
        doc.line(("finding who of us can reach them…", "italic"))
        return
    found = pathways(index, kind, record_id, limit=PATHWAYS_SHOWN, graph=graph_for(index))
    if kind is Kind.PEOPLE and found.warning:
        doc.line(("⚠ " + found.warning, "bold"))
    if found.paths:
        doc.bullets([path.text for path in found.paths])
        return
    suggestions = [s for s in found.advice[1:] if not s.endswith(NATIONAL_WARNING)][:PATHWAYS_SHOWN]
    if suggestions:
        doc.line(("No path from our members yet. Other ways in (the guide's step 5):", "italic"))
        doc.bullets(suggestions)
    else:
        doc.line(("No path from our members yet.", "italic"))


def conversation_line(talk: Conversation, index: RecordIndex) -> str:
    said = (shown(text, "") for text in (talk.common_ground, talk.cares_about, talk.outcome, talk.notes))
    summary = next((text for text in said if text), "").strip().splitlines()
    first = summary[0] if summary else ""
    return f"{talk.date.isoformat()} {talk.channel.value.replace('_', ' ')}" + (f" — {first}" if first else "")


def activity_line(activity: Activity, group_id: str) -> str:
    when = activity.date.isoformat() if activity.date else "no date"
    roles = [p for p in activity.partners if p.group == group_id]
    role = roles[0] if roles else None
    agreed = "" if role is None else (" (role agreed)" if role.agreed else " (role NOT agreed)")
    what = f": {role.role}" if role and role.role else ""
    return f"{activity.title} — {words(activity.status.value)}, {when}{what}{agreed}"


def person_detail(
    person: Person, index: RecordIndex, related: RelationsIndex | None = None, graph_pending: bool = False
) -> Text:
    doc = Doc()
    doc.line((person.name, "bold"))
    if person.role:
        doc.line(person.role)
    if person.member_of:
        doc.line((f"Our member ({name_of(index, Kind.TEAMS, person.member_of)})", "bold"))
    doc.field("Groups", ", ".join(name_of(index, Kind.GROUPS, g) for g in person.groups))
    doc.field("Influence", person.influence).field("Alignment", signed(person.alignment))
    if person.knows:
        doc.heading("Knows")
        lines = []
        for link in person.knows:
            kind, ref = link.target
            strength = {1: "acquaintance", 2: "friendly", 3: "close"}[link.strength]
            lines.append(f"{name_of(index, kind, ref)} — {strength}" + (f" ({link.how})" if link.how else ""))
        doc.bullets(lines)
    consent = (
        "yes" + (f" ({person.consent_date.isoformat()})" if person.consent_date else "") if person.consent else "no"
    )
    doc.field("Consent to be recorded", consent)
    basis = words(person.basis.value) if person.basis else "not recorded"
    doc.field("Lawful basis", basis + (f" — {person.basis_note}" if person.basis_note else ""))
    if person.do_not_contact:
        since = f" (since {person.do_not_contact_since.isoformat()})" if person.do_not_contact_since else ""
        doc.line((f"Do not contact{since}: no outreach, no pathways through them", "bold"))
    if person.reviewed:
        doc.field("Reviewed", person.reviewed.isoformat())
    if person.contact:
        sealed = isinstance(person.contact, Sealed)
        doc.field("Contact", SEALED_NOTE if sealed else "recorded (sensitive; open the record to see it)")
    if not person.member_of:
        pathways_section(doc, Kind.PEOPLE, person.id, index, graph_pending)
    talks = (
        related.conversations_with(person_id=person.id) if related else conversations_with(index, person_id=person.id)
    )
    doc.heading(f"Conversations ({len(talks)})").bullets([conversation_line(c, index) for c in talks], "none yet")
    doc.field("Notes", person.notes)
    return doc.text


def conversation_detail(talk: Conversation, index: RecordIndex, today: dt.date) -> Text:
    doc = Doc()
    doc.line((f"{talk.date.isoformat()} — {name_of(index, Kind.GROUPS, talk.group) or 'no group'}", "bold"))
    doc.line(talk.channel.value.replace("_", " "))
    doc.field("With", ", ".join(name_of(index, Kind.PEOPLE, p) for p in talk.their_people))
    doc.field("Us", ", ".join(name_of(index, Kind.PEOPLE, p) for p in talk.our_people))
    doc.field("What they care about", talk.cares_about)
    doc.field("Values and aims", talk.values_and_aims)
    doc.field("Common ground", talk.common_ground)
    doc.field("Red lines raised", talk.red_lines)
    doc.field("Concerns", talk.concerns)
    doc.field("Outcome", talk.outcome)
    doc.field("Next steps", talk.next_steps)
    doc.field("Follow up", due_text(talk.follow_up, today))
    doc.field("Notes", talk.notes)
    return doc.text


def activity_detail(activity: Activity, index: RecordIndex, today: dt.date) -> Text:
    doc = Doc()
    doc.line((activity.title, "bold"))
    doc.line(f"{words(activity.kind.value)} · {words(activity.status.value)}")
    doc.field("Date", due_text(activity.date, today)).field("Where", activity.location)
    doc.heading("Partners")
    lines = []
    for partner in activity.partners:
        agreed = "agreed" if partner.agreed else "NOT agreed"
        lines.append(f"{name_of(index, Kind.GROUPS, partner.group)}: {partner.role or 'role to discuss'} ({agreed})")
    doc.bullets(lines, "none yet")
    doc.field("Notes", activity.notes)
    return doc.text


def team_detail(team: Team, index: RecordIndex) -> Text:
    doc = Doc()
    doc.line((team.name, "bold"))
    doc.field("Area", team.area).field("Capacity", words(team.capacity.value))
    doc.heading(f"Members ({len(team.members)})")
    doc.bullets([name_of(index, Kind.PEOPLE, m) for m in team.members], "none yet")
    doc.field("Motivations", team.motivations).field("Priorities", team.priorities)
    doc.heading("Our red lines").bullets(list(team.red_lines), "none recorded")
    doc.field("Notes", team.notes)
    return doc.text


def record_detail(
    record: Record,
    index: RecordIndex,
    today: dt.date,
    key: KeyOf,
    closed: Mapping[str, str] | None = None,
    also: Sequence[str] = (),
    related: RelationsIndex | None = None,
    graph_pending: bool = False,
) -> Text:
    """The detail view for any record, open sync conflicts first; key names the keys in its hints.

    record is shown as given: open its sealed values first (KeyRing.open); closed says why each sealed
    value left sealed could not be opened, when that is not simply that the member holds no key. related: the
    index of who belongs with whom in index, kept by the app (model.relations_index); without it index is scanned.
    graph_pending: the pathways graph is being built elsewhere (App.pathways_pending): say so instead of waiting.
    """
    text = conflicts_text(record, key)
    text.append_text(unopened_text(closed or {}))
    if isinstance(record, Group):
        text.append_text(group_detail(record, index, today, also, related, graph_pending))
    elif isinstance(record, Person):
        text.append_text(person_detail(record, index, related, graph_pending))
    elif isinstance(record, Conversation):
        text.append_text(conversation_detail(record, index, today))
    elif isinstance(record, Activity):
        text.append_text(activity_detail(record, index, today))
    else:
        assert isinstance(record, Team)
        text.append_text(team_detail(record, index))
    return text


def conflicts_text(record: Record, key: KeyOf) -> Text:
    """A warning for each open sync conflict in the record, with the value that was not chosen."""
    doc = Doc()
    hidden = f"a value that is hidden here (contact details; {key('conflicts')}, then {key('reveal')}, shows it)"
    for conflict in record.conflicts:
        if conflict.field == DELETED:
            doc.line((f"⚠ Conflict: {conflict.author or 'someone'} deleted this record; the edits were kept", "bold"))
        else:
            other = other_text(record, conflict).replace("\n", " / ")
            other = shown_conflict_value(type(record), conflict, other, reveal=False, placeholder=hidden)
            doc.line((f"⚠ Conflict on {conflict.field}: {conflict.author or 'someone'} set it to {other}", "bold"))
    if record.conflicts:
        doc.line((f"  {key('conflicts')} chooses between the values", "italic"))
    return doc.text


def unopened_text(closed: Mapping[str, str]) -> Text:
    """A warning for each sealed value that could not be opened for a reason other than holding no key."""
    doc = Doc()
    for name, why in closed.items():
        if why != SEALED_NOTE:
            doc.line((f"⚠ {words(name)}: {why}", "bold"))
    return doc.text
