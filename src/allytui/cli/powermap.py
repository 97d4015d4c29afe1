"""`allytui map`: the power map as a text grid, as SVG for slides, or as JSON placements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from allytui.cli.output import print_json, say
from allytui.cli.tables import terminal_width
from allytui.model.powermap import MapFilter, marks, only, unplaced
from allytui.render.powermap import column_width_for, to_json, to_svg, to_text
from allytui.store.atomic import write_atomic
from allytui.store.repo import DataRepo


def map_filter(args: argparse.Namespace) -> MapFilter:
    return MapFilter.of(
        kinds=() if args.kind == "all" else (args.kind,),
        stages=args.stage or (),
        categories=args.category or (),
        tags=args.tag or (),
        exact=True,
    )


def filter_note(args: argparse.Namespace) -> str:
    parts = [] if args.kind == "all" else [f"kind {args.kind}"]
    for name, values in (("stage", args.stage), ("category", args.category), ("tag", args.tag)):
        if values:
            parts.append(f"{name} {' or '.join(values)}")
    return "only " + ", ".join(parts) if parts else ""


def cmd_map(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    wanted = map_filter(args)
    placed = only(marks(loaded.records), wanted)
    left_off = [entry for entry in unplaced(loaded.records) if wanted.matches(entry)]
    note = filter_note(args)
    title = f"Power map: {loaded.settings.name or repo.root.name}"
    if args.svg:
        path = Path(args.svg)
        write_atomic(path, to_svg(placed, title=title, note=note).encode("utf-8"))
        say(f"wrote {path} ({len(placed)} on the map)", sys.stderr if args.json else None)
    if args.json:
        print_json(to_json(placed, left_off, note))
    elif not args.svg:
        width = terminal_width()  # None when piped: the grid as wide as it always was
        text = (
            to_text(placed, title=title, note=note, left_off=left_off)
            if width is None
            else to_text(
                placed,
                title=title,
                note=note,
                left_off=left_off,
                column_width=column_width_for(width),
                line_width=width,
            )
        )
        for line in text.splitlines():
            say(line)
    if loaded.problems:
        say(f"note: {len(loaded.problems)} file(s) with problems are not on the map; run allytui check", sys.stderr)
    return 0
