"""`interx prepare` speed: raw -> processed h5, batched vs per-frame body model, loader rate.

Usage: python benchmarks/prepare.py [RAW] [--workers 2] [--subset 24] [--skip-full]

1. full: every split of RAW (default /work/synth-full, the `full` synthetic
   release) to motions/{train,val,test}.h5 with `--workers` processes, timed
   end to end (no texts, no features: the official processed motions).
   Target (issue 5): under 2 minutes on 2 cores.
2. side by side on the same `--subset` ids, one process each: the same
   pipeline with one batched FK call per person and clip (ours) and with the
   body model called once per frame (the official structure; our torch FK
   stands in for the body model). Target: at least 200x the throughput.
3. loader: the train split prepared with features and texts (timed), then
   samples/s of `TextMotionDataset` (batches of 64, up to 150 frames) through
   `batch_loader` and through a plain per-sample DataLoader, with 0 and 2
   worker processes. Target: >= 5,000 samples/s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from interx.body.fk import forward_kinematics_torch
from interx.data.raw import RawRelease
from interx.prepare.motions import frame_step, neutral_joints, process_interaction
from interx.prepare.run import PrepareOptions, prepare, prepare_motions


def per_frame_joints(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """The official structure: one body-model call per frame."""
    out = np.empty((pose.shape[0], 55, 3), dtype=np.float32)
    with torch.no_grad():
        for t in range(pose.shape[0]):
            out[t] = forward_kinematics_torch(torch.from_numpy(pose[t]), torch.from_numpy(trans[t])).numpy()
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: wall time misleads on a shared machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_subset(release: RawRelease, ids: list[str], joints_fn) -> tuple[float, int, list[np.ndarray]]:
    step = frame_step(30)
    start = time.perf_counter()
    results = [process_interaction(release.load(i), step, joints_fn=joints_fn) for i in ids]
    return time.perf_counter() - start, sum(r.shape[0] for r in results), results


def loader_rate(root: Path, workers: int, batched: bool, seconds: float = 8.0) -> float:
    """Samples/s of TextMotionDataset (max 150 frames, batches of 64) over the train features."""
    from torch.utils.data import DataLoader

    from interx.data.datasets import TextMotionDataset

    data = TextMotionDataset(root, "train", max_length=150)
    if batched:
        loader = data.batch_loader(64, num_workers=workers, persistent_workers=workers > 0)
    else:
        loader = DataLoader(data, batch_size=64, shuffle=True, num_workers=workers, persistent_workers=workers > 0)
    for _ in zip(range(3), loader):  # warm up workers and the page cache
        pass
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for batch in loader:
            count += batch["motion"].shape[0]
            if time.perf_counter() - start >= seconds:
                break
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", default="/work/synth-full", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subset", type=int, default=24, help="sequences for the side-by-side comparison")
    parser.add_argument("--skip-full", action="store_true", help="skip the full-release run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="interx-prepare-bench-") as tmp:
        out = Path(tmp) / "out"
        with RawRelease(args.raw) as release:
            ids = release.ids("all")
            frames = sum(release.num_frames(i) for i in ids)
        print(f"release {args.raw}: {len(ids):,} sequences, {frames:,} raw frames (120 fps)")

        if not args.skip_full:
            start, cpu = time.perf_counter(), cpu_seconds()
            report = prepare_motions(args.raw, out, PrepareOptions(features=False), workers=args.workers)
            elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            print(f"full raw -> processed h5, {args.workers} workers: {elapsed:.1f} s wall, {cpu:.1f} CPU s "
                  f"({sum(report.written.values()):,} sequences, {len(ids) / elapsed:.0f} sequences/s, "
                  f"{len(report.failed)} failed) [target < 120 s]")

        subset = ids[:: max(1, len(ids) // args.subset)][: args.subset]
        with RawRelease(args.raw) as release:
            run_subset(release, subset[:1], neutral_joints)  # compile and warm caches
            fast, out_frames, ours = run_subset(release, subset, neutral_joints)
            slow, _, theirs = run_subset(release, subset, per_frame_joints)
        diff = max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs))
        print(f"side by side on {len(subset)} sequences ({out_frames:,} frames at 30 fps), one process each:")
        print(f"  batched FK per clip : {len(subset) / fast:8.1f} sequences/s")
        print(f"  body model per frame: {len(subset) / slow:8.2f} sequences/s")
        print(f"  speed-up {slow / fast:.0f}x [target >= 200x]; largest difference {diff:.2e}")

        features_root = Path(tmp) / "features"
        start = time.perf_counter()
        prepare(args.raw, features_root, PrepareOptions(), splits=("train",), workers=args.workers, texts=True)
        print(f"train split with features, texts and vocabulary: {time.perf_counter() - start:.1f} s")
        for batched, workers in ((True, 0), (True, 2), (False, 0), (False, 2)):
            kind = "batch_loader (whole-batch fetch)" if batched else "DataLoader (per-sample fetch)   "
            print(f"loader {kind}, {workers} workers: {loader_rate(features_root, workers, batched):8,.0f} samples/s "
                  "[target >= 5,000]")


if __name__ == "__main__":
    main()
