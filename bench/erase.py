"""Erasure: `allytui erase` against a bare `git filter-repo` run of the same path filter, on one big history.

    /work/main/.venv/bin/python bench/erase.py [--n 10000] [--commits 2000] [--reps 1] [--seed 1] [--keep]

Setup (untimed): a generated data repo of N records (bench/generate.py), then --commits commits
written with `git fast-import`: every 50th changes the erased person's record (a new phone number,
so the history holds many versions of it), every 10th writes their name into a conversation's
outcome, the rest change another conversation's outcome. The erased person is one that other
records refer to (knows links, conversations). The prepared repo is copied afresh (its .git, the
work tree reset) before every timed run, so each run rewrites the same history. Alternating, after
one untimed warm-up each:

  (a) allytui erase --redact-mentions: the work-tree commit (references and mentions), the terms from
      every version of the record, the rewrite of every ref with git-filter-repo (path filter plus
      the name/email/phone/id callbacks, in its own process), erasures.toml, reflog expire and
      gc --prune=now; checked after the warm-up: no name in `git log --all -p`, the record is gone;
  (b) git filter-repo --force --invert-paths --path people/ID.toml: the bare path filter on its own,
      which also expires reflogs and runs gc --prune=now.

Runs, median, min and max of each (bench/common.py's table), a/b, and where (a)'s time goes (from its
progress steps, per run).
"""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from allytui.model.records import Conversation, Kind, Person
from allytui.store.codec import dump_record
from allytui.store.layout import record_path
from allytui.store.repo import DataRepo
from allytui.sync.erase import erase
from common import alternate, arguments, git, ratio, ratio_table, remove, scratch
from generate import generate_repo

FILTER_REPO = str(Path(sys.executable).with_name("git-filter-repo"))
IDENT = ("Ana Bench", "ana@example.org")
START_TIME = 1_790_000_000  # 2026-09: the fast-import commits' dates, one second apart


def fast_import(root: Path, parent: str, changes: list[tuple[str, bytes, str]]) -> None:
    """One commit per (path, bytes, message) on refs/heads/main, on top of parent, in one fast-import run."""
    name, email = IDENT
    parts: list[bytes] = []
    for number, (rel, data, message) in enumerate(changes):
        when = f"{START_TIME + number} +0000"
        parts += [
            b"commit refs/heads/main\n",
            f"author {name} <{email}> {when}\ncommitter {name} <{email}> {when}\n".encode(),
            f"data {len(message.encode())}\n".encode() + message.encode() + b"\n",
            f"from {parent}\n".encode() if number == 0 else b"",
            f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n\n",
        ]
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=root, input=b"".join(parts) + b"done\n", check=True)
    git(root, "reset", "-q", "--hard")


def _person(repo: DataRepo, ids: list[str]) -> Person:
    """The person most referred to: knows links and conversations make the erasure do real work."""
    counts = dict.fromkeys(ids, 0)
    for kind in Kind:
        for record in repo.load().records[kind].values():
            for _, ref_kind, ref in record.references():
                if ref_kind is Kind.PEOPLE and ref in counts:
                    counts[ref] += 1
    chosen = repo.read(Kind.PEOPLE, max(ids, key=lambda i: (counts[i], i)))
    assert isinstance(chosen, Person)
    return chosen


def prepare(folder: Path, n: int, commits: int, seed: int) -> tuple[Path, Person]:
    made = generate_repo(folder / "prepared", n, seed)
    root = made.root
    git(root, "config", "user.name", IDENT[0])
    git(root, "config", "user.email", IDENT[1])
    repo = DataRepo.open(root)
    person = _person(repo, made.ids[Kind.PEOPLE])
    rng = random.Random(seed)
    talks = made.ids[Kind.CONVERSATIONS]
    changes = []
    for number in range(commits):
        if number % 50 == 0:
            contact = (person.contact.model_copy(update={"phone": f"07700 {900000 + number}"})
                       if person.contact is not None and not isinstance(person.contact, str) else None)  # fmt: skip
            data = dump_record(person.model_copy(update={"contact": contact, "role": f"role {number}"}))
            changes.append((record_path(Kind.PEOPLE, person.id), data.encode(), f"person {person.id}: contact"))
            continue
        talk_id = rng.choice(talks)
        talk = repo.read(Kind.CONVERSATIONS, talk_id)
        assert isinstance(talk, Conversation)
        said = f"{person.name} will ask the vicar" if number % 10 == 0 else f"outcome {number}"
        data = dump_record(talk.model_copy(update={"outcome": said}))
        changes.append((record_path(Kind.CONVERSATIONS, talk_id), data.encode(), f"conversation {talk_id}: outcome"))
    fast_import(root, git(root, "rev-parse", "HEAD").strip(), changes)
    git(root, "repack", "-a", "-d", "-q")
    return root, person


def fresh(prepared: Path, work: Path) -> None:
    remove(work)
    work.mkdir(parents=True)
    shutil.copytree(prepared / ".git", work / ".git", symlinks=True)
    git(work, "reset", "-q", "--hard")


def run_erase(work: Path, person_id: str, steps: dict[str, float]) -> float:
    repo = DataRepo.open(work)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    erase(repo, person_id, redact_mentions=True, progress=lambda step: marks.append((step, time.perf_counter())))
    ended = time.perf_counter()
    points = [("checks, terms and plan", started), *marks, ("end", ended)]
    for (name, at), (_, until) in itertools.pairwise(points):
        steps[name] = steps.get(name, 0.0) + until - at
    return ended - started


def run_filter_repo(work: Path, person_id: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [FILTER_REPO, "--force", "--quiet", "--invert-paths", "--path", record_path(Kind.PEOPLE, person_id)],
        cwd=work,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def check(work: Path, person: Person) -> None:
    assert not (work / record_path(Kind.PEOPLE, person.id)).exists()
    history = subprocess.run(["git", "log", "--all", "-p"], cwd=work, capture_output=True, check=True).stdout
    assert person.name.encode() not in history, "the name is still in the history"


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--n", type=int, default=10_000, help="records (default 10000)")
    parser.add_argument("--commits", type=int, default=2_000, help="commits on top (default 2000)")
    parser.add_argument("--reps", type=int, default=1, help="timed runs of each (default 1)")
    args = parser.parse_args(argv)
    with scratch("erase-", args.keep) as folder:
        t0 = time.perf_counter()
        prepared, person = prepare(folder, args.n, args.commits, args.seed)
        print(f"setup: {args.n} records, {args.commits} commits, {time.perf_counter() - t0:.1f} s")
        work = folder / "work"
        steps: dict[str, float] = {}

        def ours() -> float:
            fresh(prepared, work)
            return run_erase(work, person.id, steps)

        def bare() -> float:
            fresh(prepared, work)
            return run_filter_repo(work, person.id)

        fresh(prepared, work)  # the warm-ups, untimed: erase (checked) and the bare filter
        run_erase(work, person.id, {})
        check(work, person)
        bare()
        times = alternate({"allytui erase": ours, "git filter-repo path": bare}, args.reps, warmups=0)
        ratio_table(times, "git filter-repo path", unit="s", width=24)
        print(f"a/b {ratio(times, 'allytui erase', 'git filter-repo path'):.2f}; where allytui erase's time goes:")
        for name, seconds in steps.items():
            print(f"  {name:<48}{seconds / args.reps:8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
