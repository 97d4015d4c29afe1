"""The record cache: a second start's load against a fresh parse and against `git ls-files -s` + Python start-up.

    /work/main/.venv/bin/python bench/cache.py [--sizes 10000,50000] [--reps 3] [--formats] [--seed 1] [--keep]

For each size, a generated repo; every run is a **fresh Python process** timed from spawn to exit
(so Python start-up and allytui's imports are in every figure; files in the OS page cache):

- **ls-files + python** (baseline): `python -c` that runs `git ls-files -s -z` and exits: the least a
  start that learns every record's blob id can cost;
- **second start**: `load_repo(root)` with the cache written by an earlier start;
- **first start**: the cache file removed first, so `load_repo` parses every file and writes the cache
  (in one process, as the app does: it loads in a thread, which never forks);
- **first, all cores**: the same with worker processes on every core, as the command line does;
- **fresh parse**: `load_repo(root, use_cache=False)`, every file parsed (allytui before the cache);
- **check, all cores**: the same parsing in worker processes on every core, as `allytui check` does.

The six alternate after one untimed warm-up of each. Each child also reports its own maximum RSS,
shown per record. `--formats` adds, in this process at the smallest size, the serialisations the
cache could use: pickle of the validated models (what it uses), and pickle or msgspec (when
installed) of the parsed TOML tables, which must then be validated again.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from allytui.model.records import Kind
from allytui.store.codec import parse
from allytui.store.loader import _files, load_repo, read_file
from allytui.store.record_cache import CACHE_NAME
from common import BENCH_DIR, alternate, arguments, ratio_table, scratch
from generate import generate_repo

CHILD = """
import json, resource, sys, time
from pathlib import Path
from allytui.store.loader import available_cores, load_repo
mode = sys.argv[2]
workers = available_cores() if mode.endswith("parallel") else 1
loaded = load_repo(Path(sys.argv[1]), use_cache=mode.startswith("cache"), workers=workers)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"count": loaded.count(), "parsed": loaded.parsed, "problems": len(loaded.problems),
                  "rss_kb": usage.ru_maxrss}))
"""
LS_FILES = """
import subprocess, sys
subprocess.run(["git", "ls-files", "-s", "-z"], cwd=sys.argv[1], stdout=subprocess.DEVNULL, check=True)
"""


def frozen_source(folder: Path) -> dict[str, str]:
    """The environment of a child that imports a copy of allytui's source taken now: the cache's fingerprint
    covers the models' source, so an edit to it in the work tree during a run would empty the cache."""
    shutil.copytree(BENCH_DIR.parent / "src" / "allytui", folder / "src" / "allytui")
    return {**os.environ, "PYTHONPATH": str(folder / "src")}


CHILD_ENV: dict[str, str] | None = None


def spawn(script: str, *args: str) -> tuple[float, dict[str, Any]]:
    """Seconds from spawning `python -c script args` to its exit, and the JSON it printed (if any)."""
    start = time.perf_counter()
    command = [sys.executable, "-c", script, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=CHILD_ENV)
    seconds = time.perf_counter() - start
    return seconds, json.loads(done.stdout) if done.stdout.strip() else {}


def measure(root: Path, count: int, reps: int) -> None:
    cache = root / ".git" / "allytui" / CACHE_NAME
    reports: dict[str, list[dict[str, Any]]] = {name: [] for name in ("second start", "first start", "fresh parse")}
    reports["first, all cores"] = []
    reports["check, all cores"] = []

    def child(name: str, mode: str) -> Callable[[], float]:
        def run() -> float:
            if name.startswith("first"):
                cache.unlink(missing_ok=True)
            seconds, report = spawn(CHILD, str(root), mode)
            assert report["count"] == count and report["problems"] == 0, report
            reports[name].append(report)
            return seconds

        return run

    methods = {
        "ls-files + python": lambda: spawn(LS_FILES, str(root))[0],
        "first start": child("first start", "cache"),
        "first, all cores": child("first, all cores", "cache-parallel"),
        "second start": child("second start", "cache"),
        "fresh parse": child("fresh parse", "fresh"),
        "check, all cores": child("check, all cores", "parallel"),
    }
    times = alternate(methods, reps)
    print(f"\n{count} records, {reps} alternating runs each (after a warm-up), each a fresh process")
    ratio_table(times, "ls-files + python", unit="s", width=20)
    parsed = {name: [r["parsed"] for r in rs] for name, rs in reports.items()}
    assert set(parsed["second start"]) == {0} and set(parsed["first, all cores"]) == {count}, parsed
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"second start / fresh parse = {median['second start'] / median['fresh parse']:.3f}x; "
        f"first start / fresh parse = {median['first start'] / median['fresh parse']:.2f}x "
        f"(all cores {median['first, all cores'] / median['fresh parse']:.2f}x); "
        f"check, all cores / fresh parse = {median['check, all cores'] / median['fresh parse']:.2f}x; "
        f"cache file {cache.stat().st_size / 1e6:.1f} MB ({cache.stat().st_size / count:.0f} B/record)"
    )
    rss = {name: statistics.median(r["rss_kb"] for r in rs) for name, rs in reports.items()}
    print(
        "max RSS: "
        + ", ".join(f"{name} {kb / 1024:.0f} MB ({kb * 1024 / count / 1000:.1f} KB/record)" for name, kb in rss.items())
    )


def best(run: Callable[[], Any], reps: int = 3) -> tuple[float, Any]:
    """The fastest of reps runs (garbage collected before each, untimed), and the last result."""
    fastest, result = float("inf"), None
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter()
        result = run()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def formats(root: Path) -> None:
    """What each serialisation the cache could use costs to write and to read back into records."""
    loaded = load_repo(root, use_cache=False)
    models = {f"{k.value}/{r.id}": r for k in Kind for r in loaded.records[k].values()}
    tables = [(kind, rid, parse(read_file(root / rel))) for kind in Kind for rel, rid in _files(root, kind, [])]
    print(f"\nserialisations, {len(models)} records, best of 3, gc held off while reading as the cache does")
    print(f"{'format':<40}{'write ms':>10}{'read ms':>10}{'validate ms':>13}{'MB':>7}")

    def row(name: str, write: float, read: float, validate: float | None, size: int) -> None:
        shown = f"{validate * 1e3:>13.1f}" if validate is not None else f"{'-':>13}"
        print(f"{name:<40}{write * 1e3:>10.1f}{read * 1e3:>10.1f}{shown}{size / 1e6:>7.1f}")

    def quiet(run: Callable[[], Any]) -> Callable[[], Any]:
        def held() -> Any:
            gc.disable()
            try:
                return run()
            finally:
                gc.enable()

        return held

    write, blob = best(lambda: pickle.dumps(models, protocol=5))
    read, back = best(quiet(lambda: pickle.loads(blob)))
    assert back == models
    row("pickle: validated models (chosen)", write, read, None, len(blob))
    gc_on, _ = best(lambda: pickle.loads(blob), 1)
    print(f"{'  the same read with the gc running':<40}{'':>10}{gc_on * 1e3:>10.1f}")
    validate, _ = best(quiet(lambda: [k.model.model_validate({**d, "id": i}) for k, i, d in tables]), 1)
    write, blob = best(lambda: pickle.dumps(tables, protocol=5))
    read, _ = best(quiet(lambda: pickle.loads(blob)))
    row("pickle: TOML tables, then validate", write, read, validate, len(blob))
    try:
        import msgspec
    except ImportError:
        print("msgspec: not installed (pip install msgspec to compare it)")
        return
    plain = [(k.value, i, d) for k, i, d in tables]  # dates become strings: a lower bound on a real decoder
    write, blob = best(lambda: msgspec.msgpack.encode(plain))
    read, _ = best(quiet(lambda: msgspec.msgpack.decode(blob)))
    row("msgspec msgpack: TOML tables, validate", write, read, validate, len(blob))


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--sizes", default="10000,50000", help="records in each repo (default 10000,50000)")
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--formats", action="store_true", help="also compare serialisations at the smallest size")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    global CHILD_ENV
    with scratch("cache-", args.keep) as folder:
        CHILD_ENV = frozen_source(folder)
        for size in sizes:
            made = generate_repo(folder / f"repo-{size}", size, args.seed)
            print(f"repo: {made.count} records, generated in {made.seconds['total']:.1f} s")
            measure(made.root, made.count, args.reps)
            if args.formats and size == min(sizes):
                formats(made.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
