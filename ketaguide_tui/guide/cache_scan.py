"""The section files of a content folder and their keys: what the cache is checked against.

A cached file is trusted only while its key (size, modification and change
times, inode) is the one recorded when it was read; `scan_folder` gives every
file's key in one pass over the folder. It imports nothing that reads
Markdown, so that `ketaguide list` can check its cache without it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FileKey = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file as `os.lstat` gives them."""


def scan_folder(root: Path) -> list[tuple[str, FileKey | None]]:
    """The folder's section files, as `files.section_paths` finds them, sorted by name, and
    each one's key (None for anything but a regular file)."""
    try:
        with os.scandir(root) as found:
            # A name whose suffix is ".md" (what `section_paths` takes: not ".md" itself).
            entries = [
                entry for entry in found if entry.name.endswith(".md") and len(entry.name) > 3
            ]
        files = [(entry.name, _key(entry)) for entry in entries]
    except OSError:
        files = []
    if not files:
        from ketaguide_tui.guide.files import section_paths

        section_paths(root)  # raises the ContentError that says what is wrong
    files.sort()
    return files


def _key(entry: os.DirEntry[str]) -> FileKey | None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
