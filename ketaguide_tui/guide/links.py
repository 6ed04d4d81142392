"""What a link in the guide points at, decided the same way by the reader and by `check`.

Links are untrusted content. A link may name another section (`side-effects.md`,
optionally `#heading`), a heading in the same section (`#heading`), or a web
address (http or https, shown to the reader before anything opens). Anything else
(`file:`, `javascript:`, paths outside the content folder, ...) is refused.
Everything a result carries is cleaned after percent-decoding, so a reason or an
address shown to the reader holds no control character.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.guide.slugs import normalize_anchor
from ketaguide_tui.guide.text_safety import clean_line

WEB_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class SectionLink:
    """A link to a section of the guide, perhaps to one of its headings."""

    section_id: str
    anchor: str | None


@dataclass(frozen=True)
class WebLink:
    """A link to a web page; the reader shows the full address before opening it."""

    url: str


@dataclass(frozen=True)
class RefusedLink:
    """A link the reader will not follow, and why."""

    href: str
    reason: str


LinkTarget = SectionLink | WebLink | RefusedLink


def resolve_link(href: str, current_section: str, guide: Guide) -> LinkTarget:
    """Classify `href` (as written in `current_section`) and check its target exists."""
    href = clean_line(href)
    if not href:
        return RefusedLink(href, "the link is empty")
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        if not parts.netloc:
            return RefusedLink(href, "the web address has no host")
        return WebLink(href)
    if scheme or parts.netloc:
        shown = scheme or "network"
        return RefusedLink(href, f"'{shown}:' links are not opened by this reader")
    anchor = clean_line(normalize_anchor(parts.fragment)) or None
    path = clean_line(unquote(parts.path))
    if not path:
        section_id = current_section
    else:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or len(pure.parts) != 1:
            return RefusedLink(href, "the link points outside the guide")
        if pure.suffix.lower() != ".md":
            return RefusedLink(href, "only links to other sections (.md files) can be followed")
        section_id = pure.stem
    section = guide.get(section_id)
    if section is None:
        return RefusedLink(href, f"there is no section '{section_id}'")
    if anchor is not None and anchor not in section.anchors:
        return RefusedLink(href, f"section '{section_id}' has no heading '#{anchor}'")
    return SectionLink(section_id, anchor)
