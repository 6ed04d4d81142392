"""The linear reader's choices: what the prompt offers, and what a typed line means.

A choice is made by its number or one of its words, then Enter. "help" and "!"
(and "get help now") open crisis help from every prompt; anything that is not
a choice is searched for, so typing a question is never a dead end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """One thing the prompt offers."""

    id: str
    number: int
    label: str
    words: tuple[str, ...]


CHOICES: tuple[Choice, ...] = (
    Choice("next", 1, "next section", ("next", "n")),
    Choice("previous", 2, "previous section", ("previous", "prev", "p")),
    Choice("contents", 3, "contents", ("contents", "c", "sections", "list")),
    Choice("search", 4, "search", ("search", "s", "find")),
    Choice("links", 5, "links", ("links", "link", "l")),
    Choice("help", 6, "get help now", ("help", "!", "h", "get help now", "crisis")),
    Choice("quit", 7, "quit", ("quit", "q", "exit", "bye")),
)
EXTRA_WORDS = {"again": "again", "a": "again", "r": "again", "?": "choices", "choices": "choices"}
"""Words the prompt does not list: read the section again, say the choices again."""

PROMPT = "Choices: " + ", ".join(f"{c.number} {c.label}" for c in CHOICES) + "."
HINT = "Type a number or a word, then Enter. Type words to search for them."


@dataclass(frozen=True)
class Typed:
    """What a line typed at the main prompt asks for."""

    action: str
    """A choice id, "again", "choices", "search" (with `text`) or "nothing"."""
    text: str = ""
    """The words to search for, when the line was not a choice ("search side effects")."""


def read_choice(line: str) -> Typed:
    """The meaning of one line typed at the main prompt."""
    text = " ".join(line.split())[:500]
    word = text.lower()
    if not word:
        return Typed("nothing")
    for choice in CHOICES:
        if word == str(choice.number) or word in choice.words:
            return Typed(choice.id)
    if word in EXTRA_WORDS:
        return Typed(EXTRA_WORDS[word])
    first, _, rest = text.partition(" ")
    if first.lower() in ("search", "find", "s", "/") and rest:
        return Typed("search", rest)
    if word.startswith("/") and len(word) > 1:
        return Typed("search", text[1:].strip())
    return Typed("search", text)


def read_number(line: str, count: int) -> int | None:
    """A 1-based choice among `count` numbered items, or None (not a number in range)."""
    text = line.strip().rstrip(".")
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    number = int(text)
    return number if 1 <= number <= count else None


def is_crisis_word(line: str) -> bool:
    """True for "help", "!" and the other words of the get-help-now choice."""
    return read_choice(line).action == "help"
