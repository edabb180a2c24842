"""Rendering throughput: frames per second of skeleton and mesh videos.

Usage: python benchmarks/render.py [--seconds 10] [--size 640x480] [--repeats 3]

Renders a two-person clip (30 fps, both persons walking and swinging their
arms) to an MP4 with `interx.viz.render.render`, end to end: camera, drawing,
H.264 encoding and the file. Also prints the drawing alone (no encoding).
Prints the best of `repeats` runs after one warm-up (numba compilation).
Targets (issue 4): skeleton video >= 300 frames/s on 2 cores (a 10 s clip in
about a second), mesh video >= 20 frames/s.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from interx.body.fk import forward_kinematics
from interx.body.skeleton import JOINT_INDEX
from interx.viz.render import RenderOptions, iter_frames, make_panels, parse_size, render
from interx.viz.sources import SMPLX_BONES, Clip, Labels, PersonPose


def walking_pair(frames: int, fps: float = 30.0) -> Clip:
    """Two bodies walking towards each other with swinging arms and legs."""
    t = np.arange(frames) / fps
    pose = np.zeros((2, frames, 55, 3), np.float32)
    swing = 0.5 * np.sin(2 * np.pi * 0.9 * t)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        pose[:, :, JOINT_INDEX[f"{side}_hip"], 0] = -sign * swing
        pose[:, :, JOINT_INDEX[f"{side}_knee"], 0] = 0.4 + 0.4 * np.sin(2 * np.pi * 0.9 * t + sign)
        pose[:, :, JOINT_INDEX[f"{side}_shoulder"], 2] = -sign * 1.2
        pose[:, :, JOINT_INDEX[f"{side}_shoulder"], 1] = sign * swing
    pose[1, :, 0, 1] = np.pi  # P2 faces P1
    trans = np.zeros((2, frames, 3), np.float32)
    trans[0, :, 2] = -2.0 + 1.2 * t / t[-1]
    trans[1, :, 2] = 2.0 - 1.2 * t / t[-1]
    trans[..., 1] = 1.25
    joints = forward_kinematics(pose, trans).astype(np.float32)
    labels = Labels(id="G001T000A000R000", action="Handshake", texts=["two people walk towards each other"], actor=0)
    return Clip(labels, joints, SMPLX_BONES, fps, [PersonPose(pose[p], trans[p]) for p in range(2)], "benchmark")


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and its finished children (ffmpeg)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_seconds(fn, repeats: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over `repeats` runs.

    On a shared machine wall time depends on the neighbours; CPU time does not
    (much): frames / CPU seconds is what one core would give alone, and twice
    that is the ceiling for two cores when drawing and encoding overlap.
    """
    wall = cpu = float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, cpu_seconds() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="clip length at 30 fps")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    width, height = parse_size(args.size)
    clip = walking_pair(int(args.seconds * 30))
    frames = clip.num_frames
    print(f"clip: {frames} frames ({args.seconds:g} s at 30 fps), {width}x{height}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} (wall figures assume the CPUs are free)")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "clip.mp4"
        for name, mesh, repeats in (("skeleton", False, args.repeats), ("mesh", True, max(1, args.repeats - 1))):
            options = RenderOptions(width=width, height=height, mesh=mesh)
            render([clip], out, options)  # warm-up: numba compilation, fonts, ffmpeg on disk cache
            video, video_cpu = best_seconds(lambda: render([clip], out, options), repeats)
            drawing, drawing_cpu = best_seconds(lambda: sum(1 for _ in iter_frames(make_panels([clip], options))),
                                                repeats)
            print(f"{name:8s} video (draw + H.264 + file): {frames / video:8.1f} frames/s wall "
                  f"({video:.2f} s for the clip), {frames / video_cpu:8.1f} frames per CPU-second")
            print(f"{name:8s} drawing only:                {frames / drawing:8.1f} frames/s wall, "
                  f"{frames / drawing_cpu:8.1f} frames per CPU-second")
        print(f"mp4 size: {out.stat().st_size / 1e6:.2f} MB (mesh clip)")


if __name__ == "__main__":
    main()
