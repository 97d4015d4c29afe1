"""Did you mean ...? The known names closest to one typed wrongly (ids, field names), by fuzzy matching."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

CUTOFF = 75.0
"""How alike (0-100, rapidfuzz's ratio) a known name must be to be offered."""


def closest(typed: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known names most like typed, best first (at most limit; none when nothing is close)."""
    choices = sorted(set(known))
    if not typed or not choices:
        return []
    found = process.extract(
        typed, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=CUTOFF
    )
    return [name for name, _, _ in found]


def did_you_mean(typed: str, known: Iterable[str]) -> str:
    """ "; did you mean X?" (or "X or Y?") after a message, or "" when nothing known is close."""
    found = closest(typed, known)
    if not found:
        return ""
    if len(found) == 1:
        return f"; did you mean {found[0]}?"
    return f"; did you mean {', '.join(found[:-1])} or {found[-1]}?"
