"""Forward-kinematics throughput: person-frames per second, numpy and torch.

Usage: python benchmarks/fk.py [--frames 100000] [--repeats 3]

Prints the best of `repeats` runs for joints-only FK on random poses of a
plausible range, and the largest float32 error against a float64 reference
(a plain per-joint loop with scipy rotations, independent of interx's code).
Target (issue 2): >= 1,000,000 person-frames/s for numpy on 2 cores, float32
within 1e-5 m of float64.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch
from scipy.spatial.transform import Rotation

from interx.body.fk import forward_kinematics, forward_kinematics_torch
from interx.body.skeleton import PARENTS
from interx.body.template import rest_joints


def reference_joints(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Float64 FK of one frame, joint by joint."""
    rest = rest_joints()
    world_rot = [None] * 55
    joints = np.zeros((55, 3))
    for j in range(55):
        local = Rotation.from_rotvec(pose[j].astype(np.float64)).as_matrix()
        if j == 0:
            world_rot[0] = local
            joints[0] = rest[0] + trans
        else:
            p = PARENTS[j]
            world_rot[j] = world_rot[p] @ local
            joints[j] = joints[p] + world_rot[p] @ (rest[j] - rest[p])
    return joints


def best_rate(fn, frames: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return frames / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    pose = (rng.normal(size=(args.frames, 55, 3)) * 0.5).astype(np.float32)
    trans = rng.normal(size=(args.frames, 3)).astype(np.float32)
    betas = rng.normal(size=10).astype(np.float32)

    forward_kinematics(pose[:8], trans[:8])  # compile (cached on disk after the first run)
    numpy_rate = best_rate(lambda: forward_kinematics(pose, trans), args.frames, args.repeats)
    shaped_rate = best_rate(lambda: forward_kinematics(pose, trans, betas), args.frames, args.repeats)

    pose_t, trans_t = torch.from_numpy(pose), torch.from_numpy(trans)
    with torch.no_grad():
        torch_rate = best_rate(lambda: forward_kinematics_torch(pose_t, trans_t), args.frames, args.repeats)

    joints = forward_kinematics(pose[:500], trans[:500])
    error = max(np.abs(reference_joints(pose[i], trans[i].astype(np.float64)) - joints[i]).max() for i in range(500))

    print(f"cores: {os.cpu_count()}, torch threads: {torch.get_num_threads()}, frames: {args.frames}")
    print(f"numpy (numba) joints-only FK:      {numpy_rate:12,.0f} person-frames/s")
    print(f"numpy (numba) with betas:          {shaped_rate:12,.0f} person-frames/s")
    print(f"torch (level-batched) FK:          {torch_rate:12,.0f} person-frames/s")
    print(f"max |float32 - float64 reference|: {error:.2e} m over 500 frames")


if __name__ == "__main__":
    main()
