"""App-wide messages, as small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from allytui.model.records import Kind, Record
from allytui.model.validation import Problem
from allytui.store.keyring import KeyRing
from allytui.store.loader import Loaded


@dataclass
class DataLoaded(Message):
    """A fresh load of the whole data repo finished (in a worker)."""

    loaded: Loaded
    unfinished: str = ""
    """What a plain git pull left unfinished, said with what to do about it ("" when nothing is)."""


@dataclass
class ProblemsChecked(Message):
    """The problems between the records of a load (references, team membership), found once they were shown."""

    loaded: Loaded
    problems: list[Problem]


@dataclass
class PathwaysReady(Message):
    """The pathways graph of these records is built (posted to the screen in view: its detail draws them)."""

    loaded: Loaded


@dataclass
class KeysLoaded(Message):
    """The member's key file was read (in a worker, once per run): sealed values can be opened with it."""

    keyring: KeyRing


@dataclass
class OpenRecord(Message):
    """Show this record on its own screen."""

    kind: str
    record_id: str


ASK = "ask"
"""The worker group of flows that ask questions (awaiting `push_screen_wait`) around their writes."""
WRITE = "write"
"""The name of the thread workers `run_write` awaits: their errors go to the flow that awaits them."""


@dataclass
class WorkFailed(Message):
    """A worker stopped with an error: the app tells the person, in one place, under this title."""

    title: str
    error: BaseException | None


@dataclass
class EditRecord(Message):
    """Open the form for a record (None: a new one), starting from prefill, the cursor on focus."""

    kind: Kind
    record: Record | None
    prefill: dict[str, Any] | None = None
    focus: str | None = None


@dataclass
class NewConversation(Message):
    """Log a conversation, pre-filled from a group or a person."""

    group_id: str | None = None
    person_id: str | None = None


@dataclass
class DeleteRecord(Message):
    """Ask, then delete this record in a commit."""

    record: Record


@dataclass
class EditFile(Message):
    """Edit this file (relative to the data repo) in $EDITOR, then validate and commit it."""

    path: str


@dataclass
class CommitHandEdits(Message):
    """Commit these hand-edited files, one commit each."""

    paths: list[str]


@dataclass
class DiscardHandEdit(Message):
    """Put back the committed version of this hand-edited file."""

    path: str


@dataclass
class ImportSpreadsheet(Message):
    """Choose a spreadsheet (CSV) and import its rows, as records of kind unless another is chosen."""

    kind: Kind = Kind.GROUPS


@dataclass
class Reload(Message):
    """Read the whole data repo again."""


@dataclass
class ShowConflicts(Message):
    """Show the records two members changed in the same field."""


@dataclass
class ErasePerson(Message):
    """Erase a person from the data and from every clone's history."""

    person_id: str
