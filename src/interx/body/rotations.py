"""Rotation conversions in numpy, batched over any leading shape.

SMPL-X poses are stored as axis-angle, the evaluator features and most models
use the 6D representation, and quaternions are the robust route between
matrices and axis-angle; these are the conversions between them, vectorized for
millions of frames. The names and conventions match `rotations_torch`:

- matrices act on column vectors, ``v' = R @ v``;
- axis-angle is the unit axis times the angle in radians (right-hand rule);
- quaternions are scalar-first ``(w, x, y, z)``, as in PyTorch3D;
- 6D is the first two ROWS of the matrix, ``R[..., :2, :]`` flattened, as in
  PyTorch3D. The official Inter-X evaluator uses this convention, so features
  computed with the columns instead would silently differ from the official ones.

float32 and float64 inputs keep their dtype; other inputs become float64.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "axis_angle_to_matrix",
    "matrix_to_axis_angle",
    "axis_angle_to_quaternion",
    "quaternion_to_axis_angle",
    "quaternion_to_matrix",
    "matrix_to_quaternion",
    "matrix_to_rotation_6d",
    "rotation_6d_to_matrix",
    "axis_angle_to_rotation_6d",
    "rotation_6d_to_axis_angle",
]

# Below this (sin(angle/2) / cos(angle/2))**2 the axis-angle scale uses its series.
_SMALL_TAN2 = 1e-6


def _as_float(x, tail: tuple[int, ...], name: str) -> np.ndarray:
    x = np.asarray(x)
    if x.shape[-len(tail):] != tail:
        raise ValueError(f"{name} must have shape (..., {', '.join(map(str, tail))}), got {x.shape}")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    return x


def _columns(x, tail: tuple[int, ...], name: str) -> np.ndarray:
    """Float array with the `tail` component axes moved first and made contiguous.

    Components are then contiguous 1-D sweeps instead of strided reads, which
    makes the element-wise arithmetic below markedly faster on large batches.
    """
    x = _as_float(x, tail, name)
    n = len(tail)
    return np.ascontiguousarray(np.moveaxis(x, tuple(range(-n, 0)), tuple(range(n))))


def _components_last(parts) -> np.ndarray:
    """Stack component arrays along a new last axis (contiguous result).

    Stacking along a new first axis and transposing once is about twice as fast
    as stacking along the last axis directly.
    """
    return np.ascontiguousarray(np.moveaxis(np.stack(parts), 0, -1))


def _quaternion_parts_to_matrix(w, x, y, z, two) -> np.ndarray:
    """Matrix of the quaternion (w, x, y, z) scaled so that ``two = 2 / |q|^2``."""
    tx, ty, tz = two * x, two * y, two * z
    xx, yy, zz = tx * x, ty * y, tz * z
    xy, xz, yz = tx * y, tx * z, ty * z
    wx, wy, wz = tx * w, ty * w, tz * w
    flat = _components_last(
        (
            1 - yy - zz, xy - wz, xz + wy,
            xy + wz, 1 - xx - zz, yz - wx,
            xz - wy, yz + wx, 1 - xx - yy,
        )
    )
    return flat.reshape(flat.shape[:-1] + (3, 3))


def _half_angle_terms(angle2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sin(angle/2) / angle and cos(angle/2) from the squared angle.

    Neither has cancellation, so only angle 0 (0/0, limit 1/2) needs care here;
    the torch module adds a Taylor branch for its gradients.
    """
    nonzero = angle2 > 0
    angle = np.sqrt(angle2)
    half = angle / 2
    return np.where(nonzero, np.sin(half) / np.where(nonzero, angle, 1.0), 0.5), np.cos(half)


def axis_angle_to_matrix(aa) -> np.ndarray:
    """Rodrigues' formula, (..., 3) -> (..., 3, 3), via the half-angle quaternion.

    Twin of `rotations_torch.axis_angle_to_matrix`: change the two together.
    """
    x, y, z = _columns(aa, (3,), "aa")
    sin_over_angle, cos_half = _half_angle_terms(x * x + y * y + z * z)
    return _quaternion_parts_to_matrix(
        cos_half, sin_over_angle * x, sin_over_angle * y, sin_over_angle * z, 2.0
    )


def axis_angle_to_quaternion(aa) -> np.ndarray:
    """(..., 3) -> (..., 4) scalar-first unit quaternion.

    Twin of `rotations_torch.axis_angle_to_quaternion`: change the two together.
    """
    x, y, z = _columns(aa, (3,), "aa")
    sin_over_angle, cos_half = _half_angle_terms(x * x + y * y + z * z)
    return _components_last((cos_half, sin_over_angle * x, sin_over_angle * y, sin_over_angle * z))


def quaternion_to_axis_angle(q) -> np.ndarray:
    """(..., 4) -> (..., 3) with the angle in [0, pi]; q and -q give the same result
    (except at w == 0, a half turn, where +aa and -aa are equally right).

    The angle is ``2 * atan2(|v|, |w|)``, well conditioned at 0 and at pi; the
    scale ``angle / |v|`` uses its series when |v| is tiny relative to w.

    Twin of `rotations_torch.quaternion_to_axis_angle`: change the two together.
    """
    w, x, y, z = _columns(q, (4,), "q")
    abs_w = np.abs(w)
    norm2 = x * x + y * y + z * z
    small = norm2 < _SMALL_TAN2 * abs_w * abs_w
    safe_w = np.where(small, abs_w, 1.0)
    safe_norm = np.sqrt(np.where(small, 1.0, norm2))
    tan2 = norm2 / (safe_w * safe_w)
    scale = np.where(
        small,
        2 / safe_w * (1 - tan2 / 3 + tan2 * tan2 / 5),
        2 * np.arctan2(safe_norm, abs_w) / safe_norm,
    )
    scale = np.where(w < 0, -scale, scale)
    return _components_last((scale * x, scale * y, scale * z))


def quaternion_to_matrix(q) -> np.ndarray:
    """(..., 4) -> (..., 3, 3); q need not be unit (it is normalized implicitly).

    Twin of `rotations_torch.quaternion_to_matrix`: change the two together.
    """
    w, x, y, z = _columns(q, (4,), "q")
    return _quaternion_parts_to_matrix(w, x, y, z, 2 / (w * w + x * x + y * y + z * z))


def matrix_to_quaternion(R) -> np.ndarray:
    """(..., 3, 3) -> (..., 4) unit quaternion with w >= 0.

    The symmetric matrix M with ``M[i, j] = 4 q_i q_j`` is affine in R; its row
    with the largest diagonal entry (at least 1, as the diagonal sums to 4)
    divided by ``2 sqrt(M[k, k])`` gives q with no cancellation.

    Twin of `rotations_torch.matrix_to_quaternion`: change the two together.
    """
    (r00, r01, r02), (r10, r11, r12), (r20, r21, r22) = _columns(R, (3, 3), "R")
    ww = 1 + r00 + r11 + r22
    xx = 1 + r00 - r11 - r22
    yy = 1 - r00 + r11 - r22
    zz = 1 - r00 - r11 + r22
    wx, wy, wz = r21 - r12, r02 - r20, r10 - r01
    xy, xz, yz = r10 + r01, r02 + r20, r12 + r21
    M = np.stack(
        (
            ww, wx, wy, wz,
            wx, xx, xy, xz,
            wy, xy, yy, yz,
            wz, xz, yz, zz,
        )
    ).reshape((4, 4) + ww.shape)
    best = np.argmax(np.stack((ww, xx, yy, zz)), axis=0)[np.newaxis]
    q = np.take_along_axis(M, best[np.newaxis], axis=0)[0]
    q /= 2 * np.sqrt(np.take_along_axis(q, best, axis=0))
    np.negative(q, out=q, where=q[0] < 0)
    return np.ascontiguousarray(np.moveaxis(q, 0, -1))


def matrix_to_axis_angle(R) -> np.ndarray:
    """(..., 3, 3) -> (..., 3) with the angle in [0, pi], robust at 0 and at pi.

    Twin of `rotations_torch.matrix_to_axis_angle`: change the two together.
    """
    return quaternion_to_axis_angle(matrix_to_quaternion(R))


def matrix_to_rotation_6d(R) -> np.ndarray:
    """(..., 3, 3) -> (..., 6): the first two rows, flattened (PyTorch3D convention).

    Returns a view of R when its layout allows (a contiguous R does), not a copy.

    Twin of `rotations_torch.matrix_to_rotation_6d`: change the two together.
    """
    R = _as_float(R, (3, 3), "R")
    return R[..., :2, :].reshape(R.shape[:-2] + (6,))


def rotation_6d_to_matrix(d6) -> np.ndarray:
    """(..., 6) -> (..., 3, 3) by Gram-Schmidt; the results are the ROWS b1, b2, b3.

    Twin of `rotations_torch.rotation_6d_to_matrix`: change the two together.
    """
    a1x, a1y, a1z, a2x, a2y, a2z = _columns(d6, (6,), "d6")
    inv = 1 / np.sqrt(a1x * a1x + a1y * a1y + a1z * a1z)
    b1x, b1y, b1z = a1x * inv, a1y * inv, a1z * inv
    dot = b1x * a2x + b1y * a2y + b1z * a2z
    b2x, b2y, b2z = a2x - dot * b1x, a2y - dot * b1y, a2z - dot * b1z
    inv = 1 / np.sqrt(b2x * b2x + b2y * b2y + b2z * b2z)
    b2x, b2y, b2z = b2x * inv, b2y * inv, b2z * inv
    flat = _components_last(
        (
            b1x, b1y, b1z,
            b2x, b2y, b2z,
            b1y * b2z - b1z * b2y, b1z * b2x - b1x * b2z, b1x * b2y - b1y * b2x,
        )
    )
    return flat.reshape(flat.shape[:-1] + (3, 3))


def axis_angle_to_rotation_6d(aa) -> np.ndarray:
    """(..., 3) -> (..., 6).

    Twin of `rotations_torch.axis_angle_to_rotation_6d`: change the two together.
    """
    return matrix_to_rotation_6d(axis_angle_to_matrix(aa))


def rotation_6d_to_axis_angle(d6) -> np.ndarray:
    """(..., 6) -> (..., 3) with the angle in [0, pi].

    Twin of `rotations_torch.rotation_6d_to_axis_angle`: change the two together.
    """
    return matrix_to_axis_angle(rotation_6d_to_matrix(d6))
