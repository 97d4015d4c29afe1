"""Dates as people type them: ISO, day first, today and tomorrow; a bad one says how to write it."""

from __future__ import annotations

import datetime as dt

import pytest

from allytui.model import filters
from allytui.model.fields import from_text
from allytui.model.records import Group, Kind
from allytui.model.typed_dates import DATE_HELP, NotADate, parse_date
from allytui.model.validation import build_record

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("31/12/2026", dt.date(2026, 12, 31)),
        ("1/2/2027", dt.date(2027, 2, 1)),
        ("31.12.2026", dt.date(2026, 12, 31)),
        ("31-12-2026", dt.date(2026, 12, 31)),
        (" Today ", TODAY),
        ("tomorrow", dt.date(2026, 11, 27)),
        ("yesterday", dt.date(2026, 11, 25)),
    ],
)
def test_dates_as_people_type_them(typed: str, day: dt.date) -> None:
    assert parse_date(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["", "soon", "12/31/2026", "32/12/2026", "2026-02-30", "31/12/26", "2026/12/31"])
def test_what_is_not_a_date_says_how_to_write_one(typed: str) -> None:
    with pytest.raises(NotADate) as raised:
        parse_date(typed, TODAY)
    assert str(raised.value) == f"not a date; {DATE_HELP}"
    assert "YYYY-MM-DD or DD/MM/YYYY" in DATE_HELP


def test_typed_dates_become_dates_and_a_bad_one_is_never_a_raw_validation_message() -> None:
    data = {"name": "Bakers", "category": "other", "next_action_due": "31/12/2026"}
    group, errors = build_record(Kind.GROUPS, "bakers", from_text(Group, data))
    assert errors == [] and isinstance(group, Group) and group.next_action_due == dt.date(2026, 12, 31)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    group, _ = build_record(Kind.GROUPS, "bakers", from_text(Group, {**data, "next_action_due": "tomorrow"}))
    assert isinstance(group, Group) and group.next_action_due == tomorrow
    _, errors = build_record(Kind.GROUPS, "bakers", from_text(Group, {**data, "next_action_due": "31/13/2026"}))
    assert errors == [("next_action_due", f"not a date; {DATE_HELP}")]


def test_a_file_holding_a_date_as_text_is_told_to_write_a_toml_date() -> None:
    _, errors = build_record(Kind.GROUPS, "bakers", {"name": "B", "category": "other", "next_action_due": "soon"})
    assert errors == [("next_action_due", "not a date (in a file: a TOML date such as 2026-12-31, without quotes)")]


def test_filters_take_day_first_dates_and_today() -> None:
    fields = filters.record_fields(Group)
    due = {"next_action_due": dt.date.today().isoformat()}
    lookup = filters.record_lookup(due)
    assert filters.parse("next_action_due:today", fields).matches_fields(lookup)
    assert filters.parse("next_action_due:..tomorrow", fields).matches_fields(lookup)
    assert not filters.parse("next_action_due:tomorrow", fields).matches_fields(lookup)
    end = filters.record_lookup({"next_action_due": "2026-12-31"})
    assert filters.parse("next_action_due:31/12/2026", fields).matches_fields(end)
    assert filters.parse("next_action_due:01/12/2026..31/12/2026", fields).matches_fields(end)
    assert filters.parse("next_action_due:2026-12", fields).matches_fields(end)
    bad = filters.parse("next_action_due:31/13/2026", fields)
    assert bad.errors and "31/12/2026" in bad.errors[0] and not bad.matches_fields(end)
