"""Likely duplicates: pairs of groups or people that may be the same one entered twice, each with its reasons."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from allytui.model.enums import DUPLICATE_KINDS
from allytui.model.likeness import email_key, name_key, on_shared_host, phone_key, website_domain, website_key
from allytui.model.records import ContactDetails, Group, Kind, Person, Record
from allytui.model.sealed import looks_sealed

RecordIndex = Mapping[Kind, Mapping[str, Record]]
ContactOpener = Callable[[str], object]
"""Opens a sealed contact value: its plain table (a dict or ContactDetails), or None when it cannot."""

NAME_CUTOFF = 88.0
"""How alike two name keys must be (rapidfuzz token_sort_ratio, 0-100) to count as similar."""
MIN_PHONE_DIGITS = 7
SHARED_DOMAIN_LIMIT = 4
"""More groups than this on one website domain: a shared host (a council's or a network's site), not a sign."""


@dataclass(frozen=True)
class LikelyPair:
    """Two records of one kind that look like the same one: `keep` is the fuller of the two (merge into it)."""

    kind: Kind
    keep: str
    drop: str
    reasons: tuple[str, ...]
    score: float
    """How sure: 100 for a same website, email or phone, else the names' similarity."""

    @property
    def ids(self) -> frozenset[str]:
        return frozenset((self.keep, self.drop))


def _name_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _forms(keys: Sequence[str]) -> tuple[list[str], list[str]]:
    """Two forms of each name key that rapidfuzz's plain ratio compares quickly: its words sorted ("lopez ana" is
    "ana lopez"), and its letters run together ("food bank" is "foodbank")."""
    return [_name_words(key) for key in keys], [key.replace(" ", "") for key in keys]


def _similar_in(keys: Sequence[str], cutoff: float) -> Iterable[tuple[int, int, float]]:
    """(i, j, score) for i < j of every two keys at least cutoff alike, in either form (see _forms).

    Each key is compared only with keys of a length the ratio allows: 2*shorter/(both lengths) can reach
    cutoff only when the longer is at most shorter * (200/cutoff - 1), so keys sorted by length are
    compared along a short window, not with all the others."""
    stretch = 200.0 / cutoff - 1.0 if cutoff > 0 else float("inf")
    scores: dict[tuple[int, int], float] = {}

    def found(first: list[int], second: list[int], score: float) -> None:
        for i in first:
            for j in second:
                if i != j:
                    pair = (i, j) if i < j else (j, i)
                    scores[pair] = max(scores.get(pair, 0.0), score)

    for prepared in _forms(keys):
        alike: dict[str, list[int]] = defaultdict(list)  # each text compared once, however many keys share it
        for n, text in enumerate(prepared):
            alike[text].append(n)
        texts = sorted(alike, key=len)
        lengths = [len(text) for text in texts]
        for p, text in enumerate(texts):
            found(alike[text], alike[text], 100.0)
            end = bisect_right(lengths, int(lengths[p] * stretch), lo=p + 1)
            if end <= p + 1:
                continue
            for other, score, _ in process.extract(
                text, texts[p + 1 : end], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None, processor=None
            ):
                found(alike[text], alike[other], float(score))
    for (i, j), score in sorted(scores.items()):
        yield i, j, score


def _filled(record: Record) -> int:
    """How many fields hold something: the fuller record is the one to keep."""
    return len(record.model_dump(exclude={"id", "conflicts"}, exclude_defaults=True))


def _rank(record: Record) -> tuple[int, int, str]:
    """The record to keep sorts first: the fuller one, else the shorter id (food-bank before food-bank-2)."""
    return (-_filled(record), len(record.id), record.id)


class _Pairs:
    """Reasons gathered per pair of ids, in the order they were found."""

    def __init__(self, kind: Kind, records: Mapping[str, Record]) -> None:
        self.kind = kind
        self.records = records
        self.reasons: dict[tuple[str, str], list[str]] = {}
        self.scores: dict[tuple[str, str], float] = {}

    def add(self, first: str, second: str, reason: str, score: float) -> None:
        if first == second:
            return
        key = (first, second) if first < second else (second, first)
        found = self.reasons.setdefault(key, [])
        if reason not in found:
            found.append(reason)
        self.scores[key] = max(self.scores.get(key, 0.0), score)

    def has(self, first: str, second: str) -> bool:
        return ((first, second) if first < second else (second, first)) in self.reasons

    def result(self) -> list[LikelyPair]:
        ranks: dict[str, tuple[int, int, str]] = {}
        for record_id in {record_id for pair in self.reasons for record_id in pair}:
            ranks[record_id] = _rank(self.records[record_id])
        pairs = []
        for (first, second), reasons in self.reasons.items():
            keep, drop = (first, second) if ranks[first] <= ranks[second] else (second, first)
            pairs.append(LikelyPair(self.kind, keep, drop, tuple(reasons), self.scores[(first, second)]))
        return sorted(pairs, key=lambda p: (-p.score, p.keep, p.drop))


def _name_reason(score: float) -> str:
    return "same name" if score >= 100 else f"similar names ({score:.0f}%)"


def _area_key(area: str) -> str:
    return " ".join(area.casefold().split())


def _website_reasons(groups: Sequence[Group], pairs: _Pairs) -> None:
    by_site: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        domain = website_domain(group.website)
        if not domain:
            continue
        site = website_key(group.website) if on_shared_host(domain) else domain
        by_site[site].append(group.id)
    for site, ids in by_site.items():
        if len(ids) < 2 or (len(ids) > SHARED_DOMAIN_LIMIT and "/" not in site):
            continue
        reason = f"same website ({site})" if "/" in site else f"same website domain ({site})"
        for n, first in enumerate(ids):
            for second in ids[n + 1 :]:
                pairs.add(first, second, reason, 100.0)


def group_pairs(groups: Mapping[str, Record], *, cutoff: float = NAME_CUTOFF) -> list[LikelyPair]:
    """Groups on the same website domain, or with similar names in the same area (or where either has none)."""
    found = [g for g in groups.values() if isinstance(g, Group)]
    pairs = _Pairs(Kind.GROUPS, groups)
    _website_reasons(found, pairs)
    by_area: dict[str, list[Group]] = defaultdict(list)
    for group in found:
        by_area[_area_key(group.area)].append(group)
    unplaced = by_area.pop("", [])
    keys = {g.id: name_key(g.name) for g in found}
    for area_groups in by_area.values():  # within one area, and each area against the groups with none
        members = area_groups + unplaced
        for i, j, score in _similar_in([keys[g.id] for g in members], cutoff):
            first, second = members[i], members[j]
            if i >= len(area_groups) and j >= len(area_groups):
                continue  # two groups with no area: compared once, below
            pairs.add(first.id, second.id, _name_reason(score), score)
            if first.area and second.area:
                pairs.add(first.id, second.id, f"same area ({first.area})", score)
    for i, j, score in _similar_in([keys[g.id] for g in unplaced], cutoff):
        pairs.add(unplaced[i].id, unplaced[j].id, _name_reason(score), score)
    return pairs.result()


def plain_contact(person: Person, opener: ContactOpener | None = None) -> ContactDetails | None:
    """A person's contact table when it is plain, or opened by opener; None when there is none or it stays sealed."""
    value: object = person.contact
    if looks_sealed(value):
        if opener is None:
            return None
        value = opener(str(value))
    if isinstance(value, ContactDetails):
        return value
    if isinstance(value, dict):
        try:
            return ContactDetails.model_validate(value)
        except ValueError:
            return None
    return None


def _contact_reasons(people: Sequence[Person], pairs: _Pairs, opener: ContactOpener | None) -> None:
    emails: dict[str, list[str]] = defaultdict(list)
    phones: dict[str, list[str]] = defaultdict(list)
    for person in people:
        contact = plain_contact(person, opener)
        if contact is None:
            continue
        if email := email_key(contact.email):
            emails[email].append(person.id)
        phone = phone_key(contact.phone)
        if len(phone) >= MIN_PHONE_DIGITS:
            phones[phone].append(person.id)
    for table, reason in ((emails, "same email"), (phones, "same phone")):
        for ids in table.values():
            for n, first in enumerate(ids):
                for second in ids[n + 1 :]:
                    pairs.add(first, second, reason, 100.0)


def person_pairs(
    people: Mapping[str, Record],
    groups: Mapping[str, Record] | None = None,
    *,
    opener: ContactOpener | None = None,
    cutoff: float = NAME_CUTOFF,
) -> list[LikelyPair]:
    """People with the same email or phone (compared only when plain, or opened by opener; never named in a
    reason), or similar names sharing a group; the same name counts too when either of them is in no group."""
    found = [p for p in people.values() if isinstance(p, Person)]
    pairs = _Pairs(Kind.PEOPLE, people)
    _contact_reasons(found, pairs, opener)
    keys = {p.id: name_key(p.name) for p in found}
    by_group: dict[str, list[Person]] = defaultdict(list)
    for person in found:
        for group_id in dict.fromkeys(person.groups):
            by_group[group_id].append(person)
    names = groups or {}
    for group_id, members in by_group.items():
        label = names[group_id].label if group_id in names else group_id
        for i, j, score in _similar_in([keys[p.id] for p in members], cutoff):
            pairs.add(members[i].id, members[j].id, _name_reason(score), score)
            pairs.add(members[i].id, members[j].id, f"both in {label}", score)
    by_name: dict[str, list[Person]] = defaultdict(list)
    for person in found:
        by_name[_name_words(keys[person.id])].append(person)
    for same in by_name.values():
        for n, first in enumerate(same):
            for second in same[n + 1 :]:
                if (not first.groups or not second.groups) and not pairs.has(first.id, second.id):
                    pairs.add(first.id, second.id, "same name", 100.0)
                    pairs.add(first.id, second.id, "one of them is in no group", 100.0)
    return pairs.result()


def find_duplicates(
    index: RecordIndex, kinds: Iterable[Kind] = DUPLICATE_KINDS, *, opener: ContactOpener | None = None
) -> list[LikelyPair]:
    """Likely duplicate groups and people (those of kinds), surest first within each kind."""
    found: list[LikelyPair] = []
    for kind in kinds:
        if kind is Kind.GROUPS:
            found += group_pairs(index.get(Kind.GROUPS, {}))
        elif kind is Kind.PEOPLE:
            found += person_pairs(index.get(Kind.PEOPLE, {}), index.get(Kind.GROUPS, {}), opener=opener)
    return found


def looks_like(
    record: Record, existing: Mapping[str, Record], *, cutoff: float = NAME_CUTOFF, limit: int = 3
) -> list[tuple[Record, float]]:
    """Existing records of the same kind whose name is like this new one's, likest first (groups in another
    area than this one's are left out); for a warning before a new record is saved."""
    name = getattr(record, "name", None)
    if not isinstance(name, str) or not name.strip():
        return []
    area = _area_key(record.area) if isinstance(record, Group) else ""
    others = [
        r
        for r in existing.values()
        if r.id != record.id
        and isinstance(getattr(r, "name", None), str)
        and not (area and isinstance(r, Group) and r.area and _area_key(r.area) != area)
    ]
    sorted_words, run_together = _forms([name_key(str(getattr(r, "name", ""))) for r in others])
    (mine_sorted,), (mine_together,) = _forms([name_key(name)])
    scores: dict[int, float] = {}
    for mine, choices in ((mine_sorted, sorted_words), (mine_together, run_together)):
        for _, score, n in process.extract(
            mine, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None, processor=None
        ):
            scores[n] = max(scores.get(n, 0.0), float(score))
    best = sorted(scores.items(), key=lambda item: (-item[1], others[item[0]].id))[:limit]
    return [(others[n], score) for n, score in best]


def pair_reasons(pair: LikelyPair) -> str:
    return ", ".join(pair.reasons)
