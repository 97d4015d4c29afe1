"""Shortlist (the guide's step 3): groups ranked by score, why each scored what it did, mark shortlisted."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Static

from allytui.model.enums import ShortlistReason, Stage
from allytui.model.records import Group, Kind, ShortlistWeights
from allytui.model.shortlist import (
    NO_CONTACT,
    NO_GROUP,
    ONLY_DECLINED,
    WEIGHT_NOTES,
    Score,
    gaps,
    numbered,
    rank,
)
from allytui.store.loader import Loaded
from allytui.sync.edits import save_edit
from allytui.tui.details import NATIONAL_WARNING
from allytui.tui.keymap import key_of
from allytui.tui.messages import EditRecord
from allytui.tui.rows import SHORTLIST_COLUMNS, SHORTLIST_FIELDS, Column, shortlist_row, words
from allytui.tui.safe import Doc
from allytui.tui.screens.record_list import TableScreen
from allytui.tui.widgets.list_body import ListBody
from allytui.tui.widgets.record_table import RecordTable

TOGGLE = {Stage.RESEARCHED: Stage.SHORTLISTED, Stage.SHORTLISTED: Stage.RESEARCHED}


def points(value: float) -> str:
    return f"{value:+.1f}"


class ShortlistScreen(TableScreen):
    """Groups ranked by score beside the selected one's breakdown; m marks or unmarks it shortlisted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("m", "mark", "(Un)shortlist", id="shortlist-mark"),
        # one key, two bindings: the footer names what a does now
        Binding("a", "show_all(True)", "All stages", id="shortlist-all"),
        Binding("a", "show_all(False)", "To decide", id="shortlist-all"),
        Binding("enter", "edit", "Edit", id="edit", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter", show=False),
    ]
    COLUMNS: ClassVar[list[Column]] = SHORTLIST_COLUMNS
    FIELDS = SHORTLIST_FIELDS

    show_all: var[bool] = var(False)
    """List every group not declined, or (the default) only those researched or shortlisted."""

    def __init__(self) -> None:
        super().__init__()
        self._scores: dict[str, tuple[int | None, Score]] = {}
        self._local = 0  # how many of the listed groups are ranked (national contacts are not)
        self._saving: set[str] = set()  # group ids with a write under way: one at a time each

    FILTER_HINT = "to filter: any part of a group's name, stage, reasons or tags"
    SUMMARY_ID = "shortlist-summary"

    # drawing

    def _data_changed(self) -> None:
        loaded = self.loaded
        if loaded is None:
            self.query_one("#shortlist-summary", Static).update(Text("Loading…", style="italic"))
            return
        ranked = rank(loaded.records, loaded.settings.shortlist)
        shown = ranked if self.show_all else [item for item in ranked if item.deciding]
        listing = numbered(shown)
        self._scores = {item.group.id: (n, item) for n, item in listing}
        self._local = sum(1 for n, _ in listing if n is not None)
        table = self.table
        table.set_rows([shortlist_row(n, item) for n, item in listing])
        if table.current_key is not None:  # scroll to it once the table has its new height
            self.call_after_refresh(table.move_to, table.current_key)
        self.query_one("#shortlist-summary", Static).update(self.summary(len(shown), len(ranked)))
        self.show_detail(self.table.current_key)
        self.refresh_bindings()

    def summary(self, shown: int, ranked: int) -> Text:
        if ranked == 0:
            groups = key_of(self.app, "screen-groups")
            text = f"No groups yet: add them on the Groups screen ({groups}), then rank them here."
            return Text(text, style="italic")
        toggle = key_of(self.app, "shortlist-all")
        if self.show_all:
            return Text(f"{shown} groups not declined, ranked by score · {toggle}: only those to decide on")
        others = ranked - shown
        text = f"{shown} researched or shortlisted, ranked by score"
        return Text(text + (f" · {toggle}: all {ranked} not declined" if others else ""))

    def show_detail(self, key: str | None) -> None:
        body = self.query_one(ListBody)
        loaded = self.loaded
        found = self._scores.get(key) if key else None
        if loaded is None:
            body.show(Text("Loading…", style="italic"))
        elif found is None:
            doc = Doc()
            if not loaded.records[Kind.GROUPS]:
                doc.line(("Rank groups here once there are some; meanwhile:", "italic"))
            elif not self._scores and not self.show_all:
                toggle = key_of(self.app, "shortlist-all")
                doc.line((f"No group is researched or shortlisted: {toggle} shows the others.", "italic"))
            else:
                doc.line(("Nothing selected.", "italic"))
            self.weights(doc, loaded.settings.shortlist)
            self.whos_not_here(doc, loaded)
            body.show(doc.text)
        else:
            body.show(self.breakdown(*found, loaded))

    def breakdown(self, n: int | None, item: Score, loaded: Loaded) -> Text:
        """The group's score part by part, who of ours knows it, the weights, and who's not here."""
        group = item.group
        doc = Doc()
        doc.line((group.name, "bold"))
        doc.line(f"{words(group.category.value)} · {words(group.stage.value)}")
        if item.national:
            doc.line(("⚠ " + NATIONAL_WARNING, "bold reverse"))
            doc.line(("Listed with its score, after every group we may approach ourselves.", "italic"))
        doc.heading(f"Score {item.total:.1f}" + (f" · rank {n} of {self._local}" if n else ""))
        for label, value in item.reasons:
            doc.line((f"{points(value):>6}  ", "bold"), label)
        if item.missing:
            doc.line(("Not set, so counting nothing: ", "italic"), ", ".join(item.missing))
        if item.known_by:
            doc.heading("Our members who know it")
            for who in item.known_by:
                doc.line("• ", who.name, ": ", ", ".join(who.via))
        doc.field("Shortlist notes", group.shortlist_notes)
        self.weights(doc, loaded.settings.shortlist)
        self.whos_not_here(doc, loaded)
        text = doc.text
        text.rstrip()
        return text

    def weights(self, doc: Doc, weights: ShortlistWeights) -> None:
        doc.heading("Weights in use")
        doc.line(("Set in allytui.toml under [shortlist].", "italic"))
        doc.line("Points for each shortlist reason:")
        for reason in ShortlistReason:
            doc.line(f"  {reason.value} = {getattr(weights, reason.value):g}")
        doc.line("Points per unit:")
        for name, note in WEIGHT_NOTES.items():
            doc.line(f"  {name} = {getattr(weights, name):g}", (f"  {note}", "dim"))

    def whos_not_here(self, doc: Doc, loaded: Loaded) -> None:
        """The guide's step 3 question, in short: categories with no group, or no contact, yet."""
        doc.heading("Who's not here?")
        by_gap: dict[str, list[str]] = {}
        for item in gaps(loaded.records):
            if item.gap:
                by_gap.setdefault(item.gap, []).append(words(item.category.value))
        if not by_gap:
            doc.line(("We are in touch with a group in every category the guide lists.", "italic"))
        for gap in (NO_GROUP, NO_CONTACT, ONLY_DECLINED):
            if gap in by_gap:
                doc.line((gap[:1].upper() + gap[1:] + ": ", "bold"), ", ".join(by_gap[gap]))

    # events

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_detail(event.key)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.action_edit()

    # actions

    def current_group(self) -> Group | None:
        loaded, key = self.loaded, self.table.current_key
        group = loaded.get(Kind.GROUPS, key) if loaded is not None and key else None
        return group if isinstance(group, Group) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"mark", "edit"} and self.is_mounted:
            return self.current_group() is not None or None
        if action == "show_all":
            return parameters[0] != self.show_all
        return True

    def watch_show_all(self) -> None:
        self._data_changed()

    def action_show_all(self, show: bool) -> None:
        """Every group not declined (True), or only those researched or shortlisted (False)."""
        self.show_all = show

    def action_edit(self) -> None:
        group = self.current_group()
        if group is not None:
            self.post_message(EditRecord(Kind.GROUPS, group))

    def action_mark(self) -> None:
        """Researched → shortlisted, or back; a group further on stays where it is."""
        group = self.current_group()
        if group is None:
            return
        new_stage = TOGGLE.get(group.stage)
        if new_stage is None:
            self.notify(
                f"{group.name} is past shortlisting (stage: {words(group.stage.value)}); nothing changed.",
                markup=False,
            )
            return
        if group.id in self._saving:
            self.notify(f"Still saving {group.name}; try again in a moment.", markup=False)
            return
        self._saving.add(group.id)
        self.run_flow(self._mark(group, group.model_copy(update={"stage": new_stage})))

    async def _mark(self, group: Group, changed: Group) -> None:
        app = self.allytui_app
        try:
            # only the stage changes, merged onto the file as it is now: another writer's change stays
            outcome = await app.run_write(partial(save_edit, app.repo, group, changed))
        finally:
            self._saving.discard(group.id)
        refused = outcome.refusal(group.name)
        if refused is not None:
            app.notify(refused, title="Not saved", severity="warning", markup=False)
            return
        if outcome.record is not None:
            app.record_changed(Kind.GROUPS, group.id, outcome.record)
        if outcome.commit is not None:
            app.notify(f"{outcome.commit.message}\ncommit {outcome.commit.sha[:8]}", title="Saved", markup=False)
