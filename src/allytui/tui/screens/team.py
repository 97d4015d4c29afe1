"""Our team (the guide's step 1): who is in it, why we do this, our priorities, red lines and capacity."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from allytui.model.enums import ActivityKind, Capacity
from allytui.model.records import Group, Kind, Person, Team
from allytui.model.relations import RecordIndex, conversations_with, name_of
from allytui.model.relations_index import RelationsIndex
from allytui.store.layout import path_of
from allytui.tui.app_data import AppData
from allytui.tui.keymap import EDITOR_TIP, key_of
from allytui.tui.messages import EditFile, EditRecord
from allytui.tui.safe import Doc, block
from allytui.tui.terminal import in_terminal
from allytui.tui.widgets.footer import Footer
from allytui.tui.widgets.record_table import Column, RecordTable, Row
from allytui.tui.widgets.tab_bar import TabBar

CAPACITY_TEXT = {
    Capacity.LOW: "low on capacity",
    Capacity.CORE: "a committed core team",
    Capacity.MANY: "many active members",
}

# The guide's step 8: activities that suit a local group's capacity.
SUITS_CAPACITY: dict[Capacity, list[ActivityKind]] = {
    Capacity.LOW: [ActivityKind.PICNIC, ActivityKind.STALL, ActivityKind.CLIMATE_CONVERSATION, ActivityKind.LEAFLETING],
    Capacity.CORE: [
        ActivityKind.WORKSHOP,
        ActivityKind.TALK,
        ActivityKind.JUSTICE_DIALOGUE,
        ActivityKind.CLIMATE_CAFE,
        ActivityKind.PUBLIC_MEETING,
    ],
    Capacity.MANY: [ActivityKind.COMMUNITY_ASSEMBLY, ActivityKind.LOCAL_CAMPAIGN, ActivityKind.DIRECT_ACTION],
}


def team_members(team: Team, index: RecordIndex) -> list[tuple[str, str]]:
    """(person id, note) for everyone in team.members or marked member_of the team; the note flags a mismatch."""
    found: list[tuple[str, str]] = []
    for person_id in team.members:
        person = index[Kind.PEOPLE].get(person_id)
        if isinstance(person, Person) and person.member_of != team.id:
            found.append((person_id, "their record doesn't say they are a member"))
        else:
            found.append((person_id, ""))
    listed = set(team.members)
    extra = [
        p
        for p in index[Kind.PEOPLE].values()
        if isinstance(p, Person) and p.member_of == team.id and p.id not in listed
    ]
    for person in sorted(extra, key=lambda p: p.name.lower()):
        found.append((person.id, "not in the team's member list"))
    return found


def member_lines(
    person_id: str, note: str, index: RecordIndex, doc: Doc, related: RelationsIndex | None = None
) -> None:
    """A member's name and role, then what they carry: groups they lead and conversations they had (counted
    from related, the app's index of who belongs with whom, when given: each is a scan of every conversation)."""
    person = index[Kind.PEOPLE].get(person_id)
    role = f" — {person.role}" if isinstance(person, Person) and person.role else ""
    doc.line("• ", (name_of(index, Kind.PEOPLE, person_id), "bold"), role)
    leads = sum(1 for g in index[Kind.GROUPS].values() if isinstance(g, Group) and g.lead == person_id)
    talks = len(
        related.conversations_with(person_id=person_id) if related else conversations_with(index, person_id=person_id)
    )
    counts = [f"leads {leads} group{'s' if leads != 1 else ''}"] if leads else []
    if talks:
        counts.append(f"{talks} conversation{'s' if talks != 1 else ''}")
    if counts:
        doc.line(("  " + " · ".join(counts), "dim"))
    if note:
        doc.line(("  ! " + note, "bold"))


def reflow(text: str) -> str:
    """Join lines hard-wrapped in an editor back into paragraphs; keep blank lines and list items."""
    out: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        starts_item = bool(re.match(r"^([-*•]|\d+[.)])\s", stripped))
        if out and out[-1] and stripped and not starts_item:
            out[-1] += " " + stripped
        else:
            out.append(stripped)
    return "\n".join(out)


def team_summary(team: Team, index: RecordIndex, related: RelationsIndex | None = None) -> Text:
    """Who we are: name, area, capacity and what suits it, members and red lines."""
    doc = Doc()
    doc.line((team.name, "bold"))
    if team.area:
        doc.line(team.area)
    doc.line(("Capacity: ", "bold"), f"{team.capacity.value} — {CAPACITY_TEXT[team.capacity]}")
    suits = ", ".join(kind.value.replace("_", " ") for kind in SUITS_CAPACITY[team.capacity])
    doc.line(("Suits us (step 8): ", "italic"), (suits, "italic"))
    members = team_members(team, index)
    doc.heading(f"Members ({len(members)})")
    for person_id, note in members:
        member_lines(person_id, note, index, doc, related)
    if not members:
        doc.line(("none yet", "italic"))
    doc.heading("Our red lines").bullets(list(team.red_lines), "none recorded yet: be clear about them")
    return doc.text


def team_story(team: Team) -> Text:
    """Why we do this: motivations, priorities and notes."""
    doc = Doc()
    for n, (title, value) in enumerate(
        (("Motivations", team.motivations), ("Priorities", team.priorities), ("Notes", team.notes))
    ):
        if n:
            doc.text.append("\n")
        doc.line((title, "bold underline"))
        if value.strip():
            doc.text.append_text(block(reflow(value)))
            doc.text.append("\n")
        else:
            doc.line(("not written yet", "italic"))
    return doc.text


class TeamScreen(Screen[None], AppData):
    """Our team(s). A repo usually has one; with several, a list picks which to show."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", "Edit team", id="edit"),
        Binding("e", "editor", "Editor", id="editor", tooltip=EDITOR_TIP),
        Binding("m", "new_member", "New member", id="team-new-member", tooltip="a new person who is one of us"),
    ]
    COLUMNS: ClassVar[list[Column]] = [Column("name", "Team", 30), Column("area", "Area", 20)]

    def compose(self) -> ComposeResult:
        yield TabBar()
        yield RecordTable(self.COLUMNS, id="teams")
        with VerticalScroll(id="team-body"), Horizontal(id="team-columns"):
            yield Static(id="team-summary")
            yield Static(id="team-story")
        yield Footer(compact=True)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#teams", RecordTable)

    def on_mount(self) -> None:
        self.watch_data(self._data_changed)

    def teams(self) -> list[Team]:
        loaded = self.loaded
        if loaded is None:
            return []
        return sorted((t for t in loaded.records[Kind.TEAMS].values() if isinstance(t, Team)), key=lambda t: t.id)

    def _data_changed(self) -> None:
        teams = self.teams()
        self.table.set_rows([Row(t.id, (t.name, t.area), f"{t.name} {t.area}".lower()) for t in teams])
        self.table.display = len(teams) > 1
        (self.table if len(teams) > 1 else self.query_one("#team-body")).focus()
        self.show_team()
        self.refresh_bindings()

    def current_team(self) -> Team | None:
        loaded, key = self.loaded, self.table.current_key
        team = loaded.get(Kind.TEAMS, key) if loaded is not None and key else None
        return team if isinstance(team, Team) else None

    def show_team(self) -> None:
        loaded = self.loaded
        team = self.current_team()
        summary = self.query_one("#team-summary", Static)
        story = self.query_one("#team-story", Static)
        story.display = team is not None
        if loaded is None:
            summary.update(Text("Loading…", style="italic"))
        elif team is None:
            doc = Doc()
            doc.line(("No team described yet.", "bold"))
            doc.line("The guide's step 1: gather a team, and agree your motivations, priorities and red lines.")
            doc.line(f"Press {key_of(self.app, 'edit')} to describe your team.")  # the form: e is the editor
            summary.update(doc.text)
        else:
            summary.update(team_summary(team, loaded.records, self.allytui_app.related(loaded)))
            story.update(team_story(team))

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_team()

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        self.post_message(EditRecord(Kind.TEAMS, self.current_team()))

    def action_editor(self) -> None:
        team = self.current_team()
        if team is not None:
            self.post_message(EditFile(path_of(team)))

    def action_new_member(self) -> None:
        """A new person's form with member of already this team: saving it adds them to the members list too."""
        team = self.current_team()
        if team is not None:
            self.post_message(EditRecord(Kind.PEOPLE, None, prefill={"member_of": team.id}, focus="name"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "editor" and not in_terminal(self.app):
            return False  # in a browser: long text is edited in the form
        if action in ("editor", "new_member") and self.is_mounted:
            return self.current_team() is not None or None
        return True
