"""Starting the linear reader from the command line, on the process's own streams."""

from __future__ import annotations

import io
import sys
from typing import TextIO

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.linear.session import LinearReader
from ketaguide_tui.state import Place, StateStore, folder_key
from ketaguide_tui.terminal_text import write

PRINTED_NOTE = (
    "ketaguide: printed the open section only, as output is not a terminal."
    " `ketaguide --linear` reads on with numbered choices."
)


def read_linear(
    guide: Guide,
    section_id: str | None,
    anchor: str | None,
    search: str | None,
    interactive: bool,
) -> int:
    """Run the linear reader on stdin and stdout; `interactive=False` prints the open section
    (and `search`'s results) once. Returns the exit code."""
    source: TextIO = sys.stdin if sys.stdin is not None else io.StringIO("")
    if isinstance(source, io.TextIOWrapper):
        # Typed or piped bytes that are not valid text must not end the reader.
        source.reconfigure(errors="replace")
    place = Place(section_id, anchor) if section_id is not None else None
    # The place is kept per content folder, as the full-screen reader keeps it.
    store = StateStore(folder=folder_key(guide.root))
    reader = LinearReader(guide, source, sys.stdout, store=store, place=place)
    code = reader.run(search, interactive=interactive)
    sys.stdout.flush()
    if not interactive and sys.stderr is not None and sys.stderr.isatty():
        write(PRINTED_NOTE, sys.stderr)
    return code
