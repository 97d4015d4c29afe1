"""Pathways: find_paths on 10,000 people with 50,000 links, against a plain BFS over the same links.

    /work/main/.venv/bin/python bench/pathways.py [--people 10000] [--links 50000] [--groups 500]
                                                  [--members 40] [--targets 15] [--reps 5] [--seed 1]

Builds the records in memory with the real pydantic models (no files, no git): people with
`knows` links to people (90%) and groups (10%) of strength 1-3, each person in 0-2 groups, and
`--members` of them our members. Every reference resolves.

Timed, alternating target by target after one untimed warm-up of each, medians reported:
  - baseline: what any per-call search must at least do: read every link of every person into plain
    adjacency lists (no costs, no dedupe) and run a plain BFS from the target over all of them;
  - find_paths, limit 5: the call the CLI and the app make (it stops once 5 members are reached);
  - find_paths, every member: limit = members + 1, so the search runs over the whole graph and
    then adds alternatives (the worst case: a target that fewer than `limit` members can reach).
A second table splits find_paths into building the graph (`_build`) and the rest.
Target: find_paths well under a second.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from allytui.model import pathways
from allytui.model.enums import Category
from allytui.model.records import Group, Kind, Knows, Person, Record, Team
from common import ratio_table, timed

TEAM_ID = "our-team"
BASELINE = "baseline: read links + BFS"


def build_index(people: int, links: int, groups: int, members: int, seed: int) -> dict[Kind, dict[str, Record]]:
    """People, groups and one team, as the loader would hand them over (records by kind and id)."""
    rng = random.Random(seed)
    group_ids = [f"group-{n}" for n in range(groups)]
    person_ids = [f"person-{n}" for n in range(people)]
    per_person = [0] * people
    for _ in range(links):
        per_person[rng.randrange(people)] += 1
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    index[Kind.TEAMS][TEAM_ID] = Team(id=TEAM_ID, name="Our team", members=person_ids[:members])
    for gid in group_ids:
        index[Kind.GROUPS][gid] = Group(id=gid, name=f"Group {gid[6:]}", category=rng.choice(list(Category)))
    for n, pid in enumerate(person_ids):
        knows = []
        for _ in range(per_person[n]):
            strength = rng.randint(1, 3)
            if rng.random() < 0.9:
                knows.append(Knows(person=rng.choice(person_ids), how="met somewhere", strength=strength))
            else:
                knows.append(Knows(group=rng.choice(group_ids), how="goes along", strength=strength))
        index[Kind.PEOPLE][pid] = Person(
            id=pid,
            name=f"Person {n}",
            role=rng.choice(["chair", "member", ""]),
            member_of=TEAM_ID if n < members else None,
            groups=rng.sample(group_ids, rng.randint(0, 2)),
            knows=knows,
        )
    return index


def baseline(index: dict[Kind, dict[str, Record]], target: str) -> int:
    """Read every link into plain adjacency lists, then BFS from the target; how many nodes it reached."""
    node: dict[str, int] = {}
    for pid in index[Kind.PEOPLE]:
        node[pid] = len(node)
    for gid in index[Kind.GROUPS]:
        node["g:" + gid] = len(node)
    adjacency: list[list[int]] = [[] for _ in node]
    for person in index[Kind.PEOPLE].values():
        assert isinstance(person, Person)
        u = node[person.id]
        for link in person.knows:
            v = node.get(link.person) if link.person is not None else node.get("g:" + (link.group or ""))
            if v is not None:
                adjacency[u].append(v)
                adjacency[v].append(u)
        for gid in person.groups:
            v = node["g:" + gid]
            adjacency[u].append(v)
            adjacency[v].append(u)
    start = node["g:" + target]
    seen = bytearray(len(node))
    seen[start] = 1
    queue = deque([start])
    while queue:
        for v in adjacency[queue.popleft()]:
            if not seen[v]:
                seen[v] = 1
                queue.append(v)
    return sum(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--targets", type=int, default=15, help="groups to find paths to (default 15)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per target (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    index = build_index(args.people, args.links, args.groups, args.members, args.seed)
    built = time.perf_counter() - started
    links = sum(len(p.knows) for p in index[Kind.PEOPLE].values() if isinstance(p, Person))
    memberships = sum(len(p.groups) for p in index[Kind.PEOPLE].values() if isinstance(p, Person))
    print(
        f"{len(index[Kind.PEOPLE])} people ({args.members} ours), {len(index[Kind.GROUPS])} groups, "
        f"{links} knows links, {memberships} memberships; records built in {built:.1f} s"
    )
    targets = random.Random(args.seed + 1).sample(sorted(index[Kind.GROUPS]), args.targets)
    every = args.members + 1
    graph = pathways.PathGraph(index)
    runs: dict[str, Callable[[str], Any]] = {
        BASELINE: lambda t: baseline(index, t),
        "PathGraph(index) alone": lambda t: pathways.PathGraph(index),
        "find_paths, limit 5": lambda t: pathways.find_paths(index, Kind.GROUPS, t, limit=5),
        f"find_paths, limit {every} (whole graph)": lambda t: pathways.find_paths(index, Kind.GROUPS, t, limit=every),
        "find_paths, limit 5, graph given": lambda t: pathways.find_paths(index, Kind.GROUPS, t, limit=5, graph=graph),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    gc.collect()
    for target in targets:
        for run in runs.values():
            run(target)  # warm-up
        for rep in range(args.reps):
            order = list(runs.items()) if rep % 2 == 0 else list(reversed(runs.items()))
            for name, run in order:
                times[name].append(timed(lambda run=run, target=target: run(target))[0])

    print(f"\n{len(targets)} target groups x {args.reps} runs, alternating; medians")
    ratio_table(times, BASELINE, width=44)

    found = [pathways.find_paths(index, Kind.GROUPS, t, limit=5, graph=graph) for t in targets]
    hops = [p.hops for paths in found for p in paths] or [0]
    print(f"\npaths (limit 5): {sum(map(len, found))} for {len(found)} targets, {min(hops)}-{max(hops)} hops")
    print(f"graph: {len(graph.records)} nodes, {sum(map(len, graph.adjacency)) // 2} edges (after dedupe)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
