"""`allytui conflicts` and `allytui resolve`: open sync conflicts seen and settled outside the app."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from allytui.cli.lookup import require
from allytui.cli.output import print_json, say
from allytui.cli.records import parse_target
from allytui.model.closest import did_you_mean
from allytui.model.conflicts import DELETED, FILE, resolve, value_at
from allytui.model.conflicts import other_value as conflict_other
from allytui.model.privacy import HIDDEN, shown_conflict_value
from allytui.model.readable import readable_field
from allytui.model.records import FieldConflict, Kind, Record
from allytui.store import git as gitops
from allytui.store.errors import AllytuiError
from allytui.store.layout import path_of
from allytui.store.repo import DataRepo

Entry = tuple[Record, FieldConflict]
INDENT = "    "
CHOOSE = "choose with allytui resolve KIND/ID FIELD --keep (this value) or --take-other, or in the app (C)"


def add_conflicts_parsers(commands: Any) -> None:
    """`conflicts` and `resolve`: add to the subparsers of the `allytui` parser."""
    listing = commands.add_parser(
        "conflicts",
        help="list open sync conflicts: fields two members changed differently, with both values",
        description="Every open sync conflict: the record, the field, the value it holds now and the other "
        "member's value (kept until someone chooses). Settle one with allytui resolve.",
    )
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--reveal", action="store_true", help="include contact details")
    settle = commands.add_parser(
        "resolve",
        help="settle an open sync conflict: keep the value a field holds, or take the other member's",
        description="Settle one open sync conflict in one commit. FIELD as allytui conflicts lists it "
        "(stage, contact.email, knows[0].strength; deleted for a record one member deleted and another edited).",
    )
    settle.add_argument("target", metavar="KIND/ID")
    settle.add_argument("field", metavar="FIELD")
    choice = settle.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", action="store_true", help="keep the value the record holds now")
    choice.add_argument(
        "--take-other", action="store_true", help="take the other member's value (for deleted: delete the record)"
    )


def open_conflicts(records: Mapping[Kind, Mapping[str, Record]]) -> list[Entry]:
    return [(r, c) for kind in Kind for _, r in sorted(records[kind].items()) for c in r.conflicts]


def _values(record: Record, conflict: FieldConflict, *, reveal: bool) -> tuple[str, str]:
    """(this value, the other) as people read them; contact details hidden unless reveal."""
    model = type(record)
    now = readable_field(model, conflict.field, value_at(record.model_dump(), conflict.field))
    other = readable_field(model, conflict.field, conflict_other(conflict))
    return (
        shown_conflict_value(model, conflict, now, reveal=reveal, placeholder=HIDDEN),
        shown_conflict_value(model, conflict, other, reveal=reveal, placeholder=HIDDEN),
    )


def _indented(label: str, text: str) -> list[str]:
    lines = text.rstrip("\n").split("\n")
    pad = " " * len(label)
    return [f"{INDENT}{label}{lines[0]}", *(f"{INDENT}{pad}{line}" for line in lines[1:])]


def conflict_lines(entries: list[Entry], *, heading: bool = False, reveal: bool = False) -> list[str]:
    """Each conflict as lines: the record and field, then this value and the other one, line breaks kept."""
    lines = []
    if heading:
        count = len(entries)
        lines.append(f"{count} open sync conflict{'s' if count > 1 else ''}: {CHOOSE}")
    for record, conflict in entries:
        who = conflict.author or "someone"
        lines.append(f"  {record.KIND.value}/{record.id} {_field_word(conflict)}")
        if conflict.field == DELETED:
            lines.append(f"{INDENT}{who} deleted it; the edits to it were kept")
            continue
        if conflict.field == FILE:
            lines.append(f"{INDENT}{conflict_other(conflict)}")
            continue
        now, other = _values(record, conflict, reveal=reveal)
        lines += _indented("this value: ", now)
        lines += _indented("the other:  ", other.rstrip("\n") + f" (from {who})")
    return lines


def _field_word(conflict: FieldConflict) -> str:
    return "deleted" if conflict.field == DELETED else conflict.field


def cmd_conflicts(repo: DataRepo, args: argparse.Namespace) -> int:
    entries = open_conflicts(repo.load().records)
    if args.json:
        found = []
        for record, conflict in entries:
            now, other = _values(record, conflict, reveal=args.reveal)
            found.append(
                {
                    "record": f"{record.KIND.value}/{record.id}",
                    "path": path_of(record),
                    "field": _field_word(conflict),
                    "value": now,
                    "other": other,
                    "author": conflict.author,
                    "commit": conflict.commit,
                }
            )
        print_json(found)
        return 0
    if not entries:
        say("No open sync conflicts.")
        return 0
    for line in conflict_lines(entries, heading=True, reveal=args.reveal):
        say(line)
    return 0


def cmd_resolve(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, record_id = parse_target(args.target)
    with gitops.repo_lock(repo.git_repo):
        require(repo, kind, record_id)
        record = repo.read(kind, record_id)
        wanted = DELETED if args.field in ("deleted", DELETED) else args.field
        conflict = next((c for c in record.conflicts if c.field == wanted), None)
        if conflict is None:
            fields = [_field_word(c) for c in record.conflicts]
            if not fields:
                raise AllytuiError(f"{kind.value}/{record_id} has no open sync conflicts")
            hint = did_you_mean(args.field, fields) or f"; its conflicts are on: {', '.join(fields)}"
            raise AllytuiError(f"{kind.value}/{record_id}: no open conflict on {args.field}{hint}")
        resolved = resolve(record, conflict, take_other=args.take_other)
        if resolved is None:
            commit = repo.delete(kind, record_id)
        else:
            saved = repo.save(resolved)
            if saved is None:
                raise AllytuiError(f"{kind.value}/{record_id}: nothing changed")
            commit = saved
    say(f"{kind.value}/{record_id}: {commit.message.splitlines()[0]} [{commit.sha[:8]}]")
    return 0
