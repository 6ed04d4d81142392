"""What the screens are given to work with: the guide, search, saved state and keys.

The app builds one `Services` and hands it to the screens that need it; the
command palette's providers, which Textual builds itself, reach it through
their screen with `services_of`. Screens read from it and post messages
(`tui.messages`) to change anything; only the app writes to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.state import ReaderState, StateStore, read_status

if TYPE_CHECKING:
    # Imported when first used: start-up does not need the search engine.
    from ketaguide_tui.search.index import SearchIndex
    from ketaguide_tui.tui.first_screens import FirstScreens


@dataclass
class Services:
    """The reader's data, shared by the app and its screens."""

    guide: Guide
    store: StateStore
    state: ReaderState
    """The saved state as last loaded or changed (the app replaces it on each change)."""
    keymap: Mapping[str, str]
    """Command id -> the keys in force (defaults with the user's rebinding)."""
    search_index: SearchIndex | None = None
    """None until the index has been built in its worker."""
    today: Callable[[], date] = date.today
    """Today's date, for review status (tests pass a fixed one)."""
    first_screens: FirstScreens | None = None
    """Sections' first screens kept rendered between runs (None when not kept)."""

    def read_marks(self) -> tuple[frozenset[str], frozenset[str]]:
        """(sections read, sections reviewed again since they were read)."""
        # Only the sections marked read are looked at: a cached section's fields are
        # decoded when first read, and the reader starts before most of them are.
        guide = self.guide
        reviewed = {
            section.id: section.reviewed.isoformat()
            for section in (guide.get(section_id) for section_id, _ in self.state.read_reviewed)
            if section is not None
        }
        return read_status(self.state, reviewed)


def services_of(screen: object) -> Services:
    """The services of a screen that was given them (the typed way in for palette providers)."""
    services = getattr(screen, "services", None)
    if not isinstance(services, Services):
        raise LookupError(f"{type(screen).__name__} was not given the reader's services")
    return services
