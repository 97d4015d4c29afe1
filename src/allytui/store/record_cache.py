"""Parsed, valid records kept in .git/allytui/ by git blob id, so a start parses only the files that changed.

The cache maps a record file's path to the blob id of the exact bytes that were parsed and the record
they gave. A record is taken from it only when the file's bytes have that blob id now: for a file git
holds as unchanged (`git ls-files -s` lists its blob id, `git diff-files` does not name it; git's own
stat check, racy-git content comparison included, decides), the index's blob id; for any other file
(hand-edited, untracked, or saved by allytui, whose index entry carries no stat data), the blob id of
the bytes read now. An entry is only ever written under the blob id of the bytes it was parsed from.
(Where git converts line endings on checkout, a file's bytes are not its blob, so its entry is found
by hashing the bytes: slower, still right. Only a file git holds as unchanged whose bytes differ
from those once cached under the same blob id, after the conversion settings themselves changed, is
beyond this.)

Never trusted: a file that is truncated, corrupt, of another format version, or written by another
version of the models (a fingerprint of their source) is ignored and rebuilt; the payload is checked
against a digest before it is unpickled, and unpickling makes only allytui's model classes and dates.
Invalid files are never cached (they are parsed, with their problems, at every load), and sealed values
are kept as the sealed text the file holds, since loading never opens them. The file is replaced by a
rename, so a reader sees the old cache or the new one; two processes writing at once each write a
whole file and the last rename wins.

The file holds one section per record kind, each with its own length and digest, so a load of one kind
(`allytui list groups`) reads and unpickles that kind's section only; a load that rewrites some kinds
copies the others' sections across as they are, checked.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import hashlib
import io
import operator
import os
import pickle
import secrets
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pydantic

from allytui.model.ids import is_valid_id
from allytui.model.records import Kind, Record
from allytui.store.layout import record_path

FORMAT = 3
MAGIC = b"allytui record cache\n"
_HEADER = struct.Struct(">I32sI")  # format, fingerprint, number of sections
_SECTION = struct.Struct(">16sQ4s")  # kind, payload length, payload CRC-32; the payloads follow the table
CACHE_NAME = "records.cache"
# Rewriting the whole cache costs ~15 µs a record, parsing a file ~150 µs. A cache of more than
# REWRITE_ALWAYS records that is behind by less than STALE_SHARE of them is used as it is, and the few
# changed files are parsed again at each load until it is rewritten (so `allytui set` stays quick).
REWRITE_ALWAYS = 5000
STALE_SHARE = 0.01

_GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
_SOURCES = ("model", "store/codec.py", "store/layout.py", "store/loader.py", "store/record_cache.py")


def _fingerprint() -> bytes:
    """What the cached objects depend on: this format, Python, pydantic and the source of the models."""
    digest = hashlib.blake2b(f"{FORMAT} {sys.version} {pydantic.VERSION}".encode(), digest_size=32)
    package = Path(__file__).resolve().parent.parent
    for name in _SOURCES:
        path = package / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"unreadable")
    return digest.digest()


_FINGERPRINT: bytes | None = None


def fingerprint() -> bytes:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _fingerprint()
    return _FINGERPRINT


def blob_id(data: bytes, *, sha256: bool = False) -> str:
    """The id git gives a blob of these bytes (sha1, or sha256 in a repo made with that object format)."""
    digest = hashlib.sha256() if sha256 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


class _ModelsOnly(pickle.Unpickler):
    """An unpickler that makes allytui's model classes and dates only: nothing in a cache file can run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in {("datetime", "date"), ("datetime", "datetime")}:
            return super().find_class(module, name)
        if module.startswith("allytui.model.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, pydantic.BaseModel | str | int):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the record cache")


@contextlib.contextmanager
def gc_held() -> Iterator[None]:
    """The garbage collector held off: it would walk every new object again and again while tens of
    thousands are made or pickled (reading 10,000 records 5x slower, writing 50,000 2x)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


Entries = dict[str, tuple[str, Record]]
"""A record file's path -> the blob id of the bytes parsed, and the record they gave."""

Section = tuple[bytes, dict[str, Record]]
"""One kind's part of the cache: its files as index lines ("H 100644 <blob> 0\t<path>", joined by NUL, in the
form `git ls-files -s -v -z` prints them), and their records by id, in path order."""


def _digest(payload: bytes) -> bytes:
    """A check of a section against damage (a torn write, a bad disk): CRC-32 checks 60 MB in ~10 ms, a
    cryptographic hash in ~50 ms, and against a deliberate change no check helps, since whoever can write .git
    can change anything; what a payload can make is limited by the unpickler instead."""
    return zlib.crc32(payload).to_bytes(4, "big")


def index_line(rel: str, blob: str) -> bytes:
    """The line `git ls-files -s -v` prints for a plain file at rel whose index entry holds this blob."""
    return f"H 100644 {blob} 0\t{rel}".encode("utf-8", "surrogateescape")


def line_parts(line: bytes) -> tuple[str, str, bool, bool] | None:
    """A listing line's path and blob id, whether git looks after it as a plain file (tag H), and whether it is a
    plain file at stage 0 (not a link, a submodule or one side of a merge conflict); None for a line of another
    form."""
    head, tab, name = line.partition(b"\t")
    parts = head.split(b" ")
    if not tab or len(parts) != 4:
        return None
    tag, mode, blob, stage = parts
    regular = stage == b"0" and mode in (b"100644", b"100755")
    return name.decode("utf-8", "surrogateescape"), blob.decode("ascii", "replace"), tag == b"H" and regular, regular


def stem(rel: str) -> str:
    """The id a record file's path names: groups/st-marys.toml -> st-marys."""
    return rel.rpartition("/")[2].removesuffix(".toml")


def _section_entries(section: Section) -> Entries:
    lines, records = section
    entries: Entries = {}
    for line in lines.split(b"\0"):
        parts = line_parts(line)
        if parts is not None and (record := records.get(stem(parts[0]))) is not None:
            entries[parts[0]] = (parts[1], record)
    return entries


def _sections(handle: BinaryIO) -> dict[Kind, tuple[int, int, bytes]] | None:
    """Each kind's section in the open cache file: (offset, length, digest); None when the file is not
    this version's cache."""
    head = handle.read(len(MAGIC) + _HEADER.size)
    if len(head) != len(MAGIC) + _HEADER.size or not head.startswith(MAGIC):
        return None
    version, print_, count = _HEADER.unpack_from(head, len(MAGIC))
    if version != FORMAT or print_ != fingerprint() or count > len(Kind):
        return None
    table = handle.read(_SECTION.size * count)
    if len(table) != _SECTION.size * count:
        return None
    offset = len(head) + len(table)
    sections: dict[Kind, tuple[int, int, bytes]] = {}
    for index in range(count):
        name, length, digest = _SECTION.unpack_from(table, index * _SECTION.size)
        try:
            kind = Kind(name.rstrip(b"\0").decode("ascii"))
        except ValueError:
            return None
        sections[kind] = (offset, length, digest)
        offset += length
    return sections


def _payload(handle: BinaryIO, section: tuple[int, int, bytes]) -> bytes | None:
    """A section's bytes, when they are all there and match their digest."""
    offset, length, digest = section
    handle.seek(offset)
    payload = handle.read(length)
    return payload if len(payload) == length and _digest(payload) == digest else None


def _unpickled(payload: bytes) -> Section | None:
    with gc_held():
        section = _ModelsOnly(io.BytesIO(payload)).load()
    if not (isinstance(section, tuple) and len(section) == 2):
        return None
    lines, records = section
    return (lines, records) if isinstance(lines, bytes) and isinstance(records, dict) else None


def read_sections(path: Path, kinds: Iterable[Kind] = tuple(Kind)) -> tuple[dict[Kind, Section], dict[Kind, bytes]]:
    """The sections of the given kinds in the cache file at path, unpickled and as their bytes; none at all when
    it is missing, damaged (in any of those kinds' sections) or not this version's."""
    sections: dict[Kind, Section] = {}
    payloads: dict[Kind, bytes] = {}
    try:
        with open(path, "rb") as handle:
            table = _sections(handle)
            if table is None:
                return {}, {}
            for kind in kinds:
                if kind not in table:
                    continue
                payload = _payload(handle, table[kind])
                section = _unpickled(payload) if payload is not None else None
                if payload is None or section is None:
                    return {}, {}
                sections[kind], payloads[kind] = section, payload
    except Exception:  # unreadable, or a payload that passed the digest and does not load: "ignore it"
        return {}, {}
    return sections, payloads


def read_entries(path: Path, kinds: Iterable[Kind] = tuple(Kind)) -> Entries:
    """The entries of the given kinds in the cache file at path; empty when it is missing, damaged (in any of
    those kinds' sections) or not this version's."""
    entries: Entries = {}
    for section in read_sections(path, kinds)[0].values():
        entries.update(_section_entries(section))
    return entries


def _kept_sections(path: Path, kinds: Iterable[Kind]) -> dict[Kind, bytes]:
    """The checked payloads of these kinds' sections of the cache file at path, to be written again unread."""
    kept: dict[Kind, bytes] = {}
    try:
        with open(path, "rb") as handle:
            sections = _sections(handle) or {}
            for kind in kinds:
                payload = _payload(handle, sections[kind]) if kind in sections else None
                if payload is not None:
                    kept[kind] = payload
    except OSError:
        pass
    return kept


def frame(payloads: dict[Kind, bytes]) -> bytes:
    """The bytes of a cache file holding these kinds' pickled sections."""
    table = b"".join(_SECTION.pack(kind.value.encode(), len(data), _digest(data)) for kind, data in payloads.items())
    return MAGIC + _HEADER.pack(FORMAT, fingerprint(), len(payloads)) + table + b"".join(payloads.values())


class _SharedFieldSets(pickle.Pickler):
    """Pickles each model with one `fields set` object per distinct set of fields (pickle then writes it once), so a
    load makes a dozen of them instead of one per record and part (~200 bytes each). allytui never reads or
    changes that set; pydantic adds a field's name to it when a field is assigned, which nothing here depends on."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=5)
        self.shared: dict[frozenset[str], set[str]] = {}

    def reducer_override(self, obj: Any) -> Any:
        if not isinstance(obj, pydantic.BaseModel):
            return NotImplemented
        fields = obj.__pydantic_fields_set__
        shared = self.shared.setdefault(frozenset(fields), set(fields))
        state = {
            "__dict__": obj.__dict__,
            "__pydantic_extra__": obj.__pydantic_extra__,
            "__pydantic_fields_set__": shared,
            "__pydantic_private__": obj.__pydantic_private__,
        }
        return _NEWOBJ, (type(obj),), state  # pickle writes it as NEWOBJ, as for any model


_NEWOBJ = vars(copyreg)["__newobj__"]
"""copyreg.__newobj__ (which typeshed leaves out): what pickle's own reduction of an object names."""


def _pickled(lines: Iterable[bytes], records: dict[str, Record]) -> bytes:
    """One kind's section: its index lines, in path order as git lists them (so that, when nothing changed, they
    are the very bytes of git's listing of the folder), and its records by id, in path order."""
    in_order = sorted(lines, key=lambda line: line[line.find(b"\t") + 1 :])
    out = io.BytesIO()
    with gc_held():
        _SharedFieldSets(out).dump((b"".join(line + b"\0" for line in in_order), dict(sorted(records.items()))))
    return out.getvalue()


ABANDONED_AFTER = 600.0  # seconds: a temporary file this old is no writer's any more


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files of writers killed before their rename (each as big as the cache)."""
    now = time.time()
    for temp in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            if now - temp.lstat().st_mtime > ABANDONED_AFTER:
                temp.unlink()


def _write(path: Path, payloads: dict[Kind, bytes]) -> None:
    """Write the cache file whole under a temporary name, then rename it over path: the given kinds' sections,
    every other kind's section as the file held it.

    Not fsynced: after a crash a torn file fails its digest and is rebuilt, which is all a cache needs.
    """
    payloads = {**_kept_sections(path, [kind for kind in Kind if kind not in payloads]), **payloads}
    data = frame({kind: payloads[kind] for kind in Kind if kind in payloads})
    path.parent.mkdir(exist_ok=True)
    _remove_abandoned(path)
    temp = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_entries(path: Path, entries: Entries, kinds: Iterable[Kind] = tuple(Kind)) -> None:
    """Write the cache file at path: these kinds' sections from entries, every other kind's as the file held it."""
    by_kind: dict[Kind, Entries] = {kind: {} for kind in kinds}
    for rel, entry in entries.items():
        kind = _kind_of(rel)
        if kind in by_kind:
            by_kind[kind][rel] = entry
    _write(path, {kind: _section_of(part) for kind, part in by_kind.items()})


def _section_of(entries: Entries) -> bytes:
    lines = [index_line(rel, blob) for rel, (blob, _) in entries.items()]
    return _pickled(lines, {stem(rel): record for rel, (_, record) in entries.items()})


def _kind_of(rel: str) -> Kind | None:
    try:
        return Kind(rel.partition("/")[0])
    except ValueError:
        return None


def _git(root: Path, *args: str) -> subprocess.Popen[bytes] | None:
    """git started on the repo at root (None when it cannot be: then every file is read and hashed)."""
    command = ["git", f"--git-dir={root / '.git'}", f"--work-tree={root}", "-c", "core.fsmonitor=false", *args]
    try:
        return subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_GIT_ENV},
        )
    except OSError:
        return None


def _finish(process: subprocess.Popen[bytes] | None) -> bytes | None:
    if process is None:
        return None
    out, _ = process.communicate()
    return out if process.returncode == 0 else None


def _names(out: bytes) -> list[str]:
    return [name.decode("utf-8", "surrogateescape") for name in out.split(b"\0") if name]


def _run(listing: bytes, folder: str) -> bytes:
    """The lines of `git ls-files -s -v -z` (sorted by path) for the files under folder, each ended by its NUL:
    one stretch of it."""
    mark = f"\t{folder}".encode()
    first = listing.find(mark)
    if first < 0:
        return b""
    last = listing.rfind(mark)
    end = listing.find(b"\0", last)
    return listing[listing.rfind(b"\0", 0, first) + 1 : len(listing) if end < 0 else end + 1]


def _clean_blobs(listing: bytes, changed: set[str]) -> dict[str, str]:
    """path -> index blob id of each plain file git holds as unchanged (tag H, stage 0, not in changed)."""
    clean: dict[str, str] = {}
    unmerged: set[str] = set()
    for line in listing.split(b"\0"):
        parts = line_parts(line)
        if parts is None:
            continue
        path, blob, plain, _ = parts
        if plain:
            clean[path] = blob
        elif b" 0\t" not in line:
            unmerged.add(path)
    for path in changed | unmerged:
        clean.pop(path, None)
    return clean


def ignorable(rel: str) -> bool:
    """Whether the folder walk passes over this path in silence: a hidden file or folder (.gitkeep, a write's
    temporary file) or anything in a hidden folder."""
    return any(part.startswith(".") for part in rel.rstrip("/").split("/")[1:])


@dataclass
class Taken:
    """One kind's records from the cache without walking its folder: those git vouches are as cached, and the
    few files to read (and parse unless their bytes are the cached blob), as (path, id, cached blob or None)."""

    records: dict[str, Record]
    pending: list[tuple[str, str, str | None]]
    lines: set[bytes]
    whole: bool
    """Nothing changed at all: the section can be written again as it was read."""
    files: int
    """How many of the folder's files the records were taken for (their lines; none kept when whole)."""


@dataclass
class RecordCache:
    """One load's view of the cache: the sections read, what git says of the files, and what to write back."""

    path: Path
    sections: dict[Kind, Section]
    payloads: dict[Kind, bytes]
    kinds: tuple[Kind, ...] = tuple(Kind)
    listing: bytes | None = None
    changed: set[str] | None = None
    others: list[str] | None = None
    sha256: bool = False
    entries: Entries = field(default_factory=dict)
    clean: dict[str, str] = field(default_factory=dict)
    used: Entries = field(default_factory=dict)
    taken: dict[Kind, Taken] = field(default_factory=dict)
    parsed: int = 0

    @classmethod
    def open(cls, root: Path, kinds: Iterable[Kind] = tuple(Kind)) -> RecordCache | None:
        """The cache of the repo at root (a git work tree whose .git is a folder) for these kinds' records, or
        None without one."""
        root = root.absolute()  # git runs in root: a relative path would name a folder inside it
        git_dir = root / ".git"
        if not git_dir.is_dir() or git_dir.is_symlink():
            return None
        kinds = tuple(kinds)
        folders = ["--", *(f"{kind.value}/" for kind in kinds)]
        listing = _git(root, "ls-files", "-s", "-v", "-z", *folders)
        changed = _git(root, "diff-files", "--name-only", "-z", *folders)
        others = _git(root, "ls-files", "-z", "--others", "--directory", *folders)
        path = git_dir / "allytui" / CACHE_NAME
        sections, payloads = read_sections(path, kinds)  # while git lists the index
        out, diff, extra = _finish(listing), _finish(changed), _finish(others)
        cache = cls(path, sections, payloads, kinds=kinds)
        if out is not None and diff is not None:
            cache.listing, cache.changed = out, set(_names(diff))
            cache.others = _names(extra) if extra is not None else None
            first = line_parts(out[: out.find(b"\0")])
            cache.sha256 = first is not None and len(first[1]) == 64
        return cache

    def take(self, kind: Kind) -> Taken | None:
        """kind's records without walking its folder, when git can say what changed since the cache was written:
        None when the folder must be walked (no cache of kind, no git, or files git does not track)."""
        section = self.sections.get(kind)
        if section is None or self.listing is None or self.changed is None or self.others is None:
            return None
        folder = f"{kind.value}/"
        if any(other.startswith(folder) and not ignorable(other) for other in self.others):
            return None
        old_lines, records = section
        run = _run(self.listing, folder)
        model = kind.model
        if old_lines == run and _all_of(model, records) and not any(rel.startswith(folder) for rel in self.changed):
            return Taken(records, [], set(), whole=True, files=run.count(b"\0"))  # the usual second start
        now = set(run.split(b"\0"))
        now.discard(b"")
        cached = set(old_lines.split(b"\0"))
        cached.discard(b"")
        kept = cached & now
        gone = cached - kept
        found = dict(records)
        odd = [key for key, record in found.items() if record.__class__ is not model or record.id != key]
        for key in odd:
            found.pop(key)
        for line in gone:
            if (parts := line_parts(line)) is not None:
                found.pop(stem(parts[0]), None)
        pending: set[str] = set()
        for line in now - kept:
            parts = line_parts(line)
            if parts is not None and ignorable(parts[0]):
                continue
            if parts is None or not parts[3]:
                return None  # a link, a submodule, a merge conflict: the walk says what it is
            pending.add(parts[0])
        recheck = {rel for rel in self.changed if rel.startswith(folder)}
        recheck |= {record_path(kind, key) for key in odd if is_valid_id(key)}
        if recheck:  # files git no longer vouches for (saved without stat data, edited, deleted): read them
            by_path = {parts[0]: line for line in kept if (parts := line_parts(line)) is not None}
            for rel in recheck & by_path.keys():
                kept.discard(by_path[rel])
                found.pop(stem(rel), None)
                pending.add(rel)
        blobs = self._cached_blobs(kind, pending)
        return Taken(
            found,
            [(rel, stem(rel), blobs.get(rel)) for rel in sorted(pending)],
            kept,
            whole=not gone and not pending and not odd,
            files=len(kept),
        )

    def _cached_blobs(self, kind: Kind, rels: Iterable[str]) -> dict[str, str]:
        """The blob id each of these paths was cached under (when it was), their entries kept for get()."""
        wanted = set(rels)
        if not wanted:
            return {}
        entries = {rel: entry for rel, entry in _section_entries(self.sections[kind]).items() if rel in wanted}
        self.entries.update(entries)
        return {rel: blob for rel, (blob, _) in entries.items()}

    def accept(self, kind: Kind, taken: Taken) -> None:
        """Use what take() gave for kind (its pending files are read through get() and put())."""
        self.taken[kind] = taken

    def walking(self, kind: Kind) -> None:
        """kind's folder is walked: look each file up by path."""
        section = self.sections.get(kind)
        if section is not None:
            self.entries.update(_section_entries(section))
        if self.listing is not None and self.changed is not None:
            self.clean.update(_clean_blobs(_run(self.listing, f"{kind.value}/"), self.changed))

    def unchanged_blob(self, rel: str) -> str | None:
        """The blob id git vouches for as rel's content now, without reading it; None when it does not."""
        return self.clean.get(rel)

    def cached_blob(self, rel: str) -> str | None:
        """The blob id the cache holds a record of rel for, if any."""
        entry = self.entries.get(rel)
        return entry[0] if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str) else None

    def get(self, rel: str, kind: Kind, record_id: str, blob: str) -> Record | None:
        """The record parsed from rel when its bytes had this blob id, if the cache holds it."""
        entry = self.entries.get(rel)
        if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != blob:
            return None
        record = entry[1]
        if type(record) is not kind.model or record.id != record_id:
            return None
        self.used[rel] = entry
        return record

    def put(self, rel: str, blob: str, record: Record) -> None:
        """Keep a record just parsed from bytes with this blob id (only a valid record: no problems)."""
        self.used[rel] = (blob, record)
        self.parsed += 1

    def save(self) -> None:
        """Write the cache when it has fallen behind: records parsed or gone beyond a small share.

        A load of some kinds only (`allytui list groups`) rewrites the whole file too, the other kinds' sections
        copied across, so it waits for a small share of its own kinds to have changed, whatever their number."""
        cached = sum(len(records) for _, records in self.sections.values())
        kept = sum(len(taken.records) for taken in self.taken.values())
        now = kept + len(self.used)
        behind = self.parsed + cached - (kept + len(self.used) - self.parsed)
        partial = set(self.kinds) != set(Kind)
        if behind == 0 or ((partial or now > REWRITE_ALWAYS) and behind < STALE_SHARE * now):
            return
        by_kind: dict[Kind, Entries] = {kind: {} for kind in self.kinds}
        for rel, entry in self.used.items():
            kind = _kind_of(rel)
            if kind in by_kind:
                by_kind[kind][rel] = entry
        payloads: dict[Kind, bytes] = {}
        for kind, entries in by_kind.items():
            taken = self.taken.get(kind)
            if taken is None:
                payloads[kind] = _section_of(entries)
            elif taken.whole and not entries and kind in self.payloads:
                payloads[kind] = self.payloads[kind]
            else:
                lines = taken.lines | {index_line(rel, blob) for rel, (blob, _) in entries.items()}
                payloads[kind] = _pickled(lines, {**taken.records, **{stem(rel): r for rel, (_, r) in entries.items()}})
        with contextlib.suppress(OSError):  # a read-only or full disk: the next load parses again
            _write(self.path, payloads)


def _all_of(model: type[Record], records: dict[str, Record]) -> bool:
    """Whether every record is of model and filed under its own id (checked in C: ~3 ms for 32,500)."""
    return set(map(type, records.values())) <= {model} and all(
        map(operator.eq, records.keys(), map(operator.attrgetter("id"), records.values()))
    )


def forget(git_dir: Path) -> None:
    """Remove the cache of the repo whose git folder is git_dir: an erasure must leave no parsed copy behind."""
    folder = git_dir / "allytui"
    for path in [folder / CACHE_NAME, *folder.glob(f".{CACHE_NAME}.tmp-*")]:  # a killed writer's copy too
        path.unlink(missing_ok=True)
