"""A data repository: open or create one, read records, and save or delete them as one commit each."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import git

from allytui.model.changes import describe_change
from allytui.model.membership import HoldsKey, membership_updates
from allytui.model.records import Kind, Person, Record, RepoSettings, SealedSettings, Team
from allytui.model.validation import Problem, build_record
from allytui.store import git as gitops
from allytui.store.atomic import fsync_dir, keep_aside, put_back, remove_durably, write_atomic
from allytui.store.codec import ParseError, dump, dump_record, parse, record_data
from allytui.store.comments import carry_comments
from allytui.store.errors import (
    AllytuiError,
    CommentsWouldBeLost,
    DiskFull,
    InvalidRecord,
    NotADataRepo,
    RecordExists,
    RecordNotFound,
    UncommittedEdits,
    WriteFailed,
)
from allytui.store.layout import SETTINGS_FILE, parse_record_path, path_of, record_path
from allytui.store.loader import (
    Loaded,
    available_cores,
    link_problem,
    load_record,
    load_repo,
    load_settings,
    read_file,
)
from allytui.store.location import half_made, half_made_message, settings_lost, settings_lost_message
from allytui.store.sealing import plain_to_seal, scan_recipients, seal_record

DATA_GITIGNORE = "# half-written files from an interrupted save\n.*.tmp-*\n"
GITATTRIBUTES_FILE = ".gitattributes"
DATA_GITATTRIBUTES = (
    "# A plain `git pull` must never write conflict markers into a record: git reports a conflict on the\n"
    "# whole file instead, and `allytui sync` merges it field by field.\n"
    "*.toml merge=binary\n"
)


class DataRepo:
    """One data repo on disk. Every write validates, writes atomically and commits just that file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git_repo = gitops.open_git(root)
        self.run_hooks = gitops.runs_hooks(self.git_repo)

    @classmethod
    def open(cls, path: Path) -> DataRepo:
        path = path.expanduser().resolve()
        if not (path / SETTINGS_FILE).is_file():
            if half_made(path):
                raise NotADataRepo(half_made_message(path))
            if settings_lost(path):
                raise NotADataRepo(settings_lost_message(path))
            raise NotADataRepo(
                f"{path} is not an allytui data repo (no {SETTINGS_FILE}); create one with: allytui init {path}"
            )
        try:
            return cls(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise NotADataRepo(f"{path} has {SETTINGS_FILE} but is not a git repository") from None

    @classmethod
    def init(cls, path: Path, name: str = "") -> DataRepo:
        """Create a data repo: git init, allytui.toml, .gitignore, .gitattributes and a first commit.

        Nothing is created until git has an identity to commit with; a failure part way takes away
        what this call made; a half-made repo (a .git and nothing else) is finished.
        """
        path = path.expanduser().resolve()
        if (path / SETTINGS_FILE).exists():
            raise RecordExists(f"{path} is already an allytui data repo")
        if path.exists() and not path.is_dir():
            raise NotADataRepo(f"{path} is a file; a data repo is a folder")
        if (path / ".git").exists():
            gitops.identity(cls._open_git(path))
        else:
            gitops.identity_for_new_repo()
        made = _not_yet_there(path, [".git", SETTINGS_FILE])
        kept = {name: _file_bytes(path / name) for name in (".gitignore", GITATTRIBUTES_FILE)}
        try:
            path.mkdir(parents=True, exist_ok=True)
            if not (path / ".git").exists():
                git.Repo.init(path, initial_branch="main")
            repo = cls(path)
            gitops.identity(repo.git_repo)  # the new repo's own config (includeIf) could still say otherwise
            settings = RepoSettings(name=name)
            write_atomic(path / SETTINGS_FILE, dump(settings.model_dump(exclude_defaults=False)).encode())
            write_atomic(path / ".gitignore", _with_lines(kept[".gitignore"], DATA_GITIGNORE))
            write_atomic(path / GITATTRIBUTES_FILE, _with_lines(kept[GITATTRIBUTES_FILE], DATA_GITATTRIBUTES))
            with gitops.repo_lock(repo.git_repo):
                files = [SETTINGS_FILE, ".gitignore", GITATTRIBUTES_FILE]
                gitops.commit_paths(repo.git_repo, files, "allytui: new data repo", run_hooks=repo.run_hooks)
        except BaseException as error:
            _take_away(made)
            _restore(path, kept)
            if isinstance(error, Exception):
                raise _write_error(error, path, [], []) from None
            raise
        return repo

    @staticmethod
    def _open_git(path: Path) -> git.Repo:
        try:
            return gitops.open_git(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise NotADataRepo(f"{path} has a .git that is not a git repository") from None

    # reading

    def load(
        self, progress: Callable[[int, int], None] | None = None, *, between: bool = True, cache_later: bool = False
    ) -> Loaded:
        """Every record (unchanged files from the record cache, many changed ones parsed on every core);
        progress(done, total) as files are loaded. between=False leaves the problems between records for
        loader.problems_between (the app finds them once the records are on screen); cache_later leaves writing
        the record cache to the caller (Loaded.write_cache), once they are."""
        return load_repo(
            self.root, progress=progress, workers=available_cores(), between=between, cache_later=cache_later
        )

    def load_kind(self, kind: Kind) -> Loaded:
        """One kind's records, with the problems of their own files only (no checks between records): for a
        command that shows one kind without paying for the rest."""
        return load_repo(self.root, workers=available_cores(), kinds=[kind])

    def read(self, kind: Kind, record_id: str) -> Record:
        """One record, validated; RecordNotFound or InvalidRecord when it cannot be had."""
        try:
            rel = record_path(kind, record_id)
        except ValueError:
            raise RecordNotFound(f"{kind.value}/{record_id}: not a valid id") from None
        if not _present(self.root / rel):
            raise RecordNotFound(f"{kind.value}/{record_id} does not exist")
        record, problems, _ = load_record(self.root, rel, kind, record_id)
        if record is None:
            raise InvalidRecord(problems)
        return record

    def exists(self, kind: Kind, record_id: str) -> bool:
        return (self.root / record_path(kind, record_id)).is_file()

    def missing_references(self, record: Record, along_with: Record | None = None) -> list[Problem]:
        """A problem for each reference to a record that has no file (along_with: one about to have one)."""
        coming = (along_with.KIND, along_with.id) if along_with is not None else None
        return [
            Problem(path_of(record), field, f"refers to {kind.value}/{ref}, which does not exist")
            for field, kind, ref in record.references()
            if (kind, ref) != coming and not self.exists(kind, ref)
        ]

    def _committed(self, kind: Kind, record_id: str) -> tuple[bytes | None, Record | None]:
        """The record's bytes at HEAD, and the record they hold if valid (to say what changed)."""
        raw = gitops.committed_bytes(self.git_repo, record_path(kind, record_id))
        if raw is None:
            return None, None
        try:
            record, _ = build_record(kind, record_id, parse(raw))
        except ParseError:
            record = None
        return raw, record

    # writing

    def _validated(self, record: Record, along_with: Record | None = None) -> Record:
        """Re-validate from plain data, so a record changed after construction is checked too.

        along_with: a record saved in the same commit, which references may name though it has no file yet."""
        data = record_data(record)
        checked, errors = build_record(record.KIND, record.id, data)
        problems = [Problem(path_of(record), f, m) for f, m in errors]
        link = link_problem(self.root, path_of(record))
        problems += [link] if link is not None else []
        if checked is not None:
            problems += self.missing_references(checked, along_with)
        if problems:
            raise InvalidRecord(problems)
        assert checked is not None
        return checked

    def _new_text(self, record: Record, *, drop_comments: bool) -> tuple[str, bytes | None]:
        """The file's new text with its comments carried over, and its old bytes (None if new)."""
        rel = path_of(record)
        text = dump_record(record)
        try:
            old = read_file(self.root / rel)  # never waits on a FIFO or reads a huge file
        except FileNotFoundError:
            return text, None
        except ParseError as error:
            raise InvalidRecord([Problem(rel, "", error.message)]) from None
        except OSError as error:
            raise InvalidRecord([Problem(rel, "", f"cannot read: {error.strerror or type(error).__name__}")]) from None
        try:
            text, dropped = carry_comments(old.decode("utf-8"), text)
        except UnicodeDecodeError:
            dropped = []
        if dropped and not drop_comments:
            raise CommentsWouldBeLost(rel, dropped)
        return text, old

    def sealing(self) -> SealedSettings:
        """The fields the team seals (allytui.toml `[sealed]`; the defaults when the file cannot be read)."""
        return load_settings(self.root, []).sealed

    def recipients(self) -> dict[str, str]:
        """person id -> public key of every member who holds one, as the files now say."""
        return scan_recipients(self.root)

    def _sealed(
        self, record: Record, recipients: Sequence[str] | None, settings: SealedSettings | None = None
    ) -> Record:
        """record with the plain values of its sealed fields sealed, once the repo seals (a member holds a key).

        A value already sealed is kept as it is, byte for byte.
        """
        settings = settings or self.sealing()
        if not plain_to_seal(record, settings):
            return record
        keys = list(self.recipients().values()) if recipients is None else list(recipients)
        return seal_record(record, settings, keys)[0] if keys else record

    def sealed_copy(self, record: Record) -> Record:
        """record as it may be written: the plain values of its sealed fields sealed, once the repo seals."""
        return self._sealed(record, None)

    def save(
        self,
        record: Record,
        *,
        create: bool = False,
        drop_comments: bool = False,
        recipients: Sequence[str] | None = None,
    ) -> gitops.Commit | None:
        """Validate, write and commit one record. None when the file already says exactly this.

        Plain values of sealed fields are sealed (to recipients, or the members' keys on disk) before writing.
        """
        record = self._sealed(self._validated(record), recipients)
        rel = path_of(record)
        if create and self.exists(record.KIND, record.id):
            raise RecordExists(f"{record.KIND.value}/{record.id} already exists")
        with gitops.repo_lock(self.git_repo):
            gitops.identity(self.git_repo)
            committed, before = self._committed(record.KIND, record.id)
            text, old = self._new_text(record, drop_comments=drop_comments)
            unchanged = old == text.encode() == committed
            new, olds = {rel: text.encode()}, {rel: old}
            changes = [] if unchanged else [describe_change(before, record)]
            for companion in self._membership_followers(before, record):
                companion = self._sealed(companion, recipients)
                new[path_of(companion)], olds[path_of(companion)] = self._companion_text(companion)
                changes.append(describe_change(self._committed(companion.KIND, companion.id)[1], companion))
            if not changes:
                return None
            if len(new) > 1:
                self._refuse_uncommitted({p: b for p, b in new.items() if p != rel})
            return self._write_and_commit(new, olds, "; ".join(changes))

    def _refuse_uncommitted(self, paths: Mapping[str, object]) -> None:
        """UncommittedEdits when any of paths holds changes not committed: a change that writes several
        records must not commit someone's hand edit to one of them under its own message."""
        dirty = sorted(set(paths) & set(gitops.changed_paths(self.git_repo)))
        if dirty:
            raise UncommittedEdits(dirty)

    def _membership_followers(self, before: Record | None, record: Record) -> list[Record]:
        """The team or people a save of record changes with it, so member_of and members agree."""
        if isinstance(record, Person):
            wanted = {before.member_of if isinstance(before, Person) else None, record.member_of} - {None}
            teams: dict[str, Record] = {}
            for team_id in filter(None, wanted):
                with contextlib.suppress(RecordNotFound, InvalidRecord):  # a broken team file is check's to report
                    teams[team_id] = self.read(Kind.TEAMS, team_id)
            records: dict[Kind, dict[str, Record]] = {Kind.TEAMS: teams}
        elif isinstance(record, Team):
            records = {Kind.PEOPLE: self.load().records[Kind.PEOPLE]}
        else:
            return []
        try:
            return [self._validated(r, along_with=record) for r in membership_updates(before, record, records)]
        except HoldsKey as error:
            raise InvalidRecord([Problem(path_of(record), "members", str(error))]) from None

    def _companion_text(self, record: Record) -> tuple[bytes, bytes | None]:
        """A record saved alongside another: its new bytes (comments carried over) and old ones."""
        text, old = self._new_text(record, drop_comments=False)
        return text.encode(), old

    def save_many(
        self,
        records: Iterable[Record],
        message: str,
        *,
        recipients: Sequence[str] | None = None,
        deleted: Iterable[str] = (),
    ) -> gitops.Commit | None:
        """Validate and write several records as one commit (an import). All or nothing.

        Plain values of sealed fields are sealed (to recipients, or the members' keys on disk) before writing.
        deleted: record paths whose files go in the same commit (an erasure).
        """
        checked = [self._validated(record) for record in records]
        settings = self.sealing()
        if recipients is None and any(plain_to_seal(record, settings) for record in checked):
            recipients = list(self.recipients().values())
        checked = [self._sealed(record, recipients, settings) for record in checked]
        with gitops.repo_lock(self.git_repo):
            gitops.identity(self.git_repo)
            new: dict[str, bytes | None] = {}
            old: dict[str, bytes | None] = {}
            for record in checked:
                text, previous = self._new_text(record, drop_comments=False)
                new[path_of(record)] = text.encode()
                old[path_of(record)] = previous
            for rel in deleted:
                _refuse_links(self.root, rel)
                if _present(self.root / rel):
                    new[rel], old[rel] = None, read_file(self.root / rel)
            if not new:
                return None
            self._refuse_uncommitted(new)
            return self._write_and_commit(new, old, message)

    def delete(self, kind: Kind, record_id: str) -> gitops.Commit:
        """Remove one record's file and commit that."""
        rel = record_path(kind, record_id)
        path = self.root / rel
        _refuse_links(self.root, rel)
        if path.exists() and not path.is_file():
            raise InvalidRecord([Problem(rel, "", "not a regular file, so not a record to delete")])
        if not path.is_file():
            raise RecordNotFound(f"{kind.value}/{record_id} does not exist")
        with gitops.repo_lock(self.git_repo):
            gitops.identity(self.git_repo)
            old = read_file(path)
            message = f"{kind.singular} {record_id}: deleted"
            return self._write_and_commit({rel: None}, {rel: old}, message)

    # hand edits: files changed outside the app (an editor, a copy), reviewed and committed from here

    def uncommitted(self) -> list[str]:
        """Repo-relative paths of records (and settings) changed but not committed."""
        return [
            p for p in gitops.changed_paths(self.git_repo) if p == SETTINGS_FILE or parse_record_path(p) is not None
        ]

    def check_file(self, rel: str) -> tuple[Record | None, list[Problem]]:
        """Validate one record file as it is on disk now, references included."""
        target = parse_record_path(rel)
        if target is None:
            return None, [Problem(rel, "", "not a record path")]
        kind, record_id = target
        if not _present(self.root / rel):
            return None, []
        record, problems, _ = load_record(self.root, rel, kind, record_id)
        if record is not None:
            problems = self.missing_references(record)
        return record, problems

    def commit_file(self, rel: str) -> gitops.Commit | None:
        """Validate a hand-edited (or deleted) record file and commit just that file. Nothing if unchanged.

        A plain value typed into a sealed field is sealed in the file first, once a member holds a key."""
        target = parse_record_path(rel)
        if target is None:
            raise InvalidRecord([Problem(rel, "", "not a record path")])
        kind, record_id = target
        record, problems = self.check_file(rel)
        if problems:
            raise InvalidRecord(problems)
        if record is not None and self._sealed(record, None) is not record:
            # a plain value typed into a sealed field never reaches a commit: the file is written sealed first
            return self.save(record)
        with gitops.repo_lock(self.git_repo):
            gitops.identity(self.git_repo)
            committed, before = self._committed(kind, record_id)
            if record is None:
                if committed is None:
                    return None
                message = f"{kind.singular} {record_id}: deleted"
            else:
                record = self._sealed_in_place(rel, record)
                if committed == (self.root / rel).read_bytes():
                    return None
                message = describe_change(before, record)
            try:
                return gitops.commit_paths(
                    self.git_repo, [rel], f"{message} (edited by hand)", run_hooks=self.run_hooks
                )
            except DiskFull:
                raise DiskFull(f"your edit to {rel} is still in the file, not yet committed") from None

    def _sealed_in_place(self, rel: str, record: Record) -> Record:
        """A hand-edited file's plain values of sealed fields sealed where it lies (comments kept), before commit."""
        sealed = self._sealed(record, None)
        if sealed is not record:
            text, _ = self._new_text(sealed, drop_comments=True)
            write_atomic(self.root / rel, text.encode())
        return sealed

    def discard_changes(self, rel: str) -> None:
        """Put a file back as the last commit has it (a file new since then is removed)."""
        target = parse_record_path(rel)
        if target is None:
            raise InvalidRecord([Problem(rel, "", "not a record path")])
        _refuse_links(self.root, rel, file_too=False)  # the file itself, a link, is replaced, never followed
        committed, _ = self._committed(*target)
        path = self.root / rel
        with gitops.repo_lock(self.git_repo):
            if committed is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, committed)
            gitops.reset_index_path(self.git_repo, rel)

    def _write_and_commit(
        self, new: Mapping[str, bytes | None], old: Mapping[str, bytes | None], message: str
    ) -> gitops.Commit:
        """Write every file, then commit; on any failure put every file back as it was.

        Each file's old version is kept under a second name until the commit is made, so putting it
        back is a rename: a disk too full for git's objects cannot stop it.
        """
        for rel in new:  # every write ends here: none goes through a linked folder, out of the repo
            _refuse_links(self.root, rel, file_too=False)
        kept: dict[str, Path | None] = {}
        folders: set[Path] = set()  # written to, not synced yet: each is synced once, before the commit
        try:
            for rel, data in new.items():
                target = self.root / rel
                kept[rel] = keep_aside(target)
                if data is None:
                    remove_durably(target)
                else:
                    write_atomic(target, data, sync_folder=len(new) == 1)
                    folders.add(target.parent)
            for folder in folders if len(new) > 1 else ():
                fsync_dir(folder)
            commit = gitops.commit_paths(self.git_repo, list(new), message, run_hooks=self.run_hooks)
        except BaseException as error:
            failed = self._put_back(kept, old)
            if isinstance(error, Exception):
                raise _write_error(error, self.root, list(new), failed) from None
            raise
        for backup in kept.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
        return commit

    def _put_back(self, kept: Mapping[str, Path | None], old: Mapping[str, bytes | None]) -> list[str]:
        """Every file written or removed so far as it was; the paths that could not be put back."""
        failed = []
        for rel, backup in kept.items():
            target = self.root / rel
            try:
                if backup is not None:
                    put_back(target, backup)
                elif old.get(rel) is None:
                    target.unlink(missing_ok=True)
                else:  # the file vanished after it was read and before it was written: write it again
                    write_atomic(target, old[rel] or b"")
            except OSError:
                failed.append(rel)
        return failed


def _not_yet_there(path: Path, names: list[str]) -> list[Path]:
    """The folders (path and its missing parents) and entries in path that do not exist yet, outermost first."""
    missing = [folder for folder in (*reversed(path.parents), path) if not folder.exists()]
    if missing:
        return missing[:1]  # removing the outermost new folder removes everything below it
    return [path / name for name in names if not (path / name).exists()]


def _take_away(made: list[Path]) -> None:
    """Remove what a failed init made, nothing else."""
    for item in made:
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)


def _file_bytes(path: Path) -> bytes | None:
    """A regular file's bytes, or None when there is none (or something else is there)."""
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _with_lines(existing: bytes | None, ours: str) -> bytes:
    """A file that init writes, keeping what the folder's own file already says and adding ours if missing."""
    if existing is None:
        return ours.encode()
    have = set(existing.decode("utf-8", errors="replace").splitlines())
    if all(line in have for line in ours.splitlines() if line and not line.startswith("#")):
        return existing
    return existing + (b"\n" if existing and not existing.endswith(b"\n") else b"") + ours.encode()


def _restore(folder: Path, kept: Mapping[str, bytes | None]) -> None:
    """Put back the files a failed init changed in a folder that had them, and remove those it added."""
    if not folder.is_dir():
        return
    for name, data in kept.items():
        target = folder / name
        with contextlib.suppress(OSError):
            if data is not None:
                write_atomic(target, data)
            elif target.is_file() and not target.is_symlink():
                target.unlink()


def _write_error(error: Exception, root: Path, paths: list[str], failed: list[str]) -> Exception:
    """The error to show for a write that failed and was put back: one clear line, never a bare OSError."""
    if failed:
        outcome = f"{_listed(failed)} could not be put back and may hold the refused change"
    elif paths:
        outcome = f"{_listed(paths)} {'is' if len(paths) == 1 else 'are'} as before"
    else:
        outcome = "nothing was changed"
    if gitops.disk_full(error) or isinstance(error, DiskFull):
        return DiskFull(outcome)
    if isinstance(error, OSError):
        return WriteFailed(f"cannot write {_where(error, root)}: {error.strerror or type(error).__name__}; {outcome}")
    if failed:
        return WriteFailed(f"{error if isinstance(error, AllytuiError) else type(error).__name__}; {outcome}")
    return error


def _where(error: OSError, root: Path) -> str:
    """The file an OSError names, as a path in the repo (a temp file as the file it was to become)."""
    if not error.filename:
        return "a file"
    path = Path(str(error.filename))
    shown = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
    return str(shown.with_name(re.sub(r"^\.(.+)\.tmp-[0-9a-f]+$", r"\1", shown.name)))


def _listed(paths: list[str]) -> str:
    return ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _present(path: Path) -> bool:
    """Something is there to load or to report: a file, or a link (even one that leads nowhere)."""
    return path.exists() or path.is_symlink()


def _refuse_links(root: Path, rel: str, *, file_too: bool = True) -> None:
    """InvalidRecord naming the link when a folder on the way to rel (or rel itself) is a symbolic link."""
    link = link_problem(root, rel, file_too=file_too)
    if link is not None:
        raise InvalidRecord([link])
