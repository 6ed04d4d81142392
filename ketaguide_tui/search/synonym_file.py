"""The content's own lay and clinical vocabulary: `synonyms.toml` in the content folder.

The file holds groups of words and phrases that mean the same thing to a reader,
so a search for one finds the others::

    [[group]]
    words = ["high blood pressure", "hypertension"]

    [[group]]
    words = ["anaemia", "anemia"]

Every entry of a group is a synonym of every other entry. The file is optional;
when it is there, a problem in it (unreadable, not UTF-8, bad TOML, a group
without at least two words) is reported as a `Problem` that `ketaguide check`
prints, and the groups that are valid are still used. The text is untrusted like
any content: control characters and escape sequences are removed before parsing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ketaguide_tui.guide.model import Problem
from ketaguide_tui.guide.text_safety import has_unsafe_characters, sanitize
from ketaguide_tui.search.terms import words

SYNONYMS_FILE = "synonyms.toml"
MAX_FILE_BYTES = 1_000_000
"""A vocabulary is a few kilobytes; a bigger file is refused rather than parsed."""

_GROUP_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*group[ \t]*\]\]", re.MULTILINE)
_TOML_LINE = re.compile(r"at line (\d+)")
"""tomllib names the line in its message only ("... (at line 3, column 7)")."""


@dataclass(frozen=True)
class SynonymFile:
    """The groups read from a content folder's synonyms file, and what was wrong with it."""

    groups: tuple[tuple[str, ...], ...] = ()
    problems: tuple[Problem, ...] = ()


def load_synonym_file(path: Path) -> SynonymFile:
    """Read a synonyms file. A missing file is no groups and no problem. Never raises."""
    if not path.is_file():
        return SynonymFile()
    try:
        raw = path.read_bytes()
    except OSError as error:
        return _problem(path, 1, f"cannot read the file: {error.strerror or error}")
    if len(raw) > MAX_FILE_BYTES:
        return _problem(path, 1, f"the file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _problem(path, raw[: error.start].count(b"\n") + 1, "the file is not valid UTF-8")
    problems: list[Problem] = []
    if has_unsafe_characters(text):
        problems.append(
            Problem(path, 1, "control characters or terminal escape sequences were removed")
        )
    text = sanitize(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = _TOML_LINE.search(str(error))
        line = int(where.group(1)) if where else text.count("\n") + 1  # "at end of document"
        return _problem(path, line, f"bad TOML: {error}")
    groups = _read_groups(data, path, _group_lines(text), problems)
    return SynonymFile(tuple(groups), tuple(problems))


def synonym_problems(root: Path) -> list[Problem]:
    """What `ketaguide check` reports about the synonyms file of the content folder `root`."""
    return list(load_synonym_file(root / SYNONYMS_FILE).problems)


def _problem(path: Path, line: int, message: str) -> SynonymFile:
    return SynonymFile((), (Problem(path, line, message),))


def _group_lines(text: str) -> list[int]:
    """The 1-based line of each `[[group]]` header, in order (for locating problems)."""
    return [text.count("\n", 0, match.start()) + 1 for match in _GROUP_HEADER.finditer(text)]


def _read_groups(
    data: dict[str, object], path: Path, lines: list[int], problems: list[Problem]
) -> list[tuple[str, ...]]:
    for key in data:
        if key != "group":
            problems.append(Problem(path, 1, f"unknown key '{key}' (expected [[group]] tables)"))
    entries = data.get("group", [])
    if not isinstance(entries, list):
        problems.append(Problem(path, 1, "'group' must be written as [[group]] tables"))
        return []
    groups: list[tuple[str, ...]] = []
    for number, entry in enumerate(entries):
        line = lines[number] if number < len(lines) else 1
        group = _read_group(entry, path, line, problems)
        if group:
            groups.append(group)
    return groups


def _read_group(
    entry: object, path: Path, line: int, problems: list[Problem]
) -> tuple[str, ...] | None:
    if not isinstance(entry, dict):
        problems.append(Problem(path, line, "a group must be a table with a 'words' list"))
        return None
    for key in entry:
        if key != "words":
            problems.append(Problem(path, line, f"unknown key '{key}' in a group"))
    found = entry.get("words")
    if not isinstance(found, list) or not all(isinstance(word, str) for word in found):
        problems.append(Problem(path, line, "'words' must be a list of strings"))
        return None
    cleaned = [" ".join(word.split()) for word in found]
    empty = [word for word in cleaned if not words(word)]
    if empty:
        problems.append(Problem(path, line, "a word or phrase has no letters or digits"))
    kept = tuple(dict.fromkeys(word for word in cleaned if words(word)))
    if len({words(word) for word in kept}) < 2:
        problems.append(Problem(path, line, "a group needs at least two different words"))
        return None
    return kept
