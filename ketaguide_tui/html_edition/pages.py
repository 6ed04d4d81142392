"""The HTML edition's pages: one per section, the contents (index.html) and search.

Every page has the same frame: a skip link, "Get help now" first of all, then
the guide's navigation, the text in `<main>`, and previous/next links. All text
from the content goes through `markup.text` (escaped).
"""

from __future__ import annotations

from datetime import date

from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK_LINES
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide, Section
from ketaguide_tui.guide.review_status import review_lines
from ketaguide_tui.html_edition.markup import PageLinks, Renderer, text

GUIDE_TITLE = "Ketamine therapy: an evidence-based guide"
LANGUAGE = "en"
STYLE_FILE = "style.css"
SEARCH_PAGE = "search.html"
SEARCH_INDEX_FILE = "search-index.js"
SEARCH_SCRIPT_FILE = "search.js"
INDEX_PAGE = "index.html"
MAIN_ID = "Text"
"""The id of `<main>`, where the skip link goes: capitalised, so no heading's anchor
(always lower case) can take it."""


class Site:
    """The guide's pages and how they link: section id -> file name."""

    def __init__(self, guide: Guide, page_names: dict[str, str]) -> None:
        self.guide = guide
        self.page_names = page_names

    def page_of(self, section_id: str) -> str:
        return self.page_names[section_id]

    def frame(self, title: str, main: str, footer: str = "", scripts: tuple[str, ...] = ()) -> str:
        """A whole page around `main` (already HTML)."""
        script_tags = "".join(f'<script src="{text(name)}"></script>\n' for name in scripts)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{text(title)}</title>\n"
            f'<link rel="stylesheet" href="{STYLE_FILE}">\n</head>\n<body>\n'
            f'<a class="skip-link" href="#{MAIN_ID}">Skip to the text</a>\n'
            f"<header>\n{self.crisis_line()}\n"
            '<nav aria-label="Guide"><ul>'
            f'<li><a href="{INDEX_PAGE}">Contents</a></li>'
            f'<li><a href="{SEARCH_PAGE}">Search</a></li>'
            "</ul></nav>\n</header>\n"
            f'<main id="{MAIN_ID}">\n{main}\n</main>\n'
            f"{footer}{script_tags}</body>\n</html>\n"
        )

    def crisis_line(self) -> str:
        """The crisis link that tops every page."""
        if self.guide.get(CRISIS_SECTION_ID) is None:
            lines = "<br>".join(text(line) for line in CRISIS_FALLBACK_LINES if line)
            return f'<p class="crisis"><strong>Get help now.</strong><br>{lines}</p>'
        page = text(self.page_of(CRISIS_SECTION_ID))
        return (
            f'<p class="crisis"><a href="{page}">Get help now</a>:'
            " emergency numbers and crisis lines.</p>"
        )

    def section_page(self, section: Section) -> str:
        renderer = Renderer(PageLinks(self.guide, section, self.page_of))
        # Said as of the day the pages are written: they are a snapshot of the guide.
        dates = text(". ".join(review_lines(section, date.today())))
        main = (
            f"<h1>{text(section.title)}</h1>\n"
            f'<p class="reviewed">{dates}.</p>\n'
            f"{renderer.nodes(section.tree)}"
        )
        return self.frame(f"{section.title} - {GUIDE_TITLE}", main, self.neighbours(section))

    def neighbours(self, section: Section) -> str:
        items = []
        for step, word in ((-1, "Previous"), (1, "Next")):
            other = self.guide.neighbour(section.id, step)
            if other is not None:
                href = text(self.page_of(other.id))
                items.append(f'<li>{word}: <a href="{href}">{text(other.title)}</a></li>')
        if not items:
            return ""
        links = "".join(items)
        return f'<footer>\n<nav aria-label="Previous and next"><ul>{links}</ul></nav>\n</footer>\n'

    def index_page(self) -> str:
        items = "\n".join(
            f'<li><a href="{text(self.page_of(s.id))}">{text(s.title)}</a>'
            f'<p class="summary">{text(s.summary)} <span class="reviewed-date">'
            f"({text(s.reviewed_text)}.)</span></p></li>"
            for s in self.guide
        )
        main = (
            f"<h1>{text(GUIDE_TITLE)}</h1>\n"
            "<p>Each section says when it was last reviewed. This guide does not replace"
            " advice from a clinician who knows you.</p>\n"
            f'<p><a href="{SEARCH_PAGE}">Search the guide</a></p>\n'
            f'<h2 id="sections">Sections</h2>\n<ol class="sections">\n{items}\n</ol>'
        )
        return self.frame(GUIDE_TITLE, main)

    def search_page(self) -> str:
        main = (
            "<h1>Search the guide</h1>\n"
            f'<form id="search-form" class="search-form" role="search" action="{SEARCH_PAGE}"'
            ' method="get">\n'
            '<label for="q">Words to search for</label><br>\n'
            '<input id="q" name="q" type="search" autocomplete="off">\n'
            '<button type="submit">Search</button>\n</form>\n'
            "<noscript><p>Search needs JavaScript. The "
            f'<a href="{INDEX_PAGE}">contents</a> lists every section.</p></noscript>\n'
            '<p id="search-status" role="status" aria-live="polite"></p>\n'
            '<ol id="results" class="results"></ol>'
        )
        return self.frame(
            f"Search - {GUIDE_TITLE}", main, scripts=(SEARCH_INDEX_FILE, SEARCH_SCRIPT_FILE)
        )
