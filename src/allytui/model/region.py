"""Several local groups side by side: what we share with the region, and recognising the same organisation."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from allytui.model.enums import Category, Stage
from allytui.model.ids import RecordId
from allytui.model.likeness import name_key, on_shared_host, website_key
from allytui.model.readable import label
from allytui.model.records import Conversation, Group, Person
from allytui.model.region_settings import PRIVATE_TAG, ParticipantKind, RegionSettings
from allytui.model.text import Line, Name

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
NAME_THRESHOLD = 90  # token-set similarity (0-100) for two names in the same area to be taken as one organisation
ORDER_THRESHOLD = 60  # and the words in order at least this alike: "Riverton" alone is not "Riverton Climate Action"
IN_TOUCH = (Stage.CONTACTED, Stage.IN_CONVERSATION, Stage.MEETING, Stage.ALLIED)
CLOSE = (Stage.IN_CONVERSATION, Stage.MEETING, Stage.ALLIED)
"""Stages at which another participant should be asked before we approach the same organisation."""
HELD_NATIONALLY = "held nationally: route via the national relationships team"


class Participant(BaseModel):
    """participants/<id>/participant.toml: who a folder of the exchange belongs to."""

    model_config = ConfigDict(extra="forbid")

    id: RecordId = Field(exclude=True)
    name: Name
    area: Line = ""
    kind: ParticipantKind = ParticipantKind.LOCAL


class PublishedGroup(BaseModel):
    """participants/<id>/groups/<group>.toml: one organisation as a participant shares it, and nothing more."""

    model_config = ConfigDict(extra="forbid")

    id: RecordId = Field(exclude=True)
    name: Name
    category: Category | None = None
    area: Line = ""
    website: Line = ""
    stage: Stage | None = None
    last_contact_month: Month | None = None
    lead_first_name: Line = ""

    @property
    def month_label(self) -> str:
        """The last contact as "October 2026", or "" when not shared."""
        if not self.last_contact_month:
            return ""
        year, month = self.last_contact_month.split("-")
        return dt.date(int(year), int(month), 1).strftime("%B %Y")


@dataclass
class ParticipantView:
    """Everything one participant shares, as read from the exchange."""

    participant: Participant
    groups: dict[str, PublishedGroup] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.participant.id


# what we publish


def is_private(group: Group) -> bool:
    return PRIVATE_TAG in group.tags


def last_contact_months(conversations: Iterable[Conversation]) -> dict[str, str]:
    """group id -> the month of its latest conversation, as 2026-10."""
    latest: dict[str, dt.date] = {}
    for conversation in conversations:
        if conversation.group and conversation.date > latest.get(conversation.group, dt.date.min):
            latest[conversation.group] = conversation.date
    return {group: f"{day:%Y-%m}" for group, day in latest.items()}


def first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else ""


def published_group(
    group: Group, allowed: Iterable[str], last_month: str | None, lead: Person | None
) -> PublishedGroup:
    """group as we share it: only the fields allowed, each built from the record, never copied wholesale."""
    wanted = set(allowed)
    values: dict[str, Any] = {"id": group.id, "name": group.name}
    if "category" in wanted:
        values["category"] = group.category
    if "area" in wanted:
        values["area"] = group.area
    if "website" in wanted:
        values["website"] = group.website
    if "stage" in wanted:
        values["stage"] = group.stage
    if "last_contact_month" in wanted:
        values["last_contact_month"] = last_month
    if "lead_first_name" in wanted and lead is not None:
        values["lead_first_name"] = first_name(lead.name)
    return PublishedGroup.model_validate(values)


def what_we_publish(
    groups: Iterable[Group],
    conversations: Iterable[Conversation],
    people: Mapping[str, Person],
    settings: RegionSettings,
) -> dict[str, PublishedGroup]:
    """Our groups as the region sees them: never one tagged private; a national participant shares only the
    organisations it holds nationally (national_contact)."""
    months = last_contact_months(conversations)
    shared: dict[str, PublishedGroup] = {}
    for group in sorted(groups, key=lambda g: g.id):
        if is_private(group):
            continue
        if settings.kind is ParticipantKind.NATIONAL and not group.national_contact:
            continue
        lead = people.get(group.lead) if group.lead else None
        shared[group.id] = published_group(group, settings.publish, months.get(group.id), lead)
    return shared


# recognising the same organisation


@dataclass(frozen=True)
class Match:
    """One of our groups and one another participant shares, taken to be the same organisation."""

    ours: str
    participant: str
    theirs: str
    score: int
    reason: str
    confirmed: bool = False

    @property
    def ref(self) -> str:
        return f"{self.participant}/{self.theirs}"


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    """name_key, remembered: across a region the same names and areas come back again and again."""
    return name_key(name)


def area_key(area: str) -> str:
    return _name_key(area) if area.strip() else ""


def _same_area(a: str, b: str) -> bool:
    """Two areas are the same when they say the same, or either is not given."""
    return not a or not b or a == b


def _site_keys(url: str) -> tuple[str, str]:
    """(whole address key, domain key) for matching; a shared host's domain counts for nothing."""
    if not url:
        return "", ""
    key = website_key(url)
    domain = key.partition("/")[0]
    if on_shared_host(domain):
        return key, ""
    return key, domain


@dataclass
class _Theirs:
    participant: str
    group: str
    key: str
    area: str


def _blocks(key: str) -> set[str]:
    """What a name is looked up by: the first four letters of each of its words."""
    return {word[:4] for word in key.split()}


@dataclass
class _Block:
    """The names sharing one block (in one area, or in any), each once, as rapidfuzz takes them: a list of strings;
    with the groups of each name."""

    keys: list[str] = field(default_factory=list)
    items: list[list[_Theirs]] = field(default_factory=list)
    where: dict[str, int] = field(default_factory=dict)

    def add(self, item: _Theirs) -> None:
        n = self.where.get(item.key)
        if n is None:
            self.where[item.key] = len(self.keys)
            self.keys.append(item.key)
            self.items.append([item])
        else:
            self.items[n].append(item)


@dataclass
class RegionIndex:
    """Every other participant's groups, indexed once for matching ours against them."""

    by_site: dict[str, list[_Theirs]] = field(default_factory=lambda: defaultdict(list))
    by_domain: dict[str, list[_Theirs]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[_Theirs]] = field(default_factory=lambda: defaultdict(list))  # "foodbank": spaces aside
    by_block: dict[tuple[str, str], _Block] = field(default_factory=lambda: defaultdict(_Block))  # (area, block)
    by_block_anywhere: dict[str, _Block] = field(default_factory=lambda: defaultdict(_Block))
    all: dict[str, _Theirs] = field(default_factory=dict)

    @classmethod
    def build(cls, others: Iterable[ParticipantView]) -> RegionIndex:
        index = cls()
        for view in others:
            for group in view.groups.values():
                item = _Theirs(view.id, group.id, _name_key(group.name), area_key(group.area))
                index.all[f"{view.id}/{group.id}"] = item
                site, domain = _site_keys(group.website)
                if site:
                    index.by_site[site].append(item)
                if domain:
                    index.by_domain[domain].append(item)
                index.by_name[item.key.replace(" ", "")].append(item)
                for block in _blocks(item.key):
                    index.by_block[(item.area, block)].add(item)
                    index.by_block_anywhere[block].add(item)
        return index

    def blocks_for(self, key: str, area: str) -> Iterator[_Block]:
        """Where names like key in area may be: the same area and no area given; with no area, any. A name of
        three or more words is not looked up by its commonest word ("club", the town): a name like it shares
        another of its words."""
        found = [self._blocks_of(block, area) for block in _blocks(key)]
        if len(found) >= 3:
            found.remove(max(found, key=lambda pair: len(pair[0].keys) + len(pair[1].keys)))
        for pair in found:
            yield from pair

    def _blocks_of(self, block: str, area: str) -> tuple[_Block, _Block]:
        if not area:
            return self.by_block_anywhere.get(block, _EMPTY), _EMPTY
        return self.by_block.get((area, block), _EMPTY), self.by_block.get(("", block), _EMPTY)


_EMPTY = _Block()


def _name_score(ours: str, theirs: str) -> int:
    score = fuzz.token_set_ratio(ours, theirs, score_cutoff=NAME_THRESHOLD)
    if score and fuzz.token_sort_ratio(ours, theirs, score_cutoff=ORDER_THRESHOLD):
        return round(score)
    return 0


def matches_for(group: Group, index: RegionIndex) -> list[Match]:
    """The other participants' groups that are this one: confirmed (same_as), then by website, then by name;
    never one rejected (not_same_as). At most one per participant, the best."""
    rejected = set(group.not_same_as)
    found: dict[str, Match] = {}

    def offer(item: _Theirs, score: int, reason: str, confirmed: bool = False) -> None:
        ref = f"{item.participant}/{item.group}"
        if ref in rejected:
            return
        best = found.get(item.participant)
        if best is None or (confirmed, score) > (best.confirmed, best.score):
            found[item.participant] = Match(group.id, item.participant, item.group, score, reason, confirmed)

    for ref in group.same_as:
        if ref in index.all:
            offer(index.all[ref], 100, "confirmed by a member", confirmed=True)
    site, domain = _site_keys(group.website)
    for item in index.by_site.get(site, []) if site else []:
        offer(item, 100, f"same website ({site})")
    for item in index.by_domain.get(domain, []) if domain else []:
        offer(item, 95, f"same website domain ({domain})")
    key, area = name_key(group.name), area_key(group.area)
    for item in index.by_name.get(key.replace(" ", ""), []):
        if _same_area(area, item.area):
            offer(item, 100, "same name" + (" and area" if area and item.area else ""))
    for block in index.blocks_for(key, area):
        if not block.keys:
            continue
        for theirs, score, n in process.extract(
            key, block.keys, scorer=fuzz.token_set_ratio, score_cutoff=NAME_THRESHOLD, limit=None
        ):
            if theirs == key or not fuzz.token_sort_ratio(key, theirs, score_cutoff=ORDER_THRESHOLD):
                continue
            score = round(score)
            for item in block.items[n]:
                best = found.get(item.participant)
                if best is None or best.score < score:
                    where = " in the same area" if area and item.area else ""
                    offer(item, score, f"similar name ({score}%){where}")
    return sorted(found.values(), key=lambda m: (-m.score, m.participant))


def match_all(groups: Iterable[Group], others: Iterable[ParticipantView]) -> dict[str, list[Match]]:
    """group id -> its matches among the other participants' groups (groups with none left out)."""
    index = RegionIndex.build(others)
    result: dict[str, list[Match]] = {}
    for group in groups:
        found = matches_for(group, index)
        if found:
            result[group.id] = found
    return result


def exact_name_join(groups: Iterable[Group], others: Iterable[ParticipantView]) -> dict[str, list[tuple[str, str]]]:
    """The plain baseline: groups whose names are exactly equal. For the bench only."""
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for view in others:
        for theirs in view.groups.values():
            by_name[theirs.name].append((view.id, theirs.id))
    return {group.id: by_name[group.name] for group in groups if group.name in by_name}


# what organisers are told


@dataclass(frozen=True)
class AlsoInTouch:
    """One line about another participant and the same organisation."""

    match: Match
    participant: Participant
    group: PublishedGroup

    @property
    def national(self) -> bool:
        return self.participant.kind is ParticipantKind.NATIONAL

    @property
    def close(self) -> bool:
        """They are talking, meeting or allied: coordinate before approaching."""
        return self.group.stage in CLOSE

    def line(self) -> str:
        if self.national:
            return f"{self.participant.name}: {HELD_NATIONALLY}"
        details = [label(self.group.stage.value) if self.group.stage else "", self.group.month_label]
        what = ", ".join(part for part in details if part)
        lead = f" (lead: {self.group.lead_first_name})" if self.group.lead_first_name else ""
        opening = "Also in touch" if self.group.stage is None or self.group.stage in IN_TOUCH else "Also on the list of"
        return f"{opening}: {self.participant.name}" + (f" — {what}" if what else "") + lead


def also_in_touch(matches: Iterable[Match], views: Mapping[str, ParticipantView]) -> list[AlsoInTouch]:
    found = []
    for match in matches:
        view = views.get(match.participant)
        theirs = view.groups.get(match.theirs) if view else None
        if view is not None and theirs is not None:
            found.append(AlsoInTouch(match, view.participant, theirs))
    return found


# the region at a glance


@dataclass
class RegionStatus:
    """Each participant's pipeline, the organisations nobody has contacted, the categories nobody covers."""

    pipelines: dict[str, Counter[str]]
    names: dict[str, str]
    kinds: dict[str, str]
    uncontacted: list[tuple[str, list[str]]]  # organisation's name, the participants who researched it
    no_group: list[Category]
    nobody_in_touch: list[Category]

    def as_dict(self) -> dict[str, Any]:
        return {
            "participants": [
                {"id": pid, "name": self.names[pid], "kind": self.kinds[pid], "stages": dict(counts)}
                for pid, counts in self.pipelines.items()
            ],
            "uncontacted": [{"name": name, "researched_by": who} for name, who in self.uncontacted],
            "categories_with_no_group": [c.value for c in self.no_group],
            "categories_nobody_in_touch_with": [c.value for c in self.nobody_in_touch],
        }


def region_status(views: Iterable[ParticipantView]) -> RegionStatus:
    """The region from every participant's folder (ours included, as published). Organisations are taken as
    one across participants when their website is the same, or their name (spacing aside) in the same area;
    a name with no area joins that name in any area. One the national team holds is nobody's to contact."""
    pipelines: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    covered: set[Category] = set()
    touched: set[Category] = set()
    everything: list[tuple[ParticipantView, PublishedGroup]] = []
    for view in views:
        counts = Counter(g.stage.value for g in view.groups.values() if g.stage is not None)
        pipelines[view.id] = Counter({s.value: counts[s.value] for s in Stage if counts[s.value]})  # pipeline order
        names[view.id] = view.participant.name
        kinds[view.id] = view.participant.kind.value
        for group in view.groups.values():
            everything.append((view, group))
            if group.category is not None:
                covered.add(group.category)
                if group.stage in IN_TOUCH:
                    touched.add(group.category)
    clusters = _organisations(everything)
    uncontacted = []
    for members in clusters:
        national = any(view.participant.kind is ParticipantKind.NATIONAL for view, _ in members)
        if not national and all(g.stage in (Stage.RESEARCHED, Stage.SHORTLISTED) for _, g in members):
            uncontacted.append((members[0][1].name, sorted({view.id for view, _ in members})))
    uncontacted.sort(key=lambda item: item[0].casefold())
    no_group: list[Category] = [c for c in Category if c not in covered and c is not Category.OTHER]
    nobody: list[Category] = [c for c in Category if c in covered and c not in touched and c is not Category.OTHER]
    return RegionStatus(pipelines, names, kinds, uncontacted, no_group, nobody)


def _organisations(
    everything: list[tuple[ParticipantView, PublishedGroup]],
) -> list[list[tuple[ParticipantView, PublishedGroup]]]:
    """The participants' groups gathered into organisations (see region_status), with a union-find over keys."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    named_in: dict[str, str] = {}  # compact name -> a key of that name in some area
    ordered = sorted(range(len(everything)), key=lambda n: not everything[n][1].area.strip())  # areas first
    slots: dict[int, str] = {}
    for n in ordered:
        group = everything[n][1]
        compact = name_key(group.name).replace(" ", "")
        area = area_key(group.area)
        key = f"{area}|{compact}" if area else named_in.get(compact, f"|{compact}")
        named_in.setdefault(compact, key)
        site = website_key(group.website)
        if site:
            union(f"site:{site}", key)
        slots[n] = key
    keys_of = [slots[n] for n in range(len(everything))]
    found: dict[str, list[tuple[ParticipantView, PublishedGroup]]] = {}
    for n, key in enumerate(keys_of):
        found.setdefault(find(key), []).append(everything[n])
    return list(found.values())
