"""Back and forward between places visited, like a web browser's history.

Generic over the kind of place so it needs nothing from the reader; the reader
stores `state.Place` values in it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

PlaceT = TypeVar("PlaceT")

MAX_PLACES = 200


class History(Generic[PlaceT]):
    """Places behind and ahead of the current one."""

    def __init__(self) -> None:
        self._behind: list[PlaceT] = []
        self._ahead: list[PlaceT] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self._behind)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._ahead)

    def leave(self, place: PlaceT) -> None:
        """Record `place` as left for somewhere new (which clears the way forward)."""
        if not self._behind or self._behind[-1] != place:
            self._behind.append(place)
            del self._behind[:-MAX_PLACES]
        self._ahead.clear()

    def back(self, current: PlaceT) -> PlaceT | None:
        """The place to return to; `current` becomes the way forward."""
        if not self._behind:
            return None
        self._ahead.append(current)
        return self._behind.pop()

    def forward(self, current: PlaceT) -> PlaceT | None:
        """The place to go forward to; `current` becomes the way back."""
        if not self._ahead:
            return None
        self._behind.append(current)
        return self._ahead.pop()
