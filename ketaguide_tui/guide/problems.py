"""What can be wrong with a content folder, located for `file:line: message`.

A `Problem` makes `check` fail; a warning (a `Problem` with `warning=True`) is
shown but fails `check` only with `--strict` (a review date that passed, for
example, should not break a build the day it passes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ketaguide_tui.guide.text_safety import clean_line, describe, visible

MAX_REMOVAL_REPORTS = 20
"""Lines with removed characters reported per file; the rest are counted in one more."""


class ContentError(Exception):
    """The content folder as a whole cannot be used (missing, empty, unreadable)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located for `file:line: message`."""

    path: Path
    """The file with the problem."""
    line: int
    """1-based line number in the file (1 when the problem is the whole file)."""
    message: str
    """What is wrong, in words a content author understands."""
    warning: bool = False
    """True for something to look at that does not fail `check` (unless `--strict`)."""

    def __str__(self) -> str:
        # File names and messages may quote content: both are made safe to print.
        kind = "warning: " if self.warning else ""
        return f"{visible(str(self.path))}:{self.line}: {kind}{clean_line(self.message)}"


def removal_problems(
    path: Path, found: Iterable[tuple[int, str]], where: str = ""
) -> list[Problem]:
    """One problem per line naming the characters cleaning removed there.

    `found` holds (line, removed characters); `where` says what was cleaned
    ("'title' " for a front matter value), for a line that holds several things.
    """
    by_line: dict[int, list[str]] = {}
    for line, characters in found:
        by_line.setdefault(line, []).append(characters)
    problems: list[Problem] = []
    for line, parts in sorted(by_line.items())[:MAX_REMOVAL_REPORTS]:
        counts: dict[str, int] = {}
        for character in "".join(parts):
            counts[character] = counts.get(character, 0) + 1
        names = ", ".join(
            describe(character) + (f" (x{count})" if count > 1 else "")
            for character, count in counts.items()
        )
        message = f"{where}control characters or escape sequences were removed: {names}"
        problems.append(Problem(path, line, message))
    if len(by_line) > MAX_REMOVAL_REPORTS:
        rest = len(by_line) - MAX_REMOVAL_REPORTS
        first = sorted(by_line)[MAX_REMOVAL_REPORTS]
        problems.append(Problem(path, first, f"control characters removed on {rest} more lines"))
    return problems
