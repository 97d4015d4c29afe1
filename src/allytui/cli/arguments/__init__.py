"""The `allytui` command line's arguments: every command and option, defined without loading records or git, so
that `allytui --help` and a mistyped option answer at once."""

from __future__ import annotations

import argparse

from allytui import __version__
from allytui.cli.arguments.records import add_record_parsers
from allytui.cli.arguments.rights import add_erase_parser, add_keys_parser, add_rights_parsers
from allytui.cli.arguments.sharing import add_conflicts_parsers, add_region_parser
from allytui.cli.arguments.thinking import (
    add_agenda_parser,
    add_brief_parser,
    add_dupes_parsers,
    add_gaps_parser,
    add_map_parser,
    add_paths_parser,
    add_shortlist_parser,
    add_suggest_parser,
)


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

    add_record_parsers(commands)
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
    add_serve_parser(commands)
    return parser


def add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`allytui serve`: the app in a browser for members who don't use a terminal."""
    serve = commands.add_parser(
        "serve", help="the app in a browser, for members with a login link (binds to 127.0.0.1 unless told)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument(
        "--public-url", metavar="URL", help="the address members use, behind a reverse proxy (https://...)"
    )
    serve.add_argument(
        "--max-sessions", type=int, default=20, metavar="N", help="sessions open at once, at most (default: 20)"
    )
    members = serve.add_mutually_exclusive_group()
    members.add_argument("--add-member", metavar="people/ID", help="let a person in: prints a one-time login link")
    members.add_argument("--remove-member", metavar="people/ID", help="end a member's access and open sessions")
    members.add_argument("--list-members", action="store_true", help="who may log in")
    serve.add_argument("--name", help="with --add-member: the name their commits carry (default: the record's)")
    serve.add_argument("--email", help="with --add-member: the email their commits carry (default: the record's)")
