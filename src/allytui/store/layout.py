"""Where each record lives in a data repo, and which paths are records at all."""

from __future__ import annotations

from pathlib import PurePosixPath

from allytui.model.ids import is_valid_id
from allytui.model.records import Kind, Record

SETTINGS_FILE = "allytui.toml"
SUFFIX = ".toml"
MAX_FILE_BYTES = 1024 * 1024


def record_path(kind: Kind, record_id: str) -> str:
    """The repo-relative path of a record: groups/st-marys.toml, conversations/2026/2026-....toml."""
    if not is_valid_id(record_id):
        raise ValueError(f"not a valid id: {record_id!r}")
    if kind is Kind.CONVERSATIONS:
        return f"{kind.value}/{record_id[:4]}/{record_id}{SUFFIX}"
    return f"{kind.value}/{record_id}{SUFFIX}"


def path_of(record: Record) -> str:
    return record_path(record.KIND, record.id)


def parse_record_path(path: str) -> tuple[Kind, str] | None:
    """(kind, id) for a repo-relative path that is exactly where a record belongs, else None."""
    parts = PurePosixPath(path).parts
    if not parts or parts[0] not in Kind.__members__.values():
        return None
    kind = Kind(parts[0])
    name = parts[-1]
    if not name.endswith(SUFFIX):
        return None
    record_id = name[: -len(SUFFIX)]
    if not is_valid_id(record_id) or record_path(kind, record_id) != path:
        return None
    return kind, record_id
