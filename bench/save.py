"""Saving one changed record: DataRepo.save against a bare `git add FILE && git commit -m MSG`.

    /work/main/.venv/bin/python bench/save.py [--n 50000] [--reps 15] [--gitpython-reps 3]
                                              [--small 10000] [--seed 1] [--keep]

In a generated repo of N records (and, unless --small 0, also one of 10,000), each repetition
changes one field (next_action) of a different group:
  - DataRepo.save: the whole call, i.e. validate + write (fsync) + commit with git plumbing;
  - git CLI: the file is rewritten untimed, then `git add FILE` and `git commit -m MSG` are
    timed (two subprocess calls), the baseline;
  - GitPython index (reference, fewer repetitions, run last since it rewrites the index without
    its extensions): the file is rewritten untimed, then `repo.index.add([FILE])` and
    `repo.index.commit(MSG)` are timed, on a freshly opened git.Repo.
DataRepo.save and git CLI alternate, after two untimed warm-ups of each; medians are reported.
Target: DataRepo.save within 1.3x of the git CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git

from allytui.model.records import Group, Kind
from allytui.store.codec import dump_record
from allytui.store.layout import record_path
from allytui.store.repo import DataRepo
from common import alternate, arguments, ratio_table, scratch
from common import ratio as median_ratio
from generate import Generated, generate_repo

TARGET = 1.3
WARMUPS = 2


class Bench:
    """One generated repo, and a supply of groups to change (a different one each time)."""

    def __init__(self, made: Generated) -> None:
        self.made = made
        self.root = made.root
        self.repo = DataRepo.open(made.root)
        self.groups = list(made.ids[Kind.GROUPS])
        self.turn = 0

    def changed_group(self) -> tuple[Group, str]:
        """The next group, read from disk with one field changed, and its repo-relative path."""
        group_id = self.groups[self.turn % len(self.groups)]
        self.turn += 1
        group = self.repo.read(Kind.GROUPS, group_id)
        assert isinstance(group, Group)
        group.next_action = f"Bench change number {self.turn}: phone the chair back."
        return group, record_path(Kind.GROUPS, group_id)

    def save(self) -> float:
        group, _ = self.changed_group()
        start = time.perf_counter()
        commit = self.repo.save(group)
        seconds = time.perf_counter() - start
        assert commit is not None
        return seconds

    def git_cli(self) -> float:
        group, rel = self.changed_group()
        (self.root / rel).write_text(dump_record(group), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(["git", "add", rel], cwd=self.root, check=True)
        subprocess.run(["git", "commit", "-q", "-m", f"group {group.id}: next_action"], cwd=self.root, check=True)
        return time.perf_counter() - start

    def gitpython_index(self) -> float:
        group, rel = self.changed_group()
        (self.root / rel).write_text(dump_record(group), encoding="utf-8")
        repo = git.Repo(self.root)
        start = time.perf_counter()
        repo.index.add([rel])
        repo.index.commit(f"group {group.id}: next_action")
        seconds = time.perf_counter() - start
        repo.close()
        return seconds

    def check_clean(self) -> None:
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout
        if status.strip():
            raise SystemExit(f"work tree not clean after the runs:\n{status[:2000]}")


class Breakdown:
    """Where DataRepo.save's time goes: each git command it runs (through GitPython) and fsync."""

    current: Breakdown | None = None  # the one collecting, while a save runs

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.saves = 0
        self.total = 0.0
        _install_timers()

    def add(self, name: str, seconds: float) -> None:
        self.spent.setdefault(name, []).append(seconds)

    def wrap(self, save: Callable[[], float]) -> Callable[[], float]:
        def timed_save() -> float:
            Breakdown.current = self
            try:
                seconds = save()
            finally:
                Breakdown.current = None
            self.saves += 1
            self.total += seconds
            return seconds

        return timed_save

    def report(self) -> None:
        if not self.saves:
            return
        print(f"where DataRepo.save's time goes, mean per save over {self.saves} saves (warm-ups included)")
        print(f"{'step':<24}{'calls':>6}{'ms':>8}")
        accounted = 0.0
        for name, values in sorted(self.spent.items(), key=lambda item: -sum(item[1])):
            accounted += sum(values)
            print(f"{name:<24}{len(values) / self.saves:>6.1f}{sum(values) / self.saves * 1e3:>8.2f}")
        rest = (self.total - accounted) / self.saves
        print(f"{'everything else':<24}{'':>6}{rest * 1e3:>8.2f}")
        print(f"{'total':<24}{'':>6}{self.total / self.saves * 1e3:>8.2f}\n")


_installed: list[bool] = []


def _install_timers() -> None:
    """Wrap GitPython's Git.execute and os.fsync (once) to time them while a save runs."""
    if _installed:
        return
    _installed.append(True)
    execute = git.cmd.Git.execute
    fsync = os.fsync

    def timed_execute(self: git.cmd.Git, command: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(self, command, *args, **kwargs)
        finally:
            if Breakdown.current is not None:
                Breakdown.current.add(_git_name(command), time.perf_counter() - start)

    def timed_fsync(fd: int) -> None:
        start = time.perf_counter()
        try:
            fsync(fd)
        finally:
            if Breakdown.current is not None:
                Breakdown.current.add("os.fsync", time.perf_counter() - start)

    git.cmd.Git.execute = timed_execute  # type: ignore[method-assign]
    os.fsync = timed_fsync


def _git_name(command: Any) -> str:
    words = [str(word) for word in command] if isinstance(command, list | tuple) else str(command).split()
    words = [word for word in words[1:] if not word.startswith("-") and "=" not in word]
    return "git " + (words[0] if words else "?")


def run_size(
    n: int, reps: int, gitpython_reps: int, seed: int, folder: Path
) -> tuple[dict[str, list[float]], Breakdown]:
    made = generate_repo(folder / f"repo-{n}", n, seed)
    print(
        f"repo: {made.count} records ({len(made.ids[Kind.GROUPS])} groups), generated in {made.seconds['total']:.1f} s"
    )
    bench = Bench(made)
    breakdown = Breakdown()
    times = alternate(
        {"DataRepo.save": breakdown.wrap(bench.save), "git add + commit": bench.git_cli}, reps, warmups=WARMUPS
    )
    if gitpython_reps:
        bench.gitpython_index()  # warm-up
        times["GitPython index"] = [bench.gitpython_index() for _ in range(gitpython_reps)]
    bench.check_clean()
    return times, breakdown


def report(n: int, times: dict[str, list[float]]) -> float:
    print(f"\none changed group committed, {n} records, medians")
    ratio_table(times, "git add + commit", width=20)
    ratio = median_ratio(times, "DataRepo.save", "git add + commit")
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"DataRepo.save / git add + commit = {ratio:.2f}x ({verdict} the {TARGET}x target)\n")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--n", type=int, default=50_000, help="records in the main repo (default 50000)")
    parser.add_argument("--small", type=int, default=10_000, help="records in a second repo; 0 to skip")
    parser.add_argument("--reps", type=int, default=15, help="timed saves of each method (default 15)")
    parser.add_argument("--gitpython-reps", type=int, default=3, help="timed GitPython commits; 0 to skip")
    args = parser.parse_args(argv)

    sizes = sorted({args.small, args.n} - {0})
    with scratch("save-", args.keep) as folder:
        for size in sizes:
            # GitPython is quick enough for a few more runs in a small repo
            gitpython_reps = (
                max(args.gitpython_reps, 5) if args.gitpython_reps and size <= 20_000 else args.gitpython_reps
            )
            times, breakdown = run_size(size, args.reps, gitpython_reps, args.seed, folder)
            report(size, times)
            breakdown.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
