"""`allytui agenda`, `allytui brief GROUP` and `allytui suggest`: what is due, who to call, what to do next."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from allytui.cli.lookup import find_record
from allytui.cli.output import print_json, print_table, say, say_fitted
from allytui.model.agenda import AgendaItem, GoingCold, agenda, due_words, going_cold, left_out, plural
from allytui.model.enums import Capacity
from allytui.model.records import Conversation, Group, Kind, Record
from allytui.model.relations import RecordIndex, name_of
from allytui.model.rights import do_not_contact_note
from allytui.model.suggestions import suggestions, team_capacity
from allytui.render.brief import brief_markdown
from allytui.store.errors import RecordNotFound
from allytui.store.keyring import KeyRing
from allytui.store.repo import DataRepo
from allytui.sync.region import region_info

SHOWN_GROUPS = 3


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "today", None) or dt.date.today()


# agenda


def _when(item: AgendaItem, today: dt.date) -> str:
    words = due_words(item.due, today)
    return words.upper() if item.is_overdue(today) else words  # overdue stands out without colour


def _item_json(item: AgendaItem, index: RecordIndex, today: dt.date) -> dict[str, Any]:
    return {
        "due": item.due.isoformat(),
        "overdue": item.is_overdue(today),
        "when": due_words(item.due, today),
        "kind": item.kind.value,
        "id": item.record_id,
        "group": item.group_id,
        "label": item.label,
        "what": item.what,
        "owners": [{"id": o, "name": name_of(index, Kind.PEOPLE, o)} for o in item.owners],
    }


def _cold_json(cold: GoingCold, index: RecordIndex) -> dict[str, Any]:
    return {
        "group": cold.group_id,
        "name": cold.name,
        "stage": cold.stage.value,
        "lead": cold.lead,
        "lead_name": name_of(index, Kind.PEOPLE, cold.lead) if cold.lead else None,
        "last_conversation": cold.last_contact.isoformat() if cold.last_contact else None,
        "conversation": cold.conversation_id,
        "days": cold.days,
        "how_long": cold.how_long,
    }


def cmd_agenda(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    index, today = loaded.records, _today(args)
    member = None if args.member is None else find_record(index, Kind.PEOPLE, args.member).id
    cold_days = args.cold_days if args.cold_days is not None else loaded.settings.going_cold_days
    sections = agenda(index, today, member=member, horizon_days=args.days)
    dropped = left_out(index, today, args.days)
    cold = [c for c in going_cold(index, today, cold_days) if member is None or c.lead == member]
    if args.json:
        print_json(
            {
                "today": today.isoformat(),
                "days": args.days,
                "members": [
                    {
                        "member": s.member,
                        "name": s.name,
                        "items": [_item_json(i, index, today) for i in s.items],
                    }
                    for s in sections
                ],
                "going_cold_days": cold_days,
                "going_cold": [_cold_json(c, index) for c in cold],
                "left_out_do_not_contact": dropped,
            }
        )
        return 0
    who = f" for {name_of(index, Kind.PEOPLE, member)}" if member else ""
    say(f"Agenda{who} on {today.isoformat()}: overdue, and due in the next {plural(args.days, 'day')}")
    say("")
    rows = []
    for section in sections:
        for n, item in enumerate(section.items):
            others = [name_of(index, Kind.PEOPLE, o) for o in item.owners if o != section.member]
            what = item.what + (f" (with {', '.join(others)})" if others else "")
            rows.append((section.name if n == 0 else "", _when(item, today), item.due.isoformat(), item.label, what))
    if rows:
        print_table(["member", "when", "due", "record", "what"], rows)
    else:
        say("Nothing overdue or coming up.")
    if dropped:
        say(do_not_contact_note(dropped))
    say("")
    say(
        f"Going cold: no conversation for {plural(cold_days, 'day')} or more"
        + (" (groups they lead)" if member else "")
    )
    if cold:
        cold_rows = [
            (c.name, c.stage.value.replace("_", " "), name_of(index, Kind.PEOPLE, c.lead) or "no lead", c.how_long)
            for c in cold
        ]
        print_table(["group", "stage", "lead", "last contact"], cold_rows, max_width=44)
    else:
        say("None: every group we are talking to has heard from us lately.")
    return 0


# brief


def find_group(index: RecordIndex, text: str) -> Group:
    """A group by id (`groups/ID` works too), or by a part of its name that only one group has."""
    group = find_record(index, Kind.GROUPS, text)
    if not isinstance(group, Group):
        raise RecordNotFound(f"groups/{group.id}: not a group")
    return group


def cmd_brief(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    group = find_group(loaded.records, args.group)
    keyring = KeyRing.load()  # sealed notes are opened for a member holding a key; the rest say why not
    if keyring.problem:
        say(f"{keyring.problem}; sealed values stay sealed in the brief", sys.stderr)

    def opened(talk: Conversation) -> tuple[Record, dict[str, str]]:
        found = keyring.open(talk)
        return found.record, found.closed

    also = [t.line() for t in region_info(repo, loaded).touch.get(group.id, [])]  # the region, as last fetched
    text = brief_markdown(loaded.records, group.id, _today(args), opened=opened, also=also)
    if args.output:
        path = Path(args.output)
        path.write_text(text, encoding="utf-8")
        say(f"wrote the brief on {group.name} to {path}")
        return 0
    say_fitted(text.rstrip("\n"))
    return 0


# suggest


def cmd_suggest(repo: DataRepo, args: argparse.Namespace) -> int:
    index = repo.load().records
    capacity, from_team = team_capacity(index)
    if args.capacity:
        capacity, from_team = Capacity(args.capacity), True
    found = suggestions(index, capacity)
    if args.json:
        print_json(
            {
                "capacity": capacity.value,
                "suggestions": [
                    {
                        "idea": s.idea.key,
                        "title": s.idea.title,
                        "kind": s.idea.kind.value,
                        "list": s.idea.for_whom,
                        "hint": s.idea.hint,
                        "groups": [
                            {"id": g.group_id, "name": g.name, "stage": g.stage.value, "why": g.why} for g in s.groups
                        ],
                        "already": s.existing,
                    }
                    for s in found
                ],
            }
        )
        return 0
    note = "" if from_team else " (no team recorded: describe yours with allytui set teams/new ...)"
    say(f"Activity ideas for capacity {capacity.value}{note}")
    rows = []
    for s in found:
        names = ", ".join(g.name for g in s.groups[:SHOWN_GROUPS]) + (" …" if len(s.groups) > SHOWN_GROUPS else "")
        rows.append((s.idea.title, s.idea.for_whom, str(len(s.groups)), names or "-", "; ".join(s.existing)))
    print_table(["idea", "for", "fits", "groups that fit", "already planned"], rows, max_width=44)
    return 0
