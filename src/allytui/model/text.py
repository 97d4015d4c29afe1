"""Text safety: which characters a record may hold, and how to show any string literally."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# Below U+0020 except tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates: any of these could move the cursor, recolour or reorder the terminal of whoever reads.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
UNSAFE_CHARS = re.compile(f"[{_UNSAFE}]")
UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE}\n\t]")


def describe_unsafe(text: str, pattern: re.Pattern[str] = UNSAFE_CHARS) -> str | None:
    """Say where the first unsafe character is, without repeating the text itself."""
    found = pattern.search(text)
    if found is None:
        return None
    return f"contains control character U+{ord(found.group()):04X} at position {found.start() + 1}"


def safe_text(value: str) -> str:
    problem = describe_unsafe(value)
    if problem:
        raise ValueError(problem)
    return value


def _safe_line(value: str) -> str:
    problem = describe_unsafe(value, UNSAFE_IN_LINE)
    if problem:
        raise ValueError(problem.replace("control character U+000A", "a line break"))
    return value


Text = Annotated[str, StringConstraints(max_length=100_000), AfterValidator(safe_text)]
"""Long free text: paragraphs allowed, control characters not."""

Line = Annotated[str, StringConstraints(max_length=500), AfterValidator(_safe_line)]
"""A one-line value such as a name or role."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("a name is needed: it cannot be empty or only spaces")
    return value


Name = Annotated[Line, AfterValidator(_not_blank)]
"""What a record is called: one line with something in it."""


def _escape(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Return text with every unsafe character (and line break, unless kept) shown as an escape."""
    if keep_newlines:
        return UNSAFE_CHARS.sub(_escape, text).replace("\t", "    ")
    return UNSAFE_IN_LINE.sub(_escape, text)
