"""`allytui region`: join the region's exchange, publish what we share, and see who else is in touch with whom."""

from __future__ import annotations

import argparse
import sys

from allytui.cli.output import error, print_json, say
from allytui.model.readable import label
from allytui.model.records import Group, Kind
from allytui.model.region import also_in_touch, region_status
from allytui.store.repo import DataRepo
from allytui.sync.region import (
    RegionError,
    decide,
    join,
    leave,
    mark_national,
    our_view,
    publish,
    read_local,
    region_matches,
)
from allytui.sync.remote import shown


def cmd_region(repo: DataRepo, args: argparse.Namespace) -> int:
    try:
        return _COMMANDS[args.region_command](repo, args)
    except RegionError as failure:
        error(f"error: {failure}")
        return 1


def _join(repo: DataRepo, args: argparse.Namespace) -> int:
    settings = join(repo, args.url, participant=args.participant, kind="national" if args.national else "local")
    say(f"joined the exchange at {shown(settings.url)}; share with: allytui region publish (allytui sync does too)")
    say("shared of each group: " + ", ".join(settings.publish) + " ([region] publish in allytui.toml)")
    return 0


def _leave(repo: DataRepo, args: argparse.Namespace) -> int:
    withdrawn = leave(repo, withdraw=not args.keep_published, progress=lambda step: say(f"… {step}", sys.stderr))
    if args.keep_published:
        say("left the region; our folder stays in the exchange (its participants can remove it)")
    else:
        say("left the region" + ("; our folder was taken out of the exchange" if withdrawn else ""))
    say("what was published before stays in the exchange's history")
    return 0


def _publish(repo: DataRepo, args: argparse.Namespace) -> int:
    def progress(step: str) -> None:
        say(f"… {step}", sys.stderr)

    report = publish(repo, dry_run=args.dry_run, progress=progress)
    if args.dry_run:
        say(f"would share as participants/{report.participant}/ (nothing sent):")
        for path, data in report.files.items():
            say(f"--- {path}")
            for line in data.decode().splitlines():
                say(line)
        return 0
    for line in report.summary():
        say(line)
    return 1 if report.exchange is not None and report.exchange.problems else 0


def _status(repo: DataRepo, args: argparse.Namespace) -> int:
    exchange, loaded = read_local(repo)
    views = [our_view(loaded), *exchange.others]
    status = region_status(views)
    if args.json:
        print_json(status.as_dict() | {"problems": [str(p) for p in exchange.problems]})
        return 0
    say(f"The region: {len(views)} participant(s), as last fetched (allytui sync or region publish fetches)")
    for pid, counts in status.pipelines.items():
        stages = ", ".join(f"{label(stage)} {n}" for stage, n in counts.items()) or "no groups shared"
        say(f"  {status.names[pid]} ({pid}, {status.kinds[pid]}): {stages}")
    say(f"Nobody has contacted yet ({len(status.uncontacted)}):")
    for name, who in status.uncontacted:
        say(f"  {name} (researched by {', '.join(who)})")
    say("Categories with no group anywhere: " + (", ".join(c.value for c in status.no_group) or "none"))
    say("Categories nobody is in touch with: " + (", ".join(c.value for c in status.nobody_in_touch) or "none"))
    for problem in exchange.problems:
        say(f"problem: {problem}")
    return 0


def _group(repo: DataRepo, ref: str) -> Group:
    group_id = ref.removeprefix("groups/").removesuffix(".toml")
    if not repo.exists(Kind.GROUPS, group_id):
        raise RegionError(f"no group {group_id} here (allytui list groups)")
    group = repo.read(Kind.GROUPS, group_id)
    assert isinstance(group, Group)
    return group


def _who(repo: DataRepo, args: argparse.Namespace) -> int:
    group = _group(repo, args.group)
    exchange, loaded = read_local(repo)
    matches = region_matches(loaded, exchange).get(group.id, [])
    found = also_in_touch(matches, exchange.views)
    if any(item.national for item in found) and not group.national_contact:
        mark_national(repo, loaded, exchange)
    if args.json:
        print_json(
            [
                {
                    "participant": item.participant.id,
                    "participant_name": item.participant.name,
                    "kind": item.participant.kind.value,
                    "their_group": item.match.theirs,
                    "their_name": item.group.name,
                    "stage": item.group.stage.value if item.group.stage else None,
                    "last_contact_month": item.group.last_contact_month,
                    "score": item.match.score,
                    "reason": item.match.reason,
                    "confirmed": item.match.confirmed,
                    "line": item.line(),
                }
                for item in found
            ]
        )
        return 0
    if not found:
        say(f"No other participant shares {group.name} (as last fetched).")
        return 0
    for item in found:
        say(item.line())
        how = "confirmed" if item.match.confirmed else f"{item.match.reason}, {item.match.score}%"
        say(f"    their {item.group.name} ({item.match.ref}): {how}")
        if item.close and not item.national and item.group.stage is not None:
            say(f"    they are {label(item.group.stage.value)}: coordinate with them before approaching")
        if not item.match.confirmed:
            say(f"    not the same? allytui region match {group.id} {item.match.ref} --not")
    return 0


def _match(repo: DataRepo, args: argparse.Namespace) -> int:
    group = _group(repo, args.group)
    decide(repo, group.id, args.theirs, same=not args.reject)
    what = "is not" if args.reject else "is"
    say(f"kept: {group.id} {what} {args.theirs}")
    return 0


_COMMANDS = {
    "join": _join,
    "leave": _leave,
    "publish": _publish,
    "status": _status,
    "who": _who,
    "match": _match,
}
