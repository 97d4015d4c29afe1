"""The member's keys for one run of the app: identities read once, sealed values opened when shown, kept in memory only.

Nothing opened here is written anywhere: not to the parsed-record cache, not to a file, not to a log.
Opened values live in a bounded in-memory table keyed by the armor itself, so a record shown again
(a redraw, the next highlight) is not decrypted again, and a value sealed afresh is a new key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from allytui.model.records import Record
from allytui.model.sealed import Sealed
from allytui.store.sealing import Identity, NoKey, Opened, SealingError, load_identities, open_record, unseal

OPENED_KEPT = 4096  # opened values kept in memory; the oldest go first


class KeyRing:
    """The member's identities (none: they hold no key) and the values they have opened this run."""

    def __init__(self, identities: Sequence[Identity] = (), problem: str = "") -> None:
        self.identities: tuple[Identity, ...] = tuple(identities)
        self.problem = problem
        """Why the member's key file could not be used (shown once; sealed values then stay sealed)."""
        self._opened: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> KeyRing:
        """The member's key file, read once; a key file that cannot be used is a problem, never a crash."""
        try:
            return cls(load_identities())
        except SealingError as error:
            return cls((), str(error))

    @property
    def holds_key(self) -> bool:
        return bool(self.identities)

    def open_value(self, value: Sealed | str) -> Any:
        """The plain value of a sealed one; NoKey or Unreadable (their messages never hold a value)."""
        if not self.identities:
            raise NoKey()
        key = str(value)
        with self._lock:
            if key in self._opened:
                self._opened.move_to_end(key)
                found = self._opened[key]
                if isinstance(found, SealingError):
                    raise type(found)(str(found))
                return found
        try:
            plain = unseal(value, self.identities)
        except SealingError as error:
            self._keep(key, error)
            raise
        self._keep(key, plain)
        return plain

    def _keep(self, key: str, value: Any) -> None:
        with self._lock:
            self._opened[key] = value
            while len(self._opened) > OPENED_KEPT:
                self._opened.popitem(last=False)

    def open(self, record: Record) -> Opened:
        """record with every sealed value this member can open made plain; the others, and why, in closed."""
        return open_record(record, self.identities, unsealer=self.open_value)

    def forget(self) -> None:
        """Drop every opened value (the member's keys changed, or the app is closing)."""
        with self._lock:
            self._opened.clear()
