"""Optical marker skeletons `(T, 64, 3)` derived from SMPL-X bodies.

The Inter-X skeleton files hold what the OptiTrack solver reports: points that
move rigidly with the body segments. Here every row rides on one SMPL-X joint
at a fixed offset expressed in that joint's world frame, so it follows its
segment exactly. Rows along the limb and spine chains sit on the joint centres
(keeping solver-like constant bone lengths); the toes, fingertips, the back
of the spine and the two head points sit a few centimetres off their joint.

Rows follow `interx.body.markers` and the left/right assignment of the
example release: 1-4 left leg, 5-8 right leg, 11-34 left arm and fingers,
35-58 right arm and fingers. Each hand's five `markers.FINGERS` groups are, in
order, thumb, index, middle, ring, pinky (anatomical order), each as SMPL-X
finger joints 1, 2, 3 plus a fingertip one more last-segment length beyond
joint 3. Row 63 is unused and stays zero.
"""

from __future__ import annotations

import numpy as np

from interx.body.markers import NUM_MARKER_ROWS
from interx.body.skeleton import JOINT_INDEX, NUM_JOINTS

# (left or centre row, mirrored right row or None, joint, offset in metres in the
# joint's world frame, written for the left side: x left, y up, z forward in the
# rest pose). Right rows use the right twin of the joint with x negated.
# Fingertip offsets continue the rest direction of the finger's last segment
# (joint 2 -> joint 3 of the neutral template) by its own length.
_TABLE: tuple[tuple[int, int | None, str, tuple[float, float, float]], ...] = (
    (0, None, "pelvis", (0.0, 0.0, 0.0)),
    (1, 5, "{s}_hip", (0.0, 0.0, 0.0)),
    (2, 6, "{s}_knee", (0.0, 0.0, 0.0)),
    (3, 7, "{s}_ankle", (0.0, 0.0, 0.0)),
    (4, 8, "{s}_foot", (0.0, 0.0, 0.05)),  # toe tip, ahead of the ball of the foot
    (9, None, "spine2", (0.0, 0.0, -0.03)),  # on the back
    (10, None, "spine3", (0.0, 0.0, 0.0)),  # chest
    (11, 35, "{s}_collar", (0.0, 0.0, 0.0)),
    (12, 36, "{s}_shoulder", (0.0, 0.0, 0.0)),
    (13, 37, "{s}_elbow", (0.0, 0.0, 0.0)),
    (14, 38, "{s}_wrist", (0.0, 0.0, 0.0)),
    (15, 39, "{s}_thumb1", (0.0, 0.0, 0.0)),
    (16, 40, "{s}_thumb2", (0.0, 0.0, 0.0)),
    (17, 41, "{s}_thumb3", (0.0, 0.0, 0.0)),
    (18, 42, "{s}_thumb3", (0.021, -0.005, 0.016)),
    (19, 43, "{s}_index1", (0.0, 0.0, 0.0)),
    (20, 44, "{s}_index2", (0.0, 0.0, 0.0)),
    (21, 45, "{s}_index3", (0.0, 0.0, 0.0)),
    (22, 46, "{s}_index3", (0.023, -0.002, 0.0)),
    (23, 47, "{s}_middle1", (0.0, 0.0, 0.0)),
    (24, 48, "{s}_middle2", (0.0, 0.0, 0.0)),
    (25, 49, "{s}_middle3", (0.0, 0.0, 0.0)),
    (26, 50, "{s}_middle3", (0.024, -0.002, -0.004)),
    (27, 51, "{s}_ring1", (0.0, 0.0, 0.0)),
    (28, 52, "{s}_ring2", (0.0, 0.0, 0.0)),
    (29, 53, "{s}_ring3", (0.0, 0.0, 0.0)),
    (30, 54, "{s}_ring3", (0.023, -0.002, -0.007)),
    (31, 55, "{s}_pinky1", (0.0, 0.0, 0.0)),
    (32, 56, "{s}_pinky2", (0.0, 0.0, 0.0)),
    (33, 57, "{s}_pinky3", (0.0, 0.0, 0.0)),
    (34, 58, "{s}_pinky3", (0.016, -0.002, -0.011)),
    (59, None, "neck", (0.0, 0.0, 0.0)),
    (60, None, "head", (0.0, 0.0, 0.0)),
    (61, None, "head", (0.0, 0.075, -0.01)),  # top of the head
    (62, None, "head", (0.0, 0.035, 0.07)),  # forehead
)


def _expand_table() -> tuple[np.ndarray, np.ndarray]:
    """Per-row joint index (-1 for the unused row) and offset, both sides."""
    joints = np.full(NUM_MARKER_ROWS, -1, dtype=np.int64)
    offsets = np.zeros((NUM_MARKER_ROWS, 3), dtype=np.float64)
    for left_row, right_row, joint, offset in _TABLE:
        joints[left_row] = JOINT_INDEX[joint.format(s="left")]
        offsets[left_row] = offset
        if right_row is not None:
            joints[right_row] = JOINT_INDEX[joint.format(s="right")]
            offsets[right_row] = (-offset[0], offset[1], offset[2])
    return joints, offsets


MARKER_JOINTS, MARKER_OFFSETS = _expand_table()
"""`MARKER_JOINTS[row]`: the SMPL-X joint row rides on; `MARKER_OFFSETS[row]`: its offset."""

# Row 63 rides on joint 0 while gathering and is zeroed afterwards.
_GATHER = np.where(MARKER_JOINTS >= 0, MARKER_JOINTS, 0)
# Rows off their joint, which need their joint's rotation applied to the offset.
_OFF_ROWS = tuple(
    (int(row), int(MARKER_JOINTS[row]), tuple(MARKER_OFFSETS[row]))
    for row in np.flatnonzero(np.any(MARKER_OFFSETS != 0.0, axis=1))
)


def markers_from_body(joints: np.ndarray, rotations: np.ndarray) -> np.ndarray:
    """Marker skeleton `(..., 64, 3)` float32 from FK output.

    `joints` `(..., 55, 3)` are world joint positions and `rotations`
    `(..., 55, 3, 3)` world rotation matrices, as returned by
    `forward_kinematics(..., return_rotations=True)`. Row 63 is zero.
    """
    joints = np.asarray(joints)
    rotations = np.asarray(rotations)
    batch = joints.shape[:-2]
    if joints.shape[-2:] != (NUM_JOINTS, 3):
        raise ValueError(f"joints must end in ({NUM_JOINTS}, 3), got shape {joints.shape}")
    if rotations.shape != (*batch, NUM_JOINTS, 3, 3):
        raise ValueError(f"rotations must be {(*batch, NUM_JOINTS, 3, 3)} to match joints, got {rotations.shape}")
    flat_rots = rotations.reshape(-1, NUM_JOINTS, 3, 3)
    # np.take on one axis is several times faster than fancy indexing here.
    out = np.take(joints.reshape(-1, NUM_JOINTS, 3), _GATHER, axis=1).astype(np.float32, copy=False)
    out[:, NUM_MARKER_ROWS - 1] = 0.0
    # Few rows sit off their joint: a short loop of column sums beats a batched 3x3 matmul.
    for row, joint, (ox, oy, oz) in _OFF_ROWS:
        rot = flat_rots[:, joint]
        out[:, row] += rot[:, :, 0] * ox + rot[:, :, 1] * oy + rot[:, :, 2] * oz
    return out.reshape(*batch, NUM_MARKER_ROWS, 3)
