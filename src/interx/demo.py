"""The demo: the main job of the toolkit on built-in data, as one library call.

Generates the synthetic release (zipped, official layout), summarizes and
checks it, prepares it (processed release and features), and renders a sheet
of every category and one video. It stops after the first step that finds a
problem, so the result says how far it got.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from interx.data.check import CheckReport, check_dataset
from interx.data.info import DatasetInfo, dataset_info
from interx.data.processed import H5Motions
from interx.errors import InterXError
from interx.prepare.run import PrepareReport, prepare
from interx.synth.generate import SIZES, SynthReport, write_synthetic_release
from interx.viz.render import RenderOptions, per_action_sheet, render
from interx.viz.sources import open_source

FPS = 30.0


@dataclass
class DemoResult:
    """What the demo made; a step that did not run (an earlier one found a problem) stays None or empty."""

    release: Path
    processed: Path
    synthetic: SynthReport | None = None
    info: DatasetInfo | None = None
    check: CheckReport | None = None
    prepared: PrepareReport | None = None
    sheet: Path | None = None
    sheet_ids: list[str] = field(default_factory=list)  # the first sequence of each action, on the sheet
    video: Path | None = None
    video_id: str | None = None
    video_frames: int = 0


def run_demo(out_dir: str | os.PathLike, *, size: str = "small", workers: int = 2,
             progress: Callable[[str, int, int], None] | None = None) -> DemoResult:
    """Run every step into `out_dir`; `progress(step, done, total)` per step."""
    if size not in SIZES:
        raise InterXError(f"--size must be one of {', '.join(SIZES)}, got {size!r}")
    out_dir = Path(out_dir)
    result = DemoResult(out_dir / f"synthetic-{size}", out_dir / f"processed-{size}")

    def step(name: str) -> Callable[[int, int], None] | None:
        return None if progress is None else lambda done, total: progress(name, done, total)

    result.synthetic = write_synthetic_release(result.release, size=size, seed=0, as_zip=True, workers=workers,
                                               progress=step("generating"))
    if result.synthetic.failed:
        return result
    result.info = dataset_info(result.release, progress=step("reading"))
    result.check = check_dataset(result.release, progress=step("checking"))
    if not result.check.ok:
        return result
    result.prepared = prepare(result.release, result.processed, workers=workers, progress=progress)
    if not result.prepared.ok:
        return result
    with open_source(result.release) as source:
        result.sheet, result.sheet_ids = per_action_sheet(source, out_dir / "categories.png", width=320, height=240,
                                                          fps=FPS, progress=step("rendering actions"))
    motions = result.processed / "motions"
    for split in ("test", "val", "train"):  # the first sequence of the first split that has one
        with H5Motions(motions / f"{split}.h5") as h5:
            ids = h5.ids()
        if ids:
            break
    else:
        raise InterXError(f"{motions}: no prepared sequence to render")
    with open_source(motions / f"{split}.h5") as source:
        clip = source.clip(ids[0], FPS)
        result.video = render([clip], out_dir / "sequence.mp4", RenderOptions(), progress=step("rendering"))
    result.video_id, result.video_frames = ids[0], clip.num_frames
    return result
