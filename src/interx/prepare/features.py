"""The InterGen-style joint representation: 262 values per person per frame.

Layout of one person's row (`FEATURE_SLICES`):
  [0:66]    positions of the 22 body joints (pelvis .. right wrist), metres
  [66:132]  their velocities: position at t+1 minus position at t (per frame)
  [132:258] local rotations of joints 1..21 (no root) in 6D, PyTorch3D rows
  [258:262] foot contacts (left ankle, left foot, right ankle, right foot), 0/1
A clip of T frames gives T-1 feature frames (the last frame has no velocity).

Before computing it the scene is put on the floor (lowest of both persons'
22 joints over the clip at Y = 0) and canonicalized on P1 at frame 0: P1's
pelvis XZ at the origin and P1 facing +Z, where facing is the horizontal
normal of the hip line and the up axis; P2 is expressed in that frame, so
the pair's relative placement is kept.

The inverse is exact for the joints (all T frames: the last one is the last
position plus the last velocity) and recovers SMPL-X parameters in the
canonical frame: the 21 body rotations from the 6D rows, the root orientation
by a least-squares fit (Kabsch) of the neutral skeleton to the 22 joints, and
the translation from the pelvis. Not recoverable: the original global
placement (P1's frame-0 position and heading, the floor offset), hand,
jaw and eye poses (returned as zeros), and betas (the neutral shape is used).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from interx.body import rotations
from interx.body.fk import forward_kinematics
from interx.body.skeleton import JOINT_INDEX, MIRROR, NUM_BODY_JOINTS, NUM_JOINTS
from interx.body.template import rest_joints
from interx.prepare.motions import neutral_joints

FEATURE_DIM = 262
NUM_ROT_JOINTS = NUM_BODY_JOINTS - 1
FEATURE_SLICES = {
    "positions": slice(0, 66),
    "velocities": slice(66, 132),
    "rotations": slice(132, 258),
    "contacts": slice(258, 262),
}
FOOT_JOINTS = tuple(JOINT_INDEX[n] for n in ("left_ankle", "left_foot", "right_ankle", "right_foot"))
# InterGen's contact rule: squared displacement per frame and height thresholds
CONTACT_SQ_DISPLACEMENT = 0.001
CONTACT_HEIGHT = 0.12
_LEFT_HIP, _RIGHT_HIP = JOINT_INDEX["left_hip"], JOINT_INDEX["right_hip"]


def _yaw_matrix(angle: float) -> np.ndarray:
    """Rotation about +Y by `angle` (maps +Z to (sin a, 0, cos a))."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def facing_direction(joints: np.ndarray) -> np.ndarray:
    """Horizontal unit facing of `(..., 22+, 3)` joints: hip line x up, normalized."""
    across = joints[..., _LEFT_HIP, :] - joints[..., _RIGHT_HIP, :]
    forward = np.stack([-across[..., 2], np.zeros_like(across[..., 0]), across[..., 0]], axis=-1)
    norm = np.linalg.norm(forward, axis=-1, keepdims=True)
    return forward / np.maximum(norm, 1e-12)


def canonical_transform(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R, origin) that put the floor at Y = 0 and P1 at the origin facing +Z.

    `joints` is `(T, 2, 22+, 3)`; canonical = R @ (p - origin).
    """
    floor = joints[..., :NUM_BODY_JOINTS, 1].min()
    pelvis = joints[0, 0, 0]
    forward = facing_direction(joints[0, 0])
    heading = np.arctan2(forward[0], forward[2])
    return _yaw_matrix(-heading), np.array([pelvis[0], floor, pelvis[2]])


def foot_contacts(positions: np.ndarray) -> np.ndarray:
    """`(T-1, ..., 4)` 0/1 contacts from canonical `(T, ..., 22, 3)` positions."""
    feet = positions[..., FOOT_JOINTS, :]
    moved = ((feet[1:] - feet[:-1]) ** 2).sum(-1)
    return ((moved < CONTACT_SQ_DISPLACEMENT) & (feet[:-1, ..., 1] < CONTACT_HEIGHT)).astype(np.float64)


def features_from_joints(joints: np.ndarray, body_pose: np.ndarray) -> np.ndarray:
    """`(T-1, 2, 262)` float32 features from world joints and local rotations.

    `joints` `(T, 2, >=22, 3)` in the world frame, Y up; `body_pose`
    `(T, 2, 21, 3)` the local axis-angle rotations of joints 1..21.
    """
    joints = np.asarray(joints, dtype=np.float64)
    body_pose = np.asarray(body_pose, dtype=np.float64)
    if joints.ndim != 4 or joints.shape[1] != 2 or joints.shape[2] < NUM_BODY_JOINTS or joints.shape[3] != 3:
        raise ValueError(f"joints must be (T, 2, >=22, 3), got {joints.shape}")
    if body_pose.shape != (joints.shape[0], 2, NUM_ROT_JOINTS, 3):
        raise ValueError(f"body_pose must be ({joints.shape[0]}, 2, 21, 3), got {body_pose.shape}")
    if joints.shape[0] < 2:
        raise ValueError("features need at least 2 frames (velocities)")
    R, origin = canonical_transform(joints)
    positions = (joints[:, :, :NUM_BODY_JOINTS] - origin) @ R.T
    frames = positions.shape[0] - 1
    out = np.empty((frames, 2, FEATURE_DIM))
    out[..., FEATURE_SLICES["positions"]] = positions[:-1].reshape(frames, 2, -1)
    out[..., FEATURE_SLICES["velocities"]] = (positions[1:] - positions[:-1]).reshape(frames, 2, -1)
    out[..., FEATURE_SLICES["rotations"]] = rotations.axis_angle_to_rotation_6d(body_pose[:-1]).reshape(frames, 2, -1)
    out[..., FEATURE_SLICES["contacts"]] = foot_contacts(positions)
    return out.astype(np.float32)


def features_from_motion(motion: np.ndarray, joints_fn: Callable | None = None) -> np.ndarray:
    """`(T-1, 2, 262)` features of a processed `[T, 56, 6]` motion.

    `joints_fn(pose (T, 55, 3), trans (T, 3))` defaults to the neutral skeleton.
    """
    motion = np.asarray(motion, dtype=np.float64)
    if motion.ndim != 3 or motion.shape[1:] != (56, 6):
        raise ValueError(f"motion must be [T, 56, 6], got {motion.shape}")
    persons = (motion[..., 0:3], motion[..., 3:6])
    joints_fn = joints_fn or neutral_joints
    joints = np.stack([np.asarray(joints_fn(p[:, :NUM_JOINTS], p[:, 55]))[:, :NUM_BODY_JOINTS] for p in persons], 1)
    body_pose = np.stack([p[:, 1:NUM_BODY_JOINTS] for p in persons], 1)
    return features_from_joints(joints, body_pose)


# ------------------------------------------------------------------- inverse
def _unpack(features: np.ndarray) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    if features.shape[-1] != FEATURE_DIM:
        raise ValueError(f"features must end in {FEATURE_DIM} values, got {features.shape}")
    return features


def joints_from_features(features: np.ndarray) -> np.ndarray:
    """Canonical joints `(T, ..., 22, 3)` of `(T-1, ..., 262)` features (all T frames)."""
    features = _unpack(features)
    positions = features[..., FEATURE_SLICES["positions"]].reshape(*features.shape[:-1], NUM_BODY_JOINTS, 3)
    velocity = features[-1:, ..., FEATURE_SLICES["velocities"]].reshape(1, *features.shape[1:-1], NUM_BODY_JOINTS, 3)
    return np.concatenate([positions, positions[-1:] + velocity], axis=0)


def _kabsch(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Rotations `(..., 3, 3)` that best map centred `source` onto `target` points."""
    h = np.swapaxes(source, -1, -2) @ target
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.swapaxes(vt, -1, -2) @ np.swapaxes(u, -1, -2)))
    fix = np.ones(h.shape[:-1])
    fix[..., -1] = d
    return np.swapaxes(vt, -1, -2) @ (fix[..., :, None] * np.swapaxes(u, -1, -2))


def params_from_features(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SMPL-X parameters in the canonical frame: pose `(T-1, ..., 55, 3)`, trans `(T-1, ..., 3)`.

    Body rotations come from the 6D rows; the root orientation is the rotation
    that best fits the neutral skeleton (posed by those rotations) to the 22
    joints; hands, jaw and eyes are zero.
    """
    features = _unpack(features)
    lead = features.shape[:-1]
    positions = features[..., FEATURE_SLICES["positions"]].reshape(*lead, NUM_BODY_JOINTS, 3)
    d6 = features[..., FEATURE_SLICES["rotations"]].reshape(*lead, NUM_ROT_JOINTS, 6)
    pose = np.zeros((*lead, NUM_JOINTS, 3))
    pose[..., 1:NUM_BODY_JOINTS, :] = rotations.rotation_6d_to_axis_angle(d6)
    local = forward_kinematics(pose, np.zeros((*lead, 3)), None)[..., :NUM_BODY_JOINTS, :]
    source = local - local[..., :1, :]
    target = positions - positions[..., :1, :]
    pose[..., 0, :] = rotations.matrix_to_axis_angle(_kabsch(source, target))
    trans = positions[..., 0, :] - rest_joints(None)[0]
    return pose, trans


# ------------------------------------------------------------------ symmetry
def mirror_features(features: np.ndarray) -> np.ndarray:
    """Features of the left-right mirrored scene (X negated, left and right swapped)."""
    features = _unpack(features)
    lead = features.shape[:-1]
    out = np.empty_like(features)
    perm = MIRROR[:NUM_BODY_JOINTS]
    flip = np.array([-1.0, 1.0, 1.0])
    for key in ("positions", "velocities"):
        xyz = features[..., FEATURE_SLICES[key]].reshape(*lead, NUM_BODY_JOINTS, 3)
        out[..., FEATURE_SLICES[key]] = (xyz[..., perm, :] * flip).reshape(*lead, -1)
    d6 = features[..., FEATURE_SLICES["rotations"]].reshape(*lead, NUM_ROT_JOINTS, 6)
    mats = rotations.rotation_6d_to_matrix(d6[..., perm[1:] - 1, :])
    mats = mats * (flip[:, None] * flip[None, :])  # M R M with M = diag(-1, 1, 1)
    out[..., FEATURE_SLICES["rotations"]] = rotations.matrix_to_rotation_6d(mats).reshape(*lead, -1)
    contacts = features[..., FEATURE_SLICES["contacts"]]
    out[..., FEATURE_SLICES["contacts"]] = contacts[..., [2, 3, 0, 1]]
    return out.astype(np.float32)
