"""Turning failures into words for the screen: ours are written for people; others name only their type."""

from __future__ import annotations

from allytui.store.errors import AllytuiError, DiskFull
from allytui.store.git import disk_full


def describe_error(error: BaseException | None) -> str:
    if isinstance(error, AllytuiError):
        return str(error)
    if error is not None and disk_full(error):
        return str(DiskFull("what was already saved is safe in git"))
    return f"Something went wrong ({type(error).__name__}); nothing else was changed."
