"""Key names as Textual writes them, checked without importing Textual.

`normalize_key` turns a key as a user wrote it in config.toml (`Ctrl+/`, `G`,
`PageDown`) into the string Textual matches (`ctrl+slash`, `G`, `pagedown`).
The names are a copy of Textual's own, because settings are read by the
command line, which never imports Textual; tests/test_settings.py compares
this copy with Textual's tables (`textual.keys`), so an upgrade that changes
them fails there instead of silently rejecting a user's keys.
"""

from __future__ import annotations

import difflib
import string
import unicodedata

MODIFIERS = frozenset({"alt", "ctrl", "hyper", "meta", "shift", "super"})
NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "space",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        *(f"f{number}" for number in range(1, 25)),
    }
)
# Textual's short names for some punctuation (textual.keys.KEY_NAME_REPLACEMENTS).
TEXTUAL_RENAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def character_key(character: str) -> str:
    """Textual's name for the key that types `character` (`/` -> `slash`).

    Mirrors `textual.keys._character_to_key`, which is private.
    """
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return TEXTUAL_RENAMES.get(name, name)


# Long names of punctuation keys, written as Textual writes them
# ("question_mark", "left_square_bracket", "comma"...).
PUNCTUATION_NAMES = frozenset(character_key(c) for c in string.punctuation)
KNOWN_NAMES = NAMED_KEYS | PUNCTUATION_NAMES


def normalize_key(key: str) -> str | None:
    """The Textual key string for one key as a user wrote it, or None if invalid.

    A single character is kept as written (Textual names it itself). Named
    keys and modifiers are lower-cased and modifiers sorted, as Textual
    reports them (`Shift+Ctrl+F` -> `ctrl+shift+f`); a character after a
    modifier becomes its name (`ctrl+/` -> `ctrl+slash`), which Textual needs.
    """
    key = key.strip()
    if len(key) == 1:
        return key if key.isprintable() and not key.isspace() else None
    modifiers, base = _split_modifiers(key)
    if modifiers is None or not base:
        return None
    name = _normalize_base(base, modified=bool(modifiers))
    if name is None:
        return None
    return "+".join([*sorted(modifiers), name])


def _split_modifiers(key: str) -> tuple[list[str] | None, str]:
    """Modifiers (None if any is bad or repeated) and the key they modify."""
    # "ctrl++" binds the plus key: the last "+" is the key itself.
    if "+" not in key:
        return [], key
    if key.endswith("++"):
        head, base = key[:-2], "+"
    else:
        head, _, base = key.rpartition("+")
    if not head:
        return None, base  # "+x" or "++": a "+" with nothing before it
    modifiers = [part.strip().lower() for part in head.split("+")]
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return None, base
    return modifiers, base.strip()


def _normalize_base(base: str, *, modified: bool) -> str | None:
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            return None
        return character_key(base.lower()) if modified else base
    name = base.lower()
    return name if name in KNOWN_NAMES else None


def suggest_key(key: str) -> str:
    """' (did you mean ...?)' for a near-miss key name, else ''."""
    *modifiers, base = key.lower().split("+")
    matches = difflib.get_close_matches(base, sorted(KNOWN_NAMES), n=1)
    if not matches:
        return ""
    return f" (did you mean {'+'.join([*modifiers, matches[0]])!r}?)"
