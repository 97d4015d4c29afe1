"""Dates as people type them: 2026-12-31, 31/12/2026 (day first, as UK groups write it), today, tomorrow."""

from __future__ import annotations

import datetime as dt
import re

DATE_HELP = "write YYYY-MM-DD or DD/MM/YYYY (or today, tomorrow)"
"""What a message about a date that could not be read tells the person to type."""

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}


class NotADate(ValueError):
    """Typed text that is not a date; its message says how to write one (never repeats the text)."""

    def __init__(self) -> None:
        super().__init__(f"not a date; {DATE_HELP}")


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """text as a date: ISO (2026-12-31, 2026-1-5), day first (31/12/2026, 31.12.2026, 31-12-2026), or
    today, tomorrow, yesterday (from today, the real one when not given). NotADate otherwise."""
    typed = text.strip().casefold()
    if typed in _RELATIVE:
        return (today or dt.date.today()) + dt.timedelta(days=_RELATIVE[typed])
    iso = _ISO_LOOSE.match(typed)
    day_first = _DAY_FIRST.match(typed)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:
        raise NotADate() from None
    raise NotADate()


def is_date(text: str) -> bool:
    """Whether parse_date reads text."""
    try:
        parse_date(text)
    except NotADate:
        return False
    return True


class UnreadDate(str):
    """Typed text parse_date could not read, passed on for validation to name (with DATE_HELP), not as a
    file's date that is not a TOML date."""

    __slots__ = ()
