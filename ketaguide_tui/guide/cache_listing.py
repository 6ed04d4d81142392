"""What `ketaguide list` prints, and the guide's digest, read from the cache without loading
a section.

The guide cache's snapshot (`cache_snapshot`) records, beside the sections,
each section's id, title and summary in reading order (its `listing`). When
the folder's files and their keys are exactly those the snapshot was made
from, that listing is the guide's, and `list` prints it: no section is decoded,
and nothing that reads Markdown is imported. Otherwise (a file changed, added
or removed, a file with no key, no cache or a damaged one) `cached_listing`
says None and the guide is loaded as usual, which also brings the cache up to
date. The listing is untrusted like the rest of the cache: its strings must be
clean and its ids those of the folder's files.

The same check gives `ketaguide search` the guide's digest (one digest of every
section's), which the search index's cache file must record to be opened
without loading the guide (`search.index_cache.open_cached_index`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ketaguide_tui.guide.cache_codec import is_clean_json, list_value, text_value
from ketaguide_tui.guide.cache_file import CacheErrors, open_cache
from ketaguide_tui.guide.cache_scan import scan_folder

KIND = "guide"
"""The guide cache's file (see `guide.cache`)."""

Listed = tuple[str, str, str]
"""(id, title, summary) of one section."""


def cached_listing(root: Path) -> list[Listed] | None:
    """The id, title and summary of each section of `root`, in reading order, when the
    cache holds them for the folder as it is now; else None. Raises ContentError, as
    loading does, when `root` is not a folder of sections."""
    found = _snapshot(root, "listing")
    if found is None:
        return None
    listing, names = found
    try:
        return _checked(listing, {name[:-3] for name in names})
    except CacheErrors:
        return None


def cached_guide_digest(root: Path) -> str | None:
    """`cache_codec.guide_digest` of the guide in `root` as it is now, when the cache holds
    it (a search index recording the same one was made from these sections); else None.
    Raises ContentError as `cached_listing` does."""
    found = _snapshot(root, "digest")
    return found[0] if found is not None else None


def _snapshot(root: Path, column: str) -> tuple[str, list[str]] | None:
    """The snapshot's `column` (a string) and the folder's file names, when the snapshot
    was made from the folder's files as they are now."""
    files = scan_folder(root)
    if any(key is None for _, key in files):
        return None  # a file that cannot be known by its key: see `guide.cache`
    connection = open_cache(root, KIND)
    if connection is None:
        return None
    try:
        row = connection.execute(f"SELECT files, {column} FROM snapshot").fetchone()
        if row is None or type(row[0]) is not str or type(row[1]) is not str:
            return None
        if json.loads(row[0]) != [[name, *key] for name, key in files if key]:
            return None
        return row[1], [name for name, _ in files]
    except CacheErrors:
        return None
    finally:
        connection.close()


def _checked(text: str, ids: set[str]) -> list[Listed] | None:
    """The listing in `text`; raises ValueError or TypeError when it is damaged. None
    when it lists no section (loading says why)."""
    clean = is_clean_json(text)
    listed: list[Listed] = []
    # Ten thousand rows: each is checked inline rather than through the codec's helpers.
    for item in list_value(json.loads(text)):
        if type(item) is not list or len(item) != 3:
            raise TypeError("a listing row of the wrong shape")
        section_id, title, summary = item
        if type(title) is not str or type(summary) is not str or section_id not in ids:
            raise ValueError("a listing row for no file of the folder")
        if not clean:
            text_value(title), text_value(summary)
        listed.append((section_id, title, summary))
    return listed or None
