"""`allytui check`: problems in the data, open sync conflicts, and a git pull left unfinished, with exit codes."""

from __future__ import annotations

import argparse

from allytui.cli.conflict_text import conflict_lines, open_conflicts
from allytui.cli.output import print_json, say
from allytui.store.layout import path_of
from allytui.store.loader import available_cores, load_repo
from allytui.store.repo import DataRepo
from allytui.store.unfinished import unfinished_merge

EXIT_OK, EXIT_PROBLEMS, EXIT_CONFLICTS = 0, 1, 3
"""0: all well; 1: problems in files or a git pull left unfinished; 3: no problems, but open sync conflicts."""


def cmd_check(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = load_repo(repo.root, use_cache=False, workers=available_cores())  # every file, on every core
    unfinished = unfinished_merge(repo)
    conflicts = open_conflicts(loaded.records)
    if args.json:
        found = [{"path": p.path, "line": p.line, "field": p.field, "message": p.message} for p in loaded.problems]
        if unfinished is not None:
            found += [{"path": ".git", "line": None, "field": "", "message": unfinished.message()}]
        found += [
            {"path": path_of(record), "line": None, "field": conflict.field, "message": "open sync conflict"}
            for record, conflict in conflicts
        ]
        print_json(found)
    else:
        if unfinished is not None:
            say(unfinished.message())
        for problem in loaded.problems:
            say(str(problem))
        if not loaded.problems and unfinished is None:
            say(f"ok: {loaded.count()} records, no problems")
        if conflicts:
            for line in conflict_lines(conflicts, heading=True):
                say(line)
    if loaded.problems or unfinished is not None:
        return EXIT_PROBLEMS
    return EXIT_CONFLICTS if conflicts else EXIT_OK
