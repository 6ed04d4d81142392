"""The fast reader of plain front matter agrees with tomllib wherever it answers."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide.bundled import bundled_content_dir
from ketaguide_tui.guide.front_matter import split_front_matter
from ketaguide_tui.guide.plain_toml import read_plain_toml

KEYS = st.sampled_from(["title", "order", "summary", "aliases", "a-b", "x_1", "9", '"q"', "a.b"])
TEXT = st.text(
    st.sampled_from('ab é"\\\t\r#[],=-\x01\x7f\u2028') | st.characters(codec="utf-8"),
    max_size=10,
)
STRING = TEXT.map(lambda text: f'"{text}"')
NUMBER = st.sampled_from(["0", "-0", "+1", "007", "1_000", "12", "-45", "9" * 20, "1.5", "0x1f"])
DATE = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
)
LIST = st.lists(STRING | NUMBER, max_size=4).flatmap(
    lambda items: st.sampled_from([", ", ",", " ,  "]).map(
        lambda comma: "[" + comma.join(items) + (", " if items and len(items) % 2 else "") + "]"
    )
)
VALUE = STRING | NUMBER | DATE | LIST | TEXT
SPACE = st.sampled_from(["", " ", "\t", "  "])
KEY_VALUE = st.builds(
    lambda a, k, b, c, v, d: f"{a}{k}{b}={c}{v}{d}", SPACE, KEYS, SPACE, SPACE, VALUE, SPACE
)
OTHER = SPACE | TEXT | st.sampled_from(["# note", "[table]", 'k = "x" # note', 'k = """x"""'])
LINE = st.one_of(KEY_VALUE, KEY_VALUE, KEY_VALUE, OTHER)


@settings(max_examples=600)
@given(KEY_VALUE)
def test_agrees_with_tomllib_on_any_one_line(line: str) -> None:
    plain = read_plain_toml(line)
    if plain is not None:
        assert plain == tomllib.loads(line)


@settings(max_examples=600)
@given(st.lists(LINE, max_size=6))
def test_agrees_with_tomllib_whenever_it_answers(lines: list[str]) -> None:
    front = "\n".join(lines)
    plain = read_plain_toml(front)
    if plain is not None:
        assert plain == tomllib.loads(front)


def test_reads_every_bundled_section_without_tomllib() -> None:
    # The speed-up only counts if the guide's own front matter takes the fast way.
    for path in sorted(bundled_content_dir().glob("*.md")):
        split = split_front_matter(path.read_text(encoding="utf-8"))
        assert split is not None, path.name
        assert read_plain_toml(split[0]) == tomllib.loads(split[0]), path.name


@pytest.mark.parametrize(
    "front",
    [
        'title = "a" # a comment',
        'title = "a"\ntitle = "b"',
        'title = "a \\"quoted\\" word"',
        "reviewed = 2026-02-30",
        "order = 1_000",
        "order = 99999999999999999999",
        '[extra]\ntitle = "a"',
        'aliases = [\n  "a",\n]',
        'title = "a"\r',
        'title = "a\x7fb"',
        'title = "a\x01b"',
        'aliases = ["a\x1fb"]',
    ],
)
def test_leaves_anything_else_to_tomllib(front: str) -> None:
    assert read_plain_toml(front) is None


def test_reads_the_plain_forms() -> None:
    front = (
        'title = "Ketamine: what\'s known"\norder = -3\n\n'
        'reviewed = 2026-12-02\naliases = ["a", "b",]'
    )
    assert read_plain_toml(front) == {
        "title": "Ketamine: what's known",
        "order": -3,
        "reviewed": date(2026, 12, 2),
        "aliases": ["a", "b"],
    }
