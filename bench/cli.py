"""Command-line start-up: `allytui --help`, `show`, `set` and `list` on a large repo, against Python start-up.

    /work/main/.venv/bin/python bench/cli.py [--n 50000] [--reps 7] [--repo PATH] [--seed 1] [--keep]

A generated repo of --n records (or --repo, used as it is; `set` commits to it). Every run is a **fresh
process** timed from spawn to exit, files in the OS page cache, the record cache warm (one untimed run of
each first). Alternating in the same run:

- **python** (baseline): `python -c pass`, the interpreter's own start-up;
- **ls-files + python**: `python -c` running `git ls-files -s -z` (the least a start that learns every
  record's blob id costs);
- **--help**, **show** one group, **set** one group's influence (a commit), **list groups** (every group,
  as a table), **list people** and **summary** (a whole load, for comparison).

Targets (issue 11): --help under 0.15 s; show, set and list under 0.3 s at 50,000 records.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from common import alternate, arguments, ratio_table, scratch
from generate import generate_repo

ALLYTUI = [sys.executable, "-m", "allytui"]


def run_timed(command: list[str], cwd: Path) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start

    return run


def measure(root: Path, reps: int) -> None:
    group = sorted((root / "groups").glob("*.toml"))[0].stem
    influence = count()

    def set_once() -> float:
        value = next(influence) % 5 + 1
        return run_timed([*ALLYTUI, "set", f"groups/{group}", f"influence={value}"], root)()

    methods = {
        "python": run_timed([sys.executable, "-c", "pass"], root),
        "ls-files + python": run_timed(
            [
                sys.executable,
                "-c",
                "import subprocess; subprocess.run(['git', 'ls-files', '-s', '-z'], "
                "stdout=subprocess.DEVNULL, check=True)",
            ],
            root,
        ),
        "--help": run_timed([*ALLYTUI, "--help"], root),
        "show": run_timed([*ALLYTUI, "show", f"groups/{group}"], root),
        "set": set_once,
        "list groups": run_timed([*ALLYTUI, "list", "groups"], root),
        "list people": run_timed([*ALLYTUI, "list", "people"], root),
        "summary": run_timed([*ALLYTUI, "summary"], root),
    }
    counts = {kind: len(list((root / kind).rglob("*.toml"))) for kind in ("groups", "people")}
    print(f"{root}: {counts['groups']} groups, {counts['people']} people")
    ratio_table(alternate(methods, reps), "python", unit="s")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--repo", type=Path, help="an existing data repo (set commits to it)")
    args = parser.parse_args()
    if args.repo:
        measure(args.repo.resolve(), args.reps)
        return
    with scratch("cli", args.keep) as folder:
        root = folder / "repo"
        generate_repo(root, args.n, args.seed)
        measure(root, args.reps)


if __name__ == "__main__":
    main()
