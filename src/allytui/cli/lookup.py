"""Finding the record a command names: by id, or by part of its name, and saying what was meant when not found."""

from __future__ import annotations

from collections.abc import Mapping

from allytui.model.closest import did_you_mean
from allytui.model.records import Kind, Record
from allytui.store.errors import AllytuiError, not_found
from allytui.store.repo import DataRepo


def not_a_kind(text: str) -> AllytuiError:
    """'group' is not a kind: the kind meant (groups), or every kind there is."""
    kinds = [k.value for k in Kind]
    return AllytuiError(f"{text!r} is not a kind" + (did_you_mean(text, kinds) or f"; use one of: {', '.join(kinds)}"))


def stored_ids(repo: DataRepo, kind: Kind) -> list[str]:
    """The ids of kind's record files (from their names; nothing is read)."""
    folder = repo.root / kind.value
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def require(repo: DataRepo, kind: Kind, record_id: str) -> None:
    """RecordNotFound, saying which id was probably meant, unless the record's file is there."""
    try:
        there = repo.exists(kind, record_id)
    except ValueError:
        there = False
    if not there:
        raise not_found(kind, record_id, stored_ids(repo, kind))


def find_record(records: Mapping[Kind, Mapping[str, Record]], kind: Kind, text: str) -> Record:
    """A record by id (`kind/ID` works too), or by a part of its name or title that only one record has."""
    wanted = text.removeprefix(f"{kind.value}/").strip()
    found = records[kind].get(wanted)
    if found is not None:
        return found
    needle = wanted.casefold()
    matching = [r for r in records[kind].values() if needle and needle in r.label.casefold()]
    if len(matching) == 1:
        return matching[0]
    if matching:
        ids = ", ".join(sorted(r.id for r in matching))
        raise AllytuiError(f"{wanted!r} matches several {kind.value}: {ids}")
    raise not_found(kind, wanted, records[kind])
