"""`interx prepare` speed: raw -> processed h5, batched vs per-frame body model, loader rate.

Usage: python benchmarks/prepare.py [RAW] [--workers 2] [--subset 24] [--parts full,side,loader] [--prepared OUT]

1. full: every split of RAW (default /work/synth-full, the `full` synthetic
   release) to motions/{train,val,test}.h5 with `--workers` processes, timed
   end to end (no texts, no features: the official processed motions), wall
   time and CPU time (this process and its workers; on a shared machine the
   wall time includes other people's work). Target (issue 5): under 2
   minutes on 2 cores.
2. side by side on the same `--subset` ids, one process and one thread each:
   the same pipeline (read the npz files, ground, re-centre, stack) with one
   batched FK call per person and clip (ours), and with a body model called
   once per frame (the official structure), for two body models: our torch
   FK (a light stand-in) and SMPL-X through `smplx` with a model file of the
   real SMPL-X sizes (10,475 vertices; the licensed file is not needed to
   time it). Throughput from CPU time. Target: at least 200x.
3. loader: the train split prepared with features and texts (timed), then
   samples/s of `TextMotionDataset` (batches of 64, up to 150 frames) through
   `batch_loader` and through a plain per-sample DataLoader, with 0 and 2
   worker processes. Target: >= 5,000 samples/s.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from interx.body.fk import forward_kinematics_torch
from interx.body.model import BodyModel
from interx.data.raw import RawRelease
from interx.prepare.motions import frame_step, neutral_joints, process_interaction
from interx.prepare.run import PrepareOptions, prepare, prepare_motions


def per_frame(body_joints):
    """The official structure: the body model called once per frame."""

    def joints(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
        out = np.empty((pose.shape[0], 55, 3), dtype=np.float32)
        with torch.no_grad():
            for t in range(pose.shape[0]):
                out[t] = body_joints(pose[t], trans[t])
        return out

    return joints


def torch_fk_frame(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
    return forward_kinematics_torch(torch.from_numpy(pose), torch.from_numpy(trans)).numpy()


def smplx_sized_model(folder: Path):
    """BodyModel on an SMPL-X file of the real sizes (the test suite's fake model, our skeleton)."""
    spec = importlib.util.spec_from_file_location(
        "body_model_tests", Path(__file__).parents[1] / "tests" / "body" / "test_body_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_fake_smplx(folder / "SMPLX_NEUTRAL.npz")
    model = BodyModel(folder)
    return lambda pose, trans: model.joints(pose, trans, None)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: wall time misleads on a shared machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_subset(release: RawRelease, ids: list[str], joints_fn) -> tuple[float, float, list[np.ndarray]]:
    step = frame_step(30)
    wall, cpu = time.perf_counter(), time.process_time()
    results = [process_interaction(release.load(i), step, joints_fn=joints_fn) for i in ids]
    return time.perf_counter() - wall, time.process_time() - cpu, results


def side_by_side(raw: Path, ids: list[str], tmp: Path) -> None:
    import numba

    numba.set_num_threads(1)  # as in the workers
    torch.set_num_threads(1)
    models = tmp / "models"
    models.mkdir()
    baselines = {"torch FK per frame": per_frame(torch_fk_frame),
                 "SMPL-X (smplx) per frame": per_frame(smplx_sized_model(models))}
    with RawRelease(raw) as release:
        run_subset(release, ids[:1], neutral_joints)  # compile and warm caches
        wall, cpu, ours = run_subset(release, ids, neutral_joints)
        frames = sum(r.shape[0] for r in ours)
        print(f"side by side on {len(ids)} sequences ({frames:,} frames at 30 fps), one process, one thread:")
        print(f"  batched FK per clip     : {len(ids) / cpu:8.1f} sequences/s (CPU time; wall {len(ids) / wall:.1f})")
        for name, fn in baselines.items():
            run_subset(release, ids[:1], fn)
            slow_wall, slow_cpu, theirs = run_subset(release, ids, fn)
            diff = max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs))
            print(f"  {name:24s}: {len(ids) / slow_cpu:8.2f} sequences/s -> ours is {slow_cpu / cpu:.0f}x "
                  f"(wall {slow_wall / wall:.0f}x) [target >= 200x]; largest difference {diff:.1e}")


def loader_rate(root: Path, workers: int, batched: bool, seconds: float = 8.0) -> tuple[float, float | None]:
    """Samples/s of TextMotionDataset (max 150 frames, batches of 64) over the train features.

    Returns the wall-clock rate and, with no worker processes, the rate per
    CPU second of this process (on a busy shared machine the wall clock
    mostly measures the other jobs).
    """
    from torch.utils.data import DataLoader

    from interx.train.datasets import TextMotionDataset

    data = TextMotionDataset(root, "train", max_length=150)
    if batched:
        loader = data.batch_loader(64, num_workers=workers, persistent_workers=workers > 0)
    else:
        loader = DataLoader(data, batch_size=64, shuffle=True, num_workers=workers, persistent_workers=workers > 0)
    for _ in zip(range(3), loader):  # warm up workers and the page cache
        pass
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for batch in loader:
            count += batch["motion"].shape[0]
            if time.perf_counter() - start >= seconds:
                break
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return count / wall, (count / cpu if workers == 0 else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", default="/work/synth-full", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subset", type=int, default=24, help="sequences for the side-by-side comparison")
    parser.add_argument("--parts", default="full,side,loader", help="which measurements to run")
    parser.add_argument("--prepared", type=Path, help="loader: an existing `interx prepare` output to read")
    args = parser.parse_args()
    parts = set(args.parts.split(","))

    with tempfile.TemporaryDirectory(prefix="interx-prepare-bench-") as tmp:
        tmp = Path(tmp)
        with RawRelease(args.raw) as release:
            ids = release.ids("all")
            frames = sum(release.num_frames(i) for i in ids)
        print(f"release {args.raw}: {len(ids):,} sequences, {frames:,} raw frames (120 fps)")

        if "full" in parts:
            start, cpu = time.perf_counter(), cpu_seconds()
            report = prepare_motions(args.raw, tmp / "full", PrepareOptions(features=False), workers=args.workers)
            elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            print(f"full raw -> processed h5, {args.workers} workers: {elapsed:.1f} s wall, {cpu:.1f} CPU s "
                  f"({sum(report.written.values()):,} sequences, {len(ids) / elapsed:.0f} sequences/s, "
                  f"{len(report.failed)} failed) [target < 120 s]")

        if "loader" in parts:
            root = args.prepared
            if root is None:
                root = tmp / "features"
                start = time.perf_counter()
                prepare(args.raw, root, PrepareOptions(), splits=("train",), workers=args.workers, texts=True)
                print(f"train split with features, texts and vocabulary: {time.perf_counter() - start:.1f} s")
            for batched, workers in ((True, 0), (True, 2), (False, 0), (False, 2)):
                kind = "batch_loader (whole-batch fetch)" if batched else "DataLoader (per-sample fetch)   "
                wall, per_cpu = loader_rate(root, workers, batched)
                cpu_text = f", {per_cpu:,.0f} per CPU second" if per_cpu else ""
                print(f"loader {kind}, {workers} workers: {wall:8,.0f} samples/s{cpu_text} [target >= 5,000]")

        if "side" in parts:  # last: it sets this process to one thread
            side_by_side(args.raw, ids[:: max(1, len(ids) // args.subset)][: args.subset], tmp)


if __name__ == "__main__":
    main()
