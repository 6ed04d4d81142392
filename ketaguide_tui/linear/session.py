"""The linear reader: one section printed as plain lines, then numbered choices read line by line.

For screen readers, braille displays, limited terminals and pipes: nothing is
drawn twice, no escape code or cursor movement is ever written, and every line
goes through the terminal text boundary (`terminal_text.write`), so content
cannot reach the terminal as control characters and an ASCII output gets
ASCII equivalents. Input is read one line at a time; the end of input quits,
keeping the place like `q` in the full-screen reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK_LINES
from ketaguide_tui.crisis_words import crisis_names
from ketaguide_tui.guide.links import RefusedLink, SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import (
    CRISIS_SECTION_ID,
    START_SECTION_ID,
    Guide,
    Section,
)
from ketaguide_tui.guide.reading_tree import HeadingNode
from ketaguide_tui.linear.choices import (
    HINT,
    PROMPT,
    Typed,
    is_crisis_word,
    read_choice,
    read_number,
)
from ketaguide_tui.linear.spoken import node_lines, section_lines, wrapped
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.terms import words
from ketaguide_tui.state import Place, ReaderState, StateStore, with_last_place
from ketaguide_tui.terminal_text import write

if TYPE_CHECKING:
    from collections.abc import Callable

    from ketaguide_tui.search import SearchIndex

    _Chosen = Callable[[int], None]

RESULTS_SHOWN = 10
MAX_LINE = 2000
"""Characters of one typed line that are read (a pasted novel is cut, not searched whole)."""
BACK = "Press Enter to go back."


class LinearReader:
    """Reads the guide aloud-friendly, from `source` lines, printing to `out`."""

    def __init__(
        self,
        guide: Guide,
        source: TextIO,
        out: TextIO,
        *,
        store: StateStore | None,
        place: Place | None = None,
    ) -> None:
        """`store` keeps the place between runs (None: nothing is saved); `place` is where
        to start (default: where the reader left off, else the start of the guide)."""
        self.guide = guide
        self.source = source
        self.out = out
        self.store = store
        self.warnings: list[str] = []
        self.remembered = ReaderState()
        if store is not None:
            self.remembered, self.warnings = store.load()
        self.place = place or self._remembered_place()
        self._index: SearchIndex | None = None
        self.crisis = CrisisDetector(crisis_names(guide))

    # ---- running

    def run(self, search: str | None = None, interactive: bool = True) -> int:
        """Print the open section (and `search`'s results); with `interactive`, then offer
        the choices until quit or the end of input. Returns the exit code."""
        code = 0
        try:
            for warning in self.warnings:
                self.say(f"Note: {warning}")
            self.open(self.place, save=False)
            if search:
                self.search(search, interactive)
            if interactive:
                self.loop()
        except KeyboardInterrupt:
            code = 130
        if interactive:
            self.save()
            self.say("")
            self.say(f"Closed. The reader will open at {self.section.title} next time.")
        return code

    def loop(self) -> None:
        while True:
            self.say("")
            self.say_lines(wrapped(PROMPT))
            line = self.ask()
            if line is None or not self.do(read_choice(line)):
                return

    def do(self, typed: Typed) -> bool:
        """Carry out one choice; False means quit."""
        action = typed.action
        if action == "quit":
            return False
        if action in ("next", "previous"):
            neighbour = self.guide.neighbour(self.section.id, 1 if action == "next" else -1)
            if neighbour is None:
                self.say(f"This is the {'last' if action == 'next' else 'first'} section.")
            else:
                self.open(Place(neighbour.id))
        elif action == "again":
            self.open(Place(self.section.id))
        elif action == "choices":
            self.say(HINT)
        elif action == "contents":
            return self.contents()
        elif action == "links":
            return self.links()
        elif action == "help":
            self.help_now()
        elif action == "search":
            query = typed.text or self.ask("Search for what? Type words, then Enter.")
            if query is None:
                return False
            if query.strip():
                return self.search(query)
        return True

    # ---- input and output

    def say(self, text: str) -> None:
        write(text, self.out)

    def say_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.say(line)

    def ask(self, prompt: str | None = None) -> str | None:
        """One line of input (None at the end of input), after `prompt`."""
        if prompt:
            self.say(prompt)
        self.out.flush()
        line = self.source.readline(MAX_LINE)
        if not line:
            return None
        if not line.endswith("\n"):
            # The rest of an over-long line is not a new command.
            while (more := self.source.readline(MAX_LINE)) and not more.endswith("\n"):
                pass
        return line.strip()

    # ---- places

    @property
    def section(self) -> Section:
        found = self.guide.get(self.place.section_id)
        return found if found is not None else self.guide.sections[0]

    def _remembered_place(self) -> Place:
        last = self.remembered.last_place
        if last is not None and self.guide.get(last.section_id) is not None:
            return last
        if last is not None:
            self.warnings.append(
                f"'{last.section_id}' is no longer in the guide; starting at the beginning."
            )
        first = self.guide.get(START_SECTION_ID) or self.guide.sections[0]
        return Place(first.id)

    def open(self, place: Place, save: bool = True) -> None:
        """Print the section at `place` (from its heading, if it names one)."""
        self.place = place
        section = self.section
        position = (self.guide.index_of(section.id) + 1, len(self.guide))
        self.say("")
        self.say_lines(section_lines(section, position, place.anchor))
        if save:
            self.save()

    def save(self) -> None:
        if self.store is None:
            return
        place = Place(self.section.id, self.place.anchor)
        _, warning = self.store.update(lambda state: with_last_place(state, place))
        if warning:
            self.say(f"Note: {warning}")

    # ---- choices

    def contents(self) -> bool:
        self.say("")
        self.say(f"Contents: {len(self.guide)} sections.")
        for number, section in enumerate(self.guide, 1):
            here = " (open now)" if section.id == self.section.id else ""
            self.say_lines(wrapped(f"{number}. {section.title}{here}."))
        return self.pick(
            len(self.guide), "section", lambda n: self.open(Place(self.guide.sections[n].id))
        )

    def links(self) -> bool:
        section = self.section
        found = section.links
        self.say("")
        if not found:
            self.say(f"{section.title} has no links.")
            return True
        self.say(f"Links in {section.title}: {len(found)}.")
        targets = [resolve_link(link.href, section.id, self.guide) for link in found]
        for number, (link, target) in enumerate(zip(found, targets, strict=True), 1):
            self.say_lines(
                wrapped(f"Link {number}: {link.text or link.href}. {self.where(target)}")
            )
        return self.pick(len(found), "link", lambda n: self.follow(targets[n]))

    def where(self, target: SectionLink | WebLink | RefusedLink) -> str:
        """Where a link goes, in words."""
        if isinstance(target, WebLink):
            return f"Goes to the web page {target.url}"
        if isinstance(target, RefusedLink):
            return f"Cannot be followed: {target.reason}."
        section = self.guide.get(target.section_id)
        title = section.title if section is not None else target.section_id
        heading = section.heading_for(target.anchor) if section and target.anchor else None
        if target.section_id == self.section.id and heading is not None:
            return f"Goes to the heading {heading.text}, in this section."
        at = f", at the heading {heading.text}" if heading is not None else ""
        return f"Goes to the section {title}{at}."

    def follow(self, target: SectionLink | WebLink | RefusedLink) -> None:
        if isinstance(target, SectionLink):
            self.open(Place(target.section_id, target.anchor))
        elif isinstance(target, WebLink):
            self.say("This reader does not open web pages. To visit this one, copy its address:")
            self.say(target.url)
        else:
            self.say(f"This link cannot be followed: {target.reason}.")

    def pick(self, count: int, noun: str, chosen: _Chosen) -> bool:
        """Ask for one of `count` numbered things; anything else is a main choice."""
        line = self.ask(f"Type a {noun} number and Enter, or {BACK[0].lower()}{BACK[1:]}")
        if line is None:
            return False
        number = read_number(line, count)
        if number is not None:
            chosen(number - 1)
            return True
        if not line:
            self.say("Back.")
            return True
        return self.do(read_choice(line))

    def help_now(self) -> None:
        """Open crisis help (the get-help-now section), or say the fallback numbers."""
        if self.guide.get(CRISIS_SECTION_ID) is None:
            self.say("")
            self.say("Get help now.")
            self.say_lines(CRISIS_FALLBACK_LINES)
            return
        self.open(Place(CRISIS_SECTION_ID))

    def crisis_first(self) -> None:
        """The crisis section's opening lines (the numbers to call), before anything else."""
        self.say("")
        self.say_lines(
            wrapped("Help now: if you are in danger or thinking about suicide, you are not alone.")
        )
        crisis = self.guide.get(CRISIS_SECTION_ID)
        if crisis is None:
            self.say_lines(CRISIS_FALLBACK_LINES)
            return
        for node in crisis.tree:
            if isinstance(node, HeadingNode):
                break
            self.say_lines(node_lines(node, ""))
        self.say("Type 6 or help, then Enter, for every crisis line.")

    def search(self, query: str, interactive: bool = True) -> bool:
        if is_crisis_word(query):
            self.help_now()
            return True
        if self._index is None:
            from ketaguide_tui.search import SearchIndex

            self._index = SearchIndex.build(self.guide)
        results = self._index.search(query, limit=RESULTS_SHOWN)
        hits = results.hits
        # The one crisis detector, and the search's own pin (which also knows synonyms).
        crisis = self.crisis.matches(words(query)) or bool(
            hits and hits[0].section_id == CRISIS_SECTION_ID
        )
        if crisis:
            self.crisis_first()
        self.say("")
        if not hits:
            hint = f" Did you mean {results.suggestion}?" if results.suggestion else ""
            self.say_lines(wrapped(f"No results for {query}.{hint}"))
            return True
        shown = f"{len(hits)} of {results.total}" if results.total > len(hits) else str(len(hits))
        self.say_lines(wrapped(f"Search results for {query}: {shown}."))
        if results.read_as or results.suggestion:
            self.say_lines(wrapped(f"Searched for: {results.read_as or results.suggestion}."))
        for number, hit in enumerate(hits, 1):
            where = f"{hit.section_title}, {hit.heading}" if hit.heading else hit.section_title
            self.say_lines(wrapped(f"{number}. {where}."))
            self.say_lines(wrapped(hit.snippet, "   "))
        if not interactive:
            return True
        return self.pick(
            len(hits), "result", lambda n: self.open(Place(hits[n].section_id, hits[n].anchor))
        )
