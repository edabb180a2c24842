"""Where evaluated motions come from: a processed split, a generated h5 file, or memory.

A generated file uses the processed layout: one dataset per test id at the h5
root, `[T, 56, 6]` for one sample or `[S, T, 56, 6]` for S samples of that id
(the samples MultiModality compares). Motions are read one at a time, so a
full-size test split never has to fit in memory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import h5py
import numpy as np

from interx.data.ids import ID_FORMAT, is_valid_id
from interx.data.processed import NUM_ROWS, ROW_WIDTH, H5Motions
from interx.errors import FormatError


class MotionSource(Protocol):
    """Samples of processed motions by id."""

    name: str

    def ids(self) -> list[str]: ...

    def num_samples(self, seq_id: str) -> int: ...

    def num_frames(self, seq_id: str, sample: int) -> int: ...

    def read(self, seq_id: str, sample: int) -> np.ndarray: ...


class SplitMotions:
    """One split of a processed release (one sample per id)."""

    def __init__(self, motions: H5Motions):
        self.motions = motions
        self.name = str(motions.path)

    def ids(self) -> list[str]:
        return self.motions.ids()

    def num_samples(self, seq_id: str) -> int:
        return 1 if seq_id in self.motions else 0

    def num_frames(self, seq_id: str, sample: int) -> int:
        return self.motions.num_frames(seq_id)

    def read(self, seq_id: str, sample: int) -> np.ndarray:
        return self.motions.read(seq_id)


class GeneratedMotions:
    """A generated h5 file: per id `[T, 56, 6]` or `[S, T, 56, 6]`; validated when opened and on each read."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.name = str(self.path)
        if not self.path.is_file():
            raise FormatError(self.path, None, "an existing HDF5 file of generated motions", found="no such file")
        try:
            self._file = h5py.File(self.path, "r")
        except (OSError, ValueError) as exc:
            raise FormatError(self.path, None, "a readable HDF5 file", found=f"{type(exc).__name__}: {exc}") from None
        self._shapes: dict[str, tuple[int, ...]] = {}
        for key, node in self._file.items():
            if not is_valid_id(key):
                raise FormatError(self.path, key, f"datasets named by sequence id ({ID_FORMAT})", found=repr(key))
            if not isinstance(node, h5py.Dataset):
                raise FormatError(self.path, key, "a dataset", found=f"a {type(node).__name__}")
            shape = tuple(node.shape)
            if len(shape) == 3:
                shape = (1,) + shape
            if len(shape) != 4 or shape[2:] != (NUM_ROWS, ROW_WIDTH) or shape[0] < 1 or shape[1] < 1:
                raise FormatError(self.path, key, f"shape [T, {NUM_ROWS}, {ROW_WIDTH}] or [S, T, {NUM_ROWS}, "
                                  f"{ROW_WIDTH}]", found=f"shape {list(node.shape)}")
            if node.dtype.kind != "f":
                raise FormatError(self.path, key, "floating-point values", found=f"dtype {node.dtype}")
            self._shapes[key] = shape

    def close(self) -> None:
        self._file.close()

    def ids(self) -> list[str]:
        return sorted(self._shapes)

    def num_samples(self, seq_id: str) -> int:
        return self._shapes[seq_id][0] if seq_id in self._shapes else 0

    def num_frames(self, seq_id: str, sample: int) -> int:
        return self._shapes[seq_id][1]

    def read(self, seq_id: str, sample: int) -> np.ndarray:
        node = self._file[seq_id]
        arr = np.asarray(node[()] if node.ndim == 3 else node[sample], dtype=np.float32)
        if not np.isfinite(arr).all():
            raise FormatError(self.path, seq_id if node.ndim == 3 else f"{seq_id}[{sample}]", "finite values",
                              found="NaN or infinity")
        return arr


class ArrayMotions:
    """Motions held in memory: id -> list of `[T, 56, 6]` samples."""

    def __init__(self, samples: Mapping[str, Sequence[np.ndarray]], name: str = "memory"):
        self.name = name
        self.samples = {k: [np.asarray(m, dtype=np.float32) for m in v] for k, v in samples.items()}
        for seq_id, items in self.samples.items():
            for i, m in enumerate(items):
                if m.ndim != 3 or m.shape[1:] != (NUM_ROWS, ROW_WIDTH):
                    raise FormatError(name, f"{seq_id}[{i}]", f"shape [T, {NUM_ROWS}, {ROW_WIDTH}]",
                                      found=f"shape {list(m.shape)}")
                if not np.isfinite(m).all():
                    raise FormatError(name, f"{seq_id}[{i}]", "finite values", found="NaN or infinity")

    def ids(self) -> list[str]:
        return sorted(self.samples)

    def num_samples(self, seq_id: str) -> int:
        return len(self.samples.get(seq_id, ()))

    def num_frames(self, seq_id: str, sample: int) -> int:
        return self.samples[seq_id][sample].shape[0]

    def read(self, seq_id: str, sample: int) -> np.ndarray:
        return self.samples[seq_id][sample]


class AliasMotions:
    """Samples that are other sources' motions (the baselines: training motions standing in for generations)."""

    def __init__(self, base: MotionSource, aliases: Mapping[str, Sequence[str]], name: str):
        self.base = base
        self.aliases = {k: list(v) for k, v in aliases.items()}
        self.name = name

    def ids(self) -> list[str]:
        return sorted(self.aliases)

    def num_samples(self, seq_id: str) -> int:
        return len(self.aliases.get(seq_id, ()))

    def num_frames(self, seq_id: str, sample: int) -> int:
        return self.base.num_frames(self.aliases[seq_id][sample], 0)

    def read(self, seq_id: str, sample: int) -> np.ndarray:
        return self.base.read(self.aliases[seq_id][sample], 0)

    def origin(self, seq_id: str, sample: int) -> tuple[str, int]:
        return self.aliases[seq_id][sample], 0
