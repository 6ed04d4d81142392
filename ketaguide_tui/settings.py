"""User configuration: key bindings from `config.toml`.

The file lives in the user's config folder
(`platformdirs.user_config_dir("ketaguide")`, or `$KETAGUIDE_CONFIG_DIR`)::

    # Rebind keys: action id = "key" or "key1,key2" (Textual key names)
    [keys]
    search = "/,s"
    next_section = "]"
    quit = "q"

A hand-edited file is often slightly wrong, so `load_settings` never raises:
each problem becomes a warning naming the file, the line where known, and
what was wrong, and every valid binding is still used. Even when the TOML
does not parse, valid lines of the `[keys]` table are recovered one by one.

No Textual import here: the CLI, the TUI and the tests share this module.
Key names are checked by `key_names`, a copy of Textual's that a test compares.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ketaguide_tui.bounded_read import read_at_most
from ketaguide_tui.guide.text_safety import sanitize
from ketaguide_tui.key_names import MODIFIERS, normalize_key, suggest_key
from ketaguide_tui.paths import CONFIG_DIR_ENV, config_dir

__all__ = [
    "CONFIG_DIR_ENV",
    "CONFIG_FILE_NAME",
    "Settings",
    "config_dir",
    "config_path",
    "example_config",
    "load_settings",
    "normalize_key",
]

CONFIG_FILE_NAME = "config.toml"
KEYS_TABLE = "keys"

# A config file of a few lines; anything this big is not one.
_MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """The user's choices; `keymap` holds only the bindings they changed."""

    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> "key1,key2"


def config_path(directory: Path | None = None) -> Path:
    """Where `config.toml` is (or would be)."""
    return (directory if directory is not None else config_dir()) / CONFIG_FILE_NAME


# --------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class _Entry:
    """One `action = value` found in the `[keys]` table."""

    action: str
    value: object
    line: int | None


def load_settings(
    known_ids: Collection[str], directory: Path | None = None
) -> tuple[Settings, list[str]]:
    """Read `config.toml`: settings plus warnings (empty when all is well).

    Never raises. A missing file means defaults, silently; every problem is
    one warning, and every valid binding is kept.
    """
    path = config_path(directory)
    warnings: list[str] = []
    text = _read_text(path, warnings)
    if text is None:
        return Settings(), warnings
    entries = _keys_entries(path, text, warnings)
    keymap: dict[str, str] = {}
    for entry in entries:
        keys = _check_entry(path, entry, known_ids, warnings)
        if keys is not None:
            keymap[entry.action] = keys
    return Settings(keymap=keymap), warnings


def _read_text(path: Path, warnings: list[str]) -> str | None:
    try:
        with open(path, "rb") as file:
            raw = read_at_most(file, _MAX_FILE_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        warnings.append(f"{path}: can't read it ({err.strerror or err}); using the default keys.")
        return None
    if len(raw) > _MAX_FILE_BYTES:
        warnings.append(f"{path}: too large for a config file; using the default keys.")
        return None
    try:
        return raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as err:
        # One bad byte (often in a comment) should not cost every binding.
        line = raw[: err.start].count(b"\n") + 1
        warnings.append(f"{_where(path, line)}: not UTF-8 text; the unreadable bytes were ignored.")
        return raw.decode("utf-8-sig", errors="replace")


def _keys_entries(path: Path, text: str, warnings: list[str]) -> list[_Entry]:
    """The `[keys]` entries: from the whole document, or line by line if it is broken."""
    import tomllib  # only when there is a keys file (most readers have none)

    try:
        document = tomllib.loads(text)
    except (RecursionError, ValueError) as err:  # tomllib's errors are ValueErrors
        line, message = _toml_error(err)
        if message == "Invalid value":
            message += ', keys go in quotes: search = "/"'
        warnings.append(
            f"{_where(path, line)}: not valid TOML ({message}); "
            "bindings on other lines are still used."
        )
        return _entries_by_line(text, skip_line=line)
    lines = {entry.action: entry.line for entry in _entries_by_line(text)}
    for name in document:
        if name != KEYS_TABLE:
            warnings.append(
                f"{_where(path, _header_line(text, name))}: unknown setting {_show(name)} "
                f"ignored; key bindings go under [{KEYS_TABLE}]."
            )
    table = document.get(KEYS_TABLE, {})
    if not isinstance(table, dict):
        warnings.append(
            f"{_where(path, _header_line(text, KEYS_TABLE))}: '{KEYS_TABLE}' must be a table "
            f'([{KEYS_TABLE}] followed by lines like search = "/"); using the default keys.'
        )
        return []
    return [_Entry(action, value, lines.get(action)) for action, value in table.items()]


_TOML_POSITION = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column \d+\)$")


def _toml_error(err: Exception) -> tuple[int | None, str]:
    """The line number (if tomllib gave one) and the message without it."""
    text = str(err) or type(err).__name__
    match = _TOML_POSITION.match(text)
    if match is None:
        return None, text.removesuffix(" (at end of document)")
    return int(match["line"]), match["message"]


_HEADER = re.compile(r"^\s*\[\s*([^\[\]#]*?)\s*\]\s*(?:#.*)?$")
_ARRAY_HEADER = re.compile(r"^\s*\[\[")


def _table_of(line: str) -> str | None:
    """The table a header line opens (`[keys]` -> "keys"), or None if not a header."""
    if _ARRAY_HEADER.match(line):
        return "[[array]]"  # never the keys table
    match = _HEADER.match(line)
    if match is not None:
        return match.group(1).strip("\"' ")
    # A broken header ("[other") most likely opened some other table: don't
    # read the lines after it as key bindings.
    return "[broken]" if line.lstrip().startswith("[") else None


def _entries_by_line(text: str, skip_line: int | None = None) -> list[_Entry]:
    """`[keys]` entries found by parsing each line on its own.

    Used for line numbers, and to recover bindings from a file whose TOML
    is broken elsewhere. Both `[keys]` + `search = "/"` and a top-level
    `keys.search = "/"` are understood.
    """
    entries: list[_Entry] = []
    table = ""
    for number, line in enumerate(_lines(text), start=1):
        header = _table_of(line)
        if header is not None:
            table = header
            continue
        if number == skip_line or table not in ("", KEYS_TABLE):
            continue
        entries.extend(_entries_on_line(line, number, table))
    return entries


def _lines(text: str) -> list[str]:
    """Lines as TOML counts them: only "\n" ends a line (and "\r\n" is one end)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _entries_on_line(line: str, number: int, table: str) -> list[_Entry]:
    import tomllib

    try:
        parsed: dict[str, object] = tomllib.loads(line)
    except (RecursionError, ValueError):
        return []
    if table == "":
        nested = parsed.get(KEYS_TABLE)
        parsed = nested if isinstance(nested, dict) and len(parsed) == 1 else {}
    return [_Entry(action, value, number) for action, value in parsed.items()]


def _header_line(text: str, name: str) -> int | None:
    """The line of the `[name]` header or of the first `name...` key."""
    assignment = re.compile(rf"^\s*{re.escape(name)}\s*[.=]")
    for number, line in enumerate(_lines(text), start=1):
        if _table_of(line) == name or assignment.match(line):
            return number
    return None


def _check_entry(
    path: Path, entry: _Entry, known_ids: Collection[str], warnings: list[str]
) -> str | None:
    """The normalized keys for one entry, or None (with a warning) if unusable."""
    where = _where(path, entry.line)
    if entry.action not in known_ids:
        hint = _suggest_action(entry.action, known_ids)
        warnings.append(f"{where}: unknown action {_show(entry.action)}{hint}; ignored.")
        return None
    action = _show(entry.action)
    if not isinstance(entry.value, str):
        warnings.append(
            f'{where}: the keys for {action} must be a quoted string such as "ctrl+f" or '
            f'"/,s", not {_toml_kind(entry.value)}; using the default.'
        )
        return None
    return _check_keys(where, action, entry.value, warnings)


def _check_keys(where: str, action: str, value: str, warnings: list[str]) -> str | None:
    parts = [part.strip() for part in value.split(",")]
    if not any(parts):
        warnings.append(f"{where}: no keys given for {action}; using the default.")
        return None
    good: list[str] = []
    for part in parts:
        normalized = normalize_key(part)
        if normalized is None:
            warnings.append(f"{where}: {_describe_bad_key(part)} for {action}; ignored.")
        elif normalized not in good:
            good.append(normalized)
    if not good:
        warnings.append(f"{where}: no usable keys for {action}; using the default.")
        return None
    return ",".join(good)


def _describe_bad_key(part: str) -> str:
    if not part:
        return 'an empty key name (write "comma" for the , key)'
    if part.rpartition("+")[2].strip().lower() in MODIFIERS:
        return f"{_show(part)} has modifiers but no key"
    return f"{_show(part)} is not a key name{suggest_key(part)}"


def _suggest_action(action: str, known_ids: Collection[str]) -> str:
    matches = difflib.get_close_matches(action, sorted(known_ids), n=1)
    if matches:
        return f" (did you mean {matches[0]!r}?)"
    if not known_ids:
        return ""
    return f" (known actions: {', '.join(sorted(known_ids))})"


def _where(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else str(path)


def _show(text: str) -> str:
    """User text quoted for a warning; repr escapes anything a terminal would obey."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _toml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


# --------------------------------------------------------------------------
# Example file


_HEADER_COMMENT = """\
# ketaguide configuration
#
# Rebind keys: action id = "key" or "key1,key2" (Textual key names).
# Keys are single characters ("/", "]", "G") or names: escape, enter, tab,
# space, backspace, delete, insert, home, end, pageup, pagedown, up, down,
# left, right, f1 ... f24, or punctuation names such as comma or slash.
# Combine modifiers with +: ctrl+f, shift+tab, alt+left, ctrl+shift+f.
# Write "comma" for the , key (a comma separates keys).
#
# Every binding below is commented out and shows its default: remove the
# leading "# " from a line to change it. Bindings you leave out keep their
# defaults, including when a new version changes them.
"""


def example_config(
    defaults: Mapping[str, str], descriptions: Mapping[str, str] | None = None
) -> str:
    """A commented `config.toml` listing every action with its default keys.

    `descriptions` (action id -> short text) adds a comment after each line.
    """
    lines = [_HEADER_COMMENT, f"[{KEYS_TABLE}]"]
    assignments = {
        action: f"{_toml_key(action)} = {_toml_string(keys)}" for action, keys in defaults.items()
    }
    width = max((len(a) for a in assignments.values()), default=0)
    for action, assignment in assignments.items():
        note = _one_line((descriptions or {}).get(action, ""))
        lines.append(f"# {assignment.ljust(width)}  # {note}" if note else f"# {assignment}")
    return "\n".join(lines) + "\n"


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _toml_string(name)


def _toml_string(value: str) -> str:
    # JSON strings without ASCII escaping are valid TOML basic strings.
    return json.dumps(value, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(sanitize(text).split())
