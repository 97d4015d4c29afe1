"""Retention review: what is due, why and since when, worked out from dates alone; and the file dates from git."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from allytui.model.records import Conversation, Kind, Person, Record, RetentionSettings
from allytui.model.retention import (
    Reason,
    RecordDates,
    age_words,
    cleared_notes,
    months_before,
    retention_due,
)
from allytui.store.dates import record_dates
from allytui.store.repo import DataRepo

SETTINGS = RetentionSettings()  # 90 days, 24 months, 36 months
TODAY = dt.date(2027, 6, 30)


def index_of(*records: Record) -> dict[Kind, dict[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def person(pid: str, **fields: Any) -> Person:
    return Person.model_validate({"id": pid, "name": pid.title(), **fields})


def talk(cid: str, **fields: Any) -> Conversation:
    return Conversation.model_validate({"id": cid, "date": dt.date.fromisoformat(cid[:10]), **fields})


def due_of(index: dict[Kind, dict[str, Record]], dates: dict[str, RecordDates], today: dt.date = TODAY) -> set[Any]:
    return {(d.record_id, d.reason, d.since, d.age_days) for d in retention_due(index, SETTINGS, today, dates)}


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert months_before(dt.date(2027, 6, 30), 24) == dt.date(2025, 6, 30)
    assert months_before(dt.date(2027, 3, 31), 1) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2028, 3, 31), 1) == dt.date(2028, 2, 29)
    assert months_before(dt.date(2027, 1, 15), 13) == dt.date(2025, 12, 15)


def test_age_in_words() -> None:
    assert age_words(dt.date(2027, 6, 29), TODAY) == "1 day"
    assert age_words(dt.date(2027, 5, 1), TODAY) == "1 month"
    assert age_words(dt.date(2024, 4, 30), TODAY) == "3 years 2 months"
    assert age_words(dt.date(2025, 6, 30), TODAY) == "2 years"


def test_no_basis_is_due_90_days_after_the_record_was_added_and_again_after_a_review() -> None:
    ana = person("ana", contact={"email": "a@example.org"})
    added = TODAY - dt.timedelta(days=90)
    assert due_of(index_of(ana), {"ana": RecordDates(added, TODAY)}) == {("ana", Reason.NO_BASIS, added, 90)}
    assert due_of(index_of(ana), {"ana": RecordDates(added + dt.timedelta(days=1), TODAY)}) == set()
    reviewed = ana.model_copy(update={"reviewed": TODAY - dt.timedelta(days=10)})
    assert due_of(index_of(reviewed), {"ana": RecordDates(added, TODAY)}) == set()
    again = TODAY - dt.timedelta(days=90)  # reviewed 90 days ago: due again, counted from the review
    long_added = TODAY - dt.timedelta(days=400)
    reviewed = ana.model_copy(update={"reviewed": again})
    assert due_of(index_of(reviewed), {"ana": RecordDates(long_added, TODAY)}) == {("ana", Reason.NO_BASIS, again, 90)}
    assert due_of(index_of(ana.model_copy(update={"consent": True})), {"ana": RecordDates(added, TODAY)}) == set()
    assert due_of(index_of(ana), {}) == set()  # not committed yet: added today


def test_inactive_counts_the_latest_change_conversation_or_review_and_never_our_members() -> None:
    long_ago = dt.date(2025, 6, 30)  # exactly 24 months before TODAY
    dates = {pid: RecordDates(long_ago, long_ago) for pid in ("ben", "cy", "dee", "me")}
    index = index_of(
        person("ben"),
        person("cy"),
        person("dee", reviewed=dt.date(2026, 1, 1)),
        person("me", member_of="team"),
        talk("2026-03-01-cy-aaaaaa", their_people=["cy"], our_people=["me"]),
    )
    assert due_of(index, dates) == {("ben", Reason.INACTIVE, long_ago, 730)}
    assert due_of(index, dates, today=dt.date(2028, 3, 1)) >= {("cy", Reason.INACTIVE, dt.date(2026, 3, 1), 731)}


def test_old_conversation_notes_are_due_and_clearing_keeps_what_matters() -> None:
    old = talk(
        "2024-06-30-chapel-aaaaaa",
        group="chapel",
        channel="stall",
        their_people=["ana"],
        outcome="will come",
        cares_about="the flood",
        notes="long notes",
        follow_up=dt.date(2024, 7, 1),
    )
    newer = talk("2024-07-01-chapel-bbbbbb", notes="notes")
    empty = talk("2020-01-01-chapel-cccccc", outcome="done")  # nothing to clear
    found = due_of(index_of(old, newer, empty), {})
    assert found == {("2024-06-30-chapel-aaaaaa", Reason.OLD_NOTES, dt.date(2024, 6, 30), 1095)}
    cleared = cleared_notes(old)
    assert (cleared.cares_about, cleared.notes) == ("", "")
    kept = (cleared.date, cleared.group, cleared.channel, cleared.their_people, cleared.outcome, cleared.follow_up)
    assert kept == (old.date, old.group, old.channel, old.their_people, old.outcome, old.follow_up)


def test_record_dates_are_the_first_and_latest_commit_of_each_file(
    repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day, name in (("2025-01-02", "Ana"), ("2025-03-04", "Ana B"), ("2025-05-06", "Ana C")):
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+00:00")
        repo.save(Person(id="ana", name=name))
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-04-01T12:00:00+00:00")
    repo.save(Person(id="bo", name="Bo"))
    found = record_dates(repo, Kind.PEOPLE)
    assert found == {
        "ana": RecordDates(dt.date(2025, 1, 2), dt.date(2025, 5, 6)),
        "bo": RecordDates(dt.date(2025, 4, 1), dt.date(2025, 4, 1)),
    }
