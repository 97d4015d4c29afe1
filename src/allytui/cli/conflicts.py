"""`allytui conflicts` and `allytui resolve`: open sync conflicts seen and settled outside the app."""

from __future__ import annotations

import argparse

from allytui.cli.conflict_text import conflict_lines, field_word, open_conflicts, values
from allytui.cli.lookup import require
from allytui.cli.output import print_json, say
from allytui.cli.records import parse_target
from allytui.model.closest import did_you_mean
from allytui.model.conflicts import DELETED, resolve
from allytui.store import git as gitops
from allytui.store.errors import AllytuiError
from allytui.store.layout import path_of
from allytui.store.repo import DataRepo


def cmd_conflicts(repo: DataRepo, args: argparse.Namespace) -> int:
    entries = open_conflicts(repo.load().records)
    if args.json:
        found = []
        for record, conflict in entries:
            now, other = values(record, conflict, reveal=args.reveal)
            found.append(
                {
                    "record": f"{record.KIND.value}/{record.id}",
                    "path": path_of(record),
                    "field": field_word(conflict),
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
            fields = [field_word(c) for c in record.conflicts]
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
