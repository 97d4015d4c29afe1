"""The `allytui` command: arguments, the repo to work on, and one clear line for every error.

Only the arguments are known at start; a command's module (and with it pydantic, git and the records) is
imported when that command runs, so `allytui --help` and a mistyped option answer at once."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from allytui.cli.arguments import build_parser

if TYPE_CHECKING:
    from allytui.store.repo import DataRepo

EXIT_OK, EXIT_PROBLEMS = 0, 1

OpenInterface = Callable[["DataRepo"], int]
"""Runs the app on a repo and gives its exit status."""
Serve = Callable[["DataRepo", argparse.Namespace], int]
"""`allytui serve`: the app in a browser (allytui.web, which the command line does not import)."""
RepoCommand = Callable[["DataRepo", argparse.Namespace], int]

REPO_COMMANDS: dict[str, str] = {
    "check": "check:cmd_check",
    "summary": "repo:cmd_summary",
    "set": "records:cmd_set",
    "show": "records:cmd_show",
    "list": "records:cmd_list",
    "rm": "records:cmd_rm",
    "log": "history:cmd_log",
    "export": "transfer:cmd_export",
    "import": "transfer:cmd_import",
    "sync": "sharing:cmd_sync",
    "publish": "sharing:cmd_publish",
    "agenda": "agenda:cmd_agenda",
    "brief": "agenda:cmd_brief",
    "suggest": "agenda:cmd_suggest",
    "paths": "pathways:cmd_paths",
    "shortlist": "planning:cmd_shortlist",
    "gaps": "planning:cmd_gaps",
    "map": "powermap:cmd_map",
    "dupes": "dupes:cmd_dupes",
    "merge": "dupes:cmd_merge",
    "privacy": "rights:cmd_privacy",
    "retention": "rights:cmd_retention",
    "about": "rights:cmd_about",
    "national-report": "rights:cmd_national_report",
    "keys": "keys:cmd_keys",
    "seal": "keys:cmd_seal",
    "erase": "erase:cmd_erase",
    "region": "region:cmd_region",
    "conflicts": "conflicts:cmd_conflicts",
    "resolve": "conflicts:cmd_resolve",
}
"""Each command that works on a repo: the module in allytui.cli that runs it, and its function."""


def command_function(where: str) -> Callable[..., int]:
    """The function named "module:function" in allytui.cli, its module imported now."""
    module, _, name = where.partition(":")
    return cast("Callable[..., int]", getattr(importlib.import_module(f"allytui.cli.{module}"), name))


def run(args: argparse.Namespace, open_interface: OpenInterface | None = None, serve: Serve | None = None) -> int:
    from allytui.cli.repo import open_repo

    if args.command == "init":
        return command_function("repo:cmd_init")(args)
    if args.command == "demo":
        return command_function("repo:cmd_demo")(args, open_interface)
    if args.command == "clone":
        return command_function("sharing:cmd_clone")(args)
    if args.command == "keys" and args.keys_command == "init":
        return command_function("keys:cmd_keys_init")(args)
    if args.command == "serve":
        if serve is None:
            from allytui.store.errors import AllytuiError

            raise AllytuiError("serve runs from the allytui command (python -m allytui serve), not from cli.main")
        return serve(open_repo(args), args)
    if args.command is None and open_interface is not None:
        return open_interface(open_repo(args, say_which=False))  # the app shows which repo it opened
    command: RepoCommand = command_function(REPO_COMMANDS[args.command or "summary"])
    return command(open_repo(args), args)


def main(argv: list[str] | None = None, open_interface: OpenInterface | None = None, serve: Serve | None = None) -> int:
    """Run one command. With no command (or `demo`), open_interface shows the repo, when given; serve runs
    `allytui serve`."""
    args = build_parser().parse_args(argv)
    try:
        return run(args, open_interface, serve)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`allytui list groups | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as failure:
        return report(failure)


def report(failure: Exception) -> int:
    """One clear line (or one per problem) for a failure, and the exit status; never a traceback full of someone's
    data on the terminal."""
    from allytui.cli.output import error
    from allytui.store.errors import AllytuiError, DiskFull, InvalidRecord
    from allytui.store.git import disk_full

    if isinstance(failure, InvalidRecord):
        for problem in failure.problems:
            error(str(problem))
        error("nothing was written")
        return EXIT_PROBLEMS
    if isinstance(failure, AllytuiError):
        error(f"error: {failure}")
        return EXIT_PROBLEMS
    if os.environ.get("ALLYTUI_DEBUG"):
        raise failure
    if disk_full(failure):
        error(f"error: {DiskFull('what was already saved is safe in git')}")
        return EXIT_PROBLEMS
    error(f"unexpected error ({type(failure).__name__}); run again with ALLYTUI_DEBUG=1 for details")
    return EXIT_PROBLEMS
