"""What the reader is told after a bookmark is added: only what really happened.

"Bookmarked" is said only once the bookmark is on disk; a failed save says the
bookmark lasts only until the reader quits, and why; when the 500-bookmark cap
drops the oldest bookmark, the notice names it.
"""

from __future__ import annotations

from ketaguide_tui.state import MAX_BOOKMARKS, Bookmark


def bookmark_notice(title: str, dropped: Bookmark | None, save_warning: str | None) -> str:
    """The notice for a bookmark just added (the text may come from content: never markup)."""
    if save_warning:
        return f"Bookmark not saved: {title}. It is kept only until you quit. {save_warning}"
    notice = f"Bookmarked: {title}"
    if dropped is not None:
        notice += (
            f". You had {MAX_BOOKMARKS} bookmarks, the most kept, so the oldest one, "
            f"{dropped.title}, was removed."
        )
    return notice
