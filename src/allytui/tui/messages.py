"""App-wide messages, as small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from allytui.store.loader import Loaded


@dataclass
class DataLoaded(Message):
    """A fresh load of the whole data repo finished (in a worker)."""

    loaded: Loaded


@dataclass
class OpenRecord(Message):
    """Show this record on its own screen."""

    kind: str
    record_id: str
