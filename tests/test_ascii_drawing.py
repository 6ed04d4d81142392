"""Fitting what the reader draws to an ASCII (or other narrow) terminal encoding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import ControlType, Segment
from rich.style import Style
from textual.color import Color

from ketaguide_tui.tui.ascii_drawing import FitToEncoding, fit_text


@given(st.text(max_size=80), st.sampled_from(["ascii", "latin-1", "cp1252"]))
def test_any_text_fits_the_encoding_and_keeps_its_width(text: str, encoding: str) -> None:
    fitted = fit_text(text, encoding)
    fitted.encode(encoding)  # never an encoding error
    assert cell_len(fitted) == cell_len(text)


def test_drawing_characters_have_ascii_stand_ins() -> None:
    assert fit_text("╭──╮ │ ├─ ▶ ▼ • ✓ … “quoted” café", "ascii") == (
        '+--+ | +- > v * * . "quoted" cafe'
    )
    assert fit_text("🔎 search", "ascii") == "   search"  # an icon becomes blanks


def test_latin_1_keeps_what_it_can_show() -> None:
    assert fit_text("café ─", "latin-1") == "café -"


def test_the_filter_keeps_styles_and_control_segments() -> None:
    bold = Style(bold=True)
    out = FitToEncoding("ascii").apply(
        [Segment("▶ Start", bold), Segment("─", None, [(ControlType.HOME,)])], Color(0, 0, 0)
    )
    assert out[0] == Segment("> Start", bold)
    assert out[1].text == "─"  # a control segment is the terminal's business, not text
