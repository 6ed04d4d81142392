"""Reader state on disk: last place, bookmarks, read marks and theme.

Everything lives in one JSON file, `state.json`, in the user's state folder
(`platformdirs.user_state_dir("ketaguide")`, or `$KETAGUIDE_STATE_DIR`).

The store is built to lose nothing and never crash the reader:

* writes are atomic (temp file in the same folder, fsync, `os.replace`), so a
  crash or a full disk leaves the previous file whole;
* `StateStore.update` does read-modify-write under an exclusive `flock`, so two
  readers open at once keep each other's bookmarks and read marks;
* a damaged file is read as far as it can be (valid bookmarks survive a bad
  one, a truncated file keeps everything before the cut), and a copy is kept
  as `state.json.bad` before it is first overwritten;
* failures come back as one human-readable warning, never as an exception.

No Textual import here: the CLI, the TUI and the tests all share this module.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ketaguide_tui.guide.text_safety import sanitize
from ketaguide_tui.paths import STATE_DIR_ENV, state_dir

if sys.platform != "win32":
    import fcntl

__all__ = [
    "FORMAT_VERSION",
    "MAX_BOOKMARKS",
    "MAX_TITLE_LENGTH",
    "STATE_DIR_ENV",
    "Bookmark",
    "Place",
    "ReaderState",
    "StateStore",
    "add_bookmark",
    "clean_title",
    "decode_state",
    "delete_bookmark",
    "encode_state",
    "find_bookmark",
    "mark_all_unread",
    "mark_read",
    "mark_unread",
    "rename_bookmark",
    "state_dir",
    "with_last_place",
    "with_theme",
]

STATE_FILE_NAME = "state.json"
FORMAT_VERSION = 1
MAX_BOOKMARKS = 500
MAX_TITLE_LENGTH = 200

# Far beyond any real state (500 bookmarks are a few hundred KiB); a bigger file
# is not ours, and reading it whole could exhaust memory.
_MAX_FILE_BYTES = 8 * 1024 * 1024
# Our own files nest four levels deep; deeper salvage attempts are not worth it.
_MAX_SALVAGE_DEPTH = 64
# A warning lists this many problems, then counts the rest.
_MAX_LISTED_PROBLEMS = 4


# --------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Place:
    """A position in the guide."""

    section_id: str
    anchor: str | None = None  # heading anchor, if the place is at a heading
    scroll_y: int = 0  # lines scrolled in the viewer


@dataclass(frozen=True)
class Bookmark:
    """A named place the reader chose to keep."""

    id: str  # stable unique id (uuid4 hex)
    title: str  # user-editable
    place: Place
    created: str  # ISO 8601 timestamp


@dataclass(frozen=True)
class ReaderState:
    """Everything the reader remembers between sessions."""

    last_place: Place | None = None
    bookmarks: tuple[Bookmark, ...] = ()
    read_sections: frozenset[str] = frozenset()
    theme: str | None = None


# --------------------------------------------------------------------------
# Pure helpers for the UI: each returns a new state and never touches disk.


def clean_title(title: str, fallback: str = "Bookmark") -> str:
    """A bookmark title safe for one terminal line and at most 200 characters.

    Control characters and escape sequences are removed (a title is echoed to
    the terminal), runs of whitespace become one space, and an empty result
    falls back to `fallback`.
    """
    cleaned = " ".join(sanitize(title).split())[:MAX_TITLE_LENGTH].rstrip()
    if cleaned:
        return cleaned
    fallback = " ".join(sanitize(fallback).split())[:MAX_TITLE_LENGTH].rstrip()
    return fallback or "Bookmark"


def add_bookmark(state: ReaderState, title: str, place: Place) -> tuple[ReaderState, Bookmark]:
    """Add a bookmark at `place`; the oldest ones go beyond 500 bookmarks."""
    bookmark = Bookmark(
        id=uuid.uuid4().hex,
        title=clean_title(title, fallback=place.section_id),
        place=place,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    bookmarks = (*state.bookmarks, bookmark)[-MAX_BOOKMARKS:]
    return replace(state, bookmarks=bookmarks), bookmark


def find_bookmark(state: ReaderState, bookmark_id: str) -> Bookmark | None:
    """The bookmark with this id, if it still exists."""
    return next((b for b in state.bookmarks if b.id == bookmark_id), None)


def rename_bookmark(state: ReaderState, bookmark_id: str, title: str) -> ReaderState:
    """Retitle a bookmark; an unknown id (deleted elsewhere) changes nothing."""
    bookmarks = tuple(
        replace(b, title=clean_title(title, fallback=b.title)) if b.id == bookmark_id else b
        for b in state.bookmarks
    )
    return replace(state, bookmarks=bookmarks)


def delete_bookmark(state: ReaderState, bookmark_id: str) -> ReaderState:
    """Remove a bookmark; an unknown id changes nothing."""
    bookmarks = tuple(b for b in state.bookmarks if b.id != bookmark_id)
    return replace(state, bookmarks=bookmarks)


def mark_read(state: ReaderState, section_id: str) -> ReaderState:
    """Record that a section has been read."""
    return replace(state, read_sections=state.read_sections | {section_id})


def mark_unread(state: ReaderState, section_id: str) -> ReaderState:
    """Forget that one section has been read."""
    return replace(state, read_sections=state.read_sections - {section_id})


def mark_all_unread(state: ReaderState) -> ReaderState:
    """Forget every read mark (bookmarks and place are kept)."""
    return replace(state, read_sections=frozenset())


def with_last_place(state: ReaderState, place: Place | None) -> ReaderState:
    """Remember where the reader is."""
    return replace(state, last_place=place)


def with_theme(state: ReaderState, theme: str | None) -> ReaderState:
    """Remember the chosen theme (None: the default)."""
    return replace(state, theme=theme)


# --------------------------------------------------------------------------
# Encoding


def encode_state(state: ReaderState) -> bytes:
    """The file contents for `state`.

    ASCII-only JSON: any string (even a lone surrogate) encodes, so saving can
    never fail on content.
    """
    # Small fields first and bookmarks last: a truncated file then still
    # keeps the place, the read marks and every bookmark before the cut.
    document = {
        "version": FORMAT_VERSION,
        "theme": state.theme,
        "last_place": _place_to_json(state.last_place) if state.last_place else None,
        "read_sections": sorted(state.read_sections),
        "bookmarks": [_bookmark_to_json(b) for b in state.bookmarks],
    }
    return (json.dumps(document, indent=2) + "\n").encode("ascii")


def _place_to_json(place: Place) -> dict[str, object]:
    return {"section_id": place.section_id, "anchor": place.anchor, "scroll_y": place.scroll_y}


def _bookmark_to_json(bookmark: Bookmark) -> dict[str, object]:
    return {
        "id": bookmark.id,
        "title": bookmark.title,
        "place": _place_to_json(bookmark.place),
        "created": bookmark.created,
    }


# --------------------------------------------------------------------------
# Decoding: keep every valid part, describe every broken one.


class _Invalid(ValueError):
    """One record of the file is unusable; the message says why."""


def decode_state(raw: bytes) -> tuple[ReaderState, list[str]]:
    """Read state file contents; returns the state and the problems found.

    Never raises. Each problem is a short phrase ("bookmark 3 has no 'title'");
    an empty list means the file was fine.
    """
    problems: list[str] = []
    text = _decode_text(raw, problems)
    if not text.strip():
        return ReaderState(), ["the file is empty"]
    document = _parse_json(text, problems)
    if document is None:
        return ReaderState(), problems
    if not isinstance(document, dict):
        problems.append(f"it holds {_kind(document)}, not an object")
        return ReaderState(), problems
    return _state_from(document, problems), problems


def _decode_text(raw: bytes, problems: list[str]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # A stray byte usually sits inside one string; decoding the rest keeps
        # every other bookmark.
        problems.append(f"it is not valid UTF-8 text (bad byte at offset {err.start})")
        return raw.decode("utf-8-sig", errors="replace")


def _parse_json(text: str, problems: list[str]) -> object | None:
    try:
        return _loads(text)
    except json.JSONDecodeError as err:
        problems.append(_json_problem(text, err))
        salvaged = _close_truncated(text[: err.pos])
    except (ValueError, RecursionError):
        # Absurd numbers (over 4300 digits) or nesting: nothing to salvage.
        problems.append("it is not valid JSON")
        return None
    if salvaged is None:
        return None
    try:
        return _loads(salvaged)
    except (ValueError, RecursionError):
        return None


def _json_problem(text: str, err: json.JSONDecodeError) -> str:
    # An unterminated string also runs to the end of the file.
    if err.pos >= len(text.rstrip()) or err.msg.startswith("Unterminated string"):
        return f"it is cut short (ends at line {err.lineno})"
    return f"it is not valid JSON at line {err.lineno}, column {err.colno} ({err.msg})"


def _loads(text: str) -> object:
    result: object = json.loads(text)
    return result


_STRUCTURE = re.compile(r'[\\"{}\[\],]')


def _close_truncated(text: str) -> str | None:
    """Turn the valid beginning of a JSON document into a whole document.

    `text` is what came before the first error (or the end of a truncated
    file). It is cut at the last point where every value so far is complete
    (just after an opening bracket, before a comma or after a closing one) and
    the brackets still open are closed, so the records before the damage
    survive.
    """
    stack: list[str] = []
    in_string = False
    escaped_until = 0
    cut: tuple[int, str] | None = None
    for match in _STRUCTURE.finditer(text):
        char, pos = match.group(), match.start()
        if pos < escaped_until:
            continue
        if in_string:
            if char == "\\":
                escaped_until = pos + 2
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
            if len(stack) > _MAX_SALVAGE_DEPTH:
                return None
            cut = (pos + 1, "".join(reversed(stack)))
        elif char in "}]":
            if not stack:
                return None
            stack.pop()
            cut = (pos + 1, "".join(reversed(stack)))
        elif char == "," and stack:
            cut = (pos, "".join(reversed(stack)))
    if cut is None:
        return None
    return text[: cut[0]] + cut[1]


def _kind(value: object) -> str:
    """How a JSON value is described in a warning."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _state_from(document: dict[str, object], problems: list[str]) -> ReaderState:
    _check_version(document.get("version", FORMAT_VERSION), problems)
    return ReaderState(
        last_place=_last_place_from(document.get("last_place"), problems),
        bookmarks=_bookmarks_from(document.get("bookmarks", []), problems),
        read_sections=_read_sections_from(document.get("read_sections", []), problems),
        theme=_theme_from(document.get("theme"), problems),
    )


def _check_version(version: object, problems: list[str]) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        problems.append(f"'version' is {_kind(version)}, not a number")
    elif version > FORMAT_VERSION:
        # Reading on is still useful; the .bad copy keeps what we can't see.
        problems.append(f"it was written by a newer ketaguide (format {version})")


def _last_place_from(value: object, problems: list[str]) -> Place | None:
    if value is None:
        return None
    try:
        return _place_from(value)
    except _Invalid as err:
        problems.append(f"the last reading place {err}")
        return None


def _bookmarks_from(value: object, problems: list[str]) -> tuple[Bookmark, ...]:
    if not isinstance(value, list):
        problems.append(f"'bookmarks' is {_kind(value)}, not a list")
        return ()
    bookmarks: list[Bookmark] = []
    seen: set[str] = set()
    for number, item in enumerate(value, start=1):
        try:
            bookmark = _bookmark_from(item)
        except _Invalid as err:
            problems.append(f"bookmark {number} {err}")
            continue
        if bookmark.id in seen:
            problems.append(f"bookmark {number} repeats the id of an earlier one")
            continue
        seen.add(bookmark.id)
        bookmarks.append(bookmark)
    if len(bookmarks) > MAX_BOOKMARKS:
        problems.append(f"it has {len(bookmarks)} bookmarks; kept the newest {MAX_BOOKMARKS}")
    return tuple(bookmarks[-MAX_BOOKMARKS:])


def _read_sections_from(value: object, problems: list[str]) -> frozenset[str]:
    if not isinstance(value, list):
        problems.append(f"'read_sections' is {_kind(value)}, not a list")
        return frozenset()
    sections = frozenset(item for item in value if isinstance(item, str) and item)
    skipped = len(value) - sum(1 for item in value if isinstance(item, str) and item)
    if skipped:
        problems.append(f"{skipped} read mark(s) are not section ids")
    return sections


def _theme_from(value: object, problems: list[str]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    problems.append(f"'theme' is {_kind(value)}, not text")
    return None


def _place_from(value: object) -> Place:
    fields = _require_object(value)
    section_id = _require_text(fields, "section_id")
    anchor = fields.get("anchor")
    if anchor is not None and not isinstance(anchor, str):
        raise _Invalid(f"has {_kind(anchor)} for 'anchor', not text")
    scroll_y = fields.get("scroll_y", 0)
    if isinstance(scroll_y, bool) or not isinstance(scroll_y, int) or scroll_y < 0:
        raise _Invalid("has a 'scroll_y' that is not a whole number of lines")
    return Place(section_id=section_id, anchor=anchor, scroll_y=scroll_y)


def _bookmark_from(value: object) -> Bookmark:
    fields = _require_object(value)
    bookmark_id = _require_text(fields, "id")
    title = _require_text(fields, "title", allow_empty=True)
    created = _require_text(fields, "created")
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise _Invalid("has a 'created' time that is not an ISO 8601 timestamp") from None
    if "place" not in fields:
        raise _Invalid("has no 'place'")
    try:
        place = _place_from(fields["place"])
    except _Invalid as err:
        raise _Invalid(f"has a place that {err}") from None
    # Hand-edited titles get the same cleaning as typed ones.
    title = clean_title(title, fallback=place.section_id)
    return Bookmark(id=bookmark_id, title=title, place=place, created=created)


def _require_object(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _Invalid(f"is {_kind(value)}, not an object")
    return value


def _require_text(fields: dict[str, object], key: str, *, allow_empty: bool = False) -> str:
    if key not in fields:
        raise _Invalid(f"has no '{key}'")
    value = fields[key]
    if not isinstance(value, str):
        raise _Invalid(f"has {_kind(value)} for '{key}', not text")
    if not value and not allow_empty:
        raise _Invalid(f"has an empty '{key}'")
    return value


# --------------------------------------------------------------------------
# The store


@dataclass
class _Disk:
    """What was found on disk at one moment."""

    status: Literal["missing", "ok", "damaged", "unreadable"]
    state: ReaderState = field(default_factory=ReaderState)
    problems: list[str] = field(default_factory=list)
    error: OSError | None = None
    worth_keeping: bool = False  # damaged but not empty: back it up first


class StateStore:
    """Loads and saves `ReaderState` in `<directory>/state.json`.

    `update` is the safe way to change state while other ketaguide windows
    may be open: it applies a change to what is on disk *now*, under a lock.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else state_dir()
        self.path = self.directory / STATE_FILE_NAME
        self.backup_path = self.directory / (STATE_FILE_NAME + ".bad")
        self.lock_path = self.directory / (STATE_FILE_NAME + ".lock")
        # The last state this store handed out, so a session keeps working in
        # memory when the disk can't be read or written.
        self._last = ReaderState()
        self._unsaved = False
        self._reported: set[str] = set()

    # ---- public API

    def load(self) -> tuple[ReaderState, list[str]]:
        """The saved state and warnings (empty when all is well); never raises.

        No lock is needed: writes replace the file atomically, so a reader
        always sees a whole file.
        """
        disk = self._read()
        warning = self._describe(disk)
        if warning:
            self._reported.add(warning)
        self._last = disk.state
        return disk.state, [warning] if warning else []

    def save(self, state: ReaderState) -> str | None:
        """Write `state` over the file; None on success, else one warning.

        Prefer `update` for changes: `save` overwrites whatever another
        window saved meanwhile.
        """
        with self._exclusive() as lock_error:
            warning = self._cannot_save(lock_error) if lock_error else self._write(state)
        self._remember(state, warning)
        return warning

    def update(
        self, change: Callable[[ReaderState], ReaderState]
    ) -> tuple[ReaderState, str | None]:
        """Apply `change` to the state on disk and save it, under a lock.

        `change` must be a pure function of the state it is given (e.g.
        `lambda s: mark_read(s, "dosing")`): it may see another window's
        latest changes rather than this window's copy. Returns the new state
        and None, or the new state (kept in memory) and one warning.
        """
        with self._exclusive() as lock_error:
            disk = self._read()
            new_state = change(self._base(disk))
            if lock_error:
                warning: str | None = self._cannot_save(lock_error)
            else:
                warning = self._write_over(new_state, disk)
        warnings = [w for w in (self._unreported(disk), warning) if w]
        self._remember(new_state, warning)
        return new_state, "\n".join(warnings) or None

    # ---- reading

    def _read(self) -> _Disk:
        try:
            raw = self._read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return _Disk("missing")
        except OSError as err:
            return _Disk("unreadable", error=err)
        except _Invalid as err:
            return _Disk("damaged", problems=[str(err)], worth_keeping=True)
        state, problems = decode_state(raw)
        if not problems:
            return _Disk("ok", state)
        return _Disk("damaged", state, problems, worth_keeping=bool(raw.strip()))

    def _read_bytes(self) -> bytes:
        with open(self.path, "rb") as file:
            raw = file.read(_MAX_FILE_BYTES + 1)
        if len(raw) > _MAX_FILE_BYTES:
            raise _Invalid(f"it is larger than {_MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return raw

    def _base(self, disk: _Disk) -> ReaderState:
        """The state a change applies to.

        The disk is the truth when it can be read; otherwise (unreadable, or
        missing because our saves fail) the session's own state is, so a
        reader on a read-only disk still keeps this session's bookmarks.
        """
        if disk.status == "unreadable" or (disk.status == "missing" and self._unsaved):
            return self._last
        return disk.state

    def _describe(self, disk: _Disk) -> str | None:
        if disk.status == "unreadable":
            return (
                f"Can't read reading progress from {self.path}: {_reason(disk.error)}. "
                "Starting without it; the file will be left untouched."
            )
        if disk.status != "damaged":
            return None
        details = _list_problems(disk.problems)
        if not disk.worth_keeping:
            return f"Reading progress in {self.path} was lost ({details}). Starting afresh."
        return (
            f"Reading progress in {self.path} is damaged ({details}). Kept everything "
            f"that could be read; the damaged file will be kept as {self.backup_path.name} "
            "when progress is next saved."
        )

    def _unreported(self, disk: _Disk) -> str | None:
        """A problem with the file that `load` has not already told the user."""
        warning = self._describe(disk)
        if warning is None or warning in self._reported:
            return None
        self._reported.add(warning)
        return warning

    # ---- writing (callers hold the lock)

    def _write(self, state: ReaderState) -> str | None:
        return self._write_over(state, self._read())

    def _write_over(self, state: ReaderState, disk: _Disk) -> str | None:
        if disk.status == "unreadable":
            # Replacing a file we could not read could destroy progress.
            return (
                f"Can't save reading progress: {self.path} can't be read "
                f"({_reason(disk.error)}), so it was left as it is."
            )
        if disk.worth_keeping:
            try:
                self._keep_damaged_copy()
            except OSError as err:
                return (
                    f"Can't save reading progress: couldn't keep a copy of the damaged "
                    f"{self.path} as {self.backup_path.name} ({_reason(err)}), "
                    "so it was left as it is."
                )
        try:
            self._write_atomically(encode_state(state))
        except OSError as err:
            return self._cannot_save(err)
        return None

    def _write_atomically(self, data: bytes) -> None:
        # Same folder as the target: os.replace is only atomic within one
        # filesystem. mkstemp creates the file 0600; reading notes are private.
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{STATE_FILE_NAME}.", suffix=".tmp", dir=self.directory
        )
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp_name)
            raise
        _fsync_directory(self.directory)

    def _keep_damaged_copy(self) -> None:
        """Copy state.json to state.json.bad, replacing any older copy atomically."""
        temp = self.directory / f".{self.backup_path.name}.{uuid.uuid4().hex}.tmp"
        try:
            # A hard link is instant and atomic however big the file is; the
            # copy is for filesystems without links.
            try:
                os.link(self.path, temp)
            except OSError:
                shutil.copyfile(self.path, temp)
            os.replace(temp, self.backup_path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise

    @contextmanager
    def _exclusive(self) -> Iterator[OSError | None]:
        """Hold the lock file; yields the error if the folder can't hold one.

        flock is per open file, so separate windows, processes and threads
        all exclude each other. Without fcntl (Windows) or where flock is not
        supported, writes are still atomic; only concurrent merges are lost.
        """
        fd = self._open_lock_file()
        if isinstance(fd, OSError):
            yield fd
            return
        try:
            if sys.platform != "win32":
                with suppress(OSError):  # e.g. ENOLCK on some network filesystems
                    fcntl.flock(fd, fcntl.LOCK_EX)
            yield None
        finally:
            os.close(fd)  # also releases the lock

    def _open_lock_file(self) -> int | OSError:
        """A descriptor for the lock file, or why the folder can't hold one."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as err:
            return err

    def _cannot_save(self, err: OSError) -> str:
        return _save_failure(self.directory, self.path, err)

    def _remember(self, state: ReaderState, warning: str | None) -> None:
        self._last = state
        self._unsaved = warning is not None


# --------------------------------------------------------------------------
# Messages and small OS helpers

_NOT_WRITABLE = {"EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST"}


def _save_failure(directory: Path, path: Path, err: OSError) -> str:
    name = errno.errorcode.get(err.errno or 0, "")
    if name in _NOT_WRITABLE:
        return f"Can't save reading progress: {directory} is not writable ({_reason(err)})."
    if name in {"ENOSPC", "EDQUOT"}:
        return f"Can't save reading progress to {path}: the disk is full."
    return f"Can't save reading progress to {path}: {_reason(err)}."


def _reason(err: OSError | None) -> str:
    if err is None:
        return "unknown error"
    return err.strerror or str(err) or type(err).__name__


def _list_problems(problems: list[str]) -> str:
    listed = "; ".join(problems[:_MAX_LISTED_PROBLEMS])
    extra = len(problems) - _MAX_LISTED_PROBLEMS
    return f"{listed}; and {extra} more problem(s)" if extra > 0 else listed


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; best effort (not possible everywhere)."""
    if sys.platform == "win32":
        return
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
