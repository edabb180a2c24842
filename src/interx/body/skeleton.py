"""The SMPL-X 55-joint tree: names, parents, chains for plotting, mirror map.

Every array in interx that holds joints uses this order, the order of the
SMPL-X model and of the rows 0-54 of the processed release's `[T, 56, 6]`.
"""

from __future__ import annotations

import numpy as np

_FINGERS = ("index", "middle", "pinky", "ring", "thumb")

JOINT_NAMES: tuple[str, ...] = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee",
    "spine2", "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot",
    "neck", "left_collar", "right_collar", "head", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
    "jaw", "left_eye", "right_eye",
) + tuple(
    f"{side}_{finger}{k}" for side in ("left", "right") for finger in _FINGERS for k in (1, 2, 3)
)

PARENTS: tuple[int, ...] = (
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15,
    20, 25, 26, 20, 28, 29, 20, 31, 32, 20, 34, 35, 20, 37, 38,
    21, 40, 41, 21, 43, 44, 21, 46, 47, 21, 49, 50, 21, 52, 53,
)

NUM_JOINTS = 55
NUM_BODY_JOINTS = 22  # pelvis to right wrist: the joints InterGen-style features use
JOINT_INDEX = {name: i for i, name in enumerate(JOINT_NAMES)}

# Parameter blocks of an Inter-X motion file, as index ranges of the 55 joints.
ROOT = 0
BODY = slice(1, 22)
JAW_EYES = slice(22, 25)
LEFT_HAND = slice(25, 40)
RIGHT_HAND = slice(40, 55)


def _chain(*names: str) -> tuple[int, ...]:
    return tuple(JOINT_INDEX[n] for n in names)


# Polylines through the body, for drawing a stick figure.
BODY_CHAINS: tuple[tuple[int, ...], ...] = (
    _chain("pelvis", "left_hip", "left_knee", "left_ankle", "left_foot"),
    _chain("pelvis", "right_hip", "right_knee", "right_ankle", "right_foot"),
    _chain("pelvis", "spine1", "spine2", "spine3", "neck", "head"),
    _chain("spine3", "left_collar", "left_shoulder", "left_elbow", "left_wrist"),
    _chain("spine3", "right_collar", "right_shoulder", "right_elbow", "right_wrist"),
)
HAND_CHAINS: tuple[tuple[int, ...], ...] = tuple(
    _chain(f"{side}_wrist", f"{side}_{finger}1", f"{side}_{finger}2", f"{side}_{finger}3")
    for side in ("left", "right")
    for finger in _FINGERS
)
KINEMATIC_CHAINS = BODY_CHAINS + HAND_CHAINS


def _mirror_permutation() -> np.ndarray:
    swapped = []
    for name in JOINT_NAMES:
        if name.startswith("left_"):
            name = "right_" + name[5:]
        elif name.startswith("right_"):
            name = "left_" + name[6:]
        swapped.append(JOINT_INDEX[name])
    return np.asarray(swapped, dtype=np.int64)


# MIRROR[j] is the joint that j becomes when left and right are swapped.
MIRROR: np.ndarray = _mirror_permutation()


def _depths() -> np.ndarray:
    depth = np.zeros(NUM_JOINTS, dtype=np.int64)
    for j in range(1, NUM_JOINTS):
        depth[j] = depth[PARENTS[j]] + 1
    return depth


DEPTH: np.ndarray = _depths()
# Joints grouped by depth in the tree: every joint of a level has its parent
# in an earlier level, so one batched step per level replaces 55 sequential ones.
LEVELS: tuple[np.ndarray, ...] = tuple(
    np.flatnonzero(DEPTH == d) for d in range(1, int(DEPTH.max()) + 1)
)
HAS_CHILDREN: np.ndarray = np.isin(np.arange(NUM_JOINTS), PARENTS[1:])
