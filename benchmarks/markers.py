"""Marker-skeleton throughput: frames per second of `markers_from_body`.

Usage: python benchmarks/markers.py [--frames 100000] [--repeats 5]

Runs forward kinematics once on random poses (axis-angle ~ N(0, 0.3), float32),
then prints the best of `repeats` timings of deriving the 64-row marker
skeletons from the joints and world rotations. FK itself is not timed (see
benchmarks/fk.py). Target: well over 100,000 frames/s on one core, since the
full synthetic dataset has about 8 million frames.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from interx.body.fk import forward_kinematics
from interx.synth.markers import markers_from_body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    pose = (rng.normal(size=(args.frames, 55, 3)) * 0.3).astype(np.float32)
    trans = rng.normal(size=(args.frames, 3)).astype(np.float32)
    joints, rotations = forward_kinematics(pose, trans, return_rotations=True)

    best = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        markers_from_body(joints, rotations)
        best = min(best, time.perf_counter() - start)
    print(f"frames: {args.frames}")
    print(f"markers_from_body: {args.frames / best:12,.0f} frames/s")


if __name__ == "__main__":
    main()
