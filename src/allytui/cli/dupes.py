"""`allytui dupes [KIND]` lists likely duplicate groups and people; `allytui merge KIND/KEEP KIND/DROP` merges two."""

from __future__ import annotations

import argparse
from typing import Any

from allytui.cli.output import print_json, say
from allytui.cli.records import parse_target
from allytui.model.duplicates import DUPLICATE_KINDS, LikelyPair, find_duplicates
from allytui.model.records import Kind, Person, Record
from allytui.model.sealed import looks_sealed
from allytui.store import git as gitops
from allytui.store.errors import AllytuiError
from allytui.store.keyring import KeyRing
from allytui.store.repo import DataRepo
from allytui.sync.combine import apply_combine, contact_opener, plan_combine


def _keyring(records: dict[str, Record]) -> KeyRing | None:
    """The member's key, read only when some contact details are sealed (a key file that fails is no key)."""
    if any(isinstance(p, Person) and looks_sealed(p.contact) for p in records.values()):
        return KeyRing.load()
    return None


def _as_json(pair: LikelyPair, index: dict[Kind, dict[str, Record]]) -> dict[str, Any]:
    records = index[pair.kind]
    return {
        "kind": pair.kind.value,
        "keep": pair.keep,
        "drop": pair.drop,
        "keep_label": records[pair.keep].label,
        "drop_label": records[pair.drop].label,
        "reasons": list(pair.reasons),
        "score": round(pair.score, 1),
    }


def cmd_dupes(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    kinds = [Kind(args.kind)] if args.kind else list(DUPLICATE_KINDS)
    opener = contact_opener(_keyring(loaded.records[Kind.PEOPLE])) if Kind.PEOPLE in kinds else None
    pairs = find_duplicates(loaded.records, kinds, opener=opener)
    if args.json:
        print_json([_as_json(pair, loaded.records) for pair in pairs])
        return 0
    if not pairs:
        say(f"no likely duplicates among {' and '.join(k.value for k in kinds)}")
        return 0
    for pair in pairs:
        records = loaded.records[pair.kind]
        say(f"{pair.kind.value}/{pair.keep}  {records[pair.keep].label}")
        say(f"{pair.kind.value}/{pair.drop}  {records[pair.drop].label}")
        say(f"  {', '.join(pair.reasons)}")
        say(f"  allytui merge {pair.kind.value}/{pair.keep} {pair.kind.value}/{pair.drop}")
    counts = ", ".join(f"{sum(p.kind is k for p in pairs)} {k.value}" for k in kinds)
    say(f"{len(pairs)} likely duplicate pair(s): {counts}")
    return 0


def cmd_merge(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, keep_id = parse_target(args.keep)
    drop_kind, drop_id = parse_target(args.drop)
    if drop_kind is not kind:
        raise AllytuiError(f"both must be of one kind: {args.keep} is a {kind.singular}, {args.drop} is not")
    keyring = KeyRing.load() if kind is Kind.PEOPLE else None
    with gitops.repo_lock(repo.git_repo):  # nobody writes between reading the records and the commit
        plan = plan_combine(repo, repo.load().records, kind, keep_id, drop_id, keyring=keyring)
        for line in plan.summary():
            say(line)
        if args.dry_run:
            say("(dry run: nothing was changed)")
            return 0
        commit = apply_combine(repo, plan)
    say(f"{commit.message} [{commit.sha[:8]}]")
    if plan.conflicts:
        say("choose between the differing values in the app (C), or edit the file; allytui check lists them")
    return 0
