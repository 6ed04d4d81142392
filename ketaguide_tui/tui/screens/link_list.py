"""The link list (`o`): every place the open section links to, once each, filtered as you type.

Each target is listed once, with how often the section cites it, and says where
it goes in words: "References › Spravato label" or "Side effects › Blood
pressure" for a link inside the guide, the full address for a web link (which
still opens only after the reader has seen it in full and confirmed). The list
opens at the link nearest the reading position: the first one at or after the
heading the reader is at. Link text and targets come from content, so
everything is shown as `Content`, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ketaguide_tui.guide.inline_text import Link
from ketaguide_tui.guide.links import RefusedLink, SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import Guide, Section
from ketaguide_tui.search.terms import fold
from ketaguide_tui.tui.screens.modal import ReaderModal


@dataclass(frozen=True)
class LinkTarget:
    """One place the section links to, with the words it is cited by."""

    href: str
    """The first link's target as written (what following it resolves)."""
    where: str
    """Where it goes, in words."""
    texts: tuple[str, ...]
    """The distinct link texts that cite it, in order of first use."""
    lines: tuple[int, ...]
    """The file line of every citation, in order."""
    web: bool = False

    @property
    def count(self) -> int:
        """How often the section cites it."""
        return len(self.lines)

    @property
    def label(self) -> str:
        """The text it is cited by (the first, if it has several)."""
        return self.texts[0] if self.texts else self.where

    def matches(self, typed: str) -> bool:
        """True if every typed word is in its text or where it goes (ignoring case)."""
        haystack = fold(" ".join((*self.texts, self.where)))
        return all(word in haystack for word in fold(typed).split())


def describe(href: str, section_id: str, guide: Guide) -> tuple[str, str, bool]:
    """(a key that is the same for links to the same place, where it goes in words, web?)"""
    target = resolve_link(href, section_id, guide)
    if isinstance(target, SectionLink):
        section = guide.get(target.section_id)
        if section is None:  # resolve_link checked it; kept for safety
            return href, href, False
        heading = section.heading_for(target.anchor) if target.anchor else None
        where = section.title + (f" › {heading.text}" if heading else "")
        return f"{target.section_id}#{target.anchor or ''}", where, False
    if isinstance(target, WebLink):
        return target.url, target.url, True
    assert isinstance(target, RefusedLink)
    return href, f"{href} (not followed: {target.reason})", False


def link_targets(links: Sequence[Link], section_id: str, guide: Guide) -> list[LinkTarget]:
    """The section's links grouped by where they go, in order of first citation."""
    grouped: dict[str, tuple[str, str, bool, list[str], list[int]]] = {}
    for link in links:
        key, where, web = describe(link.href, section_id, guide)
        entry = grouped.setdefault(key, (link.href, where, web, [], []))
        text = " ".join(link.text.split())
        if text and text not in entry[3]:
            entry[3].append(text)
        entry[4].append(link.line)
    return [
        LinkTarget(href, where, tuple(texts), tuple(lines), web)
        for href, where, web, texts, lines in grouped.values()
    ]


def nearest(targets: Sequence[LinkTarget], line: int) -> int:
    """The index of the target cited first at or after file line `line` (the reading
    position), else of the one cited last before it."""
    after = [
        (min(n for n in t.lines if n >= line), i)
        for i, t in enumerate(targets)
        if max(t.lines) >= line
    ]
    if after:
        return min(after)[1]
    before = [(max(t.lines), i) for i, t in enumerate(targets)]
    return max(before)[1] if before else 0


def link_list_screen(section: Section, guide: Guide, anchor: str | None) -> LinkListScreen:
    """The link list of `section`, opened at the link nearest the heading at `anchor`."""
    targets = link_targets(section.links, section.id, guide)
    heading = section.heading_for(anchor) if anchor else None
    return LinkListScreen(targets, nearest(targets, heading.line if heading else 0))


def target_content(target: LinkTarget) -> Content:
    """A target as one or two lines: its text and count, then where it goes."""
    times = f"  ×{target.count}" if target.count > 1 else ""
    first = Content.assemble((target.label, "bold"), (times, "dim"))
    if target.where == target.label:
        return first
    return Content.assemble(first, "\n", ("  → " + target.where, "dim" if not target.web else ""))


class LinkListScreen(ReaderModal[str | None]):
    """The open section's link targets: type to filter, ↑/↓ choose, Enter follows."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "move(1)", "Next link", show=False),
        Binding("up", "move(-1)", "Previous link", show=False),
    ]

    def __init__(self, targets: Sequence[LinkTarget], start: int = 0) -> None:
        super().__init__()
        self.targets = list(targets)
        self.start = start
        self.shown: list[LinkTarget] = list(targets)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="link-dialog"):
            yield Input(placeholder="Type to filter the links…", id="link-filter")
            yield Label(Content(""), id="link-status")
            yield OptionList(id="link-list")

    def on_mount(self) -> None:
        self._show(self.targets, self.start)

    def _show(self, targets: list[LinkTarget], highlight: int) -> None:
        self.shown = targets
        options = self.query_one("#link-list", OptionList)
        options.set_options(Option(target_content(target)) for target in targets)
        status = self.query_one("#link-status", Label)
        cited = sum(target.count for target in self.targets)
        if not targets:
            status.update(Content("No link matches. Esc closes."))
            return
        options.highlighted = max(0, min(highlight, len(targets) - 1))
        shown = (
            f"{len(targets)} of {len(self.targets)} places"
            if len(targets) < len(self.targets)
            else f"{len(self.targets)} places, {cited} links"
        )
        status.update(Content(f"{shown} · ↑/↓ choose · Enter follows · Esc closes"))

    @on(Input.Changed, "#link-filter")
    def _filter(self, event: Input.Changed) -> None:
        typed = event.value.strip()
        if not typed:
            self._show(self.targets, self.start)
        else:
            self._show([t for t in self.targets if t.matches(typed)], 0)

    def action_move(self, step: int) -> None:
        options = self.query_one("#link-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @property
    def highlighted(self) -> LinkTarget | None:
        """The target the cursor is on."""
        index = self.query_one("#link-list", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Submitted, "#link-filter")
    def _submitted(self) -> None:
        target = self.highlighted
        if target is not None:
            self.dismiss(target.href)

    @on(OptionList.OptionSelected, "#link-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index].href)
