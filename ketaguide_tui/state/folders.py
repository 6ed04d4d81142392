"""State kept per content folder: the bundled guide's apart from any `--content` folder's.

Bookmarks, read marks and the reading place name sections of one guide; read
against another folder they would point at the wrong text. So the state file
holds one `ReaderState` per folder: the bundled guide's under the key None
(stored at the top level of the file, where format 1 kept it, so an old file
needs no migration), any other folder's under its resolved path. The theme is
the reader's, not the folder's: it is kept once, with the bundled guide's state.
No Textual import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ketaguide_tui.guide.model import bundled_content_dir
from ketaguide_tui.state.model import ReaderState

FolderKey = str | None
"""None for the bundled guide, else a content folder's resolved path."""


@dataclass(frozen=True)
class StateFile:
    """Everything in the state file: each content folder's state."""

    bundled: ReaderState = field(default_factory=ReaderState)
    """The bundled guide's state; its theme and unknown keys are the file's."""
    folders: Mapping[str, ReaderState] = field(default_factory=dict)
    """Other content folders' states, by resolved path (their theme is unused)."""


def folder_key(root: Path) -> FolderKey:
    """The key a content folder's state is kept under."""
    resolved = root.resolve()
    if resolved == bundled_content_dir().resolve():
        return None
    return str(resolved)


def state_for(file: StateFile, key: FolderKey) -> ReaderState:
    """One folder's state, with the reader's theme."""
    if key is None:
        return file.bundled
    return replace(file.folders.get(key, ReaderState()), theme=file.bundled.theme)


def with_state(file: StateFile, key: FolderKey, state: ReaderState) -> StateFile:
    """The file with one folder's state replaced (and the theme it carries)."""
    if key is None:
        return replace(file, bundled=state)
    folders = {**file.folders, key: replace(state, theme=None)}
    return StateFile(replace(file.bundled, theme=state.theme), folders)
