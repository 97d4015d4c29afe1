"""`allytui sync`: commit hand edits, fetch, merge record by record and field by field, push.

The merge never goes through git's line merge, so conflict markers can never land in a record:
the merged tree is built from blobs (base, ours, theirs read from git), every merged record is
validated before anything is written, and the working tree moves only once the merge commit is
ready. If something fails, the repo is put back as it was before the sync.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import git
from gitdb import LooseObjectDB
from gitdb.base import IStream

from allytui.model.conflicts import FILE
from allytui.model.records import FieldConflict, Kind, Person, Record, RepoSettings
from allytui.model.rights import do_not_contact_reason
from allytui.model.validation import Problem, build_record
from allytui.store import git as gitops
from allytui.store.atomic import write_atomic
from allytui.store.codec import ParseError, dump, dump_record, parse
from allytui.store.errors import AllytuiError, DiskFull
from allytui.store.keyring import KeyRing
from allytui.store.layout import SETTINGS_FILE, parse_record_path
from allytui.store.loader import load_settings, read_file
from allytui.store.repo import DATA_GITATTRIBUTES, GITATTRIBUTES_FILE, DataRepo
from allytui.store.sealing import scan_recipients
from allytui.sync.blockers import SyncBlocked, blockers, entry_problems, last_authors, settings_problems
from allytui.sync.erase import CatchUp, after_push, catch_up, push_with_lease
from allytui.sync.hand_contact import conversation_in
from allytui.sync.merge import FieldMerger, Sealing, Side, merge_lines, merge_record
from allytui.sync.moves import finish_interrupted_move, move, pause_point
from allytui.sync.remote import (
    PushRejected,
    RemoteBranchMissing,
    RemoteUnreachable,
    SyncError,
    check_cloned,
    check_remote_url,
    clone_into,
    network,
    removed_on_failure,
    safe_git,
)
from allytui.sync.trees import diff_entries

Progress = Callable[[str], None]
LAST_SYNC_REF = "refs/allytui/last-sync"
MAX_PUSH_ATTEMPTS = 3
MERGE_RULE = "*.toml merge=binary"


@dataclass(frozen=True)
class IncomingChange:
    """A commit by someone else that this sync brought in, and the records it touched."""

    sha: str
    author: str
    when: dt.datetime
    subject: str
    paths: tuple[str, ...]


@dataclass
class SyncReport:
    hand_edits: list[str] = field(default_factory=list)
    fast_forward: bool = False
    merged_records: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, FieldConflict]] = field(default_factory=list)
    incoming: list[IncomingChange] = field(default_factory=list)
    dangling: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # files --skip-bad left out, with what became of them
    kept_merge_rule: bool = False  # others' .gitattributes dropped the rule that keeps markers out; put back
    pushed: bool = False
    nothing_to_push: bool = False
    erasure: list[str] = field(default_factory=list)  # what catching up with an erasure did
    contact_notes: list[str] = field(default_factory=list)  # hand edits logging talks with do-not-contact people
    landed: dict[str, Record] = field(default_factory=dict)  # records others' changes brought, validated
    ours_changed: list[str] = field(default_factory=list)  # files we changed that others had not seen
    before: str | None = None  # HEAD before others' changes came in (after hand edits were committed)
    after: str | None = None  # HEAD at the end

    def summary(self) -> list[str]:
        lines = []
        if self.hand_edits:
            lines.append(f"committed {len(self.hand_edits)} hand edit(s)")
        lines += [f"note: {line}" for line in self.contact_notes]
        records = sorted({p for change in self.incoming for p in change.paths})
        lines.append(
            f"{len(self.incoming)} change(s) from others to {len(records)} file(s)"
            if self.incoming
            else "no changes from others"
        )
        if self.merged_records:
            lines.append(f"merged {len(self.merged_records)} record(s) changed on both sides, field by field")
        for path, conflict in self.conflicts:
            lines.append(f"CONFLICT {path}: {conflict.field} (the other value is kept in the record; choose one)")
        for problem in self.dangling:
            lines.append(f"note: {problem}")
        for problem in self.skipped:
            lines.append(f"LEFT OUT {problem}")
        if self.kept_merge_rule:
            lines.append(f"note: {GITATTRIBUTES_FILE} came without the line {MERGE_RULE}; it was put back")
        lines += [f"erasure: {line}" for line in self.erasure]
        lines.append("pushed" if self.pushed else "nothing to push" if self.nothing_to_push else "not pushed")
        return lines


def prepare(repo: DataRepo) -> None:
    """Per-clone settings the merge relies on (.git/config is not cloned), checked each time a repo opens."""
    current = str(repo.git_repo.git.config("--local", "--get", "pull.rebase", with_exceptions=False)).strip()
    if current != "false":  # a rebase would replay edits one by one and lose the field-by-field merge
        repo.git_repo.git.config("--local", "pull.rebase", "false")
    finish_interrupted_move(repo.git_repo)  # before anything reads the work tree


def ensure_attributes(repo: DataRepo) -> bool:
    """Commit the .gitattributes that keeps conflict markers out of records, if it is missing. True if made."""
    path = repo.root / GITATTRIBUTES_FILE
    current = (_plain_bytes(path) or b"").decode("utf-8", "replace")  # a link is replaced, never read
    if MERGE_RULE in current and not path.is_symlink():
        return False
    text = (current.rstrip("\n") + "\n" if current.strip() else "") + DATA_GITATTRIBUTES
    with gitops.repo_lock(repo.git_repo):  # re-entrant: sync calls this holding the lock
        gitops.identity(repo.git_repo)
        write_atomic(path, text.encode())
        gitops.commit_paths(repo.git_repo, [GITATTRIBUTES_FILE], "allytui: merge rules for records")
    return True


# reading from git in bulk


ZERO = "0" * 40


def changed_between(git_repo: git.Repo, old: str, new: str) -> dict[str, tuple[str | None, str | None]]:
    """path -> (blob id at old, blob id at new) for each file that differs (None: absent), in one git diff."""
    out = str(git_repo.git.diff("--raw", "-z", "--no-abbrev", "--no-renames", old, new))
    items = out.split("\0")
    changed: dict[str, tuple[str | None, str | None]] = {}
    for meta, path in zip(items[0::2], items[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        _, _, old_sha, new_sha, _ = meta[1:].split(" ", 4)
        changed[path] = (None if old_sha == ZERO else old_sha, None if new_sha == ZERO else new_sha)
    return changed


def last_changes(git_repo: git.Repo, base: str, tip: str, paths: list[str]) -> dict[str, Side]:
    """For each of paths changed in base..tip, who changed it last and when (one git log for all)."""
    if not paths:
        return {}
    out = str(
        git_repo.git.log("--format=%x01%H%x00%an%x00%at", "--name-only", "--no-renames", f"{base}..{tip}", "--", *paths)
    )
    sides: dict[str, Side] = {}
    for block in out.split("\x01")[1:]:
        header, _, names = block.partition("\n")
        sha, author, when = header.split("\x00")
        for name in names.split("\n"):
            if name.strip() and name not in sides:
                sides[name] = Side(author, sha, int(when))
    return sides


# merging


def _record(rel: str, raw: bytes | None, problems: list[Problem], what: str) -> Record | None:
    target = parse_record_path(rel)
    if raw is None or target is None:  # nothing there, or not a record's path: no record to read
        return None
    kind, record_id = target
    try:
        record, errors = build_record(kind, record_id, parse(raw))
    except ParseError as error:
        problems.append(Problem(rel, "", f"{what}: {error.message}", error.line))
        return None
    problems += [Problem(rel, f, f"{what}: {m}") for f, m in errors]
    return record


@dataclass
class MergePlan:
    take: dict[str, str | None] = field(default_factory=dict)  # path -> their blob id, as is (None: delete)
    changes: dict[str, bytes | None] = field(default_factory=dict)  # path -> merged bytes (None: delete)
    records: dict[str, Record] = field(default_factory=dict)  # every record that lands, validated
    merged_records: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, FieldConflict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    left_out: set[str] = field(default_factory=set)  # incoming paths with problems: ours is kept for them
    kept_merge_rule: bool = False

    @property
    def adjusted(self) -> bool:
        """Whether the result differs from theirs in a way a fast-forward could not carry."""
        return bool(self.left_out) or self.kept_merge_rule


def plan_merge(git_repo: git.Repo, base: str, ours: str, theirs: str, *, keyring: KeyRing | None = None) -> MergePlan:
    """Work out the merged content of every file either side changed, validating what comes in.

    Every incoming path is checked (plain files at safe paths, valid records and settings); one that
    fails is a problem and is left out, so with --skip-bad the rest can still come in. Sealed values both
    sides changed are merged opened with keyring's key and sealed again to the members' keys as they will
    be after the merge; without a key they are merged as opaque values.
    """
    plan = MergePlan()
    mine = changed_between(git_repo, base, ours)
    entries = diff_entries(git_repo, base, theirs)
    plan.problems, plan.left_out = entry_problems(entries)
    incoming = {p: (e.old_sha, e.new_sha) for p, e in entries.items() if p not in plan.left_out}
    both = [p for p, (_, t) in incoming.items() if p in mine and mine[p][1] != t]
    checked = {p for p in incoming if parse_record_path(p) is not None or p in (SETTINGS_FILE, GITATTRIBUTES_FILE)}
    wanted = {t for p, (_, t) in incoming.items() if t and p in checked}
    wanted |= {sha for p in both for sha in (incoming[p][0], mine[p][1], incoming[p][1]) if sha}
    blobs = gitops.read_blobs(git_repo, wanted)  # by blob id: no tree walks, each distinct blob once
    ours_sides, theirs_sides = last_changes(git_repo, base, ours, both), last_changes(git_repo, base, theirs, both)
    sealing = _sealing(git_repo, incoming, mine, blobs, keyring)
    for rel, (b_sha, t_sha) in incoming.items():
        target = parse_record_path(rel)
        before = len(plan.problems)
        if rel == SETTINGS_FILE:
            plan.problems += settings_problems(blobs.get(t_sha) if t_sha else None, "incoming")
        if rel not in mine or mine[rel][1] == b_sha:  # only they changed it: take theirs, once it validates
            record = _record(rel, blobs.get(t_sha or ""), plan.problems, "incoming") if target else None
            if len(plan.problems) > before:
                plan.left_out.add(rel)
                continue
            plan.take[rel] = t_sha
            if record is not None:
                plan.records[rel] = record
            continue
        if len(plan.problems) > before:  # their settings are not valid
            plan.left_out.add(rel)
            continue
        if rel not in both:
            continue  # both made the same change
        b, o, t = (blobs.get(sha) if sha else None for sha in (b_sha, mine[rel][1], t_sha))
        if target is None:
            plan.changes[rel] = _merge_other(rel, b, o, t, ours_sides, theirs_sides, plan)
            continue
        kind, record_id = target
        records = [_record(rel, raw, plan.problems, what) for raw, what in ((o, "ours"), (t, "incoming"))]
        base_record = _record(rel, b, [], "base")
        if len(plan.problems) > before:
            plan.left_out.add(rel)
            continue
        ours_side = ours_sides.get(rel, Side("", ours, 0))
        theirs_side = theirs_sides.get(rel, Side("", theirs, 0))
        result = merge_record(kind.model, base_record, records[0], records[1], ours_side, theirs_side, sealing)
        plan.merged_records.append(rel)
        plan.conflicts += [(rel, c) for c in result.conflicts]
        if result.data is None:
            plan.changes[rel] = None
            continue
        merged, errors = build_record(kind, record_id, result.data)
        if merged is None:
            plan.problems += [Problem(rel, f, f"merged: {m}") for f, m in errors]
            plan.left_out.add(rel)
            continue
        plan.records[rel] = merged
        plan.changes[rel] = dump_record(merged).encode()
    _keep_merge_rule(plan, incoming, blobs)
    return plan


def _sealing(
    git_repo: git.Repo,
    incoming: dict[str, tuple[str | None, str | None]],
    mine: dict[str, tuple[str | None, str | None]],
    blobs: dict[str, bytes | None],
    keyring: KeyRing | None,
) -> Sealing:
    """How this merge treats sealed values: the team's sealed fields, the member's key, and the members'
    keys after the merge (ours, with the people files only they changed as they have them)."""
    root = Path(str(git_repo.working_tree_dir))
    recipients = scan_recipients(root)
    for rel, (b_sha, t_sha) in incoming.items():
        target = parse_record_path(rel)
        if target is None or target[0] is not Kind.PEOPLE or (rel in mine and mine[rel][1] != b_sha):
            continue
        person = _record(rel, blobs.get(t_sha or ""), [], "incoming")
        recipients.pop(target[1], None)
        if isinstance(person, Person) and person.member_of and person.recipient:
            recipients[target[1]] = person.recipient
    opener = keyring.open_value if keyring is not None and keyring.holds_key else None
    settings = load_settings(root, []).sealed
    return Sealing(settings, opener, tuple(recipients[k] for k in sorted(recipients)))


def _keep_merge_rule(
    plan: MergePlan, incoming: dict[str, tuple[str | None, str | None]], blobs: dict[str, bytes | None]
) -> None:
    """Others may change .gitattributes, but never drop the rule that keeps conflict markers out of records."""
    rel = GITATTRIBUTES_FILE
    if rel not in incoming or rel in plan.left_out:
        return
    sha = plan.take.get(rel, "")
    text = plan.changes[rel] if rel in plan.changes else blobs.get(sha) if sha else None
    if text is not None and MERGE_RULE.encode() in text:
        return
    kept = (text or b"").decode("utf-8", "replace").rstrip("\n")
    plan.take.pop(rel, None)
    plan.changes[rel] = ((kept + "\n" if kept else "") + DATA_GITATTRIBUTES).encode()
    plan.kept_merge_rule = True


def _merge_other(
    rel: str,
    b: bytes | None,
    o: bytes | None,
    t: bytes | None,
    ours_sides: dict[str, Side],
    theirs_sides: dict[str, Side],
    plan: MergePlan,
) -> bytes | None:
    """Settings merge field by field; any other file line by line, else ours is kept and that is said."""
    if rel == SETTINGS_FILE and o is not None and t is not None:
        try:
            values = [parse(raw) if raw else {} for raw in (b, o, t)]
        except ParseError as error:
            plan.problems.append(Problem(rel, "", error.message, error.line))
            plan.left_out.add(rel)
            return o
        merger = FieldMerger(ours_sides.get(rel, Side("", "", 0)), theirs_sides.get(rel, Side("", "", 0)))
        merged = merger.merge(RepoSettings, values[0], values[1], values[2])
        try:
            settings = RepoSettings.model_validate(merged)
        except ValueError:  # pydantic's ValidationError: each side was valid, so this is rare; keep ours
            plan.problems.append(Problem(rel, "", "merged: the two versions do not combine into valid settings"))
            plan.left_out.add(rel)
            return o
        plan.conflicts += [(rel, c) for c in merger.conflicts]
        return dump(settings.model_dump()).encode()
    if o is not None and t is not None:
        text = merge_lines(
            (b or b"").decode("utf-8", "replace"), o.decode("utf-8", "replace"), t.decode("utf-8", "replace")
        )
        if text is not None:
            return text.encode()
    plan.conflicts.append((rel, FieldConflict(field=FILE, other="their version was not merged; ours kept")))
    return o


def _write_blobs(git_repo: git.Repo, changes: dict[str, bytes | None]) -> dict[str, str | None]:
    """Store merged files as blobs in-process (no git process per file); path -> blob id.

    A blob git already has is not written again: putting committed files back must not need free space.
    """
    store = LooseObjectDB(str(Path(git_repo.git_dir) / "objects"))
    shas: dict[str, str | None] = {}
    for rel, data in changes.items():
        if data is None:
            shas[rel] = None
            continue
        sha = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
        if not store.has_object(bytes.fromhex(sha)):
            sha = store.store(IStream(b"blob", len(data), io.BytesIO(data))).hexsha.decode()
        shas[rel] = sha
    return shas


def _move_to(git_repo: git.Repo, old: str | None, new: str) -> None:
    """Point HEAD (and the index and the work tree) from commit old to commit new; a kill is finished later."""
    move(git_repo, old, new)


def integrate(
    repo: DataRepo,
    theirs: str,
    report: SyncReport,
    *,
    skip_bad: bool = False,
    unsent: dict[str, bytes | None] | None = None,
    keyring: KeyRing | None = None,
) -> None:
    """Bring theirs into HEAD: fast-forward, or a merge commit built field by field.

    Incoming files with problems stop the sync (SyncBlocked); with skip_bad they are left out and listed.
    unsent: invalid hand edits --skip-bad left uncommitted; they stay in the work tree as they are.
    """
    g = repo.git_repo
    ours = gitops.head_sha(g)
    if ours is None:
        problems, _ = entry_problems(diff_entries(g, None, theirs))
        if problems:
            authors = last_authors(g, None, theirs, {p.path for p in problems})
            raise SyncBlocked(blockers(problems, authors, source="theirs"))
        _move_to(g, None, theirs)
        return
    if ours == theirs:
        return
    base = str(g.git.merge_base(ours, theirs, with_exceptions=False)).strip() or None
    if base is None:
        raise SyncError("this data repo and the shared one have no history in common; clone the shared one afresh")
    if base == theirs:
        return  # nothing new over there
    plan = plan_merge(g, base, ours, theirs, keyring=keyring)
    if plan.problems:
        found = blockers(plan.problems, last_authors(g, base, theirs, {p.path for p in plan.problems}), source="theirs")
        if not skip_bad:
            raise SyncBlocked(found)
        report.skipped += [p for b in found for p in b.as_problems()]
    report.incoming = [  # what others changed, less the files left out: those are listed as problems
        replace(change, paths=tuple(p for p in change.paths if p not in plan.left_out))
        for change in incoming_changes(g, ours, theirs)
    ]
    report.landed.update(plan.records)
    report.ours_changed += [p for p in changed_between(g, base, ours) if p not in plan.records]
    report.kept_merge_rule = plan.kept_merge_rule
    touched = {rel: data for rel, data in (unsent or {}).items() if rel in plan.take or rel in plan.changes}
    if base == ours and not plan.adjusted:
        report.fast_forward = True
        move(g, ours, theirs, put_back=_write_blobs(g, touched))
        return
    tree = gitops.write_tree(g, ours, "", {**plan.take, **_write_blobs(g, plan.changes)})
    message = f"sync: merge {len(report.incoming)} change(s) from others"
    if plan.merged_records:
        message += f"; {len(plan.merged_records)} record(s) merged field by field"
    if plan.conflicts:
        message += f"; {len(plan.conflicts)} conflict(s) kept for review"
    if plan.left_out:
        message += f"; {len(plan.left_out)} file(s) with problems left out"
    merge = str(g.git.commit_tree(tree, "-p", ours, "-p", theirs, "-m", message)).strip()
    move(g, ours, merge, put_back=_write_blobs(g, touched))
    report.merged_records += plan.merged_records
    report.conflicts += plan.conflicts


def incoming_changes(g: git.Repo, ours: str, theirs: str) -> list[IncomingChange]:
    """Commits in theirs that ours lacks, newest first, with the files each touched (merges skipped)."""
    out = str(
        g.git.log(
            "--format=%x01%H%x00%an%x00%at%x00%s", "--name-only", "--no-merges", "--no-renames", f"{ours}..{theirs}"
        )
    )
    changes = []
    for block in out.split("\x01")[1:]:
        header, _, names = block.partition("\n")
        sha, author, when, subject = header.split("\x00", 3)
        paths = tuple(n for n in names.split("\n") if n.strip())
        changes.append(IncomingChange(sha, author, dt.datetime.fromtimestamp(int(when), dt.UTC), subject, paths))
    return changes


# the whole sync


def current_branch(g: git.Repo) -> str:
    """The branch HEAD is on; SyncError when it is on none."""
    try:
        return g.active_branch.name
    except TypeError:
        raise SyncError(
            "HEAD is not on a branch; check out your branch (e.g. git switch main) and sync again"
        ) from None


def _finish_interrupted(repo: DataRepo) -> None:
    """A plain `git pull` that stopped on a conflict, or a rebase: abort it; this sync redoes it properly."""
    git_dir = Path(repo.git_repo.git_dir)
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        repo.git_repo.git.rebase("--abort")
    if (git_dir / "MERGE_HEAD").exists():
        repo.git_repo.git.merge("--abort")


def _commit_hand_edits(
    repo: DataRepo, report: SyncReport, saved: dict[str, bytes | None], *, skip_bad: bool = False
) -> dict[str, bytes | None]:
    """Validate every uncommitted hand edit; all valid -> one commit each; any invalid -> stop, nothing sent.

    With skip_bad, invalid ones are left uncommitted and listed. Fills saved with each edited file's bytes
    (None: deleted) before committing any, to put back if the sync fails later; returns those of the
    invalid ones left uncommitted.
    """
    edited = repo.uncommitted()
    problems: list[Problem] = []
    for rel in edited:
        if rel == SETTINGS_FILE:
            load_settings(repo.root, problems)
        else:
            problems += repo.check_file(rel)[1]
    found = blockers(problems, {}, source="edit")
    if found and not skip_bad:
        raise SyncBlocked(found)
    report.skipped += [p for b in found for p in b.as_problems()]
    bad = {b.path for b in found}
    saved.update({rel: _plain_bytes(repo.root / rel) for rel in edited})
    unsent = {rel: data for rel, data in saved.items() if rel in bad}
    edited = [rel for rel in edited if rel not in bad]
    for rel in edited:
        if rel == SETTINGS_FILE:
            gitops.commit_paths(repo.git_repo, [rel], "settings: edited by hand")
            report.hand_edits.append(rel)
            continue
        before = gitops.committed_bytes(repo.git_repo, rel)
        if repo.commit_file(rel) is not None:
            report.hand_edits.append(rel)
            _note_contact(repo, report, rel, before, saved.get(rel))
        else:  # the file is as committed: the index must agree too (a save killed after its commit leaves it behind)
            gitops.reset_index_path(repo.git_repo, rel)
    return unsent


def _note_contact(repo: DataRepo, report: SyncReport, rel: str, before: bytes | None, after: bytes | None) -> None:
    """A note when a hand edit committed here logs a conversation with someone who asked not to be contacted
    (sync asks nothing, so it says so; the app and allytui set ask first)."""
    talk = conversation_in(rel, after)
    if talk is None:
        return
    reason = do_not_contact_reason(
        repo.load().records, talk.group, talk.their_people, logged=conversation_in(rel, before)
    )
    if reason:
        report.contact_notes.append(f"{rel}, edited by hand and committed: {reason}")


def _plain_bytes(path: Path) -> bytes | None:
    """A work-tree file's bytes, never through a symbolic link; None when there is no plain file."""
    try:
        return read_file(path)
    except (OSError, ParseError):
        return None


def sync(
    repo: DataRepo,
    remote: str = "origin",
    progress: Progress | None = None,
    *,
    skip_bad: bool = False,
    keyring: KeyRing | None = None,
) -> SyncReport:
    """Share this clone's commits and take everyone else's. See the module docstring for the guarantees.

    keyring: the member's key, to merge sealed values both sides changed as text (else as opaque values).

    A file with problems (an invalid hand edit here, or anything unsafe or invalid from others) stops the
    sync with SyncBlocked, which names it; skip_bad takes everything else and lists the files left out.
    """
    say = progress or (lambda _: None)
    g = repo.git_repo
    report = SyncReport()
    with gitops.repo_lock(g):
        gitops.identity(g)
        try:
            url = str(g.git.remote("get-url", remote)).strip()
        except git.GitCommandError:
            raise SyncError(f"no remote called {remote}; add one with: git remote add {remote} ADDRESS") from None
        check_remote_url(url)
        safe_git(g)
        say("checking for an unfinished merge")
        finish_interrupted_move(g)
        _finish_interrupted(repo)
        start = gitops.head_sha(g)
        hand_edits: dict[str, bytes | None] = {}  # filled before the first is committed
        try:
            say("committing hand edits")
            unsent = _commit_hand_edits(repo, report, hand_edits, skip_bad=skip_bad)
            ensure_attributes(repo)
            pause_point("hand-edits-committed")
            branch = current_branch(g)
            report.before = gitops.head_sha(g)
            for attempt in range(MAX_PUSH_ATTEMPTS):
                say("fetching" if attempt == 0 else "someone pushed first: fetching again")
                tracking = f"refs/remotes/{remote}/{branch}"
                previous = str(g.git.rev_parse("--verify", "-q", tracking, with_exceptions=False)).strip() or None
                with contextlib.suppress(RemoteBranchMissing):  # a new shared repo has nothing to take yet
                    network(g, "fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}")
                theirs = str(g.git.rev_parse("--verify", "-q", tracking, with_exceptions=False)).strip() or None
                pause_point("fetched")
                caught = CatchUp()
                if theirs is not None:
                    caught = catch_up(repo, remote, branch, previous, theirs, unsent)
                    report.erasure += caught.notes
                if theirs is not None and caught.lease is None:  # a lease: theirs is history an erasure replaced
                    say("merging")
                    integrate(repo, theirs, report, skip_bad=skip_bad, unsent=unsent, keyring=keyring)
                head = gitops.head_sha(g)
                if head is None or head == theirs:
                    report.nothing_to_push = True
                    break
                check_outgoing(g, theirs, head)
                say("pushing")
                pause_point("merged")
                if _push(g, remote, branch, lease=caught.lease):
                    report.pushed = True
                    report.erasure += after_push(repo, remote, caught) if caught.lease is not None else []
                    pause_point("pushed")
                    break
            else:
                raise SyncError("others kept pushing while this sync ran; try again in a moment")
        except RemoteUnreachable:
            raise  # valid local commits stay; the next sync sends them
        except BaseException as error:
            restored = _restore(repo, start, hand_edits)
            if isinstance(error, DiskFull) or gitops.disk_full(error):
                raise DiskFull(
                    "this data repo is as it was before the sync, and nothing was sent"
                    if restored
                    else "it stopped part way; nothing is lost, and it is finished the next time allytui runs",
                    what="the sync could not finish",
                ) from None
            raise
        head = gitops.head_sha(g)
        report.after = head
        if head is not None:
            g.git.update_ref(LAST_SYNC_REF, head)
        report.dangling = dangling_references(repo, report)
    return report


def check_outgoing(g: git.Repo, theirs: str | None, head: str) -> None:
    """What this push would share must be what a sync takes: plain files at safe paths, valid records and
    settings. A commit made here with plain git can break that; SyncBlocked names the file, nothing is sent."""
    entries = diff_entries(g, theirs, head)
    problems, _ = entry_problems(entries, "yours")
    shared = {rel: e.new_sha for rel, e in entries.items() if e.new_sha and not any(p.path == rel for p in problems)}
    blobs = gitops.read_blobs(g, {sha for rel, sha in shared.items() if parse_record_path(rel) or rel == SETTINGS_FILE})
    for rel, sha in sorted(shared.items()):
        if rel == SETTINGS_FILE:
            problems += settings_problems(blobs.get(sha), "yours")
        elif parse_record_path(rel) is not None:
            _record(rel, blobs.get(sha), problems, "yours")
    if SETTINGS_FILE in entries and entries[SETTINGS_FILE].new_sha is None:
        problems += settings_problems(None, "yours")
    if problems:
        authors = last_authors(g, theirs, head, {p.path for p in problems})
        raise SyncBlocked(blockers(problems, authors, source="commit"))


def _push(g: git.Repo, remote: str, branch: str, *, lease: str | None = None) -> bool:
    """Push HEAD; False when the remote has moved on (someone pushed first).

    lease: push over the shared branch only if it is still there (an erasure's rewritten history).
    """
    try:
        if lease is not None:
            push_with_lease(g, remote, branch, lease)
            return True
        network(g, "push", "--quiet", "--no-verify", remote, f"HEAD:refs/heads/{branch}")
    except PushRejected:
        return False
    return True


def _restore(repo: DataRepo, start: str | None, hand_edits: dict[str, bytes | None]) -> bool:
    """Put HEAD, the index and the work tree back to where the sync started, hand edits uncommitted again.

    True when done; False when it could not be (a full disk): then a journalled move is left for the next
    run to finish, or the hand edits are still committed, and nothing is lost either way.
    """
    g = repo.git_repo
    try:
        finish_interrupted_move(g)
        head = gitops.head_sha(g)
        if start is not None and head is not None and head != start:
            # the hand edits go back into the work tree as part of the move, so a kill cannot lose them;
            # only those the move touches: the others are in their files still
            moving = changed_between(g, head, start)
            put_back = {rel: data for rel, data in hand_edits.items() if rel in moving}
            move(g, head, start, put_back=_write_blobs(g, put_back), why="sync failed, put back")
        for rel, data in hand_edits.items():
            path = repo.root / rel
            if _plain_bytes(path) == data and (data is not None or not os.path.lexists(path)):
                continue  # as it was: no write, which a full disk might refuse
            if data is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, data)
    except (AllytuiError, git.GitCommandError, OSError):
        return False
    return True


def dangling_references(repo: DataRepo, report: SyncReport) -> list[Problem]:
    """References that now point at nothing because one side deleted what the other referred to."""
    problems = []
    for rel, record in sorted(report.landed.items()):
        if (repo.root / rel).exists():
            problems += repo.missing_references(record)
    for rel in sorted(set(report.ours_changed)):  # ours may point at what they deleted
        if parse_record_path(rel) is not None and (repo.root / rel).exists():
            problems += [p for p in repo.check_file(rel)[1] if "does not exist" in p.message]
    return problems


def clone(url: str, path: Path) -> DataRepo:
    """Clone a shared data repo and prepare it; a clone that fails leaves no folder behind."""
    check_remote_url(url)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise SyncError(f"{path} exists and is not an empty folder")
    with removed_on_failure(path):
        clone_into(url, path)
        check_cloned(path, url)
        repo = DataRepo.open(path)
        prepare(repo)
    return repo
