"""State per content folder, keys a newer version wrote, and format-1 files."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide.model import bundled_content_dir
from ketaguide_tui.state import (
    Place,
    StateStore,
    add_bookmark,
    folder_key,
    mark_read,
    with_last_place,
    with_theme,
)

FORMAT_1_FILE = {
    "version": 1,
    "theme": "gruvbox",
    "last_place": {"section_id": "dosing", "anchor": "doses", "scroll_y": 3},
    "read_sections": ["start-here"],
    "bookmarks": [
        {
            "id": "a" * 32,
            "title": "Dosing table",
            "place": {"section_id": "dosing", "anchor": None, "scroll_y": 0},
            "created": "2026-01-02T10:00:00+00:00",
        }
    ],
}


def write(folder: Path, document: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "state.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_folder_key_names_the_bundled_guide_apart(tmp_path: Path) -> None:
    assert folder_key(bundled_content_dir()) is None
    notes = tmp_path / "notes"
    notes.mkdir()
    (tmp_path / "link").symlink_to(notes)
    assert folder_key(notes) == str(notes.resolve())
    # The same folder reached another way is the same folder.
    assert folder_key(tmp_path / "link") == folder_key(notes)


def test_a_content_folder_keeps_its_own_bookmarks_marks_and_place(tmp_path: Path) -> None:
    bundled = StateStore(tmp_path)
    other = StateStore(tmp_path, folder="/home/someone/notes")
    bundled.update(lambda s: add_bookmark(mark_read(s, "dosing"), "Bundled", Place("dosing"))[0])
    bundled.update(lambda s: with_last_place(s, Place("dosing", "doses")))
    other.update(lambda s: add_bookmark(mark_read(s, "intro"), "Mine", Place("intro"))[0])
    other.update(lambda s: with_last_place(s, Place("intro")))

    state, warnings = StateStore(tmp_path).load()
    assert warnings == []
    assert [b.title for b in state.bookmarks] == ["Bundled"]
    assert state.read_sections == {"dosing"}
    assert state.last_place == Place("dosing", "doses")

    state, warnings = StateStore(tmp_path, folder="/home/someone/notes").load()
    assert warnings == []
    assert [b.title for b in state.bookmarks] == ["Mine"]
    assert state.read_sections == {"intro"}
    assert state.last_place == Place("intro")

    # A folder never opened before starts empty.
    assert StateStore(tmp_path, folder="/elsewhere").load()[0].bookmarks == ()


def test_the_theme_belongs_to_the_reader_not_the_folder(tmp_path: Path) -> None:
    StateStore(tmp_path, folder="/notes").update(lambda s: with_theme(s, "nord"))
    assert StateStore(tmp_path).load()[0].theme == "nord"
    assert StateStore(tmp_path, folder="/other").load()[0].theme == "nord"


def test_a_format_1_file_belongs_to_the_bundled_guide(tmp_path: Path) -> None:
    write(tmp_path, FORMAT_1_FILE)
    state, warnings = StateStore(tmp_path).load()
    assert warnings == []
    assert [b.title for b in state.bookmarks] == ["Dosing table"]
    assert state.last_place == Place("dosing", "doses", 3)
    assert state.theme == "gruvbox"
    other = StateStore(tmp_path, folder="/notes")
    assert other.load()[0].bookmarks == ()
    # Saving another folder's state keeps the bundled guide's where it was.
    other.update(lambda s: mark_read(s, "intro"))
    document = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert document["bookmarks"][0]["title"] == "Dosing table"
    assert document["read_sections"] == ["start-here"]
    assert document["folders"]["/notes"]["read_sections"] == ["intro"]


def test_keys_a_newer_version_wrote_survive_a_save(tmp_path: Path) -> None:
    document = dict(FORMAT_1_FILE, version=2)
    # "reminders": a key this version does not know ("questions" is one it reads now).
    document["reminders"] = [{"text": "Is it safe with [my] pills?", "asked": 3}]
    document["folders"] = {"/notes": {"read_sections": ["a"], "reminders": ["why?"]}}
    write(tmp_path, document)
    store = StateStore(tmp_path)
    store.load()
    assert store.update(lambda s: mark_read(s, "history"))[1] is None
    StateStore(tmp_path, folder="/notes").update(lambda s: mark_read(s, "b"))
    saved = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert saved["reminders"] == document["reminders"]
    assert saved["folders"]["/notes"]["reminders"] == ["why?"]
    assert saved["folders"]["/notes"]["read_sections"] == ["a", "b"]
    assert saved["read_sections"] == ["history", "start-here"]


def test_a_damaged_folder_entry_spoils_nothing_else(tmp_path: Path) -> None:
    write(tmp_path, dict(FORMAT_1_FILE, version=2, folders={"/a": "nonsense", "/b": {}}))
    state, warnings = StateStore(tmp_path).load()
    assert [b.title for b in state.bookmarks] == ["Dosing table"]
    assert len(warnings) == 1 and "folder '/a' is text, not an object" in warnings[0]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
_new_keys = st.text(min_size=1, max_size=12).filter(
    lambda key: (
        key not in {"version", "theme", "last_place", "read_sections", "bookmarks", "folders"}
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.dictionaries(_new_keys, _json_values, max_size=4))
def test_any_unknown_key_survives_load_and_update(extra: dict[str, object]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write(folder, {**FORMAT_1_FILE, **extra})
        StateStore(folder).update(lambda s: mark_read(s, "new"))
        saved = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert {key: saved[key] for key in extra} == extra
    assert "new" in saved["read_sections"]
