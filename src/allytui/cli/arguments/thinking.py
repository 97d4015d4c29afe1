"""Arguments of the thinking tools: agenda, brief, suggest, paths, shortlist, gaps, map, dupes and merge."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from allytui.model.enums import DUPLICATE_KINDS, Capacity, Category, Stage
from allytui.model.typed_dates import DATE_HELP, NotADate, parse_date


def _days(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 3650:
        raise argparse.ArgumentTypeError("give a number of days from 0 to 3650")
    return value


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except NotADate:
        raise argparse.ArgumentTypeError(f"not a date; {DATE_HELP}") from None


def _add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=_date, metavar="DATE", help="as if today were DATE (YYYY-MM-DD or DD/MM/YYYY)")


def add_agenda_parser(commands: Any) -> argparse.ArgumentParser:
    """`agenda`: add to the subparsers of the `allytui` parser."""
    parser = commands.add_parser(
        "agenda",
        help="overdue and upcoming next actions and follow-ups by member, and groups going cold",
        description="What each member has to do: group next actions (the group's lead), conversation "
        "follow-ups (our people in it) and partner roles still to agree for activities coming up (the "
        "partner group's lead); overdue first. Then groups going cold: no conversation for a while.",
    )
    parser.add_argument(
        "--member", metavar="PERSON", help="only this member's items and the groups they lead (id or part of a name)"
    )
    parser.add_argument("--days", type=_days, default=14, metavar="N", help="look N days ahead (default: 14)")
    parser.add_argument(
        "--cold-days",
        type=_days,
        metavar="N",
        help="going cold after N days (default: going_cold_days in allytui.toml)",
    )
    parser.add_argument("--json", action="store_true")
    _add_today(parser)
    return parser


def add_brief_parser(commands: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "brief",
        help="a brief on a group before a conversation or meeting, as Markdown",
        description="Everything to read before talking to a group: its aims and ways, its people and who of "
        "us knows them, past conversations with common ground and red lines, our red lines, open next "
        "steps and joint activities. GROUP is the group's id or a unique part of its name.",
    )
    parser.add_argument("group", metavar="GROUP")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the Markdown here instead of printing it")
    _add_today(parser)
    return parser


def add_suggest_parser(commands: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "suggest",
        help="activity ideas from the guide that fit our capacity, with the groups they suit",
        description="Ideas from the guide's step 8 lists for the team's capacity (low, core or many), each "
        "with the groups in conversation, meeting or allied that suit it.",
    )
    parser.add_argument("--capacity", choices=[c.value for c in Capacity], help="instead of the team's own")
    parser.add_argument("--json", action="store_true")
    return parser


def add_paths_parser(commands: Any) -> argparse.ArgumentParser:
    """Add `paths` to the CLI's subcommands (the object add_subparsers returned)."""
    paths = commands.add_parser(
        "paths",
        help="the best chains from our members to a group or person",
        description="The best chains of relationships from our members to a group or person, through `knows` "
        "links and memberships, ranked by link strength and length. With no path, the other ways to "
        "reach out (the guide's step 5).",
    )
    paths.add_argument("target", metavar="TARGET", help="groups/ID, people/ID, or an ID (a group's, else a person's)")
    paths.add_argument("--json", action="store_true")
    paths.add_argument("--limit", type=int, default=5, metavar="N", help="at most N paths (default 5)")
    return paths


SHORTLIST_HELP = "rank groups to approach (the guide's step 3), with the reasons for each score"


GAPS_HELP = "who's not here: the guide's categories with no group, or no contact, yet"


def add_shortlist_parser(commands: Any) -> None:
    """Add `shortlist` to the subcommands (argparse's _SubParsersAction)."""
    parser = commands.add_parser(
        "shortlist",
        help=SHORTLIST_HELP,
        description="Rank groups by their shortlist reasons, influence, alignment, network size and how many "
        "of our members know them, with the points each adds. The weights are [shortlist] in allytui.toml. "
        "National contacts come last, flagged: route them via the national relationships team.",
    )
    parser.add_argument(
        "--all", action="store_true", help="every group not declined, not only those researched or shortlisted"
    )
    parser.add_argument("--json", action="store_true")


def add_gaps_parser(commands: Any) -> None:
    """Add `gaps` to the subcommands (argparse's _SubParsersAction)."""
    parser = commands.add_parser(
        "gaps",
        help=GAPS_HELP,
        description="Every category of group the guide lists, with how many groups it has, how many are past "
        "researched and how many in conversation or allied, and what is missing: no group yet, no contact yet.",
    )
    parser.add_argument("--json", action="store_true")


def add_map_parser(commands: Any) -> None:
    """Add `map` to the subcommands (`commands` is what add_subparsers returned)."""
    map_ = commands.add_parser(
        "map",
        help="the power map: groups and people by influence and alignment",
        description="The power map of the guide's step 4: groups and people with both an influence (1-5) and "
        "an alignment (-2..+2), in the quadrants influential allies, influential opponents, supportive with "
        "little influence and opposed with little influence (influential: 3 or more; alignment 0 is neutral). "
        "A person is shown with the stage of their group that is furthest along, and matches a category or "
        "tag when one of their groups has it. Prints a text grid; --svg writes slides, --json placements.",
    )
    map_.add_argument("--svg", metavar="FILE", help="write the map as a standalone SVG image to FILE")
    map_.add_argument("--kind", choices=["all", "groups", "people"], default="all", help="default: all")
    map_.add_argument(
        "--stage",
        action="append",
        choices=[s.value for s in Stage],
        metavar="STAGE",
        help="only this stage (again for more): " + ", ".join(s.value for s in Stage),
    )
    map_.add_argument(
        "--category",
        action="append",
        choices=[c.value for c in Category],
        metavar="CATEGORY",
        help="only this category (again for more)",
    )
    map_.add_argument("--tag", action="append", metavar="TAG", help="only with this tag (again for more)")
    map_.add_argument("--json", action="store_true", help="print the placements as JSON")


def add_dupes_parsers(commands: Any) -> None:
    dupes = commands.add_parser(
        "dupes",
        help="likely duplicate groups and people, with the reasons",
        description="Groups on the same website domain, or with similar names in the same area; people with the "
        "same email or phone, or similar names sharing a group. Names are compared without case, punctuation "
        "and words like the/church/ltd. Sealed contact details are compared when your key opens them.",
    )
    dupes.add_argument("kind", nargs="?", choices=[k.value for k in DUPLICATE_KINDS], metavar="KIND")
    dupes.add_argument("--json", action="store_true")
    merge = commands.add_parser(
        "merge",
        help="merge a duplicate into the record it duplicates, in one commit",
        description="Merge KIND/DROP into KIND/KEEP: fields only DROP has are taken, lists joined, and a field both "
        "hold differently keeps KEEP's value with DROP's as an open conflict to choose (the app's C). Every "
        "reference to DROP (knows, members, groups, conversations, activities, lead) then points at KEEP, and "
        "DROP is removed. One commit.",
    )
    merge.add_argument("keep", metavar="KIND/KEEP")
    merge.add_argument("drop", metavar="KIND/DROP")
    merge.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
