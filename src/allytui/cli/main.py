"""The `allytui` command: arguments, the repo to work on, and one clear line for every error."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from allytui import __version__
from allytui.cli.agenda import (
    add_agenda_parser,
    add_brief_parser,
    add_suggest_parser,
    cmd_agenda,
    cmd_brief,
    cmd_suggest,
)
from allytui.cli.check import cmd_check
from allytui.cli.conflicts import add_conflicts_parsers, cmd_conflicts, cmd_resolve
from allytui.cli.dupes import add_dupes_parsers, cmd_dupes, cmd_merge
from allytui.cli.erase import add_erase_parser, cmd_erase
from allytui.cli.history import cmd_log
from allytui.cli.keys import add_keys_parser, cmd_keys, cmd_keys_init, cmd_seal
from allytui.cli.output import error, say
from allytui.cli.pathways import add_paths_parser, cmd_paths
from allytui.cli.planning import add_gaps_parser, add_shortlist_parser, cmd_gaps, cmd_shortlist
from allytui.cli.powermap import add_map_parser, cmd_map
from allytui.cli.records import cmd_list, cmd_rm, cmd_set, cmd_show
from allytui.cli.region import add_region_parser, cmd_region
from allytui.cli.rights import add_rights_parsers, cmd_about, cmd_national_report, cmd_privacy, cmd_retention
from allytui.cli.sharing import cmd_clone, cmd_publish, cmd_sync
from allytui.cli.transfer import cmd_export, cmd_import
from allytui.model.overview import pipeline
from allytui.model.readable import label
from allytui.model.records import Kind
from allytui.store.demo import make_demo_repo, remove_demo_repo
from allytui.store.errors import AllytuiError, DiskFull, InvalidRecord, NotADataRepo
from allytui.store.git import disk_full
from allytui.store.location import NAMED_BY_ENV, NAMED_BY_OPTION, OWN_REPO, locate_repo, missing_repo_message
from allytui.store.repo import DataRepo
from allytui.sync.driver import prepare

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
KINDS = [kind.value for kind in Kind]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allytui",
        description="Build community alliances: groups, people, conversations and activities, kept in git.",
    )
    parser.add_argument("--version", action="version", version=f"allytui {__version__}")
    parser.add_argument(
        "--repo", metavar="PATH", help="the data repo (default: $ALLYTUI_REPO, this folder, or your own)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create a new data repo")
    init.add_argument("path", metavar="PATH")
    init.add_argument("--name", default="", help="the local group's name")

    clone_ = commands.add_parser("clone", help="clone a shared data repo (ssh://, user@host:path, https://, a path)")
    clone_.add_argument("url", metavar="URL")
    clone_.add_argument("path", metavar="PATH")

    publish_ = commands.add_parser(
        "publish", help="share this data repo through an empty shared git repo (a folder, user@host:path, ssh://)"
    )
    publish_.add_argument("url", metavar="URL")
    publish_.add_argument("--remote", default="origin", help="the name to give it (default: origin)")

    sync_ = commands.add_parser("sync", help="commit hand edits, take others' changes, merge, and push")
    sync_.add_argument("--remote", default="origin", help="the remote to sync with (default: origin)")
    sync_.add_argument("--quiet", action="store_true", help="no progress lines")
    sync_.add_argument(
        "--skip-bad", action="store_true", help="take everything else when files have problems; list those left out"
    )

    demo_ = commands.add_parser("demo", help="try allytui on a throwaway copy of the sample data, removed after")
    demo_.add_argument("--keep", action="store_true", help="keep the copy (its folder is named at the end)")
    commands.add_parser("summary", help="what the data repo holds, at a glance")

    check = commands.add_parser(
        "check",
        help="validate every record; exit 1 if there are problems (or a git pull left unfinished), "
        "3 if there are none but open sync conflicts",
    )
    check.add_argument("--json", action="store_true", help="print problems as JSON")

    set_ = commands.add_parser(
        "set",
        help="create or update a record",
        description="Create or update one record, validate it and commit it. KIND/new makes an id for you. "
        "Lists: FIELD=a,b replaces, FIELD+=x adds, FIELD-=x removes. Nested: contact.email=... "
        "Lists of parts: knows+='person=ana;strength=3;how=neighbours'. An empty value clears a field.",
    )
    set_.add_argument("target", metavar="KIND/ID")
    set_.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")
    set_.add_argument("--drop-comments", action="store_true", help="allow dropping comments whose fields are gone")
    set_.add_argument(
        "--force", action="store_true", help="log a conversation even with someone who asked not to be contacted"
    )

    show = commands.add_parser("show", help="print one record")
    show.add_argument("target", metavar="KIND/ID")
    show.add_argument("--json", action="store_true")
    show.add_argument("--reveal", action="store_true", help="include contact details")

    list_ = commands.add_parser("list", help="list the records of a kind")
    list_.add_argument("kind", choices=KINDS, metavar="KIND")
    list_.add_argument(
        "--where",
        action="append",
        metavar="FIELD=VALUE",
        help="only records with this value (again for more): a comma list is any of them (stage=contacted,meeting), "
        "numbers and dates take ranges (influence=3..5, influence=>=3, next_action_due=..2026-12-31), "
        "an empty value means none (lead=)",
    )
    list_.add_argument("--json", action="store_true")

    rm = commands.add_parser("rm", help="delete a record (refuses while others refer to it)")
    rm.add_argument("target", metavar="KIND/ID")
    rm.add_argument("--force", action="store_true", help="delete even though other records refer to it")

    log = commands.add_parser(
        "log",
        help="every commit that touched a record, newest first, field by field",
        description="Every commit that touched one record, newest first: who, when, and what each changed, "
        "field by field. Commits made with plain git show up too.",
    )
    log.add_argument("target", metavar="KIND/ID")
    log.add_argument("--json", action="store_true")
    log.add_argument("--raw", action="store_true", help="git's own patches instead (git log -p)")
    log.add_argument("--reveal", action="store_true", help="include contact details")

    export = commands.add_parser("export", help="write the records of a kind as CSV or JSON")
    export.add_argument("kind", choices=KINDS, metavar="KIND")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    export.add_argument(
        "--excel", action="store_true", help="CSV for Excel: UTF-8 with a byte-order mark, so accents open right"
    )
    export.add_argument(
        "--reveal", "--include-contact", dest="include_contact", action="store_true", help="include contact details"
    )
    export.add_argument(
        "--redact",
        action="store_true",
        help="only what may be shared beyond the team: people as id, role and groups; conversations as date, group, "
        "channel and outcome",
    )

    import_ = commands.add_parser("import", help="import a spreadsheet (CSV) as records, in one commit")
    import_.add_argument("kind", choices=KINDS, metavar="KIND")
    import_.add_argument("file", metavar="FILE.csv")
    import_.add_argument("--skip-bad", action="store_true", help="import the good rows, report the bad ones")
    import_.add_argument(
        "--update", action="store_true", help="rows matching a record (id, else website, else name) update it"
    )
    import_.add_argument(
        "--dry-run", action="store_true", help="show what each row would do (new, update, already present, error)"
    )
    import_.add_argument(
        "--force", action="store_true", help="import conversations with people who asked not to be contacted too"
    )
    add_agenda_parser(commands)
    add_brief_parser(commands)
    add_suggest_parser(commands)
    add_paths_parser(commands)
    add_shortlist_parser(commands)
    add_gaps_parser(commands)
    add_map_parser(commands)
    add_dupes_parsers(commands)
    add_rights_parsers(commands)
    add_keys_parser(commands)
    add_erase_parser(commands)
    add_region_parser(commands)
    add_conflicts_parsers(commands)
    return parser


def cmd_init(args: argparse.Namespace) -> int:
    repo = DataRepo.init(Path(args.path), name=args.name)
    say(f"new data repo at {repo.root}")
    return EXIT_OK


def cmd_summary(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    name = loaded.settings.name or repo.root.name
    say(f"{name} ({repo.root})")
    for kind in Kind:
        say(f"  {kind.value:<14} {len(loaded.records[kind])}")
    stages = [f"{label(stage.value)} {count}" for stage, count in pipeline(loaded.records).items() if count]
    if stages:
        width = max(40, shutil.get_terminal_size().columns - 2)
        lines = textwrap.wrap("groups by stage: " + ", ".join(stages), width, subsequent_indent="  ")
        for line in lines:
            say(f"  {line}")
    say(f"  problems: {len(loaded.problems)}" + (" (run allytui check)" if loaded.problems else ""))
    return EXIT_OK


OpenInterface = Callable[[DataRepo], int]
"""Runs the app on a repo and gives its exit status."""


def cmd_demo(args: argparse.Namespace, open_interface: OpenInterface | None) -> int:
    repo = make_demo_repo()
    try:
        code = cmd_summary(repo, args) if open_interface is None else open_interface(repo)
    finally:  # the throwaway copy goes however the demo ends, unless asked to keep it
        if args.keep:
            say(f"The demo copy is kept at {repo.root} (delete it when done).")
        else:
            remove_demo_repo(repo)
            say("The demo copy was removed (allytui demo --keep keeps it).")
    return code


def open_repo(args: argparse.Namespace, *, say_which: bool = True) -> DataRepo:
    """The repo to work on; outside any data repo, the member's own, saying so (on stderr) when say_which."""
    path, named_by = locate_repo(args.repo)
    if named_by == OWN_REPO and not path.exists():
        say(f"creating your data repo at {path}", sys.stderr)
        return DataRepo.init(path)
    if named_by in (NAMED_BY_OPTION, NAMED_BY_ENV) and not os.path.lexists(path):
        raise NotADataRepo(missing_repo_message(path, named_by))
    repo = DataRepo.open(path)
    if named_by == OWN_REPO and say_which:
        say(f"(not inside a data repo: using your own, {repo.root})", sys.stderr)
    prepare(repo)  # per-clone git settings the merge needs; .git/config is not cloned
    return repo


REPO_COMMANDS: dict[str, Callable[[DataRepo, argparse.Namespace], int]] = {
    "check": cmd_check,
    "summary": cmd_summary,
    "set": cmd_set,
    "show": cmd_show,
    "list": cmd_list,
    "rm": cmd_rm,
    "log": cmd_log,
    "export": cmd_export,
    "import": cmd_import,
    "sync": cmd_sync,
    "publish": cmd_publish,
    "agenda": cmd_agenda,
    "brief": cmd_brief,
    "suggest": cmd_suggest,
    "paths": cmd_paths,
    "shortlist": cmd_shortlist,
    "gaps": cmd_gaps,
    "map": cmd_map,
    "dupes": cmd_dupes,
    "merge": cmd_merge,
    "privacy": cmd_privacy,
    "retention": cmd_retention,
    "about": cmd_about,
    "national-report": cmd_national_report,
    "keys": cmd_keys,
    "seal": cmd_seal,
    "erase": cmd_erase,
    "region": cmd_region,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
}


def run(args: argparse.Namespace, open_interface: OpenInterface | None = None) -> int:
    if args.command == "init":
        return cmd_init(args)
    if args.command == "demo":
        return cmd_demo(args, open_interface)
    if args.command == "clone":
        return cmd_clone(args)
    if args.command == "keys" and args.keys_command == "init":
        return cmd_keys_init(args)
    if args.command is None and open_interface is not None:
        return open_interface(open_repo(args, say_which=False))  # the app shows which repo it opened
    command = REPO_COMMANDS[args.command or "summary"]
    return command(open_repo(args), args)


def main(argv: list[str] | None = None, open_interface: OpenInterface | None = None) -> int:
    """Run one command. With no command (or `demo`), open_interface shows the repo, when given."""
    args = build_parser().parse_args(argv)
    try:
        return run(args, open_interface)
    except InvalidRecord as invalid:
        for problem in invalid.problems:
            error(str(problem))
        error("nothing was written")
        return EXIT_PROBLEMS
    except AllytuiError as failure:
        error(f"error: {failure}")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`allytui list groups | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as failure:  # never a traceback full of someone's data on the terminal
        if os.environ.get("ALLYTUI_DEBUG"):
            raise
        if disk_full(failure):
            error(f"error: {DiskFull('what was already saved is safe in git')}")
            return EXIT_PROBLEMS
        error(f"unexpected error ({type(failure).__name__}); run again with ALLYTUI_DEBUG=1 for details")
        return EXIT_PROBLEMS
