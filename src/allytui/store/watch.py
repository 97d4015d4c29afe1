"""Noticing changes made outside the app: a cheap fingerprint of HEAD, the index and every record file.

Taking one costs a stat per record file and a few for git's refs (no git process, no file read), so it
can run about once a second. Comparing two names the record files added, removed or rewritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from allytui.model.records import Kind, Record
from allytui.model.validation import Problem
from allytui.store.layout import SETTINGS_FILE, SUFFIX, parse_record_path, path_of
from allytui.store.loader import Loaded, load_record

Stamp = tuple[int, int, int]  # mtime_ns, size, inode: an atomic write (a rename) changes the inode


@dataclass(frozen=True)
class Fingerprint:
    git: dict[str, Stamp]  # HEAD, the branch's ref, packed-refs, the index
    files: dict[str, Stamp]  # repo-relative record (and settings) path -> stamp


@dataclass(frozen=True)
class FileNow:
    """A changed record file as it is on disk now: the record (None: gone or unreadable) and its problems."""

    rel: str
    kind: Kind
    record_id: str
    record: Record | None
    problems: list[Problem] = field(default_factory=list)


def _stamp(path: str | Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _git_files(root: Path) -> list[Path]:
    git_dir = root / ".git"
    files = [git_dir / "HEAD", git_dir / "index", git_dir / "packed-refs"]
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return files
    if head.startswith("ref: "):
        files.append(git_dir / head.removeprefix("ref: "))
    return files


def _scan(folder: str, rel: str, files: dict[str, Stamp], depth: int) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # temp files of a write in progress
        name = f"{rel}/{entry.name}"
        if entry.name.endswith(SUFFIX):
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            files[name] = (info.st_mtime_ns, info.st_size, info.st_ino)
        elif depth and entry.is_dir(follow_symlinks=False):
            _scan(entry.path, name, files, depth - 1)


def fingerprint(root: Path) -> Fingerprint:
    """Stamps of git's refs and index and of every record file, as they are now."""
    git = {str(p.relative_to(root)): s for p in _git_files(root) if (s := _stamp(p)) is not None}
    files: dict[str, Stamp] = {}
    settings = _stamp(root / SETTINGS_FILE)
    if settings is not None:
        files[SETTINGS_FILE] = settings
    for kind in Kind:
        _scan(str(root / kind.value), kind.value, files, depth=1 if kind is Kind.CONVERSATIONS else 0)
    return Fingerprint(git, files)


def changed_paths(before: Fingerprint, after: Fingerprint) -> list[str]:
    """Files added, removed or rewritten between two fingerprints, sorted."""
    names = before.files.keys() | after.files.keys()
    return sorted(name for name in names if before.files.get(name) != after.files.get(name))


CLOCK_SLACK_NS = 10 * 10**9
"""How much older than the load a file's modification time may look and still count as written during it: file
systems keep coarse times (FAT 2 s), and a network file system's clock may run behind this machine's."""


def changed_since(now: Fingerprint, since_ns: int, loaded: Loaded | None) -> list[str]:
    """Files that may have changed since a load began reading at since_ns (time.time_ns()), judged from a
    fingerprint taken after it: those modified since then (less CLOCK_SLACK_NS), and those loaded that are gone."""
    recent = {name for name, (mtime_ns, _, _) in now.files.items() if mtime_ns >= since_ns - CLOCK_SLACK_NS}
    held = [path_of(record) for records in loaded.records.values() for record in records.values()] if loaded else []
    return sorted(recent | (set(held) - now.files.keys()))


def read_changed(root: Path, paths: list[str]) -> list[FileNow]:
    """The record files among paths, read and validated as they are now (a missing file: record None)."""
    found = []
    for rel in paths:
        target = parse_record_path(rel)
        if target is None:
            continue
        kind, record_id = target
        if not (root / rel).exists():
            found.append(FileNow(rel, kind, record_id, None))
            continue
        record, problems, _ = load_record(root, rel, kind, record_id)
        found.append(FileNow(rel, kind, record_id, record, problems))
    return found
