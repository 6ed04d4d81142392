"""Heading anchors ("slugs"), computed the way the reader's viewer computes them.

The rules follow GitHub-flavoured Markdown as Textual's Markdown widget does
(lower-case, punctuation and emoji removed, whitespace to dashes, repeats
numbered `-1`, `-2`...). Slugs here stay unquoted; links are unquoted before
they are compared, so `#guimarães-2022` and `#guimar%C3%A3es-2022` are the same.
"""

from __future__ import annotations

import re
from collections import defaultdict
from string import punctuation
from urllib.parse import unquote

_REMOVABLE = re.escape(punctuation.replace("-", "").replace("_", ""))
_NONLINGUAL = (
    "\U000024c2-\U0001f251"
    "\U00002702-\U000027b0"
    "\U0001f1e0-\U0001f1ff"
    "\U0001f300-\U0001f5ff"
    "\U0001f600-\U0001f64f"
    "\U0001f680-\U0001f6ff"
    "\U0001f900-\U0001f9ff"
    "\u200d"
    "\u2640-\u2642"
)
_STRIP = re.compile(f"[{_REMOVABLE}{_NONLINGUAL}]+")
_WHITESPACE = re.compile(r"\s")


def slug(text: str) -> str:
    """The anchor for a heading with this text (before de-duplication)."""
    result = text.strip().lower()
    result = _STRIP.sub("", result)
    return _WHITESPACE.sub("-", result)


def normalize_anchor(anchor: str) -> str:
    """An anchor as written in a link, made comparable with `slug` output."""
    return unquote(anchor).strip().lower()


class SlugTracker:
    """Hands out unique slugs for the headings of one document, in order."""

    def __init__(self) -> None:
        self._used: defaultdict[str, int] = defaultdict(int)

    def slug(self, text: str) -> str:
        """The unique anchor for the next heading with this text."""
        base = slug(text)
        used = self._used[base]
        self._used[base] += 1
        return f"{base}-{used}" if used else base
