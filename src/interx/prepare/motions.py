"""Raw SMPL-X sequences -> the processed release's `[T, 56, 6]` arrays.

The recipe (docs/format.md, "Processed release"): every `step`-th frame;
per person 55 axis-angle rows (root, 21 body, jaw + eyes as zeros, 15 + 15
hand) and the translation as row 55; each person grounded with the NEUTRAL
body (betas = 0): the clip's lowest joint height over all frames is removed
from that person's translation Y; P1's frame-0 translation is removed from
both persons; persons concatenated on the last axis.

Joints come from one batched forward-kinematics call per person and clip
(the official code calls the body model once per frame), or from the exact
SMPL-X body when a `BodyModel` with model files is given.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from interx.body.fk import forward_kinematics, pose_from_params
from interx.data.motion import PersonMotion
from interx.data.raw import RAW_FPS, Interaction

# joints(pose (T, 55, 3), trans (T, 3)) -> (T, J, 3) with the neutral body
JointsFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def neutral_joints(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Joints of the neutral skeleton (betas = 0), one batched numba call."""
    return forward_kinematics(pose, trans, None)


def body_model_joints(body) -> JointsFn:
    """Joints from a `BodyModel` (exact SMPL-X with model files), neutral shape."""

    def joints(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
        return np.asarray(body.joints(pose, trans, None))

    return joints


def frame_step(fps: int) -> int:
    """Frames to skip between kept frames; `fps` must divide the raw 120 fps."""
    if fps < 1 or RAW_FPS % fps:
        raise ValueError(f"--fps must divide {RAW_FPS} (e.g. 30, 60, 120), got {fps}")
    return RAW_FPS // fps


def person_rows(person: PersonMotion, step: int, joints_fn: JointsFn = neutral_joints) -> np.ndarray:
    """One person's grounded `(T', 56, 3)` rows (translation not yet re-centred)."""
    pose = pose_from_params(person.root_orient[::step], person.pose_body[::step],
                            person.pose_lhand[::step], person.pose_rhand[::step])
    trans = np.array(person.trans[::step], dtype=pose.dtype)
    joints = joints_fn(pose, trans)
    trans[:, 1] -= joints[..., 1].min()
    return np.concatenate([pose, trans[:, None, :]], axis=1)


def process_interaction(
    interaction: Interaction,
    step: int = RAW_FPS // 30,
    *,
    reaction: bool = False,
    joints_fn: JointsFn = neutral_joints,
) -> np.ndarray:
    """The processed `[T', 56, 6]` float32 array of one interaction.

    With `reaction=True` the reactor's half comes first and the actor's second
    (the halves are swapped after the common recipe, so translations stay
    relative to the raw P1's frame-0 position); this needs `interaction.actor`.
    """
    p1, p2 = (person_rows(p, step, joints_fn) for p in interaction.persons)
    origin = p1[0, 55].copy()
    p1[:, 55] -= origin
    p2[:, 55] -= origin
    first, second = p1, p2
    if reaction:
        if interaction.actor not in (0, 1):
            raise ValueError(f"{interaction.id}: no actor in interaction_order.pkl (needed by --reaction)")
        if interaction.actor == 0:  # P1 acts: the reactor P2 goes first
            first, second = p2, p1
    return np.ascontiguousarray(np.concatenate([first, second], axis=-1), dtype=np.float32)

