"""Turning failures into words for the screen: ours are written for people; others name only their type."""

from __future__ import annotations

from allytui.store.errors import AllytuiError


def describe_error(error: BaseException | None) -> str:
    if isinstance(error, AllytuiError):
        return str(error)
    return f"Something went wrong ({type(error).__name__}); nothing else was changed."
