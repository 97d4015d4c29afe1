"""The agenda on hand-built records: who owns what, overdue before upcoming, unassigned, and going cold."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from allytui.model.agenda import UNASSIGNED, agenda, agenda_items, due_words, going_cold, unagreed_roles
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Record, Team

TODAY = dt.date(2026, 11, 26)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def index_of(*records: Record) -> dict[Kind, dict[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def member(person_id: str, name: str) -> Person:
    return Person(id=person_id, name=name, member_of="us")


def group(group_id: str, **fields: Any) -> Group:
    return Group(id=group_id, name=fields.pop("name", group_id.title()), category="faith", **fields)


def talk(on: dt.date, group_id: str, suffix: str = "a1b2", **fields: Any) -> Conversation:
    return Conversation(id=f"{on.isoformat()}-{group_id}-{suffix}", date=on, group=group_id, **fields)


def base() -> list[Record]:
    return [
        Team(id="us", name="Us", members=["ana", "ben"]),
        member("ana", "Ana López"),
        member("ben", "Ben Okoro"),
    ]


# owners and order


def test_next_actions_belong_to_the_lead_and_follow_ups_to_our_people() -> None:
    index = index_of(
        *base(),
        group("church", lead="ana", stage="allied", next_action="Book the hall", next_action_due=day(-3)),
        group("mosque", lead="ben", stage="contacted", next_action="Call Farida", next_action_due=day(5)),
        talk(day(-20), "mosque", our_people=["ana", "ben"], next_steps="Send notes\nthen call", follow_up=day(2)),
    )
    sections = {s.member: s for s in agenda(index, TODAY)}
    assert set(sections) == {"ana", "ben"}
    ana = [(i.kind, i.record_id, i.what) for i in sections["ana"].items]
    assert ana == [
        (Kind.GROUPS, "church", "Book the hall"),
        (Kind.CONVERSATIONS, "2026-11-06-mosque-a1b2", "Send notes"),
    ]
    ben = [(i.kind, i.what) for i in sections["ben"].items]
    assert ben == [(Kind.CONVERSATIONS, "Send notes"), (Kind.GROUPS, "Call Farida")]
    shared = sections["ben"].items[0]
    assert shared.owners == ("ana", "ben") and shared.group_id == "mosque"
    assert sections["ana"].name == "Ana López"
    assert [i.is_overdue(TODAY) for i in sections["ana"].items] == [True, False]
    assert len(sections["ana"].overdue(TODAY)) == 1


def test_overdue_first_then_soonest_sections_by_name_unassigned_last() -> None:
    index = index_of(
        *base(),
        member("zoe", "Aaron Zed"),  # sorted by name, not id
        group("a", lead="ana", next_action="later", next_action_due=day(10)),
        group("b", lead="ana", next_action="long overdue", next_action_due=day(-30)),
        group("c", lead="ana", next_action="today", next_action_due=day(0)),
        group("d", lead="ana", next_action="just overdue", next_action_due=day(-1)),
        group("e", next_action="nobody's", next_action_due=day(1)),
        group("f", lead="zoe", next_action="zoe's", next_action_due=day(3)),
    )
    sections = agenda(index, TODAY)
    assert [(s.member, s.name) for s in sections] == [("zoe", "Aaron Zed"), ("ana", "Ana López"), (None, UNASSIGNED)]
    assert [i.what for i in sections[1].items] == ["long overdue", "just overdue", "today", "later"]
    assert [i.what for i in sections[2].items] == ["nobody's"]
    assert sections[2].items[0].owners == ()


def test_horizon_and_what_does_not_count() -> None:
    index = index_of(
        *base(),
        group("far", lead="ana", next_action="too far", next_action_due=day(15)),
        group("edge", lead="ana", next_action="on the edge", next_action_due=day(14)),
        group("gone", lead="ana", stage="declined", next_action="declined", next_action_due=day(-1)),
        group("nodate", lead="ana", next_action="no date"),
        group("blank", lead="ana", next_action_due=day(1)),
    )
    whats = [i.what for i in agenda_items(index, TODAY)]
    assert whats == ["next action", "on the edge"]
    assert [i.what for i in agenda_items(index, TODAY, horizon_days=30)][-1] == "too far"
    assert [i.what for i in agenda_items(index, TODAY, horizon_days=0)] == []


def test_a_later_conversation_settles_a_follow_up() -> None:
    index = index_of(
        *base(),
        group("church"),
        talk(day(-40), "church", our_people=["ana"], next_steps="old", follow_up=day(-30)),
        talk(day(-10), "church", "c3d4", our_people=["ben"], next_steps="new", follow_up=day(-2)),
        talk(day(-5), "church", "e5f6", our_people=[]),  # the latest: no follow-up, and no owner
    )
    assert agenda_items(index, TODAY) == []
    del index[Kind.CONVERSATIONS]["2026-11-21-church-e5f6"]
    items = agenda_items(index, TODAY)
    assert [(i.what, i.owners) for i in items] == [("new", ("ben",))]


def test_a_follow_up_with_nobody_of_ours_is_unassigned() -> None:
    index = index_of(*base(), group("church"), talk(day(-3), "church", follow_up=day(-1)))
    (section,) = agenda(index, TODAY)
    assert section.member is None and section.items[0].what == "follow up"


def test_unagreed_roles_of_an_activity_coming_up_go_to_the_partner_groups_lead() -> None:
    index = index_of(
        *base(),
        group("church", lead="ana"),
        group("mosque", lead="ben", name="Al-Noor"),
        group("club"),
        Activity(
            id="cafe",
            title="Climate café",
            status="planned",
            date=day(9),
            partners=[
                {"group": "church", "role": "Venue", "agreed": True},
                {"group": "mosque", "role": "Co-host"},
                {"group": "club"},
            ],
        ),
        Activity(id="idea", title="Someday", status="idea", date=day(3), partners=[{"group": "mosque"}]),
        Activity(id="far", title="Spring", status="planned", date=day(40), partners=[{"group": "mosque"}]),
        Activity(id="past", title="Done", status="planned", date=day(-1), partners=[{"group": "mosque"}]),
    )
    items = agenda_items(index, TODAY)
    assert [(i.kind, i.record_id, i.what, i.owners, i.group_id) for i in items] == [
        (Kind.ACTIVITIES, "cafe", "agree the role of Al-Noor (Co-host)", ("ben",), "mosque"),
        (Kind.ACTIVITIES, "cafe", "agree the role of Club", (), "club"),
    ]
    assert all(i.due == day(9) and i.label == "Climate café" for i in items)
    assert unagreed_roles(index[Kind.ACTIVITIES]["cafe"], TODAY) == ["mosque", "club"]  # type: ignore[arg-type]
    assert unagreed_roles(index[Kind.ACTIVITIES]["far"], TODAY) == []  # type: ignore[arg-type]


def test_member_filter() -> None:
    index = index_of(
        *base(),
        group("a", lead="ana", next_action="ana's", next_action_due=day(1)),
        group("b", lead="ben", next_action="ben's", next_action_due=day(1)),
        talk(day(-3), "b", our_people=["ana", "ben"], next_steps="both", follow_up=day(2)),
    )
    (only,) = agenda(index, TODAY, member="ana")
    assert only.member == "ana" and [i.what for i in only.items] == ["ana's", "both"]
    assert agenda(index, TODAY, member="nobody-here") == []


def test_a_missing_lead_is_named_as_missing() -> None:
    index = index_of(*base(), group("a", lead="ghost", next_action="x", next_action_due=day(1)))
    (section,) = agenda(index, TODAY)
    assert (section.member, section.name) == ("ghost", "ghost (missing)")


def test_due_words() -> None:
    assert [due_words(day(n), TODAY) for n in (-2, -1, 0, 1, 5)] == [
        "overdue by 2 days",
        "overdue by 1 day",
        "today",
        "tomorrow",
        "in 5 days",
    ]


# going cold


def test_going_cold_with_and_without_conversations() -> None:
    index = index_of(
        *base(),
        group("never", stage="contacted", lead="ana", name="Never Talked"),
        group("old", stage="allied", name="Old Friends"),
        group("older", stage="meeting", name="Older Friends"),
        group("recent", stage="in_conversation"),
        group("edge", stage="in_conversation", name="Edge"),
        group("researched", stage="researched"),
        group("shortlisted", stage="shortlisted"),
        group("paused", stage="paused"),
        group("declined", stage="declined"),
        talk(day(-200), "old", "z1z1"),
        talk(day(-70), "old"),  # the latest counts
        talk(day(-100), "older"),
        talk(day(-10), "recent"),
        talk(day(-60), "edge"),
        talk(day(-300), "paused"),
    )
    cold = going_cold(index, TODAY, 60)
    assert [(c.group_id, c.days) for c in cold] == [("never", None), ("older", 100), ("old", 70), ("edge", 60)]
    never, _, old, _ = cold
    assert never.how_long == "no conversation recorded" and never.lead == "ana" and never.last_contact is None
    assert old.how_long == "last conversation 70 days ago (2026-09-17)"
    assert old.conversation_id == "2026-09-17-old-a1b2"
    assert [c.group_id for c in going_cold(index, TODAY, 61)] == ["never", "older", "old"]


def test_going_cold_one_day() -> None:
    index = index_of(*base(), group("g", stage="allied"), talk(day(-1), "g"))
    assert going_cold(index, TODAY, 1)[0].how_long == "last conversation 1 day ago (2026-11-25)"


def test_agenda_modules_do_not_load_textual() -> None:
    modules = ["allytui.model.agenda", "allytui.model.brief", "allytui.model.suggestions", "allytui.cli.agenda"]
    code = f"import sys, {', '.join(modules)}; print('textual' in sys.modules, 'git' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "False"


@pytest.mark.parametrize("module", ["allytui.model.agenda", "allytui.model.brief", "allytui.model.suggestions"])
def test_model_modules_do_no_git(module: str) -> None:
    code = f"import sys, {module}; print('git' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
