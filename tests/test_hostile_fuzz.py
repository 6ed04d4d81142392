"""Fuzzing: content files built from hostile alphabets never crash or leak a control.

Front matter strings come in every TOML form (basic, literal, multi-line, with
`\\u`/`\\U` escapes of controls), with huge numbers and deep nesting; bodies mix
raw, entity-encoded and percent-encoded controls with markup, brackets and
Markdown; file names carry controls too. For every generated folder: loading
never raises, `check` never raises, and nothing a section gives out, no problem
`check` prints, no line of `show --plain` and no search snippet holds an
escape, C0/C1 control or bidi character.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.cli import main
from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.model import Guide, load_guide

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029"] + [chr(c) for c in range(0x202A, 0x202F)]
BIDI += [chr(c) for c in range(0x2066, 0x206A)]
NASTY = CONTROLS + BIDI
MARKUP = ["[b]", "[/b]", "[@click=app.quit]", "[/]", "[link=https://x.example]", "[S]", "\\"]
MARKDOWN = ["## ", "\n", "\n\n", "`", "*", "_", "<", ">", "[", "]", "(", ")", "#", "&", "%"]
WORDS = ["ketamine", "dose", "x", "Café", "1", "2026", "-"]


def toml_basic(text: str, multiline: bool, long_escapes: bool) -> str:
    out = []
    for char in text:
        if char in NASTY or char == "\n" and not multiline:
            out.append(f"\\U{ord(char):08x}" if long_escapes else f"\\u{ord(char):04x}")
        elif char in '"\\':
            out.append("\\" + char)
        else:
            out.append(char)
    quote = '"""' if multiline else '"'
    return quote + "".join(out) + quote


def toml_literal(text: str, multiline: bool) -> str:
    # Literal strings cannot escape: raw controls go in as they are (loading cleans the
    # raw file before TOML sees it, or TOML refuses the file: both are fine).
    if multiline:
        return "'''" + text.replace("'''", "") + "'''"
    return "'" + text.replace("'", "").replace("\n", " ") + "'"


TEXT = st.lists(
    st.one_of(st.sampled_from(NASTY), st.sampled_from(MARKUP + WORDS), st.just(" ")), max_size=12
).map("".join)


@st.composite
def toml_string(draw: st.DrawFn) -> str:
    text = draw(TEXT)
    form = draw(st.sampled_from(["basic", "basic-u", "multi", "literal", "multi-literal"]))
    if form.endswith("literal"):
        return toml_literal(text, form == "multi-literal")
    return toml_basic(text, form == "multi", form == "basic-u")


@st.composite
def entity(draw: st.DrawFn) -> str:
    code = ord(draw(st.sampled_from(NASTY)))
    return draw(st.sampled_from([f"&#{code};", f"&#x{code:x};", f"&#X{code:04X};"]))


@st.composite
def percent_link(draw: st.DrawFn) -> str:
    encoded = "".join(
        f"%{byte:02x}"
        for char in draw(st.lists(st.sampled_from(NASTY), max_size=4))
        for byte in char.encode()
    )
    target = draw(st.sampled_from(["https://x.example/", "", "#", "other.md#"]))
    if target.startswith("http"):
        return f"<{target}{encoded}]0;T> [t]({target}{encoded})"
    return f"[t]({target}{encoded}.md)"


BODY = st.lists(
    st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(MARKUP + MARKDOWN + WORDS),
        entity(),
        percent_link(),
        st.just(" "),
    ),
    max_size=40,
).map("".join)


@st.composite
def section_file(draw: st.DrawFn) -> str:
    order = draw(
        st.one_of(
            st.integers(-(10**6), 10**6).map(str), st.integers(1, 6000).map(lambda n: "9" * n)
        )
    )
    reviewed = draw(st.sampled_from(["2026-01-15", "2026-01-15T10:00:00Z", "2026-02-30", '"x"']))
    lines = [
        f"title = {draw(toml_string())}",
        f"order = {order}",
        f"summary = {draw(toml_string())}",
        f"reviewed = {reviewed}",
        f"aliases = [{draw(toml_string())}, {draw(toml_string())}]",
        f"places = [{draw(toml_string())}]",
    ]
    depth = draw(st.sampled_from([0, 1, 50, 3000]))
    if depth:
        lines.append("nested = " + "[" * depth + "]" * depth)
    return "+++\n" + "\n".join(lines) + "\n+++\n\n" + draw(BODY) + "\n"


FILE_NAME = (
    st.lists(
        st.one_of(st.sampled_from(NASTY), st.sampled_from(list("abc-é"))), min_size=1, max_size=8
    )
    .map("".join)
    .filter(lambda name: "\x00" not in name)
)

FOLDER = st.dictionaries(FILE_NAME, section_file(), min_size=1, max_size=4)


def write_folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "content"
    folder.mkdir()
    (folder / "plain.md").write_text(
        '+++\ntitle = "Plain"\norder = 1\nsummary = "S."\nreviewed = 2026-01-15\n+++\n\nText.\n',
        encoding="utf-8",
    )
    for name, text in files.items():
        (folder / f"{name}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    return folder


def assert_clean(text: str, where: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{where}: {found.group()!r} in {text!r}"


def show_plain(folder: Path, section_id: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["show", "--plain", "--content", str(folder), "--", section_id])
    assert code == 0, err.getvalue()
    return out.getvalue() + err.getvalue()


def everything_a_section_gives(guide: Guide) -> str:
    parts: list[str] = []
    for section in guide:
        reading = section.reading
        parts += [section.id, section.title, section.summary, *section.aliases, *section.places]
        parts += [h.text + h.anchor for h in reading.headings]
        parts += [link.text + link.href for link in reading.links]
        parts += [reading.plain_text] + [p.text for p in reading.passages]
    return "\n".join(parts)


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(FOLDER)
def test_load_check_and_show_plain_never_crash_or_leak(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_folder(Path(temporary), files)
        guide = load_guide(folder)
        assert guide.get("plain") is not None  # the rest of the folder still loads
        assert_clean(everything_a_section_gives(guide), "model")
        problems = check_guide(guide)
        assert_clean("\n".join(str(problem) for problem in problems), "check")
        for section in guide:
            assert_clean(show_plain(folder, section.id), f"show --plain {section.id!r}")


def search_index_class() -> type:
    """The search package's public index, once it exports one."""
    search = importlib.import_module("ketaguide_tui.search")
    index = getattr(search, "SearchIndex", None)
    if index is None:
        pytest.skip("ketaguide_tui.search does not export SearchIndex yet")
    assert isinstance(index, type)
    return index


@SETTINGS
@given(FOLDER, st.sampled_from(["ketamine", "dose", "t", "x", "plain", "text"]))
def test_search_snippets_hold_no_control(files: dict[str, str], query: str) -> None:
    index_class = search_index_class()
    with tempfile.TemporaryDirectory() as temporary:
        guide = load_guide(write_folder(Path(temporary), files))
        for hit in index_class.build(guide).search(query).hits:
            assert_clean(" ".join([hit.snippet, hit.heading or "", hit.section_title]), "snippet")
