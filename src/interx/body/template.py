"""The neutral SMPL-X skeleton at rest, and its change with body shape.

SMPL-X's own model files are licensed, so the rest joints come from the
calibration that `mannequin-x` ships: the neutral model's joints and their
(exactly linear) response to the 10 betas. That calibration has no jaw or
eyes; we place them on the head at fixed offsets that move with the head, so
they are consistent for every shape (their rotations are always zero in
Inter-X, so they only ever matter as points).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np

from interx.body.skeleton import JOINT_INDEX, NUM_JOINTS

NUM_BETAS = 10

# mannequin-x order: SMPL-X joints 0-21, then a fixed hand joint per side
# (at the wrist), then the 30 finger joints in SMPL-X order.
_MANNEQUIN_BODY = np.arange(22)
_MANNEQUIN_FINGERS = np.arange(24, 54)

# Offsets from the head joint, metres, in the rest pose (Y up, facing +Z).
JAW_OFFSET = np.array([0.0, -0.015, 0.030])
LEFT_EYE_OFFSET = np.array([0.031, 0.035, 0.065])
RIGHT_EYE_OFFSET = np.array([-0.031, 0.035, 0.065])


@lru_cache(maxsize=1)
def _calibration() -> tuple[np.ndarray, np.ndarray]:
    """Rest joints (55, 3) and shape directions (55, 3, 10), float64."""
    resource = files("mannequin") / "assets" / "smplx_calibration.npz"
    with resource.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        rest54 = data["joint_rest"].astype(np.float64)
        dirs54 = data["joint_dirs"].astype(np.float64)
    rest = np.empty((NUM_JOINTS, 3))
    dirs = np.empty((NUM_JOINTS, 3, NUM_BETAS))
    rest[:22], dirs[:22] = rest54[_MANNEQUIN_BODY], dirs54[_MANNEQUIN_BODY]
    rest[25:], dirs[25:] = rest54[_MANNEQUIN_FINGERS], dirs54[_MANNEQUIN_FINGERS]
    head = JOINT_INDEX["head"]
    for joint, offset in (("jaw", JAW_OFFSET), ("left_eye", LEFT_EYE_OFFSET), ("right_eye", RIGHT_EYE_OFFSET)):
        rest[JOINT_INDEX[joint]] = rest[head] + offset
        dirs[JOINT_INDEX[joint]] = dirs[head]
    rest.setflags(write=False)
    dirs.setflags(write=False)
    return rest, dirs


def rest_joints(betas: np.ndarray | None = None) -> np.ndarray:
    """Rest-pose joint positions, `(..., 55, 3)` float64 for betas `(..., k)`.

    Only the first 10 betas are used (the calibration is for 10); `None` gives
    the neutral mean shape `(55, 3)`.
    """
    rest, dirs = _calibration()
    if betas is None:
        return rest.copy()
    betas = np.asarray(betas, dtype=np.float64)[..., :NUM_BETAS]
    if betas.shape[-1] < NUM_BETAS:
        pad = np.zeros((*betas.shape[:-1], NUM_BETAS - betas.shape[-1]))
        betas = np.concatenate([betas, pad], axis=-1)
    return rest + np.einsum("jck,...k->...jc", dirs, betas)


def shape_directions() -> np.ndarray:
    """Linear change of each rest joint per beta, `(55, 3, 10)` float64."""
    return _calibration()[1]
