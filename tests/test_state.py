"""Reader state on disk: round trips, damage, atomic writes, locking, limits."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.state import (
    FORMAT_VERSION,
    MAX_BOOKMARKS,
    MAX_TITLE_LENGTH,
    Bookmark,
    Place,
    ReaderState,
    StateStore,
    add_bookmark,
    decode_state,
    delete_bookmark,
    encode_state,
    find_bookmark,
    mark_all_unread,
    mark_read,
    mark_unread,
    rename_bookmark,
    state_dir,
    with_last_place,
    with_theme,
)
from ketaguide_tui.state import store as state_module

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Property tests here write real files: a fixture-scoped folder is reused on
# purpose, and disk speed (fsync) must not make them flaky.
DISK_TEST_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


class EventLike(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


# --------------------------------------------------------------------------
# Helpers


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "state")


SAMPLE_BOOKMARKS = (
    Bookmark(
        "a" * 32,
        "Dosing table",
        Place("ways-it-is-given", "dosing", 12),
        "2026-01-02T10:00:00+00:00",
    ),
    Bookmark("b" * 32, "Side effects", Place("side-effects"), "2026-01-03T11:30:00+00:00"),
)


def sample_state() -> ReaderState:
    """The same state every time (add_bookmark would make new ids)."""
    return ReaderState(
        last_place=Place("history", "early-years", 40),
        bookmarks=SAMPLE_BOOKMARKS,
        read_sections=frozenset({"start-here", "history"}),
        theme="gruvbox",
    )


def write_json(store: StateStore, document: object) -> None:
    store.directory.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps(document), encoding="utf-8")


def good_document() -> dict[str, object]:
    return json.loads(encode_state(sample_state()))  # type: ignore[no-any-return]


def load_one_warning(store: StateStore) -> tuple[ReaderState, str]:
    state, warnings = store.load()
    assert len(warnings) == 1, warnings
    assert str(store.path) in warnings[0]
    return state, warnings[0]


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody can write to; root ignores chmod, so use a path under a file."""
    if IS_ROOT:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder", encoding="utf-8")
        return blocker / "state"
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


# --------------------------------------------------------------------------
# Location


def test_state_dir_follows_the_environment_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETAGUIDE_STATE_DIR", str(tmp_path / "one"))
    assert state_dir() == tmp_path / "one"
    monkeypatch.setenv("KETAGUIDE_STATE_DIR", str(tmp_path / "two"))
    assert StateStore().path == tmp_path / "two" / "state.json"


def test_state_dir_defaults_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETAGUIDE_STATE_DIR", raising=False)
    assert state_dir() == Path(platformdirs.user_state_dir("ketaguide"))


# --------------------------------------------------------------------------
# Pure helpers


def test_add_bookmark_gives_unique_ids_and_iso_timestamps() -> None:
    state, first = add_bookmark(ReaderState(), "One", Place("a"))
    state, second = add_bookmark(state, "Two", Place("b", "h", 3))
    assert state.bookmarks == (first, second)
    assert first.id != second.id
    assert len(first.id) == 32 and int(first.id, 16) >= 0
    assert datetime.fromisoformat(first.created).tzinfo is not None


def test_titles_are_sanitised_single_line_and_capped() -> None:
    _, bookmark = add_bookmark(ReaderState(), "\x1b[31mRed\x1b[0m\nline\ttwo\x07", Place("a"))
    assert bookmark.title == "Red line two"
    _, long = add_bookmark(ReaderState(), "x" * 1000, Place("a"))
    assert len(long.title) == MAX_TITLE_LENGTH
    _, empty = add_bookmark(ReaderState(), " \x1b[2J ", Place("side-effects"))
    assert empty.title == "side-effects"


def test_bookmarks_are_bounded_dropping_the_oldest() -> None:
    state = ReaderState()
    for number in range(MAX_BOOKMARKS + 5):
        state, _ = add_bookmark(state, f"b{number}", Place("a"))
    assert len(state.bookmarks) == MAX_BOOKMARKS
    assert state.bookmarks[0].title == "b5"
    assert state.bookmarks[-1].title == f"b{MAX_BOOKMARKS + 4}"


def test_rename_and_delete_bookmarks() -> None:
    state, mark = add_bookmark(ReaderState(), "Old", Place("a"))
    renamed = rename_bookmark(state, mark.id, "New\x1b]0;pwned\x07 title")
    assert find_bookmark(renamed, mark.id) == replace(mark, title="New title")
    assert rename_bookmark(state, "no-such-id", "x") == state
    assert rename_bookmark(state, mark.id, "   ").bookmarks[0].title == "Old"
    assert delete_bookmark(renamed, mark.id).bookmarks == ()
    assert delete_bookmark(state, "no-such-id") == state
    assert find_bookmark(ReaderState(), mark.id) is None


def test_read_marks_place_and_theme_helpers() -> None:
    state = mark_read(mark_read(ReaderState(), "a"), "b")
    assert state.read_sections == {"a", "b"}
    assert mark_unread(state, "a").read_sections == {"b"}
    assert mark_all_unread(state).read_sections == frozenset()
    assert with_last_place(state, Place("c", None, 5)).last_place == Place("c", None, 5)
    assert with_theme(state, "nord").theme == "nord"
    assert with_theme(with_theme(state, "nord"), None).theme is None


# --------------------------------------------------------------------------
# Round trip


def test_missing_file_gives_defaults_quietly(store: StateStore) -> None:
    assert store.load() == (ReaderState(), [])
    assert not store.directory.exists()  # loading never creates anything


def test_round_trip(store: StateStore) -> None:
    state = sample_state()
    assert store.save(state) is None
    assert StateStore(store.directory).load() == (state, [])


def test_file_is_versioned_readable_json(store: StateStore) -> None:
    store.save(sample_state())
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["version"] == FORMAT_VERSION == 2
    assert document["read_sections"] == ["history", "start-here"]
    assert document["bookmarks"][0]["place"] == {
        "section_id": "ways-it-is-given",
        "anchor": "dosing",
        "scroll_y": 12,
    }


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_file_is_private(store: StateStore) -> None:
    store.save(sample_state())
    assert store.path.stat().st_mode & 0o077 == 0


def test_update_changes_and_saves(store: StateStore) -> None:
    state, warning = store.update(lambda s: mark_read(s, "dosing"))
    assert warning is None
    assert state.read_sections == {"dosing"}
    assert store.load() == (state, [])


def test_a_failing_change_propagates_and_releases_the_lock(store: StateStore) -> None:
    def broken(state: ReaderState) -> ReaderState:
        raise RuntimeError("bug in the UI")

    with pytest.raises(RuntimeError, match="bug in the UI"):
        store.update(broken)
    assert store.update(lambda s: mark_read(s, "a"))[1] is None


def test_update_merges_with_another_window(tmp_path: Path) -> None:
    window_a, window_b = StateStore(tmp_path), StateStore(tmp_path)
    window_a.load()
    window_b.load()
    window_b.update(lambda s: add_bookmark(s, "From B", Place("b"))[0])
    window_b.update(lambda s: mark_read(s, "b"))
    merged, _ = window_a.update(lambda s: add_bookmark(s, "From A", Place("a"))[0])
    assert [b.title for b in merged.bookmarks] == ["From B", "From A"]
    assert merged.read_sections == {"b"}


def test_json_with_unicode_and_odd_strings_round_trips(store: StateStore) -> None:
    state, _ = add_bookmark(ReaderState(), "Guimarães 2022 — ✓ 😀", Place("refs", "guimarães"))
    state = mark_read(state, "\ud800-lone-surrogate")
    assert store.save(state) is None
    assert store.load() == (state, [])


# --------------------------------------------------------------------------
# Damaged files: defaults for what is broken, every valid part kept


def test_empty_file_warns_and_starts_afresh(store: StateStore) -> None:
    store.directory.mkdir()
    store.path.write_bytes(b"")
    state, warning = load_one_warning(store)
    assert state == ReaderState()
    assert "empty" in warning


def test_garbage_warns_and_starts_afresh(store: StateStore) -> None:
    store.directory.mkdir()
    store.path.write_bytes(b"not json at all {")
    state, warning = load_one_warning(store)
    assert state == ReaderState()
    assert "not valid JSON at line 1" in warning
    assert "state.json.bad" in warning


def test_truncated_file_keeps_everything_before_the_cut(store: StateStore) -> None:
    original = sample_state()
    state, _ = add_bookmark(original, "Third", Place("c"))
    raw = encode_state(state)
    cut = raw.index(b'"title": "Third"')
    store.directory.mkdir()
    store.path.write_bytes(raw[:cut])
    loaded, warning = load_one_warning(store)
    assert "cut short" in warning
    assert loaded.bookmarks == original.bookmarks  # the cut-off third is dropped
    assert loaded.read_sections == original.read_sections
    assert loaded.last_place == original.last_place
    assert loaded.theme == original.theme


def test_truncation_at_any_byte_never_invents_data(store: StateStore) -> None:
    original = sample_state()
    raw = encode_state(original)
    for cut in range(len(raw.rstrip())):
        loaded, problems = decode_state(raw[:cut])
        assert problems, cut
        assert loaded.bookmarks == original.bookmarks[: len(loaded.bookmarks)]
        assert loaded.read_sections <= original.read_sections
        # A cut inside the place keeps its section; the cut-off details default.
        place, want = loaded.last_place, original.last_place
        assert want is not None
        if place is not None:
            assert place.section_id == want.section_id
            assert place.anchor in (None, want.anchor)
            assert place.scroll_y in (0, want.scroll_y)


def test_non_utf8_bytes_lose_only_the_string_they_are_in(store: StateStore) -> None:
    raw = encode_state(sample_state()).replace(b"Dosing table", b"Dosing \xff\xfe table")
    store.directory.mkdir()
    store.path.write_bytes(raw)
    loaded, warning = load_one_warning(store)
    assert "UTF-8" in warning
    assert loaded.bookmarks[0].title == "Dosing \ufffd\ufffd table"
    assert loaded.read_sections == sample_state().read_sections


def test_top_level_list_gives_defaults(store: StateStore) -> None:
    write_json(store, [1, 2, 3])
    state, warning = load_one_warning(store)
    assert state == ReaderState()
    assert "a list, not an object" in warning


def test_bookmarks_not_a_list_keeps_the_rest(store: StateStore) -> None:
    document = good_document()
    document["bookmarks"] = {"oops": True}
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert state == replace(sample_state(), bookmarks=())
    assert "'bookmarks' is an object, not a list" in warning


_DROP = object()


def bookmark_json(**changes: object) -> dict[str, object]:
    """A valid bookmark record with some fields changed (or removed with _DROP)."""
    record: dict[str, object] = {
        "id": "f" * 32,
        "title": "t",
        "place": {"section_id": "a", "anchor": None, "scroll_y": 0},
        "created": "2026-01-01T00:00:00+00:00",
    }
    record.update(changes)
    return {key: value for key, value in record.items() if value is not _DROP}


@pytest.mark.parametrize(
    ("bad_bookmark", "complaint"),
    [
        (bookmark_json(title=_DROP), "has no 'title'"),
        (bookmark_json(place=_DROP), "has no 'place'"),
        (bookmark_json(id=7), "a number for 'id'"),
        (bookmark_json(id=""), "empty 'id'"),
        (bookmark_json(created="Tuesday"), "not an ISO 8601 timestamp"),
        (bookmark_json(created=None), "null for 'created'"),
        (bookmark_json(place={"section_id": ""}), "empty 'section_id'"),
        (bookmark_json(place={"section_id": "a", "scroll_y": -1}), "scroll_y"),
        (bookmark_json(place={"section_id": "a", "scroll_y": "9"}), "scroll_y"),
        (bookmark_json(place={"section_id": "a", "scroll_y": True}), "scroll_y"),
        (bookmark_json(place={"section_id": "a", "anchor": 3}), "'anchor'"),
        (bookmark_json(place=["a"]), "a list, not an object"),
        ("just a string", "text, not an object"),
        (None, "null, not an object"),
    ],
)
def test_one_bad_bookmark_keeps_the_others(
    store: StateStore, bad_bookmark: object, complaint: str
) -> None:
    document = good_document()
    bookmarks = document["bookmarks"]
    assert isinstance(bookmarks, list)
    bookmarks.insert(1, bad_bookmark)
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert state == sample_state()
    assert "bookmark 2" in warning
    assert complaint in warning


def test_duplicate_bookmark_ids_keep_the_first(store: StateStore) -> None:
    document = good_document()
    bookmarks = document["bookmarks"]
    assert isinstance(bookmarks, list)
    bookmarks.append(dict(bookmarks[0], title="Copy"))
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert state == sample_state()
    assert "repeats the id" in warning


def test_bad_last_place_keeps_read_sections_and_bookmarks(store: StateStore) -> None:
    document = good_document()
    document["last_place"] = {"anchor": "x"}
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert state == replace(sample_state(), last_place=None)
    assert "last reading place has no 'section_id'" in warning


def test_wrong_types_keep_valid_parts(store: StateStore) -> None:
    document = good_document()
    document["read_sections"] = ["a", 3, None, "b", ""]
    document["theme"] = 42
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert state == replace(sample_state(), read_sections=frozenset({"a", "b"}), theme=None)
    assert "3 read mark(s)" in warning
    assert "'theme' is a number" in warning


def test_read_sections_not_a_list(store: StateStore) -> None:
    document = good_document()
    document["read_sections"] = "start-here"
    write_json(store, document)
    state, _ = load_one_warning(store)
    assert state == replace(sample_state(), read_sections=frozenset())


def test_newer_format_is_read_as_far_as_possible(store: StateStore) -> None:
    document = good_document()
    document["version"] = FORMAT_VERSION + 1
    document["new_feature"] = {"x": 1}
    write_json(store, document)
    state, warning = load_one_warning(store)
    assert replace(state, extra=()) == sample_state()
    assert "newer ketaguide" in warning


def test_missing_optional_fields_are_fine(store: StateStore) -> None:
    write_json(store, {"bookmarks": [], "last_place": {"section_id": "a"}})
    assert store.load() == (ReaderState(last_place=Place("a")), [])


def test_hand_edited_titles_are_cleaned(store: StateStore) -> None:
    document = good_document()
    bookmarks = document["bookmarks"]
    assert isinstance(bookmarks, list)
    bookmarks[0]["title"] = "\x1b[2JEvil\ntitle" + "!" * 500
    write_json(store, document)
    state, warnings = store.load()
    assert warnings == []
    assert state.bookmarks[0].title.startswith("Evil title!")
    assert len(state.bookmarks[0].title) == MAX_TITLE_LENGTH


def test_too_many_bookmarks_keeps_the_newest(store: StateStore) -> None:
    state = ReaderState()
    for number in range(MAX_BOOKMARKS):
        state, _ = add_bookmark(state, f"b{number}", Place("a"))
    document = json.loads(encode_state(state))
    document["bookmarks"].insert(0, dict(document["bookmarks"][0], id="extra", title="oldest"))
    write_json(store, document)
    loaded, warning = load_one_warning(store)
    assert loaded.bookmarks == state.bookmarks
    assert f"kept the newest {MAX_BOOKMARKS}" in warning


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'{"bookmarks": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"version": ' + b"9" * 5000 + b"}",
        b'{"version": NaN, "theme": Infinity}',
        b"\xef\xbb\xbf" + b"{}",
        b"\x00\x00\x00",
        b"{}" + b" trailing",
    ],
)
def test_hostile_files_never_raise(store: StateStore, raw: bytes) -> None:
    store.directory.mkdir()
    store.path.write_bytes(raw)
    state, warnings = store.load()
    assert isinstance(state, ReaderState)
    assert all(str(store.path) in w for w in warnings)


def test_oversized_file_is_not_read(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_module, "_MAX_FILE_BYTES", 100)
    write_json(store, {"theme": "x" * 200})
    state, warning = load_one_warning(store)
    assert state == ReaderState()
    assert "larger than" in warning


# --------------------------------------------------------------------------
# The .bad copy


def test_damaged_file_is_kept_as_bad_before_first_save(store: StateStore) -> None:
    document = good_document()
    document["bookmarks"] = "broken"
    write_json(store, document)
    damaged = store.path.read_bytes()
    state, _ = store.load()
    assert not store.backup_path.exists()  # loading alone changes nothing
    assert store.save(mark_read(state, "new")) is None
    assert store.backup_path.read_bytes() == damaged
    assert store.load() == (mark_read(state, "new"), [])
    # Later saves over the now-healthy file leave the copy alone.
    store.save(ReaderState())
    assert store.backup_path.read_bytes() == damaged


def test_update_keeps_the_damaged_copy_too(store: StateStore) -> None:
    store.directory.mkdir()
    store.path.write_bytes(b'{"read_sections": ["a"], "bookmarks": [{"id"')
    damaged = store.path.read_bytes()
    store.load()
    state, warning = store.update(lambda s: mark_read(s, "b"))
    assert warning is None  # load already reported the damage
    assert state.read_sections == {"a", "b"}
    assert store.backup_path.read_bytes() == damaged


def test_update_reports_damage_that_load_did_not_see(store: StateStore) -> None:
    store.load()
    store.directory.mkdir()
    store.path.write_bytes(b"{{{{")
    state, warning = store.update(lambda s: mark_read(s, "b"))
    assert state.read_sections == {"b"}
    assert warning is not None and "damaged" in warning
    assert store.backup_path.read_bytes() == b"{{{{"


def test_a_newer_damage_replaces_an_older_copy(store: StateStore) -> None:
    store.directory.mkdir()
    for damage in (b"first damage", b"second damage"):
        store.path.write_bytes(damage)
        store.save(ReaderState())
        assert store.backup_path.read_bytes() == damage


def test_empty_file_is_not_worth_a_copy(store: StateStore) -> None:
    store.directory.mkdir()
    store.path.write_bytes(b"  \n")
    store.save(ReaderState())
    assert not store.backup_path.exists()


def test_no_copy_means_no_overwrite(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    store.directory.mkdir()
    store.path.write_bytes(b"damaged")
    monkeypatch.setattr(os, "link", fail)
    monkeypatch.setattr(shutil, "copyfile", fail)
    warning = store.save(ReaderState())
    assert warning is not None and "couldn't keep a copy" in warning
    assert store.path.read_bytes() == b"damaged"


# --------------------------------------------------------------------------
# Atomic writes and failures


def test_failed_replace_leaves_the_old_file_intact(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(sample_state())
    before = store.path.read_bytes()
    sources: list[Path] = []

    def broken_replace(src: str | Path, dst: str | Path) -> None:
        sources.append(Path(src))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken_replace)
    warning = store.save(ReaderState(theme="other"))
    assert warning is not None and "Input/output error" in warning
    assert store.path.read_bytes() == before
    assert sources and sources[0].parent == store.directory  # temp file beside the target
    leftovers = {p.name for p in store.directory.iterdir()}
    assert leftovers == {"state.json", "state.json.lock"}


def test_write_is_flushed_to_disk(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    store.save(sample_state())
    assert synced


def test_full_disk_is_reported(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    store.save(sample_state())
    monkeypatch.setattr(os, "fsync", full)
    assert store.save(ReaderState()) == (
        f"Can't save reading progress to {store.path}: the disk is full."
    )
    assert store.load() == (sample_state(), [])


def test_unwritable_folder_warns_and_never_raises(tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    store = StateStore(folder)
    assert store.load() == (ReaderState(), [])
    warning = store.save(sample_state())
    assert warning is not None
    assert warning.startswith(f"Can't save reading progress: {folder}")
    assert "is not writable" in warning


def test_unwritable_folder_keeps_the_session_in_memory(tmp_path: Path) -> None:
    store = StateStore(unwritable_folder(tmp_path))
    store.load()
    state, warning = store.update(lambda s: add_bookmark(s, "one", Place("a"))[0])
    assert warning is not None and "not writable" in warning
    state, warning = store.update(lambda s: add_bookmark(s, "two", Place("b"))[0])
    assert warning is not None
    assert [b.title for b in state.bookmarks] == ["one", "two"]


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root ignores permissions")
def test_read_only_folder_with_existing_file(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.save(sample_state())
    store.directory.chmod(0o500)
    try:
        warning = store.save(ReaderState())
        assert warning is not None and "is not writable" in warning
        assert store.load() == (sample_state(), [])
    finally:
        store.directory.chmod(0o700)


def test_unreadable_file_is_reported_and_left_alone(store: StateStore) -> None:
    # A folder where the file should be: unreadable even for root.
    store.path.mkdir(parents=True)
    (store.path / "precious").write_text("keep me", encoding="utf-8")
    state, warning = load_one_warning(store)
    assert state == ReaderState()
    assert warning.startswith(f"Can't read reading progress from {store.path}")
    saved = store.save(sample_state())
    assert saved is not None and "left as it is" in saved
    # The session goes on in memory, from the state it last saw.
    new_state, update_warning = store.update(lambda s: mark_read(s, "x"))
    assert new_state.read_sections == sample_state().read_sections | {"x"}
    assert update_warning is not None
    assert (store.path / "precious").read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root ignores permissions")
def test_unreadable_permissions(store: StateStore) -> None:
    store.save(sample_state())
    store.path.chmod(0o000)
    try:
        state, warning = load_one_warning(store)
        assert "Permission denied" in warning
        assert store.save(ReaderState()) is not None
    finally:
        store.path.chmod(0o600)
    assert store.load() == (sample_state(), [])


# --------------------------------------------------------------------------
# Two processes at once


def _add_many(directory: str, tag: str, count: int, start: EventLike) -> None:
    """Child process: wait for the start signal, then update as fast as possible."""
    start.wait()
    store = StateStore(Path(directory))
    for number in range(count):
        name = f"{tag}-{number}"

        def change(state: ReaderState, name: str = name) -> ReaderState:
            return mark_read(add_bookmark(state, name, Place(tag))[0], name)

        _, warning = store.update(change)
        assert warning is None, warning


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    count = 60
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_add_many, args=(str(tmp_path), tag, count, start))
        for tag in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    state, warnings = StateStore(tmp_path).load()
    assert warnings == []
    titles = {b.title for b in state.bookmarks}
    expected = {f"{tag}-{n}" for tag in ("a", "b") for n in range(count)}
    assert titles == expected
    assert state.read_sections == expected
    assert len({b.id for b in state.bookmarks}) == 2 * count


# --------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None, suppress_health_check=DISK_TEST_CHECKS)
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes_never_make_load_raise(tmp_path: Path, raw: bytes) -> None:
    store = StateStore(tmp_path / "fuzz")
    store.directory.mkdir(exist_ok=True)
    store.path.write_bytes(raw)
    state, warnings = store.load()
    assert isinstance(state, ReaderState)
    assert all(isinstance(w, str) and str(store.path) in w for w in warnings)


_field_names = st.sampled_from(
    ["version", "last_place", "bookmarks", "read_sections", "theme", "id", "title", "place"]
    + ["created", "section_id", "anchor", "scroll_y"]
)
# JSON whose keys are mostly our field names, so the shape checks (not just the
# top level) meet every kind of wrong value.
_shaped = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-01T00:00:00+00:00", "a"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_field_names | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=DISK_TEST_CHECKS)
@given(document=st.dictionaries(_field_names, _shaped, max_size=6))
def test_wrongly_shaped_json_loads_and_saves(tmp_path: Path, document: object) -> None:
    store = StateStore(tmp_path / "shapes")
    store.directory.mkdir(exist_ok=True)
    store.path.write_text(json.dumps(document), encoding="utf-8")
    state, _ = store.load()
    assert store.save(state) is None
    assert StateStore(store.directory).load() == (state, [])


_texts = st.text(min_size=1, max_size=30)
_places = st.builds(
    Place,
    section_id=_texts,
    anchor=st.none() | st.text(max_size=30),
    scroll_y=st.integers(min_value=0, max_value=10**6),
)
_bookmark_lists = st.lists(st.tuples(st.text(max_size=300), _places), max_size=8)


@settings(deadline=None)
@given(
    bookmarks=_bookmark_lists,
    last=st.none() | _places,
    read=st.frozensets(_texts, max_size=8),
    theme=st.none() | _texts,
)
def test_any_state_round_trips(
    bookmarks: list[tuple[str, Place]],
    last: Place | None,
    read: frozenset[str],
    theme: str | None,
) -> None:
    state = ReaderState(last_place=last, read_sections=read, theme=theme)
    for title, place in bookmarks:
        state, _ = add_bookmark(state, title, place)
    assert decode_state(encode_state(state)) == (state, [])


def test_bookmark_dataclasses_are_hashable_values() -> None:
    bookmark = Bookmark("id", "t", Place("a"), "2026-01-01T00:00:00+00:00")
    assert {ReaderState(bookmarks=(bookmark,))} == {ReaderState(bookmarks=(bookmark,))}
