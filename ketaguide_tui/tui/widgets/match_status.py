"""The status line under the text while search marks are shown: which match, and the keys."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class MatchStatus(Static):
    """Shows "match 2 of 7" and the keys that step through matches; hidden without marks."""

    def show_matches(self, current: int, total: int) -> None:
        """Show the count (`current` is 0 when no match is current yet); hide when none."""
        if total:
            where = f"match {current} of {total}" if current else "matches"
            self.update(Content(f" {where} · n next · N previous · Esc clears marks"))
        else:
            self.update(Content(""))
        self.display = bool(total)
