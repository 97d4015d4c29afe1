"""Arguments of the commands shared between local groups and members: region, conflicts and resolve."""

from __future__ import annotations

from typing import Any

REGION_HELP = "share what we choose with neighbouring local groups through an exchange repo, and see who's in touch"


def add_region_parser(commands: Any) -> None:
    """Add `region` and its subcommands (argparse's _SubParsersAction)."""
    parser = commands.add_parser(
        "region",
        help=REGION_HELP,
        description="Several local groups (and the national relationships team) share, through one plain git repo, "
        "the groups each is in touch with: only what [region] publish in allytui.toml allows, never people or "
        "conversations. allytui sync publishes and reads it too once joined.",
    )
    sub = parser.add_subparsers(dest="region_command", metavar="SUBCOMMAND", required=True)
    join_ = sub.add_parser("join", help="take part in the region's exchange repo (a folder, user@host:path, ssh://)")
    join_.add_argument("url", metavar="URL")
    join_.add_argument("--as", dest="participant", default="", help="our folder's name (default: our team's id)")
    join_.add_argument(
        "--national", action="store_true", help="we are the national relationships team: share our national contacts"
    )
    leave = sub.add_parser(
        "leave", help="stop taking part: our folder is taken out of the exchange, and our copy of it deleted"
    )
    leave.add_argument(
        "--keep-published", action="store_true", help="leave what we published in the exchange (no network needed)"
    )
    publish_ = sub.add_parser("publish", help="write what we share into our folder of the exchange and push it")
    publish_.add_argument("--dry-run", action="store_true", help="print exactly what would be shared; send nothing")
    status = sub.add_parser(
        "status", help="each participant's pipeline, organisations nobody has contacted, categories nobody covers"
    )
    status.add_argument("--json", action="store_true")
    who = sub.add_parser("who", help="who else in the region is in touch with one of our groups")
    who.add_argument("group", metavar="GROUP")
    who.add_argument("--json", action="store_true")
    match = sub.add_parser("match", help="confirm (or, with --not, reject) that our group is another participant's")
    match.add_argument("group", metavar="GROUP")
    match.add_argument("theirs", metavar="PARTICIPANT/GROUP")
    match.add_argument("--not", dest="reject", action="store_true", help="they are not the same organisation")


def add_conflicts_parsers(commands: Any) -> None:
    """`conflicts` and `resolve`: add to the subparsers of the `allytui` parser."""
    listing = commands.add_parser(
        "conflicts",
        help="list open sync conflicts: fields two members changed differently, with both values",
        description="Every open sync conflict: the record, the field, the value it holds now and the other "
        "member's value (kept until someone chooses). Settle one with allytui resolve.",
    )
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--reveal", action="store_true", help="include contact details")
    settle = commands.add_parser(
        "resolve",
        help="settle an open sync conflict: keep the value a field holds, or take the other member's",
        description="Settle one open sync conflict in one commit. FIELD as allytui conflicts lists it "
        "(stage, contact.email, knows[0].strength; deleted for a record one member deleted and another edited).",
    )
    settle.add_argument("target", metavar="KIND/ID")
    settle.add_argument("field", metavar="FIELD")
    choice = settle.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", action="store_true", help="keep the value the record holds now")
    choice.add_argument(
        "--take-other", action="store_true", help="take the other member's value (for deleted: delete the record)"
    )
