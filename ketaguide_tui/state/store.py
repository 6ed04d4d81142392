"""The state file: loaded and saved atomically under a lock, salvaged when damaged.

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

The bytes are made and read by `state.codec`; no Textual import here.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ketaguide_tui.bounded_read import read_at_most
from ketaguide_tui.paths import state_dir
from ketaguide_tui.state.codec import Invalid, decode_state_file, encode_state_file
from ketaguide_tui.state.folders import FolderKey, StateFile, state_for, with_state
from ketaguide_tui.state.model import ReaderState

if sys.platform != "win32":
    import fcntl

STATE_FILE_NAME = "state.json"

# Far beyond any real state (500 bookmarks are a few hundred KiB); a bigger file
# is not ours, and reading it whole could exhaust memory.
_MAX_FILE_BYTES = 8 * 1024 * 1024
# A warning lists this many problems, then counts the rest.
_MAX_LISTED_PROBLEMS = 4


@dataclass
class _Disk:
    """What was found on disk at one moment."""

    status: Literal["missing", "ok", "damaged", "unreadable"]
    file: StateFile = field(default_factory=StateFile)
    problems: list[str] = field(default_factory=list)
    error: OSError | None = None
    worth_keeping: bool = False  # damaged but not empty: back it up first


class StateStore:
    """Loads and saves one content folder's `ReaderState` in `<directory>/state.json`.

    `folder` is the key from `state.folders.folder_key` (None: the bundled
    guide); the other folders' states in the file are kept as they are.
    `update` is the safe way to change state while other ketaguide windows
    may be open: it applies a change to what is on disk *now*, under a lock.
    """

    def __init__(self, directory: Path | None = None, folder: FolderKey = None) -> None:
        self.directory = directory if directory is not None else state_dir()
        self.folder = folder
        self.path = self.directory / STATE_FILE_NAME
        self.backup_path = self.directory / (STATE_FILE_NAME + ".bad")
        self.lock_path = self.directory / (STATE_FILE_NAME + ".lock")
        # The last state this store handed out, so a session keeps working in
        # memory when the disk can't be read or written.
        self._last = ReaderState()
        self._last_file = StateFile()
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
        state = state_for(disk.file, self.folder)
        self._last, self._last_file = state, disk.file
        return state, [warning] if warning else []

    def save(self, state: ReaderState) -> str | None:
        """Write `state` over the file; None on success, else one warning.

        Prefer `update` for changes: `save` overwrites whatever another
        window saved meanwhile.
        """
        with self._exclusive() as lock_error:
            disk = self._read()
            file = self._with(disk, state)
            warning = self._cannot_save(lock_error) if lock_error else self._write_over(file, disk)
        self._remember(state, file, warning)
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
            new_state = change(state_for(self._base(disk), self.folder))
            file = self._with(disk, new_state)
            if lock_error:
                warning: str | None = self._cannot_save(lock_error)
            else:
                warning = self._write_over(file, disk)
        warnings = [w for w in (self._unreported(disk), warning) if w]
        self._remember(new_state, file, warning)
        return new_state, "\n".join(warnings) or None

    # ---- reading

    def _read(self) -> _Disk:
        try:
            raw = self._read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return _Disk("missing")
        except OSError as err:
            return _Disk("unreadable", error=err)
        except Invalid as err:
            return _Disk("damaged", problems=[str(err)], worth_keeping=True)
        file, problems = decode_state_file(raw)
        if not problems:
            return _Disk("ok", file)
        return _Disk("damaged", file, problems, worth_keeping=bool(raw.strip()))

    def _read_bytes(self) -> bytes:
        with open(self.path, "rb") as file:
            raw = read_at_most(file, _MAX_FILE_BYTES)
        if len(raw) > _MAX_FILE_BYTES:
            raise Invalid(f"it is larger than {_MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return raw

    def _base(self, disk: _Disk) -> StateFile:
        """The state a change applies to.

        The disk is the truth when it can be read; otherwise (unreadable, or
        missing because our saves fail) the session's own state is, so a
        reader on a read-only disk still keeps this session's bookmarks.
        """
        if disk.status == "unreadable" or (disk.status == "missing" and self._unsaved):
            return self._last_file
        return disk.file

    def _with(self, disk: _Disk, state: ReaderState) -> StateFile:
        """What to write: this folder's `state`, every other folder's as found."""
        return with_state(self._base(disk), self.folder, state)

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

    def _write_over(self, file: StateFile, disk: _Disk) -> str | None:
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
            self._write_atomically(encode_state_file(file))
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

    def _remember(self, state: ReaderState, file: StateFile, warning: str | None) -> None:
        self._last, self._last_file = state, file
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
