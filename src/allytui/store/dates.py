"""When each record of a kind was added and last changed, read from git in one pass (for the retention review)."""

from __future__ import annotations

import datetime as dt

import git

from allytui.model.records import Kind
from allytui.model.retention import RecordDates
from allytui.store import git as gitops
from allytui.store.errors import GitFailed
from allytui.store.layout import parse_record_path
from allytui.store.repo import DataRepo

_MARK = "\x1eallytui-date "


def record_dates(repo: DataRepo, kind: Kind) -> dict[str, RecordDates]:
    """For every record of kind git has seen on this branch: the dates of its first and latest commit.

    Commit dates (when the change was committed here), by the day they were made on.
    """
    if gitops.head_sha(repo.git_repo) is None:
        return {}
    try:
        out = repo.git_repo.git.log(
            f"--format={_MARK}%cs", "--name-only", "--no-renames", "--diff-merges=first-parent", "--", kind.value
        )
    except git.GitCommandError as error:
        raise GitFailed(f"git log failed: {str(error.stderr or error.status).strip()}") from None
    found: dict[str, RecordDates] = {}
    day = dt.date.min
    for line in str(out).split("\n"):  # not splitlines: it splits at the \x1e of the mark too
        if line.startswith(_MARK):
            day = dt.date.fromisoformat(line.removeprefix(_MARK))
            continue
        place = parse_record_path(line.strip())
        if place is None or place[0] is not kind:
            continue
        known = found.get(place[1])
        # newest first: the first commit met is the latest change, the last one the first
        found[place[1]] = RecordDates(added=day, changed=known.changed if known else day)
    return found
