"""Reading a file up to a limit: every byte of a short file, one byte over for a long one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ketaguide_tui.bounded_read import read_at_most


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_reads_up_to_one_byte_over_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "file"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(range(size % 256)))
    with open(path, "rb") as file:
        raw = read_at_most(file, 100)
    assert raw == path.read_bytes()[:101]


def test_an_in_memory_file_is_read_to_the_limit() -> None:
    assert read_at_most(io.BytesIO(b"z" * 300), 100) == b"z" * 101
