"""Synthetic data repos for the benchmarks: N valid records of realistic size, in one commit.

Used as a module by the other benchmarks (`generate_repo(root, n, seed, groups=None)`) and as a CLI:

    /work/main/.venv/bin/python bench/generate.py --n 10000 [--groups G] [--seed 1] [--out DIR] [--no-pack]

Mix: ~5% groups, ~25% people, ~65% conversations (over 2020-2026, in conversations/<year>/),
~5% activities, and one team. With `groups=G` (--groups G) exactly G of the n records are groups
and the other n - G are the team, people, activities and conversations in the usual proportions.
Every record is built with the real pydantic models and written with the real `dump_record`, so
the files are exactly what allytui writes. Every reference
(lead, member_of, groups, knows, group, their_people, our_people, partners, members) points at a
record that exists. The repo is made with `DataRepo.init`; the records are then written with plain
file writes and committed in one `git add -A && git commit`, then packed (as after a clone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from allytui.model.enums import (
    ActivityKind,
    ActivityStatus,
    Capacity,
    Category,
    Channel,
    ShortlistReason,
    Stage,
)
from allytui.model.ids import slugify, unique_id
from allytui.model.records import (
    Activity,
    ContactDetails,
    Conversation,
    Group,
    Kind,
    Knows,
    Partner,
    Person,
    Record,
    Team,
)
from allytui.store.codec import dump_record
from allytui.store.layout import path_of
from allytui.store.repo import DataRepo
from common import git, scratch_dir

TEAM_ID = "our-team"
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2026, 11, 25)

# Local config of every scratch repo: an identity, no signing, and no automatic gc/maintenance
# (a detached background `git gc` on a 2-core machine would spoil every timing after it).
SCRATCH_CONFIG = {
    "user.name": "Bench Organiser",
    "user.email": "bench@example.org",
    "commit.gpgsign": "false",
    "gc.auto": "0",
    "maintenance.auto": "false",
}


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


WORDS = _split(
    "community climate housing rent local council green energy transport bus cycle lane park "
    "school parents food bank allotment garden church mosque temple union workers tenants "
    "repairs heating insulation bills cost living fair jobs training young people elders care "
    "disability access flooding trees air quality pollution traffic safety street library "
    "meeting assembly petition campaign letter newsletter leaflet stall festival fundraiser "
    "volunteers members committee chair secretary treasurer network alliance coalition trust "
    "respect listen share support together demand change plan vote councillor mayor budget "
    "waste recycling repair cafe solar retrofit warm homes winter summer market high street "
    "shops small business landlord eviction homes estate neighbours residents association"
)
FIRST_NAMES = _split(
    "Aisha Ben Chloe Dev Elena Farid Grace Hamza Isla Jonah Kofi Lena Maya Nadia Owen Priya Quinn "
    "Rosa Sam Tariq Uma Victor Wen Xavier Yara Zoe Amir Bea Carlos Dina Emeka Fatima Gus Hana "
    "Ivan Jess Kai Leila Marcus Nora"
)
LAST_NAMES = _split(
    "Ahmed Brown Clarke Davies Evans Fernandes Green Hussain Iqbal Jones Khan Lewis Martin Nowak "
    "Okafor Patel Quigley Roberts Singh Taylor Usman Vaughan Walker Xu Young Zielinski Murphy "
    "O'Brien Kowalski Mensah"
)
GROUP_WORDS = _split(
    "Riverside Northfield Eastgate Hillcrest Meadow Station Canal Market Oakwood Brook Valley "
    "Parkside Westbury Southend Millbrook Harbour Ashton Greenway Kingsley Elmfield"
)
GROUP_TYPES = _split(
    "Tenants Union|Residents Association|Food Bank|Community Garden|Climate Action|Trades Council|"
    "Parents Forum|Cycling Club|Faith Forum|Disability Network|Youth Club|Reading Group|"
    "Repair Cafe|Women's Network|Pensioners Forum|Allotment Society|Mutual Aid|Football Club",
    "|",
)
AREAS = _split("Riverside|Northfield|Eastgate|Hillcrest|Town centre|Canal ward|Old Market|Oakwood estate", "|")
ROLES = _split("chair|secretary|treasurer|organiser|volunteer|member|coordinator|trustee|minister|caretaker", "|")
TAGS = _split("housing climate transport food youth faith health energy parks schools unions arts")


@dataclass
class Generated:
    """A generated data repo: where it is, the ids of each kind, and what making it cost."""

    root: Path
    ids: dict[Kind, list[str]] = field(default_factory=dict)
    bytes_by_kind: dict[Kind, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.ids.values())


def mix(n: int, groups: int | None = None) -> dict[Kind, int]:
    """How many records of each kind make n in all (one of them the team).

    groups: exactly this many groups; the rest (n - groups) are shared out as usual among the
    team (one), people (at least two), activities and conversations.
    """
    if groups is not None:
        rest = n - groups - 1
        if groups < 1 or rest < 2:
            raise ValueError("groups must be at least 1 and leave at least 3 other records (team, 2 people)")
        people = max(2, round(rest * 25 / 95))
        activities = min(rest - people, round(rest * 5 / 95))
        return {
            Kind.TEAMS: 1,
            Kind.GROUPS: groups,
            Kind.PEOPLE: people,
            Kind.ACTIVITIES: activities,
            Kind.CONVERSATIONS: rest - people - activities,
        }
    if n < 20:
        raise ValueError("n must be at least 20")
    counts = {
        Kind.TEAMS: 1,
        Kind.GROUPS: max(1, round(n * 0.05)),
        Kind.PEOPLE: max(2, round(n * 0.25)),
        Kind.ACTIVITIES: max(1, round(n * 0.05)),
    }
    counts[Kind.CONVERSATIONS] = n - sum(counts.values())
    return counts


class _Maker:
    """Deterministic synthetic content from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def sentence(self, low: int = 6, high: int = 14) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences_low: int, sentences_high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(sentences_low, sentences_high)))

    def lines(self, low: int, high: int) -> str:
        """Multi-line text, as an organiser types notes: one point per line."""
        return "\n".join(self.sentence(4, 10) for _ in range(self.rng.randint(low, high)))

    def date(self, start: dt.date = FIRST_DAY, end: dt.date = LAST_DAY) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def suffix(self) -> str:
        return "".join(self.rng.choices("abcdefghjkmnpqrstuvwxyz23456789", k=4))

    def sample(self, items: list[str], low: int, high: int) -> list[str]:
        return self.rng.sample(items, min(len(items), self.rng.randint(low, high)))


def _records(n: int, seed: int, groups: int | None = None) -> Iterator[Record]:
    """The n records, in an order where nothing is needed before it is made (ids come first)."""
    counts = mix(n, groups)
    make = _Maker(seed)
    rng = make.rng

    taken: set[str] = set()
    group_names = []
    for _ in range(counts[Kind.GROUPS]):
        name = f"{rng.choice(GROUP_WORDS)} {rng.choice(GROUP_TYPES)}"
        group_names.append((unique_id(slugify(name), taken), name))
        taken.add(group_names[-1][0])
    group_ids = [gid for gid, _ in group_names]

    taken = set()
    person_names = []
    for _ in range(counts[Kind.PEOPLE]):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        person_names.append((unique_id(slugify(name), taken), name))
        taken.add(person_names[-1][0])
    person_ids = [pid for pid, _ in person_names]
    members = person_ids[: min(40, max(2, len(person_ids) // 20))]  # our own members
    member_set = set(members)

    yield Team(
        id=TEAM_ID,
        name="Our local climate team",
        area="Riverside and Northfield",
        capacity=Capacity.CORE,
        members=members,
        motivations=make.paragraph(2, 3),
        priorities=make.lines(3, 5),
        red_lines=[make.sentence(4, 8) for _ in range(2)],
        notes=make.paragraph(1, 2),
    )

    for gid, name in group_names:
        yield Group(
            id=gid,
            name=name,
            category=rng.choice(list(Category)),
            area=rng.choice(AREAS),
            website=f"https://{gid}.example.org",
            stage=rng.choice(list(Stage)),
            influence=rng.randint(1, 5),
            alignment=rng.randint(-2, 2),
            size_estimate=rng.randint(5, 2000),
            national_contact=rng.random() < 0.05,
            lead=rng.choice(members),
            next_action=make.sentence(4, 9),
            next_action_due=make.date(dt.date(2026, 1, 1), dt.date(2027, 6, 30)),
            shortlist_reasons=rng.sample(list(ShortlistReason), rng.randint(1, 3)),
            shortlist_notes=make.sentence(),
            tags=rng.sample(TAGS, rng.randint(1, 4)),
            aims=make.paragraph(1, 2),
            theory_of_change=make.sentence(10, 18),
            organisation=make.sentence(8, 14),
            networks=make.sentence(6, 12),
            red_lines=[make.sentence(3, 7) for _ in range(rng.randint(1, 2))],
            notes=make.lines(1, 3),
        )

    for pid, name in person_names:
        knows = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.7:
                other = rng.choice(person_ids)
                knows.append(Knows(person=other, how=make.words(2, 5), strength=rng.randint(1, 3)))
            else:
                knows.append(Knows(group=rng.choice(group_ids), how=make.words(2, 5), strength=rng.randint(1, 3)))
        consent = rng.random() < 0.8
        yield Person(
            id=pid,
            name=name,
            role=rng.choice(ROLES),
            member_of=TEAM_ID if pid in member_set else None,
            groups=make.sample(group_ids, 1, 2),
            influence=rng.randint(1, 5),
            alignment=rng.randint(-2, 2),
            consent=consent,
            consent_date=make.date() if consent else None,
            knows=knows,
            contact=ContactDetails(email=f"{pid}@example.net", phone=f"07700 9{rng.randint(0, 99999):05d}")
            if consent
            else None,
            notes=make.sentence(6, 16),
        )

    taken = set()
    for _ in range(counts[Kind.CONVERSATIONS]):
        on = make.date()
        gid = rng.choice(group_ids)
        conversation_id = f"{on.isoformat()}-{gid[:40].rstrip('-')}-{make.suffix()}"
        while conversation_id in taken:  # as unlikely as for allytui's own ids, but never overwrite
            conversation_id = f"{conversation_id[:-4]}{make.suffix()}"
        taken.add(conversation_id)
        yield Conversation(
            id=conversation_id,
            date=on,
            group=gid,
            channel=rng.choice(list(Channel)),
            their_people=make.sample(person_ids, 1, 2),
            our_people=make.sample(members, 1, 2),
            cares_about=make.paragraph(1, 3),
            values_and_aims=make.paragraph(1, 3),
            common_ground=make.sentence(8, 16),
            red_lines=make.sentence(5, 10),
            concerns=make.paragraph(1, 3),
            outcome=make.sentence(8, 16),
            next_steps=make.lines(1, 4),
            follow_up=on + dt.timedelta(days=rng.randint(7, 60)),
            notes=make.paragraph(2, 4),
        )

    for n_activity in range(counts[Kind.ACTIVITIES]):
        kind = rng.choice(list(ActivityKind))
        title = f"{rng.choice(GROUP_WORDS)} {kind.value.replace('_', ' ')}"
        yield Activity(
            id=f"{slugify(title, 48)}-{n_activity}",
            title=title,
            kind=kind,
            status=rng.choice(list(ActivityStatus)),
            date=make.date(),
            location=f"{rng.choice(GROUP_WORDS)} community hall",
            partners=[
                Partner(group=gid, role=make.words(2, 5), agreed=rng.random() < 0.5)
                for gid in make.sample(group_ids, 1, 3)
            ],
            notes=make.paragraph(1, 3),
        )


def init_scratch_repo(root: Path) -> DataRepo:
    """An empty data repo made by DataRepo.init, with the scratch repo's local git config set."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for key, value in SCRATCH_CONFIG.items():
        git(root, "config", key, value)
    return DataRepo.init(root, name="bench")


def generate_repo(root: Path, n: int, seed: int = 1, *, pack: bool = True, groups: int | None = None) -> Generated:
    """Make a data repo of n records at root (which must not exist or be empty), one commit.

    groups: exactly this many of the n records are groups (default: ~5%, see `mix`).
    """
    started = time.perf_counter()
    init_scratch_repo(root)
    result = Generated(root.resolve())
    result.ids = {kind: [] for kind in Kind}
    result.bytes_by_kind = dict.fromkeys(Kind, 0)
    t0 = time.perf_counter()
    folders: set[Path] = set()
    for record in _records(n, seed, groups):
        path = root / path_of(record)
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        data = dump_record(record).encode()
        path.write_bytes(data)
        result.ids[record.KIND].append(record.id)
        result.bytes_by_kind[record.KIND] += len(data)
    t1 = time.perf_counter()
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"bench: {n} synthetic records (seed {seed})")
    t2 = time.perf_counter()
    if pack:
        git(root, "repack", "-a", "-d", "-q")
        git(root, "prune-packed")
    t3 = time.perf_counter()
    result.seconds = {"build+write": t1 - t0, "add+commit": t2 - t1, "pack": t3 - t2, "total": t3 - started}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="records in all (default 10000)")
    parser.add_argument("--groups", type=int, help="exactly this many of the n records are groups (default ~5%%)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for the repo (default: a new one under bench/out/)")
    parser.add_argument("--no-pack", action="store_true", help="leave the objects loose")
    args = parser.parse_args(argv)
    root = args.out or scratch_dir(f"repo-{args.n}-")
    if root.exists() and any(root.iterdir()):
        parser.error(f"{root} is not empty")
    made = generate_repo(root, args.n, args.seed, pack=not args.no_pack, groups=args.groups)
    print(f"{made.root}: {made.count} records")
    print(f"{'kind':<14}{'records':>9}{'avg bytes':>11}")
    for kind in Kind:
        count = len(made.ids[kind])
        average = made.bytes_by_kind[kind] / count if count else 0
        print(f"{kind.value:<14}{count:>9}{average:>11.0f}")
    print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in made.seconds.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
