"""Sections, problems and Markdown readings as JSON for the cache, and back, checked.

The cache is untrusted input (see `cache_file`), so decoding never takes a value
on trust: every field must have its exact type, every string must already be
clean (`text_safety.clean` would change nothing), and anything else raises
`ValueError` or `TypeError`, which the cache reads as "not cached". No pickle:
JSON holds data only.

Values are compact arrays in a fixed order, not objects: a cache of ten
thousand sections is read at every start, and keys would double its size.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.inline_text import Link
from ketaguide_tui.guide.problems import Problem
from ketaguide_tui.guide.reading_types import (
    Block,
    CodeFence,
    Heading,
    MarkdownReading,
    Passage,
    TextUnit,
)
from ketaguide_tui.guide.text_safety import clean

SectionFields = dict[str, Any]
"""The keyword arguments of `Section` other than `path` (and, stored, other than `body`)."""


def text_value(value: object) -> str:
    if type(value) is not str or clean(value) is not value:
        raise ValueError("not a clean string")
    return value


def int_value(value: object) -> int:
    if type(value) is not int:
        raise TypeError("not a whole number")
    return value


def list_value(value: object, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise TypeError("not a list of the right length")
    return value


def text_values(value: object) -> tuple[str, ...]:
    return tuple(text_value(item) for item in list_value(value))


def dumps(value: object) -> str:
    """Compact JSON (the cache's one text format)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def guide_digest(digests: Mapping[str, str]) -> str:
    """One digest of every section's digest (`Guide.digests`): the same only when the
    guide's sections are. The guide cache and the search index's both record it."""
    text = dumps(sorted(digests.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# -- sections and problems --


def encode_section(fields: SectionFields) -> str:
    """A section's fields other than its body as JSON (the body is stored on its own, and
    read only when needed)."""
    return dumps(section_values(fields))


def section_values(fields: SectionFields) -> list[Any]:
    """A section's fields other than its body, as the list `encode_section` writes."""
    return [
        fields["id"],
        fields["title"],
        fields["order"],
        fields["summary"],
        fields["reviewed"].isoformat(),
        list(fields["aliases"]),
        fields["body_line"],
        fields["next_review"].isoformat() if fields["next_review"] else None,
        list(fields["places"]),
        [list(pair) for pair in fields["key_lines"]],
    ]


def decode_section(text: str) -> SectionFields:
    """The fields `encode_section` wrote, checked; raises ValueError or TypeError."""
    return section_fields(json.loads(text), is_clean_json(text))


def is_clean_json(text: str) -> bool:
    """True when JSON `text` can only decode to clean strings: no escapes, nothing unsafe.

    Then the strings in it need not be checked one by one (the usual case, and ten
    thousand sections are decoded at every start)."""
    return "\\" not in text and clean(text) is text


def section_fields(values: object, strings_clean: bool) -> SectionFields:
    """A section's fields from the list `encode_section` wrote, decoded; every string is
    checked to be clean unless the JSON it came from is (`is_clean_json`)."""
    string = _string if strings_clean else text_value
    (
        section_id,
        title,
        order,
        summary,
        reviewed,
        aliases,
        body_line,
        next_review,
        places,
        key_lines,
    ) = list_value(values, 10)
    return {
        "id": string(section_id),
        "title": string(title),
        "order": int_value(order),
        "summary": string(summary),
        "reviewed": date.fromisoformat(string(reviewed)),
        "aliases": tuple(map(string, list_value(aliases))),
        "body_line": int_value(body_line),
        "next_review": None if next_review is None else date.fromisoformat(string(next_review)),
        "places": tuple(map(string, list_value(places))),
        "key_lines": tuple(
            (string(key), int_value(line)) for key, line in map(_pair, list_value(key_lines))
        ),
    }


def _string(value: object) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def encode_problems(problems: list[Problem]) -> str:
    """A file's problems as JSON (their path is the file's, so it is not stored)."""
    return dumps([[p.line, p.message, p.warning] for p in problems])


def decode_problems(text: str, path: Path) -> list[Problem]:
    """The problems `encode_problems` wrote, for the file at `path`."""
    problems = []
    for item in list_value(json.loads(text)):
        line, message, warning = list_value(item, 3)
        if type(warning) is not bool:
            raise TypeError("not a flag")
        problems.append(Problem(path, int_value(line), text_value(message), warning))
    return problems


# -- Markdown readings --


def heading_value(value: object) -> Heading | None:
    if value is None:
        return None
    level, text, anchor, line = list_value(value, 4)
    return Heading(int_value(level), text_value(text), text_value(anchor), int_value(line))


def heading_json(heading: Heading | None) -> list[Any] | None:
    if heading is None:
        return None
    return [heading.level, heading.text, heading.anchor, heading.line]


def _link(value: object) -> Link:
    href, text, line = list_value(value, 3)
    return Link(text_value(href), text_value(text), int_value(line))


def encode_reading(reading: MarkdownReading) -> str:
    """One Markdown reading as JSON."""
    return dumps(
        [
            [heading_json(h) for h in reading.headings],
            [[link.href, link.text, link.line] for link in reading.links],
            [[fence.info, fence.line] for fence in reading.fences],
            [
                [b.kind, b.start, b.end, heading_json(b.heading), list(b.anchors), b.plain, b.chars]
                for b in reading.blocks
            ],
            [[heading_json(p.heading), heading_json(p.parent), p.text] for p in reading.passages],
            [
                [u.kind, u.line, u.text, [[k.href, k.text, k.line] for k in u.links], u.end]
                for u in reading.units
            ],
            [list(pair) for pair in reading.removed],
        ]
    )


def decode_reading(text: str) -> MarkdownReading:
    """The reading `encode_reading` wrote, checked; raises ValueError or TypeError."""
    headings, links, fences, blocks, passages, units, removed = list_value(json.loads(text), 7)
    decoded_headings = tuple(heading_value(h) for h in list_value(headings))
    if None in decoded_headings:
        raise ValueError("a heading is missing")
    return MarkdownReading(
        headings=decoded_headings,  # type: ignore[arg-type]  # None ruled out above
        links=tuple(_link(link) for link in list_value(links)),
        fences=tuple(
            CodeFence(text_value(info), int_value(line))
            for info, line in map(_pair, list_value(fences))
        ),
        blocks=tuple(_block(block) for block in list_value(blocks)),
        passages=tuple(_passage(passage) for passage in list_value(passages)),
        units=tuple(_unit(unit) for unit in list_value(units)),
        removed=tuple(
            (int_value(line), _removed(chars)) for line, chars in map(_pair, list_value(removed))
        ),
    )


def _removed(value: object) -> str:
    # The characters cleaning took out: unsafe by definition, and only ever described
    # by name (`text_safety.describe`), never printed.
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _pair(value: object) -> list[Any]:
    return list_value(value, 2)


def _block(value: object) -> Block:
    kind, start, end, heading, anchors, plain, chars = list_value(value, 7)
    return Block(
        text_value(kind),
        int_value(start),
        int_value(end),
        heading_value(heading),
        text_values(anchors),
        text_value(plain),
        int_value(chars),
    )


def _passage(value: object) -> Passage:
    heading, parent, text = list_value(value, 3)
    return Passage(heading_value(heading), heading_value(parent), text_value(text))


def _unit(value: object) -> TextUnit:
    kind, line, text, links, end = list_value(value, 5)
    return TextUnit(
        text_value(kind),
        int_value(line),
        text_value(text),
        tuple(_link(link) for link in list_value(links)),
        int_value(end),
    )
