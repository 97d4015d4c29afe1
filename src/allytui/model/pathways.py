"""Pathways (the guide's steps 4 and 5): the best chains of relationships from our members to a target.

The graph has a node for every person and every group someone knows or is in, and an edge for
  - each `knows` link (to a person or a group), taken as going both ways, with its strength
    (1 acquaintance, 2 friendly, 3 close);
  - each membership (a group in `person.groups`), with the fixed strength MEMBERSHIP_STRENGTH and
    labelled with the person's role ("vicar") unless the person is one of ours (then the role is
    about our own team, not the group).
Self-links and links to records that don't exist are skipped. Between two nodes only the cheapest
edge counts (a close `knows` link to a group beats being a member of it).

Cost: each hop costs HOP_COST (2) plus one for each step of strength below close, so a close hop
costs 2, a friendly one (or a membership) 3, an acquaintance 4. A path's cost is the sum: two close
hops (4) rank with one acquaintance (4), and then the shorter path wins. Paths are ranked by
(cost, hops), then by the names along the path, from our member to the target.

Sources are our members (people with `member_of` set). A path never passes through another of our
members: that member's own path is the one to show. A path never passes through (nor ends at) a
person who asked not to be contacted (`do_not_contact`). Search: one Dijkstra from the target outwards
(the graph is undirected), so one run gives every member's best path at once. The result holds at
most one best path per member, best first. When fewer than `limit` members can reach the target,
alternatives fill up the list: for each member, one path per other first hop (the member's link to
that neighbour, then the neighbour's best path on), cheapest first. Each alternative is a different
first conversation to have, which is the choice an organiser makes.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any

from allytui.model.records import Group, Kind, Person, Record
from allytui.model.relations import NATIONAL_WARNING

RecordIndex = Mapping[Kind, Mapping[str, Record]]

STRENGTH_WORDS = {1: "acquaintance", 2: "friendly", 3: "close"}
MEMBERSHIP_STRENGTH = 2
HOP_COST = 2


def hop_cost(strength: int) -> int:
    """What one hop of this strength (1-3) adds to a path's cost: close 2, friendly 3, acquaintance 4."""
    return HOP_COST + 3 - strength


class Link(StrEnum):
    """How one stop on a path leads to the next."""

    KNOWS = "knows"
    MEMBER = "member"  # a person to a group they are in
    HAS_MEMBER = "has member"  # a group to a person in it


@dataclass(frozen=True)
class Stop:
    """A person or group on a path."""

    kind: Kind
    id: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class Step:
    """One hop: the link taken and the person or group it reaches."""

    link: Link
    to: Stop
    strength: int
    how: str = ""  # for knows: how they know each other
    role: str = ""  # for a membership: the person's role

    @property
    def label(self) -> str:
        """'knows (choir, close)', 'member (vicar)', 'has member'."""
        if self.link is Link.KNOWS:
            detail = ", ".join(x for x in (self.how, STRENGTH_WORDS[self.strength]) if x)
        else:
            detail = self.role
        return f"{self.link.value} ({detail})" if detail else self.link.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "link": self.link.value,
            "how": self.how,
            "role": self.role,
            "strength": self.strength,
            "to": self.to.as_dict(),
        }


@dataclass(frozen=True)
class Path:
    """A chain from one of our members to the target. No steps: the target is that member."""

    start: Stop
    steps: tuple[Step, ...]
    cost: int

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def end(self) -> Stop:
        return self.steps[-1].to if self.steps else self.start

    @property
    def text(self) -> str:
        """'Ana —knows (choir, close)→ Rev. Okafor —member (vicar)→ St Mary's'."""
        return self.start.name + "".join(f" —{step.label}→ {step.to.name}" for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.as_dict(),
            "cost": self.cost,
            "hops": self.hops,
            "steps": [step.as_dict() for step in self.steps],
            "text": self.text,
        }


class PathGraph:
    """People and groups as numbered nodes, each with the cost of the cheapest hop to each neighbour.

    Built in one pass over every person's `knows` and `groups` into plain lists and dicts, so the
    search touches no pydantic attribute. People are numbered in (name, id) order; groups get a
    number when first met (only groups someone knows or is in are nodes). `rank` orders every node
    by (people first, name, id): the tie-break of the search.
    """

    def __init__(self, index: RecordIndex) -> None:
        self._seen = (tuple(index[Kind.PEOPLE].values()), tuple(index[Kind.GROUPS].values()))
        people = sorted((p for p in self._seen[0] if isinstance(p, Person)), key=lambda p: (p.name.casefold(), p.id))
        groups = index[Kind.GROUPS]
        self.records: list[Person | Group] = list(people)
        self.person_node = {p.id: n for n, p in enumerate(people)}
        self.group_node: dict[str, int] = {}
        self.member = [p.member_of is not None for p in people]
        self.blocked = [p.do_not_contact for p in people]
        adjacency: list[dict[int, int]] = [{} for _ in people]
        costs = {s: hop_cost(s) for s in STRENGTH_WORDS}
        membership_cost = hop_cost(MEMBERSHIP_STRENGTH)
        person_node, group_node, records = self.person_node, self.group_node, self.records

        def add_group(group_id: str) -> int | None:
            group = groups.get(group_id)
            if not isinstance(group, Group):
                return None  # a link to a group that doesn't exist: skipped
            group_node[group_id] = len(records)
            records.append(group)
            adjacency.append({})
            return group_node[group_id]

        for u, person in enumerate(people):
            here = adjacency[u]
            for link in person.knows:
                if link.person is not None:
                    v = person_node.get(link.person)
                elif link.group is not None:
                    v = group_node.get(link.group)
                    if v is None:
                        v = add_group(link.group)
                else:
                    v = None  # a link names a person or a group (the model checks); never neither
                if v is None or v == u:
                    continue  # a link to someone who doesn't exist, or to oneself
                cost = costs[link.strength]
                old = here.get(v)
                if old is None or cost < old:
                    here[v] = adjacency[v][u] = cost
            for group_id in person.groups:
                v = group_node.get(group_id)
                if v is None and (v := add_group(group_id)) is None:
                    continue
                old = here.get(v)
                if old is None or membership_cost < old:
                    here[v] = adjacency[v][u] = membership_cost
        self.adjacency = adjacency
        self.member += [False] * (len(records) - len(people))
        self.blocked += [False] * (len(records) - len(people))
        by_name = sorted(range(len(people), len(records)), key=lambda n: (records[n].label.casefold(), records[n].id))
        self.rank = list(range(len(records)))
        for position, n in enumerate(by_name, len(people)):
            self.rank[n] = position

    def matches(self, index: RecordIndex) -> bool:
        """Whether the graph was built from these very records (records are replaced, never changed)."""
        return all(
            len(seen) == len(index[kind]) and all(map(operator.is_, seen, index[kind].values()))
            for seen, kind in zip(self._seen, (Kind.PEOPLE, Kind.GROUPS), strict=True)
        )

    def node(self, kind: Kind, record_id: str) -> int | None:
        return (self.person_node if kind is Kind.PEOPLE else self.group_node).get(record_id)

    def stop(self, n: int) -> Stop:
        record = self.records[n]
        return Stop(Kind.PEOPLE if isinstance(record, Person) else Kind.GROUPS, record.id, record.label)

    def step(self, here: int, there: int) -> Step:
        """The hop from node here to node there, by the cheapest link between them.

        At equal cost: a link in here's record before one in there's, a knows link before a
        membership, and the first in the record's list.
        """
        a, b = self.records[here], self.records[there]
        to = self.stop(there)
        options: list[tuple[int, int, Step]] = []
        for tie, (owner, other) in enumerate(((a, b), (b, a))):
            if not isinstance(owner, Person):
                continue
            other_kind = Kind.PEOPLE if isinstance(other, Person) else Kind.GROUPS
            for link in owner.knows:
                if link.target == (other_kind, other.id):
                    options.append((hop_cost(link.strength), tie, Step(Link.KNOWS, to, link.strength, how=link.how)))
            if other_kind is Kind.GROUPS and other.id in owner.groups:
                role = "" if owner.member_of is not None else owner.role
                link_kind = Link.MEMBER if tie == 0 else Link.HAS_MEMBER
                options.append(
                    (hop_cost(MEMBERSHIP_STRENGTH), 2 + tie, Step(link_kind, to, MEMBERSHIP_STRENGTH, role=role))
                )
        return min(options, key=lambda option: option[:2])[2]

    def path(self, nodes: list[int], cost: int) -> Path:
        steps = tuple(self.step(a, b) for a, b in pairwise(nodes))
        return Path(self.stop(nodes[0]), steps, cost)


_last_graph: PathGraph | None = None


def built_graph(index: RecordIndex) -> PathGraph | None:
    """The graph graph_for last built, when it was built from these very records; else None."""
    return _last_graph if _last_graph is not None and _last_graph.matches(index) else None


def graph_for(index: RecordIndex) -> PathGraph:
    """The graph of index, reusing the last one built while every person and group is the same object.

    For views that ask again and again of the same records (a detail pane following the cursor).
    """
    global _last_graph
    if _last_graph is None or not _last_graph.matches(index):
        _last_graph = PathGraph(index)
    return _last_graph


def find_paths(
    index: RecordIndex, target_kind: Kind, target_id: str, limit: int = 5, *, graph: PathGraph | None = None
) -> list[Path]:
    """The best chains from our members to a person or group, best first (see the module's docstring).

    A target who is one of our members gets one path without steps. No path: an empty list.
    graph: one built from index earlier (see graph_for); by default it is built for this call.
    Raises ValueError when there is no such person or group.
    """
    if target_kind not in (Kind.PEOPLE, Kind.GROUPS):
        raise ValueError(f"pathways lead to a person or a group, not to {target_kind.value}")
    if not isinstance(index[target_kind].get(target_id), Person | Group):
        raise ValueError(f"there is no {target_kind.singular} {target_id!r}")
    if graph is None:
        graph = PathGraph(index)
    target = graph.node(target_kind, target_id)
    if target is None or limit < 1 or graph.blocked[target]:
        return []  # a group nobody knows or is in, or someone who asked not to be contacted
    if graph.member[target]:
        return [Path(graph.stop(target), (), 0)]

    # Dijkstra from the target on (cost, hops), ties to the node nearer the target with the lower rank.
    # Our members are settled but never passed through.
    count = len(graph.records)
    adjacency, member, rank, blocked = graph.adjacency, graph.member, graph.rank, graph.blocked
    cost = [-1] * count
    hops = [0] * count
    parent = [-1] * count
    done = bytearray(count)
    cost[target] = 0
    heap = [(0, 0, rank[target], target)]
    reached: list[int] = []  # our members, best first
    heappop, heappush = heapq.heappop, heapq.heappush
    while heap:
        c, h, _, u = heappop(heap)
        if done[u]:
            continue
        done[u] = 1
        if blocked[u]:
            continue  # never a way through someone who asked not to be contacted
        if member[u]:
            reached.append(u)
            if len(reached) >= limit:
                break
            continue
        h += 1
        ru = rank[u]
        for v, edge in adjacency[u].items():
            if done[v]:
                continue
            nc = c + edge
            old = cost[v]
            if old < 0 or nc < old or (nc == old and h < hops[v]):
                cost[v], hops[v], parent[v] = nc, h, u
                heappush(heap, (nc, h, rank[v], v))
            elif nc == old and h == hops[v] and ru < rank[parent[v]]:
                parent[v] = u

    def chain(n: int) -> list[int]:
        """The nodes from n to the target along the best path."""
        nodes = [n]
        while nodes[-1] != target:
            nodes.append(parent[nodes[-1]])
        return nodes

    def key(found: tuple[int, int, list[int]]) -> tuple[int, int, list[int]]:
        return found[0], found[1], [rank[n] for n in found[2]]

    best = [(cost[m], hops[m], chain(m)) for m in reached]
    if len(best) < limit:
        # Alternatives: each member's other first hops, then that neighbour's best path on.
        others = []
        for _, _, nodes in best:
            m = nodes[0]
            for n, edge in adjacency[m].items():
                if n != nodes[1] and done[n] and not member[n] and not blocked[n]:
                    others.append((edge + cost[n], hops[n] + 1, [m, *chain(n)]))
        best = sorted(best + sorted(others, key=key)[: limit - len(best)], key=key)
    return [graph.path(nodes, c) for c, _, nodes in best]


def _national_groups(index: RecordIndex, person: Person) -> list[Group]:
    groups = [index[Kind.GROUPS].get(g) for g in person.groups]
    return [g for g in groups if isinstance(g, Group) and g.national_contact]


def no_path_advice(record: Group | Person) -> list[str]:
    """When no member can reach a group or person: say so, then the other ways in (the guide's step 5).

    The first line says there is no path; the suggestions follow, the more personal ones first
    (the guide: personal relationships work best). A national-contact group gets no local
    suggestions, only the warning to route via the national relationships team.
    """
    said = f"No path from our members to {record.label} yet: no chain of people we know leads there."
    if isinstance(record, Person):
        return [
            said,
            "Ask for a one-to-one with them: a coffee, to listen to what they care about.",
            "Go to the events, meetings or protests they go to, and talk to them there.",
            "Invite them to one of our meetings or events.",
            "Offer a service, such as free meals, at something they are part of.",
            "Meet them at an outreach stall at a community event.",
            "Leaflet and talk to people where they live or meet.",
            "Email them: say who we are and why we'd like to meet.",
            "Reach them on social media.",
        ]
    if record.national_contact:
        return [said, NATIONAL_WARNING]
    return [
        said,
        "Ask for a one-to-one with their leaders: a coffee, to listen to what they care about.",
        "Go to their events or protests, and talk to people there.",
        "Send an invitation to one of our meetings or events.",
        "Offer a service they would value, such as free meals at one of their events.",
        "Run an outreach stall at a community event their members go to.",
        "Leaflet and talk to people where they meet.",
        "Email them: say who we are and ask who would be good to talk to.",
        "Follow them on social media, share their posts and message them.",
    ]


@dataclass(frozen=True)
class Pathways:
    """Everything to show about reaching a target: its paths, a warning, advice when there is no path."""

    target: Stop
    paths: list[Path]
    warning: str = ""  # the national-contact warning, when it applies
    advice: list[str] = field(default_factory=list)  # no_path_advice, when there is no path

    @property
    def is_ours(self) -> bool:
        """The target is one of our own members."""
        return bool(self.paths) and not self.paths[0].steps

    @property
    def headline(self) -> str:
        if self.is_ours:
            return f"{self.target.name} is one of our members."
        if not self.paths:
            return self.advice[0] if self.advice else f"No path from our members to {self.target.name} yet."
        many = "s" if len(self.paths) != 1 else ""
        return f"{len(self.paths)} path{many} from our members to {self.target.name}, best first:"

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.as_dict(),
            "warning": self.warning or None,
            "paths": [p.as_dict() for p in self.paths],
            "advice": list(self.advice),
        }


def pathways(
    index: RecordIndex, target_kind: Kind, target_id: str, limit: int = 5, *, graph: PathGraph | None = None
) -> Pathways:
    """find_paths with what to say around them: the national-contact warning, and advice when there is none.

    The warning applies to a national-contact group, and to a person in one; with no path, such a
    target's advice is the warning, not the local ways in.
    """
    paths = find_paths(index, target_kind, target_id, limit, graph=graph)
    record = index[target_kind][target_id]
    assert isinstance(record, Group | Person)
    warning = ""
    if isinstance(record, Group) and record.national_contact:
        warning = NATIONAL_WARNING
    elif isinstance(record, Person) and (national := _national_groups(index, record)):
        names = ", ".join(g.label for g in national)
        warning = f"{record.label} is in {names}. {NATIONAL_WARNING}"
    advice = [] if paths else no_path_advice(record)
    if isinstance(record, Person) and record.do_not_contact:
        since = f" (since {record.do_not_contact_since.isoformat()})" if record.do_not_contact_since else ""
        advice = [f"{record.label} asked not to be contacted{since}: no pathway is offered."]
    if advice and warning:
        advice = [advice[0], warning]  # no local ways in: the national team holds the relationship
    return Pathways(Stop(target_kind, target_id, record.label), paths, warning, advice)
