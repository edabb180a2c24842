"""Physical plausibility of two-person motion, measured on both persons' joints.

Not part of the official benchmark, used by later work to catch what FID
misses. Bodies are approximated by spheres on the 22 body joints and on the
midpoints of their bones (radii below, metres), which needs no licensed body
model. Y is up. The processed layout grounds each person on its lowest joint
and then moves P1's frame-0 translation to the origin (all three axes), so the
floor is not at 0: it is at the lowest joint height of the ground-truth clip.
Generated clips are measured against the floor of their ground truth (same
id); without one, against their own lowest joint. Definitions (fps = 30 for
processed data, heights above that floor):

- interpenetration depth: per frame the deepest overlap max(0, r_a + r_b - |a - b|) between a sphere
  of one person and one of the other; reported as the mean over frames; frequency: fraction of frames
  with a depth over 1 cm;
- contact ratio: fraction of frames where the bodies' gap (distance minus radii) is under 2 cm; reported
  over sequences of the contact categories only;
- foot skating: mean horizontal speed (m/s) of ankle and foot joints while within 5 cm of the floor;
- floor penetration: mean over frames and persons of max(0, -lowest joint height);
  floating: mean of max(0, lowest joint height - 5 cm);
- jitter: mean jerk, the norm of the third time difference of joint positions times fps^3 (m/s^3);
- relative distance error: mean |d - d_gt| of the horizontal pelvis-to-pelvis distance;
  relative facing error: mean |a - a_gt| (degrees) of the angle between the persons' facing directions
  (horizontal normal of the hip line), over the frames both clips have.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from interx.body.skeleton import PARENTS
from interx.eval.action_evaluator import BODY_JOINTS, action_of
from interx.models.pair_input import body_joints

FPS = 30
FOOT_JOINTS = (7, 8, 10, 11)
HIP_JOINTS = (1, 2)  # left, right
FOOT_CONTACT_HEIGHT = 0.05
CONTACT_GAP = 0.02
PENETRATION_FREQUENCY_DEPTH = 0.01
VERSION = "1"
_RADII = {0: 0.10, 3: 0.10, 6: 0.11, 9: 0.11, 12: 0.06, 13: 0.06, 14: 0.06, 15: 0.10, 1: 0.08, 2: 0.08,
          4: 0.06, 5: 0.06, 7: 0.05, 8: 0.05, 10: 0.04, 11: 0.04, 16: 0.05, 17: 0.05, 18: 0.045, 19: 0.045,
          20: 0.04, 21: 0.04}
# categories whose performance involves touching (0-based action index, names from action_setting.txt)
CONTACT_ACTIONS = frozenset({0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 30,
                             32, 34, 35, 36, 38})


def _spheres(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[T, 22, 3] -> sphere centres [T, 43, 3] (joints and bone midpoints) and radii [43]."""
    bones = [(j, PARENTS[j]) for j in range(1, BODY_JOINTS)]
    mids = np.stack([(joints[:, a] + joints[:, b]) / 2 for a, b in bones], axis=1)
    radii = np.array([_RADII[j] for j in range(BODY_JOINTS)] + [(_RADII[a] + _RADII[b]) / 2 for a, b in bones])
    return np.concatenate([joints, mids], axis=1), radii


def _gaps(pair: np.ndarray) -> np.ndarray:
    """[T, 2, 22, 3] -> per frame the smallest surface gap between the persons (negative when overlapping)."""
    a, radii = _spheres(pair[:, 0])
    b, _ = _spheres(pair[:, 1])
    dist = np.linalg.norm(a[:, :, None] - b[:, None], axis=-1)
    return (dist - radii[:, None] - radii[None, :]).min(axis=(1, 2))


def _facing(person: np.ndarray) -> np.ndarray:
    """[T, 22, 3] -> horizontal facing unit vectors [T, 2] (x, z): (left hip - right hip) x up."""
    across = person[:, HIP_JOINTS[0]] - person[:, HIP_JOINTS[1]]
    facing = np.stack([-across[:, 2], across[:, 0]], axis=1)  # rest pose: left is +X, facing +Z
    return facing / np.maximum(np.linalg.norm(facing, axis=1, keepdims=True), 1e-9)


def sequence_metrics(pair: np.ndarray, fps: float = FPS, floor: float = 0.0) -> dict[str, float]:
    """Plausibility of one clip of both persons' joints [T, 2, 22, 3], the floor at height `floor`."""
    pair = pair.copy()
    pair[..., 1] -= floor
    gaps = _gaps(pair)
    depth = np.maximum(-gaps, 0.0)
    heights = pair[..., 1]
    lowest = heights.min(axis=2)
    feet = pair[:, :, FOOT_JOINTS]
    speed = np.linalg.norm(np.diff(feet[..., [0, 2]], axis=0), axis=-1) * fps
    grounded = feet[1:, ..., 1] < FOOT_CONTACT_HEIGHT
    jerk = np.diff(pair, n=3, axis=0)
    return {
        "penetration_depth": float(depth.mean()),
        "penetration_frequency": float((depth > PENETRATION_FREQUENCY_DEPTH).mean()),
        "contact_ratio": float((gaps < CONTACT_GAP).mean()),
        "foot_skating": float(speed[grounded].mean()) if grounded.any() else 0.0,
        "floor_penetration": float(np.maximum(-lowest, 0).mean()),
        "floating": float(np.maximum(lowest - FOOT_CONTACT_HEIGHT, 0).mean()),
        "jitter": float(np.linalg.norm(jerk, axis=-1).mean() * fps ** 3) if len(pair) > 3 else 0.0,
    }


def relation_errors(pair: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """Errors of the persons' horizontal distance (m) and relative facing (degrees) against ground truth."""
    frames = min(len(pair), len(reference))

    def relation(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        distance = np.linalg.norm(p[:frames, 0, 0, [0, 2]] - p[:frames, 1, 0, [0, 2]], axis=1)
        cosine = np.clip((_facing(p[:frames, 0]) * _facing(p[:frames, 1])).sum(axis=1), -1.0, 1.0)
        return distance, np.degrees(np.arccos(cosine))

    d, a = relation(pair)
    d_gt, a_gt = relation(reference)
    return {"relative_distance_error": float(np.abs(d - d_gt).mean()),
            "relative_facing_error": float(np.abs(a - a_gt).mean())}


def dataset_metrics(motions: Iterable[tuple[str, np.ndarray]], references=None) -> dict[str, float]:
    """Means over (id, [T, 56, 6]) motions; contact ratio over contact categories.

    `references` (id -> ground-truth [T, 56, 6], anything with `in` and `[]`) adds the relation errors.
    """
    sums: dict[str, list[float]] = {}
    for seq_id, motion in motions:
        pair = body_joints(motion, seq_id)
        reference = None
        if references is not None and seq_id in references:
            reference = body_joints(references[seq_id], seq_id)
        floor = float((reference if reference is not None else pair)[..., 1].min())
        values = sequence_metrics(pair, floor=floor)
        if action_of(seq_id) not in CONTACT_ACTIONS:
            values.pop("contact_ratio")
        if reference is not None:
            values.update(relation_errors(pair, reference))
        for name, value in values.items():
            sums.setdefault(name, []).append(value)
    return {name: float(np.mean(v)) for name, v in sums.items()}
