"""Reading a saved list (bookmarks, questions) back from the state file.

Each item that does not parse is reported and left out, an item repeating an
earlier one's id is reported and left out, and only the newest `limit` are
kept: one damaged entry never costs the reader the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar


class HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=HasId)


def valid_items(
    items: list[object],
    parse: Callable[[object], Item],
    invalid: type[Exception],
    noun: str,
    limit: int,
    problems: list[str],
) -> tuple[Item, ...]:
    """The items that parse, in order, each id once, the newest `limit` of them."""
    kept: list[Item] = []
    seen: set[str] = set()
    for number, raw in enumerate(items, start=1):
        try:
            item = parse(raw)
        except invalid as err:
            problems.append(f"{noun} {number} {err}")
            continue
        if item.id in seen:
            problems.append(f"{noun} {number} repeats the id of an earlier one")
            continue
        seen.add(item.id)
        kept.append(item)
    if len(kept) > limit:
        problems.append(f"it has {len(kept)} {noun}s; kept the newest {limit}")
    return tuple(kept[-limit:])
