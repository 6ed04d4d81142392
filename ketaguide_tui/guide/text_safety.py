"""Make untrusted text safe to put on a terminal: the one cleaning rule.

Content files, their names, their front matter and every string a parser decodes
from them (HTML entities, percent-escapes) are untrusted: a stray escape sequence
could retitle the window, write to the clipboard or move the cursor, and a bidi
override makes text read differently from how it is stored ("Trojan Source",
CVE-2021-42574). So text is cleaned *after each decoding step*, and what was
removed can be reported to the author.

What goes: whole escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-byte
ESC sequences), every other C0 control but tab and newline, DEL, C1 controls,
bidi embeddings, overrides, isolates and marks (U+061C, U+200E/F, U+202A-U+202E,
U+2066-U+2069) and the line/paragraph separators U+2028/U+2029, which some
programs treat as line breaks. Carriage returns are folded into newlines first,
so Windows line endings read the same as Unix ones.

Every pattern here matches in linear time: each alternative starts at an ESC or
is one character, and no repetition can overlap another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC strings, then
# any other two-byte ESC sequence. A lone ESC matches the last alternative.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
_UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
)
_UNSAFE = re.compile(f"[{_UNSAFE_CHARACTERS}]")
_WHITESPACE_RUN = re.compile(r"\s+")

_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
)
_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
)


def clean(text: str) -> str:
    """`text` without escape sequences or unsafe characters; newlines and tabs kept."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE.search(text) is None:  # the usual case: nothing to do
        return text
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


def clean_line(text: str) -> str:
    """`text` cleaned for one line of output: runs of whitespace (newlines, tabs) become a space."""
    return _WHITESPACE_RUN.sub(" ", clean(text)).strip()


def unsafe_characters(text: str, keep_cr: bool = True) -> Iterator[tuple[int, str]]:
    """(offset, character) of every character `clean` removes for being unsafe.

    Printable characters inside an escape sequence are removed too, but only the
    controls that start or end it are reported. In a file a carriage return is a
    line ending, not a problem (`keep_cr`); decoded from `&#13;` it is one.
    """
    for match in _UNSAFE.finditer(text):
        if not (keep_cr and match.group() == "\r"):
            yield match.start(), match.group()


def describe(character: str) -> str:
    """A control character's code point and name, as `check` reports it: "U+001B ESC"."""
    code = ord(character)
    if code < 0x20:
        name = _C0_NAMES.split()[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = _C1_NAMES.split()[code - 0x80]
    else:
        name = unicodedata.name(character, "").title() or "character"
    return f"U+{code:04X} {name}"


def visible(text: str) -> str:
    """`text` with each unsafe character written as an escape (`\\x1b`, `\\u202e`).

    For strings a person must recognise, like a file name that has controls in
    it: they see where the control is, and the terminal sees only printable text.
    """
    return _UNSAFE.sub(lambda match: ascii(match.group())[1:-1], text)


def sanitize(text: str) -> str:
    """The same as `clean` (the name other modules import)."""
    return clean(text)


def has_unsafe_characters(text: str) -> bool:
    """True when `clean` would change `text` other than its line endings."""
    return any(True for _ in unsafe_characters(text))
