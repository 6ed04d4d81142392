"""The plain TOML that front matter is nearly always written in, read without `tomllib`.

A section's front matter is a few lines of `key = value`: a string, a whole
number, a date or a one-line list of strings. `tomllib` reads them correctly but
slowly for this use: reading 10,000 sections' front matter took about 0.4 s of
the 1.2 s a first launch spends loading them (docs/speed.md). This module reads
exactly those simple lines, and gives up (returns None, and the caller asks
`tomllib`) on anything else: comments, escapes, quoted or dotted keys, tables,
other kinds of value, a repeated key, an impossible date. Whatever it does
read, it reads as `tomllib` would; a property test holds the two to that.
"""

from __future__ import annotations

import re
from datetime import date

_STRING = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
"""A TOML basic string with no escapes (TOML forbids control characters but tab in one)."""

_LINE = re.compile(
    rf"[ \t]*(?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"
    rf"(?P<string>{_STRING})"
    rf"|(?P<number>-?(?:0|[1-9][0-9]{{0,17}}))"
    rf"|(?P<date>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})"
    rf"|(?P<list>\[[ \t]*(?:{_STRING}(?:[ \t]*,[ \t]*{_STRING})*[ \t]*,?)?[ \t]*\])"
    rf")[ \t]*"
)
_ITEM = re.compile(_STRING)

PlainValue = str | int | date | list[str]


def read_plain_toml(text: str) -> dict[str, PlainValue] | None:
    """The keys and values of `text` if every line is blank or a plain `key = value`;
    None otherwise (then `tomllib` must read it)."""
    found: dict[str, PlainValue] = {}
    for line in text.split("\n"):
        if not line.strip(" \t"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        key = match["key"]
        if key in found:
            return None  # an error in TOML: tomllib says so, with its line
        if (string := match["string"]) is not None:
            found[key] = string[1:-1]
        elif (number := match["number"]) is not None:
            found[key] = int(number)
        elif (day := match["date"]) is not None:
            try:
                found[key] = date.fromisoformat(day)
            except ValueError:
                return None
        else:
            found[key] = [item[1:-1] for item in _ITEM.findall(match["list"])]
    return found
