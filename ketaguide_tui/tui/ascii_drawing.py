"""Drawing for terminals that cannot show Unicode: every cell fitted to the locale's encoding.

Under an ASCII locale (`LANG=C`, read from `LC_ALL`/`LC_CTYPE`/`LANG` by
`terminal_text.output_encoding`, since Python itself switches to UTF-8 there)
the terminal shows box lines, arrows and emoji as garbage. This line filter
runs over everything drawn, the reader's own text and Textual's chrome alike
(borders, scrollbars, tree guides, the footer, the command palette), and
replaces each character the encoding lacks by an equivalent of the same width
in cells, so the layout is unchanged: box lines become `-`, `|` and `+`,
arrows `>` and `v`, bullets `*`, accented letters lose their accent, symbols
and emoji become blanks and anything else `?`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_SHAPES = {
    "-": "─━═┄┅┈┉╌╍╴╶╸╺╼╾▔─",
    "|": "│┃║┆┇┊┋╎╏╵╷╹╻╽╿▏▕▎▍",
    "+": "┌┍┎┏┐┑┒┓└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋"
    "╒╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡╢╣╤╥╦╧╨╩╪╫╬╭╮╯╰",
    "_": "▁▂▃▄",
    "#": "█▇▆▅▌▐▀▉▊▋░▒▓",
    ">": "▶▸►▷▹›→⟩",
    "<": "◀◂◄◁◃‹←⟨",
    "v": "▼▾▽▿↓",
    "^": "▲▴△▵↑",
    "*": "•·∙●◦○✓✔✗✘★☆",
    '"': "“”„«»",
    "'": "‘’‚",
    ".": "…",
}
_EQUIVALENT = {char: ascii_char for ascii_char, chars in _SHAPES.items() for char in chars}


@lru_cache(maxsize=4096)
def fitted(char: str, encoding: str) -> str:
    """`char`, or an equivalent of the same width in cells that `encoding` can carry."""
    try:
        char.encode(encoding)
        return char
    except UnicodeEncodeError:
        pass
    width = cell_len(char)
    if width == 0:
        return ""
    equivalent = _EQUIVALENT.get(char)
    if equivalent is None:
        base = unicodedata.normalize("NFKD", char)
        letters = "".join(c for c in base if c.isascii() and not unicodedata.combining(c))
        if len(letters) == 1:
            equivalent = letters
        elif unicodedata.category(char).startswith(("S", "Z")):
            equivalent = " "  # an icon or a space: a blank says less than "?"
        elif unicodedata.category(char).startswith("P"):
            equivalent = "-"
        else:
            equivalent = "?"
    return (equivalent * width)[:width]


def fit_text(text: str, encoding: str) -> str:
    """`text` fitted to `encoding`, cell for cell."""
    if text.isascii():
        return text
    return "".join(fitted(char, encoding) for char in text)


class FitToEncoding(LineFilter):
    """Replace what the terminal's encoding lacks, keeping every cell in place."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self.encoding = encoding

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        encoding = self.encoding
        return [
            segment if control else Segment(fit_text(text, encoding), style, control)
            for segment in segments
            for text, style, control in (segment,)
        ]
