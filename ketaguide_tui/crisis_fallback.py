"""Crisis help that does not depend on the content folder.

A folder given with `--content` may have no "get-help-now" section, or one that
failed to load. The reader must still answer "get help now" at once, so this
short text is built into the package. It carries the same numbers as the
bundled guide's get-help-now section; `tests/test_crisis_fallback.py` keeps the
two in step.
"""

from __future__ import annotations

CRISIS_FALLBACK_LINES: tuple[str, ...] = (
    "In danger now? Call an emergency number:",
    "911 in the US and Canada; 999 in the UK;",
    "112 in the EU; 112 or 999 in Ireland;",
    "000 in Australia; 111 in New Zealand.",
    "",
    "Thinking about suicide? Talk to someone today:",
    "US and Canada: call or text 988.",
    "UK and Ireland: Samaritans, call 116 123.",
    "Australia: Lifeline, call 13 11 14.",
    "New Zealand: call or text 1737.",
    "",
    "Took too much? Call the emergency number.",
    "In the US, Poison Help: 1-800-222-1222.",
    "",
    "Anywhere else: findahelpline.com lists",
    "free crisis lines by country.",
)
"""One short line each, so it fits a narrow notice or a screen reader's line."""

CRISIS_FALLBACK = "\n".join(CRISIS_FALLBACK_LINES)
