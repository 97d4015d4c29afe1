"""Duplicate detection: `allytui dupes` over 10,000 people and 5,000 groups, against loading the same repo.

    /work/main/.venv/bin/python bench/dupes.py [--people 10000] [--groups 5000] [--reps 5] [--seed 1] [--keep]

The repo holds one team, G groups and P people made from generate.py's word lists: group names
from 20 places x 18 kinds of group in 8 areas (so many groups share a name, as after careless
imports), websites of their own except 1% that share a domain with another; people named from 40
first x 30 last names, each in one or two groups, with plain contact details (1% sharing an email
with someone else, 1% a phone number written differently). The baseline is load_repo of the same
repo (every file parsed, no record cache), run alternately with find_duplicates on the loaded
records (and on the groups with their areas taken away, the worst case: every name compared
with every other); medians are reported. Target: find_duplicates under 2 s for 10,000 people and 5,000 groups.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from allytui.model.duplicates import find_duplicates
from allytui.model.records import Group, Kind, Person, Record, Team
from allytui.store.codec import dump_record
from allytui.store.layout import path_of
from allytui.store.loader import Loaded, load_repo
from common import alternate, arguments, git, ratio_table, scratch, timed
from generate import AREAS, FIRST_NAMES, GROUP_TYPES, GROUP_WORDS, LAST_NAMES, init_scratch_repo

TARGET_SECONDS = 2.0


def records(people: int, groups: int, seed: int) -> list[Record]:
    """The team, the groups and the people, with some duplicates planted as described above."""
    rng = random.Random(seed)
    made: list[Record] = [Team(id="our-team", name="Our team")]
    group_ids = [f"group-{n:05d}" for n in range(groups)]
    for n, gid in enumerate(group_ids):
        shared = n > 0 and rng.random() < 0.01
        website = f"https://{group_ids[n - 1] if shared else gid}.example.org/{n}"
        name = f"{rng.choice(GROUP_WORDS)} {rng.choice(GROUP_TYPES)}"
        made.append(Group(id=gid, name=name, category="other", area=rng.choice(AREAS), website=website))
    for n in range(people):
        email, phone = f"p{n}@example.net", f"07700 9{n:05d}"
        if n > 0 and rng.random() < 0.01:
            email = f"P{n - 1}@Example.net"
        elif n > 0 and rng.random() < 0.01:
            phone = f"+44 7700 9{n - 1:05d}"
        made.append(
            Person(
                id=f"person-{n:05d}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                groups=rng.sample(group_ids, rng.randint(1, 2)),
                contact={"email": email, "phone": phone},
            )
        )
    return made


def write_repo(root: Path, made: list[Record]) -> None:
    """The records as allytui writes them, in one commit."""
    init_scratch_repo(root)
    for record in made:
        path = root / path_of(record)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump_record(record).encode())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"bench: {len(made)} records")


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    with scratch("dupes-", args.keep) as folder:
        root = folder / "repo"
        seconds, _ = timed(lambda: write_repo(root, records(args.people, args.groups, args.seed)))
        print(f"repo: {args.people} people, {args.groups} groups, made in {seconds:.1f} s")
        loaded: list[Loaded] = []

        def load() -> float:
            spent, result = timed(lambda: load_repo(root, use_cache=False), collect=True)
            assert not result.problems, result.problems[:3]
            loaded[:] = [result]
            return spent

        def dupes(kinds: tuple[Kind, ...]) -> float:
            index = loaded[0].records
            spent, found = timed(lambda: find_duplicates(index, kinds), collect=True)
            counts[kinds] = len(found)
            return spent

        counts: dict[tuple[Kind, ...], int] = {}
        unplaced: dict[str, Record] = {}

        def dupes_no_area() -> float:
            if not unplaced:  # the worst case: no group has an area, so every name is compared with every other
                for gid, group in loaded[0].records[Kind.GROUPS].items():
                    unplaced[gid] = group.model_copy(update={"area": ""})
            spent, found = timed(lambda: find_duplicates({Kind.GROUPS: unplaced}, (Kind.GROUPS,)), collect=True)
            counts[(Kind.GROUPS, Kind.GROUPS)] = len(found)
            return spent

        times = alternate(
            {
                "load_repo (baseline)": load,
                "dupes groups": lambda: dupes((Kind.GROUPS,)),
                "dupes people": lambda: dupes((Kind.PEOPLE,)),
                "dupes (both)": lambda: dupes((Kind.GROUPS, Kind.PEOPLE)),
                "dupes groups, no areas": dupes_no_area,
            },
            args.reps,
        )
        print(f"\n{args.reps} alternating runs each, after one warm-up; medians")
        ratio_table(times, "load_repo (baseline)", unit="s")
        both = sorted(times["dupes (both)"])[len(times["dupes (both)"]) // 2]
        names = {(Kind.GROUPS, Kind.GROUPS): "groups with no area"}
        found = ", ".join(f"{names.get(k) or '+'.join(x.value for x in k)} {n}" for k, n in counts.items())
        print(f"pairs found: {found}")
        verdict = "meets" if both <= TARGET_SECONDS else "MISSES"
        print(f"dupes over both: {both:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
