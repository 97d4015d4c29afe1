"""`allytui erase people/ID`: a person out of the work tree, every branch's history and the shared repo."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from allytui.cli.output import say
from allytui.cli.records import parse_target
from allytui.model.records import Kind
from allytui.store.errors import AllytuiError
from allytui.store.repo import DataRepo
from allytui.sync.erase import erase


def add_erase_parser(commands: Any) -> None:
    erase_ = commands.add_parser(
        "erase",
        help="erase a person from the data and from every branch's history",
        description="Remove a person's record and every reference to them, rewrite every branch's history "
        "without any version of their record, their name, email or phone (git-filter-repo), clear reflogs "
        "and prune old objects. Other records that mention them stop the command unless --redact-mentions. "
        "Other members' clones catch up in their next `allytui sync`.",
    )
    erase_.add_argument("target", metavar="people/ID")
    erase_.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    erase_.add_argument(
        "--redact-mentions", action="store_true", help='replace every mention of them in other records by "[erased]"'
    )
    erase_.add_argument(
        "--push", action="store_true", help="share the rewritten history now (with a lease: others' work is safe)"
    )
    erase_.add_argument("--remote", default="origin", help="the shared remote (default: origin)")
    erase_.add_argument("--quiet", action="store_true", help="no progress lines")


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
