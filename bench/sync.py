"""Syncing: allytui's `sync` against bare `git pull`, for a fast-forward and for a field-by-field merge.

    /work/main/.venv/bin/python bench/sync.py [--n 5000] [--commits 1000] [--local 100] [--reps 5]
                                              [--seed 1] [--keep]

Setup (untimed): a generated data repo of N records is A's clone; a bare repo on local disk is the
shared remote; B is cloned with allytui's `clone`. A then makes --commits commits (one field,
`outcome`, of a different conversation each; written with `git fast-import`, as quick as it gets)
and pushes them. Two B folders are prepared: B as cloned (for the fast-forward), and B with
--local commits of its own that change another field (`cares_about`) of --local of the same
conversations (for the merge).

Every timed run starts from the prepared B (untimed: a fresh copy of its .git, the work tree reset
to match and the index refreshed), so each fetch really transfers the objects, and the shared
remote's branch is put back on A's tip afterwards. Methods, alternating, after one untimed warm-up
each (which also checks the outcome):

  (a) git pull               fast-forward: `git pull` in B (pull.rebase=false, as `clone` sets);
  (b) allytui sync           the same fast-forward: `sync(DataRepo.open(B))`, in-process;
  (c) allytui sync, merge    B has its own commits: fetch, merge every record both sides changed
                             field by field, commit the merge, push it;
  (d) git pull + push, line merge (the baseline for c): the same with git alone, i.e.
                             `git pull --no-rebase --no-edit` then `git push`, with git's line merge
                             for *.toml (set in .git/info/attributes, overriding the repo's
                             `*.toml merge=binary`). The two fields are 5 lines apart, so git merges
                             all of them cleanly here; fields on neighbouring lines would conflict;
  (e) git pull, merge=binary (reference): `git pull --no-rebase` with the repo's .gitattributes as
                             they are: it stops with every record changed on both sides in conflict,
                             commits and pushes nothing, so it does less work than (c).

After the warm-up of (c) the merged B is checked: `load_repo` finds no problems, every one of A's
changes and every one of B's is in the records, the work tree is clean, and the shared branch is
B's merge commit. Medians are reported, with b/a and c/d; then where sync's time goes.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git as gitpython

from allytui.model.records import Conversation, Kind
from allytui.store.codec import dump_record
from allytui.store.layout import record_path
from allytui.store.loader import load_repo
from allytui.store.repo import DataRepo
from allytui.sync import driver
from common import arguments, git, ratio_table, remove, scratch
from generate import SCRATCH_CONFIG, Generated, generate_repo

A_IDENT = ("Ana Bench", "ana@example.org")
B_IDENT = ("Ben Bench", "ben@example.org")
START_TIME = 1_790_000_000  # 2026-09, the fast-import commits' dates (one second apart)


def a_value(record_id: str) -> str:
    return f"A's outcome for {record_id}: they will host the next assembly."


def b_value(record_id: str) -> str:
    return f"B heard that {record_id} cares most about warm homes this winter."


def fast_import(root: Path, parent: str, changes: list[tuple[str, bytes, str]], ident: tuple[str, str]) -> str:
    """One commit per (path, bytes, message) on refs/heads/main, on top of parent, in one fast-import run."""
    name, email = ident
    parts: list[bytes] = []
    for number, (rel, data, message) in enumerate(changes):
        when = f"{START_TIME + number} +0000"
        msg = message.encode()
        parts += [
            b"commit refs/heads/main\n",
            f"author {name} <{email}> {when}\ncommitter {name} <{email}> {when}\n".encode(),
            f"data {len(msg)}\n".encode() + msg + b"\n",
            f"from {parent}\n".encode() if number == 0 else b"",
            f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n\n",
        ]
    parts.append(b"done\n")
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=root, input=b"".join(parts), check=True)
    git(root, "reset", "-q", "--hard")  # index and work tree follow the new commits
    return git(root, "rev-parse", "HEAD").strip()


def changed_conversations(repo: DataRepo, ids: list[str], field_name: str, value: Callable[[str], str]) -> list[Any]:
    """(path, new bytes, commit message) for each conversation with one field set to value(id)."""
    changes = []
    for record_id in ids:
        record = repo.read(Kind.CONVERSATIONS, record_id)
        assert isinstance(record, Conversation)
        changed = record.model_copy(update={field_name: value(record_id)})
        rel = record_path(Kind.CONVERSATIONS, record_id)
        changes.append((rel, dump_record(changed).encode(), f"conversation {record_id}: {field_name}"))
    return changes


def configure(root: Path, ident: tuple[str, str]) -> None:
    for key, value in {**SCRATCH_CONFIG, "user.name": ident[0], "user.email": ident[1]}.items():
        git(root, "config", key, value)


def copy_repo(source: Path, target: Path) -> None:
    """A copy of a clone, its index refreshed (a copy changes every file's inode and ctime)."""
    shutil.copytree(source, target, symlinks=True)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=target, check=False, capture_output=True)


def put_back(prepared: Path, work: Path) -> None:
    """Make work a clone in prepared's state again: a fresh copy of prepared's .git, the work tree reset to it.

    Copying only .git (a few packs) and letting `git reset --hard` rewrite the ~1,100 files the last
    run changed is ~5x quicker than copying 5,000 files on this disk. The fresh .git means a fetch
    transfers every object again (a fetch finding them all present would skip the transfer).
    """
    if not work.exists():
        copy_repo(prepared, work)
        return
    remove(work / ".git")
    shutil.copytree(prepared / ".git", work / ".git", symlinks=True)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=work, check=False, capture_output=True)
    git(work, "reset", "-q", "--hard")
    git(work, "clean", "-q", "-fd")


@dataclass
class Setup:
    scratch: Path
    made: Generated
    remote: Path
    b_ff: Path  # B as cloned, before A's commits
    b_merge: Path  # B with its own local commits
    a_tip: str = ""
    b_old: str = ""
    a_ids: list[str] = field(default_factory=list)
    b_ids: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def prepare(folder: Path, n: int, commits: int, local: int, seed: int) -> Setup:
    t0 = time.perf_counter()
    made = generate_repo(folder / "A", n, seed)
    a_root = made.root
    configure(a_root, A_IDENT)
    conversations = made.ids[Kind.CONVERSATIONS]
    if len(conversations) < commits:
        raise SystemExit(f"{n} records hold {len(conversations)} conversations, fewer than --commits {commits}")
    setup = Setup(folder, made, folder / "remote.git", folder / "B-ff", folder / "B-merge")
    t1 = time.perf_counter()

    git(folder, "init", "-q", "--bare", "-b", "main", str(setup.remote))
    configure(setup.remote, A_IDENT)
    git(a_root, "remote", "add", "origin", str(setup.remote))
    a_repo = DataRepo.open(a_root)
    driver.sync(a_repo)  # the first push, as the app makes it
    b_repo = driver.clone(str(setup.remote), setup.b_ff)
    configure(setup.b_ff, B_IDENT)
    setup.b_old = git(setup.b_ff, "rev-parse", "HEAD").strip()
    b_repo.git_repo.close()
    t2 = time.perf_counter()

    setup.a_ids = random.Random(seed).sample(conversations, commits)
    setup.b_ids = setup.a_ids[:local]
    a_changes = changed_conversations(a_repo, setup.a_ids, "outcome", a_value)
    setup.a_tip = fast_import(a_root, setup.b_old, a_changes, A_IDENT)
    git(a_root, "push", "-q", "origin", "main")
    t3 = time.perf_counter()

    copy_repo(setup.b_ff, setup.b_merge)
    b_repo = DataRepo.open(setup.b_merge)
    b_changes = changed_conversations(b_repo, setup.b_ids, "cares_about", b_value)
    b_repo.git_repo.close()
    fast_import(setup.b_merge, setup.b_old, b_changes, B_IDENT)
    a_repo.git_repo.close()
    t4 = time.perf_counter()
    setup.seconds = {"generate": t1 - t0, "remote+clone": t2 - t1, "A's commits+push": t3 - t2, "B's commits": t4 - t3}
    return setup


# the timed methods: each gets a fresh copy of B and returns what the check needs


def git_pull(work: Path) -> Any:
    subprocess.run(["git", "pull", "--quiet"], cwd=work, check=True)


def allytui_sync(work: Path) -> Any:
    repo = DataRepo.open(work)
    try:
        return driver.sync(repo)
    finally:
        repo.git_repo.close()


def line_merge_setup(work: Path) -> None:
    (work / ".git" / "info").mkdir(exist_ok=True)
    (work / ".git" / "info" / "attributes").write_text("*.toml merge=text\n", encoding="utf-8")


def git_pull_push(work: Path) -> Any:
    # output captured: git prints an "Auto-merging PATH" line per file even with --quiet
    subprocess.run(["git", "pull", "--quiet", "--no-rebase", "--no-edit"], cwd=work, check=True, capture_output=True)
    subprocess.run(["git", "push", "--quiet", "origin", "main"], cwd=work, check=True, capture_output=True)


def git_pull_conflicts(work: Path) -> Any:
    return subprocess.run(["git", "pull", "--quiet", "--no-rebase", "--no-edit"], cwd=work, capture_output=True)


@dataclass
class Method:
    label: str
    prepared: Path
    run: Callable[[Path], Any]
    check: Callable[[Path, Any], None]
    before: Callable[[Path], None] | None = None
    times: list[float] = field(default_factory=list)


class Runner:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.work = setup.scratch / "run"

    def once(self, method: Method, *, check: bool) -> float:
        put_back(method.prepared, self.work)
        if method.before:
            method.before(self.work)
        start = time.perf_counter()
        outcome = method.run(self.work)
        seconds = time.perf_counter() - start
        if check:
            method.check(self.work, outcome)
        git(self.setup.remote, "update-ref", "refs/heads/main", self.setup.a_tip)  # undo any push
        return seconds

    # checks, made after the warm-ups

    def check_ff(self, work: Path, report: Any) -> None:
        head = git(work, "rev-parse", "HEAD").strip()
        assert head == self.setup.a_tip, f"B is at {head}, not A's tip"
        assert not git(work, "status", "--porcelain").strip(), "work tree not clean"
        if report is not None:
            assert report.fast_forward and len(report.incoming) == len(self.setup.a_ids), report.summary()
            assert not report.dangling, report.dangling[:3]

    def check_merged(self, work: Path, report: Any) -> None:
        if report is not None:
            assert len(report.merged_records) == len(self.setup.b_ids), report.summary()
            assert not report.conflicts and report.pushed, report.summary()
        parents = git(work, "rev-list", "--parents", "-n", "1", "HEAD").split()
        assert len(parents) == 3, "HEAD is not a merge commit"
        assert git(self.setup.remote, "rev-parse", "main").strip() == parents[0], "the merge was not pushed"
        assert not git(work, "status", "--porcelain").strip(), "work tree not clean"
        loaded = load_repo(work)
        assert not loaded.problems, loaded.problems[:5]
        assert loaded.count() == self.setup.made.count, (loaded.count(), self.setup.made.count)
        conversations = loaded.records[Kind.CONVERSATIONS]
        lost_a = [i for i in self.setup.a_ids if conversations[i].outcome != a_value(i)]  # type: ignore[attr-defined]
        lost_b = [i for i in self.setup.b_ids if conversations[i].cares_about != b_value(i)]  # type: ignore[attr-defined]
        assert not lost_a and not lost_b, f"lost {len(lost_a)} of A's changes and {len(lost_b)} of B's"

    def check_conflicts(self, work: Path, done: Any) -> None:
        unmerged = git(work, "diff", "--name-only", "--diff-filter=U").split()
        assert done.returncode != 0 and len(unmerged) == len(self.setup.b_ids), (done.returncode, len(unmerged))
        self.conflicts = len(unmerged)


class StepTimer:
    """Where sync's time goes: wraps the driver's steps (module functions) and GitPython's Git.execute."""

    STEPS = (
        "_commit_hand_edits",
        "ensure_attributes",
        "network",
        "plan_merge",
        "incoming_changes",
        "_write_blobs",
        "_move_to",
        "dangling_references",
    )

    def __init__(self) -> None:
        self.spent: dict[str, dict[str, float]] = {}  # bucket -> step -> seconds
        self.calls: dict[str, dict[str, int]] = {}  # bucket -> step -> calls
        self.runs: dict[str, int] = {}
        self.bucket: str | None = None  # the one collecting, while a timed sync runs
        self._originals: dict[str, Any] = {}

    def install(self) -> None:
        for name in self.STEPS:
            original = getattr(driver, name)
            self._originals[name] = original
            setattr(driver, name, self._timed(name, original))
        execute = gitpython.cmd.Git.execute
        self._originals["execute"] = execute
        timer = self

        def timed_execute(git_self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return execute(git_self, command, *args, **kwargs)
            finally:
                timer.add("(all git processes)", time.perf_counter() - start)

        gitpython.cmd.Git.execute = timed_execute  # type: ignore[method-assign]

    def uninstall(self) -> None:
        gitpython.cmd.Git.execute = self._originals.pop("execute")  # type: ignore[method-assign]
        for name, original in self._originals.items():
            setattr(driver, name, original)
        self._originals.clear()

    def _timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return timed

    def add(self, name: str, seconds: float) -> None:
        if self.bucket is not None:
            steps = self.spent.setdefault(self.bucket, {})
            steps[name] = steps.get(name, 0.0) + seconds
            calls = self.calls.setdefault(self.bucket, {})
            calls[name] = calls.get(name, 0) + 1

    def wrap(self, run: Callable[[Path], Any], bucket: str) -> Callable[[Path], Any]:
        def timed_run(work: Path) -> Any:
            if not self._originals:  # not installed: warm-up runs
                return run(work)
            self.bucket = bucket
            start = time.perf_counter()
            try:
                return run(work)
            finally:
                self.add("whole sync", time.perf_counter() - start)
                self.runs[bucket] = self.runs.get(bucket, 0) + 1
                self.bucket = None

        return timed_run

    def report(self) -> None:
        for bucket, steps in self.spent.items():
            runs = self.runs[bucket]
            print(f"where sync's time goes, {bucket}: mean per sync over {runs} runs (steps overlap the git line)")
            print(f"  {'step':<22}{'calls':>7}{'ms':>8}")
            for name, seconds in sorted(steps.items(), key=lambda item: -item[1]):
                calls = self.calls[bucket][name] / runs
                print(f"  {name:<22}{calls:>7.0f}{seconds / runs * 1e3:>8.0f}")
            print()


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--n", type=int, default=5_000, help="records in the data repo (default 5000)")
    parser.add_argument("--commits", type=int, default=1_000, help="A's commits, one conversation each (default 1000)")
    parser.add_argument("--local", type=int, default=100, help="B's own commits, to the same records (default 100)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each method (default 5)")
    args = parser.parse_args(argv)
    if not 0 < args.local <= args.commits:
        parser.error("--local must be between 1 and --commits")

    with scratch("sync-", args.keep) as folder:
        setup = prepare(folder, args.n, args.commits, args.local, args.seed)
        print(
            f"repo: {setup.made.count} records; A: {args.commits} commits to {args.commits} conversations (outcome); "
            f"B: {args.local} commits to {args.local} of them (cares_about)"
        )
        print("setup seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in setup.seconds.items()) + "\n")
        runner = Runner(setup)
        steps = StepTimer()
        methods = [
            Method("(a) git pull (ff)", setup.b_ff, git_pull, runner.check_ff),
            Method("(b) allytui sync (ff)", setup.b_ff, steps.wrap(allytui_sync, "fast-forward (b)"), runner.check_ff),
            Method(
                "(c) allytui sync (merge)", setup.b_merge, steps.wrap(allytui_sync, "merge (c)"), runner.check_merged
            ),
            Method(
                "(d) git pull+push, line",
                setup.b_merge,
                git_pull_push,
                runner.check_merged,
                before=line_merge_setup,
            ),
            Method("(e) git pull, binary", setup.b_merge, git_pull_conflicts, runner.check_conflicts),
        ]
        for method in methods:
            runner.once(method, check=True)  # warm-up, and the outcome checked
        print(
            f"checked: (c) and (d) leave valid records (load_repo: 0 problems) with all {args.commits} of A's and "
            f"all {args.local} of B's field changes, pushed; (e) stops with {runner.conflicts} files in conflict\n"
        )
        steps.install()
        try:
            for _ in range(args.reps):
                for method in methods:
                    method.times.append(runner.once(method, check=False))
        finally:
            steps.uninstall()
        report(methods)
        steps.report()
    return 0


def report(methods: list[Method]) -> None:
    medians = {m.label[:3]: statistics.median(m.times) for m in methods}
    ratio_table({m.label: m.times for m in methods}, None, unit="s", width=28)
    print(f"\nfast-forward: allytui sync / git pull = {medians['(b)'] / medians['(a)']:.2f}x")
    print(f"merge: allytui sync / git pull+push (line merge) = {medians['(c)'] / medians['(d)']:.2f}x")
    print(f"merge: allytui sync / git pull stopping in conflict = {medians['(c)'] / medians['(e)']:.2f}x\n")


if __name__ == "__main__":
    sys.exit(main())
