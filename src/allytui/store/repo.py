"""A data repository: open or create one, read records, and save or delete them as one commit each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import git

from allytui.model.changes import describe_change
from allytui.model.records import Kind, Record, RepoSettings
from allytui.model.validation import Problem, build_record
from allytui.store import git as gitops
from allytui.store.atomic import remove_durably, write_atomic
from allytui.store.codec import ParseError, dump, dump_record, parse, record_data
from allytui.store.comments import carry_comments
from allytui.store.errors import (
    CommentsWouldBeLost,
    InvalidRecord,
    NotADataRepo,
    RecordExists,
    RecordNotFound,
)
from allytui.store.layout import SETTINGS_FILE, parse_record_path, path_of, record_path
from allytui.store.loader import Loaded, link_problem, load_record, load_repo
from allytui.store.location import settings_lost, settings_lost_message

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
        self.git = gitops.open_git(root)
        self.run_hooks = gitops.runs_hooks(self.git)

    @classmethod
    def open(cls, path: Path) -> DataRepo:
        path = path.expanduser().resolve()
        if not (path / SETTINGS_FILE).is_file():
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
        """Create a data repo: git init, allytui.toml, .gitignore, and a first commit."""
        path = path.expanduser().resolve()
        if (path / SETTINGS_FILE).exists():
            raise RecordExists(f"{path} is already an allytui data repo")
        path.mkdir(parents=True, exist_ok=True)
        if not (path / ".git").exists():
            git.Repo.init(path, initial_branch="main")
        repo = cls(path)
        gitops.identity(repo.git)  # refuse before writing anything
        settings = RepoSettings(name=name)
        write_atomic(path / SETTINGS_FILE, dump(settings.model_dump(exclude_defaults=False)).encode())
        write_atomic(path / ".gitignore", DATA_GITIGNORE.encode())
        write_atomic(path / GITATTRIBUTES_FILE, DATA_GITATTRIBUTES.encode())
        with gitops.repo_lock(repo.git):
            files = [SETTINGS_FILE, ".gitignore", GITATTRIBUTES_FILE]
            gitops.commit_paths(repo.git, files, "allytui: new data repo", run_hooks=repo.run_hooks)
        return repo

    # reading

    def load(self) -> Loaded:
        return load_repo(self.root)

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

    def missing_references(self, record: Record) -> list[Problem]:
        """A problem for each reference to a record that has no file."""
        return [
            Problem(path_of(record), field, f"refers to {kind.value}/{ref}, which does not exist")
            for field, kind, ref in record.references()
            if not self.exists(kind, ref)
        ]

    def _committed(self, kind: Kind, record_id: str) -> tuple[bytes | None, Record | None]:
        """The record's bytes at HEAD, and the record they hold if valid (to say what changed)."""
        raw = gitops.committed_bytes(self.git, record_path(kind, record_id))
        if raw is None:
            return None, None
        try:
            record, _ = build_record(kind, record_id, parse(raw))
        except ParseError:
            record = None
        return raw, record

    # writing

    def _validated(self, record: Record) -> Record:
        """Re-validate from plain data, so a record changed after construction is checked too."""
        data = record_data(record)
        checked, errors = build_record(record.KIND, record.id, data)
        problems = [Problem(path_of(record), f, m) for f, m in errors]
        link = link_problem(self.root, path_of(record))
        problems += [link] if link is not None else []
        if checked is not None:
            problems += self.missing_references(checked)
        if problems:
            raise InvalidRecord(problems)
        assert checked is not None
        return checked

    def _new_text(self, record: Record, *, drop_comments: bool) -> tuple[str, bytes | None]:
        """The file's new text with its comments carried over, and its old bytes (None if new)."""
        rel = path_of(record)
        text = dump_record(record)
        try:
            old = (self.root / rel).read_bytes()
        except FileNotFoundError:
            return text, None
        try:
            text, dropped = carry_comments(old.decode("utf-8"), text)
        except UnicodeDecodeError:
            dropped = []
        if dropped and not drop_comments:
            raise CommentsWouldBeLost(rel, dropped)
        return text, old

    def save(self, record: Record, *, create: bool = False, drop_comments: bool = False) -> gitops.Commit | None:
        """Validate, write and commit one record. None when the file already says exactly this."""
        record = self._validated(record)
        rel = path_of(record)
        if create and self.exists(record.KIND, record.id):
            raise RecordExists(f"{record.KIND.value}/{record.id} already exists")
        with gitops.repo_lock(self.git):
            gitops.identity(self.git)
            committed, before = self._committed(record.KIND, record.id)
            text, old = self._new_text(record, drop_comments=drop_comments)
            if old == text.encode() == committed:
                return None
            message = describe_change(before, record)
            return self._write_and_commit({rel: text.encode()}, {rel: old}, message)

    def save_many(self, records: Iterable[Record], message: str) -> gitops.Commit | None:
        """Validate and write several records as one commit (an import). All or nothing."""
        checked = [self._validated(record) for record in records]
        with gitops.repo_lock(self.git):
            gitops.identity(self.git)
            new: dict[str, bytes] = {}
            old: dict[str, bytes | None] = {}
            for record in checked:
                text, previous = self._new_text(record, drop_comments=False)
                new[path_of(record)] = text.encode()
                old[path_of(record)] = previous
            if not new:
                return None
            return self._write_and_commit(new, old, message)

    def delete(self, kind: Kind, record_id: str) -> gitops.Commit:
        """Remove one record's file and commit that."""
        rel = record_path(kind, record_id)
        path = self.root / rel
        _refuse_links(self.root, rel)
        if not path.is_file():
            raise RecordNotFound(f"{kind.value}/{record_id} does not exist")
        with gitops.repo_lock(self.git):
            gitops.identity(self.git)
            old = path.read_bytes()
            message = f"{kind.singular} {record_id}: deleted"
            return self._write_and_commit({rel: None}, {rel: old}, message)

    # hand edits: files changed outside the app (an editor, a copy), reviewed and committed from here

    def uncommitted(self) -> list[str]:
        """Repo-relative paths of records (and settings) changed but not committed."""
        return [p for p in gitops.changed_paths(self.git) if p == SETTINGS_FILE or parse_record_path(p) is not None]

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
        """Validate a hand-edited (or deleted) record file and commit just that file. Nothing if unchanged."""
        target = parse_record_path(rel)
        if target is None:
            raise InvalidRecord([Problem(rel, "", "not a record path")])
        kind, record_id = target
        record, problems = self.check_file(rel)
        if problems:
            raise InvalidRecord(problems)
        with gitops.repo_lock(self.git):
            gitops.identity(self.git)
            committed, before = self._committed(kind, record_id)
            if record is None:
                if committed is None:
                    return None
                message = f"{kind.singular} {record_id}: deleted"
            else:
                if committed == (self.root / rel).read_bytes():
                    return None
                message = describe_change(before, record)
            return gitops.commit_paths(self.git, [rel], f"{message} (edited by hand)", run_hooks=self.run_hooks)

    def discard_changes(self, rel: str) -> None:
        """Put a file back as the last commit has it (a file new since then is removed)."""
        target = parse_record_path(rel)
        if target is None:
            raise InvalidRecord([Problem(rel, "", "not a record path")])
        _refuse_links(self.root, rel, file_too=False)  # the file itself, a link, is replaced, never followed
        committed, _ = self._committed(*target)
        path = self.root / rel
        with gitops.repo_lock(self.git):
            if committed is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, committed)
            gitops.reset_index_path(self.git, rel)

    def _write_and_commit(
        self, new: dict[str, bytes | None], old: dict[str, bytes | None], message: str
    ) -> gitops.Commit:
        """Write every file, then commit; on any failure put every file back as it was."""
        try:
            for rel, data in new.items():
                if data is None:
                    remove_durably(self.root / rel)
                else:
                    write_atomic(self.root / rel, data)
            return gitops.commit_paths(self.git, list(new), message, run_hooks=self.run_hooks)
        except BaseException:
            for rel, data in old.items():
                target = self.root / rel
                if data is None:
                    target.unlink(missing_ok=True)
                else:
                    write_atomic(target, data)
            raise


def _present(path: Path) -> bool:
    """Something is there to load or to report: a file, or a link (even one that leads nowhere)."""
    return path.exists() or path.is_symlink()


def _refuse_links(root: Path, rel: str, *, file_too: bool = True) -> None:
    """InvalidRecord naming the link when a folder on the way to rel (or rel itself) is a symbolic link."""
    link = link_problem(root, rel, file_too=file_too)
    if link is not None:
        raise InvalidRecord([link])
