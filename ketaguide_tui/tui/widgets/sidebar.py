"""The sidebar: a tree of sections, each expandable to its headings.

Selecting a node posts `SectionTree.PlaceChosen`; the screen decides what to
open. The screen tells the tree which section is open, which heading the reader
is at and which sections have been read (or updated since they were read), and
the tree only shows that.

A large guide's rows are made a few at a time: before the first frame only the
rows around the open section (`FIRST_ROWS`), the rest in steps once the reader
pauses (`fill_in`), or all at once when the reader needs them (the sidebar takes
the focus, or a page turn goes to a section without a row yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ketaguide_tui.guide.model import Guide, Section
from ketaguide_tui.guide.review_status import UPDATED_SINCE_READ

UNFOLD_LIMIT = 2000
"""Above this many sections the sidebar does not fold and unfold sections by itself as the
reader turns pages: Textual's Tree rebuilds every row and lays out the screen when a node
folds or unfolds (about 50 ms at 10,000 sections, on every page turn). The cursor still
follows the open section, and the reader can unfold any section by hand."""
FIRST_ROWS = 150
"""Section rows made before the first frame, on each side of the open section: more than
a tall terminal shows. Making a row costs 20-50 µs, so 10,000 of them would delay the
first frame by a fifth of a second or more."""
ROWS_PER_STEP = 400
"""Section rows added in one step after the first frame: 20-40 ms, then the rows' rebuild."""
FILL_QUIET = 0.3
"""Seconds without a page turn before the rows are made: a reader turning pages does not
wait for rows they cannot see yet."""
FILL_STEP_DELAY = 0.05
"""Seconds between steps once the reader has paused: room for a key between them."""


@dataclass(frozen=True)
class NodePlace:
    """What a tree node stands for."""

    section_id: str
    anchor: str | None = None


class SectionTree(Tree[NodePlace]):
    """Sections and their H2/H3 headings."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class PlaceChosen(Message):
        """The reader chose a section or heading in the sidebar."""

        section_id: str
        """The section to open."""
        anchor: str | None
        """The heading to scroll to, or None for the top."""

    def __init__(self, guide: Guide, *, around: str | None = None, id: str | None = None) -> None:
        """A sidebar for `guide`, first with rows only for the sections around `around`."""
        self._label_widths: dict[int, int] = {}
        super().__init__("Guide", id=id)
        self.show_root = False
        self.guide_shown = guide
        self._section_nodes: dict[str, TreeNode[NodePlace]] = {}
        self._heading_nodes: dict[tuple[str, str], TreeNode[NodePlace]] = {}
        self._open_section: str | None = None
        self._read: frozenset[str] = frozenset()
        self._updated: frozenset[str] = frozenset()
        self._populated: set[str] = set()
        self._fill_timer: Timer | None = None
        centre = max(guide.index_of(around), 0) if around else 0
        # Sections [_made_from, _made_to) have rows.
        self._made_from = self._made_to = max(centre - FIRST_ROWS, 0)
        self._add_rows(min(centre + FIRST_ROWS, len(guide)) - self._made_to)

    @property
    def complete(self) -> bool:
        """True once every section has a row."""
        return self._made_from == 0 and self._made_to == len(self.guide_shown)

    def fill_in(self, delay: float = FILL_QUIET) -> None:
        """Make the remaining rows in steps, the first once page turns pause for `delay`."""
        if self._fill_timer is None and not self.complete:
            self._fill_timer = self.set_timer(delay, self._fill_step)

    def _hold_filling(self) -> None:
        """A page turn: the next step waits until page turns pause again."""
        if self._fill_timer is not None:
            self._fill_timer.stop()
            self._fill_timer = None
            self.fill_in()

    def _fill_step(self) -> None:
        self._fill_timer = None
        if self._made_to < len(self.guide_shown):
            self._add_rows(ROWS_PER_STEP)
        else:
            self._add_rows_above(ROWS_PER_STEP)
        self.fill_in(FILL_STEP_DELAY)

    def make_all_rows(self) -> None:
        """Make every row now (for the reader to move through the whole sidebar)."""
        if self._fill_timer is not None:
            self._fill_timer.stop()
            self._fill_timer = None
        self._add_rows(len(self.guide_shown))
        self._add_rows_above(len(self.guide_shown))

    def _add_rows(self, count: int) -> None:
        sections = self.guide_shown.sections[self._made_to : self._made_to + max(count, 0)]
        for section in sections:
            self._add_section(section)
        self._made_to += len(sections)

    def _add_rows_above(self, count: int) -> None:
        start = max(self._made_from - count, 0)
        sections = self.guide_shown.sections[start : self._made_from]
        if not sections:
            return
        for section in reversed(sections):
            self._add_section(section, first=True)
        self._made_from = start
        # The rows on screen moved down by one line per row added above them: keep
        # them where they were. Asking for a line rebuilds the rows (and the size).
        self.get_node_at_line(0)
        self.scroll_to(y=self.scroll_offset.y + len(sections), animate=False, immediate=True)

    def on_focus(self) -> None:
        # The reader is about to move through the rows. (Not at once: the focus can
        # pass through on its way to another widget.)
        self.call_after_refresh(self._make_all_rows_if_focused)

    def _make_all_rows_if_focused(self) -> None:
        if self.has_focus:
            self.make_all_rows()

    def action_scroll_end(self) -> None:
        self.make_all_rows()  # the last row, not the last one made so far
        super().action_scroll_end()

    def process_label(self, label: str | Text) -> Text:
        # The labels made here are one line of Text already. Textual's own version
        # copies and splits each label (twice for every node added): most of the
        # cost of a sidebar of 10,000 sections.
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[NodePlace]) -> int:
        # Textual renders every label to measure it each time the rows are rebuilt
        # (on focus, on any change of style): the width is kept from when it was set.
        width = self._label_widths.get(node.id)
        if width is None:
            label = node.label
            width = label.cell_len if isinstance(label, Text) else cell_len(label)
            self._label_widths[node.id] = width
        if node.allow_expand:
            width += cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)
        return width

    def _add_section(self, section: Section, first: bool = False) -> None:
        # Headings are added when a section is first expanded: listing them all
        # up front would parse every section's Markdown before the first frame.
        label, place = self._section_label(section), NodePlace(section.id)
        node = self.root.add(label, data=place, before=0 if first else None)
        self._section_nodes[section.id] = node

    def _add_headings(self, section_id: str) -> None:
        node = self._section_nodes.get(section_id)
        section = self.guide_shown.get(section_id)
        if node is None or section is None or section_id in self._populated:
            return
        self._populated.add(section_id)
        toc = section.toc
        node.allow_expand = bool(toc)
        parent = node
        for heading in toc:
            owner = node if heading.level == 2 else parent
            child = owner.add(
                Text(heading.text), data=NodePlace(section.id, heading.anchor), allow_expand=False
            )
            if heading.level == 2:
                parent = child
            self._heading_nodes[(section.id, heading.anchor)] = child

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[NodePlace]) -> None:
        place = event.node.data
        if place is not None and place.anchor is None:
            self._add_headings(place.section_id)

    def _section_label(self, section: Section) -> Text:
        is_open = section.id == self._open_section
        updated = section.id in self._updated
        mark = "✓ " if section.id in self._read else "↻ " if updated else "  "
        # The mark's shape says "read" or "updated": no colour to lose contrast.
        label = Text(mark, style="bold" if updated and section.id not in self._read else "")
        label.append(section.title, style="bold" if is_open else "")
        if updated:
            label.append(f" ({UPDATED_SINCE_READ})", style="italic")
        return label

    def _relabel(self, section_id: str | None) -> None:
        section = self.guide_shown.get(section_id) if section_id else None
        node = self._section_nodes.get(section.id) if section is not None else None
        if section is not None and node is not None:
            # (A section without a row yet gets its label when the row is made.)
            self._label_widths.pop(node.id, None)
            node.set_label(self._section_label(section))

    def set_read(self, read: frozenset[str], updated: frozenset[str] = frozenset()) -> None:
        """Mark these sections as read, these as updated since read, the others as unread."""
        changed = (read ^ self._read) | (updated ^ self._updated)
        self._read, self._updated = read, updated
        for section_id in changed:
            self._relabel(section_id)

    def show_place(self, section_id: str, anchor: str | None) -> None:
        """Show which section is open and which heading the reader is at."""
        previous, self._open_section = self._open_section, section_id
        if section_id not in self._section_nodes and self.guide_shown.get(section_id):
            self.make_all_rows()
        self._hold_filling()
        unfold = len(self.guide_shown) <= UNFOLD_LIMIT
        if previous != section_id:
            self._relabel(previous)
            self._relabel(section_id)
        if previous != section_id and unfold:
            # Fold the section left behind, so the list stays as short as it started.
            previous_node = self._section_nodes.get(previous) if previous else None
            if previous_node is not None:
                previous_node.collapse()
            self._add_headings(section_id)
            section_node = self._section_nodes.get(section_id)
            if section_node is not None and section_node.allow_expand:
                section_node.expand()
        node = self._heading_nodes.get((section_id, anchor)) if anchor else None
        if node is not None and not unfold and not _shown(node):
            node = None  # inside a folded section: the section's own row is shown
        node = node or self._section_nodes.get(section_id)
        if node is None:
            return
        parent = node.parent
        while unfold and parent is not None and parent is not self.root:
            # Expanding an open node still rebuilds the whole tree and lays out
            # the screen: on every heading passed while scrolling.
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        if self.cursor_node is not node:
            # `move_cursor` takes the node's line from the last time the tree's
            # lines were built, which folding or unfolding above made stale (the
            # cursor landed on another node); looking up a line rebuilds them.
            self.get_node_at_line(0)
            self.move_cursor(node)

    @on(Tree.NodeSelected)
    def _choose_place(self, event: Tree.NodeSelected[NodePlace]) -> None:
        event.stop()
        place = event.node.data
        if place is not None:
            self.post_message(self.PlaceChosen(place.section_id, place.anchor))


def _shown(node: TreeNode[NodePlace]) -> bool:
    """True when every node above this one is unfolded (so it has a row of its own)."""
    parent = node.parent
    while parent is not None:
        if not parent.is_expanded and parent.parent is not None:
            return False
        parent = parent.parent
    return True
