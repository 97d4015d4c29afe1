"""One record's history: record_history against a bare `git log -p -- PATH`, for a record touched by 500 commits.

    /work/main/.venv/bin/python bench/history.py [--n 1000] [--commits 500] [--other 500] [--reps 9]
                                                 [--gitpython-reps 1] [--commit-graph] [--seed 1] [--keep]

Makes a generated repo of N records, then (with one `git fast-import`) COMMITS commits that each
change one group (stage, next action, tags, a line of notes, influence, in turn), interleaved with
OTHER commits that change other groups, so git has to skip commits that do not touch the file.
Then the objects are packed, as in a clone. --commit-graph also writes a commit-graph with
changed-path Bloom filters (`git commit-graph write --reachable --changed-paths`).

Timed, alternating after one untimed warm-up of each, medians reported:
  - record_history(repo, kind, id): every commit with its field-level diffs, from `git log --raw`
    + one `git cat-file --batch` + parsing and validating each distinct version once;
  - git log -p -- PATH: the bare command, output captured (the baseline).
Then, for reference (run after the others, --gitpython-reps times), walking the commits with GitPython:
`iter_commits(paths=PATH)`, each commit's blob and its parent's read, and a difflib line diff.
A second table shows where record_history's time goes (each git command, and the Python rest).
"""

from __future__ import annotations

import difflib
import subprocess
import sys
import time
from typing import Any

import git as gitpython

from allytui.model.changes import describe_change
from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store import history
from allytui.store.codec import dump_record
from allytui.store.layout import record_path
from allytui.store.repo import DataRepo
from common import alternate, arguments, git, ratio, ratio_table, scratch
from generate import generate_repo

STAGES = list(Stage)


def changed(group: Group, step: int) -> Group:
    """The group with one thing changed, a different kind of change each step."""
    match step % 5:
        case 0:
            update: dict[str, Any] = {"stage": STAGES[(STAGES.index(group.stage) + 1) % len(STAGES)]}
        case 1:
            update = {"next_action": f"Bench step {step}: phone the chair back about the hall."}
        case 2:
            tag = f"t{step % 7}"
            update = {"tags": [t for t in group.tags if t != tag] if tag in group.tags else [*group.tags, tag]}
        case 3:
            lines = group.notes.splitlines()[-12:]  # notes grow, then keep their last dozen lines
            update = {"notes": "\n".join([*lines, f"Step {step}: met at the stall, keen on the café."])}
        case _:
            update = {"influence": (step // 5) % 5 + 1}
    return Group.model_validate({**group.model_dump(), **update, "id": group.id})


def _blob(data: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(data), data)


def add_commits(root: Any, repo: DataRepo, target: str, others: list[str], commits: int, other: int) -> float:
    """COMMITS changes to target and OTHER to other groups, interleaved, written with one git fast-import."""
    started = time.perf_counter()
    head = git(root, "rev-parse", "HEAD").strip()
    current = {gid: repo.read(Kind.GROUPS, gid) for gid in [target, *others]}
    total = commits + other
    stream: list[bytes] = []
    when = 1_767_225_600  # 2026-01-01
    made = 0
    for n in range(total):
        # spread the other commits evenly between the record's own
        gid = target if (n * commits) // total != ((n + 1) * commits) // total else others[n % len(others)]
        before = current[gid]
        assert isinstance(before, Group)
        after = changed(before, n)
        current[gid] = after
        made += gid == target
        who = f"Member {n % 4} <member{n % 4}@example.org> {when + n * 3600} +0000".encode()
        message = describe_change(before, after).encode()
        stream += [
            b"commit refs/heads/main\n",
            b"author " + who + b"\n",
            b"committer " + who + b"\n",
            _blob(message),
            *([f"from {head}\n".encode()] if n == 0 else []),
            f"M 100644 inline {record_path(Kind.GROUPS, gid)}\n".encode(),
            _blob(dump_record(after).encode()),
        ]
    assert made == commits
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    git(root, "reset", "-q", "--hard")
    git(root, "repack", "-a", "-d", "-q")
    git(root, "prune-packed")
    return time.perf_counter() - started


class Timer:
    """Where record_history's time goes: each git command it runs, and the rest (parse, validate, diff)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.runs = 0
        self.total = 0.0
        run_git = history._git_bytes

        def timed(repo: DataRepo, args: list[str], path: str | None = None, **kwargs: Any) -> bytes:
            start = time.perf_counter()
            try:
                return run_git(repo, args, path, **kwargs)
            finally:
                name = f"git {args[0]}"
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - start

        history._git_bytes = timed  # type: ignore[assignment]

    def report(self) -> None:
        print(f"where record_history's time goes, mean per call over {self.runs} calls")
        accounted = 0.0
        for name, seconds in sorted(self.spent.items(), key=lambda item: -item[1]):
            accounted += seconds
            print(f"  {name:<34}{seconds / self.runs * 1e3:>8.1f} ms")
        print(f"  {'parse + validate + diff (Python)':<34}{(self.total - accounted) / self.runs * 1e3:>8.1f} ms")
        print(f"  {'total':<34}{self.total / self.runs * 1e3:>8.1f} ms\n")


def gitpython_walk(root: Any, rel: str) -> tuple[float, int]:
    """The slow way (shared/MEASURED.md): a GitPython object per commit, blobs read one at a time."""
    start = time.perf_counter()
    repo = gitpython.Repo(root)
    count = 0

    def text(commit: Any) -> list[str]:
        try:
            return bytes((commit.tree / rel).data_stream.read()).decode().splitlines()
        except KeyError:
            return []

    for commit in repo.iter_commits("HEAD", paths=rel):
        before = text(commit.parents[0]) if commit.parents else []
        list(difflib.unified_diff(before, text(commit), lineterm=""))
        count += 1
    repo.close()
    return time.perf_counter() - start, count


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--n", type=int, default=1000, help="records in the repo (default 1000)")
    parser.add_argument("--commits", type=int, default=500, help="commits that touch the record (default 500)")
    parser.add_argument("--other", type=int, default=500, help="commits that touch other groups (default 500)")
    parser.add_argument("--reps", type=int, default=9, help="timed runs of each (default 9)")
    parser.add_argument("--gitpython-reps", type=int, default=1, help="GitPython walks (reference); 0 to skip")
    parser.add_argument("--commit-graph", action="store_true", help="write a commit-graph with Bloom filters")
    args = parser.parse_args(argv)

    with scratch("history-", args.keep) as folder:
        made = generate_repo(folder / "repo", args.n, args.seed)
        root = made.root
        repo = DataRepo.open(root)
        target, *others = made.ids[Kind.GROUPS][: 1 + max(1, min(20, len(made.ids[Kind.GROUPS]) - 1))]
        seconds = add_commits(root, repo, target, others, args.commits, args.other)
        if args.commit_graph:
            git(root, "commit-graph", "write", "--reachable", "--changed-paths")
        rel = record_path(Kind.GROUPS, target)
        total = int(git(root, "rev-list", "--count", "HEAD"))
        print(
            f"repo: {made.count} records, {total} commits, {args.commits} of them (+ the first) touch {rel}; "
            f"commits made in {seconds:.1f} s" + ("; commit-graph with Bloom filters" if args.commit_graph else "")
        )

        timer = Timer()
        found: list[int] = []

        def ours() -> float:
            start = time.perf_counter()
            changes = history.record_history(repo, Kind.GROUPS, target)
            spent = time.perf_counter() - start
            timer.runs += 1
            timer.total += spent
            found.append(len(changes))
            return spent

        def bare() -> float:
            start = time.perf_counter()
            subprocess.run(["git", "log", "-p", "--", rel], cwd=root, check=True, capture_output=True)
            return time.perf_counter() - start

        times = alternate({"record_history": ours, "git log -p -- PATH": bare}, args.reps)
        for _ in range(args.gitpython_reps):
            seconds, walked = gitpython_walk(root, rel)
            assert walked == args.commits + 1, walked
            times.setdefault("GitPython walk", []).append(seconds)
        assert set(found) == {args.commits + 1}, found
        changes = history.record_history(repo, Kind.GROUPS, target)
        diffs = sum(len(c.diffs) for c in changes)
        assert all(c.diffs for c in changes), "every commit changed a field"
        assert not any(d.kind == "problem" for c in changes for d in c.diffs)

        print(f"\nhistory of one record touched by {args.commits + 1} commits ({diffs} field diffs), medians")
        ratio_table(times, "git log -p -- PATH")
        print(f"record_history / git log -p = {ratio(times, 'record_history', 'git log -p -- PATH'):.2f}x\n")
        timer.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
