"""Dates at the ends of the calendar (0001-01-01, 9999-12-31) in records and as today: agenda, follow-ups,
going cold, briefs and "how far off" wording never overflow, and the app shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allytui.model.agenda import agenda, due_words, going_cold
from allytui.model.overview import days_after, follow_ups
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Record
from allytui.render.brief import brief_markdown
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.details import record_detail
from allytui.tui.keymap import usual_key
from allytui.tui.screens.activities import warning_text
from allytui.tui.screens.agenda import when_words
from tests.cli.test_cli import run
from tests.ui.conftest import settle

FIRST, LAST = dt.date.min, dt.date.max
EDGES = [FIRST, FIRST + dt.timedelta(days=1), LAST - dt.timedelta(days=1), LAST]
any_date = st.one_of(st.sampled_from(EDGES), st.dates())


def edge_records(talk_date: dt.date, follow_up: dt.date, due: dt.date) -> list[Record]:
    """A group led by a member, two conversations with it (one at talk_date) and a planned activity."""
    return [
        Person(id="ana", name="Ana", member_of=None),
        Group(
            id="st-marys",
            name="St Mary's",
            category="faith",
            stage="contacted",
            lead="ana",
            next_action="call",
            next_action_due=due,
        ),
        Conversation(
            id=f"{talk_date.isoformat()}-st-marys-edge",
            date=talk_date,
            group="st-marys",
            our_people=["ana"],
            follow_up=follow_up,
            next_steps="send the leaflet",
        ),
        Conversation(id="2026-01-05-st-marys-mid", date=dt.date(2026, 1, 5), group="st-marys"),
        Activity(
            id="cafe",
            title="Climate café",
            status="planned",
            date=due,
            partners=[{"group": "st-marys", "agreed": False}],
        ),
    ]


def index_of(records: list[Record]) -> Mapping[Kind, Mapping[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def test_a_conversation_on_the_first_day_of_the_calendar_with_a_follow_up() -> None:
    index = index_of(edge_records(FIRST, FIRST + dt.timedelta(days=1), dt.date(2026, 12, 1)))
    found = follow_ups(index, dt.date(2026, 11, 26), within_days=14)
    # the 2026 conversation is the latest with the group, so the ancient follow-up was had
    assert [(f.kind, f.record_id) for f in found] == [(Kind.GROUPS, "st-marys")]
    lone = index_of([r for r in edge_records(FIRST, FIRST, FIRST) if r.id != "2026-01-05-st-marys-mid"])
    assert {f.record_id for f in follow_ups(lone, dt.date(2026, 11, 26))} == {"st-marys", "0001-01-01-st-marys-edge"}


@pytest.mark.parametrize(("day", "days", "expected"), [(LAST, 14, LAST), (FIRST, -14, FIRST), (FIRST, 10**12, LAST)])
def test_days_after_holds_at_the_ends_of_the_calendar(day: dt.date, days: int, expected: dt.date) -> None:
    assert days_after(day, days) == expected


@settings(max_examples=150, deadline=None)
@given(
    today=any_date,
    talk_date=any_date,
    follow_up=any_date,
    due=any_date,
    horizon=st.integers(0, 3650),
)
def test_agenda_and_going_cold_never_fail_on_any_dates(
    today: dt.date, talk_date: dt.date, follow_up: dt.date, due: dt.date, horizon: int
) -> None:
    index = index_of(edge_records(talk_date, follow_up, due))
    for section in agenda(index, today, horizon_days=horizon):
        for item in section.items:
            assert item.is_overdue(today) == (item.due < today)
            words = due_words(item.due, today)
            assert words and due_words(item.due, today, short=True)
    for cold in going_cold(index, today, horizon):
        assert cold.how_long
    for records in index.values():
        for record in records.values():
            assert str(record_detail(record, index, today, usual_key))
    for activity in index[Kind.ACTIVITIES].values():
        assert isinstance(activity, Activity)
        warning_text(activity, index, today)
    assert when_words(due, today) and when_words(follow_up, today)
    assert brief_markdown(index, "st-marys", today)


@settings(max_examples=100, deadline=None)
@given(due=any_date, today=any_date)
def test_how_far_off_wording_at_any_distance(due: dt.date, today: dt.date) -> None:
    days = (due - today).days
    words = due_words(due, today)
    if days < 0:
        assert words == f"overdue by {-days} day{'' if days == -1 else 's'}"
    elif days > 1:
        assert words == f"in {days} days"


def save_edges(repo: DataRepo) -> None:
    for record in edge_records(FIRST, FIRST + dt.timedelta(days=1), LAST):
        repo.save(record)
    repo.save(Conversation(id="9999-12-31-st-marys-last", date=LAST, group="st-marys", follow_up=LAST))
    repo.save(Group(id="lone", name="Lone", category="faith", stage="contacted"))  # one talk, on the first day
    repo.save(Conversation(id="0001-01-01-lone-only", date=FIRST, group="lone", follow_up=FIRST, our_people=["ana"]))


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "2026-11-26"])
def test_agenda_command_at_the_edges(repo: DataRepo, capsys: pytest.CaptureFixture[str], today: str) -> None:
    save_edges(repo)
    for extra in ([], ["--json"], ["--days", "3650", "--cold-days", "0"]):
        code, out, err = run(capsys, "--repo", str(repo.root), "agenda", "--today", today, *extra)
        assert (code, err) == (0, ""), err
        assert "St Mary's" in out or "Lone" in out
    code, _, err = run(capsys, "--repo", str(repo.root), "brief", "st-marys", "--today", today)
    assert (code, err) == (0, ""), err


@pytest.mark.parametrize("today", [FIRST, LAST])
async def test_the_app_shows_every_screen_at_the_edges(repo: DataRepo, today: dt.date) -> None:
    save_edges(repo)
    app = AllytuiApp(repo, today=today)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in "1234567890":
            await pilot.press(key)
            await settle(pilot)
        assert app.return_code is None  # still running: nothing crashed
