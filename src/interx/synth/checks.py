"""Plausibility measures for generated takes, used by tests and the generator's self-check.

All take world joints `(T, 55, 3)` at 120 fps. Bodies are approximated by
spheres around joints (radii below), which is enough to catch two torsos
passing through each other or a hand sinking into a chest.
"""

from __future__ import annotations

import numpy as np

from interx.body.skeleton import JOINT_INDEX, NUM_JOINTS
from interx.synth.curves import FPS

# Rough body radius around each joint, metres.
RADIUS = np.full(NUM_JOINTS, 0.03)
for _name, _r in {
    "pelvis": 0.12, "spine1": 0.11, "spine2": 0.11, "spine3": 0.12, "neck": 0.06, "head": 0.09,
    "left_hip": 0.08, "right_hip": 0.08, "left_knee": 0.05, "right_knee": 0.05,
    "left_ankle": 0.04, "right_ankle": 0.04, "left_collar": 0.06, "right_collar": 0.06,
    "left_shoulder": 0.05, "right_shoulder": 0.05, "left_elbow": 0.04, "right_elbow": 0.04,
}.items():
    RADIUS[JOINT_INDEX[_name]] = _r
TORSO = np.array([JOINT_INDEX[n] for n in ("pelvis", "spine1", "spine2", "spine3", "neck", "head")])
FEET = np.array([JOINT_INDEX[n] for n in ("left_ankle", "right_ankle", "left_foot", "right_foot")])


def _pair_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distances `(T, Ja, Jb)` between every joint of `a` and every joint of `b`, per frame."""
    squared = (
        np.sum(a * a, axis=-1)[:, :, None] + np.sum(b * b, axis=-1)[:, None, :] - 2.0 * a @ np.swapaxes(b, -1, -2)
    )
    return np.sqrt(np.maximum(squared, 0.0))


def interpenetration(a: np.ndarray, b: np.ndarray, joints_a=None, joints_b=None) -> np.ndarray:
    """Deepest overlap per frame `(T,)` between the spheres of two bodies, metres (0 = apart).

    `joints_a`/`joints_b` restrict the joints compared (default: all).
    """
    ia = np.arange(NUM_JOINTS) if joints_a is None else np.asarray(joints_a)
    ib = np.arange(NUM_JOINTS) if joints_b is None else np.asarray(joints_b)
    overlap = RADIUS[ia][:, None] + RADIUS[ib][None, :] - _pair_distances(a[:, ia], b[:, ib])
    return np.maximum(overlap.max(axis=(1, 2)), 0.0)


def min_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest joint-to-joint distance between two bodies per frame `(T,)`."""
    return _pair_distances(a, b).min(axis=(1, 2))


def max_speed(joints: np.ndarray) -> float:
    """Fastest joint speed over the take, m/s (a jump between frames shows up here)."""
    return float(np.linalg.norm(np.diff(joints, axis=0), axis=-1).max() * FPS) if len(joints) > 1 else 0.0


def motion_onset(joints: np.ndarray, threshold: float = 0.08) -> float:
    """First time (s) any joint is `threshold` m from where it was at frame 0; inf if never."""
    moved = np.linalg.norm(joints - joints[:1], axis=-1).max(axis=-1) > threshold
    return float(np.argmax(moved) / FPS) if moved.any() else float("inf")
