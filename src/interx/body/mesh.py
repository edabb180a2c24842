"""A body mesh for rendering without licensed files: `mannequin-x`'s skinned
wooden mannequin, driven by the same SMPL-X parameters as our skeleton (its
joints coincide with `interx.body.fk` to 1e-7 m)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from interx.body.skeleton import LEFT_HAND, NUM_JOINTS, RIGHT_HAND


@lru_cache(maxsize=8)
def _mannequin(betas: tuple[float, ...]):
    from mannequin import Mannequin

    return Mannequin("wooden", shape=np.asarray(betas, dtype=np.float32), flat_hand_mean=True)


def mannequin_faces() -> np.ndarray:
    """Triangles `(F, 3)` of the mannequin mesh."""
    return np.asarray(_mannequin((0.0,) * 10).faces, dtype=np.int64)


def mannequin_vertices(pose: np.ndarray, trans: np.ndarray, betas: np.ndarray | None = None) -> np.ndarray:
    """Mesh vertices `(..., V, 3)` for a `(..., 55, 3)` SMPL-X pose.

    One body shape per call (`betas` `(10,)` or None); jaw and eyes are not
    articulated in the mannequin.
    """
    pose = np.asarray(pose, dtype=np.float32)
    if pose.shape[-2:] != (NUM_JOINTS, 3):
        raise ValueError(f"pose must end in ({NUM_JOINTS}, 3), got {pose.shape}")
    shape = np.zeros(10, np.float32) if betas is None else np.asarray(betas, np.float32).reshape(-1)[:10]
    model = _mannequin(tuple(float(b) for b in shape))
    batch = pose.shape[:-2]
    zeros = np.zeros((*batch, 3), np.float32)
    params = {
        "shape": np.broadcast_to(shape, (*batch, 10)),
        "expression": np.zeros((*batch, 10), np.float32),
        "body_pose": pose[..., 1:22, :],
        "head_pose": np.zeros((*batch, 3, 3), np.float32),
        "hand_pose": np.concatenate([pose[..., LEFT_HAND, :], pose[..., RIGHT_HAND, :]], axis=-2),
        "pelvis_rotation": pose[..., 0, :],
        "global_rotation": zeros,
        "global_translation": np.asarray(trans, np.float32),
    }
    return model.vertices(params)
