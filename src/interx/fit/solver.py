"""SMPL-X parameters from one person's optical marker skeleton `(T, 64, 3)`.

Each marker row rides on one SMPL-X joint (`interx.synth.markers.MARKER_JOINTS`,
the release's row layout) at an offset fixed in that joint's frame, so a
marker is `joint + R_joint @ offset`. The layout also says where each row
nominally sits (`MARKER_OFFSETS`: most on their joint's centre, toes,
fingertips, back and head a few centimetres off), as a marker set's
definition does; the fit refines those offsets per subject. Each marker's
track is first low-passed over time (optical noise is white from frame to
frame, motion at 120 fps is not). Two stages:

1. Per subject, once: on `subject_frames` frames spread over the sequence,
   poses and the subject alternate: a few Levenberg-Marquardt steps on the
   poses, then the betas and every marker's offset in closed form (for fixed
   rotations the markers are linear in both: a joint is the translation plus
   its chain of rotated bone vectors, each linear in the betas), the offsets
   shrunk toward the nominal ones. Poses follow a shape change only part of
   the way, so each round's shape change is over-relaxed.
2. Per frame: Levenberg-Marquardt on root orientation, body and hand poses and
   translation, batched over frames (`interx.fit.tree`: each step turns every
   joint by a small world-frame rotation, and the tree-shaped normal equations
   are solved from the leaves up in one compiled loop). Frames every
   `coarse_step` start from a closed-form root alignment (Kabsch on the torso
   markers against the rest skeleton); the frames between start from the
   interpolation of their neighbours' solutions; the last steps pull each
   joint's rotation toward the midpoint of the previous and next frames'
   (temporal smoothness). A weak prior pulls every local rotation toward rest,
   which settles what the markers leave free (twist about a bone between
   joint-centre markers, the foot between ankle and toe).

Missing markers (NaN, or a row of zeros) are left out of the frames where
they are missing; a row missing in every frame is reported. Hands without
markers keep the flat hand; jaw and eyes stay at zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from interx.body import rotations
from interx.body.fk import forward_kinematics
from interx.body.markers import NUM_MARKER_ROWS
from interx.body.skeleton import NUM_JOINTS, PARENTS
from interx.body.template import NUM_BETAS, rest_joints, shape_directions
from interx.data.motion import PersonMotion
from interx.errors import FormatError
from interx.fit.tree import Tree, turn
from interx.synth.markers import MARKER_JOINTS, MARKER_OFFSETS

FACE = (22, 23, 24)
LEFT_HAND, RIGHT_HAND = tuple(range(25, 40)), tuple(range(40, 55))
TORSO_ROWS = (0, 1, 5, 9, 10, 11, 35, 59)  # pelvis, hips, back, chest, collars, neck: the root alignment
_GATHER = np.where(MARKER_JOINTS >= 0, MARKER_JOINTS, 0)
ARMS_DOWN = {16: (0.0, 0.0, -1.2), 17: (0.0, 0.0, 1.2)}  # shoulders: a start nearer most poses than the T-pose


@dataclass(frozen=True)
class FitOptions:
    subject_frames: int = 32
    subject_rounds: int = 10
    subject_iterations: int = 3  # pose iterations of each round after the first (which has coarse_iterations)
    subject_relaxation: float = 1.6  # over-relaxation of each round's shape change (1: plain alternation)
    coarse_step: int = 8
    coarse_iterations: int = 10
    fine_iterations: int = 2
    damping: float = 1e-2  # Levenberg-Marquardt damping, relative to the normal equations' diagonal (adapted per frame)
    smoothness: float = 1e-4  # pull toward the neighbours' midpoint rotation (m^2 per rad^2)
    pose_prior: float = 1e-5  # pull of each local rotation toward rest (m^2 per rad^2)
    marker_smoothing: float = 2.0  # Gaussian sigma (frames) of the low-pass on each marker's track; 0: none
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


def smooth_tracks(markers: np.ndarray, mask: np.ndarray, sigma: float) -> np.ndarray:
    """Each marker's track low-passed over time (Gaussian, `sigma` frames), averaging only the frames where it is
    present; gaps stay gaps. Optical noise is white from frame to frame, motion at 120 fps is not."""
    from scipy.ndimage import gaussian_filter1d

    weight = gaussian_filter1d(mask.astype(np.float64), sigma, axis=0, mode="nearest")
    total = gaussian_filter1d(markers * mask[..., None], sigma, axis=0, mode="nearest")
    return np.where(mask[..., None], total / np.maximum(weight, 1e-12)[..., None], 0.0)


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
    return rotations.matrix_to_axis_angle(rotation), trans


def _predict(pose, trans, betas, offsets):
    joints, rots = forward_kinematics(pose, trans, betas, return_rotations=True)
    markers = joints[:, _GATHER] + (rots[:, _GATHER] @ offsets[..., None])[..., 0]
    return markers, joints, rots


@functools.lru_cache(maxsize=8)
def _tree(params: tuple[int, ...]) -> Tree:
    return Tree(np.array(params), MARKER_JOINTS)


def _rotvec_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The world-frame rotation vector that turns rotation matrices `a` into `b` (b = exp(w) a)."""
    return rotations.matrix_to_axis_angle(b @ np.swapaxes(a, -1, -2))


def _neighbour_targets(rots: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Per frame and parameter joint, the world-frame rotation vector toward the midpoint of the neighbours'."""
    r = rots[:, params]
    targets = np.zeros(r.shape[:-1])
    if len(r) > 2:
        half = 0.5 * _rotvec_between(r[:-2], r[2:])
        middle = rotations.axis_angle_to_matrix(half) @ r[:-2]
        targets[1:-1] = _rotvec_between(r[1:-1], middle)
    return targets


def _cost(markers, mask, predicted) -> np.ndarray:
    """Per frame, the sum of squared distances of the predicted markers to the present ones."""
    return (((predicted - markers) ** 2).sum(-1) * mask).sum(-1)


def _apply(pose, trans, rots, params, step):
    """The pose after world-frame turns w at the `params` joints (local_a <- local_a exp(R_a^T w)) and the shift."""
    return turn(pose, rots, params, step), trans + step[:, 0]


def gauss_newton(markers, mask, pose, trans, betas, offsets, params, iterations, options, smooth=False):
    """Levenberg-Marquardt on pose (T, 55, 3) and trans (T, 3) over the `params` joints, each frame with its own
    damping (a step that does not lower a frame's error is refused and its damping raised); with `smooth`, the
    rotations are also pulled toward their neighbours' midpoint and every step is taken. A weak prior pulls
    each local rotation toward rest, which settles what the markers leave free (twist about a bone between
    joint-centre markers, the foot between ankle and toe)."""
    pose, trans = pose.copy(), trans.copy()
    tree = _tree(tuple(int(j) for j in params))
    damping = np.full(len(pose), options.damping)
    predicted, joints, rots = _predict(pose, trans, betas, offsets)
    cost = _cost(markers, mask, predicted)
    weight = mask.astype(np.float64)
    for _ in range(iterations):
        # toward rest: the world turn w = -R_a v_a undoes a small local rotation v_a
        extra = np.zeros((len(pose), tree.size, 3))
        extra[:, 1:] = -options.pose_prior * np.einsum("tpij,tpj->tpi", rots[:, params], pose[:, params])
        if smooth:
            extra[:, 1:] += options.smoothness * _neighbour_targets(rots, params)
        step = tree.steps(markers, weight, predicted, joints, damping,
                          options.pose_prior + (options.smoothness if smooth else 0.0), extra)
        candidate, shifted = _apply(pose, trans, rots, params, step)
        moved = _predict(candidate, shifted, betas, offsets)  # kept for the next step where taken
        new_cost = _cost(markers, mask, moved[0])
        better = np.ones(len(pose), dtype=bool) if smooth else new_cost < cost
        pose[better], trans[better], cost[better] = candidate[better], shifted[better], new_cost[better]
        for kept, new in zip((predicted, joints, rots), moved):
            kept[better] = new[better]
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


def solve_subject(markers, mask, pose, trans, betas, offsets, options, nominal):
    """Closed-form betas and offsets for fixed rotations (ridge-regularized least squares; the offsets shrink
    toward the layout's `nominal` ones)."""
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
    rhs[NUM_BETAS:] += options.offset_prior * len(markers) * nominal.reshape(-1)
    solution = np.linalg.solve(normal, rhs)
    return solution[:NUM_BETAS], solution[NUM_BETAS:].reshape(rows, 3)


def fit_markers(markers: np.ndarray, options: FitOptions = FitOptions(), name: str = "markers",
                gender: str = "neutral", layout_offsets: np.ndarray | None = None) -> FitResult:
    """Fit one person's marker skeleton; see the module docstring."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"):  # thousands of tiny solves: threads only wait on each other
        return _fit(markers, options, name, gender, MARKER_OFFSETS if layout_offsets is None else layout_offsets)


def _fit(markers, options, name, gender, nominal) -> FitResult:
    markers = check_markers(markers, name)
    nominal = np.asarray(nominal, dtype=np.float64)
    if nominal.shape != (NUM_MARKER_ROWS, 3):
        raise ValueError(f"layout offsets must be ({NUM_MARKER_ROWS}, 3), got {nominal.shape}")
    mask = marker_mask(markers)
    observed = np.where(mask[..., None], markers, 0.0)  # gaps hold no numbers (NaN would spread through the sums)
    markers = smooth_tracks(observed, mask, options.marker_smoothing) if options.marker_smoothing > 0 else observed
    frames = len(markers)
    missing = [int(r) for r in np.flatnonzero(MARKER_JOINTS >= 0) if not mask[:, r].any()]
    params = [j for j in range(NUM_JOINTS) if j not in FACE]
    for hand in (LEFT_HAND, RIGHT_HAND):
        if not mask[:, np.isin(MARKER_JOINTS, hand)].any():
            params = [j for j in params if j not in hand]
    params = np.asarray(params)
    betas, offsets = np.zeros(NUM_BETAS), np.array(nominal, dtype=np.float64)

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
    for round_ in range(options.subject_rounds):
        pose, trans = gauss_newton(markers[chosen], mask[chosen], pose, trans, betas, offsets, params,
                                   options.coarse_iterations if round_ == 0 else options.subject_iterations, options)
        solved = solve_subject(markers[chosen], mask[chosen], pose, trans, betas, offsets, options, nominal)
        # over-relaxed: the poses follow each shape change part of the way, so alternation alone creeps
        betas = betas + options.subject_relaxation * (solved[0] - betas)
        offsets = offsets + options.subject_relaxation * (solved[1] - offsets)

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
    residual = float(np.linalg.norm(fitted - observed, axis=-1)[mask].mean() * 1000)
    p = pose.astype(np.float32)
    motion = PersonMotion(root_orient=p[:, 0], pose_body=p[:, 1:22], pose_lhand=p[:, 25:40], pose_rhand=p[:, 40:55],
                          trans=trans.astype(np.float32), betas=betas.astype(np.float32), gender=gender)
    return FitResult(motion, offsets, residual, missing)


def _interpolate_rotations(pose: np.ndarray, at: np.ndarray, frames: int) -> np.ndarray:
    """Per joint, spherical interpolation of the rotations solved at frames `at` (ascending) to every frame."""
    if len(at) == 1:
        return np.broadcast_to(pose, (frames, NUM_JOINTS, 3)).copy()
    times = np.arange(frames)
    left = np.clip(np.searchsorted(at, times, side="right") - 1, 0, len(at) - 2)
    fraction = ((times - at[left]) / (at[left + 1] - at[left]))[:, None, None]
    start, end = rotations.axis_angle_to_matrix(pose[left]), rotations.axis_angle_to_matrix(pose[left + 1])
    between = rotations.matrix_to_axis_angle(np.swapaxes(start, -1, -2) @ end)
    return rotations.matrix_to_axis_angle(start @ rotations.axis_angle_to_matrix(fraction * between))
