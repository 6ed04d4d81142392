"""`ketaguide export --html DIR`: the guide as static web pages that work offline.

Writes one page per section, `index.html` (the contents), `search.html` with
its script and index, and `style.css` into DIR (made if missing). Only these
files are written; anything else in DIR is left alone. A section's page is
named after its id when the id is a safe file name, else `section-N.html`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK_LINES
from ketaguide_tui.crisis_words import crisis_names
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.guide.text_safety import clean, clean_line
from ketaguide_tui.html_edition.assets import SEARCH_JS, STYLE_CSS
from ketaguide_tui.html_edition.pages import (
    INDEX_PAGE,
    SEARCH_INDEX_FILE,
    SEARCH_PAGE,
    SEARCH_SCRIPT_FILE,
    STYLE_FILE,
    Site,
)

_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,80}")
_RESERVED = {INDEX_PAGE, SEARCH_PAGE}


class ExportError(Exception):
    """The pages could not be written (a one-line reason for the user)."""


def page_names(guide: Guide) -> dict[str, str]:
    """Section id -> file name: the id when it is a safe, unique file name."""
    names: dict[str, str] = {}
    used = set(_RESERVED)
    for number, section in enumerate(guide, 1):
        name = f"{section.id}.html"
        if not _SAFE_NAME.fullmatch(section.id) or name in used:
            name = f"section-{number}.html"
        used.add(name)
        names[section.id] = name
    return names


def search_index(guide: Guide, names: dict[str, str]) -> str:
    """The search page's index as a script: every passage, and the crisis section's names."""
    passages = [
        {
            "page": names[section.id],
            "title": clean_line(section.title),
            "heading": clean_line(passage.heading.text) if passage.heading else None,
            "anchor": passage.heading.anchor if passage.heading else None,
            "text": clean(passage.text),
        }
        for section in guide
        for passage in section.reading.passages
        if passage.text or passage.heading
    ]
    crisis = guide.get(CRISIS_SECTION_ID)
    crisis_data = {
        "page": names[crisis.id] if crisis is not None else INDEX_PAGE,
        "names": [clean_line(name) for name in crisis_names(guide)],
        "text": (
            "emergency numbers and crisis lines."
            if crisis is not None
            else " ".join(line for line in CRISIS_FALLBACK_LINES if line)
        ),
    }
    data = {"passages": passages, "crisis": crisis_data}
    # ASCII with \\u escapes: no character can end the script or change how it is read.
    return f"window.KETAGUIDE_SEARCH = {json.dumps(data, ensure_ascii=True)};\n"


def export_html(guide: Guide, folder: Path) -> int:
    """Write the edition into `folder`; returns the number of pages written."""
    names = page_names(guide)
    site = Site(guide, names)
    files = {
        name: site.section_page(section)
        for section, name in zip(guide, names.values(), strict=True)
    }
    files[INDEX_PAGE] = site.index_page()
    files[SEARCH_PAGE] = site.search_page()
    pages = len(files)
    files[STYLE_FILE] = STYLE_CSS
    files[SEARCH_SCRIPT_FILE] = SEARCH_JS
    files[SEARCH_INDEX_FILE] = search_index(guide, names)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_text(content, encoding="utf-8")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ExportError(f"cannot write the pages into {folder}: {reason}") from error
    return pages
