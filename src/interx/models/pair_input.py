"""What the recognizer and the captioner see: the scene of two persons' body joints, from each person.

Each person's view holds their own 22 body joints and the other's, in a frame
fixed to that person at the first frame (origin under their pelvis, +Z the way
they face, Y up), over a clip resampled to a fixed number of frames, with
velocities. So the input does not change when the scene is turned about the
vertical or moved on the floor, and swapping the persons swaps the views
exactly: a network with weights shared between the views cannot tell the
persons apart by position in the input, only by what they do.
"""

from __future__ import annotations

import numpy as np

from interx.body.fk import forward_kinematics
from interx.body.skeleton import MIRROR, NUM_BODY_JOINTS
from interx.data.processed import NUM_ROWS, ROW_WIDTH
from interx.errors import FormatError

CLIP_FRAMES = 64
VIEW_SIZE = 2 * NUM_BODY_JOINTS * 3 * 2  # own and other joints, positions and velocities
LEFT_HIP, RIGHT_HIP = 1, 2


def body_joints(motion: np.ndarray, name: str = "motion") -> np.ndarray:
    """[T, 56, 6] processed motion -> [T, 2, 22, 3] body joints of both persons (neutral body)."""
    motion = np.asarray(motion, dtype=np.float32)
    if motion.ndim != 3 or motion.shape[1:] != (NUM_ROWS, ROW_WIDTH) or len(motion) < 2:
        raise FormatError(name, None, f"a [T, {NUM_ROWS}, {ROW_WIDTH}] motion with T >= 2",
                          found=f"shape {list(motion.shape)}")
    if not np.isfinite(motion).all():
        raise FormatError(name, None, "finite values", found="NaN or infinity")
    persons = np.stack([motion[..., 0:3], motion[..., 3:6]], axis=1)  # [T, 2, 56, 3]
    return forward_kinematics(persons[:, :, :55], persons[:, :, 55])[:, :, :NUM_BODY_JOINTS]


def resample(joints: np.ndarray, frames: int = CLIP_FRAMES) -> np.ndarray:
    """[T, ...] -> [frames, ...] by linear interpolation over the whole clip."""
    count = len(joints)
    times = np.linspace(0.0, count - 1, frames)
    low = np.floor(times).astype(int)
    high = np.minimum(low + 1, count - 1)
    weight = (times - low).reshape(-1, *([1] * (joints.ndim - 1)))
    return ((1 - weight) * joints[low] + weight * joints[high]).astype(np.float32)


def person_frame(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The frame of one person at the clip's first frame: (origin [3] on the floor under the pelvis, rotation
    [3, 3] whose rows are the frame's axes in world coordinates). `joints`: [T, 22, 3]."""
    first = joints[0]
    across = first[LEFT_HIP] - first[RIGHT_HIP]  # points to the person's left (+X in the rest pose)
    forward = np.array([-across[2], 0.0, across[0]])  # across x up, on the floor
    norm = np.linalg.norm(forward)
    forward = forward / norm if norm > 1e-8 else np.array([0.0, 0.0, 1.0])
    left = np.array([forward[2], 0.0, -forward[0]])
    axes = np.stack([left, [0.0, 1.0, 0.0], forward]).astype(np.float32)
    origin = np.array([first[0, 0], 0.0, first[0, 2]], dtype=np.float32)
    return origin, axes


def pair_views(joints: np.ndarray, frames: int = CLIP_FRAMES) -> np.ndarray:
    """[T, 2, 22, 3] joints (metres, Y up, any frame rate) -> [2, frames, VIEW_SIZE]: person p's view of
    (self, other), positions then velocities per resampled frame."""
    joints = np.asarray(joints, dtype=np.float32)
    if joints.ndim != 4 or joints.shape[1:] != (2, NUM_BODY_JOINTS, 3) or len(joints) < 2:
        raise ValueError(f"pair joints must be [T >= 2, 2, {NUM_BODY_JOINTS}, 3], got {list(joints.shape)}")
    clip = resample(joints, frames)
    views = []
    for p in range(2):
        origin, axes = person_frame(clip[:, p])
        local = (clip[:, [p, 1 - p]] - origin) @ axes.T  # [frames, 2, 22, 3]
        velocity = np.diff(local, axis=0, prepend=local[:1]) * (frames / len(joints))
        views.append(np.concatenate([local.reshape(frames, -1), velocity.reshape(frames, -1)], axis=1))
    return np.stack(views).astype(np.float32)


def mirror_views(views: np.ndarray) -> np.ndarray:
    """The views of the left-right mirrored scene: in a person's own frame mirroring negates X and exchanges
    left and right joints (the same as `pair_views(mirror_joints(joints))`). `views`: [..., VIEW_SIZE]."""
    points = views.reshape(*views.shape[:-1], 4, NUM_BODY_JOINTS, 3)[..., MIRROR[:NUM_BODY_JOINTS], :].copy()
    points[..., 0] *= -1
    return points.reshape(views.shape)


def mirror_joints(joints: np.ndarray) -> np.ndarray:
    """The left-right mirror of [..., 22, 3] joints: X negated, left and right joints exchanged."""
    out = joints[..., MIRROR[:NUM_BODY_JOINTS], :].copy()
    out[..., 0] *= -1
    return out


def turn_views(views: np.ndarray, angle: float) -> np.ndarray:
    """Views with every point and velocity turned by `angle` (radians) about the vertical: a small error in the
    estimated facing, for augmentation. `views`: [..., VIEW_SIZE]."""
    c, s = np.cos(angle), np.sin(angle)
    turn = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float32)
    points = views.reshape(*views.shape[:-1], -1, 3) @ turn.T
    return points.reshape(views.shape).astype(np.float32)
