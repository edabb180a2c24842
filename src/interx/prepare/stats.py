"""Mean and standard deviation of the 262-d features, from the train split only.

Sums are accumulated per chunk in float64 and combined in a fixed order, so
the statistics do not depend on how many workers computed them. Both persons
share one mean/std (the representation is the same for either person). A
dimension that never varies (a foot that is never in contact in the data) gets
std 1, so normalizing it never divides by zero.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interx.data.arrays import npy_bytes, read_npy
from interx.data.atomic import atomic_write_bytes
from interx.errors import FormatError
from interx.prepare.features import FEATURE_DIM

MIN_STD = 1e-6
MEAN_FILE, STD_FILE = "mean.npy", "std.npy"


@dataclass
class FeatureSums:
    """Running count, sum and sum of squares over feature rows."""

    count: int = 0
    total: np.ndarray | None = None
    squares: np.ndarray | None = None

    def add_rows(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, FEATURE_DIM)
        self.merge(FeatureSums(rows.shape[0], rows.sum(0), (rows * rows).sum(0)))

    def merge(self, other: FeatureSums) -> None:
        if other.count == 0:
            return
        if self.total is None:
            self.total, self.squares = np.zeros(FEATURE_DIM), np.zeros(FEATURE_DIM)
        self.count += other.count
        self.total = self.total + other.total
        self.squares = self.squares + other.squares

    def mean_std(self) -> tuple[np.ndarray, np.ndarray]:
        if self.count == 0:
            raise ValueError("no feature rows to compute statistics from")
        mean = self.total / self.count
        var = np.maximum(self.squares / self.count - mean * mean, 0.0)
        std = np.sqrt(var)
        std[std < MIN_STD] = 1.0
        return mean.astype(np.float32), std.astype(np.float32)


def write_stats(folder: str | os.PathLike, mean: np.ndarray, std: np.ndarray) -> None:
    folder = Path(folder)
    atomic_write_bytes(folder / MEAN_FILE, npy_bytes(np.asarray(mean, dtype=np.float32)))
    atomic_write_bytes(folder / STD_FILE, npy_bytes(np.asarray(std, dtype=np.float32)))


def read_stats(folder: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """`features/mean.npy` and `features/std.npy`, both (262,)."""
    out = []
    for name in (MEAN_FILE, STD_FILE):
        path = Path(folder) / name
        arr = read_npy(path)
        if arr.shape != (FEATURE_DIM,) or arr.dtype.kind != "f":
            raise FormatError(path, None, f"({FEATURE_DIM},) floats", found=f"shape {arr.shape}, dtype {arr.dtype}")
        out.append(arr.astype(np.float32))
    if np.any(out[1] <= 0):
        raise FormatError(Path(folder) / STD_FILE, None, "positive standard deviations", found="a value <= 0")
    return out[0], out[1]
