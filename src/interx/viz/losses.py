"""Training-loss plots from a run's `metrics.csv` (Lightning's CSV logger): one panel per loss term."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from interx.data.atomic import atomic_path
from interx.errors import FormatError


def read_losses(path: str | os.PathLike) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name -> (steps, values) of every `train/...` column with values.

    `path` is a metrics.csv or a run folder, whose `metrics-1.csv`, ... (the
    parts before each continuation) and `metrics.csv` are read in order.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("metrics-*.csv"), key=lambda f: int(f.stem.split("-")[1])) + [path / "metrics.csv"]
    else:
        files = [path]
    rows = []
    for file in files:
        if not file.is_file():
            raise FormatError(file, None, "a metrics.csv written by a training run", found="no such file")
        with file.open(newline="") as handle:
            part = list(csv.DictReader(handle))
        if not part or "step" not in part[0]:
            raise FormatError(file, "step", "a CSV with a step column",
                              found="no rows" if not part else "no step column")
        rows.extend(part)
    series = {}
    for name in sorted({key for row in rows for key in row}):
        if not name.startswith("train/"):
            continue
        points = [(int(r["step"]), float(r[name])) for r in rows if r.get(name) not in (None, "")]
        if points:
            steps, values = zip(*points)
            series[name[len("train/"):]] = (np.asarray(steps), np.asarray(values))
    return series


def plot_losses(metrics: str | os.PathLike, out: str | os.PathLike, *, smooth: int = 20) -> Path:
    """Write a PNG of every loss term against the step (raw, light; running mean of `smooth`, dark)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = read_losses(metrics)
    if not series:
        raise FormatError(metrics, None, "train/... loss columns", found="none")
    names = ["loss"] + sorted(n for n in series if n != "loss") if "loss" in series else sorted(series)
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        steps, values = series[name]
        ax.plot(steps, values, color="tab:blue", alpha=0.25, linewidth=0.8)
        if len(values) >= smooth:
            kernel = np.ones(smooth) / smooth
            ax.plot(steps[smooth - 1:], np.convolve(values, kernel, mode="valid"), color="tab:blue")
        ax.set_title(name)
        ax.set_xlabel("step")
        if values.min() > 0:
            ax.set_yscale("log")
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    fig.tight_layout()
    out = Path(out)
    with atomic_path(out) as tmp:
        fig.savefig(tmp, dpi=100)
    plt.close(fig)
    return out
