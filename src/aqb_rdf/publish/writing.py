"""A failure to write a file names that file (I/O edge).

Python's ``write`` and ``close`` and pyoxigraph's ``serialize`` raise an ``OSError`` without a
file name (a full disk says only "No space left on device"); the build reports an error in one
line that names the path, so every write of a release goes through :func:`naming`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Give an ``OSError`` raised inside the block that names no file the name ``path``."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        message = _RUST_ERRNO.sub("", error.strerror or str(error))  # pyoxigraph adds it
        raise OSError(error.errno, message, str(path)) from None


_RUST_ERRNO = re.compile(r" \(os error \d+\)$")
