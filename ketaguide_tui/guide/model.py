"""The guide's content model: sections loaded from a folder of Markdown files.

One file per section. The file name (without `.md`) is the section's id. Each
file starts with TOML front matter between `+++` lines::

    +++
    title = "Side effects"
    order = 130
    summary = "What people notice during and after a session."
    reviewed = 2026-11-28
    aliases = ["adverse effects", "dissociation"]
    +++

Nothing here imports Textual: the command line, the reader and the tests all
use it. Loading never raises for a bad file: the file is skipped and a
`Problem` says why, so the reader can start with what is valid.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ketaguide_tui.guide.slugs import SlugTracker
from ketaguide_tui.guide.text_safety import has_unsafe_characters, sanitize

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FRONT_MATTER_FENCE = "+++"
SOURCES_HEADING = "Sources"
REQUIRED_FIELDS = ("title", "order", "summary", "reviewed")
CRISIS_SECTION_ID = "get-help-now"
"""The section with crisis lines: one key opens it, and crisis searches show it first."""


class ContentError(Exception):
    """The content folder as a whole cannot be used (missing, empty, unreadable)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located for `file:line: message`."""

    path: Path
    """The file with the problem."""
    line: int
    """1-based line number in the file (1 when the problem is the whole file)."""
    message: str
    """What is wrong, in words a content author understands."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Heading:
    """A heading inside a section."""

    level: int
    """1 to 6, as in Markdown."""
    text: str
    """The heading's plain text."""
    anchor: str
    """Its unique slug within the section (what `#anchor` links use)."""
    line: int
    """1-based line in the file."""


@dataclass(frozen=True)
class Link:
    """A link found in a section's body."""

    href: str
    """The target exactly as written."""
    text: str
    """The link's visible text."""
    line: int
    """1-based line in the file."""


@dataclass(frozen=True)
class CodeFence:
    """A fenced code block (kept so `check` can flag ones without a language)."""

    info: str
    line: int


@dataclass(frozen=True)
class MarkdownScan:
    """What one parse of a section's Markdown yields."""

    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    fences: tuple[CodeFence, ...]
    block_lines: tuple[tuple[int, int, bool], ...]
    """Line ranges of the top-level blocks, for rendering a block at a time."""


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
    """The Markdown body, front matter removed, already sanitised."""
    path: Path
    body_line: int
    """1-based file line where the body starts (for locating problems)."""

    # Parsing the Markdown costs about as much as everything else in loading, and
    # start-up needs it for one section only, so it happens on first use.
    @cached_property
    def _scan(self) -> MarkdownScan:
        return scan_markdown(self.body, self.body_line)

    @property
    def headings(self) -> tuple[Heading, ...]:
        """Every heading, in order, with its unique anchor."""
        return self._scan.headings

    @property
    def links(self) -> tuple[Link, ...]:
        """Every link in the body, in order."""
        return self._scan.links

    @property
    def fences(self) -> tuple[CodeFence, ...]:
        """Every fenced code block."""
        return self._scan.fences

    @property
    def block_lines(self) -> tuple[tuple[int, int, bool], ...]:
        """Top-level blocks as (start, end, is a heading): 0-based, end-exclusive body lines."""
        return self._scan.block_lines

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


def bundled_content_dir() -> Path:
    """Where the guide that ships with the package lives.

    In an installed wheel it sits inside the package; in a source checkout it is
    the top-level `content/` folder beside the package.
    """
    packaged = Path(str(resources.files("ketaguide_tui"))) / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


def markdown_parser() -> MarkdownIt:
    """The parser for content: CommonMark with tables and strikethrough.

    This is the flavour the viewer renders (Rich's Markdown uses the same), so a
    link or heading found here is one the reader can show. Imported on first use
    to keep it off the start-up path.
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `+++` front matter from the body.

    Returns (front matter, body, 1-based line where the body starts), or None
    when the file does not start with a front matter block.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _inline_text(token: Token) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in ("text", "code_inline")
    )


def scan_markdown(body: str, first_line: int) -> MarkdownScan:
    """Headings (with unique anchors), links, code fences and top-level blocks of a body."""
    tokens = markdown_parser().parse(body)
    slugs = SlugTracker()
    headings: list[Heading] = []
    links: list[Link] = []
    fences: list[CodeFence] = []
    blocks: list[tuple[int, int, bool]] = []
    for index, token in enumerate(tokens):
        if token.level == 0 and token.nesting != -1 and token.map is not None:
            blocks.append((token.map[0], token.map[1], token.type == "heading_open"))
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1])
            headings.append(Heading(int(token.tag[1]), text, slugs.slug(text), line))
        elif token.type == "fence":
            fences.append(CodeFence(token.info.strip(), line))
        elif token.type == "inline":
            children = token.children or []
            for position, child in enumerate(children):
                if child.type == "link_open":
                    label = []
                    for follower in children[position + 1 :]:
                        if follower.type == "link_close":
                            break
                        label.append(follower.content)
                    href = str(child.attrs.get("href", ""))
                    links.append(Link(href, "".join(label), line))
    return MarkdownScan(tuple(headings), tuple(links), tuple(fences), tuple(blocks))


def _metadata_problems(meta: dict[str, object], path: Path) -> list[Problem]:
    problems = [
        Problem(path, 2, f"front matter is missing '{name}'")
        for name in REQUIRED_FIELDS
        if name not in meta
    ]
    expected: dict[str, type | tuple[type, ...]] = {
        "title": str,
        "order": int,
        "summary": str,
        "reviewed": date,
        "aliases": list,
    }
    for name, kind in expected.items():
        if name in meta and (not isinstance(meta[name], kind) or isinstance(meta[name], bool)):
            problems.append(Problem(path, 2, f"'{name}' has the wrong type ({_describe(kind)})"))
    for name in ("title", "summary"):
        value = meta.get(name)
        if isinstance(value, str) and not value.strip():
            problems.append(Problem(path, 2, f"'{name}' is empty"))
    aliases = meta.get("aliases", [])
    if isinstance(aliases, list) and not all(isinstance(a, str) for a in aliases):
        problems.append(Problem(path, 2, "'aliases' must be a list of strings"))
    return problems


def _describe(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", date: "a date such as 2026-01-31"}
    if isinstance(kind, type):
        return "expected " + names.get(kind, "a list of strings")
    return "expected " + " or ".join(names.get(k, k.__name__) for k in kind)


def load_section(path: Path) -> tuple[Section | None, list[Problem]]:
    """Read one section file. Returns the section (or None) and its problems."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, 1, f"cannot read the file: {error.strerror or error}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "the file is not valid UTF-8 text")]
    problems: list[Problem] = []
    if has_unsafe_characters(text):
        problems.append(
            Problem(path, 1, "control characters or terminal escape sequences were removed")
        )
    text = sanitize(text)
    parts = split_front_matter(text)
    if parts is None:
        return None, [Problem(path, 1, "no front matter: the file must start with a '+++' block")]
    front, body, body_line = parts
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(path, 1 + getattr(error, "lineno", 1), f"bad front matter: {error}")]
    meta_problems = _metadata_problems(meta, path)
    if meta_problems:
        return None, problems + meta_problems
    aliases = meta.get("aliases", [])
    assert isinstance(aliases, list)
    section = Section(
        id=path.stem,
        title=str(meta["title"]).strip(),
        order=int(str(meta["order"])),
        summary=str(meta["summary"]).strip(),
        reviewed=meta["reviewed"],  # checked by _metadata_problems
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        body=body,
        path=path,
        body_line=body_line,
    )
    return section, problems


def load_guide(root: Path | None = None) -> Guide:
    """Load every `*.md` section in `root` (the bundled guide by default).

    Raises ContentError only when there is nothing to read at all; individual
    broken files are skipped and reported in `Guide.problems`.
    """
    root = bundled_content_dir() if root is None else root
    if not root.exists():
        raise ContentError(f"content folder not found: {root}")
    if not root.is_dir():
        raise ContentError(f"not a folder: {root}")
    try:
        paths = sorted(p for p in root.iterdir() if p.suffix == ".md" and p.is_file())
    except OSError as error:
        raise ContentError(f"cannot read {root}: {error.strerror or error}") from error
    if not paths:
        raise ContentError(f"no sections (*.md files) in {root}")
    sections: list[Section] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        section, found = load_section(path)
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
    return Guide(root=root, sections=tuple(sections), problems=tuple(problems))
