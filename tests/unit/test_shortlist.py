"""Ranking groups to approach (step 3) and "who's not here?", from hand-built records and the sample data."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from allytui.model.enums import Category, Stage
from allytui.model.records import Group, Kind, Person, Record, ShortlistWeights
from allytui.model.shortlist import (
    NO_CONTACT,
    NO_GROUP,
    ONLY_DECLINED,
    Acquaintance,
    Reason,
    Score,
    acquaintances,
    gaps,
    numbered,
    rank,
    score,
)
from allytui.store.loader import load_repo

GROUPDATA = Path(__file__).resolve().parents[2] / "groupdata"
WEIGHTS = ShortlistWeights()


def index_of(*records: Record) -> dict[Kind, dict[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def group(group_id: str, name: str = "", **fields: object) -> Group:
    return Group.model_validate({"id": group_id, "name": name or group_id, "category": "faith", **fields})


def member(person_id: str, **fields: object) -> Person:
    return Person.model_validate({"id": person_id, "name": person_id.title(), "member_of": "us", **fields})


def outsider(person_id: str, **fields: object) -> Person:
    return Person.model_validate({"id": person_id, "name": person_id.title(), **fields})


def names(scores: list[Score]) -> list[str]:
    return [s.group.id for s in scores]


def points_of(item: Score) -> dict[str, float]:
    return {label: round(points, 2) for label, points in item.reasons}


# each reason


def test_a_group_with_nothing_filled_in_scores_zero_and_says_what_is_missing() -> None:
    item = score(group("bare"), WEIGHTS)
    assert item.total == 0.0
    assert item.reasons == (Reason("known: none of our members knows it or its people", 0.0),)
    assert item.missing == ("influence", "alignment", "size estimate")


def test_each_reason_and_its_points() -> None:
    known = (Acquaintance("ana", "Ana", ("is in it",)), Acquaintance("ben", "Ben", ("knows the group",)))
    item = score(
        group(
            "full",
            shortlist_reasons=["large_network", "similar_aims"],  # shown in the guide's order
            influence=4,
            alignment=2,
            size_estimate=400,
        ),
        WEIGHTS,
        known,
    )
    assert [(label, round(points, 2)) for label, points in item.reasons] == [
        ("similar aims", 2.0),
        ("large network", 1.5),
        ("influence 4", 4.0),
        ("alignment +2", 3.0),
        ("network ~400 people", 2.6),
        ("known: 2 of our members know it or its people", 2.0),
    ]
    assert item.total == pytest.approx(2.0 + 1.5 + 4.0 + 3.0 + math.log10(400) + 2.0)
    assert item.missing == ()
    assert item.known_by == known


def test_every_shortlist_reason_uses_its_own_weight() -> None:
    weights = ShortlistWeights(similar_aims=1, local_influence=2, large_network=4, benefits_from_demands=8)
    item = score(
        group("g", shortlist_reasons=["benefits_from_demands", "local_influence", "similar_aims", "large_network"]),
        weights,
    )
    assert points_of(item) == {
        "similar aims": 1.0,
        "local influence": 2.0,
        "large network": 4.0,
        "would benefit from our demands": 8.0,
        "known: none of our members knows it or its people": 0.0,
    }
    assert item.total == 15.0


def test_opposition_takes_points_away_and_neutral_adds_none() -> None:
    assert points_of(score(group("g", alignment=-2), WEIGHTS))["alignment -2"] == -3.0
    assert points_of(score(group("g", alignment=0), WEIGHTS))["alignment 0"] == 0.0


@pytest.mark.parametrize(
    ("size", "label", "points"),
    [
        (0, "network ~0 people", 0.0),
        (1, "network ~1 person", 0.0),
        (10, "network ~10 people", 1.0),
        (1000, "network ~1,000 people", 3.0),
        (20000, "network ~20,000 people", 4.3),
    ],
)
def test_network_size_counts_per_tenfold(size: int, label: str, points: float) -> None:
    assert points_of(score(group("g", size_estimate=size), WEIGHTS))[label] == points


def test_weights_from_settings_change_the_order() -> None:
    big = group("big", influence=5, alignment=0)
    friendly = group("friendly", influence=1, alignment=2)
    index = index_of(big, friendly)
    assert names(rank(index, ShortlistWeights())) == ["big", "friendly"]  # 5 + 0 against 1 + 3
    assert names(rank(index, ShortlistWeights(alignment=3))) == ["friendly", "big"]  # 5 + 0 against 1 + 6
    assert names(rank(index, ShortlistWeights(influence=0, alignment=0))) == ["big", "friendly"]  # a tie: by name


def test_ties_are_broken_by_name_whatever_the_order_of_the_records() -> None:
    records = [group("c", "Cedar Hall"), group("a", "acorn club"), group("b", "Birch Lane")]
    assert names(rank(index_of(*records), WEIGHTS)) == ["a", "b", "c"]
    assert names(rank(index_of(*reversed(records)), WEIGHTS)) == ["a", "b", "c"]


def test_sums_equal_but_for_float_noise_count_as_a_tie() -> None:
    # 0.1 + 0.2 != 0.3 in floating point; the name decides, not the noise
    first = group("zeta", "Zeta", shortlist_reasons=["similar_aims", "local_influence"])
    second = group("alpha", "Alpha", shortlist_reasons=["large_network"])
    weights = ShortlistWeights(similar_aims=0.1, local_influence=0.2, large_network=0.3)
    assert names(rank(index_of(first, second), weights)) == ["alpha", "zeta"]


def test_declined_groups_are_left_out() -> None:
    index = index_of(group("no", stage="declined", influence=5), group("yes"))
    assert names(rank(index, WEIGHTS)) == ["yes"]


def test_national_contacts_keep_their_score_but_come_after_every_local_group() -> None:
    national = group("union-hq", "Union HQ", influence=5, alignment=2, size_estimate=50000, national_contact=True)
    local = group("choir", "Choir", influence=1)
    ranked = rank(index_of(national, local), WEIGHTS)
    assert names(ranked) == ["choir", "union-hq"]
    assert ranked[1].national and ranked[1].total > ranked[0].total
    assert [(n, s.group.id) for n, s in numbered(ranked)] == [(1, "choir"), (None, "union-hq")]


def test_known_through_a_members_link_to_one_of_its_people() -> None:
    index = index_of(
        group("st-marys"),
        outsider("rev-okafor", name="Rev. Okafor", groups=["st-marys"]),
        member("ana", knows=[{"person": "rev-okafor", "how": "choir"}]),
    )
    (item,) = rank(index, WEIGHTS)
    assert item.known_by == (Acquaintance("ana", "Ana", ("knows Rev. Okafor",)),)
    assert points_of(item)["known: 1 of our members knows it or its people"] == 1.0


def test_each_member_counts_once_however_many_ways_they_know_the_group() -> None:
    index = index_of(
        group("g"),
        outsider("p1", groups=["g"]),
        outsider("p2", groups=["g"]),
        member(
            "ana",
            groups=["g"],
            knows=[{"group": "g"}, {"person": "p1"}, {"person": "p2", "strength": 1}],
        ),
        member("ben", knows=[{"group": "g", "strength": 3}]),
    )
    known = acquaintances(index)["g"]
    assert [(a.member_id, a.via) for a in known] == [
        ("ana", ("is in it", "knows the group", "knows P1", "knows P2")),
        ("ben", ("knows the group",)),
    ]
    (item,) = rank(index, WEIGHTS)
    assert points_of(item)["known: 2 of our members know it or its people"] == 2.0


def test_only_our_members_links_count_and_odd_links_are_harmless() -> None:
    index = index_of(
        group("g"),
        outsider("p1", groups=["g"], knows=[{"group": "g"}]),  # not one of ours
        outsider("p2", knows=[{"person": "p1"}]),
        member("ana", knows=[{"person": "ana"}, {"person": "gone"}, {"group": "gone-too"}]),  # self, missing
    )
    (item,) = rank(index, WEIGHTS)
    assert item.known_by == ()
    assert acquaintances(index) == {"gone-too": (Acquaintance("ana", "Ana", ("knows the group",)),)}


def test_the_known_weight_scales_it() -> None:
    index = index_of(group("g"), member("ana", groups=["g"]))
    (item,) = rank(index, ShortlistWeights(known=2.5))
    assert item.total == 2.5


# who's not here?


def test_gaps_name_every_category_with_what_is_missing() -> None:
    index = index_of(
        group("church", category="faith", stage="allied"),
        group("mosque", category="faith", stage="researched"),
        group("pta", category="pta", stage="shortlisted"),
        group("club", category="sports", stage="declined"),
        group("garden", category="gardening", stage="paused"),
        group("chamber", category="other", stage="researched"),
    )
    found = {g.category: g for g in gaps(index)}
    assert Category.OTHER not in found
    assert list(found) == [c for c in Category if c is not Category.OTHER]
    faith = found[Category.FAITH]
    assert (faith.groups, faith.past_researched, faith.contacted, faith.talking, faith.gap) == (2, 1, 1, 1, "")
    assert found[Category.PTA].gap == NO_CONTACT
    assert found[Category.SPORTS].gap == ONLY_DECLINED
    assert found[Category.GARDENING].gap == ""  # paused: we have been in touch
    assert found[Category.LGBTQ].gap == NO_GROUP
    assert (found[Category.LGBTQ].groups, found[Category.LGBTQ].talking) == (0, 0)


def test_a_declined_group_beside_an_unapproached_one_is_still_no_contact() -> None:
    index = index_of(group("a", category="pta", stage="declined"), group("b", category="pta"))
    assert {g.category: g.gap for g in gaps(index)}[Category.PTA] == NO_CONTACT


# the sample data


def test_the_ranking_of_the_sample_data_is_plausible() -> None:
    loaded = load_repo(GROUPDATA)
    ranked = rank(loaded.records, loaded.settings.shortlist)
    by_id = {s.group.id: s for s in ranked}
    assert "keep-riverton-moving" not in by_id  # declined
    assert len(ranked) == sum(1 for g in loaded.records[Kind.GROUPS].values() if g.stage is not Stage.DECLINED)
    assert ranked[-1].national  # the union's regional office: route via the national team
    local = [s for s in ranked if not s.national]
    assert local == sorted(local, key=lambda s: (-round(s.total, 6), s.group.name.lower()))
    # an allied group with similar aims, influence and a member who knows the vicar beats a sceptical motor club
    assert local[0].group.id == "st-marys-church"
    assert local[-1].group.id == "arle-valley-motor-club"
    assert by_id["st-marys-church"].known_by[0].name == "Gareth Lewis"
    # of those still to decide on, the football club's reach puts it first
    deciding = [s.group.id for s in local if s.deciding]
    assert deciding[0] == "riverton-town-fc"
    assert all(s.total > 0 for s in local[:-1])


def test_the_sample_data_has_gaps_of_every_kind_the_guide_asks_about() -> None:
    loaded = load_repo(GROUPDATA)
    found = {g.gap for g in gaps(loaded.records)}
    assert {NO_GROUP, NO_CONTACT, ""} <= found


def test_the_model_loads_no_textual_and_no_git() -> None:
    code = "import sys, allytui.model.shortlist; print(sorted(m for m in ('textual', 'git') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
