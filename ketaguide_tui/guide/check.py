"""Validate a content folder: the problems `ketaguide check` reports.

Loading already reports unreadable, non-UTF-8 and malformed files, duplicate ids
and control characters in the files. This adds what needs the Markdown read or
the whole guide: control characters that decoding produced (`&#27;`, `%1b`),
links between sections and to headings, and fenced code blocks without a
language (the highlighter would have to guess, which can take seconds on long
lines).
"""

from __future__ import annotations

from ketaguide_tui.guide.links import RefusedLink, resolve_link
from ketaguide_tui.guide.markdown_reading import MAX_BLOCK_CHARS
from ketaguide_tui.guide.model import Guide, Problem, Section
from ketaguide_tui.guide.problems import removal_problems

MAX_REPEATS = 3
"""The same problem is listed this many times in one file; further ones are counted."""


def section_problems(section: Section, guide: Guide) -> list[Problem]:
    """Problems inside one loaded section."""
    problems = removal_problems(section.path, section.reading.removed)
    if not section.body.strip():
        problems.append(Problem(section.path, section.body_line, "the section has no text"))
    for link in section.links:
        target = resolve_link(link.href, section.id, guide)
        if isinstance(target, RefusedLink):
            problems.append(
                Problem(section.path, link.line, f"broken link '{link.href}': {target.reason}")
            )
    for block in section.reading.blocks:
        if block.too_long:
            limit = MAX_BLOCK_CHARS // 1024
            message = f"a block of {block.chars // 1024} KB, over the {limit} KB the reader shows"
            problems.append(Problem(section.path, section.body_line + block.start, message))
    for fence in section.fences:
        if not fence.info:
            problems.append(
                Problem(section.path, fence.line, "code block without a language (add one)")
            )
    return problems


def check_guide(guide: Guide) -> list[Problem]:
    """Every problem in the guide, ordered by file and line."""
    problems = list(guide.problems)
    for section in guide:
        problems.extend(_capped(section_problems(section, guide)))
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_REPEATS of one message in a file, then one line that counts the rest
    (a hostile file can hold thousands of the same broken link)."""
    seen: dict[str, tuple[Problem, int]] = {}
    kept: list[Problem] = []
    for problem in problems:
        first, count = seen.get(problem.message, (problem, 0))
        seen[problem.message] = (first, count + 1)
        if count < MAX_REPEATS:
            kept.append(problem)
    for message, (first, count) in seen.items():
        if count > MAX_REPEATS:
            note = f"{count - MAX_REPEATS} more like this: {message}"
            kept.append(Problem(first.path, first.line, note, first.warning))
    return kept
