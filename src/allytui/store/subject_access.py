"""A person's file on request (a subject access request): their record, who refers to or mentions them, when it changed.

Sealed values are opened with the member's key when they hold one; any left sealed read "sealed", never armor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allytui.model.privacy import public_dump
from allytui.model.records import Kind, Record
from allytui.model.relations import RecordIndex
from allytui.model.rights import person_file
from allytui.model.sealed import Sealed
from allytui.store.errors import RecordNotFound
from allytui.store.history import record_history
from allytui.store.loader import Loaded
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_record

SEALED = "sealed"


def opened_index(loaded: Loaded) -> tuple[RecordIndex, bool]:
    """The records with every sealed value the member can open made plain; whether any stayed sealed."""
    identities = load_identities()
    closed = False
    index: dict[Kind, dict[str, Record]] = {}
    for kind, records in loaded.records.items():
        index[kind] = {}
        for record_id, record in records.items():
            opened = open_record(record, identities) if identities else None
            index[kind][record_id] = opened.record if opened else record
            closed = closed or bool(opened.closed if opened else _any_sealed(record))
    return index, closed


def _any_sealed(record: Record) -> bool:
    return any(isinstance(getattr(record, name), Sealed) for name in type(record).model_fields)


def _sealed_shown(data: Any) -> Any:
    """A dump with every sealed value (one not opened) as the word "sealed", never its armor."""
    if isinstance(data, dict):
        return {k: _sealed_shown(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_sealed_shown(v) for v in data]
    return SEALED if isinstance(data, str) and data.lstrip().startswith("-----BEGIN AGE") else data


def about_data(repo: DataRepo, person_id: str, today: dt.date) -> dict[str, Any]:
    """Everything held about one person, as JSON-like data (see render.rights for text and Markdown).

    RecordNotFound when there is no such person.
    """
    loaded = repo.load()
    index, some_sealed = opened_index(loaded)
    try:
        found = person_file(index, person_id)
    except KeyError:
        raise RecordNotFound(f"people/{person_id}: no such person (allytui list people shows them)") from None
    changes = record_history(repo, Kind.PEOPLE, person_id)
    return {
        "person": person_id,
        "name": found.person.name,
        "made": today.isoformat(),
        "record": _record_dump(found.person),
        "referred_to_by": [_mention(m, index) for m in found.referring],
        "mentioned_in": [_mention(m, index) for m in found.mentioning],
        "changes": [{"date": c.date.date().isoformat(), "what": c.status, "by": c.author} for c in changes],
        "sealed_note": "some values are sealed and you hold no key for them" if some_sealed else None,
    }


def _record_dump(record: Record) -> dict[str, Any]:
    data = {k: v for k, v in public_dump(record, reveal=True).items() if k != "conflicts" or v}
    shown: dict[str, Any] = _sealed_shown(data)
    return shown


def _mention(mention: Any, index: RecordIndex) -> dict[str, Any]:
    record = index[mention.kind][mention.record_id]
    dump = public_dump(record, reveal=False)
    texts = {field: _value_at(dump, field) for field in mention.fields}
    return {
        "record": f"{mention.kind.value}/{mention.record_id}",
        "label": mention.label,
        "fields": list(mention.fields),
        "text": _sealed_shown(texts),
    }


def _value_at(data: Any, path: str) -> Any:
    """The value at a field path such as knows[0].person in a dump."""
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(data, list):
            data = data[int(part)] if part.isdigit() and int(part) < len(data) else None
        elif isinstance(data, dict):
            data = data.get(part)
    return data
