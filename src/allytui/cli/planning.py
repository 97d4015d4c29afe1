"""`allytui shortlist` and `allytui gaps`: the guide's step 3 from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from allytui.cli.output import print_json, print_table, say
from allytui.model.shortlist import NATIONAL_WARNING, Score, gaps, numbered, rank
from allytui.store.repo import DataRepo


def _points(value: float) -> str:
    return f"{value:+.1f}"


def reasons_text(item: Score) -> str:
    """The reasons that add or take points, e.g. "similar aims (+2.0); influence 4 (+4.0)"; then what's unset."""
    parts = [f"{label} ({_points(points)})" for label, points in item.reasons if round(points, 1)]
    if item.missing:
        parts.append("not set: " + ", ".join(item.missing))
    if item.national:
        parts.insert(0, NATIONAL_WARNING)
    return "; ".join(parts)


def score_json(rank_number: int | None, item: Score) -> dict[str, Any]:
    group = item.group
    return {
        "rank": rank_number,
        "id": group.id,
        "name": group.name,
        "category": group.category.value,
        "stage": group.stage.value,
        "score": round(item.total, 2),
        "national_contact": group.national_contact,
        "reasons": [{"label": label, "points": round(points, 2)} for label, points in item.reasons],
        "missing": list(item.missing),
        "known_by": [{"member": a.member_id, "name": a.name, "via": list(a.via)} for a in item.known_by],
    }


def cmd_shortlist(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    ranked = rank(loaded.records, loaded.settings.shortlist)
    shown = ranked if args.all else [item for item in ranked if item.deciding]
    listing = numbered(shown)
    if args.json:
        print_json([score_json(n, item) for n, item in listing])
        return 0
    if not shown:
        say("No groups to rank." if not ranked else "No group is researched or shortlisted; --all ranks the rest.")
    else:
        rows = [
            [
                "-" if n is None else str(n),
                f"{item.total:.1f}",
                item.group.name,
                item.group.stage.value,
                reasons_text(item),
            ]
            for n, item in listing
        ]
        print_table(["rank", "score", "group", "stage", "reasons"], rows, max_width=500)
    left_out = len(ranked) - len(shown)
    say("")
    say(
        "Weights: [shortlist] in allytui.toml."
        + (f" {left_out} group(s) further on: --all shows them." if left_out else "")
    )
    if loaded.problems:
        say(f"({len(loaded.problems)} problem(s) in the repo: run allytui check)")
    return 0


def cmd_gaps(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    found = gaps(loaded.records)
    if args.json:
        print_json(
            [
                {
                    "category": g.category.value,
                    "groups": g.groups,
                    "past_researched": g.past_researched,
                    "contacted": g.contacted,
                    "in_conversation_or_allied": g.talking,
                    "declined": g.declined,
                    "gap": g.gap,
                }
                for g in found
            ]
        )
        return 0
    rows = [
        [g.category.value.replace("_", " "), str(g.groups), str(g.past_researched), str(g.talking), g.gap]
        for g in found
    ]
    print_table(["category", "groups", "past researched", "in conversation or allied", "gap"], rows)
    if loaded.problems:
        say(f"({len(loaded.problems)} problem(s) in the repo: run allytui check)")
    return 0
