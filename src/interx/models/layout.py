"""Motion layouts the generators learn in: a processed `[T, 56, 6]` motion as one vector per frame and person, and back.

Both layouts work in the canonical frame of the 262-d features (floor at
Y = 0, P1's pelvis at the origin facing +Z at frame 0, P2 in that frame), so
the network never sees where a scene happened to stand or face.

- `joints` (the default): the 262-d InterGen-style features of `interx
  prepare` (positions, velocities, 21 body rotations in 6D, foot contacts),
  plus the 30 finger rotations in 6D: 442 values, T - 1 frames (the features
  have no velocity for the last frame). The fingers are added because the
  evaluators read them: the ground truth's bodies with flat hands score FID
  87 and chance R-precision with the text evaluator trained on the synthetic
  release (its bodies with their own hands: FID 0.005).
- `smplx`: the parameters themselves, root translation (3), root orientation
  in 6D (6) and 51 body and finger rotations in 6D (306): 315 values, T frames.
  Joint positions for the geometric losses come from the differentiable FK.

Jaw and eyes are not modelled (zeros in Inter-X). Betas are not either:
motions are posed on the neutral body, as the processed release is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from interx.body import rotations, rotations_torch
from interx.body.fk import body_joints_torch
from interx.body.skeleton import JOINT_INDEX, LEFT_HAND, NUM_BODY_JOINTS, NUM_JOINTS, RIGHT_HAND
from interx.body.template import rest_joints
from interx.prepare.features import (
    FEATURE_DIM,
    FEATURE_SLICES,
    canonical_transform,
    facing_direction,
    features_from_joints,
    params_from_features,
)
from interx.prepare.motions import neutral_joints

LAYOUTS = ("joints", "smplx")
HANDS = slice(LEFT_HAND.start, RIGHT_HAND.stop)  # rows 25-54 of the 55 rotations
NUM_HAND_JOINTS = HANDS.stop - HANDS.start
TRANS_ROW = 55
TRACK_DIM = 4  # a root track per frame: root X, root Z, cos and sin of the facing angle (about +Y from +Z)


@dataclass(frozen=True)
class Frame:
    """A rigid placement: world point = rotation @ canonical point + offset."""

    rotation: np.ndarray  # (3, 3)
    offset: np.ndarray  # (3,)


def pair_joints(motion: np.ndarray) -> np.ndarray:
    """`[T, 56, 6]` -> `(T, 2, 55, 3)` joints of both persons on the neutral body."""
    motion = np.asarray(motion, dtype=np.float64)
    return np.stack([neutral_joints(motion[:, :NUM_JOINTS, 3 * p:3 * p + 3], motion[:, TRANS_ROW, 3 * p:3 * p + 3])
                     for p in range(2)], axis=1)


def canonical_frame(joints: np.ndarray) -> Frame:
    """The placement of a scene's canonical frame in its own frame (the inverse of `canonical_transform`)."""
    rotation, origin = canonical_transform(joints)
    return Frame(rotation.T, origin)


def move_motion(motion: np.ndarray, rotation: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """The `[T, 56, 6]` motion of the scene moved rigidly: every point p goes to rotation @ p + offset.

    SMPL-X rotates the body about its rest pelvis J0, so the translation becomes
    rotation @ (trans + J0) + offset - J0.
    """
    out = np.array(motion, dtype=np.float32, copy=True)
    pelvis = rest_joints(None)[0]
    for p in range(2):
        cols = slice(3 * p, 3 * p + 3)
        root = rotations.axis_angle_to_matrix(np.asarray(motion[:, 0, cols], dtype=np.float64))
        out[:, 0, cols] = rotations.matrix_to_axis_angle(rotation @ root)
        out[:, TRANS_ROW, cols] = (np.asarray(motion[:, TRANS_ROW, cols], dtype=np.float64) + pelvis) @ rotation.T \
            + offset - pelvis
    return out


def to_processed_frame(motion: np.ndarray, heading: float) -> np.ndarray:
    """A canonical-frame motion as the processed release stores a scene.

    The scene is turned by `heading` (radians about +Y; the release keeps
    each capture's facing), each person's lowest joint over the clip is put
    at Y = 0, and P1's frame-0 translation is subtracted from both persons.
    """
    c, s = np.cos(heading), np.sin(heading)
    turned = move_motion(motion, np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]]), np.zeros(3))
    joints = pair_joints(turned)
    for p in range(2):
        turned[:, TRANS_ROW, 3 * p + 1] -= joints[:, p, :, 1].min()
    start = turned[0, TRANS_ROW, 0:3].copy()
    turned[:, TRANS_ROW, 0:3] -= start
    turned[:, TRANS_ROW, 3:6] -= start
    return turned


def heading_of(motion: np.ndarray) -> float:
    """P1's frame-0 facing angle (radians about +Y from +Z) of a processed motion."""
    forward = facing_direction(pair_joints(motion[:1])[0, 0])
    return float(np.arctan2(forward[0], forward[2]))


def _hands_6d(motion: np.ndarray) -> np.ndarray:
    """`(T, 2, 180)` finger rotations in 6D of a `[T, 56, 6]` motion."""
    rows = np.stack([motion[:, HANDS, 0:3], motion[:, HANDS, 3:6]], axis=1).astype(np.float64)
    return rotations.axis_angle_to_rotation_6d(rows).reshape(len(motion), 2, -1)


def _rows_from_6d(d6: np.ndarray) -> np.ndarray:
    """`(..., 6k)` -> `(..., k, 3)` axis-angle."""
    return rotations.rotation_6d_to_axis_angle(d6.reshape(*d6.shape[:-1], -1, 6))


def _assemble(pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Per-person pose `(T, 2, 55, 3)` and translation `(T, 2, 3)` -> `[T, 56, 6]` float32."""
    motion = np.zeros((pose.shape[0], 56, 6), dtype=np.float32)
    for p in range(2):
        motion[:, :NUM_JOINTS, 3 * p:3 * p + 3] = pose[:, p]
        motion[:, TRANS_ROW, 3 * p:3 * p + 3] = trans[:, p]
    return motion


class Layout:
    """One way to lay out a frame; `encode`, `decode` and `positions` are the whole interface."""

    name: str
    dim: int

    def frames(self, motion_frames: int) -> int:
        """Vectors of a motion of this many frames."""
        raise NotImplementedError

    def encode(self, motion: np.ndarray) -> tuple[np.ndarray, Frame]:
        """`[T, 56, 6]` -> `(frames(T), 2, dim)` float32 canonical vectors and where that frame lies in the motion's."""
        raise NotImplementedError

    def decode(self, vectors: np.ndarray) -> np.ndarray:
        """`(N, 2, dim)` canonical vectors -> `[N, 56, 6]` motion in the canonical frame."""
        raise NotImplementedError

    def positions(self, vectors: torch.Tensor) -> torch.Tensor:
        """Differentiable `(..., dim)` -> `(..., 22, 3)` body joints (metres, canonical frame)."""
        raise NotImplementedError

    def track(self, vectors: torch.Tensor) -> torch.Tensor:
        """`(..., dim)` -> `(..., 4)` the root track: root X and Z, cos and sin of the facing angle."""
        raise NotImplementedError

    def relative_to(self, vectors: torch.Tensor, track: torch.Tensor) -> torch.Tensor:
        """`(..., dim)` seen from a frame that follows `track` `(..., 4)` (root at the origin, facing +Z)."""
        return self._moved(vectors, track, inverse=True)

    def absolute(self, vectors: torch.Tensor, track: torch.Tensor) -> torch.Tensor:
        """The inverse of `relative_to`."""
        return self._moved(vectors, track, inverse=False)

    @staticmethod
    def _moved(vectors: torch.Tensor, track: torch.Tensor, inverse: bool) -> torch.Tensor:
        """`vectors` into (`inverse`) or out of the frame of `track`."""
        raise NotImplementedError


def _turn(xyz: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """`(..., k, 3)` rotated about +Y by the angle of (cos, sin) `(...)`: +Z goes to (sin, 0, cos)."""
    c, s = cos[..., None], sin[..., None]
    x, y, z = xyz.unbind(-1)
    return torch.stack([c * x + s * z, y, c * z - s * x], dim=-1)


def _facing_track(root: torch.Tensor, forward: torch.Tensor) -> torch.Tensor:
    """Root `(..., 3)` and a forward direction `(..., 3)` -> `(..., 4)` track."""
    norm = forward[..., [0, 2]].norm(dim=-1).clamp_min(1e-8)
    return torch.stack([root[..., 0], root[..., 2], forward[..., 2] / norm, forward[..., 0] / norm], dim=-1)


def _moved(xyz: torch.Tensor, track: torch.Tensor, inverse: bool, shift: bool = True) -> torch.Tensor:
    """Points `(..., k, 3)` into (`inverse`) or out of the frame of `track` `(..., 4)`; directions: `shift=False`."""
    root = torch.stack([track[..., 0], torch.zeros_like(track[..., 0]), track[..., 1]], dim=-1)[..., None, :]
    if inverse:
        return _turn(xyz - root if shift else xyz, track[..., 2], -track[..., 3])
    turned = _turn(xyz, track[..., 2], track[..., 3])
    return turned + root if shift else turned


class JointsLayout(Layout):
    name, dim = "joints", FEATURE_DIM + 6 * NUM_HAND_JOINTS

    def frames(self, motion_frames: int) -> int:
        return motion_frames - 1

    def encode(self, motion):
        joints = pair_joints(motion)
        body_pose = np.stack([motion[:, 1:NUM_BODY_JOINTS, 0:3], motion[:, 1:NUM_BODY_JOINTS, 3:6]], axis=1)
        features = features_from_joints(joints, body_pose)
        vectors = np.concatenate([features, _hands_6d(motion[:-1])], axis=-1).astype(np.float32)
        return vectors, canonical_frame(joints)

    def decode(self, vectors):
        vectors = np.asarray(vectors, dtype=np.float64)
        pose, trans = params_from_features(vectors[..., :FEATURE_DIM])
        pose[..., HANDS, :] = _rows_from_6d(vectors[..., FEATURE_DIM:])
        return _assemble(pose, trans)

    def positions(self, vectors):
        return vectors[..., 0:3 * NUM_BODY_JOINTS].unflatten(-1, (NUM_BODY_JOINTS, 3))

    def track(self, vectors):
        joints = self.positions(vectors)
        across = joints[..., JOINT_INDEX["left_hip"], :] - joints[..., JOINT_INDEX["right_hip"], :]
        forward = torch.stack([-across[..., 2], torch.zeros_like(across[..., 0]), across[..., 0]], dim=-1)
        return _facing_track(joints[..., 0, :], forward)

    @staticmethod
    def _moved(vectors, track, inverse):
        """Positions move and turn with the track, velocities only turn; rotations are relative to the parent
        joint, and contacts do not depend on the frame."""
        out = []
        for key, shift in (("positions", True), ("velocities", False)):
            part = vectors[..., FEATURE_SLICES[key]].unflatten(-1, (NUM_BODY_JOINTS, 3))
            out.append(_moved(part, track, inverse, shift).flatten(-2))
        return torch.cat(out + [vectors[..., FEATURE_SLICES["velocities"].stop:]], dim=-1)


class SmplxLayout(Layout):
    name, dim = "smplx", 3 + 6 + 6 * (NUM_BODY_JOINTS - 1) + 6 * NUM_HAND_JOINTS
    ROTATED = (0,) + tuple(range(1, NUM_BODY_JOINTS)) + tuple(range(HANDS.start, HANDS.stop))  # the 52 rows kept

    def frames(self, motion_frames: int) -> int:
        return motion_frames

    def encode(self, motion):
        joints = pair_joints(motion)
        rotation, origin = canonical_transform(joints)
        canonical = move_motion(motion, rotation, -rotation @ origin)
        rows = np.stack([canonical[:, list(self.ROTATED), 0:3], canonical[:, list(self.ROTATED), 3:6]], axis=1)
        d6 = rotations.axis_angle_to_rotation_6d(rows.astype(np.float64)).reshape(len(motion), 2, -1)
        trans = np.stack([canonical[:, TRANS_ROW, 0:3], canonical[:, TRANS_ROW, 3:6]], axis=1)
        return np.concatenate([trans, d6], axis=-1).astype(np.float32), Frame(rotation.T, origin)

    def decode(self, vectors):
        vectors = np.asarray(vectors, dtype=np.float64)
        pose = np.zeros((*vectors.shape[:-1], NUM_JOINTS, 3))
        pose[..., list(self.ROTATED), :] = _rows_from_6d(vectors[..., 3:])
        return _assemble(pose, vectors[..., :3])

    def positions(self, vectors):
        body = rotations_torch.rotation_6d_to_matrix(vectors[..., 3:3 + 6 * NUM_BODY_JOINTS].unflatten(-1, (-1, 6)))
        return body_joints_torch(body, vectors[..., :3])

    def track(self, vectors):
        root = rotations_torch.rotation_6d_to_matrix(vectors[..., 3:9])
        return _facing_track(vectors[..., :3], root[..., :, 2])

    @staticmethod
    def _moved(vectors, track, inverse):
        """The translation moves and turns with the track, the root orientation turns; the other rotations are
        relative to their parents."""
        trans = _moved(vectors[..., None, :3], track, inverse)[..., 0, :]
        root = _moved(rotations_torch.rotation_6d_to_matrix(vectors[..., 3:9]).transpose(-1, -2), track, inverse,
                      shift=False).transpose(-1, -2)  # the matrix's columns are directions
        return torch.cat([trans, rotations_torch.matrix_to_rotation_6d(root), vectors[..., 9:]], dim=-1)


_LAYOUTS = {"joints": JointsLayout(), "smplx": SmplxLayout()}


def get_layout(name: str) -> Layout:
    if name not in _LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {name!r}")
    return _LAYOUTS[name]

