"""The allytui App: screens as modes, global keys, loading in a worker, and every write in one place."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Iterable
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, work
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerFailed, WorkerState, get_current_worker

from allytui.model.pathways import built_graph, graph_for
from allytui.model.records import Conversation, Group, Kind, Person, Record
from allytui.model.relations_index import RelationsIndex
from allytui.model.rights import do_not_contact_reason
from allytui.model.stages import next_stage_after_conversation
from allytui.model.text import visible
from allytui.model.validation import Problem, RecordIndex, referrers
from allytui.store.early_load import EarlyLoad
from allytui.store.errors import AllytuiError, InvalidRecord
from allytui.store.git import Commit
from allytui.store.keyring import KeyRing
from allytui.store.layout import path_of
from allytui.store.loader import Loaded, by_place, problems_between
from allytui.store.location import config_path, shown_path
from allytui.store.record_cache import gc_held
from allytui.store.repo import DataRepo
from allytui.store.unfinished import unfinished_merge
from allytui.sync.edits import BeforeHandEdit, EditOutcome, before_hand_edit
from allytui.sync.opened_edit import commit_hand_edit
from allytui.sync.region import RegionInfo, region_info
from allytui.tui.documents import DELIVERY
from allytui.tui.editor import run_editor
from allytui.tui.feedback import describe_error
from allytui.tui.keymap import bindings_in_force, key_of, read_keymap
from allytui.tui.messages import (
    ASK,
    WRITE,
    CommitHandEdits,
    DataLoaded,
    DeleteRecord,
    DiscardHandEdit,
    EditFile,
    EditRecord,
    ErasePerson,
    ImportSpreadsheet,
    KeysLoaded,
    NewConversation,
    OpenRecord,
    PathwaysReady,
    ProblemsChecked,
    Reload,
    ShowConflicts,
    WorkFailed,
)
from allytui.tui.navigation import open_record
from allytui.tui.opened_editing import edit_opened, hand_edit_allowed
from allytui.tui.safe import plain
from allytui.tui.screens.confirm import ConfirmScreen
from allytui.tui.screens.dashboard import DashboardScreen
from allytui.tui.screens.groups import GroupsScreen
from allytui.tui.screens.record_form import RecordForm
from allytui.tui.screens.record_list import RecordListScreen
from allytui.tui.terminal import (
    NO_IMPORT,
    in_terminal,
    no_editor,
    offered,
    own_key_here,
    terminal_binding_here,
    why_not,
)
from allytui.tui.watcher import OutsideChanges, RepoWatcher, describe, differing
from allytui.tui.widgets.load_progress import LoadAdvanced, LoadProgress, LoadStarted
from allytui.tui.widgets.ref_picker import Candidates

if TYPE_CHECKING:
    from allytui.tui.screens.region import RegionLoaded

T = TypeVar("T")

GRAPH_IN_WORKER_FROM = 2000
"""People from which a detail does not wait for the pathways graph to be built (~6 ms for 2,000)."""
GRAPH_AFTER = 0.3
"""Seconds after the first detail that wants it that the pathways graph of a large repo is begun."""

WORK_TITLES = {
    "graph": "Could not work out the pathways",
    "load": "Could not load the data",
    "check": "Could not check the records against each other",
    "open_path_in_editor": "Not committed",
    "erase_person": "Not erased",
}
"""What a failed worker is called in the notice, by its name or group ("Not saved" otherwise)."""


def freeze_long_lived(*, first: bool) -> None:
    """Once the records and the rows of the screen in view are made: keep them (hundreds of thousands of
    long-lived objects) out of the cyclic collector's full passes, which otherwise take 100 ms or more and
    land on random keystrokes. Freezing costs nothing (it moves the collector's lists).

    After a reload, collect first (what was frozen was put back in the collector's care before the reload
    was shown), so the records and rows it replaced go rather than stay frozen for good: the frozen set is
    what is alive now, the same size after every reload. The first load has nothing to collect, and a full
    pass over all that start-up made takes ~0.3 s at 50,000 records, in the way of the first screen.
    """
    if not first:
        gc.collect()
    gc.freeze()


def on_first_visit(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode's screen, made (and its module imported) when first shown: start-up imports only what the
    dashboard and the Groups list need."""

    def make() -> Screen[Any]:
        made: Screen[Any] = getattr(import_module(f"allytui.tui.screens.{module}"), name)()
        return made

    return make


def holds_input(screen: Screen[Any]) -> bool:
    """A form (it has `dirty`) or a dialog: what it holds is lost if the app's keys take the person away."""
    return hasattr(screen, "dirty") or isinstance(screen, ModalScreen)


class AllytuiApp(App[None]):
    """Browse and edit a data repo. Disk and git work runs in workers; the UI never waits on them."""

    CSS_PATH = "app.tcss"
    TITLE = "allytui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - Textual declares it as a plain attribute
    MODES: ClassVar[dict[str, Any]] = {
        "dashboard": DashboardScreen,
        "groups": GroupsScreen,
        "people": on_first_visit("people", "PeopleScreen"),
        "conversations": on_first_visit("conversations", "ConversationsScreen"),
        "activities": on_first_visit("activities", "ActivitiesScreen"),
        "team": on_first_visit("team", "TeamScreen"),
        "problems": on_first_visit("problems", "ProblemsScreen"),
        "agenda": on_first_visit("agenda", "AgendaScreen"),
        "shortlist": on_first_visit("shortlist", "ShortlistScreen"),
        "map": on_first_visit("power_map", "MapScreen"),
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('dashboard')", "Dashboard", id="screen-dashboard", show=False),
        Binding("2", "switch_mode('groups')", "Groups", id="screen-groups", show=False),
        Binding("3", "switch_mode('people')", "People", id="screen-people", show=False),
        Binding("4", "switch_mode('conversations')", "Conversations", id="screen-conversations", show=False),
        Binding("5", "switch_mode('activities')", "Activities", id="screen-activities", show=False),
        Binding("6", "switch_mode('team')", "Team", id="screen-team", show=False),
        Binding("7", "switch_mode('problems')", "Problems", id="screen-problems", show=False),
        Binding("8", "switch_mode('agenda')", "Agenda", id="screen-agenda", show=False),
        Binding("9", "switch_mode('shortlist')", "Shortlist", id="screen-shortlist", show=False),
        Binding("0", "switch_mode('map')", "Power map", id="screen-map", show=False),
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="Every key here, and how to change them"),
        Binding(
            "u",
            "review_changes",
            "Uncommitted",
            id="review-changes",
            show=False,
            tooltip="Files changed outside allytui and not committed yet",
        ),
        Binding("S", "sync", "Sync", id="sync", show=False, tooltip="Share your changes and take the others'"),
        Binding("C", "conflicts", "Conflicts", id="conflicts", show=False, tooltip="Fields two members changed"),
        Binding(
            "P",
            "privacy",
            "Privacy",
            id="privacy",
            show=False,
            tooltip="What is due for a retention review, and who has no lawful basis recorded",
        ),
        Binding(
            "L",
            "region",
            "Region",
            id="region",
            show=False,
            tooltip="Other local groups in the region: their pipelines, and who nobody has contacted",
        ),
        Binding("q", "quit_by_letter", "Quit", id="quit", tooltip="Leave allytui; every save is already committed"),
        # after quit: where the footer is crowded (Groups at 80 columns) it leaves first (widgets/footer.py)
        Binding("ctrl+r", "reload", "Reload", id="reload", tooltip="Read the data repo from disk again"),
    ]

    data_version: var[int] = var(0)
    """Bumped whenever `loaded` changes, so screens know to redraw."""

    def __init__(
        self,
        repo: DataRepo,
        *,
        today: dt.date | None = None,
        config_file: Path | None = None,
        early: EarlyLoad | None = None,
    ) -> None:
        """early: the first load, begun before the app was made (`allytui.__main__.make_app`); else the app begins
        it once mounted."""
        super().__init__()
        self._early = early
        self.config_path = config_file or config_path()
        """The member's own config file (read once, here): its [keys] are applied over the usual keys."""
        self.user_keys, self.config_problems = read_keymap(self.config_path)
        self.set_keymap(self.user_keys)
        self.repo = repo
        self.today = today or dt.date.today()
        self.loaded: Loaded | None = None  # the records as last loaded, and as saved since (record_changed)
        self.records_version = 0
        """Bumped whenever the records change (a load, a save), not for the rest of data_version: the rows of a list
        depend on the records alone, and are not made again when only the problems or the region's news arrive."""
        self._related: RelationsIndex | None = None
        self._graph_building: Loaded | None = None
        """The load whose pathways graph a worker is building (see pathways_pending)."""
        self.keyring = KeyRing()
        """The member's identities, read once per run (in a worker); until then sealed values stay sealed."""
        self.asking: set[Worker[Any]] = set()
        """Flows waiting for the person to answer a question (tests wait for every other worker)."""
        self.watcher = RepoWatcher(self, repo.root)
        self.unfinished_said = ""
        """The unfinished git pull last reported (so a reload does not say it again)."""
        self.load_progress = LoadProgress(self)
        """The note saying how far a load has got, shown when it takes longer than half a second."""
        self.region = RegionInfo()
        """The region's exchange as last fetched (read after each load): who else is in touch with our groups."""

    def on_mount(self) -> None:
        self.title = f"allytui — {self.repo.root.name}"
        self.sub_title = shown_path(self.repo.root)
        if self.config_problems:
            text = "\n".join(self.config_problems)
            self.notify(text, title="Your config file", severity="warning", markup=False, timeout=20)
        self.action_reload()
        self._load_keys()
        self.watcher.start()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the records go with the app (a test process runs many apps)

    # loading

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        early, self._early = self._early, None
        self.watcher.rebase(early.since_ns if early else time.time_ns())  # what changes after, the watcher says
        self.post_message(LoadStarted())
        unfinished = unfinished_merge(self.repo)
        if early is not None:
            early.report = self._load_advanced
            loaded = early.wait()
        else:
            with gc_held():  # the collector would walk the new records (millions of objects) again and again
                # the checks between records and the cache's write wait until the records show
                loaded = self.repo.load(progress=self._load_advanced, between=False, cache_later=True)
                gc.freeze()  # and once more when let go: kept out until on_data_loaded (freeze_long_lived)
        self.post_message(DataLoaded(loaded, unfinished.message() if unfinished else ""))
        from allytui.tui.screens.region import RegionLoaded  # here: the region's screen is not needed to start

        self.post_message(RegionLoaded(region_info(self.repo, loaded)))  # after: the records show first
        if loaded.write_cache is not None:
            with gc_held():
                loaded.write_cache()  # here, once the records show: a first start does not wait for it
            loaded.write_cache = None

    def _load_advanced(self, done: int, total: int) -> None:
        """From the load worker's thread: how far it has got."""
        self.post_message(LoadAdvanced(done, total))

    def on_load_started(self, _: LoadStarted) -> None:
        self.load_progress.start()

    def on_load_advanced(self, message: LoadAdvanced) -> None:
        self.load_progress.advanced(message.done, message.total)

    @work(thread=True, group="keys", exit_on_error=False)
    def _load_keys(self) -> None:
        """The member's key, in a worker; in a browser only one the server gave this session (own_key_here)."""
        self.post_message(KeysLoaded(KeyRing.load() if own_key_here(self) else KeyRing()))

    def on_keys_loaded(self, message: KeysLoaded) -> None:
        self.keyring = message.keyring
        if message.keyring.problem:
            text = f"{message.keyring.problem}. Sealed fields stay sealed until it is fixed."
            self.notify(text, title="Your key", severity="warning", markup=False, timeout=20)
        self.data_version += 1  # what is shown opens now

    def on_data_loaded(self, message: DataLoaded) -> None:
        self.load_progress.finish()
        first = self.loaded is None
        self.loaded, self.records_version = message.loaded, self.records_version + 1
        if message.unfinished and message.unfinished != self.unfinished_said:  # said once, not on every load
            self.notify(message.unfinished, title="Unfinished git pull", severity="warning", markup=False, timeout=30)
        self.unfinished_said = message.unfinished
        gc.unfreeze()  # what was frozen can go once replaced (freeze_long_lived)
        freeze_long_lived(first=first)
        self.data_version += 1  # the screen in view redraws now (the others when shown)
        gc.freeze()  # its rows too
        records = {kind: dict(by_id) for kind, by_id in message.loaded.records.items()}  # as loaded: saves may follow
        self.call_after_refresh(self._check_between, message.loaded, records)  # once the records are painted
        if first:
            self.action_review_changes(quiet=True)  # hand edits left uncommitted since last time

    @work(thread=True, exclusive=True, group="check", exit_on_error=False, description="check between records")
    def _check_between(self, loaded: Loaded, records: dict[Kind, dict[str, Record]]) -> None:
        """The problems between the records (references, team membership), found once the records are on
        screen: at 50,000 records they take 0.2-0.4 s, which the first screen need not wait for. (The
        description spares Textual a repr of every record for the worker's name.)"""
        self.post_message(ProblemsChecked(loaded, problems_between(self.repo.root, records)))

    def on_problems_checked(self, message: ProblemsChecked) -> None:
        if message.loaded is not self.loaded or not message.problems:
            return  # a newer load's own check follows; or nothing to add
        message.loaded.problems = sorted([*message.loaded.problems, *message.problems], key=by_place)
        self.data_version += 1  # the problem counts and the Problems screen

    def on_region_loaded(self, message: RegionLoaded) -> None:
        news, self.region = message.info != self.region, message.info
        if news:  # not after each load of a repo in no region
            self.data_version += 1  # group details say who else is in touch

    def action_region(self) -> None:
        from allytui.tui.screens.region import RegionScreen

        self.push_screen(RegionScreen())  # which says how to join when this repo is in no region

    def on_outside_changes(self, message: OutsideChanges) -> None:
        """Record files changed by another writer: reload, and say which (an open form merges on save)."""
        if self.loaded is None:
            return
        files = differing(self.loaded, message.files)
        if not files and not message.settings:
            return  # the app's own saves, already applied
        self._load()
        text = describe(files, message.settings)
        changed = {(f.kind, f.record_id) for f in files}
        if any(isinstance(s, RecordForm) and s.record and (s.kind, s.record.id) in changed for s in self.screen_stack):
            text += " You are editing it: saving merges your changes in, asking about any field you both changed."
        self.notify(text, title="Changed outside allytui", markup=False, timeout=8)

    async def on_open_record(self, message: OpenRecord) -> None:
        await open_record(self, message.kind, message.record_id)

    # what screens ask the app to do

    def on_edit_record(self, message: EditRecord) -> None:
        self.edit_record(message.kind, message.record, prefill=message.prefill, focus=message.focus)

    def on_new_conversation(self, message: NewConversation) -> None:
        self.new_conversation(message.group_id, message.person_id)

    def on_delete_record(self, message: DeleteRecord) -> None:
        self.delete_record(message.record)

    def on_edit_file(self, message: EditFile) -> None:
        self.open_path_in_editor(message.path)

    def on_commit_hand_edits(self, message: CommitHandEdits) -> None:
        self.commit_hand_edits(message.paths)

    def on_discard_hand_edit(self, message: DiscardHandEdit) -> None:
        self.discard_hand_edit(message.path)

    def on_import_spreadsheet(self, message: ImportSpreadsheet) -> None:
        self.import_spreadsheet(message.kind)

    def on_reload(self, message: Reload) -> None:
        self.action_reload()

    def on_show_conflicts(self, message: ShowConflicts) -> None:
        self.action_conflicts()

    def record_changed(self, kind: Kind, record_id: str, record: Record | None) -> None:
        """Apply a committed change to the in-memory records without reloading everything."""
        loaded = self.loaded
        if loaded is None:
            return
        old = loaded.records[kind].get(record_id)
        if record is None:  # deleted
            loaded.records[kind].pop(record_id, None)
        else:
            loaded.records[kind][record_id] = record
        if self._related is not None and self._related.index is loaded.records:
            self._related.replaced(kind, record_id, old, record)
        self.records_version += 1
        self.data_version += 1  # the screen in view redraws (the others when shown)

    def related(self, loaded: Loaded) -> RelationsIndex:
        """Who belongs with whom in the loaded records (a group's people, conversations, activities), indexed
        once per load and kept by record_changed: a detail pane asks at every cursor move."""
        if self._related is None or self._related.index is not loaded.records:
            self._related = RelationsIndex(loaded.records)
        return self._related

    def pathways_pending(self, loaded: Loaded) -> bool:
        """Whether the pathways graph of the loaded records is still to be built: for a large repo (~40 ms at
        12,500 people) the first detail after a load shows without it, and is drawn again once a worker has built
        it, begun GRAPH_AFTER seconds later so that it does not share the first keys' time. A small repo's graph is
        built at once, when the detail asks for it."""
        if len(loaded.records[Kind.PEOPLE]) < GRAPH_IN_WORKER_FROM or built_graph(loaded.records) is not None:
            return False
        if self._graph_building is not loaded:
            self._graph_building = loaded
            self.set_timer(GRAPH_AFTER, partial(self._build_graph_of, loaded), name="pathways graph")
        return True

    def _build_graph_of(self, loaded: Loaded) -> None:
        if loaded is not self.loaded:
            self._graph_built(loaded)  # a newer load's detail asks again
            return
        # a snapshot: a save may replace a record meanwhile (then the graph no longer matches, and is built anew)
        snapshot = {kind: dict(loaded.records[kind]) for kind in (Kind.PEOPLE, Kind.GROUPS)}
        self._build_graph(loaded, snapshot)

    @work(thread=True, group="graph", exit_on_error=False, description="build the pathways graph")
    def _build_graph(self, loaded: Loaded, snapshot: RecordIndex) -> None:
        graph_for(snapshot)  # kept as the last graph built: a detail takes it while the records are these ones
        self.call_from_thread(self._graph_built, loaded)

    def _graph_built(self, loaded: Loaded) -> None:
        if self._graph_building is loaded:
            self._graph_building = None
        if loaded is self.loaded:
            self.screen.post_message(PathwaysReady(loaded))  # its detail is drawn again, with them

    # choosing and editing records

    def candidates(self, kind: Kind) -> Candidates:
        """(id, name) of every record of kind, by name, for pickers; read afresh each time."""

        def listing() -> list[tuple[str, str]]:
            records = self.loaded.records[kind] if self.loaded else {}
            return sorted(((r.id, r.label) for r in records.values()), key=lambda pair: pair[1].lower())

        return listing

    def edit_record(
        self,
        kind: Kind,
        record: Record | None,
        *,
        prefill: dict[str, Any] | None = None,
        focus: str | None = None,
    ) -> None:
        """Open the form for a record (None: a new one). A new record saved is selected in the list below."""
        self.push_screen(
            RecordForm(kind, record, prefill=prefill, focus=focus), callback=partial(self._select_new, record)
        )

    def _select_new(self, before: Record | None, saved: Record | None) -> None:
        screen = self.screen
        if before is None and saved is not None and isinstance(screen, RecordListScreen) and screen.KIND is saved.KIND:
            screen.table.select_when_there(saved.id)

    def new_conversation(self, group_id: str | None = None, person_id: str | None = None) -> None:
        """Log a conversation, pre-filled from a group or person; then offer to move the group on."""
        prefill: dict[str, Any] = {"date": self.today}
        person = self.loaded.get(Kind.PEOPLE, person_id) if self.loaded and person_id else None
        if isinstance(person, Person):
            if person.member_of:
                prefill["our_people"] = [person.id]
            else:
                prefill["their_people"] = [person.id]
                group_id = group_id or (person.groups[0] if person.groups else None)
        if group_id:
            prefill["group"] = group_id
        self._log_conversation(prefill, "cares_about" if group_id else "group")

    # (a description of its own: Textual's default is its arguments' repr, the records' text, in any log of workers)
    @work(group=ASK, exit_on_error=False, description="log a conversation")
    async def _log_conversation(self, prefill: dict[str, Any], focus: str) -> None:
        # someone who asked not to be contacted: ask first, saying why
        index = self.loaded.records if self.loaded else None
        reason = do_not_contact_reason(index, prefill.get("group"), prefill.get("their_people", [])) if index else None
        question = plain(f"{reason} Log a conversation anyway?")
        if reason and not await self.ask(ConfirmScreen(question, yes="Log it anyway", no="Don't log it")):
            return
        close = [t for t in self.region.touch.get(prefill.get("group") or "", []) if t.close and not t.national]
        if close:  # another local group is talking with them: coordinate before crossing wires
            question = plain(" ".join(t.line() + "." for t in close) + " Coordinate with them first? Log it anyway?")
            if not await self.ask(ConfirmScreen(question, yes="Log it anyway", no="Not now, coordinate first")):
                return
        form = RecordForm(Kind.CONVERSATIONS, None, prefill=prefill, focus=focus)
        form.contact_asked = reason  # answered: saving does not ask again
        saved = await self.ask(form)
        if not isinstance(saved, Conversation) or not saved.group or self.loaded is None:
            return
        group = self.loaded.get(Kind.GROUPS, saved.group)
        if not isinstance(group, Group):
            return
        stage = next_stage_after_conversation(group.stage)
        question = plain(
            f"Move {group.name} on from {group.stage.value} to {stage.value}, and set its next action?"
            if stage
            else f"Set the next action for {group.name}?"
        )
        if await self.ask(ConfirmScreen(question, yes="Yes, open the group", no="Not now")):
            self.edit_record(Kind.GROUPS, group, prefill={"stage": stage.value} if stage else {}, focus="next_action")

    @work(group=ASK, exit_on_error=False, description="delete a record")  # (see _log_conversation)
    async def delete_record(self, record: Record) -> None:
        """Ask first, naming every record that refers to this one; then delete and commit."""
        found = referrers(self.loaded.records, record.KIND, record.id) if self.loaded else []
        question = plain(f"Delete {record.KIND.singular} {record.label}? This is a commit; history keeps it.")
        details = None
        if found:
            details = Text(f"{len(found)} reference(s) to it will point at nothing until changed:")
            for referrer, field in found:
                details.append("\n")
                details.append_text(plain(f"  {referrer.KIND.singular} {referrer.label} ({field})"))
        if not await self.ask(ConfirmScreen(question, details, yes="Delete", no="Keep")):
            return
        commit = await self.run_write(lambda: self.repo.delete(record.KIND, record.id))
        self.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Deleted", markup=False)
        self.record_changed(record.KIND, record.id, None)

    # hand edits: $EDITOR, and files changed outside the app

    def open_in_editor(self, record: Record) -> None:
        self.open_path_in_editor(path_of(record))

    @work(group=ASK, exit_on_error=False)
    async def open_path_in_editor(self, rel: str) -> None:
        """Suspend the app, edit the file in $VISUAL/$EDITOR, then validate and commit it (or say why not).
        A mistake is offered back to the editor; a change another writer committed meanwhile is merged (the
        file as it was when the first edit began is kept across the tries), or asked about. In a browser there
        is no editor: it says so, and where to edit instead."""
        if not in_terminal(self):
            record = self.loaded is None or all(problem.path != rel for problem in self.loaded.problems)
            self.notify(no_editor(self, record=record), title="Not in a browser", severity="warning", markup=False)
            return
        if not self._is_file(rel):
            return
        if self.keyring.holds_key and await edit_opened(self, rel):
            return  # it held sealed values: edited opened, in a private copy
        before = await self.run_write(lambda: before_hand_edit(self.repo, rel))
        keep_mine: dict[str, bool] | None = None
        while True:
            if keep_mine is None and not (
                self._is_file(rel) and self._run_editor(rel) and await hand_edit_allowed(self, rel, before.on_disk)
            ):
                return
            try:
                result = await self.run_write(partial(self._commit_hand_edit, rel, before, keep_mine))
            except InvalidRecord as error:
                keep_mine = None
                if await self.ask_edit_again(rel, error):
                    continue
                await self._ask_discard(rel)
                return
            if result.clashes:
                since = "while your editor was open"
                from allytui.tui.screens.clash import ClashScreen

                keep_mine = await self.ask(ClashScreen(rel, result.clashes, since=since))
                if keep_mine is not None:
                    continue
                lists = key_of(self, "review-changes")
                self.notify(f"{visible(rel)} kept as you wrote it, uncommitted ({lists} lists it).", markup=False)
            elif result.commit is not None:
                self.notify(f"{result.commit.message}\ncommit {result.commit.sha[:8]}", title="Saved", markup=False)
            self.action_reload()
            return

    def _is_file(self, rel: str) -> bool:
        if (self.repo.root / rel).is_file():
            return True
        self.notify(f"{visible(rel)} is not a file.", severity="error", markup=False)
        return False

    def _commit_hand_edit(self, rel: str, before: BeforeHandEdit, keep_mine: dict[str, bool] | None) -> EditOutcome:
        """Merge a hand edit with what was committed meanwhile, and commit it (in a worker); its sealed
        values must be as they were."""
        return commit_hand_edit(self.repo, before, keep_mine)

    def _run_editor(self, rel: str) -> bool:
        """Edit the file, the app suspended; False when the editor could not start (and it is said why)."""
        return run_editor(self, self.repo.root / rel) is not None

    async def ask_edit_again(self, rel: str, error: InvalidRecord) -> bool:
        details = Text()
        for problem in error.problems:
            details.append_text(plain(str(problem)))
            details.append("\n")
        question = plain(f"{rel} has problems, so it was not committed. Edit it again?")
        again: bool = await self.ask(ConfirmScreen(question, details, yes="Edit again", no="Other choices"))
        return again

    async def _ask_discard(self, rel: str) -> None:
        question = plain(
            f"Discard your edit to {rel}, restoring the committed version? "
            "Or keep the file as it is (uncommitted) to fix later."
        )
        if await self.ask(ConfirmScreen(question, yes="Discard my edit", no="Keep it uncommitted")):
            await self._discard(rel)
        else:
            lists = key_of(self, "review-changes")
            self.notify(f"Kept as is; it is listed under uncommitted changes ({lists}).", markup=False)
            self.action_reload()

    @work(group=ASK, exit_on_error=False)
    async def discard_hand_edit(self, rel: str) -> None:
        await self._discard(rel)

    async def _discard(self, rel: str) -> None:
        await self.run_write(lambda: self.repo.discard_changes(rel))
        self.notify(f"Restored the committed version of {visible(rel)}.", markup=False)
        self.action_reload()
        self.action_review_changes(quiet=True)

    @work(group=ASK, exit_on_error=False)
    async def commit_hand_edits(self, paths: list[str]) -> None:
        """Commit each valid file on its own (one commit per change); report the rest."""

        def job() -> list[Commit]:
            return [commit for rel in paths if (commit := self.repo.commit_file(rel)) is not None]

        commits = await self.run_write(job)
        self.notify(f"{len(commits)} commit(s) made.", markup=False)
        self.action_reload()
        self.action_review_changes(quiet=True)

    @work(group=ASK, exit_on_error=False)
    async def action_review_changes(self, quiet: bool = False) -> None:
        """Show files changed outside the app that are not committed yet."""

        def job() -> list[tuple[str, list[Problem]]]:
            return [(rel, self.repo.check_file(rel)[1]) for rel in self.repo.uncommitted()]

        files = await self.run_write(job)
        from allytui.tui.screens.changes import ChangesScreen

        existing = next((s for s in self.screen_stack if isinstance(s, ChangesScreen)), None)
        if existing is not None:
            existing.refresh_list(files)
        elif files:
            self.push_screen(ChangesScreen(files))
        elif not quiet:
            self.notify("No uncommitted changes.", markup=False)

    @work(group=ASK, exit_on_error=False)
    async def import_spreadsheet(self, kind: Kind = Kind.GROUPS) -> None:
        """Ask for a sheet, show what each row would do (new, update, already present, error), then commit
        the records that change, if any, as one commit. Not in a browser, where the path would be the server's."""
        if not in_terminal(self):
            self.notify(NO_IMPORT, title="Not in a browser", severity="warning", markup=False)
            return
        from allytui.store.importing import apply_import, plan_import
        from allytui.store.sheets import read_sheet
        from allytui.tui.screens.import_sheet import ImportSheetScreen, plan_details

        choice = await self.ask(ImportSheetScreen(kind))
        if choice is None:
            return
        try:
            plan = await self.run_write(
                lambda: plan_import(self.repo, choice.kind, read_sheet(choice.path), update=choice.update)
            )
        except AllytuiError as error:  # a file that cannot be read as a spreadsheet
            self.notify(str(error), title="Not imported", severity="error", markup=False)
            return
        if not plan.records:
            nothing = "Nothing imported" if plan.bad else "Nothing to change"
            await self.ask(ConfirmScreen(plain(f"{nothing}. {plan.summary()}."), plan_details(plan), yes="OK", no=""))
            return
        question = f"{plan.summary()}. Import {len(plan.records)} as one commit?"
        if plan.bad:
            question += " The rows with errors are left out."
        if not await self.ask(ConfirmScreen(plain(question), plan_details(plan), yes="Import")):
            return
        commit = await self.run_write(lambda: apply_import(self.repo, plan))
        if commit is not None:
            self.notify(f"{commit.message}\ncommit {commit.sha[:8]}", title="Imported", markup=False)
        self.action_reload()

    def action_sync(self) -> None:
        """Commit hand edits, take others' changes, merge field by field, push; then show what changed."""
        from allytui.tui.screens.sync import SyncScreen

        if not any(isinstance(s, SyncScreen) for s in self.screen_stack):
            self.push_screen(SyncScreen())

    def action_conflicts(self) -> None:
        """Records two members changed in the same field: choose a value."""
        from allytui.tui.screens.conflicts import ConflictsScreen

        if not any(isinstance(s, ConflictsScreen) for s in self.screen_stack):
            self.push_screen(ConflictsScreen())

    def action_privacy(self) -> None:
        """Records due for a retention review: clear old notes, mark people reviewed, erase."""
        from allytui.tui.screens.privacy import PrivacyScreen

        if not any(isinstance(s, PrivacyScreen) for s in self.screen_stack):
            self.push_screen(PrivacyScreen())

    def on_erase_person(self, message: ErasePerson) -> None:
        self.erase_person(message.person_id)

    @work(group=ASK, exit_on_error=False)
    async def erase_person(self, person_id: str) -> None:
        """Show what erasing the person takes away (a dry run of allytui erase), ask, then erase in this clone;
        `allytui sync` shares it. Mentions of them elsewhere become [erased]."""
        from allytui.sync.erase import erase

        person = self.loaded.get(Kind.PEOPLE, person_id) if self.loaded else None
        name = person.label if person is not None else person_id
        plan = await self.run_write(lambda: erase(self.repo, person_id, dry_run=True))
        details = plain("\n".join(plan.summary()[:-1]))
        question = plain(
            f"Erase {name} from the data and from every version in this clone's history? This cannot be undone; "
            "mentions of them elsewhere become [erased]."
        )
        if not await self.ask(ConfirmScreen(question, details, yes="Erase", no="Keep")):
            return
        report = await self.run_write(lambda: erase(self.repo, person_id, redact_mentions=True))
        self.notify("\n".join(report.summary()[-1:]), title="Erased", markup=False, timeout=10)
        self.action_reload()

    def on_key(self, event: events.Key) -> None:
        """In a browser the keys that need a terminal (the editor's, importing a file) are not offered: no footer,
        help or palette entry, and their check_action says no, so a press would do nothing at all. Say why."""
        unbound = self.is_web and event.key not in self.screen.active_bindings
        binding_id = terminal_binding_here(self.screen.focused or self.screen, event.key) if unbound else None
        if binding_id is not None:
            self.notify(why_not(self, binding_id), title="Not in a browser", severity="warning", markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A document's download (in a browser) that did not reach the member."""
        if event.name == DELIVERY:
            said = f"The download did not finish: {describe_error(event.exception)}"
            self.notify(said, title="Not downloaded", severity="error", markup=False)

    def action_help(self) -> None:
        from allytui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # in a form or dialog only its own keys act: the app's would leave it, or quit, behind its back

    NOT_IN_FORMS: ClassVar[frozenset[str]] = frozenset(
        {"switch_mode", "review_changes", "sync", "conflicts", "privacy", "region", "reload", "quit_by_letter"}
    )
    """App actions that a form or dialog keeps to the main screens (help, save, escape, ctrl+q and the palette
    still act; the palette offers only what acts)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.app_action_allowed(action, self.screen)

    def app_action_allowed(self, action: str, screen: Screen[Any]) -> bool:
        return action not in self.NOT_IN_FORMS or not holds_input(screen)

    def unsaved_forms(self) -> list[Screen[Any]]:
        """Open forms with changes not saved yet."""
        return [s for s in self.screen_stack if getattr(s, "dirty", False)]

    async def action_quit(self) -> None:
        """Quit (ctrl+q, the palette); with a changed form open, ask first."""
        unsaved = self.unsaved_forms()
        if not unsaved:
            self.exit()
            return
        if any(isinstance(s, ConfirmScreen) and s.id == "confirm-quit" for s in self.screen_stack):
            return
        forms = "a form" if len(unsaved) == 1 else f"{len(unsaved)} forms"
        question = plain(f"Quit without saving? Your changes to {forms} will be lost.")
        ask = ConfirmScreen(question, yes="Quit, discard", no="Keep editing")
        ask.id = "confirm-quit"
        self.push_screen(ask, lambda yes: self.exit() if yes else None)

    async def action_quit_by_letter(self) -> None:
        """q on the main screens: quit (in a form q is a letter, and does nothing)."""
        await self.action_quit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding in force is also a command in the palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for node in (screen.focused or screen).ancestors_with_self:
            for bindings in bindings_in_force(node).key_to_bindings.values():
                for binding in bindings:
                    if not binding.description or binding.action in seen or not offered(self, binding.id):
                        continue  # offered: the editor's and imports, not in a browser
                    _, name, parameters = parse_action(binding.action)
                    allowed = (
                        self.app_action_allowed(name, screen) if node is self else node.check_action(name, parameters)
                    )
                    if not allowed:
                        continue  # e.g. the screen keys, from a form
                    seen.add(binding.action)
                    yield SystemCommand(
                        binding.description,
                        f"key: {self.get_key_display(binding)}",
                        partial(self._run_bound_action, node, binding.action),
                    )

    def _run_bound_action(self, node: DOMNode, action: str) -> None:
        self.call_later(self.run_action, action, node)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast takes its own room at the bottom (app.tcss): the field being edited is scrolled back into view."""
        self.call_later(self._focus_into_view_after_toast)  # queued before the toasts are shown; from any thread
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _focus_into_view_after_toast(self) -> None:
        """Once the screen is laid out with its toasts, scroll the focused field back into view."""
        screen = self.screen if self.screen_stack else None
        if screen is None or not screen.query("ToastRack"):
            return  # no toasts on this screen (notifications off)

        def laid_out(_: Screen[Any]) -> None:
            if not any(rack.display for rack in screen.query("ToastRack")):
                return  # not yet: the next layout
            screen.screen_layout_refresh_signal.unsubscribe(self)
            if screen.focused is not None:
                screen.focused.scroll_visible(animate=False, immediate=True)

        screen.screen_layout_refresh_signal.subscribe(self, laid_out)

    def _fatal_error(self) -> None:
        """Stop without printing a traceback: its local variables could hold people's names and notes."""
        if os.environ.get("ALLYTUI_DEBUG"):
            super()._fatal_error()
            return
        self.bell()
        name = type(self._exception).__name__ if self._exception else "unknown"
        self._exit_renderables.append(
            Text(
                f"allytui stopped after an unexpected error ({name}). Every saved change is safe in git.\n"
                "Run again with ALLYTUI_DEBUG=1 to see the details (they may show record contents)."
            )
        )
        self._close_messages_no_wait()

    # writing: one worker group, failures handled in one place

    async def ask(self, screen: Screen[T]) -> T:
        """Show a question (a dialog or form) and wait for its answer: call from a flow, a worker of the ASK group."""
        worker = get_current_worker()
        self.asking.add(worker)
        try:
            return await self.push_screen_wait(screen)
        finally:
            self.asking.discard(worker)

    async def run_write(self, job: Callable[[], T]) -> T:
        """Run a write (save, delete, commit) or a git read in a thread of the "git" group, and await its
        result; its error is raised here, in the flow that awaits it, which may handle it or let it fail."""
        worker: Worker[T] = self.run_worker(job, name=WRITE, thread=True, group="git", exit_on_error=False)
        try:
            return await worker.wait()
        except WorkerFailed as failed:
            raise failed.error from None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of the app that fails is reported here (a screen's come as WorkFailed)."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.group == "load":
            self.load_progress.finish()
        if event.state is WorkerState.ERROR and worker.name != WRITE:  # a write's error goes to its flow
            title = WORK_TITLES.get(worker.name) or WORK_TITLES.get(worker.group) or "Not saved"
            self.post_message(WorkFailed(title, worker.error))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.notify(describe_error(message.error), title=message.title, severity="error", markup=False)
