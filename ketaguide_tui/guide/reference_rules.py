"""Traceable sources: the rules `check` applies when a guide has a `references` section.

* Every `###` entry in `references` links a DOI (`https://doi.org/10.…`), a
  PubMed record (`https://pubmed.ncbi.nlm.nih.gov/<digits>/`) or an exact page
  (an address with a path beyond `/`). A PubMed search (`?term=`) is not one; a
  bare home page is one only in an entry marked `<!-- check: home-page -->`
  (a crisis service, whose home page is its exact address).
* A drug label entry (the word "label" in its heading or text; "off-label"
  does not count) gives the label's version date: a month and a year
  ("January 2025", "Jan 2025", "21 January 2025") or an ISO date (2025-01-21).
* Each item under a section's `## Sources` links an entry of `references`, and
  every entry is cited by some section.
* A figure (a number with `%` or `mg`) in a paragraph or list item has a citation
  link (to `references.md`) in that same paragraph or item; a table with figures
  has one somewhere in the table. A figure that is not a finding ("a drip counts
  as 100%") is marked `<!-- check: no-citation -->` in its paragraph, item or table.

Every pattern here is linear: words are found with single-class patterns and
figures by looking one or two characters around each `%` and `mg`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ketaguide_tui.guide.links import SectionLink, resolve_link
from ketaguide_tui.guide.model import SOURCES_HEADING, Guide, Heading, Link, Problem, Section

REFERENCES_ID = "references"
HOME_PAGE_MARKER = "<!-- check: home-page -->"
NO_CITATION_MARKER = "<!-- check: no-citation -->"
LABEL_WORDS = frozenset({"label", "labels", "labelling", "labeling"})
MONTHS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
_WORDS = re.compile(r"[a-z-]+")
_TOKENS = re.compile(r"[a-z]+|[0-9]+")
_ISO_DATE = re.compile(r"(?<![0-9])[12][0-9]{3}-[01][0-9]-[0-3][0-9](?![0-9])")


def reference_problems(guide: Guide) -> list[Problem]:
    """Every problem the reference rules find (none when there is no references section)."""
    references = guide.get(REFERENCES_ID)
    if references is None:
        return []
    entries = [h for h in references.headings if h.level == 3]
    anchors = {h.anchor for h in entries}
    problems: list[Problem] = []
    for heading, links, text, source in _entries(references, entries):
        problems.extend(_entry_problems(references, heading, links, text, source))
    cited: set[str] = set()
    for section in guide:
        if section.id == REFERENCES_ID:
            continue
        cited |= _cited_anchors(section, guide)
        problems.extend(_source_problems(section, guide, anchors))
        problems.extend(figure_problems(section))
    for heading in entries:
        if heading.anchor not in cited:
            message = f"reference '{heading.text}' is not cited by any section"
            problems.append(Problem(references.path, heading.line, message))
    return problems


def _entries(
    section: Section, entries: list[Heading]
) -> Iterator[tuple[Heading, list[Link], str, str]]:
    """Each entry's heading, links, text (heading and body) and Markdown source."""
    lines = section.body.split("\n")
    texts = {p.heading.anchor: p.text for p in section.reading.passages if p.heading}
    starts = [h.line for h in section.headings]
    next_start = dict(zip(starts, starts[1:], strict=False))
    links = iter(section.links)
    pending = next(links, None)
    for heading in entries:
        end = next_start.get(heading.line)
        found: list[Link] = []
        while pending is not None and (end is None or pending.line < end):
            if pending.line > heading.line:
                found.append(pending)
            pending = next(links, None)
        first = heading.line - section.body_line
        source = "\n".join(lines[first : None if end is None else end - section.body_line])
        yield heading, found, f"{heading.text} {texts.get(heading.anchor, '')}", source


def _entry_problems(
    section: Section, heading: Heading, links: list[Link], text: str, source: str
) -> list[Problem]:
    problems: list[Problem] = []
    kinds = {_address_kind(link.href) for link in links}
    home_page_allowed = HOME_PAGE_MARKER in source
    if not kinds & {"doi", "pubmed", "page"} and not ("home" in kinds and home_page_allowed):
        reason = (
            "links only a home page (mark a service's own site with " + HOME_PAGE_MARKER + ")"
            if "home" in kinds
            else "links only a PubMed search"
            if "search" in kinds
            else "has no link"
        )
        message = (
            f"reference '{heading.text}' needs a DOI, a PubMed record or an exact page"
            f" address: it {reason}"
        )
        problems.append(Problem(section.path, heading.line, message))
    if is_label(text) and not has_version_date(text):
        message = (
            f"reference '{heading.text}' is a drug label: give its version date"
            " (a month and year, or a date such as 2025-01-31)"
        )
        problems.append(Problem(section.path, heading.line, message))
    return problems


def _address_kind(href: str) -> str:
    """ "doi", "pubmed" (a record), "search" (a PubMed search), "page", "home" or "other"."""
    parts = urlsplit(href)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return "other"
    path = parts.path
    if host in ("doi.org", "dx.doi.org") and path.startswith("/10."):
        return "doi"
    if host == "pubmed.ncbi.nlm.nih.gov":
        return "pubmed" if path.strip("/").isdigit() else "search"
    if path in ("", "/") and not parts.query:
        return "home"
    return "page"


def is_label(text: str) -> bool:
    """True when the text speaks of a drug label ("off-label" is not one)."""
    return any(word in LABEL_WORDS for word in _WORDS.findall(text.lower()))


def has_version_date(text: str) -> bool:
    """A month name followed (within two words) by a year, or an ISO date."""
    if _ISO_DATE.search(text):
        return True
    tokens = _TOKENS.findall(text.lower())
    for index, token in enumerate(tokens):
        if token in MONTHS:
            following = tokens[index + 1 : index + 3]
            if any(len(t) == 4 and t.isdigit() and t[0] in "12" for t in following):
                return True
    return False


def _cites_references(href: str) -> bool:
    """A link to the references section (`references.md`, with or without an anchor)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return False
    return PurePosixPath(unquote(parts.path)).name == f"{REFERENCES_ID}.md"


def _cited_anchors(section: Section, guide: Guide) -> set[str]:
    anchors: set[str] = set()
    for link in section.links:
        if _cites_references(link.href):
            target = resolve_link(link.href, section.id, guide)
            if isinstance(target, SectionLink) and target.anchor:
                anchors.add(target.anchor)
    return anchors


def _source_problems(section: Section, guide: Guide, entries: set[str]) -> list[Problem]:
    """Items under `## Sources` that do not lead to an entry of the references section."""
    headings = section.headings
    start = next((h for h in headings if h.level == 2 and h.text == SOURCES_HEADING), None)
    if start is None:
        return []
    end = min((h.line for h in headings if h.line > start.line and h.level <= 2), default=None)
    problems: list[Problem] = []
    for unit in section.reading.units:
        if unit.kind != "item" or unit.line <= start.line or (end and unit.line >= end):
            continue
        targets = [resolve_link(link.href, section.id, guide) for link in unit.links]
        if not any(
            isinstance(t, SectionLink) and t.section_id == REFERENCES_ID and t.anchor in entries
            for t in targets
        ):
            message = f"source '{unit.text}' does not link an entry of the references section"
            problems.append(Problem(section.path, unit.line, message))
    return problems


def figure_problems(section: Section) -> list[Problem]:
    """Paragraphs, list items and tables with a figure (% or mg) and no citation link."""
    problems: list[Problem] = []
    lines = section.body.split("\n")
    for unit in section.reading.units:
        figure = first_figure(unit.text)
        if figure and not any(_cites_references(link.href) for link in unit.links):
            source = lines[unit.line - section.body_line : unit.end - section.body_line]
            if any(NO_CITATION_MARKER in line for line in source):
                continue
            where = {"table": "a table", "item": "a list item"}.get(unit.kind, "a paragraph")
            message = f"figure '{figure}' in {where} without a citation (a link to references.md)"
            problems.append(Problem(section.path, unit.line, message))
    return problems


def first_figure(text: str) -> str | None:
    """The first number given with `%` or `mg` ("41%", "0.5 mg"), if there is one."""
    lower = text.lower()
    for unit in ("%", "mg"):
        start = 0
        while (position := lower.find(unit, start)) >= 0:
            start = position + 1
            after = position + len(unit)
            if unit == "mg" and after < len(lower) and lower[after].isalpha():
                continue  # a word such as "mgmt", not milligrams
            end = position - 1 if position and lower[position - 1] == " " else position
            if end and lower[end - 1].isdigit():
                begin = end - 1
                while begin and (lower[begin - 1].isdigit() or lower[begin - 1] in ".,"):
                    begin -= 1
                return text[begin:after]
    return None
