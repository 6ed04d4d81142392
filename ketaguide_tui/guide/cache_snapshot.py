"""The loaded guide in one row of the cache file: the usual start, when no file changed.

Loading row by row (`guide.cache`) checks and decodes each file's row on its
own, so that one changed file is read alone. When no file changed at all, the
cache can hand back the whole guide at once: the `snapshot` row holds every
file's key (as `cache._scan` gives them), the sections in reading order with
their digests, and the problems, each list as one JSON text. It is used only
when the folder's files and keys are exactly those it records; each value is
checked as `cache_codec` checks a row's. Its `listing` holds what `ketaguide list`
prints of each section, and its `digest` one digest of every section's (see
`cache_listing`), so that neither the list nor a search needs a section decoded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.cache_codec import (
    dumps,
    guide_digest,
    int_value,
    is_clean_json,
    list_value,
    section_fields,
    section_values,
    text_value,
)
from ketaguide_tui.guide.cache_scan import FileKey
from ketaguide_tui.guide.model import Guide, Problem, Section
from ketaguide_tui.guide.stored_section import StoredText, encoded_section

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS snapshot("
    "files TEXT, sections TEXT, problems TEXT, listing TEXT, digest TEXT)"
)


def write_snapshot(
    connection: sqlite3.Connection,
    files: list[tuple[str, FileKey | None]],
    guide: Guide,
    fields: dict[str, dict[str, Any]],
) -> None:
    """Record `guide`, loaded from `files`; `fields` are its sections' stored fields by id.

    Nothing is recorded when a file has no key to check it by next time."""
    connection.execute(SCHEMA)
    connection.execute("DELETE FROM snapshot")
    if any(key is None for _, key in files):
        return
    sections = [
        [section.path.name, guide.digests[section.id], section_values(fields[section.id])]
        for section in guide
    ]
    problems = [[p.path.name, p.line, p.message, p.warning] for p in guide.problems]
    listing = [[section.id, section.title, section.summary] for section in guide]
    connection.execute(
        "INSERT INTO snapshot VALUES (?, ?, ?, ?, ?)",
        (
            dumps([[name, *key] for name, key in files if key]),
            dumps(sections),
            dumps(problems),
            dumps(listing),
            guide_digest(guide.digests),
        ),
    )


def read_snapshot(
    connection: sqlite3.Connection,
    root: Path,
    files: list[tuple[str, FileKey | None]],
    text: StoredText,
    reread: partial[str],
    refields: partial[dict[str, Any]],
) -> Guide | None:
    """The guide the snapshot records, if it was loaded from exactly these `files`.

    `reread(root, name)` reads a body from its file when the cache cannot give it, and
    `refields(root, name)` a section's fields. Each section's fields are decoded when
    first read (`encoded_section`); a section whose stored fields turn out damaged then
    takes them from its file. Raises ValueError, TypeError or sqlite3.Error when the
    row is damaged otherwise."""
    row = connection.execute("SELECT files, sections, problems FROM snapshot").fetchone()
    if row is None:
        return None
    stored_files, stored_sections, stored_problems = row
    if json.loads(stored_files) != [[name, *key] for name, key in files if key] or any(
        key is None for _, key in files
    ):
        return None
    strings_clean = is_clean_json(stored_sections)
    sections: list[Section] = []
    digests: dict[str, str] = {}
    for item in list_value(json.loads(stored_sections)):
        name, digest, values = list_value(item, 3)
        section_id = list_value(values)[0] if values else None
        if (
            type(name) is not str
            or type(section_id) is not str
            or name[:-3] != section_id
            or type(digest) is not str
        ):
            raise ValueError("a section row for another file")
        sections.append(
            encoded_section(
                root,
                name,
                partial(text.body, name, partial(reread, root, name)),
                partial(text.reading, name),
                text_value(section_id) if not strings_clean else section_id,
                partial(_fields_of, values, strings_clean, partial(refields, root, name)),
            )
        )
        digests[section_id] = digest
    problems = []
    for item in list_value(json.loads(stored_problems)):
        name, line, message, warning = list_value(item, 4)
        if type(warning) is not bool:
            raise TypeError("not a flag")
        problems.append(
            Problem(root / text_value(name), int_value(line), text_value(message), warning)
        )
    return Guide(root, tuple(sections), tuple(problems), digests)


def _fields_of(
    values: object, strings_clean: bool, from_file: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """A section's stored fields, decoded and checked; its file's if they are damaged."""
    try:
        return section_fields(values, strings_clean)
    except (ValueError, TypeError):
        return from_file()
