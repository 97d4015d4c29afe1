"""The region's pure parts: the allow-list, what we publish, matching organisations, the region's status."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from allytui.model.enums import Category, Stage
from allytui.model.records import Conversation, Group, Person, RepoSettings
from allytui.model.region import (
    HELD_NATIONALLY,
    Participant,
    ParticipantView,
    PublishedGroup,
    also_in_touch,
    match_all,
    region_status,
    what_we_publish,
)
from allytui.model.region_settings import DEFAULT_PUBLISH, ParticipantKind, RegionSettings


def view(pid: str, *groups: PublishedGroup, kind: str = "local", name: str = "") -> ParticipantView:
    participant = Participant(id=pid, name=name or pid.title(), kind=ParticipantKind(kind))
    return ParticipantView(participant, {g.id: g for g in groups})


def test_settings_default_allow_list_and_refusals() -> None:
    assert RepoSettings().region.publish == DEFAULT_PUBLISH
    assert not RepoSettings().region.joined
    with pytest.raises(ValidationError, match="cannot be shared"):
        RegionSettings(publish=["name", "notes"])
    with pytest.raises(ValidationError, match="name must be shared"):
        RegionSettings(publish=["category"])
    with pytest.raises(ValidationError):
        RegionSettings.model_validate({"url": "x", "contact": True})
    with pytest.raises(ValidationError):
        RegionSettings(participant="Not An Id")


def test_we_publish_only_the_allow_list_never_private_groups() -> None:
    lead = Person(id="sam-jones", name="Sam Jones")
    groups = [
        Group(
            id="food",
            name="Riverton Food Bank",
            category="food_bank",
            area="Riverton",
            website="https://riverton-food.org/",
            stage="meeting",
            influence=4,
            alignment=2,
            notes="secret notes",
            red_lines=["no parties"],
            lead="sam-jones",
        ),
        Group(id="hidden", name="Hidden", category="faith", tags=["private"]),
    ]
    talks = [
        Conversation(id="2026-10-03-food-aaaa", date=dt.date(2026, 10, 3), group="food", notes="said things"),
        Conversation(id="2026-09-01-food-bbbb", date=dt.date(2026, 9, 1), group="food"),
    ]
    shared = what_we_publish(groups, talks, {"sam-jones": lead}, RegionSettings(url="x"))
    assert list(shared) == ["food"]
    data = shared["food"].model_dump(exclude_defaults=True, exclude_none=True)
    assert data == {
        "name": "Riverton Food Bank",
        "category": Category.FOOD_BANK,
        "area": "Riverton",
        "website": "https://riverton-food.org/",
        "stage": Stage.MEETING,
        "last_contact_month": "2026-10",
    }
    narrower = what_we_publish(groups, talks, {"sam-jones": lead}, RegionSettings(publish=["name", "lead_first_name"]))
    assert narrower["food"].model_dump(exclude_defaults=True, exclude_none=True) == {
        "name": "Riverton Food Bank",
        "lead_first_name": "Sam",
    }


def test_national_participant_publishes_only_national_contacts() -> None:
    groups = [
        Group(id="tuc", name="Trades Council", category="trade_union", national_contact=True),
        Group(id="club", name="Chess Club", category="other"),
    ]
    shared = what_we_publish(groups, [], {}, RegionSettings(kind="national"))
    assert list(shared) == ["tuc"]


def test_matching_by_website_then_name_within_the_area_with_reasons() -> None:
    ours = [
        Group(
            id="food", name="Riverton Food Bank", category="food_bank", area="Riverton", website="https://www.rfb.org"
        ),
        Group(id="marys", name="St Mary's Church", category="faith", area="Riverton"),
        Group(id="climate", name="Riverton Climate Action", category="environmental", area="Riverton"),
        Group(id="fb", name="Friends", category="other", website="https://facebook.com/friends1"),
        Group(id="lone", name="Riverton", category="other", area="Riverton"),
    ]
    theirs = view(
        "north",
        PublishedGroup(id="a", name="The Food Bank", website="http://rfb.org/about", area="Elsewhere"),
        PublishedGroup(id="b", name="Saint Marys", area="Riverton"),
        PublishedGroup(id="c", name="Riverton Climate Action Group", area="Riverton"),
        PublishedGroup(id="d", name="Riverton Climate Action", area="Northfield"),
        PublishedGroup(id="e", name="Other", website="https://facebook.com/friends2"),
    )
    found = match_all(ours, [theirs])
    assert [(m.theirs, m.reason) for m in found["food"]] == [("a", "same website domain (rfb.org)")]
    assert found["marys"][0].theirs == "b" and found["marys"][0].reason == "same name and area"
    assert found["climate"][0].theirs == "c" and found["climate"][0].reason.startswith("similar name (")
    assert "fb" not in found  # a shared host's domain is not a match
    assert "lone" not in found  # one word in common is not the same organisation


def test_decisions_are_kept_same_as_and_not_same_as() -> None:
    theirs = view("north", PublishedGroup(id="b", name="Saint Marys"), PublishedGroup(id="z", name="Zed"))
    group = Group(id="marys", name="St Mary's", category="faith", not_same_as=["north/b"], same_as=["north/z"])
    found = match_all([group], [theirs])["marys"]
    assert [(m.theirs, m.confirmed, m.reason) for m in found] == [("z", True, "confirmed by a member")]


def test_also_in_touch_lines_local_and_national() -> None:
    north = view(
        "north",
        PublishedGroup(id="b", name="X", stage="meeting", last_contact_month="2026-10", lead_first_name="Sam"),
        name="Northfield Climate Action",
    )
    national = view("nat", PublishedGroup(id="q", name="X"), kind="national", name="National team")
    group = Group(id="x", name="X", category="other")
    found = match_all([group], [north, national])["x"]
    lines = sorted(item.line() for item in also_in_touch(found, {"north": north, "nat": national}))
    assert lines == [
        "Also in touch: Northfield Climate Action — meeting, October 2026 (lead: Sam)",
        f"National team: {HELD_NATIONALLY}",
    ]


def test_region_status_pipelines_uncontacted_and_gaps() -> None:
    a = view(
        "a",
        PublishedGroup(id="f", name="Food Bank", category="food_bank", area="R", stage="researched"),
        PublishedGroup(id="m", name="Mosque", category="faith", area="R", stage="meeting"),
    )
    b = view(
        "b",
        PublishedGroup(id="ff", name="The Food Bank", category="food_bank", area="R", stage="shortlisted"),
        PublishedGroup(id="mm", name="Mosque", category="faith", area="R", stage="researched"),
    )
    status = region_status([a, b])
    assert status.pipelines["a"] == {"researched": 1, "meeting": 1}
    assert status.uncontacted == [("Food Bank", ["a", "b"])]
    assert Category.FAITH not in status.no_group and Category.SPORTS in status.no_group
    assert status.nobody_in_touch == [Category.FOOD_BANK]


def test_an_org_uk_domain_is_a_domain_a_shared_host_is_not() -> None:
    ours = [
        Group(id="a", name="Alpha", category="other", website="https://www.alpha.org.uk"),
        Group(id="b", name="Beta", category="other", website="https://beta.wordpress.com/"),
    ]
    theirs = view(
        "x",
        PublishedGroup(id="a1", name="Something Else", website="http://alpha.org.uk/contact"),
        PublishedGroup(id="b1", name="Gamma", website="https://gamma.wordpress.com/"),
    )
    found = match_all(ours, [theirs])
    assert [(m.theirs, m.reason) for m in found["a"]] == [("a1", "same website domain (alpha.org.uk)")]
    assert "b" not in found
