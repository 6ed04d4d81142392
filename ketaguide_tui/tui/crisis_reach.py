"""Crisis help from anywhere, text boxes included.

Two things a text box would otherwise get in the way of:

* Keys. A printable crisis key (`!`) types itself in a text box, so the crisis
  keys that are not printable (F2 by default) work everywhere, in every dialog
  and in the command palette, and the footer shows one of them while a text box
  has focus.
* Words. A crisis phrase typed into any text box (search, the palette, a
  bookmark title, or any box added later) offers crisis help, decided by the one
  crisis detector (`search.crisis`) from the crisis section's own names. The
  app looks at the focused text box after every key and paste, so a new text
  box needs nothing of its own to get this.
"""

from __future__ import annotations

from textual.keys import key_to_character
from textual.widget import Widget
from textual.widgets import Input

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.terms import words


def keys_that_work_in_text_boxes(keys: str) -> tuple[str, ...]:
    """The keys of a comma-separated key list that a text box does not type."""
    return tuple(
        key for key in (k.strip() for k in keys.split(",")) if key and key_to_character(key) is None
    )


class TextBoxWatch:
    """Notices a crisis phrase in whichever text box has focus; offers help once per phrase."""

    def __init__(self, guide: Guide) -> None:
        section = guide.get(CRISIS_SECTION_ID)
        names = (section.title, *section.aliases) if section is not None else ()
        self.detector = CrisisDetector(names)
        self._offered: dict[int, bool] = {}
        """Text box (by id) -> whether help was offered for what it holds now."""

    def needs_offer(self, focused: Widget | None) -> bool:
        """True when the focused text box has just come to hold a crisis phrase."""
        if not isinstance(focused, Input):
            return False
        return self.text_needs_offer(id(focused), focused.value)

    def text_needs_offer(self, box: int, text: str) -> bool:
        """True when text box `box` has just come to hold a crisis phrase (`text`)."""
        crisis = bool(self.detector) and self.detector.matches(words(text), last_is_prefix=True)
        was_offered = self._offered.get(box, False)
        self._offered[box] = crisis
        return crisis and not was_offered
