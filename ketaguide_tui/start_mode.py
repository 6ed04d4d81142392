"""Which reader `ketaguide` starts: full-screen, linear, or the open section printed once.

One table decides, read top to bottom; the first row whose condition holds
wins. The README prints the same table (a test keeps the two the same), so
what happens with a pipe, a redirected file, `TERM=dumb`, `ACCESSIBLE=1` or no
terminal at all is written down, not discovered.

Why these rows: the full-screen reader needs keys from a terminal on standard
input and a terminal to draw on (Textual draws on standard error), and a
terminal that understands escape codes; without them it would draw a screen
nobody sees or wait for keys that never come. The linear reader needs only
lines in and lines out, so it works everywhere else; when keys come from a
terminal but output goes to a file or a pager, nobody would see a prompt, so
the open section is printed once instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Mode(Enum):
    """How the reader starts."""

    FULL_SCREEN = "full-screen"
    """The full-screen reader (Textual)."""
    LINEAR = "linear"
    """The open section as plain lines, then numbered choices read from standard input
    one line at a time; the end of input quits, keeping the place."""
    PRINT = "printed once"
    """The open section as plain lines, with no prompt; a note on standard error says how
    to read on."""


@dataclass(frozen=True)
class Surroundings:
    """What the decision looks at."""

    linear_asked: bool
    """`--linear` was given."""
    stdin_tty: bool
    stdout_tty: bool
    stderr_tty: bool
    term: str
    """$TERM ("" when unset)."""
    accessible: str
    """$ACCESSIBLE ("" when unset)."""
    served: bool
    """Run by `ketaguide serve` for a browser ($TEXTUAL_DRIVER is set)."""

    @classmethod
    def now(cls, linear_asked: bool) -> Surroundings:
        """The surroundings of this process."""
        return cls(
            linear_asked=linear_asked,
            stdin_tty=_is_tty(sys.stdin),
            stdout_tty=_is_tty(sys.stdout),
            stderr_tty=_is_tty(sys.stderr),
            term=os.environ.get("TERM", ""),
            accessible=os.environ.get("ACCESSIBLE", ""),
            served=bool(os.environ.get("TEXTUAL_DRIVER")),
        )


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed stream
        return False


@dataclass(frozen=True)
class Row:
    """One row of the table: when it applies, in words and as a test, and the mode."""

    when: str
    applies: Callable[[Surroundings], bool]
    mode: Mode


START_MODES: tuple[Row, ...] = (
    Row("served to a browser by `ketaguide serve`", lambda s: s.served, Mode.FULL_SCREEN),
    Row("`--linear` is given", lambda s: s.linear_asked, Mode.LINEAR),
    Row(
        "`ACCESSIBLE` is set (to anything but empty or `0`)",
        lambda s: s.accessible not in ("", "0"),
        Mode.LINEAR,
    ),
    Row("`TERM=dumb`", lambda s: s.term == "dumb", Mode.LINEAR),
    Row(
        "standard input is a terminal but standard output is not (`ketaguide > file`, or"
        " piped into a pager)",
        lambda s: s.stdin_tty and not s.stdout_tty,
        Mode.PRINT,
    ),
    Row(
        "standard input is not a terminal (a pipe, a file, `< /dev/null`, no terminal at all)",
        lambda s: not s.stdin_tty,
        Mode.LINEAR,
    ),
    Row(
        "standard error is not a terminal (`ketaguide 2> log`: the full-screen reader draws there)",
        lambda s: not s.stderr_tty,
        Mode.LINEAR,
    ),
    Row("otherwise: input, output and error are all a terminal", lambda s: True, Mode.FULL_SCREEN),
)


def start_mode(surroundings: Surroundings) -> tuple[Mode, Row]:
    """The mode to start in, and the row of the table that chose it."""
    row = next(row for row in START_MODES if row.applies(surroundings))
    return row.mode, row


def markdown_table() -> str:
    """The table as the README shows it."""
    lines = ["| # | When | The reader starts as |", "|---|---|---|"]
    for number, row in enumerate(START_MODES, 1):
        lines.append(f"| {number} | {row.when} | {row.mode.value} |")
    return "\n".join(lines) + "\n"
