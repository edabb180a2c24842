"""Mesh vertices fast enough for video.

`interx.body.mesh.mannequin_vertices` skins the mannequin with a broadcast
einsum, about 8 frames/s here; a mesh video needs 20 or more. The joint
transforms from `mannequin-x` are cheap, so this module takes them and the
mannequin's skin binding (4 weighted joints per vertex) and skins in a
compiled loop, parallel over frames. tests/viz checks it against
`mannequin_vertices`, so a change inside mannequin-x fails loudly.
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np

from interx.body import mesh
from interx.body.skeleton import LEFT_HAND, NUM_JOINTS, RIGHT_HAND
from interx.errors import InterXError


@numba.njit(parallel=True, cache=True, fastmath=True)
def _skin(rot, trans, joint_index, weight, relative, out):
    n = rot.shape[0]
    for f in numba.prange(n):
        for v in range(relative.shape[0]):
            x = 0.0
            y = 0.0
            z = 0.0
            for k in range(joint_index.shape[1]):
                j = joint_index[v, k]
                w = weight[v, k]
                if w == 0.0:
                    continue
                rx, ry, rz = relative[v, k, 0], relative[v, k, 1], relative[v, k, 2]
                x += w * (rot[f, j, 0, 0] * rx + rot[f, j, 0, 1] * ry + rot[f, j, 0, 2] * rz + trans[f, j, 0])
                y += w * (rot[f, j, 1, 0] * rx + rot[f, j, 1, 1] * ry + rot[f, j, 1, 2] * rz + trans[f, j, 1])
                z += w * (rot[f, j, 2, 0] * rx + rot[f, j, 2, 1] * ry + rot[f, j, 2, 2] * rz + trans[f, j, 2])
            out[f, v, 0] = x
            out[f, v, 1] = y
            out[f, v, 2] = z


class MannequinSkin:
    """The mannequin of one body shape, skinned in a compiled loop."""

    def __init__(self, betas: np.ndarray | None = None):
        shape = np.zeros(10, np.float32) if betas is None else np.asarray(betas, np.float32).reshape(-1)[:10]
        self.shape = shape
        self.model = mesh._mannequin(tuple(float(b) for b in shape))
        try:
            index = np.asarray(self.model._skin_joint_indices, dtype=np.int64)
            weight = np.asarray(self.model._skin_weights, dtype=np.float32)
            identity = self.model._identity
            bind = np.asarray(identity["skin_bind_positions"], np.float32)
            rest = np.asarray(identity["skin_vertices"], np.float32)
        except (AttributeError, KeyError, TypeError) as exc:
            raise InterXError(f"this mannequin-x version stores its skin differently ({exc}); "
                              "install mannequin-x 0.3") from None
        self.joint_index = np.ascontiguousarray(index)
        self.weight = np.ascontiguousarray(weight)
        self.relative = np.ascontiguousarray(rest[:, None, :] - bind[index])
        self.faces = mesh.mannequin_faces()

    def vertices(self, pose: np.ndarray, trans: np.ndarray) -> np.ndarray:
        """Vertices `(T, V, 3)` float32 for poses `(T, 55, 3)` and translations `(T, 3)`."""
        pose = np.asarray(pose, np.float32)
        if pose.ndim != 3 or pose.shape[1:] != (NUM_JOINTS, 3):
            raise ValueError(f"pose must be (T, {NUM_JOINTS}, 3), got {pose.shape}")
        count = pose.shape[0]
        zeros = np.zeros((count, 3), np.float32)
        params = {
            "shape": np.broadcast_to(self.shape, (count, 10)),
            "body_pose": pose[:, 1:22],
            "head_pose": np.zeros((count, 3, 3), np.float32),
            "hand_pose": np.concatenate([pose[:, LEFT_HAND], pose[:, RIGHT_HAND]], axis=1),
            "pelvis_rotation": pose[:, 0],
            "global_rotation": zeros,
            "global_translation": np.asarray(trans, np.float32),
        }
        transforms = self.model.joint_transforms(params)
        rot = np.ascontiguousarray(transforms[..., :3, :3], dtype=np.float32)
        shift = np.ascontiguousarray(transforms[..., :3, 3], dtype=np.float32)
        out = np.empty((count, len(self.relative), 3), np.float32)
        if count:
            _skin(rot, shift, self.joint_index, self.weight, self.relative, out)
        return out


@lru_cache(maxsize=8)
def _skin_for(betas: tuple[float, ...]) -> MannequinSkin:
    return MannequinSkin(np.asarray(betas, np.float32))


def mannequin_skin(betas: np.ndarray | None) -> MannequinSkin:
    """A cached `MannequinSkin` per body shape."""
    shape = np.zeros(10) if betas is None else np.asarray(betas, np.float64).reshape(-1)[:10]
    return _skin_for(tuple(round(float(b), 6) for b in shape))
