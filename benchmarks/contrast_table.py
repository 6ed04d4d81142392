"""Print the contrast table of the reader's themes (docs/accessibility.md quotes it).

For each theme and each text role, the WCAG contrast of its text colour on its
background: in truecolor, and as a 256-colour and a 16-colour terminal show it
(the lower of xterm's and the Linux console's palettes). The 16-colour column
uses the theme's 16-colour variant, as the reader does on such a terminal.
Then the lowest contrast of any character on every screen the contrast test
reads back (tests/test_contrast.py), per theme and colour system.

    python benchmarks/contrast_table.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

import textual.constants
from textual.color import Color

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from screen_cells import colours_of, text_cells  # noqa: E402
from test_contrast import GLOSSARY_BODY, MARKS_BODY, OPENING, collect_scenes  # noqa: E402

from ketaguide_tui.colour_contrast import (  # noqa: E402
    COLOUR_SYSTEMS,
    STANDARD,
    worst_contrast,
)
from ketaguide_tui.guide.model import load_guide  # noqa: E402
from ketaguide_tui.tui.app import KetaguideApp  # noqa: E402
from ketaguide_tui.tui.themes import reader_themes  # noqa: E402

ROLES = (
    ("Body text", "foreground", "background"),
    ("Titles and headings", "ketaguide-heading", "background"),
    ("Links", "ketaguide-link", "background"),
    ("Code, and the `!` in the opening text", "ketaguide-code", "background"),
    ("Review dates, quotes, table lines", "ketaguide-muted", "background"),
    ("Sidebar and dialog text", "foreground", "surface"),
    ("Muted dialog text", "text-muted", "surface"),
    ("Selected row", "block-cursor-foreground", "block-cursor-background"),
    (
        "Selected row, list not focused",
        "block-cursor-blurred-foreground",
        "block-cursor-blurred-background",
    ),
    ("Footer keys", "footer-key-foreground", "footer-background"),
    ("Footer labels", "footer-foreground", "footer-background"),
    ("Notices", "foreground", "panel"),
    ("Search marks, other matches", "ketaguide-mark-foreground", "ketaguide-mark-background"),
    (
        "Search mark, current match",
        "ketaguide-mark-current-foreground",
        "ketaguide-mark-current-background",
    ),
    ("Glossary terms (italic)", "secondary", "background"),
)
WRITE = {
    # The same sections as the contrast test: the scenes wait for a glossary mark.
    "start-here.md": ("Start here", 10, OPENING),
    "cost-notes.md": ("Cost and access", 20, MARKS_BODY),
    "get-help-now.md": ("Get help now", 30, "Call 988.\n"),
    "glossary.md": ("Glossary", 40, GLOSSARY_BODY),
}


def _rgb(value: str, background: str) -> tuple[int, int, int]:
    colour = Color.parse(background).blend(Color.parse(value), Color.parse(value).a)
    return (colour.r, colour.g, colour.b)


def role_table() -> list[str]:
    rows = []
    for theme in reader_themes():
        header = f"| {theme.name} | truecolor | 256 colours | 16 colours |"
        rows += ["", header, "|---|---|---|---|"]
        for role, fore, back in ROLES:
            cells = []
            for system in COLOUR_SYSTEMS:
                variant = next(t for t in reader_themes(system) if t.name == theme.name)
                variables = variant.to_color_system().generate() | variant.variables
                background = _rgb(variables[back], variables["background"])
                foreground = _rgb(variables[fore], variables[back])
                cells.append(f"{worst_contrast(foreground, background, system):.1f}:1")
            rows.append(f"| {role} | " + " | ".join(cells) + " |")
    return rows


async def lowest_on_screen(folder: Path) -> list[str]:
    rows = [
        "",
        "| Lowest contrast of any character on the checked screens "
        "| truecolor | 256 colours | 16 colours |",
        "|---|---|---|---|",
    ]
    for theme in reader_themes():
        cells = []
        for system in COLOUR_SYSTEMS:
            textual.constants.COLOR_SYSTEM = system  # read by the app as it starts
            # Fresh state for each run, as in the test: a saved place would open the
            # next run at the section the last one ended on.
            state = Path(tempfile.mkdtemp(dir=folder.parent))
            os.environ["KETAGUIDE_STATE_DIR"] = str(state / "state")
            os.environ["KETAGUIDE_CACHE_DIR"] = str(state / "cache")
            app = KetaguideApp(load_guide(folder))
            scenes = await collect_scenes(app, theme.name)
            lowest = min(
                worst_contrast(fore, back, system)
                for _scene, screen in scenes
                for cell in text_cells(screen)
                for fore, back in [colours_of(cell.style)]
                if fore is not None and back is not None
            )
            cells.append(f"{lowest:.1f}:1")
        rows.append(f"| {theme.name} | " + " | ".join(cells) + " |")
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "content"
        folder.mkdir()
        for name, (title, order, body) in WRITE.items():
            (folder / name).write_text(
                f'+++\ntitle = "{title}"\norder = {order}\nsummary = "A test section."\n'
                f"reviewed = 2026-01-15\n+++\n\n{body}",
                encoding="utf-8",
            )
        os.environ["KETAGUIDE_CONFIG_DIR"] = str(Path(scratch) / "config")
        lines = role_table() + asyncio.run(lowest_on_screen(folder))
    print("\n".join(lines).strip())
    print(
        f"\n16 colours: the {STANDARD!r} colour system, judged under xterm's and the"
        " Linux console's palettes."
    )


if __name__ == "__main__":
    main()
