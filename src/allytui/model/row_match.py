"""Which record a spreadsheet row is: by id, else by website, else by name, compared as duplicate detection does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from allytui.model.likeness import name_key, website_key
from allytui.model.records import Kind, Record


@dataclass(frozen=True)
class Match:
    """The record a row is (record_id), how it was told (by), or every record it could be (ambiguous)."""

    record_id: str | None = None
    by: str = ""
    ambiguous: tuple[str, ...] = ()


def identity_keys(kind: Kind, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(how, key) a record or row is known by, surest first: a group's website, then the name (or title).
    A conversation is known by its date and group."""
    keys: list[tuple[str, str]] = []
    if kind is Kind.CONVERSATIONS:
        on, group = data.get("date"), data.get("group")
        if isinstance(on, dt.date) and isinstance(group, str) and group:
            keys.append(("date and group", f"{on.isoformat()} {group}"))
        return keys
    website = data.get("website")
    if isinstance(website, str) and (site := website_key(website)):
        keys.append(("website", site))
    label = data.get("title" if kind is Kind.ACTIVITIES else "name")
    if isinstance(label, str) and (name := name_key(label)):
        keys.append(("name", name))
    return keys


@dataclass
class RecordFinder:
    """Records of one kind by id and by each identity key, to find the one a row is."""

    kind: Kind
    ids: set[str] = field(default_factory=set)
    by_key: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, kind: Kind, records: Iterable[Record]) -> RecordFinder:
        finder = cls(kind)
        for record in records:
            finder.add(record.id, record.model_dump(exclude={"id"}))
        return finder

    def add(self, record_id: str, data: Mapping[str, Any]) -> None:
        self.ids.add(record_id)
        for key in identity_keys(self.kind, data):
            self.by_key.setdefault(key, []).append(record_id)

    def find(self, row_id: str, data: Mapping[str, Any]) -> Match:
        """The record this row is: the one with its id when the row has one (none if no record has it: a row
        with an id is a new record), else the one with its website, else its name. A website or name that
        several records share matches none of them: the row needs an id."""
        if row_id:
            return Match(row_id, "id") if row_id in self.ids else Match()
        for key in identity_keys(self.kind, data):
            found = self.by_key.get(key, [])
            if len(found) == 1:
                return Match(found[0], key[0])
            if found:
                return Match(None, key[0], tuple(sorted(found)))
        return Match()


def same_as_matched(by: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The row's data without what it was matched by: a row found by its name keeps the record's own spelling
    of it ("st marys church" leaves "St Mary's Church"), and by website the record's own address."""
    dropped = {"name": ("name", "title"), "website": ("website",)}.get(by, ())
    return {name: value for name, value in data.items() if name not in dropped}
