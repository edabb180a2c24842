"""Atomic file writes: a crash or an error never leaves a half-written file.

Every writer in `interx.data` writes to a temporary file in the destination's
folder and renames it over the destination with `os.replace`, which is atomic
on one file system: readers see the old file or the new one, never a part.
(No fsync per file: writing 11K sequences file by file must stay fast.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def _file_mode() -> int:
    """The mode a plain `open` would give a new file (0o666 less the umask): mkstemp's 0o600 would
    make a shared dataset unreadable to everyone but its writer."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` on success.

    For writers that need a file name (h5py, zipfile). The temporary name keeps
    the destination's suffix so libraries that add a suffix (numpy) don't.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp" + path.suffix)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _FILE_MODE)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open a temporary binary file next to `path`; rename it onto `path` on success."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            yield handle


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with atomic_open(path) as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write `text` as UTF-8 with `\\n` line ends to `path` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
