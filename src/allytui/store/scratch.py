"""Private scratch folders for plain text that must not outlive an operation: 0700, in RAM where there is one.

Like sops: an opened sealed value handed to an editor or to git merge-file is written under a folder only
this user can enter, on a RAM-backed filesystem (/dev/shm, or $XDG_RUNTIME_DIR) when one is writable, else
the system's temporary folder; the folder and all in it are removed when the operation ends, however it ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RAM_FOLDERS = ("/dev/shm",)


def _usable(folder: str) -> bool:
    path = Path(folder)
    return path.is_dir() and not path.is_symlink() and os.access(path, os.W_OK | os.X_OK)


def private_temp_root() -> str | None:
    """Where private scratch folders go: /dev/shm or $XDG_RUNTIME_DIR when usable, else None (the system's)."""
    for folder in (*RAM_FOLDERS, os.environ.get("XDG_RUNTIME_DIR", "")):
        if folder and _usable(folder):
            return folder
    return None


@contextmanager
def private_folder(prefix: str = "allytui-") -> Iterator[Path]:
    """A fresh folder (mode 0700) removed with everything in it when the block ends, by error or signal too."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=private_temp_root()))
    try:
        os.chmod(folder, 0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
