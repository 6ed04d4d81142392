"""The status line under the text while marks are shown: which match, of what, and the keys."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def match_text(current: int, total: int, counted: int | None = None, find: str = "") -> str:
    """What the status line says: "match 3 of 7 in this section", for a find also what
    was looked for; `counted` is the whole section's count while only part is marked."""
    whole = max(total, counted or 0)
    what = f" of “{find}”" if find else ""
    if not whole:
        return f" No match{what} in this section · Esc closes" if find else ""
    where = f"match {current} of {whole}" if current else f"{whole} matches"
    more = " (marking the rest as it is drawn)" if counted is not None and counted > total else ""
    return f" {where}{what} in this section{more} · n next · N previous · Esc clears marks"


class MatchStatus(Static):
    """Shows "match 2 of 7 in this section" and the keys that step through matches; hidden
    without marks."""

    def show_matches(
        self, current: int, total: int, counted: int | None = None, find: str = ""
    ) -> None:
        """Show the count (`current` is 0 when no match is current yet); hide when none
        (unless a find is open: then say it found nothing)."""
        text = match_text(current, total, counted, find)
        self.update(Content(text))
        self.display = bool(text)
