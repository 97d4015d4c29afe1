"""Errors the store raises. Each message is safe to print: it names files and fields, never values."""

from __future__ import annotations

from collections.abc import Iterable

from allytui.model.closest import did_you_mean
from allytui.model.records import Kind
from allytui.model.validation import Problem


class AllytuiError(Exception):
    """An error to show the user as one clear line."""


class NotADataRepo(AllytuiError):
    pass


class IdentityMissing(AllytuiError):
    def __init__(self) -> None:
        super().__init__(
            "no git identity is set, so changes cannot be committed with your name. Set one with:\n"
            '  git config --global user.name "Your Name"\n'
            '  git config --global user.email "you@example.org"\n'
            "(or without --global, inside the data repo, to set it for that repo only)"
        )


class GitFailed(AllytuiError):
    pass


class DiskFull(AllytuiError):
    """The disk (or the git objects' disk) has no room left for a change."""

    def __init__(self, outcome: str = "nothing was changed", *, what: str = "this could not be saved") -> None:
        super().__init__(f"the disk is full, so {what}: {outcome}. Free some space, then try again.")


class WriteFailed(AllytuiError):
    """A file could not be written for a reason other than a full disk (a folder in its place, permissions)."""


class RecordNotFound(AllytuiError):
    pass


class RecordExists(AllytuiError):
    pass


class InvalidRecord(AllytuiError):
    """A record that failed validation; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class CommentsWouldBeLost(AllytuiError):
    def __init__(self, path: str, lines: list[int]) -> None:
        self.path = path
        self.lines = lines
        where = ", ".join(str(n) for n in lines)
        super().__init__(
            f"{path}: saving would drop hand-written comments (line {where}) whose fields are gone; "
            "move them, or save again allowing comments to be dropped"
        )


class UncommittedEdits(AllytuiError):
    """Files a change would write hold edits not committed yet (by hand, or another program): committing them
    under this change's message would slip them in unseen, so nothing is written."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
        super().__init__(
            f"{shown}: changed but not committed (a hand edit?); commit it first (allytui sync, or u in the app) "
            "or discard it, then try again. Nothing was changed."
        )


def not_found(kind: Kind, record_id: str, known: Iterable[str]) -> RecordNotFound:
    """ "groups/st-mary: no such group; did you mean st-marys?" (or where to see them all)."""
    hint = did_you_mean(record_id, known) or f" (allytui list {kind.value} shows them)"
    return RecordNotFound(f"{kind.value}/{record_id}: no such {kind.singular}{hint}")
