"""The sidebar: a tree of sections, each expandable to its headings.

Selecting a node posts `SectionTree.PlaceChosen`; the screen decides what to
open. The screen tells the tree which section is open, which heading the reader
is at and which sections have been read (or updated since they were read), and
the tree only shows that.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ketaguide_tui.guide.model import Guide, Section
from ketaguide_tui.guide.review_status import UPDATED_SINCE_READ

UNFOLD_LIMIT = 2000
"""Above this many sections the sidebar does not fold and unfold sections by itself as the
reader turns pages: Textual's Tree rebuilds every row and lays out the screen when a node
folds or unfolds (about 50 ms at 10,000 sections, on every page turn). The cursor still
follows the open section, and the reader can unfold any section by hand."""


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

    def __init__(self, guide: Guide, *, id: str | None = None) -> None:
        super().__init__("Guide", id=id)
        self.show_root = False
        self.guide_shown = guide
        self._section_nodes: dict[str, TreeNode[NodePlace]] = {}
        self._heading_nodes: dict[tuple[str, str], TreeNode[NodePlace]] = {}
        self._open_section: str | None = None
        self._read: frozenset[str] = frozenset()
        self._updated: frozenset[str] = frozenset()
        self._populated: set[str] = set()
        for section in guide:
            self._add_section(section)

    def _add_section(self, section: Section) -> None:
        # Headings are added when a section is first expanded: listing them all
        # up front would parse every section's Markdown before the first frame.
        node = self.root.add(self._section_label(section), data=NodePlace(section.id))
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
        if section is not None:
            self._section_nodes[section.id].set_label(self._section_label(section))

    def set_read(self, read: frozenset[str], updated: frozenset[str] = frozenset()) -> None:
        """Mark these sections as read, these as updated since read, the others as unread."""
        changed = (read ^ self._read) | (updated ^ self._updated)
        self._read, self._updated = read, updated
        for section_id in changed:
            self._relabel(section_id)

    def show_place(self, section_id: str, anchor: str | None) -> None:
        """Show which section is open and which heading the reader is at."""
        previous, self._open_section = self._open_section, section_id
        unfold = len(self._section_nodes) <= UNFOLD_LIMIT
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
