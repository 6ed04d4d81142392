"""The files of a content folder as loaded through the cache: one entry per file.

An entry is a file's section and problems, taken from the cache's row for it
(`cached_entry`) or read from the file now (`fresh_entry`), with the digests the
cache and the search index check it by. A fresh entry's digests are worked out
when first needed (`complete_entry`, `EntryDigests`): a first launch reads
every file, and needs the digests only after its first frame.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.cache_codec import (
    SectionFields,
    decode_problems,
    decode_section,
    encode_section,
)
from ketaguide_tui.guide.cache_scan import FileKey
from ketaguide_tui.guide.model import Problem, Section, load_file
from ketaguide_tui.guide.stored_section import StoredText, stored_section


@dataclass
class FileEntry:
    """One file of the folder as loaded: from the cache, or read now (`fresh`)."""

    path: Path
    key: FileKey | None
    section: Section | None
    problems: list[Problem]
    digest: str | None
    """A digest of the section's fields: the search index's rows of it are still right
    while it is the same."""
    body_digest: str | None
    fields: SectionFields | None
    """The section's fields as stored (all but its path and body)."""
    fresh: bool


def fresh_entry(
    path: Path,
    root: Path,
    key: FileKey | None,
    by_body: dict[str, str],
    text: StoredText | None,
) -> FileEntry:
    """The entry for a file read now (new, changed, or not in the cache).

    Its digests are worked out now only to look for its body under another name (a
    renamed file) among the cache's; otherwise when first needed (`complete_entry`)."""
    section, problems = load_file(path, root)
    entry = FileEntry(path, key, section, problems, None, None, None, fresh=True)
    if section is not None and by_body:
        complete_entry(entry)
        # A body already read under this name, or another one (a renamed file).
        known = by_body.get(entry.body_digest or "")
        if known is not None and text is not None:
            entry.section = dataclasses.replace(
                section, stored_reading=partial(text.reading, known)
            )
    return entry


def complete_entry(entry: FileEntry) -> None:
    """Work out a fresh entry's fields and digests, if not done yet."""
    section = entry.section
    if section is None or entry.digest is not None:
        return
    fields = stored_fields(section)
    entry.fields = fields
    entry.body_digest = digest_of(f"{section.body_line}\n{section.body}")
    entry.digest = digest_of(f"{encode_section(fields)}\n{section.body}")


class EntryDigests(Mapping[str, str]):
    """`Guide.digests` of a guide loaded file by file: section id -> digest, worked out
    for the files read now when first asked for. A first launch at 10,000 sections spent
    a tenth of a second on them before its first frame, and they are needed only after
    it (by the search index's cache, and to write this cache)."""

    def __init__(self, entries: list[FileEntry]) -> None:
        self._entries = entries
        self._count = sum(1 for entry in entries if entry.section is not None)
        self._digests: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        digests = self._digests
        if digests is None:
            for entry in self._entries:
                complete_entry(entry)
            digests = self._digests = {
                e.section.id: e.digest for e in self._entries if e.section and e.digest
            }
        return digests

    def __getitem__(self, section_id: str) -> str:
        return self._all()[section_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return self._count


def cached_entry(path: Path, key: FileKey, row: tuple[Any, ...], text: StoredText) -> FileEntry:
    """The entry for a file the cache knows as it is now; raises ValueError or TypeError
    when the row is damaged (then the file is read again)."""
    encoded, problems_text, digest, body_digest = row[4:8]
    problems = [] if problems_text == "[]" else decode_problems(problems_text, path)
    if encoded is None:
        return FileEntry(path, key, None, problems, None, None, None, fresh=False)
    if type(digest) is not str or type(body_digest) is not str:
        raise TypeError("a damaged section row")
    fields = decode_section(encoded)
    if fields["id"] != path.stem:
        raise ValueError("a row for another file")
    name = path.name
    section = stored_section(
        path.parent,
        name,
        partial(text.body, name, partial(reread_body, path.parent, name)),
        partial(text.reading, name),
        fields,
    )
    return FileEntry(path, key, section, problems, digest, body_digest, fields, fresh=False)


def reread_body(root: Path, name: str) -> str:
    """The body read from the file itself (its cached copy could not be had)."""
    section, _ = load_file(root / name, root)
    return section.body if section is not None else ""


def reread_fields(root: Path, name: str) -> SectionFields:
    """A section's fields read from the file itself (its stored ones were damaged); a file
    that cannot be read now gives its name as the title and nothing else."""
    section, _ = load_file(root / name, root)
    if section is None:
        section_id = name[:-3]
        # The fields that have no default are given; the others keep the dataclass's.
        section = Section(section_id, section_id, 0, "", date.min, (), "", root / name, 1)
    return stored_fields(section)


def stored_fields(section: Section) -> SectionFields:
    skip = ("path", "stored_reading", "body")
    return {
        field.name: getattr(section, field.name)
        for field in dataclasses.fields(section)
        if field.name not in skip
    }


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
