"""Activity ideas from the guide's step 8 by capacity, the groups each suits, and starting an activity from one."""

from __future__ import annotations

import pytest

from allytui.model.enums import ActivityKind, Capacity
from allytui.model.records import Activity, Group, Kind, Record, Team
from allytui.model.suggestions import (
    IDEAS,
    MAX_PARTNERS,
    activity_prefill,
    ideas_for,
    partner_groups,
    suggestions,
    team_capacity,
)
from allytui.model.validation import build_record

LOW = ["picnic", "stall", "climate-conversation", "leafleting"]
CORE = ["workshop", "talk", "justice-dialogue", "climate-cafe", "public-meeting"]
MANY = ["community-assembly", "local-campaign", "direct-action"]
TOGETHER = ["open-letter", "community-event", "mutual-aid", "fundraising", "local-project", "local-action"]


def index_of(*records: Record) -> dict[Kind, dict[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def group(group_id: str, category: str = "faith", stage: str = "allied", **fields: object) -> Group:
    return Group(id=group_id, name=group_id.title(), category=category, stage=stage, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("capacity", "keys"),
    [
        (Capacity.LOW, LOW + TOGETHER),
        (Capacity.CORE, CORE + TOGETHER + LOW),
        (Capacity.MANY, MANY + TOGETHER + CORE + LOW),
    ],
)
def test_ideas_per_capacity(capacity: Capacity, keys: list[str]) -> None:
    assert [idea.key for idea in ideas_for(capacity)] == keys


def test_the_guides_lists_map_to_activity_kinds() -> None:
    kinds = {idea.key: idea.kind for idea in IDEAS}
    assert kinds["picnic"] is ActivityKind.PICNIC
    assert kinds["climate-cafe"] is ActivityKind.CLIMATE_CAFE
    assert kinds["community-assembly"] is ActivityKind.COMMUNITY_ASSEMBLY
    assert kinds["open-letter"] is ActivityKind.OPEN_LETTER
    assert kinds["local-action"] is ActivityKind.DIRECT_ACTION  # the kinds have no separate "local action"
    assert len({idea.key for idea in IDEAS}) == len(IDEAS) == 18
    assert all(idea.kind is not ActivityKind.OTHER for idea in IDEAS)
    assert {idea.for_whom for idea in IDEAS if idea.together} == {"with other groups"}


def test_capacity_comes_from_our_team() -> None:
    assert team_capacity(index_of()) == (Capacity.LOW, False)
    index = index_of(Team(id="us", name="Us", capacity="many"))
    assert team_capacity(index) == (Capacity.MANY, True)
    assert suggestions(index)[0].idea.key == "community-assembly"
    assert suggestions(index_of())[0].idea.key == "picnic"
    assert suggestions(index, Capacity.LOW)[0].idea.key == "picnic"


def test_only_groups_we_talk_to_fit_never_a_national_contact() -> None:
    index = index_of(
        group("allied", alignment=1),
        group("meeting", stage="meeting"),
        group("talking", stage="in_conversation", alignment=2),
        group("talking-more", stage="in_conversation", alignment=-1),
        group("contacted", stage="contacted"),
        group("researched", stage="researched"),
        group("declined", stage="declined"),
        group("paused", stage="paused"),
        group("national", national_contact=True),
    )
    assert [g.id for g in partner_groups(index)] == ["allied", "meeting", "talking", "talking-more"]
    picnic = next(s for s in suggestions(index, Capacity.LOW) if s.idea.key == "picnic")
    assert [(g.group_id, g.why) for g in picnic.groups][:1] == [("allied", "any group")]
    assert len(picnic.groups) == 4


def test_groups_fit_by_category_or_tag() -> None:
    index = index_of(
        group("garden", "gardening"),
        group("church", "faith", tags=["venue"]),
        group("club", "sports"),
        group("union", "trade_union", stage="meeting"),
    )
    found = {s.idea.key: s for s in suggestions(index, Capacity.MANY)}
    workshop = [(g.group_id, g.why) for g in found["workshop"].groups]
    assert workshop == [("church", "tagged venue"), ("garden", "gardening")]  # same stage and alignment: by name
    assert [g.group_id for g in found["local-action"].groups] == ["union"]
    assert [(g.group_id, g.why) for g in found["justice-dialogue"].groups] == [
        ("church", "faith"),
        ("union", "trade union"),
    ]
    assert found["open-letter"].groups[-1].group_id == "union"  # meeting comes after allied
    assert "club" not in [g.group_id for g in found["talk"].groups]


def test_no_groups_yet() -> None:
    assert all(s.groups == [] for s in suggestions(index_of(group("x", stage="researched")), Capacity.CORE))


def test_plans_already_made_are_named() -> None:
    index = index_of(
        Activity(id="a", title="December café", kind="climate_cafe", status="planned"),
        Activity(id="b", title="An idea", kind="climate_cafe"),
        Activity(id="c", title="Last year's", kind="climate_cafe", status="done"),
        Activity(id="d", title="Called off", kind="workshop", status="cancelled"),
    )
    found = {s.idea.key: s for s in suggestions(index, Capacity.CORE)}
    assert found["climate-cafe"].existing == ["An idea", "December café"]
    assert found["workshop"].existing == []


def test_prefill_makes_a_valid_activity_with_roles_to_agree() -> None:
    index = index_of(*(group(f"g{n}", "gardening") for n in range(5)))
    workshop = next(s for s in suggestions(index, Capacity.CORE) if s.idea.key == "workshop")
    prefill = activity_prefill(workshop)
    assert prefill["title"] == workshop.idea.title
    assert prefill["kind"] == "workshop" and prefill["status"] == "idea"
    assert prefill["partners"] == [{"group": f"g{n}", "role": "", "agreed": False} for n in range(MAX_PARTNERS)]
    assert "step 8" in prefill["notes"]
    record, errors = build_record(Kind.ACTIVITIES, "workshop", prefill)
    assert errors == [] and isinstance(record, Activity)
    assert [p.agreed for p in record.partners] == [False] * MAX_PARTNERS

    chosen = activity_prefill(workshop, ["g4", "g4", "g1"])
    assert [p["group"] for p in chosen["partners"]] == ["g4", "g1"]
    assert activity_prefill(workshop, [])["partners"] == []
