"""Batched forward kinematics of the SMPL-X skeleton, numpy and torch.

The official preprocessing runs the body model once per frame. Here a whole
batch of frames goes through one compiled loop (numba, parallel over frames,
float64 inside) for numpy, or through one batched step per tree level for
torch (differentiable, GPU-ready). Both take the 55 local axis-angle rotations
in SMPL-X joint order, a translation and optional betas.

Convention (SMPL-X): `root_orient` turns the body about the pelvis joint, then
`trans` is added, so the pelvis lands at `rest_pelvis(betas) + trans`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numba
import numpy as np
import torch

from interx.body import rotations_torch
from interx.body.skeleton import HAS_CHILDREN, LEVELS, NUM_BODY_JOINTS, NUM_JOINTS, PARENTS
from interx.body.template import NUM_BETAS, rest_joints, shape_directions

_PARENTS = np.asarray(PARENTS, dtype=np.int64)
_HAS_CHILDREN = HAS_CHILDREN.copy()
_CHUNK = 256  # frames per parallel work item


def pose_from_params(
    root_orient,
    pose_body,
    pose_lhand=None,
    pose_rhand=None,
):
    """Assemble the `(..., 55, 3)` axis-angle pose from Inter-X motion keys.

    `pose_body` may be `(..., 21, 3)` or flat `(..., 63)`; missing hands are
    flat (zero). Jaw and eyes are zero (Inter-X has no face capture). Works
    for numpy arrays and torch tensors.
    """
    is_torch = isinstance(root_orient, torch.Tensor)
    xp_cat = torch.cat if is_torch else np.concatenate
    batch = tuple(root_orient.shape[:-1])

    def rows(x, n):
        if x is None:
            if is_torch:
                return torch.zeros((*batch, n, 3), dtype=root_orient.dtype, device=root_orient.device)
            return np.zeros((*batch, n, 3), dtype=root_orient.dtype)
        return x.reshape(*batch, n, 3)

    zeros3 = rows(None, 3)
    return xp_cat(
        [root_orient.reshape(*batch, 1, 3), rows(pose_body, 21), zeros3, rows(pose_lhand, 15), rows(pose_rhand, 15)],
        -2,
    )


@numba.njit(inline="always", fastmath=True)
def rodrigues_coefficients(t2):
    """sin(t)/t and (1 - cos t)/t^2 for t^2 = `t2`.

    For t <= pi, half-angle Taylor series (error < 1e-12) replace sin, cos and
    sqrt: trigonometry was the largest cost of the loop, and the series is
    exact at t = 0 with no special case.
    """
    if t2 <= 9.8696044:
        v = 0.25 * t2
        sh = 1.0 + v * (-1 / 6 + v * (1 / 120 + v * (-1 / 5040 + v * (1 / 362880 + v * (
            -1 / 39916800 + v * (1 / 6227020800 + v * (-1 / 1307674368000 + v * (1 / 355687428096000))))))))
        ch = 1.0 + v * (-1 / 2 + v * (1 / 24 + v * (-1 / 720 + v * (1 / 40320 + v * (
            -1 / 3628800 + v * (1 / 479001600 + v * (-1 / 87178291200 + v * (1 / 20922789888000))))))))
        return sh * ch, 0.5 * sh * sh
    t = np.sqrt(t2)
    return np.sin(t) / t, (1.0 - np.cos(t)) / t2


@numba.njit(parallel=True, fastmath=True, cache=True)
def _fk_kernel(pose, trans, offsets, parents, has_children, slots, joints_out, rots_out, want_rots):
    """One pass per frame down the tree; parallel over chunks of frames.

    `offsets[r, 0]` is the rest pelvis, `offsets[r, j]` the rest offset of
    joint j from its parent; r = frame, or 0 when the shape is shared.
    `slots[j]` is joint j's column in the outputs, -1 when it is not asked
    for, -2 when neither it nor any joint asked for below it is needed.
    """
    n = pose.shape[0]
    per_frame_shape = offsets.shape[0] > 1
    for c in numba.prange((n + _CHUNK - 1) // _CHUNK):
        rw = np.empty((NUM_JOINTS, 9))  # world rotations, row-major
        pw = np.empty((NUM_JOINTS, 3))  # world positions, float64 whatever the output
        for i in range(c * _CHUNK, min(n, (c + 1) * _CHUNK)):
            r = i if per_frame_shape else 0
            for j in range(NUM_JOINTS):
                out = slots[j]
                if out == -2:
                    continue
                if j == 0:
                    a0, a1, a2, a3, a4, a5, a6, a7, a8 = 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0
                    px = offsets[r, 0, 0] + trans[i, 0]
                    py = offsets[r, 0, 1] + trans[i, 1]
                    pz = offsets[r, 0, 2] + trans[i, 2]
                else:
                    p = parents[j]
                    a0, a1, a2 = rw[p, 0], rw[p, 1], rw[p, 2]
                    a3, a4, a5 = rw[p, 3], rw[p, 4], rw[p, 5]
                    a6, a7, a8 = rw[p, 6], rw[p, 7], rw[p, 8]
                    ox, oy, oz = offsets[r, j, 0], offsets[r, j, 1], offsets[r, j, 2]
                    px = pw[p, 0] + a0 * ox + a1 * oy + a2 * oz
                    py = pw[p, 1] + a3 * ox + a4 * oy + a5 * oz
                    pz = pw[p, 2] + a6 * ox + a7 * oy + a8 * oz
                pw[j, 0], pw[j, 1], pw[j, 2] = px, py, pz
                if out >= 0:
                    joints_out[i, out, 0], joints_out[i, out, 1], joints_out[i, out, 2] = px, py, pz
                if not (has_children[j] or (want_rots and out >= 0)):
                    continue  # a leaf's rotation moves no joint
                x, y, z = np.float64(pose[i, j, 0]), np.float64(pose[i, j, 1]), np.float64(pose[i, j, 2])
                s, k = rodrigues_coefficients(x * x + y * y + z * z)
                # local rotation: I + s [axis]x + k [axis]x^2 (axis-angle not normalised)
                l0 = 1.0 - k * (y * y + z * z)
                l4 = 1.0 - k * (x * x + z * z)
                l8 = 1.0 - k * (x * x + y * y)
                kxy, kxz, kyz = k * x * y, k * x * z, k * y * z
                l1, l3 = kxy - s * z, kxy + s * z
                l2, l6 = kxz + s * y, kxz - s * y
                l5, l7 = kyz - s * x, kyz + s * x
                rw[j, 0] = a0 * l0 + a1 * l3 + a2 * l6
                rw[j, 1] = a0 * l1 + a1 * l4 + a2 * l7
                rw[j, 2] = a0 * l2 + a1 * l5 + a2 * l8
                rw[j, 3] = a3 * l0 + a4 * l3 + a5 * l6
                rw[j, 4] = a3 * l1 + a4 * l4 + a5 * l7
                rw[j, 5] = a3 * l2 + a4 * l5 + a5 * l8
                rw[j, 6] = a6 * l0 + a7 * l3 + a8 * l6
                rw[j, 7] = a6 * l1 + a7 * l4 + a8 * l7
                rw[j, 8] = a6 * l2 + a7 * l5 + a8 * l8
                if want_rots and out >= 0:
                    for e in range(9):
                        rots_out[i, out, e // 3, e % 3] = rw[j, e]


def rest_offsets(betas=None) -> np.ndarray:
    """Rest pelvis (row 0) and each joint's offset from its parent, `(..., 55, 3)`."""
    rest = rest_joints(betas)
    offsets = rest.copy()
    offsets[..., 1:, :] -= rest[..., _PARENTS[1:], :]
    return offsets


def _check_pose(pose, trans) -> None:
    if pose.shape[-2:] != (NUM_JOINTS, 3):
        raise ValueError(f"pose must end in ({NUM_JOINTS}, 3) axis-angle rows, got shape {tuple(pose.shape)}")
    if trans.shape[-1] != 3 or tuple(trans.shape[:-1]) != tuple(pose.shape[:-2]):
        raise ValueError(f"trans must be {tuple(pose.shape[:-2]) + (3,)} to match pose, got {tuple(trans.shape)}")


def forward_kinematics(
    pose: np.ndarray,
    trans: np.ndarray,
    betas: np.ndarray | None = None,
    *,
    return_rotations: bool = False,
    joints: Sequence[int] | None = None,
):
    """World joint positions `(..., 55, 3)` from local axis-angle `(..., 55, 3)`.

    `trans` is `(..., 3)`; `betas` is `None` (neutral mean shape), one shape
    `(k,)` for the whole batch, or `(..., k)` per frame. The result has the
    dtype of `pose` (float32 in, float32 out; computed in float64). With
    `return_rotations`, also returns the world rotation matrices
    `(..., 55, 3, 3)`. `joints` (indices) returns only those joints, in that
    order, `(..., len(joints), 3)`: only they and their ancestors are
    computed, which is several times cheaper for a hand or a foot.
    """
    pose = np.asarray(pose)
    trans = np.asarray(trans)
    _check_pose(pose, trans)
    dtype = pose.dtype if pose.dtype in (np.float32, np.float64) else np.float64
    batch = pose.shape[:-2]
    flat_pose = np.ascontiguousarray(pose.reshape(-1, NUM_JOINTS, 3))
    flat_trans = np.ascontiguousarray(trans.reshape(-1, 3), dtype=np.float64)
    offsets = rest_offsets(betas)
    if offsets.ndim > 2:
        offsets = np.broadcast_to(offsets, (*batch, NUM_JOINTS, 3))
    offsets = np.ascontiguousarray(offsets.reshape(-1, NUM_JOINTS, 3))
    slots = _ALL_SLOTS if joints is None else _slots(tuple(int(j) for j in joints))
    count = NUM_JOINTS if joints is None else len(joints)
    n = flat_pose.shape[0]
    positions = np.empty((n, count, 3), dtype=dtype)
    rots = np.empty((n if return_rotations else 0, count, 3, 3), dtype=dtype)
    if n:
        _fk_kernel(flat_pose, flat_trans, offsets, _PARENTS, _HAS_CHILDREN, slots, positions, rots, return_rotations)
    positions = positions.reshape(*batch, count, 3)
    if return_rotations:
        return positions, rots.reshape(*batch, count, 3, 3)
    return positions


_ALL_SLOTS = np.arange(NUM_JOINTS, dtype=np.int64)


@functools.lru_cache(maxsize=256)
def _slots(joints: tuple[int, ...]) -> np.ndarray:
    """Output column per joint for a subset: -1 = ancestor only, -2 = not needed."""
    if len(set(joints)) != len(joints) or not all(0 <= j < NUM_JOINTS for j in joints):
        raise ValueError(f"joints must be distinct indices in [0, {NUM_JOINTS}), got {list(joints)}")
    slots = np.full(NUM_JOINTS, -2, dtype=np.int64)
    for out, j in enumerate(joints):
        slots[j] = out
        p = _PARENTS[j]
        while p >= 0 and slots[p] == -2:
            slots[p] = -1
            p = _PARENTS[p]
    return slots


def forward_kinematics_torch(
    pose: torch.Tensor,
    trans: torch.Tensor,
    betas: torch.Tensor | np.ndarray | None = None,
    *,
    return_rotations: bool = False,
):
    """Differentiable torch twin of `forward_kinematics` (same arguments).

    Joints are processed one tree level at a time (10 batched steps), so it
    runs fast on CPU and GPU and gradients flow to pose, trans and betas.
    """
    _check_pose(pose, trans)
    if betas is None:
        betas = torch.zeros(NUM_BETAS, dtype=pose.dtype, device=pose.device)
    betas = torch.as_tensor(betas, dtype=pose.dtype, device=pose.device)[..., :NUM_BETAS]
    dirs = torch.tensor(shape_directions()[..., : betas.shape[-1]], dtype=pose.dtype, device=pose.device)
    rest = torch.tensor(rest_joints(None), dtype=pose.dtype, device=pose.device)
    rest = rest + torch.einsum("jck,...k->...jc", dirs, betas)
    offsets = torch.cat([rest[..., :1, :], rest[..., 1:, :] - rest[..., _PARENTS[1:], :]], dim=-2)
    offsets = offsets.expand(*pose.shape[:-2], NUM_JOINTS, 3)
    local = rotations_torch.axis_angle_to_matrix(pose)
    # Filled one tree level at a time; each level reads only finished parents.
    world_rot = torch.empty_like(local)
    joints = torch.empty(offsets.shape, dtype=pose.dtype, device=pose.device)
    world_rot[..., 0, :, :] = local[..., 0, :, :]
    joints[..., 0, :] = offsets[..., 0, :] + trans
    for level in LEVELS:
        parent_rot = world_rot[..., _PARENTS[level], :, :]
        world_rot[..., level, :, :] = parent_rot @ local[..., level, :, :]
        joints[..., level, :] = joints[..., _PARENTS[level], :] + (parent_rot @ offsets[..., level, :, None])[..., 0]
    if return_rotations:
        return joints, world_rot
    return joints


def body_joints_torch(rotations: torch.Tensor, trans: torch.Tensor) -> torch.Tensor:
    """The 22 body joints `(..., 22, 3)` of the neutral body from local rotation matrices `(..., 22, 3, 3)`.

    For training losses: the body alone, joint by joint along the chain,
    without the level-batched index writes of `forward_kinematics_torch`
    (several times cheaper on CPU); fingers do not move body joints.
    """
    count = rotations.shape[-3]
    if count != NUM_BODY_JOINTS or rotations.shape[-2:] != (3, 3) or trans.shape[-1] != 3:
        raise ValueError(f"need rotations (..., {NUM_BODY_JOINTS}, 3, 3) and trans (..., 3), got "
                         f"{tuple(rotations.shape)} and {tuple(trans.shape)}")
    offsets = torch.tensor(rest_offsets(None)[:NUM_BODY_JOINTS], dtype=rotations.dtype, device=rotations.device)
    world = [rotations[..., 0, :, :]]
    joints = [offsets[0] + trans]
    for j in range(1, NUM_BODY_JOINTS):
        parent = int(_PARENTS[j])
        joints.append(joints[parent] + world[parent] @ offsets[j])
        world.append(world[parent] @ rotations[..., j, :, :])
    return torch.stack(joints, dim=-2)
