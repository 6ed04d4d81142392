"""The first screenful of the sections opened last, kept rendered from one run to the next.

Rendering a section's first blocks with Rich's Markdown needs markdown-it, Rich's
Markdown and Pygments imported first: a fifth of the reader's start-up before its
first frame (docs/speed.md). So the reader keeps the first lines it drew of the
last few sections it opened in a file in the cache folder, and the next start
draws those instead; Rich's Markdown is imported after the first frame, to render
the rest of the section as usual.

The file is untrusted input, like the rest of the cache (`guide.cache_file`):

* A kept screen is used only for a section whose file has the same digest, at
  the same width, in the same colours, on the same date and with the same
  "updated since read" flag, written by this version of ketaguide with the same
  renderer and the same Rich (the sizes and times of their files).
* Every line is checked before use: its text must be free of control characters
  (`clean` leaves it as it is), its styles must be ones Rich parses, and a link is
  kept as its target and made into a click action here, as a fresh render makes
  it: a damaged or hostile file cannot make a click do anything else.
* Anything wrong means "nothing kept": the section is rendered as usual.
* The file is written aside and moved over the old one; a failure to write (a
  read-only folder, a full disk) is ignored.

The guide must have been loaded through the cache (`Guide.digests`): with
`--no-cache` nothing is kept.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import astuple
from datetime import date
from pathlib import Path
from typing import Any

import rich
from rich.errors import StyleSyntaxError
from rich.segment import Segment
from rich.style import Style

from ketaguide_tui import __version__
from ketaguide_tui.bounded_read import read_at_most
from ketaguide_tui.guide.cache_folder import cache_path, replace_whole
from ketaguide_tui.guide.model import Guide
from ketaguide_tui.guide.text_safety import clean
from ketaguide_tui.tui import rendering
from ketaguide_tui.tui.rendering import BLANK, Line, Palette, RenderedSection, RenderedStart

FORMAT = 1
"""Bumped whenever the file's shape changes: older files are then ignored."""
KIND = "first-screens"
KEPT = 4
"""Screens kept: the sections opened last (or one section at several widths)."""
MAX_BYTES = 1024 * 1024
"""A file longer than this is not read."""
MAX_LINES = 400
"""A kept screen with more lines than this is not used (a screen is tens of lines)."""
MAX_LINE_CHARS = 2000
_CLICK = "follow_link({!r})"
"""The click action a link gets (`rendering._link_action`)."""

Encoded = list[list[str]]
"""A line as kept: one [text], [text, style] or [text, style, link target] per segment."""


def renderer_identity() -> list[object]:
    """What the lines depend on besides the section: this version, and the sizes and
    modification times of the renderer's and Rich's files (so an upgrade of either,
    or an edited copy, does not reuse lines drawn by the old one)."""
    rich_folder = Path(rich.__file__).parent
    files = [Path(rendering.__file__), rich_folder / "markdown.py", rich_folder / "text.py"]
    identity: list[object] = [FORMAT, __version__]
    for file in files:
        status = os.stat(file)
        identity.append([status.st_size, status.st_mtime_ns])
    return identity


def screen_key(
    section_id: str, digest: str, width: int, palette: Palette, today: date | None, updated: bool
) -> str:
    """Everything a section's rendered lines depend on, as one string."""
    day = today.isoformat() if today is not None else None
    return json.dumps([section_id, digest, width, list(astuple(palette)), day, updated])


class FirstScreens:
    """Kept first screens of one content folder: read once at start, written when changed."""

    def __init__(self, guide: Guide, path: Path | None = None) -> None:
        """Read the kept screens of `guide` (none when it was not loaded through the cache,
        or the file is missing, damaged, or from another version or renderer)."""
        self._digests: Mapping[str, str] = guide.digests
        self._root = str(guide.root)
        self.path = path if path is not None else cache_path(guide.root, KIND, ".json")
        self._screens: dict[str, dict[str, Any]] = {}
        self._identity: list[object] | None = None
        if self._digests:
            self._screens = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.path, "rb") as file:
                data = json.loads(read_at_most(file, MAX_BYTES + 1))
            identity = renderer_identity()
        except (OSError, ValueError):
            return {}
        self._identity = identity
        if (
            not isinstance(data, dict)
            or data.get("root") != self._root
            or data.get("renderer") != identity
            or not isinstance(data.get("screens"), list)
        ):
            return {}
        screens = {}
        for screen in data["screens"][:KEPT]:
            if isinstance(screen, dict) and isinstance(screen.get("key"), str):
                screens[screen["key"]] = screen
        return screens

    def key(self, rendered: RenderedSection) -> str | None:
        """The key of this rendering of a section, or None when its digest is unknown."""
        digest = self._digests.get(rendered.section.id)
        if digest is None:
            return None
        return screen_key(
            rendered.section.id,
            digest,
            rendered.width,
            rendered.palette,
            rendered.today,
            rendered.updated,
        )

    def take_up(self, rendered: RenderedSection) -> bool:
        """Give a newly made `rendered` its kept first lines; True if there were some."""
        key = self.key(rendered)
        screen = self._screens.get(key) if key is not None else None
        if screen is None:
            return False
        start = decode_start(screen)
        return start is not None and rendered.resume(start)

    def keep(self, rendered: RenderedSection, count: int) -> bytes | None:
        """Keep the first `count` lines (whole blocks) of `rendered`, the section opened
        last; the file's new content, or None when nothing changed or they cannot be kept."""
        key = self.key(rendered)
        if key is None:
            return None
        kept = self._screens.get(key)
        if kept is not None and len(kept.get("lines", ())) >= count:
            # Already kept, and long enough: only move it to the front.
            if next(iter(self._screens)) == key:
                return None
            screen: dict[str, Any] | None = kept
        else:
            start = rendered.start(count)
            screen = encode_start(start, key) if start is not None else None
        if screen is None:
            return None
        self._screens = {key: screen, **{k: v for k, v in self._screens.items() if k != key}}
        while len(self._screens) > KEPT:
            self._screens.pop(next(reversed(self._screens)))
        if self._identity is None:
            try:
                self._identity = renderer_identity()
            except OSError:
                return None
        document = {
            "format": FORMAT,
            "root": self._root,
            "renderer": self._identity,
            "screens": list(self._screens.values()),
        }
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return data if len(data) <= MAX_BYTES else None

    def save(self, data: bytes) -> None:
        """Write what `keep` returned (in a worker thread: it touches no widget)."""
        # A cache that cannot be written is only a slower start next time.
        with contextlib.suppress(OSError):
            replace_whole(self.path, data)


# Lines as JSON ----------------------------------------------------------------


def encode_start(start: RenderedStart, key: str) -> dict[str, Any] | None:
    """`start` as JSON data, or None when a segment cannot be kept (a control
    segment, or a style carrying something other than a link's click action)."""
    lines = []
    for line in start.lines:
        encoded = _encode_line(line)
        if encoded is None:
            return None
        lines.append(encoded)
    return {
        "key": key,
        "blocks": start.blocks,
        "body_start": start.body_start,
        "lines": lines,
        "anchors": [[anchor, line] for anchor, line in start.anchor_lines.items()],
        "headings": [[line, anchor] for line, anchor in start.heading_lines],
    }


def _encode_line(line: Line) -> Encoded | None:
    encoded: Encoded = []
    for segment in line:
        if segment.control:
            return None
        style = segment.style
        if style is None:
            encoded.append([segment.text])
            continue
        if style.link:
            return None
        meta = style.meta
        if not meta:
            encoded.append([segment.text, str(style)])
            continue
        target = _link_target(meta)
        if target is None:
            return None
        encoded.append([segment.text, str(style.clear_meta_and_links()), target])
    return encoded


def _link_target(meta: Mapping[str, Any]) -> str | None:
    """The target of a link's click action, or None if `meta` holds anything else."""
    action = meta.get("@click")
    if set(meta) != {"@click"} or not isinstance(action, str):
        return None
    prefix, suffix = _CLICK.split("{!r}")
    if not (action.startswith(prefix) and action.endswith(suffix)):
        return None
    try:
        target = ast.literal_eval(action[len(prefix) : -len(suffix)])
    except (ValueError, SyntaxError):
        return None
    return target if isinstance(target, str) and _CLICK.format(target) == action else None


def decode_start(screen: Mapping[str, Any]) -> RenderedStart | None:
    """A kept screen checked and made into lines again; None if anything in it is wrong."""
    try:
        lines = screen["lines"]
        if not isinstance(lines, list) or len(lines) > MAX_LINES:
            return None
        styles: dict[tuple[str, ...], Style] = {}
        decoded = tuple(_decode_line(line, styles) for line in lines)
        count = len(lines)
        anchors = {str(anchor): _line_number(line, count) for anchor, line in screen["anchors"]}
        headings = tuple((_line_number(line, count), str(a)) for line, a in screen["headings"])
        blocks = screen["blocks"]
        body_start = _line_number(screen["body_start"], len(lines) + 1)
        if not isinstance(blocks, int) or isinstance(blocks, bool) or blocks < 0:
            return None
    except (KeyError, TypeError, ValueError, StyleSyntaxError):
        return None
    return RenderedStart(blocks, body_start, decoded, anchors, headings)


def _line_number(value: object, limit: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < limit:
        raise ValueError("line out of range")
    return value


def _decode_line(line: object, styles: dict[tuple[str, ...], Style]) -> Line:
    if not isinstance(line, list):
        raise TypeError("a line is a list")
    if not line:
        return BLANK
    segments = []
    chars = 0
    for position, segment in enumerate(line):
        if not isinstance(segment, list) or not all(isinstance(part, str) for part in segment):
            raise TypeError("a segment is a list of strings")
        text = segment[0] if segment else ""
        chars += len(text)
        if not 1 <= len(segment) <= 3 or chars > MAX_LINE_CHARS or clean(text) != text:
            raise ValueError("a segment that a render does not make")
        if len(segment) == 1:
            is_margin = position == 0 and text == rendering.MARGIN.text
            segments.append(rendering.MARGIN if is_margin else Segment(text))
            continue
        key = tuple(segment[1:])
        style = styles.get(key)
        if style is None:
            style = Style.parse(segment[1])
            if len(segment) == 3:
                style += Style.from_meta({"@click": _CLICK.format(segment[2])})
            styles[key] = style
        segments.append(Segment(text, style))
    return tuple(segments)
