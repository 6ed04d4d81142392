"""Reading at most so many bytes of a file, without setting aside memory for all of them.

`file.read(limit + 1)` is the plain way to read a file while noticing that it is
longer than `limit`, but CPython sets aside the whole `limit + 1` bytes first
and gives back what was not used after. With an 8 MiB limit, every save of the
reading place (a file of a few KB) allocated 8 MiB for a moment: the largest
allocation the reader made while turning pages (measured with tracemalloc; the
pages were never written, so it did not show in resident memory). Asking the
open file for its size first sets aside only what the file holds.
"""

from __future__ import annotations

import os
from typing import BinaryIO


def read_at_most(file: BinaryIO, limit: int) -> bytes:
    """Up to `limit + 1` bytes of an open file: one more than `limit` tells it is longer."""
    try:
        size = os.fstat(file.fileno()).st_size
    except (OSError, ValueError):  # no descriptor behind it (a test's in-memory file)
        size = limit
    # One byte over what the file held when asked, so a file that grew since still
    # reads as longer than that; never more than one byte over the limit.
    return file.read(min(size, limit) + 1)
