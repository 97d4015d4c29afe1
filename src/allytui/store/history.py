"""Every commit that touched one record, each as a field-level diff (model.field_diff); git's own patch; restoring.

History is read from git itself, so commits made with plain git commands show up like the app's own.
One record's whole history costs two git processes, whatever its length:

1. `git log --raw -z -- PATH`: each commit's id, parents, author, date and subject, and the file's
   blob ids before and after that commit;
2. one `git cat-file --batch` for every distinct blob, which is then parsed and validated once.

Walking commits one by one (GitPython `iter_commits` + a diff or a blob read per commit) is 10-30x
slower (shared/MEASURED.md). `--follow` is never used: record paths are stable, and it turns off
git's commit-graph Bloom filters.

Merge commits: `--diff-merges=first-parent` everywhere (here and in `raw_diff`/`raw_log`), so a merge
shows the change it brought into the branch it was merged into. git's default history
simplification still applies: a merge whose version of the file equals one parent's is left out and
only that parent's side is followed, so a member's own commits show up once, under their own name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import git

from allytui.model.changes import describe_change
from allytui.model.field_diff import FieldDiff, Version, compare, plain_values
from allytui.model.privacy import HIDDEN, mask_patch, patch_blob_ids, sensitive_fields
from allytui.model.records import Kind, Record
from allytui.model.sealed import ARMOR_BEGIN, ARMOR_END
from allytui.model.validation import Problem, build_record
from allytui.store import git as gitops
from allytui.store.atomic import remove_durably, write_atomic
from allytui.store.codec import ParseError, dump_record, parse
from allytui.store.errors import AllytuiError, GitFailed, InvalidRecord, RecordNotFound
from allytui.store.keyring import KeyRing
from allytui.store.layout import MAX_FILE_BYTES, parse_record_path, record_path
from allytui.store.loader import link_problem
from allytui.store.repo import DataRepo
from allytui.store.sealing import SealingError, sealed_values

# Both the parsed history and git's own patches show merges against their first parent.
_MERGES = "--diff-merges=first-parent"
# Options that keep git's output in the shape parsed here, whatever the user's config says.
_SHOW_OPTIONS = ["--no-renames", "--no-show-signature", "--no-color", "--encoding=UTF-8"]
_LOG_OPTIONS = [*_SHOW_OPTIONS, "--no-follow", "--root"]
_HEADER = "\x1eallytui-commit "
_HEADER_FORMAT = "%x1eallytui-commit %H %P%n%aI%n%an%n%s"  # name and subject hold no newline
_FILE_MODES = {"100644", "100755"}


@dataclass(frozen=True)
class Change:
    """One commit that touched the record: who, when, why, and the versions before and after it."""

    sha: str
    parents: tuple[str, ...]
    author: str
    date: dt.datetime
    subject: str
    before: Version | None  # None: the commit created the file
    after: Version | None  # None: the commit deleted it
    diffs: tuple[FieldDiff, ...]

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def status(self) -> Literal["created", "deleted", "changed"]:
        if self.before is None:
            return "created"
        return "deleted" if self.after is None else "changed"

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    def restorable(self) -> tuple[str, Version] | None:
        """The commit whose version of the file to restore for this entry, and that version.

        The version this commit made; for a deletion, the version it deleted (at its first parent).
        """
        if self.after is not None:
            return self.sha, self.after
        if self.before is not None and self.parents:
            return self.parents[0], self.before
        return None


@dataclass
class _Entry:
    sha: str
    parents: tuple[str, ...]
    date: str
    author: str
    subject: str
    old_blob: str | None = None
    new_blob: str | None = None
    touched: bool = False


# reading the history


def record_history(repo: DataRepo, kind: Kind, record_id: str, *, keyring: KeyRing | None = None) -> list[Change]:
    """Every commit on the current branch that touched the record's file, newest first.

    keyring: the member's key, to diff sealed values opened (marked sensitive); else they show as changed."""
    rel = _path(kind, record_id)
    if gitops.head_sha(repo.git_repo) is None:
        return []
    out = _git_bytes(
        repo, ["log", "--format=" + _HEADER_FORMAT, "--raw", "--no-abbrev", "-z", _MERGES, *_LOG_OPTIONS], rel
    )
    entries = [entry for entry in _parse_log(out, rel) if entry.touched]
    blobs = {b for entry in entries for b in (entry.old_blob, entry.new_blob) if b}
    versions = _versions(repo, kind, record_id, _read_blobs(repo, blobs), keyring)
    changes = []
    for entry in entries:
        before = versions.get(entry.old_blob) if entry.old_blob else None
        after = versions.get(entry.new_blob) if entry.new_blob else None
        changes.append(
            Change(
                sha=entry.sha,
                parents=entry.parents,
                author=entry.author,
                date=_date(entry.date),
                subject=entry.subject,
                before=before,
                after=after,
                diffs=tuple(compare(kind, before, after)),
            )
        )
    return changes


def _path(kind: Kind, record_id: str) -> str:
    try:
        return record_path(kind, record_id)
    except ValueError:
        raise RecordNotFound(f"{kind.value}/{record_id}: not a valid id") from None


def _git_bytes(repo: DataRepo, args: list[str], path: str | None = None, **kwargs: Any) -> bytes:
    """Run git in the data repo and return its standard output as bytes (untouched)."""
    command = ["git", *args]
    if path is not None:
        command += ["--", path]
    try:
        out = repo.git_repo.git.execute(command, stdout_as_string=False, strip_newline_in_stdout=False, **kwargs)
    except git.GitCommandError as error:
        stderr = str(error.stderr or "").strip().strip("'").removeprefix("stderr:").strip()
        raise GitFailed(f"git {args[0]} failed: {stderr.splitlines()[0] if stderr else error.status}") from None
    assert isinstance(out, bytes)
    return out


def _parse_log(out: bytes, rel: str) -> Iterator[_Entry]:
    """Commits from `git log --format=HEADER --raw -z`: a header, then `:meta\\0path\\0` per file."""
    tokens = out.decode("utf-8", errors="replace").split("\0")
    entry: _Entry | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith(_HEADER):
            if entry is not None:
                yield entry
            entry = _header(token[len(_HEADER) :])
        elif token.startswith(":") and entry is not None and index < len(tokens):
            path = tokens[index]
            index += 1
            meta = token[1:].split(" ")
            if path != rel or len(meta) < 5:
                continue
            old_mode, new_mode, old_blob, new_blob = meta[:4]
            entry.touched = True
            # a mode of 000000 means no file on that side; anything but a plain file is shown as a problem
            entry.old_blob = _blob(old_mode, old_blob)
            entry.new_blob = _blob(new_mode, new_blob)
    if entry is not None:
        yield entry


def _blob(mode: str, sha: str) -> str | None:
    if mode == "000000" or sha == gitops.ZERO_SHA:
        return None
    return sha if mode in _FILE_MODES else f"{mode}:{sha}"


def _header(text: str) -> _Entry:
    ids, date, author, subject = ([*text.split("\n", 3), "", "", ""])[:4]
    sha, *parents = ids.split()
    return _Entry(sha=sha, parents=tuple(parents), date=date, author=author, subject=subject)


def _date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.UTC)


def _read_blobs(repo: DataRepo, blobs: set[str]) -> dict[str, bytes | None]:
    """The bytes of each blob, from one `git cat-file --batch` (None for a missing or non-blob object)."""
    return {**dict.fromkeys(blobs), **gitops.read_blobs(repo.git_repo, [b for b in blobs if ":" not in b])}


def _versions(
    repo: DataRepo, kind: Kind, record_id: str, blobs: dict[str, bytes | None], keyring: KeyRing | None = None
) -> dict[str, Version]:
    """Each blob parsed and validated once; a version that fails becomes a Version with a problem."""
    versions = {}
    parser = StatementParser()
    for sha, raw in blobs.items():
        if ":" in sha:
            mode, blob = sha.split(":", 1)
            versions[sha] = Version(blob, b"", None, f"not a plain file in git (mode {mode})")
        elif raw is None:
            versions[sha] = Version(sha, b"", None, "the file's contents are missing from the git repository")
        else:
            versions[sha] = read_version(kind, record_id, sha, raw, parser, keyring=keyring)
    return versions


def read_version(
    kind: Kind,
    record_id: str,
    blob: str,
    raw: bytes,
    parser: Callable[[bytes], dict[str, Any]] = parse,
    *,
    keyring: KeyRing | None = None,
) -> Version:
    """Parse and validate one version of a record file, never raising for bad contents.

    With keyring, the sealed values it opens are plain in the version's values (in memory only, to diff);
    its record stays sealed, as the file has it."""
    try:
        data = parser(raw)
    except ParseError as error:
        where = f" (line {error.line})" if error.line else ""
        return Version(blob, raw, None, f"this version cannot be read: {error.message}{where}")
    record, errors = build_record(kind, record_id, data)
    if record is None:
        listed = "; ".join(f"{f or '-'}: {m}" for f, m in errors[:5]) + ("; …" if len(errors) > 5 else "")
        return Version(blob, raw, None, f"this version is not a valid {kind.singular}: {listed}", plain_values(data))
    # pydantic's JSON mode (in Rust) gives enums by value and dates as ISO text, like plain_values but faster
    values = record.model_dump(mode="json", exclude={"id"})
    opened = _open_values(record, values, keyring) if keyring is not None and keyring.holds_key else frozenset()
    return Version(blob, raw, record, None, values, opened)


def _open_values(record: Record, values: dict[str, Any], keyring: KeyRing) -> frozenset[str]:
    """Put the plain value of each sealed value keyring opens into values; the names of those fields."""
    opened = set()
    for name in sealed_values(record):
        try:
            values[name] = plain_values(keyring.open_value(getattr(record, name)))
        except SealingError:
            continue
        opened.add(name)
    return frozenset(opened)


class StatementParser:
    """`codec.parse` for many versions of one file, parsing each top-level `key = value` statement once.

    Consecutive versions of a record mostly differ in a line or two, and tomllib (pure Python) is
    most of the cost of reading a long history, so the file is cut into statements at lines that
    start with a bare key, with everything from the first table header on as one last piece; each
    piece goes through `parse` (with its checks for conflict markers, UTF-8 and depth, which work
    line by line) and is remembered by its bytes. The result is parse(raw) exactly: a cut inside a
    multi-line string or array leaves the piece before it unterminated, which fails to parse, and
    any failure, or a key in two pieces, falls back to parsing the whole file (for the real error).
    """

    def __init__(self) -> None:
        self.parsed: dict[bytes, dict[str, Any]] = {}

    def __call__(self, raw: bytes) -> dict[str, Any]:
        if len(raw) > MAX_FILE_BYTES or raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark hides line 1's start
            return parse(raw)
        data: dict[str, Any] = {}
        try:
            for piece in _statements(raw):
                part = self.parsed.get(piece)
                if part is None:
                    part = self.parsed[piece] = parse(piece)
                if not data.keys().isdisjoint(part):
                    return parse(raw)
                data.update(part)
        except ParseError:
            return parse(raw)
        return data


# the start of a line holding a bare key, or a table header (from which on the rest is one piece)
_CUT = re.compile(rb"^(?:(?P<table>[ \t]*\[)|[A-Za-z0-9_-]+[ \t]*=)", re.MULTILINE)


def _statements(raw: bytes) -> list[bytes]:
    """raw cut before each line that starts with a bare key, up to the first table header line."""
    pieces: list[bytes] = []
    start = 0
    for found in _CUT.finditer(raw):
        if found.group("table") is not None:
            break
        position = found.start()
        if position > start and raw[start:position].strip():
            pieces.append(raw[start:position])
            start = position
    pieces.append(raw[start:])
    return pieces


# git's own view


def raw_diff(repo: DataRepo, sha: str, path: str, *, reveal: bool = False, placeholder: str = HIDDEN) -> str:
    """git's patch of one commit for one file (a merge: against its first parent), as text to show.

    Contact details are masked (see model.privacy) unless reveal.
    """
    out = _git_bytes(
        repo,
        ["show", "--format=", "--patch", "--no-ext-diff", "--no-textconv", _MERGES, *_SHOW_OPTIONS, sha],
        path,
    )
    found = parse_record_path(path)
    return _masked(repo, out.decode("utf-8", errors="replace"), found[0] if found else None, reveal, placeholder)


def raw_log(repo: DataRepo, kind: Kind, record_id: str, *, reveal: bool = False, placeholder: str = HIDDEN) -> str:
    """git's whole patch history of one record in one `git log -p` (what `allytui log --raw` prints).

    Contact details are masked (see model.privacy) unless reveal.
    """
    if gitops.head_sha(repo.git_repo) is None:
        return ""
    out = _git_bytes(
        repo, ["log", "--patch", "--no-ext-diff", "--no-textconv", _MERGES, *_LOG_OPTIONS], _path(kind, record_id)
    )
    return _masked(repo, out.decode("utf-8", errors="replace"), kind, reveal, placeholder)


def _masked(repo: DataRepo, patch: str, kind: Kind | None, reveal: bool, placeholder: str) -> str:
    """patch with contact details masked: every version it shows is read (one cat-file) to know which lines.
    Sealed values are always shown as one line saying so, never as armor."""
    sensitive = sensitive_fields(kind.model) if kind is not None else frozenset()
    if reveal or not sensitive:
        return without_armor(patch)
    blobs = gitops.read_blobs(repo.git_repo, patch_blob_ids(patch))
    return without_armor(mask_patch(patch, blobs, sensitive, placeholder))


SEALED_IN_PATCH = "(sealed value)"
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def without_armor(patch: str) -> str:
    """A patch with each sealed value's armor cut to one line saying it is sealed (the key's line kept).

    Within a hunk, lines from a BEGIN to an END line are armor; so are full 64-column base64 lines and
    the base64 lines that follow them (a hunk may start inside a block), and hunk headers' context.
    """
    out: list[str] = []
    inside = armor = False  # inside a BEGIN..END block; the line before was armor
    said: set[str] = set()  # the markers (+, -, space) this block has been shown with
    for line in patch.split("\n"):
        if line.startswith("@@"):
            head, sep, context = line[2:].partition("@@")
            out.append("@@" + head + sep + ("" if _BASE64.fullmatch(context.strip()) else context))
            inside = armor = False
            continue
        marker, content = (line[:1], line[1:]) if line[:1] in ("+", "-", " ") else ("", line)
        begin = content.find(ARMOR_BEGIN)
        is_armor = (
            begin >= 0
            or inside
            or ARMOR_END in content
            or (bool(marker) and bool(_BASE64.fullmatch(content)) and (len(content) == 64 or armor))
        )
        if not is_armor:
            out.append(line)
            armor = False
            continue
        if not armor:
            said = set()
        if begin >= 0:
            out.append(marker + content[:begin] + SEALED_IN_PATCH)
        elif marker not in said:  # a changed block, or a hunk that starts inside one
            out.append(marker + SEALED_IN_PATCH)
        said.add(marker)
        inside = ARMOR_END not in content[max(begin, 0) :]
        armor = True
    return "\n".join(out)


# restoring


def restore(
    repo: DataRepo, kind: Kind, record_id: str, sha: str, *, expected: bytes | None = None
) -> gitops.Commit | None:
    """Make the record what it was at commit sha again, as a new commit with exactly that version's bytes.

    Follows the store's rules for a save: the version must be a valid record whose references exist;
    one writer at a time (the repo lock); the identity checked before writing; an atomic write; a
    commit of just that file; the old file put back if the commit fails. A file with uncommitted
    changes is refused rather than overwritten. None when the record already is that version.
    expected: the committed bytes the user was shown as the record now (b"" for none); when someone
    committed another version since, nothing is restored, rather than undoing their change unseen.
    """
    rel = _path(kind, record_id)
    full = _commit_id(repo, sha)
    raw = _version_bytes(repo, full, rel)
    version = read_version(kind, record_id, sha, raw)
    if version.record is None:
        raise InvalidRecord([Problem(rel, "", version.problem or "not a valid record")])
    missing = repo.missing_references(version.record)
    if missing:
        raise InvalidRecord(missing)
    sealed = repo.sealed_copy(version.record)
    if sealed is not version.record:  # a version from before sealing comes back sealed, never plain
        raw = dump_record(sealed).encode()
    path = repo.root / rel
    link = link_problem(repo.root, rel)
    if link is not None:  # never read or write through a link, which could lead out of the repo
        raise InvalidRecord([link])
    with gitops.repo_lock(repo.git_repo):
        gitops.identity(repo.git_repo)
        committed = gitops.committed_bytes(repo.git_repo, rel)
        on_disk = path.read_bytes() if path.is_file() else None
        if on_disk != committed:
            raise AllytuiError(f"{rel} has uncommitted changes; commit or discard them before restoring a version")
        if expected is not None and (committed or b"") != expected:
            raise AllytuiError(
                f"{rel} was changed by someone else since its history was shown; nothing was restored. "
                "Open the history again to see that change first."
            )
        if committed == raw:
            return None
        current = read_version(kind, record_id, "", committed).record if committed is not None else None
        if committed is not None and current is None:
            message = f"{kind.singular} {record_id}: replaced an unreadable version"
        else:
            message = describe_change(current, version.record)
            if current is not None and message.endswith(": no changes"):
                message = f"{kind.singular} {record_id}: comments and layout"
        message += f" (restored from {full[:7]})"
        try:
            write_atomic(path, raw)
            return gitops.commit_paths(repo.git_repo, [rel], message, run_hooks=repo.run_hooks)
        except BaseException:
            if on_disk is None:
                if path.exists():
                    remove_durably(path)
            else:
                write_atomic(path, on_disk)
            raise


def _commit_id(repo: DataRepo, rev: str) -> str:
    try:
        return str(repo.git_repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")).strip()
    except git.GitCommandError:
        raise RecordNotFound(f"there is no commit {rev[:40]!r} in this repo") from None


def _version_bytes(repo: DataRepo, sha: str, rel: str) -> bytes:
    try:
        out = repo.git_repo.git.execute(
            ["git", "cat-file", "blob", f"{sha}:{rel}"], stdout_as_string=False, strip_newline_in_stdout=False
        )
    except git.GitCommandError:
        raise RecordNotFound(f"{rel} is not in commit {sha[:12]}") from None
    assert isinstance(out, bytes)
    return out
