"""What the reader remembers between runs: place, bookmarks, read marks, theme and questions.

`model` holds the data and the pure changes to it, `folders` one state per
content folder, `codec` the JSON that keeps every valid part (and the keys a
newer version wrote), `store` the locked, atomic file; `history` is back/forward.
"""

from ketaguide_tui.paths import STATE_DIR_ENV, state_dir
from ketaguide_tui.state.codec import (
    FORMAT_VERSION,
    decode_state,
    decode_state_file,
    encode_state,
    encode_state_file,
)
from ketaguide_tui.state.folders import FolderKey, StateFile, folder_key
from ketaguide_tui.state.model import (
    MAX_BOOKMARKS,
    MAX_TITLE_LENGTH,
    Bookmark,
    Place,
    ReaderState,
    add_bookmark,
    bookmark_dropped_by_adding,
    clean_title,
    delete_bookmark,
    find_bookmark,
    mark_all_unread,
    mark_read,
    mark_unread,
    read_status,
    rename_bookmark,
    with_last_place,
    with_questions,
    with_theme,
)
from ketaguide_tui.state.questions import (
    MAX_QUESTIONS,
    Question,
    add_question,
    delete_question,
    edit_question,
    move_question,
    new_question,
    tick_question,
)
from ketaguide_tui.state.store import StateStore

__all__ = [
    "FORMAT_VERSION",
    "MAX_BOOKMARKS",
    "MAX_QUESTIONS",
    "MAX_TITLE_LENGTH",
    "STATE_DIR_ENV",
    "Bookmark",
    "FolderKey",
    "StateFile",
    "Place",
    "Question",
    "ReaderState",
    "StateStore",
    "add_bookmark",
    "bookmark_dropped_by_adding",
    "add_question",
    "clean_title",
    "decode_state",
    "decode_state_file",
    "delete_bookmark",
    "delete_question",
    "edit_question",
    "encode_state",
    "encode_state_file",
    "find_bookmark",
    "folder_key",
    "mark_all_unread",
    "mark_read",
    "mark_unread",
    "move_question",
    "new_question",
    "read_status",
    "rename_bookmark",
    "state_dir",
    "tick_question",
    "with_last_place",
    "with_questions",
    "with_theme",
]
