"""Whole columns: the cost of measuring the widest date and number cells when the Groups list gets its rows.

    /work/main/.venv/bin/python bench/table_widths.py [--groups 10000] [--reps 7] [--seed 1]

Made in memory (no repo, nothing written): --groups groups with names, stages, influence, alignment and a
next action due on a random day. The baseline is building the Groups list's rows (rows.group_rows), which
every reload already does; timed alternately with rows.sized_to on those rows (the table widening its whole
columns, Inf, Aln and Due, to their widest cell), which RecordTable.set_rows now adds. Filtering does not
measure again. Target: a small fraction of building the rows.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable

from allytui.model.enums import Category, Stage
from allytui.model.records import Group, Kind, Record
from allytui.model.relations import RecordIndex
from allytui.tui.rows import GROUP_COLUMNS, Row, group_rows, sized_to
from common import alternate, arguments, ratio, ratio_table, timed
from generate import GROUP_TYPES, GROUP_WORDS

TODAY = dt.date(2026, 12, 3)


def index_of(groups: int, seed: int) -> RecordIndex:
    rng = random.Random(seed)
    found: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for n in range(groups):
        group = Group(
            id=f"group-{n:05d}",
            name=f"{rng.choice(GROUP_WORDS)} {rng.choice(GROUP_TYPES)} {n}",
            category=rng.choice(list(Category)),
            stage=rng.choice(list(Stage)),
            influence=rng.randint(1, 5),
            alignment=rng.randint(-2, 2),
            next_action="Write again" if n % 3 else "",
            next_action_due=TODAY + dt.timedelta(days=rng.randint(-900, 90)) if n % 3 else None,
        )
        found[Kind.GROUPS][group.id] = group
    return found


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    index = index_of(args.groups, args.seed)
    rows: list[Row] = group_rows(index, TODAY)

    def build() -> float:
        return timed(lambda: group_rows(index, TODAY), collect=True)[0]

    def measure() -> float:
        return timed(lambda: sized_to(GROUP_COLUMNS, rows), collect=True)[0]

    methods: dict[str, Callable[[], float]] = {"group_rows (base)": build, "sized_to": measure}
    print(f"{args.groups} groups, {args.reps} runs each, alternately")
    times = alternate(methods, args.reps)
    ratio_table(times, "group_rows (base)")
    print(f"sized_to adds {ratio(times, 'sized_to', 'group_rows (base)'):.0%} to building the rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
