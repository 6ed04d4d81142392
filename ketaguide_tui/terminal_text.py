"""Text the command line prints: made safe and made to fit the output's encoding.

Everything `list`, `show`, `search` and `check` print goes through `write` (or
`write_json`), so no control character reaches the terminal and no command
fails with UnicodeEncodeError under an ASCII locale or a non-UTF-8 stdout.

Which encoding: Python may run in UTF-8 mode under `LANG=C` while the terminal
shows only ASCII, so the locale variables (`LC_ALL`, then `LC_CTYPE`, then
`LANG`) are read as well as the stream's encoding: the C/POSIX locale or a
non-UTF-8 codeset in either means text is written in that narrower encoding.
Characters it lacks become their ASCII equivalents (dashes, quotes, arrows,
accented letters without their accent), and whatever is left becomes "?".
JSON is written with `\\u` escapes, which every encoding can carry.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import unicodedata
from typing import TextIO

from ketaguide_tui.guide.text_safety import clean

_ASCII_EQUIVALENTS = {
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "<",
    "\u203a": ">",
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u00b1": "+/-",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2191": "^",
    "\u2193": "v",
    "\u00b0": " degrees",
    "\u00b5": "u",
    "\u03bc": "u",
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    "\u00b2": "2",
    "\u00b3": "3",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "(TM)",
    "\u2500": "-",
    "\u2502": "|",
    "\u2501": "-",
    "\u2503": "|",
}
ERROR_HANDLER = "ketaguide-equivalent"


def output_encoding(stream: TextIO) -> str:
    """The encoding text written to `stream` must fit (a codec name Python knows)."""
    encoding = getattr(stream, "encoding", None)
    if encoding is None:  # an in-memory stream takes any text; the locale is for real output
        return "utf-8"
    stream_encoding = _codec(encoding)
    if stream_encoding != "utf-8":
        return stream_encoding
    locale = next(
        (os.environ[name] for name in ("LC_ALL", "LC_CTYPE", "LANG") if os.environ.get(name)), ""
    )
    if locale in ("C", "POSIX"):
        return "ascii"
    codeset = locale.partition(".")[2].partition("@")[0]
    return _codec(codeset) if codeset else stream_encoding


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def _equivalents(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: ASCII for characters the output encoding lacks."""
    assert isinstance(error, UnicodeEncodeError)
    out: list[str] = []
    for character in error.object[error.start : error.end]:
        equivalent = _ASCII_EQUIVALENTS.get(character)
        if equivalent is None:
            # "é" -> "e": the letter without its accent, else "?".
            base = unicodedata.normalize("NFKD", character)
            equivalent = "".join(c for c in base if c.isascii() and not unicodedata.combining(c))
        out.append(equivalent or "?")
    return "".join(out), error.end


codecs.register_error(ERROR_HANDLER, _equivalents)


def fit(text: str, encoding: str) -> str:
    """`text` with every character `encoding` lacks replaced by an ASCII equivalent or "?"."""
    if encoding == "utf-8":
        return text
    return text.encode(encoding, ERROR_HANDLER).decode(encoding)


def printable(text: str, stream: TextIO) -> str:
    """`text` without control characters, fitted to `stream`'s encoding."""
    return fit(clean(text), output_encoding(stream))


def write(text: str = "", stream: TextIO | None = None, end: str = "\n") -> None:
    """Print `text` safely on `stream` (stdout by default)."""
    stream = sys.stdout if stream is None else stream
    stream.write(printable(text, stream) + end)


def write_json(value: object, stream: TextIO | None = None) -> None:
    """Print `value` as indented JSON in plain ASCII (`\\u` escapes for everything else)."""
    stream = sys.stdout if stream is None else stream
    stream.write(json.dumps(value, indent=2, ensure_ascii=True) + "\n")
