"""Whether a hand edit of a conversation ($EDITOR) brings in someone who asked not to be contacted."""

from __future__ import annotations

from pathlib import Path

from allytui.model.records import Conversation, Kind, Record
from allytui.model.rights import RecordIndex, do_not_contact_reason
from allytui.model.validation import build_record
from allytui.store.codec import ParseError, parse
from allytui.store.layout import parse_record_path
from allytui.store.loader import read_file


def conversation_in(rel: str, raw: bytes | None) -> Conversation | None:
    """The conversation a file's bytes hold, or None (another kind, unreadable, or not valid)."""
    target = parse_record_path(rel)
    if raw is None or target is None or target[0] is not Kind.CONVERSATIONS:
        return None
    try:
        record, _ = build_record(target[0], target[1], parse(raw))
    except ParseError:
        return None
    return record if isinstance(record, Conversation) else None


def hand_edit_contact_reason(index: RecordIndex, rel: str, before: Record | None, edited: Path) -> str | None:
    """Why committing the hand-edited file `edited` (the record at rel) needs asking first, or None.

    before: the record as it was when the editor opened (None: a new file). As in the form, an edit asks
    only about what it brings in (model.rights.do_not_contact_reason); anything else is never asked about,
    and a file that does not read as a conversation is left to the usual checks.
    """
    if parse_record_path(rel) is None:
        return None
    try:
        talk = conversation_in(rel, read_file(edited))
    except (OSError, ParseError):
        return None
    if talk is None:
        return None
    logged = before if isinstance(before, Conversation) else None
    if before is not None and logged is None:
        return None
    return do_not_contact_reason(index, talk.group, talk.their_people, logged=logged)
