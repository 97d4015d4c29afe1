"""Region matching: our 1,000 groups against 30 participants x 1,000 groups, against a plain exact-name join.

    /work/main/.venv/bin/python bench/region.py [--participants 30] [--groups 1000] [--ours 1000]
                                                [--shared 0.2] [--reps 5] [--seed 1]

Builds the records in memory with the real pydantic models (no files, no git). Names are a place, now and
then a word, and a kind of group ("Canal Repair Cafe", "Hillcrest housing Tenants Union"), in one of eight
areas; half have a website. Each participant's groups are new ones, except a share (--shared) that are
ours as another group would write them: "The ... Ltd", "Foodbank" for "Food Bank", a typo, a different
page on the same site, or exactly the same.

Timed alternately after one untimed warm-up of each, medians reported:
  - baseline: exact-name join: a dict of every participant's names, looked up with each of ours;
  - match_all: what `allytui region who/status` and sync do (each run with no name key remembered, as in a
    new process): index the region (website, domain, name
    spacing aside, name blocks) and match each of ours by website, else by name within the area with
    rapidfuzz token-set similarity, keeping the best per participant with its reason.
  - match_all, names known: the same in a process that has matched these names before (the app).
Target: match_all under 1 s at the default size.
"""

from __future__ import annotations

import random
import sys

from allytui.model import region
from allytui.model.enums import Category
from allytui.model.records import Group
from allytui.model.region import Participant, ParticipantView, PublishedGroup, exact_name_join, match_all
from common import alternate, arguments, ratio, ratio_table, timed


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


PLACES = _split(
    "Riverside Northfield Eastgate Hillcrest Meadow Station Canal Market Oakwood Brook Valley Parkside Westbury "
    "Southend Millbrook Harbour Ashton Greenway Kingsley Elmfield Lowfield Bridgeside Fairview Highbury"
)
WORDS = _split(
    "community climate housing green energy transport cycle park school parents food garden union workers "
    "tenants young elders disability access trees library estate neighbours families friends"
)
KINDS = _split(
    "Tenants Union|Residents Association|Food Bank|Community Garden|Climate Action|Trades Council|Parents Forum|"
    "Cycling Club|Faith Forum|Disability Network|Youth Club|Reading Group|Repair Cafe|Women's Network|"
    "Pensioners Forum|Allotment Society|Mutual Aid|Football Club|Baptist Church|Islamic Centre",
    "|",
)
AREAS = _split("Riverside|Northfield|Eastgate|Hillcrest|Town centre|Canal ward|Old Market|Oakwood estate", "|")
BASELINE = "baseline: exact-name join"


def new_group(rng: random.Random, gid: str) -> Group:
    word = f" {rng.choice(WORDS)}" if rng.random() < 0.6 else ""
    name = f"{rng.choice(PLACES)}{word} {rng.choice(KINDS)}"
    site = f"https://{name.lower().replace(' ', '').replace(chr(39), '')}{rng.randrange(100)}.org.uk" * (
        rng.random() < 0.5
    )
    category = rng.choice(list(Category))
    return Group(id=gid, name=name, category=category, area=rng.choice(AREAS), website=site)


def typo(rng: random.Random, name: str) -> str:
    n = rng.randrange(1, len(name) - 1)
    return name[:n] + name[n + 1 :] if name[n] != " " else name


def as_they_write_it(rng: random.Random, ours: Group, gid: str) -> PublishedGroup:
    """One of our groups as another participant would have it."""
    how = rng.randrange(5)
    name, website = ours.name, ours.website
    if how == 0:
        name = f"The {name} Ltd"
    elif how == 1:
        name = name.replace("Food Bank", "Foodbank").replace("Repair Cafe", "Repair Café")
    elif how == 2:
        name, website = typo(rng, name), ""
    elif how == 3 and website:
        website = website.rstrip("/") + "/about-us"
    return PublishedGroup(id=gid, name=name, category=ours.category, area=ours.area, website=website)


def build(participants: int, groups: int, ours_count: int, shared: float, seed: int) -> tuple[list[Group], list]:
    rng = random.Random(seed)
    ours = [new_group(rng, f"g{n}") for n in range(ours_count)]
    views: list[ParticipantView] = []
    for p in range(participants):
        items: dict[str, PublishedGroup] = {}
        for n in range(groups):
            gid = f"p{p}-g{n}"
            if rng.random() < shared:
                items[gid] = as_they_write_it(rng, rng.choice(ours), gid)
            else:
                g = new_group(rng, gid)
                items[gid] = PublishedGroup(id=gid, name=g.name, category=g.category, area=g.area, website=g.website)
        views.append(ParticipantView(Participant(id=f"p{p}", name=f"Participant {p}"), items))
    return ours, views


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--groups", type=int, default=1000, help="per participant")
    parser.add_argument("--ours", type=int, default=1000)
    parser.add_argument("--shared", type=float, default=0.2, help="share of their groups that are ours")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    seconds, (ours, views) = timed(lambda: build(args.participants, args.groups, args.ours, args.shared, args.seed))
    print(
        f"our {len(ours)} groups against {len(views)} participants x {args.groups} groups "
        f"({args.shared:.0%} of theirs ours, written their way); records built in {seconds:.1f} s"
    )
    exact = exact_name_join(ours, views)
    found = match_all(ours, views)
    print(
        f"exact-name join: {sum(map(len, exact.values()))} pairs for {len(exact)} of our groups; "
        f"match_all: {sum(map(len, found.values()))} pairs for {len(found)} of our groups"
    )
    reasons: dict[str, int] = {}
    for matches in found.values():
        for match in matches:
            kind = match.reason.split(" (")[0]
            reasons[kind] = reasons.get(kind, 0) + 1
    print("match_all by reason: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda i: -i[1])))

    def run_exact() -> float:
        return timed(lambda: exact_name_join(ours, views))[0]

    def run_match() -> float:
        region._name_key.cache_clear()  # as a fresh `allytui region who` process: no name remembered yet
        return timed(lambda: match_all(ours, views))[0]

    def run_warm() -> float:
        return timed(lambda: match_all(ours, views))[0]

    times = alternate({BASELINE: run_exact, "match_all": run_match, "match_all, names known": run_warm}, args.reps)
    ratio_table(times, BASELINE, width=26)
    median = sorted(times["match_all"])[len(times["match_all"]) // 2]
    print(f"match_all median {median:.3f} s ({ratio(times, 'match_all', BASELINE):.1f}x the exact-name join)")
    print("target met: under 1 s" if median < 1 else "TARGET MISSED: 1 s or more")
    return 0 if median < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
