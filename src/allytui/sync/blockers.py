"""What stops a sync: files it cannot take or send, who changed each last, and what the member can do.

Others' changes are checked path by path before anything is written: only plain files at safe paths
(no symbolic link, no submodule, no `.` / `..` / `.git`), valid records and valid settings come in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import git
from pydantic import ValidationError

from allytui.model.records import RepoSettings
from allytui.model.validation import Problem, error_pairs
from allytui.store.codec import ParseError, parse
from allytui.store.errors import InvalidRecord
from allytui.store.layout import SETTINGS_FILE
from allytui.sync.trees import REGULAR_MODES, DiffEntry

SKIP_BAD = "allytui sync --skip-bad"


def path_refusal(rel: str, mode: str) -> str | None:
    """Why an incoming path cannot be taken as it is, or None when it is a plain file at a safe path."""
    if any(part in ("", ".", "..") or part.casefold() == ".git" or "\\" in part for part in rel.split("/")):
        return "a file name that is not safe to check out (., .. or .git); refused"
    if mode == "120000":
        return "a symbolic link; only plain files are taken, so it is refused"
    if mode == "160000":
        return "a link to another git repository (a submodule); refused"
    if mode not in REGULAR_MODES:
        return f"not a plain file (git mode {mode}); refused"
    return None


def settings_problems(raw: bytes | None, what: str) -> list[Problem]:
    """Problems with a version of allytui.toml (None: the file was deleted)."""
    if raw is None:
        return [Problem(SETTINGS_FILE, "", f"{what}: deleted; every data repo needs its {SETTINGS_FILE}")]
    try:
        RepoSettings.model_validate(parse(raw))
    except ParseError as error:
        return [Problem(SETTINGS_FILE, "", f"{what}: {error.message}", error.line)]
    except ValidationError as error:
        return [Problem(SETTINGS_FILE, f, f"{what}: {m}") for f, m in error_pairs(error)]
    return []


def entry_problems(entries: dict[str, DiffEntry], what: str = "incoming") -> tuple[list[Problem], set[str]]:
    """Problems with the paths and modes of incoming entries, and every path to leave out because of them.

    A folder replaced by a link or a file takes the deletion of what was inside it along with it.
    """
    problems: list[Problem] = []
    refused: set[str] = set()
    for rel, entry in sorted(entries.items()):
        if entry.new_sha is None:
            continue
        reason = path_refusal(rel, entry.new_mode)
        if reason is not None:
            problems.append(Problem(rel, "", f"{what}: {reason}"))
            refused.add(rel)
    left_out = {rel for rel in entries if rel in refused or any(rel.startswith(f"{r}/") for r in refused)}
    return problems, left_out


@dataclass(frozen=True)
class Author:
    """Who made the last change to a file, and in which commit."""

    name: str
    commit: str
    when: int

    def describe(self) -> str:
        day = dt.datetime.fromtimestamp(self.when, dt.UTC).strftime("%Y-%m-%d")
        return f"changed last by {self.name} on {day} (commit {self.commit[:12]})"


def last_authors(git_repo: git.Repo, base: str | None, tip: str, paths: set[str]) -> dict[str, Author]:
    """Who last changed each path in base..tip: one git log, no pathspecs (a hostile name could be one)."""
    if not paths:
        return {}
    span = f"{base}..{tip}" if base else tip
    out = str(git_repo.git.log("-z", "--format=%x01%H%x00%an%x00%at", "--name-only", "--no-renames", span))
    found: dict[str, Author] = {}
    for block in out.split("\x01")[1:]:
        sha, name, rest = block.split("\x00", 2)
        when, _, names = rest.partition("\x00")  # then a newline, and the names, each ended by NUL
        for rel in names.lstrip("\n").split("\x00"):
            if rel in paths and rel not in found:
                found[rel] = Author(name, sha, int(when))
    return found


@dataclass(frozen=True)
class Blocker:
    """One file that stopped the sync (or, with --skip-bad, was left out), with its problems."""

    path: str
    problems: tuple[Problem, ...]
    who: str  # "changed last by Ana on ... (commit ...)", or "your own edit, not committed yet"
    source: str  # "theirs": a change from others; "edit": an uncommitted edit here; "commit": one not shared yet

    @property
    def local(self) -> bool:
        return self.source == "edit"

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + [f"  ({self.who})"]

    def as_problems(self) -> list[Problem]:
        """For a sync that went on without this file: its problems, saying what became of it."""
        kept = "your edit is left as it is, not committed" if self.local else "their version was not taken"
        return [
            Problem(p.path, p.field, f"{p.message} [left out of the sync: {kept}; {self.who}]", p.line)
            for p in self.problems
        ]


def blockers(problems: list[Problem], authors: dict[str, Author], *, source: str) -> list[Blocker]:
    """The problems grouped by file, each with who changed it last (see Blocker.source)."""
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    found = []
    for rel, mine in by_path.items():
        author = authors.get(rel)
        if source == "edit":
            who = "your own edit here, not committed yet"
        elif source == "commit":
            who = "committed here, not shared yet" + (f"; {author.describe()}" if author else "")
        else:
            who = author.describe() if author else "changed in the shared repository"
        found.append(Blocker(rel, tuple(mine), who, source))
    return found


class SyncBlocked(InvalidRecord):
    """Files that stop the sync. Nothing was synced; the message says which files and what to do."""

    def __init__(self, found: list[Blocker], skip_hint: str = SKIP_BAD) -> None:
        self.blockers = found
        self.skip_hint = skip_hint
        super().__init__([p for b in found for p in b.problems])

    def lines(self, skip_hint: str | None = None) -> list[str]:
        out: list[str] = []
        for blocker in self.blockers:
            out += blocker.lines()
        sources = {b.source for b in self.blockers}
        names = sorted({_first_name(b.who) for b in self.blockers if b.source == "theirs"} - {""})
        out.append("Nothing was synced; every commit and edit here is as it was. To go on, either:")
        if "edit" in sources:
            out.append("  - fix your edit (allytui check lists every problem), or discard it (in the app: u, then x)")
        if "commit" in sources:
            out.append("  - fix the file here (allytui set, the app, or an editor) and sync again: the fix is shared")
        if "theirs" in sources:
            asked = f"ask {' or '.join(names)} to fix it" if names else "ask whoever changed it to fix it"
            out.append(f"  - {asked} and sync again")
        if sources != {"commit"}:  # a commit already made cannot be left out
            out.append(f"  - {skip_hint or self.skip_hint}: take everything else; these files are left out and listed")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _first_name(who: str) -> str:
    prefix = "changed last by "
    return who[len(prefix) :].split(" on ", 1)[0] if who.startswith(prefix) else ""
