"""Headings that echo a question's own wording, filler words included.

Leaving filler out finds "who should not take ketamine" everywhere "ketamine"
is, but the passage that answers it is headed "Who should not have it": it says
neither "take" nor "ketamine". The words the question asks with are the ones
its heading echoes. `echo_expression` finds headings (a lead's: its title) that
repeat ECHO words of the question in a row, mostly words the reading left out;
the index adds those passages to the candidates, and the second look
(rerank.py) places them by how much of the heading the question says.
"""

from __future__ import annotations

from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.query import fts_string

ECHO = 3
"""Words of a question in a row that a heading must repeat to be found by them alone."""
ECHO_MAX = 5
"""Passages found that way at most (a guide could repeat a heading in every section)."""


def echo_expression(typed: Plan, plan: Plan) -> str | None:
    """An FTS5 expression for headings and titles that repeat ECHO words of `typed` in a
    row, most of them words `plan` (its meaningful reading) left out; None if there
    are no such runs (or nothing was left out)."""
    if plan is typed:
        return None
    spoken = [word.typed.text for word in typed.words]
    kept = {id(word) for word in plan.words}
    left_out = [id(word) not in kept for word in typed.words]
    # A run must be mostly words the reading left out: "after a session" is
    # found by its meaningful words already, "who should not" is not.
    runs = {
        " ".join(spoken[i : i + ECHO])
        for i in range(len(spoken) - ECHO + 1)
        if sum(left_out[i : i + ECHO]) > ECHO // 2
    }
    if not runs:
        return None
    return f"{{heading title}} : ({' OR '.join(map(fts_string, sorted(runs)))})"
