"""How current a section is, as the reader, `show --plain` and `list --json` say it.

"Last reviewed 2 December 2026" is the section's own line (`Section.reviewed_text`);
this module adds the next review: "Next review due 2 December 2027", or, once that
date has passed, "Review overdue since 2 December 2027". Today's date is always
passed in, so tests (and a reader left open overnight) get the right answer.
"""

from __future__ import annotations

from datetime import date

from ketaguide_tui.guide.model import Section

UPDATED_SINCE_READ = "updated since you read it"
"""What the sidebar and viewer say of a section reviewed again after it was read."""


def long_date(day: date) -> str:
    """A date as a reader sees it: "2 December 2027"."""
    return f"{day.day} {day:%B %Y}"


def is_overdue(section: Section, today: date) -> bool:
    """True once the section's `next_review` date has passed."""
    return section.next_review is not None and section.next_review < today


def next_review_text(section: Section, today: date) -> str | None:
    """ "Next review due …", "Review overdue since …", or None without a next_review."""
    due = section.next_review
    if due is None:
        return None
    if is_overdue(section, today):
        return f"Review overdue since {long_date(due)}: check for newer advice"
    return f"Next review due {long_date(due)}"


def review_lines(section: Section, today: date) -> list[str]:
    """The lines under a section's title: last reviewed, then the next review if known."""
    due = next_review_text(section, today)
    return [section.reviewed_text] if due is None else [section.reviewed_text, due]


def review_fields(section: Section, today: date) -> dict[str, object]:
    """`reviewed`, `next_review` and `overdue` for `list --json`."""
    return {
        "reviewed": section.reviewed.isoformat(),
        "next_review": section.next_review.isoformat() if section.next_review else None,
        "overdue": is_overdue(section, today),
    }
