"""WCAG contrast, and what a colour becomes in a terminal with fewer colours.

A colour the reader asks for in truecolor is sent to a 256-colour terminal as
the nearest entry of xterm's colour cube or grey ramp, and to a 16-colour
terminal as one of the 16 standard colours; the terminal then shows that
number in its own palette. This module reproduces the downgrade the terminal
library performs (Rich's rules, checked against Rich by the tests) and gives
the colour the reader then sees under a named reference palette, so contrast
can be checked for what is really on the screen.

Plain Python on purpose: the core imports no terminal library.
"""

from __future__ import annotations

from colorsys import rgb_to_hls
from dataclasses import dataclass
from math import sqrt

RGB = tuple[int, int, int]
"""A colour as red, green, blue, each 0-255."""

WCAG_AA_TEXT = 4.5
"""The least contrast WCAG 2 (level AA) asks for ordinary text."""

# Colour systems, named as the terminal library names them.
TRUECOLOR = "truecolor"
EIGHT_BIT = "256"
STANDARD = "standard"
COLOUR_SYSTEMS = (TRUECOLOR, EIGHT_BIT, STANDARD)


@dataclass(frozen=True)
class ReferencePalette:
    """What a terminal shows for each of its first 16 colour numbers."""

    name: str
    colours: tuple[RGB, ...]


XTERM_16 = ReferencePalette(
    "xterm",
    (
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ),
)
"""xterm's default 16 colours (its XTerm-col.ad resources)."""

VGA_16 = ReferencePalette(
    "Linux console (VGA)",
    (
        (0, 0, 0),
        (170, 0, 0),
        (0, 170, 0),
        (170, 85, 0),
        (0, 0, 170),
        (170, 0, 170),
        (0, 170, 170),
        (170, 170, 170),
        (85, 85, 85),
        (255, 85, 85),
        (85, 255, 85),
        (255, 255, 85),
        (85, 85, 255),
        (255, 85, 255),
        (85, 255, 255),
        (255, 255, 255),
    ),
)
"""The Linux console's default colours (TERM=linux), the VGA palette."""

REFERENCE_PALETTES = (XTERM_16, VGA_16)

_CUBE_LEVELS = (0, 95, 135, 175, 215, 255)


def xterm_256(number: int, base: ReferencePalette = XTERM_16) -> RGB:
    """The colour xterm shows for 256-colour number `number` (0-15 from `base`)."""
    if number < 16:
        return base.colours[number]
    if number < 232:
        n = number - 16
        return (_CUBE_LEVELS[n // 36], _CUBE_LEVELS[n // 6 % 6], _CUBE_LEVELS[n % 6])
    grey = 8 + 10 * (number - 232)
    return (grey, grey, grey)


def parse_hex(colour: str) -> RGB:
    """`#rrggbb` (or `rrggbb`) as a triple."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(one: RGB, other: RGB) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21 (order does not matter)."""
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def eight_bit_number(rgb: RGB) -> int:
    """The 256-colour number a truecolor colour is sent as (greys go to the grey ramp)."""
    _hue, lightness, saturation = rgb_to_hls(*(c / 255 for c in rgb))
    if saturation < 0.15:
        grey = round(lightness * 25.0)
        return 16 if grey == 0 else 231 if grey == 25 else 231 + grey

    def level(c: int) -> int:
        return round(c / 95 if c < 95 else 1 + (c - 95) / 40)

    red, green, blue = (level(c) for c in rgb)
    return 16 + 36 * red + 6 * green + blue


# The palette the terminal library matches against when it picks one of 16 colours.
_STANDARD_MATCH = VGA_16.colours


def _distance(one: RGB, other: RGB) -> float:
    """The weighted ("redmean") colour distance the terminal library matches with."""
    red_mean = (one[0] + other[0]) // 2
    red, green, blue = (a - b for a, b in zip(one, other, strict=True))
    return sqrt(
        (((512 + red_mean) * red * red) >> 8)
        + 4 * green * green
        + (((767 - red_mean) * blue * blue) >> 8)
    )


def standard_number(rgb: RGB) -> int:
    """The 16-colour number a truecolor colour is sent as."""
    return min(range(16), key=lambda index: _distance(rgb, _STANDARD_MATCH[index]))


def shown_as(rgb: RGB, system: str, palette: ReferencePalette = XTERM_16) -> RGB:
    """The colour a terminal of colour `system` shows for `rgb`, under `palette`."""
    if system == TRUECOLOR:
        return rgb
    if system == EIGHT_BIT:
        return xterm_256(eight_bit_number(rgb), palette)
    if system == STANDARD:
        return palette.colours[standard_number(rgb)]
    raise ValueError(f"unknown colour system: {system!r}")


def shown_contrast(
    foreground: RGB, background: RGB, system: str, palette: ReferencePalette = XTERM_16
) -> float:
    """Contrast of text as a terminal of colour `system` shows it, under `palette`."""
    return contrast_ratio(
        shown_as(foreground, system, palette), shown_as(background, system, palette)
    )


def worst_contrast(foreground: RGB, background: RGB, system: str) -> float:
    """The lowest contrast over every reference palette (one palette in truecolor)."""
    palettes = (XTERM_16,) if system == TRUECOLOR else REFERENCE_PALETTES
    return min(shown_contrast(foreground, background, system, p) for p in palettes)
