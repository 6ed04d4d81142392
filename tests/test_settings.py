"""User configuration: key bindings from config.toml, and the example file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.settings import (
    Settings,
    config_dir,
    config_path,
    example_config,
    load_settings,
    normalize_key,
)

IDS = ("search", "next_section", "previous_section", "quit", "help", "bookmark")
DEFAULTS = {
    "search": "slash,s",
    "next_section": "right_square_bracket",
    "previous_section": "left_square_bracket",
    "quit": "q",
    "help": "question_mark,f1",
    "bookmark": "m",
}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Property tests here write real files: a fixture-scoped folder is reused on
# purpose, and disk speed (fsync) must not make them flaky.
DISK_TEST_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "config"
    path.mkdir()
    return path


def load(folder: Path, text: str) -> tuple[Settings, list[str]]:
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return load_settings(IDS, folder)


def only_warning(warnings: list[str], folder: Path) -> str:
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(str(folder / "config.toml"))
    return warnings[0]


# --------------------------------------------------------------------------
# Location


def test_config_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETAGUIDE_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert config_dir() == tmp_path / "elsewhere"
    assert config_path() == tmp_path / "elsewhere" / "config.toml"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "config.toml").write_text('[keys]\nquit = "x"\n', encoding="utf-8")
    assert load_settings(IDS) == (Settings({"quit": "x"}), [])


def test_config_dir_defaults_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETAGUIDE_CONFIG_DIR", raising=False)
    assert config_dir() == Path(platformdirs.user_config_dir("ketaguide"))


# --------------------------------------------------------------------------
# Good files


def test_missing_file_gives_defaults_silently(tmp_path: Path) -> None:
    assert load_settings(IDS, tmp_path / "nowhere") == (Settings(), [])
    assert load_settings(IDS, tmp_path) == (Settings(), [])


def test_the_documented_example_loads(folder: Path) -> None:
    text = """\
# Rebind keys: action id = "key" or "key1,key2" (Textual key names)
[keys]
search = "/,s"
next_section = "]"
quit = "q"
"""
    assert load(folder, text) == (
        Settings({"search": "/,s", "next_section": "]", "quit": "q"}),
        [],
    )


def test_empty_and_comment_only_files_are_fine(folder: Path) -> None:
    assert load(folder, "") == (Settings(), [])
    assert load(folder, "# nothing yet\n\n[keys]\n# quit = 'x'\n") == (Settings(), [])


def test_dotted_keys_and_bom_are_understood(folder: Path) -> None:
    (folder / "config.toml").write_bytes('\ufeffkeys.quit = "x"\n'.encode())
    assert load_settings(IDS, folder) == (Settings({"quit": "x"}), [])


def test_windows_line_endings_and_odd_separators_keep_line_numbers(folder: Path) -> None:
    text = '# odd\u2028separator\r\n[keys]\r\nquit = "x"\r\nsearch = 3\r\n'
    settings_, warnings = load(folder, text)
    assert settings_.keymap == {"quit": "x"}
    assert "line 4" in only_warning(warnings, folder)
    broken = '[keys]\r\nquit = "x"\r\nsearch = /\r\n'
    settings_, warnings = load(folder, broken)
    assert settings_.keymap == {"quit": "x"}
    assert "line 3" in only_warning(warnings, folder)


def test_keys_are_normalised_for_textual(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nsearch = " Ctrl+/ , F3 ,f3, PageDown "\n')
    assert warnings == []
    assert settings_.keymap == {"search": "ctrl+slash,f3,pagedown"}


# --------------------------------------------------------------------------
# Key names


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("a", "a"),
        ("G", "G"),
        ("7", "7"),
        ("/", "/"),
        ("]", "]"),
        ("?", "?"),
        ("é", "é"),
        ("ctrl+x", "ctrl+x"),
        ("Ctrl+X", "ctrl+x"),
        ("shift+tab", "shift+tab"),
        ("f1", "f1"),
        ("F24", "f24"),
        ("ctrl+f12", "ctrl+f12"),
        ("pageup", "pageup"),
        ("pagedown", "pagedown"),
        ("home", "home"),
        ("end", "end"),
        ("up", "up"),
        ("down", "down"),
        ("left", "left"),
        ("right", "right"),
        ("escape", "escape"),
        ("enter", "enter"),
        ("tab", "tab"),
        ("space", "space"),
        ("backspace", "backspace"),
        ("delete", "delete"),
        ("insert", "insert"),
        ("comma", "comma"),
        ("question_mark", "question_mark"),
        ("right_square_bracket", "right_square_bracket"),
        ("slash", "slash"),
        ("shift+ctrl+f", "ctrl+shift+f"),
        ("meta+alt+ctrl+shift+left", "alt+ctrl+meta+shift+left"),
        ("ctrl+/", "ctrl+slash"),
        ("alt+[", "alt+left_square_bracket"),
        ("ctrl++", "ctrl+plus"),
        ("+", "+"),
    ],
)
def test_valid_key_names(written: str, normalized: str) -> None:
    assert normalize_key(written) == normalized


@pytest.mark.parametrize(
    "written",
    ["", " ", "esc", "f0", "f25", "ctrl+", "ctrl", "ctrl+alt", "ctrl+ctrl+x", "cmd+x", "foo"]
    + ["\x1b", "\t", "ctrl+\x07", "page up", "+x", "++", "shift+"],
)
def test_invalid_key_names(written: str) -> None:
    assert normalize_key(written) is None


# --------------------------------------------------------------------------
# Bad files: a warning naming file, line and problem; valid entries kept


def test_invalid_toml_keeps_the_valid_lines(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nsearch = "/"\nnext_section = ]\nquit = "x"\n')
    warning = only_warning(warnings, folder)
    assert "line 3" in warning
    assert "not valid TOML" in warning
    assert "in quotes" in warning
    assert settings_.keymap == {"search": "/", "quit": "x"}


def test_invalid_toml_outside_keys_keeps_the_keys(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nquit = "x"\n\n[other\nthing = 1\n')
    assert "line 4" in only_warning(warnings, folder)
    assert settings_.keymap == {"quit": "x"}


def test_broken_file_lines_under_other_tables_are_not_keys(folder: Path) -> None:
    settings_, warnings = load(folder, '[ui]\nquit = "x"\n= broken\n')
    assert len(warnings) == 1
    assert settings_.keymap == {}


def test_non_utf8_file_keeps_valid_entries(folder: Path) -> None:
    (folder / "config.toml").write_bytes(b'# caf\xe9\n[keys]\nquit = "x"\n')
    settings_, warnings = load_settings(IDS, folder)
    warning = only_warning(warnings, folder)
    assert "line 1" in warning and "UTF-8" in warning
    assert settings_.keymap == {"quit": "x"}


def test_unreadable_file_warns(folder: Path) -> None:
    (folder / "config.toml").mkdir()  # unreadable even for root
    settings_, warnings = load_settings(IDS, folder)
    assert settings_ == Settings()
    assert "can't read it" in only_warning(warnings, folder)


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root ignores permissions")
def test_unreadable_permissions_warn(folder: Path) -> None:
    path = folder / "config.toml"
    path.write_text('[keys]\nquit = "x"\n', encoding="utf-8")
    path.chmod(0o000)
    try:
        settings_, warnings = load_settings(IDS, folder)
    finally:
        path.chmod(0o600)
    assert settings_ == Settings()
    assert "Permission denied" in only_warning(warnings, folder)


def test_unknown_action_suggests_a_near_miss(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nquit = "x"\nserch = "/"\n')
    warning = only_warning(warnings, folder)
    assert "line 3" in warning
    assert "unknown action 'serch'" in warning
    assert "did you mean 'search'?" in warning
    assert settings_.keymap == {"quit": "x"}


def test_unknown_action_lists_known_ones(folder: Path) -> None:
    _, warnings = load(folder, '[keys]\nzzzzzz = "/"\n')
    assert "known actions: bookmark, help, next_section" in only_warning(warnings, folder)


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("3", "not a number"),
        ("true", "not true/false"),
        ('["a", "b"]', "not a list"),
        ("{ key = 'a' }", "not a table"),
        ("1979-05-27", "not a date or time"),
    ],
)
def test_non_string_value(folder: Path, value: str, complaint: str) -> None:
    settings_, warnings = load(folder, f'[keys]\nquit = "x"\nsearch = {value}\n')
    warning = only_warning(warnings, folder)
    assert "line 3" in warning
    assert "must be a quoted string" in warning and complaint in warning
    assert settings_.keymap == {"quit": "x"}


@pytest.mark.parametrize("value", ['""', '"   "', '","', '" , , "'])
def test_empty_key_string(folder: Path, value: str) -> None:
    settings_, warnings = load(folder, f'[keys]\nsearch = {value}\nquit = "x"\n')
    assert any("line 2" in w and "'search'" in w for w in warnings)
    assert all(w.startswith(str(folder / "config.toml")) for w in warnings)
    assert settings_.keymap == {"quit": "x"}


def test_invalid_key_name_keeps_the_valid_ones(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nquit = "q,esc,ctrl+alt"\nhelp = "nope"\n')
    assert len(warnings) == 4
    assert "line 2" in warnings[0] and "'esc' is not a key name" in warnings[0]
    assert "did you mean 'escape'?" in warnings[0]
    assert "'ctrl+alt' has modifiers but no key" in warnings[1]
    assert "line 3" in warnings[2] and "'nope'" in warnings[2]
    assert "no usable keys for 'help'; using the default" in warnings[3]
    assert settings_.keymap == {"quit": "q"}


def test_trailing_comma_explains_the_comma_key(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nquit = "q,"\n')
    assert "comma" in only_warning(warnings, folder)
    assert settings_.keymap == {"quit": "q"}


def test_unknown_section_and_settings(folder: Path) -> None:
    settings_, warnings = load(folder, 'theme = "x"\n[keys]\nquit = "x"\n[colours]\na = 1\n')
    assert len(warnings) == 2
    assert "line 1" in warnings[0] and "unknown setting 'theme'" in warnings[0]
    assert "line 4" in warnings[1] and "'colours'" in warnings[1]
    assert settings_.keymap == {"quit": "x"}


def test_keys_not_a_table(folder: Path) -> None:
    settings_, warnings = load(folder, 'keys = "q"\n')
    warning = only_warning(warnings, folder)
    assert "line 1" in warning and "must be a table" in warning
    assert settings_ == Settings()


def test_nested_table_under_keys(folder: Path) -> None:
    settings_, warnings = load(folder, '[keys]\nquit = "x"\n[keys.search]\na = "b"\n')
    assert "must be a quoted string" in only_warning(warnings, folder)
    assert settings_.keymap == {"quit": "x"}


def test_warnings_never_carry_terminal_escapes(folder: Path) -> None:
    _, warnings = load(
        folder, '[keys]\n"\\u001b[2Jevil" = "\\u001b]0;x\\u0007"\nquit = "\\u009b31m"\n'
    )
    assert len(warnings) == 3
    for warning in warnings:
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in warning), warning


def test_huge_and_deep_files_never_raise(folder: Path) -> None:
    for text in ("[keys]\nquit = " + "[" * 100_000, "a = " + "9" * 5000, "x" * 2_000_000):
        settings_, warnings = load(folder, text)
        assert settings_ == Settings()
        assert len(warnings) == 1


# --------------------------------------------------------------------------
# The example file


def uncommented(text: str) -> str:
    """The example with its bindings switched on, as a user would edit it."""
    lines = text.splitlines()
    start = lines.index("[keys]")
    return "\n".join(lines[: start + 1] + [line.removeprefix("# ") for line in lines[start + 1 :]])


def test_example_is_valid_and_changes_nothing(folder: Path) -> None:
    text = example_config(DEFAULTS)
    assert load(folder, text) == (Settings(), [])
    for action, keys in DEFAULTS.items():
        assert f'# {action} = "{keys}"' in text


def test_example_uncommented_gives_the_defaults(folder: Path) -> None:
    descriptions = {"search": "Search the guide", "quit": "Quit\n\x1b[31m now"}
    text = example_config(DEFAULTS, descriptions)
    assert "# Search the guide" in text
    assert "Quit now" in text
    settings_, warnings = load(folder, uncommented(text))
    assert warnings == []
    assert settings_.keymap == DEFAULTS


def test_example_quotes_awkward_ids_and_keys(tmp_path: Path) -> None:
    awkward = {"odd id": '"', "back\\slash": "\\", "naïve": "é"}
    text = example_config(awkward)
    (tmp_path / "config.toml").write_text(uncommented(text), encoding="utf-8")
    settings_, warnings = load_settings(awkward.keys(), tmp_path)
    assert warnings == []
    assert settings_.keymap == awkward


def test_example_mentions_key_syntax() -> None:
    text = example_config({})
    assert 'action id = "key" or "key1,key2"' in text
    assert text.rstrip().endswith("[keys]")


# --------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None, suppress_health_check=DISK_TEST_CHECKS)
@given(text=st.text(max_size=500))
def test_arbitrary_text_never_makes_load_settings_raise(folder: Path, text: str) -> None:
    settings_, warnings = load(folder, text)
    assert isinstance(settings_, Settings)
    assert set(settings_.keymap) <= set(IDS)
    assert all(isinstance(w, str) and str(folder) in w for w in warnings)


_fragments = st.sampled_from(
    ["[keys]", "[other]", "[[arr]]", "quit", "search", "=", " ", '"', "'", ",", "+", "ctrl"]
    + ["\n", "#", "[", "]", '"""', "{", "}", "1", "true", "keys.", "esc", "\\", "\x00"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=DISK_TEST_CHECKS)
@given(parts=st.lists(_fragments | st.text(max_size=5), max_size=40))
def test_toml_ish_text_never_makes_load_settings_raise(folder: Path, parts: list[str]) -> None:
    settings_, _ = load(folder, "".join(parts))
    for keys in settings_.keymap.values():
        assert all(normalize_key(key) == key for key in keys.split(","))


@settings(max_examples=200, deadline=None, suppress_health_check=DISK_TEST_CHECKS)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_make_load_settings_raise(folder: Path, raw: bytes) -> None:
    (folder / "config.toml").write_bytes(raw)
    settings_, _ = load_settings(IDS, folder)
    assert isinstance(settings_, Settings)


# --------------------------------------------------------------------------
# The copy of Textual's key names, compared with Textual's own tables.
# Settings never import Textual (the command line reads them too), so the
# copy in key_names can drift; these fail, naming the difference, if it does.


def test_punctuation_renames_are_textuals() -> None:
    from textual.keys import KEY_NAME_REPLACEMENTS

    from ketaguide_tui.key_names import TEXTUAL_RENAMES

    assert TEXTUAL_RENAMES == KEY_NAME_REPLACEMENTS


def test_every_printable_character_is_named_as_textual_names_it() -> None:
    # `_character_to_key` is private in Textual: this is the check that it
    # still names keys as the copy does.
    import string

    from textual.keys import _character_to_key, format_key

    from ketaguide_tui.key_names import character_key

    for character in string.printable.strip():
        assert character_key(character) == _character_to_key(character), repr(character)
    for character in string.punctuation:
        # Textual shows the key by the name we give it as the character it types.
        assert format_key(character_key(character)) == character, repr(character)


def test_named_keys_are_textual_keys() -> None:
    from textual.keys import Keys

    from ketaguide_tui.key_names import NAMED_KEYS

    textual_names = {key.value for key in Keys}
    assert textual_names >= NAMED_KEYS, sorted(NAMED_KEYS - textual_names)


def test_modifiers_are_the_ones_textual_reports() -> None:
    # Textual keeps its modifier names inside its key parser: feed it one key
    # with each modifier bit of the kitty keyboard protocol and read them back.
    from textual._xterm_parser import XTermParser

    from ketaguide_tui.key_names import MODIFIERS

    parser = XTermParser()
    reported = set()
    for bit in range(6):
        (event,) = parser.feed(f"\x1b[97;{(1 << bit) + 1}u")
        modifier, _, key = getattr(event, "key", "").rpartition("+")
        assert key == "a", event
        reported.add(modifier)
    assert reported == MODIFIERS
