"""A section's front matter: the TOML between `+++` lines, decoded, cleaned and checked.

    +++
    title = "Side effects"
    order = 130
    summary = "What people notice during and after a session."
    reviewed = 2026-11-28
    next_review = 2027-11-28               # optional
    aliases = ["adverse effects", "dissociation"]
    places = ["Canada", "Canadian"]        # optional
    +++

TOML decodes escapes (`"\\u001b"` is an ESC), so every string is cleaned after
decoding, and what was removed is reported with the line of its key. Anything
`tomllib` raises for a hostile file (a 5,001-digit number, arrays nested
thousands deep) is a problem for that file, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.plain_toml import read_plain_toml
from ketaguide_tui.guide.problems import Problem, removal_problems
from ketaguide_tui.guide.text_safety import clean_line, unsafe_characters

FENCE = "+++"
REQUIRED_FIELDS = ("title", "order", "summary", "reviewed")
_TYPES: dict[str, type] = {
    "title": str,
    "order": int,
    "summary": str,
    "reviewed": date,
    "next_review": date,
    "aliases": list,
    "places": list,
}
_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    int: "a whole number",
    date: "a date such as 2026-01-31",
    list: "a list of strings",
}


@dataclass(frozen=True)
class FrontMatter:
    """The decoded, cleaned metadata of one section."""

    title: str
    order: int
    summary: str
    reviewed: date
    aliases: tuple[str, ...]
    next_review: date | None
    places: tuple[str, ...]
    key_lines: tuple[tuple[str, int], ...]
    """(key, file line) of each field given, to locate problems with its value."""


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `+++` front matter from the body.

    Returns (front matter, body, 1-based line where the body starts), or None
    when the file does not start with a front matter block.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _read_toml(front: str) -> dict[str, Any]:
    """Front matter that is not plain lines, read by tomllib (imported only for such a file:
    the reader starting from its cache reads none)."""
    import tomllib

    return tomllib.loads(front)


def read_front_matter(front: str, path: Path) -> tuple[FrontMatter | None, list[Problem]]:
    """Decode, clean and check front matter (which starts on file line 2)."""
    try:
        # Most front matter is plain `key = value` lines, read ten times faster without
        # tomllib; anything else (and every error) is tomllib's to read and report.
        plain = read_plain_toml(front)
        meta: dict[str, Any] = _read_toml(front) if plain is None else dict(plain)
    except (ValueError, RecursionError) as error:
        # tomllib's own errors are ValueErrors (3.14's know their line); int() refuses
        # numbers of thousands of digits; deep nesting exhausts the stack.
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        line = 1 + getattr(error, "lineno", 1)
        return None, [Problem(path, line, f"bad front matter: {reason}")]
    lines = _key_lines(front)
    problems: list[Problem] = []
    cleaned: dict[str, object] = {}
    for name, value in meta.items():
        if name in _TYPES:  # other keys are not used, so not shown
            cleaned[name] = _cleaned(value, name, path, lines.get(name, 2), problems)
    errors = _type_problems(cleaned, path, lines)
    if errors:
        return None, problems + errors
    aliases, places, order = cleaned.get("aliases", []), cleaned.get("places", []), cleaned["order"]
    assert isinstance(aliases, list) and isinstance(places, list) and isinstance(order, int)
    matter = FrontMatter(
        title=str(cleaned["title"]),
        order=order,
        summary=str(cleaned["summary"]),
        reviewed=_as_date(cleaned["reviewed"]),
        aliases=tuple(a for a in aliases if a),
        next_review=_as_date(cleaned["next_review"]) if "next_review" in cleaned else None,
        places=tuple(p for p in places if p),
        key_lines=tuple((name, lines.get(name, 2)) for name in cleaned),
    )
    return matter, problems


def _cleaned(value: object, name: str, path: Path, line: int, problems: list[Problem]) -> object:
    """A string (or a list's strings) cleaned for one line of output; removals reported."""
    if isinstance(value, list):
        return [
            _cleaned(item, name, path, line, problems) if isinstance(item, str) else item
            for item in value
        ]
    if not isinstance(value, str):
        return value
    if not value.isprintable():  # cheap test first: most values are
        removed = "".join(char for _, char in unsafe_characters(value, keep_cr=False))
        if removed:
            problems.extend(removal_problems(path, [(line, removed)], f"'{name}': "))
    return clean_line(value.replace("\r", " "))


def _key_lines(front: str) -> dict[str, int]:
    """The file line of each field's `name = ...` (front matter starts on line 2)."""
    found: dict[str, int] = {}
    for index, line in enumerate(front.split("\n")):
        key = line.split("=", 1)[0].strip().strip("\"'")
        if key in _TYPES and key not in found:
            found[key] = index + 2
    return found


def _type_problems(meta: dict[str, object], path: Path, lines: dict[str, int]) -> list[Problem]:
    problems = [
        Problem(path, 2, f"front matter is missing '{name}'")
        for name in REQUIRED_FIELDS
        if name not in meta
    ]
    for name, kind in _TYPES.items():
        value = meta.get(name)
        if name in meta and (not isinstance(value, kind) or isinstance(value, bool)):
            message = f"'{name}' has the wrong type (expected {_TYPE_NAMES[kind]})"
            problems.append(Problem(path, lines.get(name, 2), message))
        elif (
            kind is list and isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            problems.append(
                Problem(path, lines.get(name, 2), f"'{name}' must be a list of strings")
            )
        elif kind is str and isinstance(value, str) and not value:
            problems.append(Problem(path, lines.get(name, 2), f"'{name}' is empty"))
    return problems


def _as_date(value: object) -> date:
    """A TOML date, or the date of a TOML date-time (the two compare with each other then)."""
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value
