"""The search screen: type, see ranked passages at once, Enter opens one.

The search itself lives in `ketaguide_tui.search` (no Textual); this screen only
shows results. Snippets come from content, so highlights are built as styled
`Content`, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content, Span
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ketaguide_tui.search import SearchHit, SearchResults
from ketaguide_tui.tui.screens.modal import ReaderModal, close_keys

Searcher = Callable[[str, int], SearchResults | None]
"""Runs a query for its first so many results; None while the index is still being built."""

FIRST_RESULTS = 15
"""Results listed while typing: more than fit on a screen, few enough to redraw per key."""
MORE_RESULTS = 30
"""Results added when the cursor reaches the end of the list and the engine has more."""


def results_status(results: SearchResults) -> Content:
    """The line above the results: how the query was read when it was changed, and an
    honest count ("15 of 22": the rest come as you scroll)."""
    shown = len(results.hits)
    total = max(results.total, shown)
    count = f"{shown} of {total} results" if total > shown else plural(shown, "result")
    parts: list[str | tuple[str, str]] = []
    if results.read_as:
        parts += ["Showing results for ", (results.read_as, "bold"), " · "]
    elif results.suggestion:
        parts += ["Showing results for ", (results.suggestion, "bold"), " · "]
    parts.append(count)
    if results.partial:
        parts.append(" · few passages have every word: those with most of them are listed too")
    return Content.assemble(*parts)


def plural(count: int, noun: str) -> str:
    """ "1 result", "3 results"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def hit_content(hit: SearchHit) -> Content:
    """A result as two lines: where it is, then the snippet with matches highlighted."""
    where = hit.section_title + (f" › {hit.heading}" if hit.heading else "")
    snippet = Content(
        hit.snippet,
        spans=[
            Span(s, e, "bold $ketaguide-mark-foreground on $ketaguide-mark-background")
            for s, e in hit.highlights
        ],
    )
    return Content.assemble((where, "bold $accent"), "\n", snippet)


class SearchScreen(ReaderModal[SearchHit | None]):
    """Search box and live results."""

    BINDINGS = [
        *close_keys(text_box=True),
        Binding("down", "move(1)", "Next result", show=False),
        Binding("up", "move(-1)", "Previous result", show=False),
    ]

    def __init__(self, searcher: Searcher, query: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.initial_query = query
        self.results: SearchResults | None = None
        self.limit = FIRST_RESULTS
        """Results asked for: grows as the reader scrolls to the end of the list."""
        self.ready = False
        self._search_pending = False
        self._typed_early = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="search-dialog"):
            yield Input(
                value=self.initial_query,
                placeholder="Search the guide: words, a phrase in quotes…",
                id="search-input",
            )
            yield Label(Content(""), id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        search_box = self.query_one("#search-input", Input)
        if self._typed_early:
            search_box.value = search_box.value + self._typed_early
            search_box.cursor_position = len(search_box.value)
        self.ready = True
        self.run_search(search_box.value)

    @property
    def query_text(self) -> str:
        return self.query_one("#search-input", Input).value

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        # The typed character is drawn first and the results a frame later; keys
        # that arrive together (fast typing, a paste) are searched once, for the
        # last value, rather than once per key.
        if not self._search_pending:
            self._search_pending = True
            self.call_after_refresh(self._search_latest)

    def _search_latest(self) -> None:
        self._search_pending = False
        self.limit = FIRST_RESULTS
        self.run_search(self.query_text)

    def run_search(self, query: str, more: bool = False) -> None:
        """Search now and show the results (also called when the index is ready); `more`
        lists more results for the same query, keeping the cursor where it is."""
        status = self.query_one("#search-status", Label)
        options = self.query_one("#search-results", OptionList)
        if not query.strip():
            self.results = None
            options.clear_options()
            status.update(Content("Type to search. ↑/↓ choose, Enter opens, Esc closes."))
            return
        results = self.searcher(query, self.limit)
        if results is None:
            status.update(Content("Preparing search…"))
            return
        highlighted = options.highlighted if more else None
        self.results = results
        options.set_options(Option(hit_content(hit)) for hit in results.hits)
        if results.hits:
            options.highlighted = min(highlighted or 0, len(results.hits) - 1)
            status.update(results_status(results))
        elif results.suggestion:
            status.update(
                Content.assemble(
                    "No matches. Did you mean ", (results.suggestion, "bold"), "? (Tab to use it)"
                )
            )
        else:
            status.update(Content("No matches. Try fewer or different words."))

    @on(OptionList.OptionHighlighted, "#search-results")
    def _reached(self, event: OptionList.OptionHighlighted) -> None:
        # At the end of the list, list the next results the engine has.
        results = self.results
        if (
            results is not None
            and event.option_index >= len(results.hits) - 1
            and results.total > len(results.hits) >= self.limit
        ):
            self.limit = len(results.hits) + MORE_RESULTS
            self.run_search(self.query_text, more=True)

    def action_move(self, step: int) -> None:
        options = self.query_one("#search-results", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def type_ahead(self, character: str) -> None:
        """Take a character typed before the search box had focus (see the app's on_event)."""
        if self.ready:
            self.query_one("#search-input", Input).insert_text_at_cursor(character)
        else:
            self._typed_early += character

    def key_tab(self) -> None:
        if self.results is not None and not self.results.hits and self.results.suggestion:
            self.query_one("#search-input", Input).value = self.results.suggestion

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        options = self.query_one("#search-results", OptionList)
        if self.results and self.results.hits:
            self.dismiss(self.results.hits[options.highlighted or 0])

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.results:
            self.dismiss(self.results.hits[event.option_index])
