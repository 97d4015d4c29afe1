"""Loading a data repo: allytui's load_repo against the floor of read + tomllib + model_validate.

    /work/main/.venv/bin/python bench/load.py [--n 10000] [--reps 7] [--seed 1] [--keep]

The floor is a bare loop over the same record files (listed with os.scandir): read_bytes,
tomllib.loads, Model.model_validate, keeping every record in a dict as load_repo does. Each run
reads and parses every file afresh (the files are in the OS page cache for both). The two are
run alternately in one process, after one untimed warm-up of each; medians are reported.
Target: load_repo within 1.5x of the floor.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

from allytui.model.records import Kind, Record
from allytui.store.loader import load_repo
from common import arguments, ratio_table, scratch, timed
from common import ratio as median_ratio
from generate import generate_repo

TARGET = 1.5


def record_files(root: Path) -> list[tuple[type[Record], str, str]]:
    """(model, id, path) of every record file, listed with os.scandir like the loader does."""
    found = []
    for kind in Kind:
        folder = root / kind.value
        if not folder.is_dir():
            continue
        folders = [folder]
        if kind is Kind.CONVERSATIONS:
            folders = [Path(e.path) for e in sorted(os.scandir(folder), key=lambda e: e.name) if e.is_dir()]
        for sub in folders:
            for entry in sorted(os.scandir(sub), key=lambda e: e.name):
                if entry.name.endswith(".toml"):
                    found.append((kind.model, entry.name[:-5], entry.path))
    return found


def floor(root: Path) -> dict[str, Record]:
    """The least work any loader must do: list, read, parse and validate every file."""
    records = {}
    for model, record_id, path in record_files(root):
        with open(path, "rb") as handle:
            data = tomllib.loads(handle.read().decode("utf-8"))
        data["id"] = record_id
        records[path] = model.model_validate(data)
    return records


def floor_split(root: Path) -> dict[str, float]:
    """One floor pass with each step timed apart (list, read, parse, validate), in seconds."""
    spent = dict.fromkeys(("list", "read", "parse", "validate"), 0.0)
    clock = time.perf_counter
    t = clock()
    files = record_files(root)
    spent["list"] = clock() - t
    for model, record_id, path in files:
        t0 = clock()
        with open(path, "rb") as handle:
            raw = handle.read()
        t1 = clock()
        data = tomllib.loads(raw.decode("utf-8"))
        t2 = clock()
        data["id"] = record_id
        model.model_validate(data)
        t3 = clock()
        spent["read"] += t1 - t0
        spent["parse"] += t2 - t1
        spent["validate"] += t3 - t2
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="records in the repo (default 10000)")
    parser.add_argument("--reps", type=int, default=7, help="timed runs of each (default 7)")
    args = parser.parse_args(argv)

    with scratch("load-", args.keep) as folder:
        made = generate_repo(folder / "repo", args.n, args.seed)
        root = made.root
        print(f"repo: {made.count} records, generated in {made.seconds['total']:.1f} s")

        loaded = load_repo(root)  # warm-up, and the check that the data is clean
        if loaded.problems or loaded.count() != made.count:
            print(f"load_repo found {len(loaded.problems)} problems, {loaded.count()} records:")
            for problem in loaded.problems[:10]:
                print(f"  {problem}")
            return 1
        del loaded
        floor(root)

        times: dict[str, list[float]] = {"floor": [], "load_repo": []}
        for _ in range(args.reps):
            seconds, result = timed(lambda: floor(root), collect=True)
            assert len(result) == made.count
            times["floor"].append(seconds)
            del result
            seconds, result = timed(lambda: load_repo(root), collect=True)
            assert result.count() == made.count and not result.problems
            times["load_repo"].append(seconds)
            del result
        split = floor_split(root)

        print(f"\nload {made.count} records, {args.reps} alternating runs each, medians (load_repo: 0 problems)")
        ratio_table(times, "floor", unit="s", width=12)
        per_record = {name: statistics.median(values) / made.count * 1e6 for name, values in times.items()}
        print("µs/record: " + ", ".join(f"{name} {value:.0f}" for name, value in per_record.items()))
        ratio = median_ratio(times, "load_repo", "floor")
        verdict = "meets" if ratio <= TARGET else "MISSES"
        paired = statistics.median(b / a for a, b in zip(times["floor"], times["load_repo"], strict=True))
        print(
            f"load_repo / floor = {ratio:.2f}x ({verdict} the {TARGET}x target); median of paired ratios {paired:.2f}x"
        )
        print("floor split (one run): " + ", ".join(f"{k} {v:.3f} s" for k, v in split.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
