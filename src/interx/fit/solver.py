"""SMPL-X parameters from one person's optical marker skeleton `(T, 64, 3)`.

Each marker row rides on one SMPL-X joint (`interx.synth.markers.MARKER_JOINTS`,
the release's row layout) at an offset fixed in that joint's frame, so a
marker is `joint + R_joint @ offset`. Two stages:

1. Per subject, once: on `subject_frames` frames spread over the sequence,
   poses and the subject alternate: Gauss-Newton on the poses, then the
   betas and every marker's offset in closed form (for fixed rotations the
   markers are linear in both: a joint is the translation plus its chain of
   rotated bone vectors, each linear in the betas).
2. Per frame: Levenberg-Marquardt on root orientation, body and hand poses and
   translation, batched over frames. Each step turns every joint by a small
   world-frame rotation, whose effect on a marker below it is a cross product,
   so the Jacobian is written down rather than differentiated. Frames every
   `coarse_step` start from a closed-form root alignment (Kabsch on the torso
   markers against the rest skeleton); the frames between start from the
   interpolation of their neighbours' solutions; the last steps pull each
   joint's rotation toward the mean of the previous and next frames'
   (temporal smoothness).

Missing markers (NaN, or a row of zeros) are left out of the frames where
they are missing; a row missing in every frame is reported. Hands without
markers keep the flat hand; jaw and eyes stay at zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from interx.body.fk import forward_kinematics
from interx.body.markers import NUM_MARKER_ROWS
from interx.body.skeleton import NUM_JOINTS, PARENTS
from interx.body.template import NUM_BETAS, rest_joints, shape_directions
from interx.data.motion import PersonMotion
from interx.errors import FormatError
from interx.synth.markers import MARKER_JOINTS

FACE = (22, 23, 24)
LEFT_HAND, RIGHT_HAND = tuple(range(25, 40)), tuple(range(40, 55))
TORSO_ROWS = (0, 1, 5, 9, 10, 11, 35, 59)  # pelvis, hips, back, chest, collars, neck: the root alignment
_GATHER = np.where(MARKER_JOINTS >= 0, MARKER_JOINTS, 0)
ARMS_DOWN = {16: (0.0, 0.0, -1.2), 17: (0.0, 0.0, 1.2)}  # shoulders: a start nearer most poses than the T-pose


def _ancestry() -> np.ndarray:
    """[j, a] True when joint a is j or one of its ancestors."""
    out = np.zeros((NUM_JOINTS, NUM_JOINTS), dtype=bool)
    for j in range(NUM_JOINTS):
        a = j
        while a >= 0:
            out[j, a] = True
            a = PARENTS[a]
    return out


ANCESTRY = _ancestry()


@dataclass(frozen=True)
class FitOptions:
    subject_frames: int = 32
    subject_rounds: int = 3
    coarse_step: int = 8
    coarse_iterations: int = 10
    fine_iterations: int = 2
    damping: float = 1e-2  # Levenberg-Marquardt damping, relative to the normal equations' diagonal (adapted per frame)
    smoothness: float = 1e-4  # pull toward the neighbours' mean rotation (m^2 per rad^2)
    offset_prior: float = 30.0  # shrinks marker offsets (per frame): the shape explains what it can, offsets the rest
    betas_prior: float = 1e-5


@dataclass
class FitResult:
    motion: PersonMotion
    offsets: np.ndarray  # (64, 3) marker offsets in their joints' frames
    residual_mm: float  # mean distance of the fitted markers to the present ones
    missing_rows: list[int] = field(default_factory=list)  # rows of the layout absent in every frame


def marker_mask(markers: np.ndarray) -> np.ndarray:
    """(T, 64) True where a marker holds a finite, non-zero position and rides on a joint."""
    present = np.isfinite(markers).all(axis=-1) & np.any(markers != 0, axis=-1)
    return present & (MARKER_JOINTS >= 0)[None]


def check_markers(markers: np.ndarray, name: str) -> np.ndarray:
    markers = np.asarray(markers, dtype=np.float64)
    if markers.ndim != 3 or markers.shape[1:] != (NUM_MARKER_ROWS, 3) or len(markers) < 1:
        raise FormatError(name, None, f"a marker skeleton (T, {NUM_MARKER_ROWS}, 3)", found=f"shape {markers.shape}")
    if not marker_mask(markers).any():
        raise FormatError(name, None, "some finite, non-zero marker positions", found="none")
    return markers


def _kabsch(source: np.ndarray, target: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, rotations (T, 3, 3) and translations (T, 3) with target ~ R source + t (weighted points)."""
    w = weight[..., None]
    total = np.maximum(w.sum(axis=1, keepdims=True), 1e-9)
    cs, ct = (w * source).sum(axis=1, keepdims=True) / total, (w * target).sum(axis=1, keepdims=True) / total
    h = np.einsum("tpi,tpj->tij", w * (source - cs), target - ct)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(u @ vt))
    fix = np.ones((len(h), 3))
    fix[:, 2] = d
    rotation = np.einsum("tji,tj,tkj->tik", vt, fix, u)
    return rotation, ct[:, 0] - np.einsum("tij,tj->ti", rotation, cs[:, 0])


def root_alignment(markers: np.ndarray, mask: np.ndarray, betas=None, offsets=None) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form (root_orient (T, 3), trans (T, 3)) from the torso markers against the rest skeleton."""
    rest = rest_joints(betas)
    rows = np.asarray(TORSO_ROWS)
    points = rest[MARKER_JOINTS[rows]] + (0 if offsets is None else offsets[rows])
    source = np.broadcast_to(points, (len(markers), len(rows), 3))
    weight = mask[:, rows].astype(np.float64)
    rotation, shift = _kabsch(source, np.where(mask[:, rows, None], markers[:, rows], 0.0), weight)
    few = weight.sum(axis=1) < 3  # too few torso markers: upright, at the markers' centroid
    if few.any():
        rotation[few] = np.eye(3)
        centroid = (np.where(mask[..., None], markers, 0).sum(axis=1) / np.maximum(mask.sum(1), 1)[:, None])
        shift[few] = centroid[few] - rest[0]
    trans = shift + rotation @ rest[0] - rest[0]
    return Rotation.from_matrix(rotation).as_rotvec(), trans


def _predict(pose, trans, betas, offsets):
    joints, rots = forward_kinematics(pose, trans, betas, return_rotations=True)
    markers = joints[:, _GATHER] + np.einsum("trij,rj->tri", rots[:, _GATHER], offsets)
    return markers, joints, rots


def _skew(v: np.ndarray) -> np.ndarray:
    out = np.zeros(v.shape + (3,), dtype=v.dtype)
    out[..., 0, 1], out[..., 0, 2] = -v[..., 2], v[..., 1]
    out[..., 1, 0], out[..., 1, 2] = v[..., 2], -v[..., 0]
    out[..., 2, 0], out[..., 2, 1] = -v[..., 1], v[..., 0]
    return out


def _neighbour_targets(rots: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Per frame and parameter joint, the world-frame rotation vector toward the mean of the neighbours'."""
    r = rots[:, params]
    mean = r.copy()
    mean[1:-1] = r[:-2] + r[2:]
    u, _, vt = np.linalg.svd(mean)
    d = np.sign(np.linalg.det(u @ vt))[..., None]
    u[..., :, 2] *= d
    nearest = u @ vt
    nearest[[0, -1]] = r[[0, -1]]
    return Rotation.from_matrix((nearest @ np.swapaxes(r, -1, -2)).reshape(-1, 3, 3)).as_rotvec().reshape(r.shape[:-1])


def _cost(markers, mask, pose, trans, betas, offsets) -> np.ndarray:
    predicted, _, _ = _predict(pose, trans, betas, offsets)
    return (((predicted - markers) ** 2).sum(-1) * mask).sum(-1)


def _apply(pose, trans, rots, params, step):
    """The pose after world-frame turns w at the `params` joints (local_a <- local_a exp(R_a^T w)) and the shift."""
    omega = step[:, :-3].reshape(len(pose), len(params), 3)
    local_turn = np.einsum("tpji,tpj->tpi", rots[:, params], omega)
    turned = Rotation.from_rotvec(pose[:, params].reshape(-1, 3)) * Rotation.from_rotvec(local_turn.reshape(-1, 3))
    out = pose.copy()
    out[:, params] = turned.as_rotvec().reshape(len(pose), len(params), 3)
    return out, trans + step[:, -3:]


def gauss_newton(markers, mask, pose, trans, betas, offsets, params, iterations, options, smooth=False, chunk=256):
    """Levenberg-Marquardt on pose (T, 55, 3) and trans (T, 3) over the `params` joints, each frame with its own
    damping (a step that does not lower a frame's error is refused and its damping raised); with `smooth`, the
    rotations are also pulled toward their neighbours' mean and every step is taken."""
    pose, trans = pose.copy(), trans.copy()
    count = len(params) * 3 + 3
    ancestors = ANCESTRY[_GATHER][:, params] & (MARKER_JOINTS >= 0)[:, None]  # the param joint moves the row
    translation = np.broadcast_to(np.eye(3, dtype=np.float32), (NUM_MARKER_ROWS, 3, 3)).reshape(1, -1, 3)
    damping = np.full(len(pose), options.damping)
    cost = _cost(markers, mask, pose, trans, betas, offsets)
    for _ in range(iterations):
        predicted, joints, rots = _predict(pose, trans, betas, offsets)
        targets = _neighbour_targets(rots, params) if smooth and len(pose) > 2 else None
        step = np.empty((len(pose), count))
        for start in range(0, len(pose), chunk):
            sl = slice(start, start + chunk)
            weight = mask[sl].astype(np.float32)
            lever = (predicted[sl, :, None, :] - joints[sl][:, None, params, :]).astype(np.float32)
            blocks = -_skew(lever) * (ancestors[None] * weight[..., None])[..., None, None]
            jac = np.concatenate([blocks.transpose(0, 1, 3, 2, 4).reshape(len(weight), -1, count - 3),
                                  translation * np.repeat(weight, 3, axis=1)[..., None]], axis=2)
            residual = ((markers[sl] - predicted[sl]) * mask[sl][..., None]).reshape(len(weight), -1, 1)
            normal = np.swapaxes(jac, 1, 2) @ jac
            rhs = (np.swapaxes(jac, 1, 2) @ residual.astype(np.float32))[..., 0]
            diagonal = np.diagonal(normal, axis1=1, axis2=2)
            extra = damping[sl, None] * (diagonal + 1e-4)
            if targets is not None:
                extra[:, :-3] += options.smoothness
                rhs[:, :-3] += options.smoothness * targets[sl].reshape(len(rhs), -1)
            normal[:, np.arange(count), np.arange(count)] += extra
            step[sl] = np.linalg.solve(normal.astype(np.float64), rhs.astype(np.float64)[..., None])[..., 0]
        candidate, shifted = _apply(pose, trans, rots, params, step)
        new_cost = _cost(markers, mask, candidate, shifted, betas, offsets)
        better = np.ones(len(pose), dtype=bool) if targets is not None else new_cost < cost
        pose[better], trans[better], cost[better] = candidate[better], shifted[better], new_cost[better]
        damping = np.where(better, damping / 3, damping * 5).clip(1e-7, 1e4)
    return pose, trans


def _bone_jacobian(rots: np.ndarray) -> np.ndarray:
    """d joint / d betas for fixed rotations, (T, 55, 3, 10): each joint's chain of rotated bone directions."""
    dirs = shape_directions()
    bones = dirs.copy()
    bones[1:] -= dirs[list(PARENTS[1:])]
    out = np.empty((len(rots), NUM_JOINTS, 3, NUM_BETAS))
    out[:, 0] = dirs[0]
    for j in range(1, NUM_JOINTS):
        p = PARENTS[j]
        out[:, j] = out[:, p] + rots[:, p] @ bones[j]
    return out


def solve_subject(markers, mask, pose, trans, betas, offsets, options):
    """Closed-form betas and offsets for fixed rotations (ridge-regularized least squares)."""
    _, joints, rots = _predict(pose, trans, betas, offsets)
    shape = _bone_jacobian(rots)
    base = joints - np.einsum("tjck,k->tjc", shape, betas)  # the joints at zero betas
    jb = shape[:, _GATHER]  # [t, row, 3, 10]
    ro = rots[:, _GATHER]  # [t, row, 3, 3]
    rows = NUM_MARKER_ROWS
    count = NUM_BETAS + rows * 3
    normal = np.zeros((count, count))
    rhs = np.zeros(count)
    w = mask.astype(np.float64)
    residual = (markers - base[:, _GATHER]) * w[..., None]
    normal[:NUM_BETAS, :NUM_BETAS] = np.einsum("trck,trcl,tr->kl", jb, jb, w)
    rhs[:NUM_BETAS] = np.einsum("trck,trc->k", jb, residual)
    cross = np.einsum("trck,trcm,tr->rkm", jb, ro, w)  # betas x offsets
    for r in range(rows):
        block = slice(NUM_BETAS + 3 * r, NUM_BETAS + 3 * r + 3)
        normal[:NUM_BETAS, block] = cross[r]
        normal[block, :NUM_BETAS] = cross[r].T
        normal[block, block] = np.eye(3) * w[:, r].sum()  # R^T R = I
        rhs[block] = np.einsum("tcm,tc->m", ro[:, r], residual[:, r])
    normal[:NUM_BETAS, :NUM_BETAS] += np.eye(NUM_BETAS) * options.betas_prior * len(markers)
    normal[NUM_BETAS:, NUM_BETAS:] += np.eye(rows * 3) * options.offset_prior * len(markers)
    solution = np.linalg.solve(normal, rhs)
    return solution[:NUM_BETAS], solution[NUM_BETAS:].reshape(rows, 3)


def fit_markers(markers: np.ndarray, options: FitOptions = FitOptions(), name: str = "markers",
                gender: str = "neutral") -> FitResult:
    """Fit one person's marker skeleton; see the module docstring."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"):  # thousands of tiny solves: threads only wait on each other
        return _fit(markers, options, name, gender)


def _fit(markers, options, name, gender) -> FitResult:
    markers = check_markers(markers, name)
    mask = marker_mask(markers)
    markers = np.where(mask[..., None], markers, 0.0)  # gaps hold no numbers (NaN would spread through the sums)
    frames = len(markers)
    missing = [int(r) for r in np.flatnonzero(MARKER_JOINTS >= 0) if not mask[:, r].any()]
    params = [j for j in range(NUM_JOINTS) if j not in FACE]
    for hand in (LEFT_HAND, RIGHT_HAND):
        if not mask[:, np.isin(MARKER_JOINTS, hand)].any():
            params = [j for j in params if j not in hand]
    params = np.asarray(params)
    betas, offsets = np.zeros(NUM_BETAS), np.zeros((NUM_MARKER_ROWS, 3))

    def start(index):
        pose = np.zeros((len(index), NUM_JOINTS, 3))
        pose[:, list(ARMS_DOWN)] = list(ARMS_DOWN.values())
        pose[:, 0], trans = root_alignment(markers[index], mask[index], betas, offsets)
        return pose, trans

    # 1. the subject, from frames spread over the sequence
    usable = np.flatnonzero(mask.sum(axis=1) >= 6)
    if not len(usable):
        raise FormatError(name, None, "frames with at least 6 markers", found="none")
    chosen = usable[np.linspace(0, len(usable) - 1, min(options.subject_frames, len(usable))).astype(int)]
    pose, trans = start(chosen)
    for _ in range(options.subject_rounds):
        pose, trans = gauss_newton(markers[chosen], mask[chosen], pose, trans, betas, offsets, params,
                                   options.coarse_iterations, options)
        betas, offsets = solve_subject(markers[chosen], mask[chosen], pose, trans, betas, offsets, options)

    # 2. every frame: coarse frames from the root alignment, the others from their neighbours, then all together
    coarse = np.unique(np.r_[np.arange(0, frames, options.coarse_step), frames - 1])
    c_pose, c_trans = start(coarse)
    c_pose, c_trans = gauss_newton(markers[coarse], mask[coarse], c_pose, c_trans, betas, offsets, params,
                                   options.coarse_iterations, options)
    pose = _interpolate_rotations(c_pose, coarse, frames)
    trans = np.stack([np.interp(np.arange(frames), coarse, c_trans[:, a]) for a in range(3)], axis=1)
    pose, trans = gauss_newton(markers, mask, pose, trans, betas, offsets, params, options.fine_iterations, options,
                               smooth=True)
    fitted, _, _ = _predict(pose, trans, betas, offsets)
    residual = float(np.linalg.norm(fitted - markers, axis=-1)[mask].mean() * 1000)
    p = pose.astype(np.float32)
    motion = PersonMotion(root_orient=p[:, 0], pose_body=p[:, 1:22], pose_lhand=p[:, 25:40], pose_rhand=p[:, 40:55],
                          trans=trans.astype(np.float32), betas=betas.astype(np.float32), gender=gender)
    return FitResult(motion, offsets, residual, missing)


def _interpolate_rotations(pose: np.ndarray, at: np.ndarray, frames: int) -> np.ndarray:
    """Per joint, spherical interpolation of the rotations solved at frames `at` to every frame."""
    from scipy.spatial.transform import Slerp

    out = np.empty((frames, NUM_JOINTS, 3))
    times = np.arange(frames)
    if len(at) == 1:
        return np.broadcast_to(pose, (frames, NUM_JOINTS, 3)).copy()
    for j in range(NUM_JOINTS):
        out[:, j] = Slerp(at, Rotation.from_rotvec(pose[:, j]))(times).as_rotvec()
    return out
