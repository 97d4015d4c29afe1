"""`allytui erase people/ID`: a person out of the work tree, out of every branch's history, and off the shared repo.

1. The work tree: their file goes, every reference to them goes (found through the model's refers_to
   metadata), and mentions of them in text are listed, or replaced by [erased]: one commit.
2. History: git-filter-repo (in a process of its own, see filter_job) drops every path that held their file
   and replaces their name, email and phone (from every past version of their record) in every blob and
   commit message on every ref; erasures.toml records the erasure (salted hash only); reflogs are expired
   and unreachable objects pruned.
3. The shared repo: pushed only when asked, with a lease on the remote branch as this clone last saw it.
Other clones catch up in `allytui sync` (catch_up): their unshared commits are replayed field by field onto
the rewritten history, less what concerns the erased person, and their clone is cleaned the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import git

from allytui.model.erasure import (
    ERASED,
    ERASURES_FILE,
    Erasure,
    ErasureLog,
    ErasurePlan,
    Mention,
    Terms,
    drop_references,
    erasure_log,
    mention_pattern,
    might_mention,
    new_erasure,
    plan_erasure,
    redact_record,
    redact_text,
    terms_of,
)
from allytui.model.records import Kind, Person, Record
from allytui.model.sealed import ARMOR_BEGIN, looks_sealed
from allytui.model.validation import build_record
from allytui.store import git as gitops
from allytui.store.atomic import write_atomic
from allytui.store.codec import ParseError, dump, dump_record, parse
from allytui.store.errors import AllytuiError, RecordNotFound
from allytui.store.layout import parse_record_path, record_path
from allytui.store.loader import load_record, read_file
from allytui.store.record_cache import forget as forget_cached_records
from allytui.store.repo import DataRepo
from allytui.store.sealing import Identity, SealingError, load_identities, unseal
from allytui.sync.merge import Side, merge_lines, merge_record
from allytui.sync.moves import move, pause_point
from allytui.sync.remote import PushRejected, RemoteBranchMissing, RemoteUnreachable, SyncError, address, network
from allytui.sync.trees import diff_entries

Progress = Callable[[str], None]
PENDING = "allytui-erasure.json"  # in .git: the lease for an erasure not yet on the shared repo
FILTER_TIMEOUT = 3600
REPLAY_SQUASH_OVER = 200  # more unshared commits than this are replayed as one


class MentionsFound(AllytuiError):
    """Text elsewhere mentions the person: the user edits it first, or asks for --redact-mentions."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        lines = [f"  {m.path}: {m.field} ({m.count} mention{'s' if m.count > 1 else ''})" for m in mentions]
        super().__init__(
            "other records mention this person; nothing was changed. Edit these first, or run again with "
            "--redact-mentions to replace each mention with [erased]:\n" + "\n".join(lines)
        )


@dataclass
class EraseReport:
    plan: ErasurePlan
    dry_run: bool = False
    history_commits: int = 0  # commits that touched the person's file, on any ref
    history_paths: list[str] = field(default_factory=list)
    commit: str | None = None  # the work-tree commit
    first_rewritten: str = ""
    pushed: bool = False
    push_refused: str = ""
    notes: list[str] = field(default_factory=list)
    earlier: bool = False  # erased in this clone by an earlier run: only its clean-up and push were done

    def summary(self) -> list[str]:
        if self.earlier:
            return [*self.notes, *([self.push_refused] if self.push_refused else [])]
        plan = self.plan
        would = "would be" if self.dry_run else "were"
        lines = [
            f"their record {'would be ' if self.dry_run else ''}removed"
            if plan.present
            else "their record is no longer in the work tree; their history is still erased",
            f"{len(plan.references)} reference(s) to them in {len({p for p, _ in plan.references})} record(s) {would} "
            "removed",
        ]
        lines += [f"  {path}: {where}" for path, where in plan.references]
        count = sum(m.count for m in plan.mentions)
        lines.append(f"{count} mention(s) of them {would} replaced by {ERASED}")
        lines += [f"  {m.path}: {m.field} ({m.count})" for m in plan.mentions]
        if plan.sealed:
            lines.append(
                f"{len(plan.sealed)} other record(s) hold sealed values, which cannot be searched for mentions; "
                "check them with allytui show --reveal (sealed values stay as they are, in history too)"
            )
        lines.append(
            f"history: {self.history_commits} commit(s) touching their file, on {len(self.history_paths)} path(s), "
            f"{'would be' if self.dry_run else 'were'} rewritten on every branch"
        )
        if self.dry_run:
            return [*lines, "dry run: nothing was changed"]
        lines += self.notes
        if self.pushed:
            lines.append("the shared repository now has the rewritten history")
        elif self.push_refused:
            lines.append(self.push_refused)
        else:
            lines.append("not pushed: run `allytui sync` (or erase with --push) to share the erasure")
        return lines


# reading the person's past


def _git_lines(g: git.Repo, *args: str) -> list[str]:
    return [line for line in str(g.git.execute(["git", *args])).splitlines() if line.strip()]


def paths_in_history(g: git.Repo, revs: list[str], folder: str) -> set[str]:
    """Every path under folder that any commit reachable from revs touched."""
    if not revs:
        return set()
    return set(_git_lines(g, "log", "--format=", "--name-only", "--no-renames", *revs, "--", folder))


def _identities() -> list[Identity]:
    try:
        return list(load_identities())
    except SealingError:
        return []


def history_terms(g: git.Repo, revs: list[str], paths: Iterable[str]) -> tuple[Terms, int]:
    """The terms of every version the paths held in commits reachable from revs, and how many commits touched them."""
    paths = sorted(paths)
    if not paths or not revs:
        return Terms(), 0
    out = _git_lines(g, "log", "--format=%x01%H", "--raw", "--no-abbrev", "--no-renames", *revs, "--", *paths)
    commits = sum(1 for line in out if line.startswith("\x01"))
    wanted: dict[str, str] = {}
    for line in out:
        if not line.startswith(":"):
            continue
        meta, _, rel = line.partition("\t")
        for sha in meta.split()[2:4]:
            if set(sha) != {"0"}:
                wanted[sha] = rel
    blobs = gitops.read_blobs(g, wanted)
    identities = _identities()
    terms = Terms()
    for sha, raw in blobs.items():
        target = parse_record_path(wanted[sha])
        if raw is None or target is None:
            continue
        terms |= _version_terms(target[1], raw, identities)
    return terms, commits


def _version_terms(record_id: str, raw: bytes, identities: list[Identity]) -> Terms:
    try:
        data = parse(raw)
    except ParseError:
        return Terms(frozenset({record_id}))
    contact = data.get("contact")
    if looks_sealed(contact) and identities:
        with contextlib.suppress(SealingError):
            data = {**data, "contact": unseal(str(contact), identities)}
    return terms_of(record_id, data)


def erased_in(g: git.Repo, revs: list[str], entries: Iterable[Erasure]) -> tuple[set[str], Terms]:
    """The people ids in revs' history whose salted hash an entry holds, and every term their records held."""
    entries = list(entries)
    ids = set()
    for rel in paths_in_history(g, revs, Kind.PEOPLE.value):
        target = parse_record_path(rel)
        if target is not None and target[0] is Kind.PEOPLE and any(e.matches(target[1]) for e in entries):
            ids.add(target[1])
    terms, _ = history_terms(g, revs, [record_path(Kind.PEOPLE, i) for i in ids])
    return ids, terms | Terms(frozenset(ids))


# the work tree


def _refuse_unsafe_state(repo: DataRepo) -> None:
    g = repo.git_repo
    edited = _git_lines(g, "status", "--porcelain=v1", "--untracked-files=no")
    if edited:
        names = ", ".join(line[3:] for line in edited[:5]) + (" ..." if len(edited) > 5 else "")
        raise AllytuiError(
            f"this data repo has uncommitted changes ({names}); commit them (allytui sync) or undo them first: "
            "nothing was changed"
        )
    if str(g.git.rev_parse("-q", "--verify", "refs/stash", with_exceptions=False)).strip():
        raise AllytuiError(
            "this data repo has stashed changes (git stash list); apply or drop them first, since an erasure "
            "clears the reflogs git keeps them in: nothing was changed"
        )


def _branch(g: git.Repo) -> str:
    try:
        return g.active_branch.name
    except TypeError:
        raise AllytuiError("HEAD is not on a branch; check out your branch (git switch main) first") from None


def _record_files(repo: DataRepo) -> list[str]:
    """Record files in the work tree, committed or not (untracked ones would be committed by the next sync)."""
    listed = _git_lines(repo.git_repo, "ls-files", "--cached", "--others", "--exclude-standard")
    return sorted(rel for rel in set(listed) if parse_record_path(rel) is not None)


def _candidates(
    repo: DataRepo, person_path: str, terms: Terms, sealed: list[str]
) -> tuple[dict[str, Record], dict[str, int]]:
    """The records whose text may mention or refer to the person, loaded (every other file is only read), and
    how many mentions each file's whole text holds (comments included). Files with sealed values go in sealed."""
    pattern = mention_pattern(terms)
    records: dict[str, Record] = {}
    counts: dict[str, int] = {}
    for rel in _record_files(repo):
        target = parse_record_path(rel)
        if rel == person_path or target is None:
            continue
        try:
            text = read_file(repo.root / rel).decode("utf-8")
        except (OSError, ParseError, UnicodeDecodeError):
            continue  # allytui check names it; nothing of it can be changed safely here
        if ARMOR_BEGIN in text:
            sealed.append(rel)
        if not might_mention(terms, text):
            continue
        record, _, _ = load_record(repo.root, rel, *target)
        if record is not None:
            records[rel] = record
        counts[rel] = len(pattern.findall(text)) if pattern else 0
    return records, counts


def _plan(repo: DataRepo, person_id: str) -> tuple[ErasurePlan, Terms, list[str], int]:
    g = repo.git_repo
    try:
        person_path = record_path(Kind.PEOPLE, person_id)
    except ValueError:
        raise RecordNotFound(f"people/{person_id}: not a valid person id") from None
    present = (repo.root / person_path).is_file()
    refs = ["--all"]
    held = {person_path} & paths_in_history(g, refs, person_path)
    if not present and not held:
        raise RecordNotFound(f"people/{person_id}: no such person, in the work tree or in the history")
    terms, commits = history_terms(g, refs, held)
    record = load_record(repo.root, person_path, Kind.PEOPLE, person_id)[0] if present else None
    if isinstance(record, Person):
        terms |= Terms(frozenset({person_id}), frozenset({record.name}))
    terms |= Terms(frozenset({person_id}))
    sealed: list[str] = []
    records, counts = _candidates(repo, person_path, terms, sealed)
    plan = plan_erasure(records, person_path, person_id, terms, present=present)
    plan.sealed = sealed
    for rel, count in sorted(counts.items()):  # mentions outside every field: comments, rewritten with history
        extra = count - sum(m.count for m in plan.mentions if m.path == rel)
        if extra > 0:
            plan.mentions.append(Mention(rel, "(comments or other text in the file)", extra))
    return plan, terms, sorted(held | {person_path}), commits


# history


def rewrite_history(g: git.Repo, paths: list[str], terms: Terms) -> None:
    """Run the rewrite (filter_job) on every ref of this clone; the terms travel on a pipe, never on disk."""
    root = Path(g.working_tree_dir or g.git_dir)
    metadata = Path(g.git_dir) / "filter-repo"
    shutil.rmtree(metadata, ignore_errors=True)  # an old run's marker would make filter-repo ask a question
    env = {**os.environ, **gitops.GIT_ENV, **gitops.no_hooks_env()}
    env.pop("GIT_DIR", None)
    spec = json.dumps({"paths": paths, "terms": terms.as_json()})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "allytui.sync.filter_job"],
            cwd=root,
            input=spec.encode(),
            capture_output=True,
            env=env,
            timeout=FILTER_TIMEOUT,
            check=False,
        )
    finally:
        shutil.rmtree(metadata, ignore_errors=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise AllytuiError(f"git-filter-repo could not rewrite the history ({said[-1] if said else done.returncode})")


def purge(g: git.Repo) -> None:
    """Nothing of the old history left in this clone: files naming old commits, reflogs, unreachable objects."""
    git_dir = Path(g.git_dir)
    for name in ("ORIG_HEAD", "FETCH_HEAD", "COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "AUTO_MERGE"):
        (git_dir / name).unlink(missing_ok=True)
    shutil.rmtree(git_dir / "rr-cache", ignore_errors=True)
    forget_cached_records(git_dir)  # parsed copies of the erased person's records and of old mentions
    g.git.reflog("expire", "--expire=now", "--expire-unreachable=now", "--all")
    g.git.gc("--prune=now", "--quiet")


def purge_remote(url: str) -> bool:
    """Prune a shared repository that is a folder on this computer; False when it is elsewhere."""
    where = address(url)
    if not where.local:
        return False
    path = Path(url.removeprefix("file://")).expanduser()
    if not (path / "objects").is_dir() and not (path / ".git").is_dir():
        return False
    bare = git.Git(path)
    bare.update_environment(**gitops.GIT_ENV, **gitops.no_hooks_env())
    bare.execute(["git", "reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"])
    bare.execute(["git", "gc", "--prune=now", "--quiet"])
    return True


def read_log(g: git.Repo, rev: str | None) -> ErasureLog:
    if rev is None:
        return ErasureLog()
    raw = gitops.read_blobs(g, [f"{rev}:{ERASURES_FILE}"]).get(f"{rev}:{ERASURES_FILE}")
    if raw is None:
        return ErasureLog()
    try:
        return erasure_log(parse(raw))[0]
    except ParseError:
        return ErasureLog()


ERASURE_MESSAGE = "erase: the erasure is recorded in erasures.toml"
_HEADER = "# Erasures of people's data (allytui erase): no name or id, only a salted hash for matching.\n"


def _erasures_text(entries: list[Erasure]) -> bytes:
    return (_HEADER + dump({"erasure": [e.model_dump(mode="python") for e in entries]})).encode()


def _record_erasure(repo: DataRepo, entry: Erasure) -> None:
    """Commit the entry, added to erasures.toml; before the rewrite, so that a run stopped after it still tells
    other clones (the first rewritten commit is filled in afterwards, see _note_first_rewritten)."""
    g = repo.git_repo
    log = read_log(g, gitops.head_sha(g))
    write_atomic(repo.root / ERASURES_FILE, _erasures_text([*log.erasure, entry]))
    gitops.commit_paths(g, [ERASURES_FILE], ERASURE_MESSAGE)


def _note_first_rewritten(repo: DataRepo, entry: Erasure, first: str) -> None:
    """Put the first rewritten commit into the entry, in place of the entry's commit (HEAD, rewritten)."""
    g = repo.git_repo
    head = gitops.head_sha(g)
    log = read_log(g, head)
    updated = [e.model_copy(update={"first_rewritten": first}) if e.key == entry.key else e for e in log.erasure]
    data = _erasures_text(updated)
    write_atomic(repo.root / ERASURES_FILE, data)
    blob = gitops.run_with_input(g, ["hash-object", "-w", "--stdin"], data).decode().strip()
    tree = gitops.write_tree(g, head, "", {ERASURES_FILE: blob})
    parents = _git_lines(g, "rev-list", "--parents", "-1", "HEAD")[0].split()[1:]
    commit = str(g.git.commit_tree(tree, *(f"-p{p}" for p in parents), "-m", ERASURE_MESSAGE)).strip()
    g.git.update_ref("-m", "allytui: erase", "HEAD", commit, head)
    g.git.update_index("--cacheinfo", f"100644,{blob},{ERASURES_FILE}")


def _is_ancestor(g: git.Repo, older: str, newer: str) -> bool:
    return g.git.merge_base("--is-ancestor", older, newer, with_exceptions=False, with_extended_output=True)[0] == 0


def _rev(g: git.Repo, name: str) -> str | None:
    return str(g.git.rev_parse("-q", "--verify", f"{name}^{{commit}}", with_exceptions=False)).strip() or None


def _pending_path(g: git.Repo) -> Path:
    return Path(g.git_dir) / PENDING


def _pending(g: git.Repo) -> dict[str, object]:
    try:
        data = json.loads(_pending_path(g).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pending_lease(g: git.Repo) -> str | None:
    """The shared branch as this clone saw it before an erasure not yet pushed ("" : it had none)."""
    lease = _pending(g).get("lease")
    return lease if isinstance(lease, str) else None


def _pending_others(g: git.Repo) -> dict[str, str]:
    """The shared repo's other branches as this clone saw them before the erasure: name -> tip."""
    others = _pending(g).get("others")
    return {str(k): str(v) for k, v in others.items()} if isinstance(others, dict) else {}


def _set_pending(g: git.Repo, lease: str | None, others: dict[str, str] | None = None) -> None:
    path = _pending_path(g)
    if lease is None:
        path.unlink(missing_ok=True)
    else:
        kept = _pending_others(g) if others is None else others
        path.write_text(json.dumps({"lease": lease, "others": kept}))


class RewriteRefused(SyncError):
    """The shared repository refuses any push that rewrites its history (a protected branch)."""


REWRITE_REFUSED = (
    "the shared repository refuses to have its history rewritten (a protected branch, or git's "
    "receive.denyNonFastForwards), so nothing was sent; the erasure is kept in this clone. Whoever runs it "
    "allows one forced push (on a plain git server: git config receive.denyNonFastForwards false in the shared "
    "repo), then you run allytui sync"
)


def push_with_lease(g: git.Repo, remote: str, branch: str, lease: str) -> None:
    """Force the branch on the shared repo only if it is still at lease ("" : only if it has no such branch).

    PushRejected when it has moved on; RewriteRefused when it is still at lease but refuses a forced push.
    """
    leases = [f"--force-with-lease=refs/heads/{branch}:{lease}"]
    refspecs = [f"HEAD:refs/heads/{branch}"]
    for name, old in _pending_others(g).items():  # the shared repo's other branches, rewritten here too
        new = _rev(g, f"refs/remotes/{remote}/{name}")
        if new is not None and new != old:
            leases.append(f"--force-with-lease=refs/heads/{name}:{old}")
            refspecs.append(f"refs/remotes/{remote}/{name}:refs/heads/{name}")
    try:
        network(g, "push", "--quiet", "--no-verify", "--atomic", *leases, remote, *refspecs)
    except PushRejected:  # git says so both when the lease fails and when the server refuses any rewrite
        listed = network(g, "ls-remote", remote, f"refs/heads/{branch}").split()
        if (listed[0] if listed else "") == lease:
            raise RewriteRefused(REWRITE_REFUSED) from None
        raise
    except SyncError as error:
        if type(error) is SyncError and "refused the push" in str(error):  # a hosting service's protected branch
            raise RewriteRefused(f"{REWRITE_REFUSED} ({error})") from None
        raise
    g.git.update_ref(f"refs/remotes/{remote}/{branch}", "HEAD")
    _set_pending(g, None)


LEASE_REFUSED = (
    "not pushed: someone shared changes after this clone last synced, so the shared repository was left as it "
    "is (nothing of theirs was overwritten) and the erasure is kept here. Run `allytui sync`: it brings their "
    "changes onto the rewritten history, without the erased person, and then shares the erasure"
)


def share(repo: DataRepo, remote: str, branch: str, report_notes: list[str]) -> bool:
    """Push a pending erasure with its lease; then prune the shared repo when it is a folder here."""
    g = repo.git_repo
    lease = pending_lease(g)
    if lease is None:
        return False
    push_with_lease(g, remote, branch, lease)
    purge(g)
    url = str(g.git.remote("get-url", "--push", remote)).strip()
    if purge_remote(url):
        report_notes.append("the shared repository's old objects were pruned")
    else:
        report_notes.append(
            "whoever runs the shared repository should prune its old objects: "
            "git reflog expire --expire=now --all && git gc --prune=now"
        )
    return True


def _remote_tip(g: git.Repo, remote: str, branch: str) -> str:
    """Fetch every branch of the shared repo; the tip of ours ("" when the shared repo has no such branch yet)."""
    with contextlib.suppress(RemoteBranchMissing):
        network(g, "fetch", "--quiet", "--no-tags", "--prune", remote, f"+refs/heads/*:refs/remotes/{remote}/*")
    return _rev(g, f"refs/remotes/{remote}/{branch}") or ""


def _remote_branches(g: git.Repo, remote: str, branch: str) -> dict[str, str]:
    """The shared repo's other branches as last fetched: name -> tip."""
    prefix = f"refs/remotes/{remote}/"
    found = {}
    for line in _git_lines(g, "for-each-ref", "--format=%(refname) %(objectname) %(symref)", prefix):
        ref, sha, *symref = line.split(" ")
        name = ref.removeprefix(prefix)
        if name not in (branch, "HEAD") and not any(symref):
            found[name] = sha
    return found


def erase(
    repo: DataRepo,
    person_id: str,
    *,
    redact_mentions: bool = False,
    push: bool = False,
    dry_run: bool = False,
    remote: str = "origin",
    progress: Progress | None = None,
) -> EraseReport:
    """Erase one person; see the module docstring. Nothing changes until every check has passed."""
    say = progress or (lambda _: None)
    g = repo.git_repo
    with gitops.repo_lock(g):
        by = gitops.identity(g).rsplit(" <", 1)[0]
        _refuse_unsafe_state(repo)
        branch = _branch(g)
        if _already_erased(repo, person_id):
            return _finish_earlier(repo, person_id, remote, branch, push=push, dry_run=dry_run)
        plan, terms, paths, commits = _plan(repo, person_id)
        report = EraseReport(plan, dry_run, commits, paths)
        if plan.mentions and not redact_mentions and not dry_run:
            raise MentionsFound(plan.mentions)
        if dry_run:
            return report
        lease = _lease(g, remote, branch, push=push, say=say)
        say("removing their record and every reference to them")
        message = (
            f"erase: a person's record and {len(plan.references)} reference(s) to them removed, "
            f"{sum(m.count for m in plan.mentions)} mention(s) replaced"
        )
        committed = repo.save_many(list(plan.changed.values()), message, deleted=[plan.person_path])
        report.commit = committed.sha if committed else None
        entry = new_erasure(person_id, by, dt.datetime.now(dt.UTC).date())
        _record_erasure(repo, entry)
        pause_point("erase: committed")
        say("rewriting the history of every branch")
        before = set(_git_lines(g, "rev-list", "--all"))
        if lease is not None:  # before the rewrite: a kill after it still leaves the leases to push with
            _set_pending(g, lease, _remote_branches(g, remote, branch))
        rewrite_history(g, paths, terms)
        pause_point("erase: rewritten")
        fresh = [sha for sha in _git_lines(g, "rev-list", "--reverse", "--topo-order", "HEAD") if sha not in before]
        report.first_rewritten = fresh[0] if fresh and len(fresh) > 1 else ""  # not the entry's own commit
        _note_first_rewritten(repo, entry, report.first_rewritten)
        say("clearing reflogs and pruning old objects")
        purge(g)
        if push and lease is not None:
            say("pushing, with a lease")
            try:
                share(repo, remote, branch, report.notes)
                report.pushed = True
            except RewriteRefused as refused:
                report.push_refused = f"not pushed: {refused}"
            except PushRejected:
                report.push_refused = LEASE_REFUSED
    return report


def _already_erased(repo: DataRepo, person_id: str) -> bool:
    """Erased in this clone before (their file gone, now and in history, and an entry matching their id)."""
    g = repo.git_repo
    if (repo.root / record_path(Kind.PEOPLE, person_id)).is_file():
        return False
    if paths_in_history(g, ["--all"], record_path(Kind.PEOPLE, person_id)):
        return False
    return any(entry.matches(person_id) for entry in read_log(g, gitops.head_sha(g)).erasure)


def _finish_earlier(
    repo: DataRepo, person_id: str, remote: str, branch: str, *, push: bool, dry_run: bool
) -> EraseReport:
    """An erasure that already rewrote this clone (perhaps stopped before its clean-up): clean up, push if asked."""
    report = EraseReport(ErasurePlan(record_path(Kind.PEOPLE, person_id), present=False), dry_run, earlier=True)
    report.notes.append("they were already erased in this clone")
    if dry_run:
        return report
    purge(repo.git_repo)
    report.notes.append("reflogs cleared and old objects pruned again")
    if push:
        try:
            report.pushed = share(repo, remote, branch, report.notes)
        except RewriteRefused as refused:
            report.push_refused = f"not pushed: {refused}"
        except PushRejected:
            report.push_refused = LEASE_REFUSED
        if not report.pushed and not report.push_refused:
            report.notes.append("nothing waits to be pushed: the shared repository already has the erasure")
    return report


def _lease(g: git.Repo, remote: str, branch: str, *, push: bool, say: Progress) -> str | None:
    """The shared branch's tip to push over later ("" : none there yet); None when there is no remote.

    Refuses while the shared repo has commits this clone lacks: their history would be rewritten unseen.
    """
    if not str(g.git.remote(with_exceptions=False)).split():
        if push:
            raise SyncError(f"no remote called {remote} to push to; nothing was changed")
        return None
    say("checking the shared repository")
    try:
        tip = _remote_tip(g, remote, branch)
    except RemoteUnreachable as error:
        if push:
            raise SyncError(f"{error}; nothing was changed") from None
        tip = _rev(g, f"refs/remotes/{remote}/{branch}") or ""
    if tip and not _is_ancestor(g, tip, "HEAD"):
        raise SyncError(
            "others have shared changes this clone has not taken yet; run allytui sync first, then erase again "
            "(nothing was changed)"
        )
    return tip


# other clones: catching up with an erasure made elsewhere


@dataclass
class Scrub:
    """Takes the erased people out of a file's content: their own file goes, references and mentions go."""

    ids: set[str]
    terms: Terms
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pattern = mention_pattern(self.terms)

    def erased_path(self, rel: str) -> bool:
        target = parse_record_path(rel)
        return target is not None and target[0] is Kind.PEOPLE and target[1] in self.ids

    def blob(self, rel: str, raw: bytes | None) -> bytes | None:
        if raw is None or self.erased_path(rel):
            return None
        text = original = raw.decode("utf-8", "surrogateescape")
        target = parse_record_path(rel)
        if target is not None:
            with contextlib.suppress(ParseError):
                record, _ = build_record(target[0], target[1], parse(raw))
                if record is not None:
                    dropped, fields = drop_references(record, self.ids)
                    redacted, count = redact_record(dropped, self.pattern)
                    if fields or count:
                        text = dump_record(redacted)
                        self.notes.append(f"what referred to or mentioned the erased person was dropped from {rel}")
        text, _ = redact_text(text, self.pattern)
        return raw if text == original else text.encode("utf-8", "surrogateescape")


def _hash_blob(g: git.Repo, data: bytes) -> str:
    return gitops.run_with_input(g, ["hash-object", "-w", "--stdin"], data).decode().strip()


def _merge_file(
    rel: str, base: bytes | None, ours: bytes | None, theirs: bytes | None, sides: tuple[Side, Side]
) -> bytes | None:
    """Three-way merge of one file: records field by field, other files line by line, else ours is kept."""
    target = parse_record_path(rel)
    if target is not None:
        kind, record_id = target
        try:
            versions = [build_record(kind, record_id, parse(raw))[0] if raw else None for raw in (base, ours, theirs)]
        except ParseError:
            return ours
        if (ours is not None and versions[1] is None) or (theirs is not None and versions[2] is None):
            return ours
        result = merge_record(kind.model, versions[0], versions[1], versions[2], *sides)
        if result.data is None:
            return None
        merged, _ = build_record(kind, record_id, result.data)
        return dump_record(merged).encode() if merged is not None else ours
    if ours is not None and theirs is not None:
        text = merge_lines(*((raw or b"").decode("utf-8", "replace") for raw in (base, ours, theirs)))
        if text is not None:
            return text.encode()
    return ours


def replay(g: git.Repo, commit: str, parent: str | None, onto: str, scrub: Scrub) -> str:
    """commit's own changes (from parent) made again on top of onto, less the erased people; onto if none are left."""
    entries = diff_entries(g, parent, commit)
    names = {sha for e in entries.values() for sha in (e.old_sha, e.new_sha) if sha}
    names |= {f"{onto}:{rel}" for rel in entries}
    blobs = gitops.read_blobs(g, names)
    info = str(g.git.log("-1", "--format=%an%x00%ae%x00%ad%x00%at%x00%B", "--date=raw", commit))
    name, email, date, when, message = info.split("\x00", 4)
    sides = (Side("", onto, 0), Side(name, commit, int(when)))
    changes: dict[str, str | None] = {}
    for rel, entry in entries.items():
        base = scrub.blob(rel, blobs.get(entry.old_sha) if entry.old_sha else None)
        theirs = scrub.blob(rel, blobs.get(entry.new_sha) if entry.new_sha else None)
        if scrub.erased_path(rel):
            scrub.notes.append("a change to the erased person's own record was dropped")
            continue
        if base == theirs:
            continue
        ours = blobs.get(f"{onto}:{rel}")
        merged = theirs if ours == base else ours if ours == theirs else _merge_file(rel, base, ours, theirs, sides)
        if merged != ours:
            changes[rel] = None if merged is None else _hash_blob(g, merged)
    if not changes:
        return onto
    tree = gitops.write_tree(g, onto, "", changes)
    text, _ = redact_text(message, scrub.pattern)
    for erased in scrub.ids:
        text = text.replace(erased, ERASED)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date}
    return str(g.git.commit_tree(tree, "-p", onto, "-m", text.strip() or "(no message)", env=env)).strip()


def _unshared(g: git.Repo, tip: str, exclude: list[str]) -> list[tuple[str, str | None]]:
    """(commit, first parent) of tip's first-parent line not reachable from exclude, oldest first."""
    out = _git_lines(g, "rev-list", "--first-parent", "--reverse", "--parents", tip, "--not", *exclude)
    return [(parts[0], parts[1] if len(parts) > 1 else None) for parts in (line.split() for line in out)]


def _replay_all(g: git.Repo, commits: list[tuple[str, str | None]], onto: str, scrub: Scrub) -> str:
    if len(commits) > REPLAY_SQUASH_OVER:  # one replay of the whole span: the same content, far fewer merges
        commits = [(commits[-1][0], commits[0][1])]
    for commit, parent in commits:
        onto = replay(g, commit, parent, onto, scrub)
    return onto


def _other_refs(g: git.Repo, keep: set[str]) -> list[str]:
    """Refs that may still hold old history: not those kept, nor symbolic ones (origin/HEAD)."""
    refs = [line.split(" ") for line in _git_lines(g, "for-each-ref", "--format=%(refname) %(symref)")]
    return [ref[0] for ref in refs if ref[0] not in keep and not (len(ref) > 1 and ref[1])]


@dataclass
class CatchUp:
    """What a sync did about an erasure: the lease to push with (None: a plain push), and notices."""

    lease: str | None = None
    notes: list[str] = field(default_factory=list)
    rewrote: bool = False


def catch_up(
    repo: DataRepo, remote: str, branch: str, previous: str | None, theirs: str, unsent: dict[str, bytes | None]
) -> CatchUp:
    """Before a sync merges: handle a shared history rewritten by an erasure this clone lacks (theirs), or this
    clone's own erasure not yet on the shared repo (ours). Otherwise nothing to do."""
    g = repo.git_repo
    head = gitops.head_sha(g)
    done = CatchUp()
    if head is None or head == theirs:
        return done
    ours_log, theirs_log = read_log(g, head), read_log(g, theirs)
    incoming = [e for e in theirs_log.erasure if e.key not in ours_log.entry_keys()]
    outgoing = [e for e in ours_log.erasure if e.key not in theirs_log.entry_keys()]
    if _carried(g, theirs, head, theirs_log.erasure):
        raise SyncError(RESURRECTED)
    if not _is_ancestor(g, head, theirs):  # a plain git pull may have merged the old history back in here
        incoming += [e for e in _carried(g, head, theirs, ours_log.erasure) if e not in incoming]
    if incoming and not _is_ancestor(g, head, theirs):
        _refuse_unsent(unsent)
        ids, terms = erased_in(g, [head, *([previous] if previous else [])], incoming)
        scrub = Scrub(ids, terms)
        commits = _unshared(g, head, [theirs, *([previous] if previous and _is_commit(g, previous) else [])])
        tip = _replay_all(g, commits, theirs, scrub)
        move(g, head, tip, why="erasure catch-up")
        _clean_clone(g, ids, terms, keep={f"refs/heads/{branch}", f"refs/remotes/{remote}/{branch}"})
        done.rewrote = True
        done.notes.append(
            f"the shared history was rewritten by an erasure ({len(incoming)} new in erasures.toml); "
            f"{len(commits)} unshared commit(s) of yours were replayed onto it"
        )
        done.notes += sorted(set(scrub.notes))
    elif outgoing and not _is_ancestor(g, theirs, head):
        _refuse_unsent(unsent)
        lease = pending_lease(g)
        ids, terms = erased_in(g, [theirs], outgoing)
        scrub = Scrub(ids, terms)
        exclude = [lease] if lease and _is_commit(g, lease) and _is_ancestor(g, lease, theirs) else [head]
        commits = _unshared(g, theirs, exclude)
        tip = _replay_all(g, commits, head, scrub)
        if tip != head:
            move(g, head, tip, why="erasure catch-up")
        done.lease = theirs
        _set_pending(g, theirs)
        done.rewrote = True
        done.notes.append(
            f"your erasure was not on the shared repository yet: {len(commits)} change(s) shared meanwhile were "
            "brought onto the rewritten history"
        )
        done.notes += sorted(set(scrub.notes))
    elif outgoing and pending_lease(g) is not None:
        done.lease = theirs
    return done


RESURRECTED = (
    "the shared repository brings back history an erasure removed (someone merged the old history in, e.g. with "
    "a plain git pull and git push); nothing was taken or sent. Whoever erased: git fetch, git merge "
    "origin/main, then allytui erase people/ID --push again; everyone else then syncs"
)


def _carried(g: git.Repo, tip: str, other: str, entries: list[Erasure]) -> list[Erasure]:
    """The erasures whose person's file commits in tip but not in other touch: old history brought back."""
    if not entries:
        return []
    ids = {
        target[1]
        for rel in paths_in_history(g, [tip, "--not", other], Kind.PEOPLE.value)
        if (target := parse_record_path(rel)) is not None and target[0] is Kind.PEOPLE
    }
    return [entry for entry in entries if any(entry.matches(found) for found in ids)]


def _is_commit(g: git.Repo, sha: str) -> bool:
    return _rev(g, sha) is not None


def _refuse_unsent(unsent: dict[str, bytes | None]) -> None:
    if unsent:
        raise SyncError(
            "the shared history was rewritten by an erasure; fix or undo the edits left out "
            f"({', '.join(sorted(unsent))}) and sync again: nothing was changed"
        )


def _clean_clone(g: git.Repo, ids: set[str], terms: Terms, keep: set[str]) -> None:
    """Other refs (branches, tags, the last-sync mark) lose the erased people too; then reflogs and old objects go."""
    head = gitops.head_sha(g)
    keep = keep | {"refs/allytui/last-sync"}
    if head is not None:
        g.git.update_ref("refs/allytui/last-sync", head)
    if _other_refs(g, keep):
        rewrite_history(g, [record_path(Kind.PEOPLE, i) for i in sorted(ids)], terms)
    purge(g)


def after_push(repo: DataRepo, remote: str, caught: CatchUp) -> list[str]:
    """Once a catch-up's result is shared: no pending lease, nothing old left here or in a shared folder."""
    g = repo.git_repo
    notes: list[str] = []
    if caught.lease is not None:
        _set_pending(g, None)
    purge(g)
    url = str(g.git.remote("get-url", "--push", remote)).strip()
    if caught.lease is not None and purge_remote(url):
        notes.append("the shared repository's old objects were pruned")
    return notes
