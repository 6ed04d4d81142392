"""Where cache files live, and how a whole one is replaced (no SQLite here: the reader's
first-screen file is plain JSON, and the reader starts without importing SQLite).

Every cache file is named after its kind and the content folder's resolved path
(hashed), in the user cache folder (`paths.cache_dir`). A new version is written
to a temporary file beside it and moved over it with `os.replace`, which is
atomic: a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path

from ketaguide_tui.paths import cache_dir

STALE_SECONDS = 3600
"""Temporary files older than this were left by a process that stopped mid-write."""


def cache_path(root: Path, kind: str, suffix: str = ".sqlite") -> Path:
    """The cache file of `kind` ("guide", "index") for the content folder `root`."""
    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir() / f"{kind}-{hashlib.sha256(name).hexdigest()[:24]}{suffix}"


def replace_whole(path: Path, data: bytes) -> None:
    """Make `data` the new content of the cache file `path`: written aside, then moved over
    it, so that a reader sees the old file or the new one. Raises OSError when it cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path.parent)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_stale(folder: Path) -> None:
    """Delete temporary files that processes which stopped mid-write left behind."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > STALE_SECONDS:
                        os.unlink(entry.path)
