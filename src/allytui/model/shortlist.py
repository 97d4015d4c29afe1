"""The guide's step 3: which groups to approach, ranked with the reason for every point; who's not here.

A group's score is the sum of these parts, each weighted by `[shortlist]` in allytui.toml
(ShortlistWeights; every weight defaults as shown there):

    each shortlist reason it has      weight of that reason (similar_aims, local_influence, ...)
    influence (1..5)                  influence × influence weight
    alignment (-2..+2)                alignment × alignment weight (opposed groups lose points)
    size estimate (people)            log10(size) × network_size weight: 10 → 1, 100 → 2, 1,000 → 3
    how well we already know them     number of our members who know it × known weight

"Our members" are people with member_of set. A member knows a group when they are in it themselves,
have a `knows` link to the group, or have a `knows` link to a person in the group; each member counts
once, however many ways they know it (link strength does not count: one close friend and one
acquaintance both open a door). A value not filled in adds nothing and is listed as missing, so the
breakdown says what to find out.

Declined groups are left out. Groups with national_contact set keep their score but are never ranked
above a group we may approach locally: they come after all the others, flagged, because the guide asks
local groups to route them via the national relationships team. Equal scores are ordered by name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from allytui.model.enums import Category, ShortlistReason, Stage
from allytui.model.overview import coverage
from allytui.model.records import Group, Kind, Person, Record, ShortlistWeights

RecordIndex = Mapping[Kind, Mapping[str, Record]]

REASON_LABELS: dict[ShortlistReason, str] = {
    ShortlistReason.SIMILAR_AIMS: "similar aims",
    ShortlistReason.LOCAL_INFLUENCE: "local influence",
    ShortlistReason.LARGE_NETWORK: "large network",
    ShortlistReason.BENEFITS_FROM_DEMANDS: "would benefit from our demands",
}

DECIDING = frozenset({Stage.RESEARCHED, Stage.SHORTLISTED})
"""The stages at which step 3's question (approach them or not?) is still open."""

NATIONAL_WARNING = "national contact: route via the national relationships team, not a local approach"


WEIGHT_NOTES: dict[str, str] = {
    "influence": "× influence 1..5",
    "alignment": "× alignment -2..+2",
    "network_size": "× log10(size)",
    "known": "× members who know it",
}
"""What the weights that are not for a shortlist reason multiply (ShortlistWeights, `[shortlist]`)."""


class Reason(NamedTuple):
    """One part of a score: what it is, in words, and the points it adds (negative for opposition)."""

    label: str
    points: float


@dataclass(frozen=True)
class Acquaintance:
    """One of our members who knows a group, and how (e.g. "is in it", "knows Rev. Okafor")."""

    member_id: str
    name: str
    via: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    """A group's total, its parts, the values not set, and which of our members know it."""

    group: Group
    total: float
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()
    known_by: tuple[Acquaintance, ...] = ()

    @property
    def national(self) -> bool:
        return self.group.national_contact

    @property
    def deciding(self) -> bool:
        """Researched or shortlisted: whether to approach them is still open."""
        return self.group.stage in DECIDING


def network_label(size: int) -> str:
    return f"network ~{size:,} people" if size != 1 else "network ~1 person"


def signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def known_label(members: int) -> str:
    if members == 0:
        return "known: none of our members knows it or its people"
    if members == 1:
        return "known: 1 of our members knows it or its people"
    return f"known: {members} of our members know it or its people"


def score(group: Group, weights: ShortlistWeights, known_by: tuple[Acquaintance, ...] = ()) -> Score:
    """One group's score (see the module docstring for the formula)."""
    reasons: list[Reason] = []
    missing: list[str] = []
    if group.shortlist_reasons:
        for reason, label in REASON_LABELS.items():  # in the guide's order, whatever order the file has
            if reason in group.shortlist_reasons:
                reasons.append(Reason(label, getattr(weights, reason.value)))
    if group.influence is None:
        missing.append("influence")
    else:
        reasons.append(Reason(f"influence {group.influence}", weights.influence * group.influence))
    if group.alignment is None:
        missing.append("alignment")
    else:
        reasons.append(Reason(f"alignment {signed(group.alignment)}", weights.alignment * group.alignment))
    if group.size_estimate is None:
        missing.append("size estimate")
    else:
        size = group.size_estimate
        reasons.append(Reason(network_label(size), weights.network_size * math.log10(size) if size > 1 else 0.0))
    reasons.append(Reason(known_label(len(known_by)), weights.known * len(known_by)))
    total = sum(points for _, points in reasons) + 0.0  # + 0.0: never -0.0
    return Score(group, total, tuple(reasons), tuple(missing), known_by)


def acquaintances(index: RecordIndex) -> dict[str, tuple[Acquaintance, ...]]:
    """For each group id: our members who know it (are in it, know it, or know someone in it), by name."""
    people = [p for p in index[Kind.PEOPLE].values() if isinstance(p, Person)]
    groups_of = {p.id: p.groups for p in people}
    names = {p.id: p.name for p in people}
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)  # group id -> member id -> ways

    def add(group_id: str, member: Person, way: str) -> None:
        ways = found[group_id].setdefault(member.id, [])
        if way not in ways:
            ways.append(way)

    for member in people:
        if not member.is_member:
            continue
        for group_id in member.groups:
            add(group_id, member, "is in it")
        for link in member.knows:
            if link.group is not None:
                add(link.group, member, "knows the group")
            elif link.person is not None and link.person != member.id:
                for group_id in groups_of.get(link.person, ()):
                    add(group_id, member, f"knows {names[link.person]}")
    return {
        group_id: tuple(
            sorted(
                (Acquaintance(member_id, names[member_id], tuple(ways)) for member_id, ways in members.items()),
                key=lambda a: (a.name.lower(), a.member_id),
            )
        )
        for group_id, members in found.items()
    }


def sort_key(item: Score) -> tuple[bool, float, str, str]:
    # rounded, so sums that differ only in floating-point noise count as the tie they are
    return (item.national, -round(item.total, 6), item.group.name.lower(), item.group.id)


def rank(index: RecordIndex, weights: ShortlistWeights) -> list[Score]:
    """Every group not declined, best first: local groups by score then name, then national contacts."""
    known = acquaintances(index)
    scores = [
        score(group, weights, known.get(group.id, ()))
        for group in index[Kind.GROUPS].values()
        if isinstance(group, Group) and group.stage is not Stage.DECLINED
    ]
    return sorted(scores, key=sort_key)


def numbered(scores: list[Score]) -> list[tuple[int | None, Score]]:
    """Rank numbers for display: 1, 2, 3 ... for local groups; None for national contacts."""
    found: list[tuple[int | None, Score]] = []
    n = 0
    for item in scores:
        if item.national:
            found.append((None, item))
        else:
            n += 1
            found.append((n, item))
    return found


# Who's not here?

NO_GROUP = "no group yet"
NO_CONTACT = "no contact yet"
ONLY_DECLINED = "only declined so far"

CONTACTED = frozenset({Stage.CONTACTED, Stage.IN_CONVERSATION, Stage.MEETING, Stage.ALLIED, Stage.PAUSED})
TALKING = frozenset({Stage.IN_CONVERSATION, Stage.MEETING, Stage.ALLIED})


@dataclass(frozen=True)
class Gap:
    """One of the guide's categories: its groups, how far we have got with them, and what is missing."""

    category: Category
    groups: int
    past_researched: int  # shortlisted or further, paused and declined included
    contacted: int  # contacted or further, paused included, declined not
    talking: int  # in conversation, meeting or allied
    declined: int = 0

    @property
    def gap(self) -> str:
        """What answers "who's not here?" for this category, or "" once we are in touch with a group in it."""
        if self.groups == 0:
            return NO_GROUP
        if self.contacted:
            return ""
        return ONLY_DECLINED if self.declined == self.groups else NO_CONTACT


def gaps(index: RecordIndex) -> list[Gap]:
    """Every category the guide names ("other" left out), in the guide's order, with its gap."""
    contacted: dict[Category, int] = defaultdict(int)
    talking: dict[Category, int] = defaultdict(int)
    declined: dict[Category, int] = defaultdict(int)
    for group in index[Kind.GROUPS].values():
        if not isinstance(group, Group):
            continue
        if group.stage in CONTACTED:
            contacted[group.category] += 1
        if group.stage in TALKING:
            talking[group.category] += 1
        if group.stage is Stage.DECLINED:
            declined[group.category] += 1
    return [
        Gap(c.category, c.groups, c.moved_on, contacted[c.category], talking[c.category], declined[c.category])
        for c in coverage(index)
    ]
