"""Make untrusted text safe to put on a terminal.

Content files are untrusted: a stray escape sequence in a section could move
the cursor, retitle the window or hide text. Textual passes most control
characters through to the terminal, so they are removed here, once, when text
is loaded.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences,
# then any remaining C0 control (but tab and newline), DEL and C1 controls.
# Bidirectional overrides are removed too: they can make text read differently
# from how it is stored ("Trojan Source", CVE-2021-42574).
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """Return `text` without terminal escape sequences or control characters.

    Newlines and tabs survive; carriage returns are folded into newlines first
    so that Windows line endings read the same as Unix ones.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def has_unsafe_characters(text: str) -> bool:
    """True when `sanitize` would change `text` (other than line endings)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return bool(_ESCAPE_SEQUENCE.search(text) or _CONTROL.search(text))
