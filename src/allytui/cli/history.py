"""`allytui log KIND/ID`: every commit that touched a record, newest first, as field-level diffs."""

from __future__ import annotations

import argparse
from typing import Any

from allytui.cli.lookup import stored_ids
from allytui.cli.output import print_json, say, say_fitted
from allytui.cli.records import parse_target
from allytui.model.field_diff import FieldDiff
from allytui.model.privacy import HIDDEN, HIDDEN_NOTE
from allytui.model.records import Kind
from allytui.store.errors import RecordNotFound, not_found
from allytui.store.history import Change, raw_log, record_history
from allytui.store.keyring import KeyRing
from allytui.store.repo import DataRepo

INDENT = "    "
MERGE_NOTE = "(a merge: the change it brought in, against its first parent)"


def cmd_log(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, record_id = parse_target(args.target)
    if args.raw:
        text = raw_log(repo, kind, record_id, reveal=args.reveal)
        if not text:
            raise _never_seen(repo, kind, record_id)
        for line in text.splitlines():
            say(line)
        if not args.reveal and HIDDEN in text:
            say(HIDDEN_NOTE)
        return 0
    keyring = KeyRing.load() if args.reveal else None  # sealed values are opened only when shown
    changes = record_history(repo, kind, record_id, keyring=keyring)
    if not changes:
        raise _never_seen(repo, kind, record_id)
    if args.json:
        print_json([_as_json(change, reveal=args.reveal) for change in changes])
        return 0
    for number, change in enumerate(changes):
        if number:
            say("")
        for line in change_lines(change, reveal=args.reveal):
            say_fitted(line)
    if not args.reveal and any(d.sensitive and d.kind != "problem" for c in changes for d in c.diffs):
        say("")
        say(HIDDEN_NOTE)
    return 0


def _never_seen(repo: DataRepo, kind: Kind, record_id: str) -> RecordNotFound:
    """No commit touched the record: a typo in its id, said as such, or a record not committed yet."""
    if repo.exists(kind, record_id):
        return RecordNotFound(f"{kind.value}/{record_id}: no commit has touched it yet")
    return not_found(kind, record_id, stored_ids(repo, kind))


def change_lines(change: Change, *, reveal: bool = False) -> list[str]:
    """One commit as text: a heading line, then each field's diff indented."""
    lines = [f"{change.short} {change.date.date().isoformat()} {change.author}  {change.subject}"]
    if change.is_merge:
        lines.append(INDENT + MERGE_NOTE)
    diffs = change.diffs
    if change.status == "deleted":  # what it held is the entry before this one
        lines.append(INDENT + "(deleted)")
        diffs = tuple(diff for diff in diffs if diff.kind == "problem")
    for diff in diffs:
        lines.append(INDENT + diff.summary(reveal=reveal))
        lines += [f"{INDENT}  {tag if tag != '@' else ' '} {text}" for tag, text in diff.body(reveal=reveal)]
    if not change.diffs and change.status == "changed":
        lines.append(INDENT + "(no field changed: only formatting or comments)")
    return lines


def _diff_json(diff: FieldDiff, reveal: bool) -> dict[str, Any]:
    hidden = diff.sensitive and not reveal
    return {
        "field": diff.field,
        "kind": diff.kind,
        "before": None if hidden else diff.before,
        "after": None if hidden else diff.after,
        "lines": [[tag, text] for tag, text in diff.body(reveal=reveal)],
        "sensitive": diff.sensitive,
    }


def _as_json(change: Change, *, reveal: bool) -> dict[str, Any]:
    return {
        "commit": change.sha,
        "parents": list(change.parents),
        "author": change.author,
        "date": change.date.isoformat(),
        "subject": change.subject,
        "status": change.status,
        "diffs": [_diff_json(diff, reveal) for diff in change.diffs],
    }
