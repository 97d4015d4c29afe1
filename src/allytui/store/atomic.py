"""Crash-safe file writes: a crash at any moment leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, sync_folder: bool = True, private: bool = False) -> None:
    """Write to a hidden temp file in the same folder, fsync it, rename over path, fsync the folder.

    private=True makes the file readable by its owner only (0600) from the moment it exists.
    sync_folder=False leaves the folder's fsync (which makes the rename durable) to the caller: a batch of
    files syncs each folder once, after the last rename, instead of once per file."""
    folder = path.parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{path.name}.tmp-{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if sync_folder:
        fsync_dir(folder)
    if created:
        fsync_dir(folder.parent)


def remove_durably(path: Path) -> None:
    path.unlink()
    fsync_dir(path.parent)


_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def keep_aside(path: Path) -> Path | None:
    """A second name for path's file, beside it and hidden, so that after path is overwritten or removed
    the file can be put back by a rename, which needs no new space; None when path has no file.

    A hard link costs no space; where the file system has none (a FAT stick), a copy is written
    instead, before anything changes, so a disk too full for it refuses the change right away.
    """
    backup = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
    try:
        os.link(path, backup, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        write_atomic(backup, path.read_bytes())
    return backup


def put_back(path: Path, backup: Path) -> None:
    """Make path the file kept aside by keep_aside again."""
    try:
        unchanged = os.path.samefile(path, backup)
    except FileNotFoundError:
        unchanged = False
    if unchanged:  # path was never replaced; renaming one link onto another of the same file does nothing
        backup.unlink()
    else:
        os.replace(backup, path)
    fsync_dir(path.parent)
