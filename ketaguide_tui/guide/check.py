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
from ketaguide_tui.guide.model import Guide, Problem, Section
from ketaguide_tui.guide.problems import removal_problems


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
        problems.extend(section_problems(section, guide))
    return sorted(problems, key=lambda p: (str(p.path), p.line))
