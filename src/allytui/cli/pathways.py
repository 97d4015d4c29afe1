"""`allytui paths TARGET`: the best chains from our members to a group or person (the guide's steps 4 and 5)."""

from __future__ import annotations

import argparse

from allytui.cli.output import error, print_json, say, say_fitted
from allytui.model.pathways import Pathways, pathways
from allytui.model.records import Kind
from allytui.model.relations import RecordIndex
from allytui.store.repo import DataRepo

EXIT_OK, EXIT_PROBLEMS = 0, 1


def find_target(index: RecordIndex, text: str) -> tuple[Kind, str] | None:
    """groups/ID or people/ID when that record exists; a bare ID is looked up in groups, then people."""
    kind_name, sep, record_id = text.partition("/")
    if sep:
        kinds = [kind for kind in (Kind.GROUPS, Kind.PEOPLE) if kind.value == kind_name]
    else:
        kinds, record_id = [Kind.GROUPS, Kind.PEOPLE], text
    return next(((kind, record_id) for kind in kinds if record_id in index[kind]), None)


def cmd_paths(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    found = find_target(loaded.records, args.target)
    if found is None:
        error(f"error: no group or person {args.target!r} (give groups/ID, people/ID or an ID)")
        return EXIT_PROBLEMS
    if args.limit < 1:
        error("error: --limit must be at least 1")
        return EXIT_PROBLEMS
    kind, record_id = found
    result = pathways(loaded.records, kind, record_id, limit=args.limit)
    if args.json:
        print_json(result.as_dict())
        return EXIT_OK
    show(result)
    if loaded.problems:
        say(f"({len(loaded.problems)} problem(s) in the repo: run allytui check)")
    return EXIT_OK


def show(result: Pathways) -> None:
    target = result.target
    say_fitted(f"Pathways to {target.name} ({target.kind.value}/{target.id})")
    if result.warning:
        say_fitted(f"⚠ {result.warning}")
    say_fitted(result.headline)
    if result.is_ours:
        return
    for n, path in enumerate(result.paths, 1):
        hops = f"{path.hops} hop{'s' if path.hops != 1 else ''}"
        say_fitted(f"{n:>2}. {path.text}")
        say(f"    {hops}, cost {path.cost}")
    suggestions = [s for s in result.advice[1:] if s != result.warning]  # the warning is shown above
    if suggestions:
        say("Other ways to reach out (the guide's step 5):")
        for suggestion in suggestions:
            say_fitted(f"  - {suggestion}")
