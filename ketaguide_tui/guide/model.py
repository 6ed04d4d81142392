"""The guide's content model: sections loaded from a folder of Markdown files.

One file per section. The file name (without `.md`) is the section's id. Each
file starts with TOML front matter between `+++` lines (`front_matter` lists
the fields). Reading the files safely is `files`' job, reading the Markdown is
`markdown_reading`'s; this module puts them together and is where the rest of
the program imports the model's names from. `markdown_reading` (and markdown-it)
is imported when a section is first read: a start that takes its readings from
the cache never needs it before its first frame.

Nothing here imports Textual: the command line, the reader and the tests all
use it. Loading never raises for a bad file: the file is skipped and a
`Problem` says why, so the reader can start with what is valid.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ketaguide_tui.guide.bundled import bundled_content_dir
from ketaguide_tui.guide.files import read_section_text, section_paths
from ketaguide_tui.guide.front_matter import read_front_matter, split_front_matter
from ketaguide_tui.guide.inline_text import Link
from ketaguide_tui.guide.problems import ContentError, Problem
from ketaguide_tui.guide.reading_types import CodeFence, Heading, MarkdownReading
from ketaguide_tui.guide.text_safety import visible

if TYPE_CHECKING:
    from ketaguide_tui.guide.reading_tree import Node

__all__ = [
    "CRISIS_SECTION_ID",
    "CodeFence",
    "ContentError",
    "GLOSSARY_SECTION_ID",
    "Guide",
    "Heading",
    "Link",
    "MarkdownReading",
    "Problem",
    "START_SECTION_ID",
    "Section",
    "bundled_content_dir",
    "assemble_guide",
    "load_file",
    "load_guide",
    "load_section",
    "split_front_matter",
]

SOURCES_HEADING = "Sources"
START_SECTION_ID = "start-here"
"""Where a first-time reader starts."""
CRISIS_SECTION_ID = "get-help-now"
"""The section with crisis lines: one key opens it, and crisis searches show it first."""
GLOSSARY_SECTION_ID = "glossary"
"""The glossary: each of its `###` headings is an entry (`guide.glossary`)."""


@dataclass(frozen=True)
class Section:
    """One section of the guide."""

    id: str
    title: str
    order: int
    summary: str
    reviewed: date
    aliases: tuple[str, ...]
    body: str
    """The Markdown body, front matter removed, already cleaned."""
    path: Path
    body_line: int
    """1-based file line where the body starts (for locating problems)."""
    next_review: date | None = None
    """When the section should next be reviewed, if the front matter says."""
    places: tuple[str, ...] = ()
    """Countries, regions and their people ("Canada", "Canadian") the section serves:
    a search for one finds the section, but they are not crisis words."""
    key_lines: tuple[tuple[str, int], ...] = ()
    """(front matter key, file line), for locating problems with a value."""
    stored_reading: Callable[[], str | None] | None = field(default=None, compare=False, repr=False)
    """Fetches the reading the cache stored (`guide.cache`), decoded on first use."""

    def key_line(self, key: str) -> int:
        """The file line of `key = ...` in the front matter (2, its first line, if absent)."""
        return next((line for name, line in self.key_lines if name == key), 2)

    # Parsing the Markdown costs about as much as everything else in loading, and
    # start-up needs it for one section only, so it happens on first use.
    @cached_property
    def reading(self) -> MarkdownReading:
        """The one reading of the body: headings, links, blocks, plain text, passages."""
        stored = self.stored_reading() if self.stored_reading is not None else None
        if stored is not None:
            from ketaguide_tui.guide.cache_codec import decode_reading

            try:
                return decode_reading(stored)
            except (ValueError, TypeError):
                pass  # a damaged cache entry: read the body itself
        from ketaguide_tui.guide.markdown_reading import read_markdown

        return read_markdown(self.body, self.body_line)

    @cached_property
    def tree(self) -> tuple[Node, ...]:
        """The body's blocks as a tree (`reading_tree`), for the linear reader and the HTML
        edition: the same reading, with the tree that most readings leave out."""
        from ketaguide_tui.guide.markdown_reading import read_markdown

        return read_markdown(self.body, self.body_line, with_tree=True).tree

    @property
    def headings(self) -> tuple[Heading, ...]:
        """Every heading, in order, with its unique anchor."""
        return self.reading.headings

    @property
    def links(self) -> tuple[Link, ...]:
        """Every link in the body, in order."""
        return self.reading.links

    @property
    def fences(self) -> tuple[CodeFence, ...]:
        """Every fenced code block."""
        return self.reading.fences

    @property
    def block_lines(self) -> tuple[tuple[int, int, bool], ...]:
        """Top-level blocks as (start, end, is a heading): 0-based, end-exclusive body lines."""
        return tuple((b.start, b.end, b.kind == "heading") for b in self.reading.blocks)

    @property
    def reviewed_text(self) -> str:
        """The review date as a reader sees it everywhere: "Last reviewed 1 March 2026"."""
        return f"Last reviewed {self.reviewed.day} {self.reviewed:%B %Y}"

    @property
    def toc(self) -> tuple[Heading, ...]:
        """The headings shown in the sidebar: H2 and H3."""
        return tuple(h for h in self.headings if h.level in (2, 3))

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Every anchor a link into this section may name."""
        return frozenset(h.anchor for h in self.headings)

    def heading_for(self, anchor: str) -> Heading | None:
        """The heading with this anchor, if there is one."""
        return next((h for h in self.headings if h.anchor == anchor), None)

    @cached_property
    def sources(self) -> tuple[Link, ...]:
        """The links listed under the section's closing "Sources" heading."""
        start = next(
            (h.line for h in self.headings if h.level == 2 and h.text == SOURCES_HEADING),
            None,
        )
        if start is None:
            return ()
        end = min((h.line for h in self.headings if h.line > start and h.level <= 2), default=None)
        return tuple(
            link for link in self.links if link.line > start and (end is None or link.line < end)
        )


@dataclass(frozen=True)
class Guide:
    """The whole guide: its sections in reading order, and what could not be loaded."""

    root: Path
    sections: tuple[Section, ...]
    problems: tuple[Problem, ...] = ()
    digests: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Section id -> a digest of its file's text, when loaded through the cache (empty
    otherwise): what the search index cache checks its rows against."""

    @cached_property
    def _by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)

    def __len__(self) -> int:
        return len(self.sections)

    def get(self, section_id: str) -> Section | None:
        """The section with this id, if there is one."""
        return self._by_id.get(section_id)

    def index_of(self, section_id: str) -> int:
        """Position of a section in reading order (-1 if absent)."""
        return next((i for i, s in enumerate(self.sections) if s.id == section_id), -1)

    def neighbour(self, section_id: str, step: int) -> Section | None:
        """The section `step` places after (or before, if negative) this one."""
        index = self.index_of(section_id)
        if index < 0:
            return None
        target = index + step
        return self.sections[target] if 0 <= target < len(self.sections) else None

    def closest_ids(self, section_id: str, limit: int = 3) -> list[str]:
        """Ids that look like `section_id`, best first, for "did you mean"."""
        ids = [s.id for s in self.sections]
        close = difflib.get_close_matches(section_id.lower(), ids, n=limit, cutoff=0.4)
        if not close:
            close = [i for i in ids if section_id.lower() in i][:limit]
        return close


def load_section(path: Path, root: Path | None = None) -> tuple[Section | None, list[Problem]]:
    """Read one section file in `root` (its folder by default): the section (or None) and
    its problems."""
    section_id = path.stem
    if not section_id.isprintable():
        # An id goes into links, the saved place and every listing: refuse rather than guess.
        message = f"the file name '{visible(path.name)}' has control characters: rename it"
        return None, [Problem(path, 1, message)]
    text, problems = read_section_text(path, path.parent if root is None else root)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        problems.append(Problem(path, 1, "no front matter: the file must start with a '+++' block"))
        return None, problems
    front, body, body_line = parts
    matter, found = read_front_matter(front, path)
    problems.extend(found)
    if matter is None:
        return None, problems
    section = Section(
        id=section_id,
        title=matter.title,
        order=matter.order,
        summary=matter.summary,
        reviewed=matter.reviewed,
        aliases=matter.aliases,
        body=body,
        path=path,
        body_line=body_line,
        next_review=matter.next_review,
        places=matter.places,
        key_lines=matter.key_lines,
    )
    return section, problems


def load_guide(root: Path | None = None) -> Guide:
    """Load every `*.md` section in `root` (the bundled guide by default).

    Raises ContentError only when there is nothing to read at all; individual
    broken files are skipped and reported in `Guide.problems`.
    """
    root = bundled_content_dir() if root is None else root
    return assemble_guide(root, ((path, *load_file(path, root)) for path in section_paths(root)))


def load_file(path: Path, root: Path) -> tuple[Section | None, list[Problem]]:
    """`load_section`, with anything a hostile file makes it raise as a problem."""
    try:
        return load_section(path, root)
    except Exception as error:  # noqa: BLE001 - one hostile file must not stop the rest
        return None, [Problem(path, 1, f"cannot read the file ({type(error).__name__}): {error}")]


def assemble_guide(
    root: Path,
    loaded: Iterable[tuple[Path, Section | None, list[Problem]]],
    digests: Mapping[str, str] | None = None,
) -> Guide:
    """The guide made of each file's (path, section or None, problems), in file order:
    duplicate ids reported and left out, sections in reading order."""
    sections: list[Section] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path, section, found in loaded:
        problems.extend(found)
        if section is None:
            continue
        if section.id.lower() in seen:
            problems.append(
                Problem(path, 1, f"duplicate id '{section.id}' (also {seen[section.id.lower()]})")
            )
            continue
        seen[section.id.lower()] = path
        sections.append(section)
    sections.sort(key=lambda s: (s.order, s.id))
    return Guide(root, tuple(sections), tuple(problems), digests or {})
