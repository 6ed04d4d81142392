"""Reading a content folder's files safely: which files, how much, and as what text.

A content folder is untrusted. Only regular files inside the folder are read:
a symbolic link is followed only when it ends inside the folder, and a named
pipe, a device, a socket or a folder called `x.md` is skipped with a problem
report. Every file is checked with `os.stat` before it is opened and opened
non-blocking, so nothing here can wait on a special file. A file is read up to
`MAX_FILE_BYTES`; what is beyond that is reported and left out, which bounds
the time any later step can take. Text is UTF-8; control characters and escape
sequences are removed and each one is reported with its line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ketaguide_tui.bounded_read import read_at_most
from ketaguide_tui.guide.problems import ContentError, Problem, removal_problems
from ketaguide_tui.guide.text_safety import clean, unsafe_characters

MAX_FILE_BYTES = 100 * 1024
"""Bytes read from one section file. The bundled guide's largest is about 40 KB; the
Markdown parser takes up to about 10 seconds a megabyte on hostile patterns, so this
bounds loading, checking and indexing a file at about a second."""

SECTION_SUFFIX = ".md"


def section_paths(root: Path) -> list[Path]:
    """The folder's `*.md` entries, sorted (whatever kind of file each one is)."""
    if not root.exists():
        raise ContentError(f"content folder not found: {root}")
    if not root.is_dir():
        raise ContentError(f"not a folder: {root}")
    try:
        paths = sorted(path for path in root.iterdir() if path.suffix == SECTION_SUFFIX)
    except OSError as error:
        raise ContentError(f"cannot read {root}: {error.strerror or error}") from error
    if not paths:
        raise ContentError(f"no sections (*.md files) in {root}")
    return paths


def read_section_text(path: Path, root: Path) -> tuple[str | None, list[Problem]]:
    """The cleaned text of one section file (None if it cannot be used) and its problems."""
    target, problem = _regular_file_inside(path, root)
    if target is None:
        return None, [problem] if problem else []
    try:
        raw = _read_bounded(target)
    except OSError as error:
        return None, [Problem(path, 1, f"cannot read the file: {error.strerror or error}")]
    problems: list[Problem] = []
    if len(raw) > MAX_FILE_BYTES:
        raw = raw[: _cut_point(raw)]
        limit = MAX_FILE_BYTES // 1024
        problems.append(
            Problem(
                path,
                raw.count(b"\n") + 1,
                f"the file is over {limit} KB: the text from here on is left out",
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "the file is not valid UTF-8 text")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _unsafe_by_line(text)
    problems.extend(removal_problems(path, found))
    return (clean(text) if found else text), problems


def _regular_file_inside(path: Path, root: Path) -> tuple[Path | None, Problem | None]:
    """`path` resolved, when it is a regular file inside `root`; else why it is skipped."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(root.resolve()):
                reason = "a symbolic link to a file outside the content folder"
                return None, Problem(path, 1, f"{reason}: skipped")
            info = os.stat(target)
        else:
            target = path
    except (OSError, RuntimeError) as error:  # RuntimeError: a symbolic link loop
        why = getattr(error, "strerror", None) or str(error)
        return None, Problem(path, 1, f"cannot read the file: {why}")
    if not stat.S_ISREG(info.st_mode):
        return None, Problem(path, 1, f"{_kind(info.st_mode)}, not a regular file: skipped")
    return target, None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _read_bounded(path: Path) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes (one more tells that the file is longer)."""
    # Non-blocking, and checked again once open: the file may have been swapped
    # for a pipe since it was looked at.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return read_at_most(handle, MAX_FILE_BYTES)


def _cut_point(raw: bytes) -> int:
    """Where to cut a file that is too long: after a whole line near the limit, else between
    two characters (a file of one long line still gives the reader most of its text)."""
    cut = raw.rfind(b"\n", MAX_FILE_BYTES * 3 // 4, MAX_FILE_BYTES) + 1
    if cut:
        return cut
    cut = MAX_FILE_BYTES
    while cut > 0 and raw[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
        cut -= 1
    return cut


def _unsafe_by_line(text: str) -> list[tuple[int, str]]:
    """(line, character) for each character `clean` removes (linear: lines are counted once)."""
    found: list[tuple[int, str]] = []
    line, counted = 1, 0
    for offset, character in unsafe_characters(text):
        line += text.count("\n", counted, offset)
        counted = offset
        found.append((line, character))
    return found
