"""Opening the app: from starting Python to the Groups table holding every row and answering keys.

    /work/main/.venv/bin/python bench/tui_open.py [--n 10000] [--groups 10000] [--others 100] [--reps 5]
                                                  [--seed 1] [--only mixed|groups] [--keep]

Two generated repos: "mixed", --n records in the usual mix (~5% groups, so 500 of 10,000), and
"groups", --groups groups plus --others other records (team, people, activities, conversations),
so the Groups table has --groups rows. For each, alternately, each run in a fresh Python process
(so no cache of an earlier run hides a cost; the files are in the OS page cache for both):

  (a) the floor: `DataRepo(root).load()` alone, timed inside the process around that call;
  (b) the app: from spawning the process to the Groups screen being interactive. The child starts
      Python, imports Textual and allytui (included in (b)), opens the repo, enters
      `AllytuiApp(repo).run_test(size=(80, 24))`, presses "2" at once (the load runs meanwhile in
      the app's worker), waits until the Groups RecordTable's `shown` holds every group and the
      screen is painted, then presses "down" and waits for the cursor to move and the screen to be
      painted (see tui_keys.py: keys are timed without the pilot's 20 ms idle waits).

  (c) issue 11's yardstick: Python started, then `git ls-files -s -z` read (every record's blob id).

The app child then waits for the problems between records (checked once the table is shown) and
reports its resident memory per record. One untimed warm-up of each first. Medians; the ratio is
(b) / (a). The app child also times, with wrappers put around a few src methods in that process only,
where its time goes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
TODAY = "2026-11-26"


# the child processes: import nothing heavy before the first time stamp


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc; else the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def child_floor(root: str) -> dict[str, Any]:
    stamps = {"start": time.time()}
    from allytui.store.repo import DataRepo

    stamps["imported"] = time.time()
    repo = DataRepo(Path(root))
    stamps["opened"] = time.time()
    start = time.perf_counter()
    if os.environ.get("BENCH_FIRST"):  # a first start's floor: every file parsed in one process, as in the app
        from allytui.store.loader import load_repo

        loaded = load_repo(Path(root), use_cache=False)
    else:
        loaded = repo.load()
    load_seconds = time.perf_counter() - start
    stamps["loaded"] = time.time()
    return {
        "stamps": stamps,
        "load": load_seconds,
        "count": loaded.count(),
        "problems": len(loaded.problems),
    }


def child_lsfiles(root: str) -> dict[str, Any]:
    """Issue 11's yardstick: Python started, then `git ls-files -s -z` (every record's blob id) read."""
    stamps = {"start": time.time()}
    listing = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=root, capture_output=True, check=True).stdout
    stamps["listed"] = time.time()
    return {"stamps": stamps, "count": listing.count(b"\0")}


def child_imports(root: str) -> dict[str, Any]:
    """What the app's process holds with everything imported and no record loaded: the base its memory grows from
    (the app child cannot say, as its records load while it imports)."""
    stamps = {"start": time.time()}
    from allytui.store.repo import DataRepo
    from allytui.tui.app import AllytuiApp  # noqa: F401
    from allytui.tui.screens.dashboard import DashboardScreen  # noqa: F401
    from allytui.tui.screens.groups import GroupsScreen  # noqa: F401

    DataRepo.open(Path(root))
    stamps["imported"] = time.time()
    return {"stamps": stamps, "rss": rss_mb()}


def child_app(root: str, expected: int, *, early_load: bool = True) -> dict[str, Any]:
    stamps = {"start": time.time()}
    import asyncio
    import datetime as dt
    import functools

    from allytui.store.repo import DataRepo

    repo = DataRepo.open(Path(root))
    stamps["repo_opened"] = time.time()
    try:
        from allytui.__main__ import make_app
    except ImportError:  # src from before the early load (run with PYTHONPATH=<an older checkout>/src)
        early_load = False
    if early_load:
        # as `allytui` does (allytui.__main__.make_app): the load begins in a thread, then Textual and the app are
        # imported while it runs
        app = make_app(repo)
        app.today = dt.date.fromisoformat(TODAY)
    else:  # (b') the load begins once the app is mounted, in its worker
        from allytui.tui.app import AllytuiApp

        app = AllytuiApp(repo, today=dt.date.fromisoformat(TODAY))
    early = getattr(app, "_early", None)
    stamps["textual_imported"] = time.time()
    from allytui.tui.app import AllytuiApp
    from allytui.tui.screens.dashboard import DashboardScreen
    from allytui.tui.screens.groups import GroupsScreen
    from allytui.tui.screens.record_list import RecordListScreen
    from allytui.tui.widgets.record_table import RecordTable
    from tui_keys import key_round_trip, settle_and_paint

    stamps["imported"] = time.time()
    memory = {"imported": rss_mb()}

    spent: dict[str, float] = {}
    calls: dict[str, int] = {}
    loaded_event = asyncio.Event()

    def wrap(cls: type, name: str, label: str, *, on_enter: Any = None, on_exit: Any = None) -> None:
        """Time every call of cls.name (defined on cls itself) under label; this process only."""
        original = cls.__dict__[name]

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if on_enter:
                on_enter()
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
                calls[label] = calls.get(label, 0) + 1
                if on_exit:
                    on_exit()

        setattr(cls, name, wrapper)  # Textual looks handlers up in each class's __dict__: this is enough

    def data_arrived() -> None:
        stamps.setdefault("data_arrived", time.time())

    def data_shown() -> None:
        stamps.setdefault("data_handled", time.time())
        loaded_event.set()

    wrap(DataRepo, "load", "DataRepo.load (worker thread)")
    wrap(AllytuiApp, "on_data_loaded", "App.on_data_loaded (all watchers)", on_enter=data_arrived, on_exit=data_shown)
    checks_later = "on_problems_checked" in AllytuiApp.__dict__  # not in src before the checks were put off
    if checks_later:
        wrap(
            AllytuiApp,
            "on_problems_checked",
            "App.on_problems_checked",
            on_exit=lambda: stamps.setdefault("checked", time.time()),
        )
    wrap(DashboardScreen, "_data_changed", "DashboardScreen._data_changed")
    wrap(GroupsScreen, "rows", "GroupsScreen.rows")
    wrap(RecordTable, "set_rows", "RecordTable.set_rows (every table)")
    wrap(RecordListScreen, "show_detail", "RecordListScreen.show_detail")
    from allytui.model.pathways import PathGraph

    wrap(PathGraph, "__init__", "  of which PathGraph (pathways graph, once per load)")
    try:  # the detail pane's index of who belongs with whom (src before it has none)
        from allytui.model.relations_index import RelationsIndex

        wrap(RelationsIndex, "_part", "  of which RelationsIndex parts built")
    except ImportError:
        pass
    wrap(RecordTable, "render_line", "RecordTable.render_line (every table)")

    result: dict[str, Any] = {"stamps": stamps, "spent": spent, "calls": calls, "memory": memory}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            stamps["mounted"] = time.time()
            result["key_2"] = await key_round_trip(
                pilot, "2", lambda: isinstance(app.screen, GroupsScreen) and app.screen.is_mounted, poll=0.005
            )
            stamps["groups_screen"] = time.time()
            await loaded_event.wait()
            if early is not None and early.ended:
                stamps["early_loaded"] = time.time() - (time.monotonic() - early.ended)
                spent["EarlyLoad (its thread, from before the imports)"] = early.ended - early.began
                calls["EarlyLoad (its thread, from before the imports)"] = 1
            table = app.screen.query_one(RecordTable)
            while len(table.shown) != expected:
                await asyncio.sleep(0.001)
            await settle_and_paint(pilot)
            stamps["table_full"] = time.time()
            before = table.cursor
            if expected:
                result["key_down"] = await key_round_trip(pilot, "down", lambda: table.cursor == before + 1)
            else:  # an empty table: a key that shows another screen instead
                result["key_down"] = await key_round_trip(
                    pilot, "1", lambda: isinstance(app.screen, DashboardScreen) and app.screen.is_mounted
                )
            stamps["interactive"] = time.time()
            memory["interactive"] = rss_mb()
            while checks_later and "checked" not in stamps:  # problems between records, found once shown
                await asyncio.sleep(0.01)
            stamps.setdefault("checked", stamps["interactive"])
            loaded = app.loaded
            assert loaded is not None
            result["count"] = loaded.count()
            result["problems"] = len(loaded.problems)
            result["rows"] = len(table.shown)

    asyncio.run(run())
    return result


def spawn(kind: str, root: Path, expected: int, *, first: bool = False, src: Path | None = None) -> dict[str, Any]:
    """Run one child; its time stamps come back relative to the moment it was spawned. first: with no record cache
    (the app's first start; the floor then parses every file in one process). src: allytui's source from there
    (an older checkout's src/), not this one's."""
    command = [sys.executable, str(Path(__file__).resolve()), f"--child-{kind}", str(root), str(expected)]
    env = {**os.environ, **({"BENCH_FIRST": "1"} if first else {}), **({"PYTHONPATH": str(src)} if src else {})}
    if first:
        (root / ".git" / "allytui" / "records.cache").unlink(missing_ok=True)
    spawned = time.time()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=BENCH_DIR, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["at"] = {name: stamp - spawned for name, stamp in result["stamps"].items()}
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(label: str, values: list[float], unit: str = "s", base: float | None = None) -> str:
    scale, fmt = (1000.0, ".0f") if unit == "ms" else (1.0, ".2f")
    text = f"  {label:<52}{median(values) * scale:>9{fmt}}{min(values) * scale:>9{fmt}}{max(values) * scale:>9{fmt}}"
    return text + (f"{median(values) / base:>8.2f}x" if base else "")


def report(
    name: str,
    count: int,
    rows: int,
    floors: list[dict[str, Any]],
    apps: list[dict[str, Any]],
    listings: list[dict[str, Any]],
    bases: list[dict[str, Any]],
) -> None:
    load = [f["load"] for f in floors]
    base = median(load)
    ready = [a["at"]["interactive"] for a in apps]
    print(f"\n{name}: {count} records, Groups table {rows} rows, {len(apps)} alternating runs of each, fresh processes")
    print(f"  {'':<52}{'median':>9}{'min':>9}{'max':>9}{'ratio':>9}")
    print(row("(a) floor: DataRepo(root).load() alone", load, base=base))
    print(row("    floor process: spawn to load() done", [f["at"]["loaded"] for f in floors], base=base))
    print("  app process, seconds after spawn:")
    for stamp, label in [
        ("start", "Python started (first line of the child)"),
        ("textual_imported", "repo opened, early load begun, app made (Textual imported)"),
        ("imported", "allytui imported"),
        ("mounted", "run_test entered (dashboard mounted)"),
        ("groups_screen", '"2" handled: Groups screen shown (empty)'),
        ("early_loaded", "records loaded (in the early load's thread)"),
        ("data_arrived", "records loaded, handed to the UI"),
        ("data_handled", "on_data_loaded done (all screens updated)"),
        ("table_full", f"Groups table holds {rows} rows, painted"),
        ("interactive", '(b) interactive: "down" moved the cursor, painted'),
        ("checked", "then: problems between records found, handled"),
    ]:
        print(row(f"  {label}", [a["at"][stamp] for a in apps], base=base))
    paired = median([a["at"]["interactive"] / f["load"] for f, a in zip(floors, apps, strict=True)])
    fastest = min(ready) / min(load)
    print(
        f"  (b) / (a) = {median(ready) / base:.2f}x (median of paired ratios {paired:.2f}x, fastest/fastest "
        f"{fastest:.2f}x); Python start-up and imports included in (b)"
    )
    imports = median([a["at"]["imported"] for a in apps])
    print(f"  (b) - (a) = {median(ready) - base:.2f} s, of which Python start-up + imports {imports:.2f} s")
    listed = median([entry["at"]["listed"] for entry in listings])
    print(
        f"  (c) Python started + git ls-files -s read: {listed:.3f} s; (b) / (c) = {median(ready) / listed:.1f}x "
        f"(issue 11: (b) <= 1 s and <= 2x (c))"
    )
    after = median([a["memory"]["interactive"] for a in apps])
    grown = (after - median([entry["rss"] for entry in bases])) * 1e3 / count
    print(
        f"  memory once interactive: {after:.0f} MB resident, {after * 1e3 / count:.1f} KB per record in all, "
        f"{grown:.1f} KB per record over a process with the same imports and no records"
    )
    print("  keys and the time spent in src, per run:")
    print(row('  "2" round trip (switch to Groups)', [a["key_2"] for a in apps], "ms"))
    print(row('  "down" round trip on the full table', [a["key_down"] for a in apps], "ms"))
    for label in apps[0]["spent"]:
        values = [a["spent"].get(label, 0.0) for a in apps]
        calls = median([a["calls"].get(label, 0) for a in apps])
        print(row(f"  {label} ×{calls:.0f}", values, "ms"))


def main(argv: list[str] | None = None) -> int:
    from common import arguments, scratch
    from generate import generate_repo, init_scratch_repo

    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--n", type=int, default=10_000, help="records in the mixed repo (default 10000)")
    parser.add_argument("--groups", type=int, default=10_000, help="groups in the groups repo (default 10000)")
    parser.add_argument("--others", type=int, default=100, help="other records in the groups repo (default 100)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--only", choices=["mixed", "groups"], help="one repo only")
    parser.add_argument(
        "--first", action="store_true", help="first starts: no record cache; the floor is a fresh parse in one process"
    )
    parser.add_argument(
        "--old-src", type=Path, help="also (e): the app from this older checkout's src/ (e.g. from before the cache)"
    )
    args = parser.parse_args(argv)

    from allytui.model.records import Kind

    with scratch("tui-open-", args.keep) as folder:
        repos = {}
        if args.only in (None, "mixed"):
            made = generate_repo(folder / "mixed", args.n, args.seed)
            repos["mixed"] = made
        if args.only in (None, "groups"):
            made = generate_repo(folder / "groups", args.groups + args.others, args.seed, groups=args.groups)
            repos["groups"] = made
        empty = folder / "empty"
        init_scratch_repo(empty)
        for name, made in repos.items():
            groups = len(made.ids[Kind.GROUPS])
            print(f"{name}: {made.count} records ({groups} groups), generated in {made.seconds['total']:.1f} s")

        results: dict[str, tuple[list[dict[str, Any]], ...]] = {n: ([], [], [], [], [], [], []) for n in repos}
        for rep in range(args.reps + 1):  # rep 0 is the warm-up
            for name, made in repos.items():
                expected = len(made.ids[Kind.GROUPS])
                order = ["lsfiles", "floor", "app", "imports", "late", "empty"] + (["old"] if args.old_src else [])
                if rep % 2:
                    order.reverse()
                for kind in order:
                    if kind == "empty":
                        if rep:
                            results[name][5].append(spawn("app", empty, 0))
                        continue
                    if kind == "old":
                        old = spawn("late", made.root, expected, first=args.first, src=args.old_src / "src")
                        if rep:
                            results[name][6].append(old)
                        continue
                    result = spawn(kind, made.root, expected, first=args.first)
                    if kind in ("lsfiles", "imports", "late"):
                        if rep:
                            results[name][{"lsfiles": 2, "imports": 3, "late": 4}[kind]].append(result)
                        continue
                    if result["count"] != made.count or result["problems"]:
                        raise RuntimeError(f"{kind}: {result['count']} records, {result['problems']} problems")
                    if rep:
                        results[name][0 if kind == "floor" else 1].append(result)
            print(f"run {rep or 'warm-up'} done", file=sys.stderr)

        for name, made in repos.items():
            floors, apps, listings, bases, lates, empties, olds = results[name]
            report(name, made.count, len(made.ids[Kind.GROUPS]), floors, apps, listings, bases)
            late = [a["at"]["interactive"] for a in lates]
            ready = median([a["at"]["interactive"] for a in apps])
            print(row("(b') the same with the load begun once mounted", late, base=ready))
            floor = [a["at"]["interactive"] for a in empties]
            print(row("(d) the app on an empty repo, Groups table taking a key", floor, base=ready))
            print(f"  (b) / (d) = {ready / median(floor):.2f}x: what the records add to the app's own start")
            if olds:
                before = [a["at"]["interactive"] for a in olds]
                print(row(f"(e) the app from {args.old_src}", before, base=ready))
    return 0


if __name__ == "__main__":
    children = ("--child-floor", "--child-app", "--child-lsfiles", "--child-imports", "--child-late")
    if len(sys.argv) == 4 and sys.argv[1] in children:
        sys.path.insert(0, str(BENCH_DIR))
        if sys.argv[1] == "--child-lsfiles":
            output = child_lsfiles(sys.argv[2])
        elif sys.argv[1] == "--child-imports":
            output = child_imports(sys.argv[2])
        elif sys.argv[1] == "--child-late":
            output = child_app(sys.argv[2], int(sys.argv[3]), early_load=False)
        elif sys.argv[1] == "--child-floor":
            output = child_floor(sys.argv[2])
        else:
            output = child_app(sys.argv[2], int(sys.argv[3]))
        print(json.dumps(output))
        sys.exit(0)
    sys.exit(main())
