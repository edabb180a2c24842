"""Marker fitting where the truth is known: error and speed of `interx fit` on synthetic sequences.

Usage: python benchmarks/fit.py [RAW] [--sequences 4] [--seconds 10]

Makes a small synthetic release (or reads RAW, a synthetic release whose
markers come from its bodies), fits both persons of a few sequences (the
first `--seconds` of each) as written, then with 5 mm of Gaussian noise
(per coordinate) and 10% of the markers dropped at random (rows set to NaN),
then with that noise and a marker layout known only roughly (the nominal
offsets the fit starts from and shrinks toward, moved by about 10 mm each) or
not at all (all offsets zero), and prints the mean joint position error (mm, the 52 joints without jaw and
eyes), the mean angle error of the 21 body joints' local rotations and of the
root (degrees), and frames per second (person-frames at 120 fps) on this
machine. Goal: under 10 mm with noise, at least 1,000 frames/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation

from interx.body.fk import forward_kinematics, pose_from_params
from interx.data.raw import RawRelease
from interx.fit.solver import fit_markers
from interx.synth.markers import MARKER_OFFSETS

KEEP = [j for j in range(55) if j not in (22, 23, 24)]


def joints_of(motion, frames):
    pose = pose_from_params(motion.root_orient[:frames], motion.pose_body[:frames], motion.pose_lhand[:frames],
                            motion.pose_rhand[:frames])
    return forward_kinematics(pose.astype(np.float64), motion.trans[:frames].astype(np.float64), motion.betas), pose


def angle_error(a, b):
    """Degrees between axis-angle rotations."""
    rel = Rotation.from_rotvec(a.reshape(-1, 3)).inv() * Rotation.from_rotvec(b.reshape(-1, 3))
    return np.degrees(rel.magnitude()).reshape(a.shape[:-1])


def corrupt(markers, rng, noise_m, drop):
    out = markers + rng.normal(0, noise_m, markers.shape)
    out[rng.random(markers.shape[:2]) < drop] = np.nan
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", type=Path, help="synthetic raw release (default: make a small one)")
    parser.add_argument("--sequences", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    root = args.raw
    if root is None:
        from interx.synth.generate import select_ids, write_synthetic_release

        root = Path(tempfile.mkdtemp()) / "synthetic"
        write_synthetic_release(root, "tiny", 0, ids=select_ids("tiny")[:args.sequences])
    rng = np.random.default_rng(0)
    frames_each = int(args.seconds * 120)
    with RawRelease(root) as release:
        ids = release.ids()[:args.sequences]
        cases = [(release.read_skeleton(i, p)[:frames_each], release.read_motion(i, p))
                 for i in ids for p in ("P1", "P2")]
    fit_markers(cases[0][0][:16])  # compiles (or loads) the solver's kernels before anything is timed
    perturbed = MARKER_OFFSETS + rng.normal(0, 0.010 / np.sqrt(3), MARKER_OFFSETS.shape)  # about 10 mm each
    runs = (("markers as written", 0.0, 0.0, None),
            ("5 mm noise, 10% dropped", 0.005, 0.10, None),
            ("the same, layout offsets off by about 10 mm", 0.005, 0.10, perturbed),
            ("the same, no layout offsets (all zero)", 0.005, 0.10, np.zeros_like(MARKER_OFFSETS)))
    for name, noise, drop, layout in runs:
        errors, body, root_err, frames, seconds = [], [], [], 0, 0.0
        for markers, truth in cases:
            given = corrupt(markers.astype(np.float64), rng, noise, drop) if noise or drop else markers
            start = time.perf_counter()
            result = fit_markers(given, layout_offsets=layout)
            seconds += time.perf_counter() - start
            n = len(markers)
            frames += n
            true_joints, true_pose = joints_of(truth, n)
            fit_joints, fit_pose = joints_of(result.motion, n)
            errors.append(np.linalg.norm(true_joints[:, KEEP] - fit_joints[:, KEEP], axis=-1).mean() * 1000)
            body.append(angle_error(true_pose[:, 1:22], fit_pose[:, 1:22]).mean())
            root_err.append(angle_error(true_pose[:, 0], fit_pose[:, 0]).mean())
        print(f"{name}: joint error {np.mean(errors):.1f} mm, body angle error {np.mean(body):.2f} deg, "
              f"root {np.mean(root_err):.2f} deg, {frames / seconds:,.0f} frames/s ({len(cases)} persons, "
              f"{frames} frames)")


if __name__ == "__main__":
    main()
