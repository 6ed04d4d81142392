"""Validate a content folder: the problems `ketaguide check` reports.

Loading already reports unreadable, non-UTF-8 and malformed files, duplicate ids
and control characters in the files. This adds what needs the Markdown read or
the whole guide: control characters that decoding produced (`&#27;`, `%1b`),
links between sections and to headings, blocks too long for the reader, fenced
code blocks without a language (the highlighter would have to guess, which can
take seconds on long lines), the reference rules (`reference_rules`) and the glossary's
names (`glossary`: an empty "Also called:" name, a name two entries share).

Review dates give warnings, not problems: a section whose `next_review` has
passed, or whose `next_review` is more than 12 months after `reviewed`. A date
that passes should not break a build; `check --strict` counts warnings too.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote

from ketaguide_tui.guide.glossary import glossary_problems
from ketaguide_tui.guide.links import RefusedLink, resolve_link
from ketaguide_tui.guide.markdown_reading import MAX_BLOCK_CHARS
from ketaguide_tui.guide.model import Guide, Problem, Section
from ketaguide_tui.guide.problems import removal_problems
from ketaguide_tui.guide.reference_rules import reference_problems
from ketaguide_tui.guide.text_safety import unsafe_characters

MAX_REPEATS = 3
"""The same problem is listed this many times in one file; further ones are counted."""


def section_problems(section: Section, guide: Guide) -> list[Problem]:
    """Problems inside one loaded section."""
    problems = removal_problems(section.path, section.reading.removed)
    if not section.body.strip():
        problems.append(Problem(section.path, section.body_line, "the section has no text"))
    for link in section.links:
        decoded = "".join(char for _, char in unsafe_characters(unquote(link.href), keep_cr=False))
        if decoded:
            problems += removal_problems(section.path, [(link.line, decoded)], "link target: ")
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


def review_warnings(section: Section, today: date) -> list[Problem]:
    """Warnings about a section's review dates, as of `today`."""
    due = section.next_review
    if due is None:
        return []
    line = section.key_line("next_review")
    if due < section.reviewed:
        return [Problem(section.path, line, f"next_review {due} is before reviewed")]
    warnings: list[Problem] = []
    if due < today:
        message = f"the review was due on {due}: review the section and update the dates"
        warnings.append(Problem(section.path, line, message, warning=True))
    if due > _a_year_after(section.reviewed):
        message = f"next_review {due} is more than 12 months after reviewed {section.reviewed}"
        warnings.append(Problem(section.path, line, message, warning=True))
    return warnings


def _a_year_after(day: date) -> date:
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def check_guide(guide: Guide, today: date | None = None) -> list[Problem]:
    """Every problem and warning in the guide, ordered by file and line.

    `today` (the current date by default) decides which reviews are overdue.
    """
    today = date.today() if today is None else today
    problems = list(guide.problems)
    for section in guide:
        try:
            found = section_problems(section, guide) + review_warnings(section, today)
        except Exception as error:  # noqa: BLE001 - one section must not stop the check
            found = [Problem(section.path, 1, f"cannot check ({type(error).__name__}): {error}")]
        problems.extend(_capped(found))
    problems.extend(_capped(reference_problems(guide)))
    problems.extend(_capped(glossary_problems(guide)))
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
