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
import gc
import hashlib
import io
import os
import pickle
import secrets
import struct
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pydantic

from allytui.model.records import Kind, Record

FORMAT = 2
MAGIC = b"allytui record cache\n"
_HEADER = struct.Struct(">I32sI")  # format, fingerprint, number of sections
_SECTION = struct.Struct(">16sQ32s")  # kind, payload length, payload digest; the payloads follow the table
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


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=32).digest()


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


def read_entries(path: Path, kinds: Iterable[Kind] = tuple(Kind)) -> Entries:
    """The entries of the given kinds in the cache file at path; empty when it is missing, damaged (in any of
    those kinds' sections) or not this version's."""
    entries: Entries = {}
    try:
        with open(path, "rb") as handle:
            sections = _sections(handle)
            if sections is None:
                return {}
            for kind in kinds:
                if kind not in sections:
                    continue
                payload = _payload(handle, sections[kind])
                if payload is None:
                    return {}
                with gc_held():
                    part = _ModelsOnly(io.BytesIO(payload)).load()
                if not isinstance(part, dict):
                    return {}
                entries.update(part)
    except Exception:  # unreadable, or a payload that passed the digest and does not load: "ignore it"
        return {}
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


ABANDONED_AFTER = 600.0  # seconds: a temporary file this old is no writer's any more


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files of writers killed before their rename (each as big as the cache)."""
    now = time.time()
    for temp in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            if now - temp.lstat().st_mtime > ABANDONED_AFTER:
                temp.unlink()


def write_entries(path: Path, entries: Entries, kinds: Iterable[Kind] = tuple(Kind)) -> None:
    """Write the cache file whole under a temporary name, then rename it over path: these kinds' sections from
    entries, every other kind's section as the file held it.

    Not fsynced: after a crash a torn file fails its digest and is rebuilt, which is all a cache needs.
    """
    written = set(kinds)
    by_kind: dict[Kind, Entries] = {kind: {} for kind in written}
    for rel, entry in entries.items():
        kind = _kind_of(rel)
        if kind in by_kind:
            by_kind[kind][rel] = entry
    payloads = _kept_sections(path, [kind for kind in Kind if kind not in written])
    with gc_held():
        for kind, part in by_kind.items():
            payloads[kind] = pickle.dumps(part, protocol=5)
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


def _clean_blobs(listing: bytes, changed: bytes) -> tuple[dict[str, str], bool]:
    """path -> index blob id of each regular file git holds as unchanged, and whether ids are sha256.

    listing is `git ls-files -s -v -z`; only entries tagged H (not assumed unchanged, not skip-worktree)
    at stage 0 count; changed is `git diff-files --name-only -z`.
    """
    clean: dict[str, str] = {}
    unmerged: set[str] = set()
    sha256 = False
    for item in listing.split(b"\0"):
        head, _, name = item.partition(b"\t")
        parts = head.split(b" ")
        if len(parts) != 4:
            continue
        tag, mode, blob, stage = parts
        path = name.decode("utf-8", "surrogateescape")
        if stage != b"0":
            unmerged.add(path)
        elif tag == b"H" and mode in (b"100644", b"100755"):
            clean[path] = blob.decode("ascii")
            sha256 = len(blob) == 64
    for name in changed.split(b"\0"):
        clean.pop(name.decode("utf-8", "surrogateescape"), None)
    for path in unmerged:
        clean.pop(path, None)
    return clean, sha256


@dataclass
class RecordCache:
    """One load's view of the cache: the entries read, what git says is unchanged, and what to write back."""

    path: Path
    entries: Entries
    clean: dict[str, str] = field(default_factory=dict)
    sha256: bool = False
    used: Entries = field(default_factory=dict)
    parsed: int = 0
    kinds: tuple[Kind, ...] = tuple(Kind)

    @classmethod
    def open(cls, root: Path, kinds: Iterable[Kind] = tuple(Kind)) -> RecordCache | None:
        """The cache of the repo at root (a git work tree whose .git is a folder) for these kinds' records, or
        None without one."""
        root = root.absolute()  # git runs in root: a relative path would name a folder inside it
        git_dir = root / ".git"
        if not git_dir.is_dir() or git_dir.is_symlink():
            return None
        kinds = tuple(kinds)
        folders = [] if set(kinds) == set(Kind) else ["--", *(f"{kind.value}/" for kind in kinds)]
        listing = _git(root, "ls-files", "-s", "-v", "-z", *folders)
        changed = _git(root, "diff-files", "--name-only", "-z", *folders)
        path = git_dir / "allytui" / CACHE_NAME
        entries = read_entries(path, kinds)  # while git lists the index
        out, diff = _finish(listing), _finish(changed)
        cache = cls(path, entries, kinds=kinds)
        if out is not None and diff is not None:
            cache.clean, cache.sha256 = _clean_blobs(out, diff)
        return cache

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
        behind = self.parsed + len(self.entries.keys() - self.used.keys())
        partial = set(self.kinds) != set(Kind)
        if behind == 0 or ((partial or len(self.used) > REWRITE_ALWAYS) and behind < STALE_SHARE * len(self.used)):
            return
        with contextlib.suppress(OSError):  # a read-only or full disk: the next load parses again
            write_entries(self.path, self.used, self.kinds)


def forget(git_dir: Path) -> None:
    """Remove the cache of the repo whose git folder is git_dir: an erasure must leave no parsed copy behind."""
    folder = git_dir / "allytui"
    for path in [folder / CACHE_NAME, *folder.glob(f".{CACHE_NAME}.tmp-*")]:  # a killed writer's copy too
        path.unlink(missing_ok=True)
