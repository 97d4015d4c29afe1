"""`allytui clone` and `allytui sync`: share a data repo through an ordinary git remote."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from allytui.cli.output import error, say
from allytui.store.keyring import KeyRing
from allytui.store.repo import DataRepo
from allytui.sync.blockers import SyncBlocked
from allytui.sync.driver import SyncReport, clone, sync
from allytui.sync.publish import publish
from allytui.sync.region import exchange_after_sync
from allytui.sync.remote import shown
from allytui.sync.review import review


def cmd_clone(args: argparse.Namespace) -> int:
    repo = clone(args.url, Path(args.path).expanduser())
    say(f"cloned into {repo.root}; sync with: allytui --repo {repo.root} sync")
    return 0


REVIEW_HIDDEN = "(contact details are hidden; allytui log --reveal KIND/ID shows them)"


def print_report(repo: DataRepo, report: SyncReport, keyring: KeyRing | None = None) -> None:
    for line in report.summary():
        say(line)
    if not report.incoming or report.after is None:
        return
    say("")
    say("What others changed since your last sync (newest first):")
    hidden = False
    for item in review(repo, report.before, report.after, report.incoming, keyring=keyring):
        latest = item.changes[0]
        authors = ", ".join(sorted({c.author for c in item.changes}))
        say(f"{item.path} ({item.label}) by {authors}, {latest.when:%Y-%m-%d %H:%M}")
        for diff in item.diffs:
            say(f"    {diff.summary(reveal=False)}")
            for tag, line in diff.body(reveal=False):
                say(f"      {tag} {line}")
            hidden = hidden or diff.sensitive
        for twin_id, twin_label in item.twins:
            kind = item.kind.value
            say(
                f"    looks like our {kind}/{twin_id} ({twin_label}); if it is the same: "
                f"allytui merge {kind}/{twin_id} {kind}/{item.record_id}"
            )
    if hidden:
        say(REVIEW_HIDDEN)


def cmd_sync(repo: DataRepo, args: argparse.Namespace) -> int:
    def progress(step: str) -> None:
        if not args.quiet:
            say(f"… {step}", sys.stderr)

    try:
        keyring = KeyRing.load()  # to merge sealed values both sides changed; without it they merge opaque
        report = sync(repo, remote=args.remote, progress=progress, skip_bad=args.skip_bad, keyring=keyring)
    except SyncBlocked as blocked:
        for line in blocked.lines():
            error(line)
        return 1
    print_report(repo, report, keyring)
    for line in exchange_after_sync(repo, progress):  # the region's exchange never blocks our own sync
        say(f"region: {line}")
    return 1 if report.skipped else 0


def cmd_publish(repo: DataRepo, args: argparse.Namespace) -> int:
    try:
        done = publish(repo, args.url, remote=args.remote)
    except SyncBlocked as blocked:
        for line in blocked.lines():
            error(line)
        return 1
    where = shown(done.url)
    say(f"published branch {done.branch} to {where}; `allytui sync` (or git pull / git push) keeps it in step")
    if not done.head_set:
        say(f"a shared repo elsewhere keeps its own default branch: allytui clone finds {done.branch} all the same")
    say(f"each member then runs: allytui clone {where} FOLDER")
    return 0
