"""State on disk as bytes: the JSON encoding, and a decoder that keeps every valid part.

The bundled guide's state sits at the top level; other content folders' sit
under "folders", by resolved path. Keys this version does not know (a newer
version wrote them) are kept as found and written back.

Decoding never raises: each unusable record becomes a short problem phrase
("bookmark 3 has no 'title'") and the rest is kept; a file cut short (an
interrupted copy, a damaged disk) is closed off after its last whole record
by a small salvager, so everything before the cut survives.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

from ketaguide_tui.state.folders import StateFile
from ketaguide_tui.state.item_lists import valid_items
from ketaguide_tui.state.model import (
    MAX_BOOKMARKS,
    Bookmark,
    Place,
    ReaderState,
    clean_title,
)
from ketaguide_tui.state.questions_codec import (
    questions_from,
    questions_to_json,
    read_reviewed_from,
    read_reviewed_to_json,
)

FORMAT_VERSION = 2
"""1: the bundled guide's state. 2: also other content folders' under "folders"."""

# Our own files nest four levels deep; deeper salvage attempts are not worth it.
_MAX_SALVAGE_DEPTH = 64


class Invalid(ValueError):
    """One record of the file is unusable; the message says why."""


def encode_state(state: ReaderState) -> bytes:
    """The file contents for `state` as the bundled guide's (and no other folder's)."""
    return encode_state_file(StateFile(bundled=state))


def encode_state_file(file: StateFile) -> bytes:
    """The file contents for every content folder's state.

    ASCII-only JSON: any string (even a lone surrogate) encodes, so saving can
    never fail on content.
    """
    # The bundled guide's state sits at the top level, as in format 1, so
    # older versions still find it. Small fields first, bookmarks after them
    # and other folders last: a truncated file then still keeps the place, the
    # read marks and every bookmark before the cut.
    document: dict[str, object] = {"version": FORMAT_VERSION, "theme": file.bundled.theme}
    document.update(_guide_to_json(file.bundled))
    if file.folders:
        document["folders"] = {key: _guide_to_json(state) for key, state in file.folders.items()}
    return (json.dumps(document, indent=2) + "\n").encode("ascii")


def _guide_to_json(state: ReaderState) -> dict[str, object]:
    """One content folder's state (the theme is kept once, at the top)."""
    document: dict[str, object] = {
        "last_place": _place_to_json(state.last_place) if state.last_place else None,
        "read_sections": sorted(state.read_sections),
        "read_reviewed": read_reviewed_to_json(state.read_reviewed),
        "questions": questions_to_json(state.questions),
        "bookmarks": [_bookmark_to_json(b) for b in state.bookmarks],
    }
    for key, text in state.extra:
        document.setdefault(key, json.loads(text))
    return document


def _place_to_json(place: Place) -> dict[str, object]:
    return {"section_id": place.section_id, "anchor": place.anchor, "scroll_y": place.scroll_y}


def _bookmark_to_json(bookmark: Bookmark) -> dict[str, object]:
    return {
        "id": bookmark.id,
        "title": bookmark.title,
        "place": _place_to_json(bookmark.place),
        "created": bookmark.created,
    }


def decode_state(raw: bytes) -> tuple[ReaderState, list[str]]:
    """The bundled guide's state from file contents, and the problems found.

    Never raises. Each problem is a short phrase ("bookmark 3 has no 'title'");
    an empty list means the file was fine.
    """
    file, problems = decode_state_file(raw)
    return file.bundled, problems


def decode_state_file(raw: bytes) -> tuple[StateFile, list[str]]:
    """Every content folder's state from file contents; never raises."""
    problems: list[str] = []
    text = _decode_text(raw, problems)
    if not text.strip():
        return StateFile(), ["the file is empty"]
    document = _parse_json(text, problems)
    if document is None:
        return StateFile(), problems
    if not isinstance(document, dict):
        problems.append(f"it holds {_kind(document)}, not an object")
        return StateFile(), problems
    _check_version(document.get("version", FORMAT_VERSION), problems)
    # A format-1 file has no "folders": all it holds is the bundled guide's.
    bundled = _state_from(document, problems, known=_TOP_LEVEL_KEYS)
    bundled = replace(bundled, theme=_theme_from(document.get("theme"), problems))
    return StateFile(bundled, _folders_from(document.get("folders", {}), problems)), problems


def _folders_from(value: object, problems: list[str]) -> dict[str, ReaderState]:
    if not isinstance(value, dict):
        problems.append(f"'folders' is {_kind(value)}, not an object")
        return {}
    folders: dict[str, ReaderState] = {}
    for key, entry in value.items():
        if not isinstance(entry, dict):
            problems.append(f"folder {key!r} is {_kind(entry)}, not an object")
            continue
        found: list[str] = []
        folders[key] = _state_from(entry, found, known=_GUIDE_KEYS)
        problems.extend(f"folder {key!r}: {problem}" for problem in found)
    return folders


def _decode_text(raw: bytes, problems: list[str]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # A stray byte usually sits inside one string; decoding the rest keeps
        # every other bookmark.
        problems.append(f"it is not valid UTF-8 text (bad byte at offset {err.start})")
        return raw.decode("utf-8-sig", errors="replace")


def _parse_json(text: str, problems: list[str]) -> object | None:
    try:
        return _loads(text)
    except json.JSONDecodeError as err:
        problems.append(_json_problem(text, err))
        salvaged = _close_truncated(text[: err.pos])
    except (ValueError, RecursionError):
        # Absurd numbers (over 4300 digits) or nesting: nothing to salvage.
        problems.append("it is not valid JSON")
        return None
    if salvaged is None:
        return None
    try:
        return _loads(salvaged)
    except (ValueError, RecursionError):
        return None


def _json_problem(text: str, err: json.JSONDecodeError) -> str:
    # An unterminated string also runs to the end of the file.
    if err.pos >= len(text.rstrip()) or err.msg.startswith("Unterminated string"):
        return f"it is cut short (ends at line {err.lineno})"
    return f"it is not valid JSON at line {err.lineno}, column {err.colno} ({err.msg})"


def _loads(text: str) -> object:
    result: object = json.loads(text)
    return result


_STRUCTURE = re.compile(r'[\\"{}\[\],]')


def _close_truncated(text: str) -> str | None:
    """Turn the valid beginning of a JSON document into a whole document.

    `text` is what came before the first error (or the end of a truncated
    file). It is cut at the last point where every value so far is complete
    (just after an opening bracket, before a comma or after a closing one) and
    the brackets still open are closed, so the records before the damage
    survive.
    """
    stack: list[str] = []
    in_string = False
    escaped_until = 0
    cut: tuple[int, str] | None = None
    for match in _STRUCTURE.finditer(text):
        char, pos = match.group(), match.start()
        if pos < escaped_until:
            continue
        if in_string:
            if char == "\\":
                escaped_until = pos + 2
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
            if len(stack) > _MAX_SALVAGE_DEPTH:
                return None
            cut = (pos + 1, "".join(reversed(stack)))
        elif char in "}]":
            if not stack:
                return None
            stack.pop()
            cut = (pos + 1, "".join(reversed(stack)))
        elif char == "," and stack:
            cut = (pos, "".join(reversed(stack)))
    if cut is None:
        return None
    return text[: cut[0]] + cut[1]


def _kind(value: object) -> str:
    """How a JSON value is described in a warning."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


_GUIDE_KEYS = frozenset(_guide_to_json(ReaderState()))
"""What one content folder's state holds (whatever `_guide_to_json` writes, so a
field added there is known here too); any other key is kept as found."""
_TOP_LEVEL_KEYS = _GUIDE_KEYS | {"version", "theme", "folders"}


def _state_from(
    document: dict[str, object], problems: list[str], known: frozenset[str]
) -> ReaderState:
    return ReaderState(
        last_place=_last_place_from(document.get("last_place"), problems),
        bookmarks=_bookmarks_from(document.get("bookmarks", []), problems),
        read_sections=_read_sections_from(document.get("read_sections", []), problems),
        theme=_theme_from(document.get("theme"), problems),
        questions=questions_from(document.get("questions"), problems),
        read_reviewed=read_reviewed_from(document.get("read_reviewed"), problems),
        extra=tuple(
            (key, json.dumps(value)) for key, value in document.items() if key not in known
        ),
    )


def _check_version(version: object, problems: list[str]) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        problems.append(f"'version' is {_kind(version)}, not a number")
    elif version > FORMAT_VERSION:
        # Reading on is still useful: fields this version does not know are
        # kept as found, and the .bad copy keeps the file as it was.
        problems.append(f"it was written by a newer ketaguide (format {version})")


def _last_place_from(value: object, problems: list[str]) -> Place | None:
    if value is None:
        return None
    try:
        return _place_from(value)
    except Invalid as err:
        problems.append(f"the last reading place {err}")
        return None


def _bookmarks_from(value: object, problems: list[str]) -> tuple[Bookmark, ...]:
    if not isinstance(value, list):
        problems.append(f"'bookmarks' is {_kind(value)}, not a list")
        return ()
    return valid_items(value, _bookmark_from, Invalid, "bookmark", MAX_BOOKMARKS, problems)


def _read_sections_from(value: object, problems: list[str]) -> frozenset[str]:
    if not isinstance(value, list):
        problems.append(f"'read_sections' is {_kind(value)}, not a list")
        return frozenset()
    sections = frozenset(item for item in value if isinstance(item, str) and item)
    skipped = len(value) - sum(1 for item in value if isinstance(item, str) and item)
    if skipped:
        problems.append(f"{skipped} read mark(s) are not section ids")
    return sections


def _theme_from(value: object, problems: list[str]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    problems.append(f"'theme' is {_kind(value)}, not text")
    return None


def _place_from(value: object) -> Place:
    fields = _require_object(value)
    section_id = _require_text(fields, "section_id")
    anchor = fields.get("anchor")
    if anchor is not None and not isinstance(anchor, str):
        raise Invalid(f"has {_kind(anchor)} for 'anchor', not text")
    scroll_y = fields.get("scroll_y", 0)
    if isinstance(scroll_y, bool) or not isinstance(scroll_y, int) or scroll_y < 0:
        raise Invalid("has a 'scroll_y' that is not a whole number of lines")
    return Place(section_id=section_id, anchor=anchor, scroll_y=scroll_y)


def _bookmark_from(value: object) -> Bookmark:
    fields = _require_object(value)
    bookmark_id = _require_text(fields, "id")
    title = _require_text(fields, "title", allow_empty=True)
    created = _require_text(fields, "created")
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise Invalid("has a 'created' time that is not an ISO 8601 timestamp") from None
    if "place" not in fields:
        raise Invalid("has no 'place'")
    try:
        place = _place_from(fields["place"])
    except Invalid as err:
        raise Invalid(f"has a place that {err}") from None
    # Hand-edited titles get the same cleaning as typed ones.
    title = clean_title(title, fallback=place.section_id)
    return Bookmark(id=bookmark_id, title=title, place=place, created=created)


def _require_object(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise Invalid(f"is {_kind(value)}, not an object")
    return value


def _require_text(fields: dict[str, object], key: str, *, allow_empty: bool = False) -> str:
    if key not in fields:
        raise Invalid(f"has no '{key}'")
    value = fields[key]
    if not isinstance(value, str):
        raise Invalid(f"has {_kind(value)} for '{key}', not text")
    if not value and not allow_empty:
        raise Invalid(f"has an empty '{key}'")
    return value
