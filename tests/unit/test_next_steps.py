"""The first steps the dashboard suggests until a new data repo has a team, members and groups."""

from __future__ import annotations

from allytui.model.enums import Category
from allytui.model.next_steps import next_steps
from allytui.model.records import Group, Kind, Person, Record, Team
from allytui.model.validation import RecordIndex


def index_of(*records: Record) -> RecordIndex:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def actions(*records: Record) -> list[str]:
    return [step.action for step in next_steps(index_of(*records))]


def test_each_step_is_suggested_until_it_is_taken() -> None:
    team = Team(id="us", name="Us")
    group = Group(id="food-bank", name="Food Bank", category=Category.FOOD_BANK)
    assert actions() == ["dashboard-team", "new", "dashboard-import"]
    assert actions(team) == ["dashboard-member", "new", "dashboard-import"]
    assert actions(team, Person(id="ana", name="Ana")) == ["dashboard-member", "new", "dashboard-import"]
    assert actions(team, Person(id="ana", name="Ana", member_of="us")) == ["new", "dashboard-import"]
    assert actions(team, Person(id="ana", name="Ana", member_of="us"), group) == []
