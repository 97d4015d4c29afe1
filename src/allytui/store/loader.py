"""Loading every record of a data repo: the good ones load, every bad file becomes a Problem."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from allytui.model.erasure import ERASURES_FILE, erasure_log
from allytui.model.ids import is_valid_id
from allytui.model.membership import mismatches
from allytui.model.records import Kind, Person, Record, RepoSettings, Team
from allytui.model.validation import Problem, RecordIndex, broken_references, build_record, error_pairs
from allytui.store.codec import Locator, ParseError, locate, parse
from allytui.store.layout import MAX_FILE_BYTES, SETTINGS_FILE, SUFFIX, parse_record_path, path_of
from allytui.store.record_cache import RecordCache, Taken, blob_id, gc_held

CHUNK = 250  # files read at a time (by one worker process), and between two calls of progress
PARALLEL_MIN = 2000  # fewer files parse sooner in this process than other processes start


def link_message(what: str) -> str:
    return f"is a symbolic link; allytui never follows one (make it a plain {what})"


@dataclass
class Loaded:
    """Everything a data repo holds: records by kind and id, and the problems found on the way."""

    records: dict[Kind, dict[str, Record]] = field(default_factory=lambda: {kind: {} for kind in Kind})
    problems: list[Problem] = field(default_factory=list)
    settings: RepoSettings = field(default_factory=RepoSettings)
    parsed: int = 0  # record files read and parsed by this load (the rest came from the record cache)
    write_cache: Callable[[], None] | None = field(default=None, compare=False, repr=False)
    """With load_repo(cache_later=True): brings the record cache up to date, for the caller to run once the records
    are shown (a first start at 50,000 records spends ~0.75 s writing it)."""

    def get(self, kind: Kind, record_id: str) -> Record | None:
        return self.records[kind].get(record_id)

    def count(self) -> int:
        return sum(len(records) for records in self.records.values())


def read_file(path: Path, *, follow_link: bool = False) -> bytes:
    """Read a regular file without following a symlink (unless follow_link), refusing anything over the size limit.

    O_NONBLOCK: opening a FIFO put where a file should be must not wait for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | (0 if follow_link else os.O_NOFOLLOW))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise ParseError(f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since fstat: read on, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
            return data
    finally:
        os.close(fd)


def link_problem(root: Path, rel: str, *, file_too: bool = True) -> Problem | None:
    """A problem when a folder on the way to rel (or rel itself, with file_too) is a symbolic link or not a
    folder: allytui never reads or writes through a link, which could lead out of the data repo."""
    parts = PurePosixPath(rel).parts
    current = root
    for depth, part in enumerate(parts, start=1):
        current = current / part
        last = depth == len(parts)
        if last and not file_too:
            return None
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return None
        except OSError as error:
            return Problem(rel, "", f"cannot read: {error.strerror or type(error).__name__}")
        shown = "/".join(parts[:depth])
        if stat.S_ISLNK(info.st_mode):
            return Problem(shown, "", link_message("file" if last else "folder"))
        if not last and not stat.S_ISDIR(info.st_mode):
            return Problem(shown, "", "is not a folder")
    return None


def load_record(root: Path, rel: str, kind: Kind, record_id: str) -> tuple[Record | None, list[Problem], str]:
    """One record file: the record (or None) with its problems, and its text. Never through a link."""
    raw, problem = _read_record_file(root, rel)
    if raw is None:
        return None, [problem] if problem else [], ""
    return record_from_bytes(rel, kind, record_id, raw)


def _read_record_file(root: Path, rel: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of one record file, or the problem that kept them from being read. Never through a link."""
    link = link_problem(root, rel)
    if link is not None:
        return None, link
    try:
        return read_file(root / rel), None
    except ParseError as error:
        return None, Problem(rel, "", error.message, error.line)
    except OSError as error:
        return None, Problem(rel, "", f"cannot read: {error.strerror or type(error).__name__}")


def record_from_bytes(rel: str, kind: Kind, record_id: str, raw: bytes) -> tuple[Record | None, list[Problem], str]:
    """The record a file's bytes hold (or None) with its problems, and its text."""
    try:
        data = parse(raw)
    except ParseError as error:
        return None, [Problem(rel, "", error.message, error.line)], ""
    text = raw.decode("utf-8")
    record, errors = build_record(kind, record_id, data)
    line_of = Locator(text)
    return record, [Problem(rel, f, message, line_of(f)) for f, message in errors], text


def _files(root: Path, kind: Kind, problems: list[Problem]) -> list[tuple[str, str]]:
    """(relative path, id) of each candidate record file of kind; odd entries become problems."""
    folder = root / kind.value
    if folder.is_symlink():
        problems.append(Problem(kind.value, "", link_message("folder")))
        return []
    if folder.exists() and not folder.is_dir():
        problems.append(Problem(kind.value, "", "must be a plain folder, not a link or a file"))
        return []
    if not folder.exists():
        return []
    if kind is not Kind.CONVERSATIONS:
        return _record_entries(folder, kind.value, problems)
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        rel = f"{kind.value}/{entry.name}"
        if entry.name.startswith("."):  # hidden, .gitkeep
            continue
        if entry.is_symlink():
            problems.append(Problem(rel, "", link_message("folder")))
        elif entry.is_dir(follow_symlinks=False) and entry.name.isdigit() and len(entry.name) == 4:
            found += _record_entries(Path(entry.path), rel, problems, year=entry.name)
        else:
            problems.append(Problem(rel, "", "conversations go in a folder per year, e.g. conversations/2026/"))
    return found


def _record_entries(
    folder: Path, rel_folder: str, problems: list[Problem], *, year: str | None = None
) -> list[tuple[str, str]]:
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        rel = f"{rel_folder}/{name}"
        if name.startswith("."):
            continue  # hidden files include the temp files of an interrupted write
        stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else None
        if entry.is_symlink():
            problems.append(Problem(rel, "", link_message("file")))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(rel, "", "not a file; a record is a <id>.toml file"))
        elif stem is None:
            problems.append(Problem(rel, "", "not a record file; a record is a <id>.toml file"))
        elif not is_valid_id(stem):
            problems.append(
                Problem(rel, "id", "file name is not a valid id (lowercase letters, digits and -, up to 64)")
            )
        elif year is not None and not stem.startswith(f"{year}-"):
            twin = folder.parent / stem[:4] / name
            message = f"filed under {year}/ but the id does not start with {year}-"
            if twin.exists():
                message = f"duplicate id: conversations/{stem[:4]}/{name} has the same id; {message}"
            problems.append(Problem(rel, "id", message))
        else:
            found.append((rel, stem))
    return found


def _line_of(path: Path, field_name: str) -> int | None:
    try:
        return locate(path.read_text(encoding="utf-8"), field_name)
    except (OSError, UnicodeDecodeError):
        return None


def load_settings(root: Path, problems: list[Problem]) -> RepoSettings:
    link = link_problem(root, SETTINGS_FILE)
    if link is not None:
        problems.append(link)
        return RepoSettings()
    try:
        data = parse(read_file(root / SETTINGS_FILE))
        return RepoSettings.model_validate(data)
    except FileNotFoundError:
        problems.append(Problem(SETTINGS_FILE, "", "missing: this is not an allytui data repo"))
    except ParseError as error:
        problems.append(Problem(SETTINGS_FILE, "", error.message, error.line))
    except OSError as error:
        problems.append(Problem(SETTINGS_FILE, "", f"cannot read: {error.strerror}"))
    except ValidationError as error:
        problems += [Problem(SETTINGS_FILE, f, m) for f, m in error_pairs(error)]
    return RepoSettings()


def check_erasures(root: Path, problems: list[Problem]) -> None:
    """erasures.toml, when there is one: a list of [[erasure]] tables (see docs/format.md)."""
    if not os.path.lexists(root / ERASURES_FILE):
        return
    link = link_problem(root, ERASURES_FILE)
    if link is not None:
        problems.append(link)
        return
    try:
        data = parse(read_file(root / ERASURES_FILE))
    except ParseError as error:
        problems.append(Problem(ERASURES_FILE, "", error.message, error.line))
        return
    except OSError as error:
        problems.append(Problem(ERASURES_FILE, "", f"cannot read: {error.strerror or type(error).__name__}"))
        return
    problems += [Problem(ERASURES_FILE, f, m) for f, m in erasure_log(data)[1]]


Pending = tuple[Kind, str, str, str | None]
"""A record file to read: kind, path, id, and the blob id the cache holds a record of it for (or None)."""
Outcome = tuple[Record | None, list[Problem], str | None, bool]
"""What reading it gave: record, problems, the blob id of the bytes read (None unhashed or unread), and
whether that is the cached blob id (then the record is the cache's, not parsed)."""


def _read_files(root: Path, pending: list[Pending], sha256: bool, hashing: bool) -> list[Outcome]:
    """Read each file and parse it, unless its blob id is the one cached. Runs here or in a worker process."""
    outcomes: list[Outcome] = []
    for kind, rel, record_id, cached in pending:
        raw, problem = _read_record_file(root, rel)
        if raw is None:
            outcomes.append((None, [problem] if problem else [], None, False))
            continue
        blob = blob_id(raw, sha256=sha256) if hashing else None
        if blob is not None and blob == cached:
            outcomes.append((None, [], blob, True))
            continue
        record, problems, _ = record_from_bytes(rel, kind, record_id, raw)
        outcomes.append((record, problems, blob, False))
    return outcomes


def _in_workers(
    root: Path, chunks: list[list[Pending]], sha256: bool, hashing: bool, workers: int
) -> Iterator[list[Outcome]] | None:
    """Each chunk read by worker processes, in order, as they finish; None when no worker can be started.

    Only from a program with no other thread running (the command line): forking one whose other threads
    may hold locks is not safe, and the other ways to start a process import the program's main module
    again in each worker (a script without a `__name__ == "__main__"` guard would start itself over).
    So the app, which loads in a thread, parses in that thread.
    """
    if threading.active_count() > 1:
        return None
    from concurrent.futures import ProcessPoolExecutor  # here: slow to import, and needed only for a large load

    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except (OSError, ImportError, NotImplementedError):  # no working semaphores here (some sandboxes)
        return None
    count = len(chunks)
    try:
        results = pool.map(_read_files, [root] * count, chunks, [sha256] * count, [hashing] * count)
    except OSError:  # no process could be started
        pool.shutdown(cancel_futures=True)
        return None

    def in_order() -> Iterator[list[Outcome]]:
        with pool:
            yield from results

    return in_order()


def _read_pending(
    root: Path, pending: list[Pending], cache: RecordCache | None, workers: int, progress: Callable[[int], None]
) -> list[Outcome]:
    """Every pending file read (and parsed unless cached), in order: in worker processes when there are
    PARALLEL_MIN or more and workers > 1 (a broken pool falls back to this process), else here."""
    sha256, hashing = (cache.sha256, True) if cache is not None else (False, False)
    chunks = [pending[start : start + CHUNK] for start in range(0, len(pending), CHUNK)]
    outcomes: list[Outcome] = []
    if workers > 1 and len(pending) >= PARALLEL_MIN:
        from concurrent.futures.process import BrokenProcessPool

        results = _in_workers(root, chunks, sha256, hashing, workers)
        try:
            with gc_held():  # records come back by the ten thousand: no collections over them meanwhile
                for batch in results or ():
                    outcomes += batch
                    progress(len(batch))
        except (OSError, BrokenProcessPool):
            pass
        if len(outcomes) == len(pending):
            return outcomes
        progress(-len(outcomes))  # read again below
        outcomes = []
    for chunk in chunks:
        outcomes += _read_files(root, chunk, sha256, hashing)
        progress(len(chunk))
    return outcomes


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def load_repo(
    root: Path,
    *,
    use_cache: bool = True,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    kinds: Iterable[Kind] | None = None,
    between: bool = True,
    cache_later: bool = False,
) -> Loaded:
    """Load every record under root. Never stops at a bad file; never raises for bad data.

    kinds: only these kinds' records, with only the problems of their own files (the checks between
    records need them all and are left out): for a command that shows one kind.

    between: find the problems between records (references, team membership) too. Without it they are
    left for problems_between(), as the app does to show the records first.

    use_cache: take records whose files are unchanged from the record cache (store/record_cache.py) and
    keep the ones parsed now in it; without it, parse every file. With workers > 1, PARALLEL_MIN or more
    files to parse are parsed in that many worker processes. progress(done, total) is called as record
    files are loaded, every CHUNK files. Problems between records (references, membership) are found
    afresh each time, never cached. cache_later: leave writing the cache to the caller (Loaded.write_cache).
    """
    with gc_held():  # tens of thousands of records are made: no collection walks them again and again meanwhile
        return _load(root, use_cache, workers, progress, kinds, between, cache_later)


def _load(
    root: Path,
    use_cache: bool,
    workers: int,
    progress: Callable[[int, int], None] | None,
    kinds: Iterable[Kind] | None,
    between: bool,
    cache_later: bool,
) -> Loaded:
    loaded = Loaded()
    loaded.settings = load_settings(root, loaded.problems)
    check_erasures(root, loaded.problems)
    # One path per id (layout.record_path): a duplicate id can only be a misfiled copy of a
    # conversation, which _files reports.
    wanted = tuple(Kind) if kinds is None else tuple(kind for kind in Kind if kind in set(kinds))
    cache = RecordCache.open(root, wanted) if use_cache else None
    files: list[tuple[Kind, str, str]] = []
    found: list[Record | None] = []
    pending: list[Pending] = []
    resorted: list[Kind] = []
    taken_count = 0
    for kind in wanted:
        taken = _taken(root, kind, cache)
        if cache is not None and taken is not None:
            cache.accept(kind, taken)
            loaded.records[kind] = dict(taken.records)
            taken_count += len(taken.records)
            for rel, record_id, cached in taken.pending:
                files.append((kind, rel, record_id))
                found.append(None)
                pending.append((kind, rel, record_id, cached))
            if taken.pending:
                resorted.append(kind)
            continue
        if cache is not None:
            cache.walking(kind)
        for rel, record_id in _files(root, kind, loaded.problems):
            files.append((kind, rel, record_id))
            known = cache.unchanged_blob(rel) if cache is not None else None
            record = cache.get(rel, kind, record_id, known) if cache is not None and known is not None else None
            found.append(record)
            if record is None:
                pending.append((kind, rel, record_id, cache.cached_blob(rel) if cache is not None else None))
    total = taken_count + len(files)
    done = total - len(pending)

    def advanced(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    outcomes = iter(_read_pending(root, pending, cache, workers, advanced))
    for (kind, rel, record_id), record in zip(files, found, strict=True):
        problems: list[Problem] = []
        if record is None:
            record, problems, blob, hit = next(outcomes)
            if hit and cache is not None and blob is not None:
                record = cache.get(rel, kind, record_id, blob)
                if record is None:  # a cached entry of the right blob but not of this record: parse it
                    record, problems, blob, hit = _read_files(root, [(kind, rel, record_id, None)], False, False)[0]
                    blob = None
            loaded.parsed += not hit
            if cache is not None and record is not None and not problems and blob is not None and not hit:
                cache.put(rel, blob, record)
        loaded.problems += problems
        if record is not None:
            loaded.records[kind][record_id] = record
    for kind in resorted:  # as a walk would have found them: in path order (ids name their year's folder)
        loaded.records[kind] = dict(sorted(loaded.records[kind].items()))
    if cache is not None and cache_later:
        loaded.write_cache = cache.save
    elif cache is not None:
        cache.save()
    if wanted == tuple(Kind) and between:
        loaded.problems += problems_between(root, loaded.records)
    loaded.problems.sort(key=by_place)
    return loaded


def _taken(root: Path, kind: Kind, cache: RecordCache | None) -> Taken | None:
    """What the cache gives of kind without a walk of its folder, when each file it leaves to read is where a walk
    would find a record file (else None: the folder is walked, and says what is wrong). A file git lists but the
    folder no longer holds is left out, as a walk would."""
    folder = root / kind.value
    if cache is None or folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    taken = cache.take(kind)
    if taken is None:
        return None
    pending = []
    for rel, record_id, cached in taken.pending:
        if record_path_of(kind, rel) != record_id:
            return None
        if link_problem(root, rel) is not None:
            return None
        try:
            if not stat.S_ISREG(os.lstat(root / rel).st_mode):
                return None  # a folder or a FIFO where a record file was
        except FileNotFoundError:
            continue  # deleted
        pending.append((rel, record_id, cached))
    taken.pending = pending
    return taken if _holds_only(root, kind, taken) else None


def _holds_only(root: Path, kind: Kind, taken: Taken) -> bool:
    """Whether kind's folders hold the files taken lists and nothing else a walk would see (git lists no FIFO,
    device or socket, and a walk reports each). Each file taken lists is there (git vouches for it, or it was
    looked for), so counting the names that are not hidden is enough."""
    folders = [root / kind.value]
    if kind is Kind.CONVERSATIONS:
        try:
            entries = list(os.scandir(folders[0]))
        except FileNotFoundError:
            entries = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink() or not entry.is_dir() or not (entry.name.isdigit() and len(entry.name) == 4):
                return False
            folders.append(Path(entry.path))
    seen = -(len(folders) - 1)  # the year folders, counted among the conversations folder's names
    for folder in folders:
        try:
            names = os.listdir(os.fsencode(folder))
        except FileNotFoundError:
            continue
        seen += len(names) - (b"\0" + b"\0".join(names)).count(b"\0.")
    return seen == taken.files + len(taken.pending)


def record_path_of(kind: Kind, rel: str) -> str | None:
    """The id of the record file at rel when rel is where the folder walk takes one of kind from, else None: where
    a record of that id belongs (layout), and for a conversation in a folder named by its year."""
    found = parse_record_path(rel)
    if found is None or found[0] is not kind:
        return None
    record_id = found[1]
    if kind is Kind.CONVERSATIONS and not (record_id[:4].isdigit() and record_id[4:5] == "-"):
        return None
    return record_id


def by_place(problem: Problem) -> tuple[str, int, str]:
    """The order problems are listed in: by file, line and field."""
    return (problem.path, problem.line or 0, problem.field)


def problems_between(root: Path, records: RecordIndex) -> list[Problem]:
    """The problems between the records loaded from root (every kind): references to records that are not
    there, and team membership that does not agree with the people's own `member of`."""
    found = []
    for record, field_name, message in broken_references(records):
        rel = path_of(record)
        found.append(Problem(rel, field_name, message, _line_of(root / rel, field_name)))
    teams = [t for t in records[Kind.TEAMS].values() if isinstance(t, Team)]
    people = {k: p for k, p in records[Kind.PEOPLE].items() if isinstance(p, Person)}
    for rel, field_name, message in mismatches(teams, people):
        found.append(Problem(rel, field_name, message, _line_of(root / rel, field_name)))
    return found
