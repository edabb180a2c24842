"""Atomic writes: all or nothing, and files as readable as a plain open would make them."""

from __future__ import annotations

import stat

import pytest

from interx.data.atomic import atomic_open, atomic_write_bytes


def test_written_file_has_the_umask_mode_not_mkstemps_private_one(tmp_path):
    atomic_write_bytes(tmp_path / "a" / "f.bin", b"data")
    with open(tmp_path / "plain.bin", "wb"):
        pass
    path = tmp_path / "a" / "f.bin"
    assert path.read_bytes() == b"data"
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE((tmp_path / "plain.bin").stat().st_mode)


def test_an_error_leaves_neither_the_file_nor_a_temporary(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as handle:
            handle.write(b"half")
            raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]
