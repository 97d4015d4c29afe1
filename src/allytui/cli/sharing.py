"""`allytui clone` and `allytui sync`: share a data repo through an ordinary git remote."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from allytui.cli.output import say
from allytui.store.repo import DataRepo
from allytui.sync.driver import SyncReport, clone, sync


def cmd_clone(args: argparse.Namespace) -> int:
    repo = clone(args.url, Path(args.path).expanduser())
    say(f"cloned into {repo.root}; sync with: allytui --repo {repo.root} sync")
    return 0


def print_report(report: SyncReport) -> None:
    for line in report.summary():
        say(line)
    if report.incoming:
        say("")
        say("What changed since your last sync (newest first):")
        for change in report.incoming:
            when = change.when.strftime("%Y-%m-%d %H:%M")
            say(f"  {change.sha[:8]} {when} {change.author}: {change.subject}")


def cmd_sync(repo: DataRepo, args: argparse.Namespace) -> int:
    def progress(step: str) -> None:
        if not args.quiet:
            say(f"… {step}", sys.stderr)

    report = sync(repo, remote=args.remote, progress=progress)
    print_report(report)
    return 0
