"""`allytui erase people/ID`: a person out of the work tree, every branch's history and the shared repo."""

from __future__ import annotations

import argparse
import sys

from allytui.cli.output import say
from allytui.cli.records import parse_target
from allytui.model.records import Kind
from allytui.store.errors import AllytuiError
from allytui.store.repo import DataRepo
from allytui.sync.erase import erase


def cmd_erase(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, person_id = parse_target(args.target)
    if kind is not Kind.PEOPLE:
        raise AllytuiError("only a person can be erased: allytui erase people/ID")
    progress = None if args.quiet or args.dry_run else (lambda text: say(f"... {text}", sys.stderr))
    report = erase(
        repo,
        person_id,
        redact_mentions=args.redact_mentions,
        push=args.push,
        dry_run=args.dry_run,
        remote=args.remote,
        progress=progress,
    )
    for line in report.summary():
        say(line)
    return 1 if report.push_refused else 0
