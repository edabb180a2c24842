"""Differentiable rotation conversions in torch, batched over any leading shape.

The same functions and conventions as `interx.body.rotations` (numpy), for use
inside models and losses:

- matrices act on column vectors, ``v' = R @ v``;
- axis-angle is the unit axis times the angle in radians (right-hand rule);
- quaternions are scalar-first ``(w, x, y, z)``, as in PyTorch3D;
- 6D is the first two ROWS of the matrix, ``R[..., :2, :]`` flattened, as in
  PyTorch3D, because the official Inter-X evaluator uses this convention.

Small angles go through Taylor series, so gradients are finite and correct at
exactly zero rotation, where a rest pose starts. float32 and float64 keep their
dtype; other inputs become the default float dtype.
"""

from __future__ import annotations

import torch

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

# Below this squared angle (0.1 rad) the half-angle terms use their Taylor series.
_SMALL_ANGLE2 = 1e-2
# Below this (sin(angle/2) / cos(angle/2))**2 the axis-angle scale uses its series.
_SMALL_TAN2 = 1e-6


def _as_float(x, tail: tuple[int, ...], name: str) -> torch.Tensor:
    x = torch.as_tensor(x)
    if tuple(x.shape[-len(tail):]) != tail:
        raise ValueError(f"{name} must have shape (..., {', '.join(map(str, tail))}), got {tuple(x.shape)}")
    if not x.is_floating_point():
        x = x.to(torch.get_default_dtype())
    return x


def _half_angle_terms(angle2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """sin(angle/2) / angle and cos(angle/2) from the squared angle.

    Both branches stay finite everywhere (the exact one sees angle 1 where the
    series is used), so torch.where passes no NaN gradient through.
    """
    small = angle2 < _SMALL_ANGLE2
    angle = torch.sqrt(torch.where(small, torch.ones_like(angle2), angle2))
    x2 = angle2 / 4
    sin_series = 0.5 * (1 - x2 / 6 * (1 - x2 / 20 * (1 - x2 / 42 * (1 - x2 / 72))))
    cos_series = 1 - x2 / 2 * (1 - x2 / 12 * (1 - x2 / 30 * (1 - x2 / 56)))
    half = angle / 2
    return (
        torch.where(small, sin_series, torch.sin(half) / angle),
        torch.where(small, cos_series, torch.cos(half)),
    )


def _quaternion_parts_to_matrix(w, x, y, z, two) -> torch.Tensor:
    """Matrix of the quaternion (w, x, y, z) scaled so that ``two = 2 / |q|^2``."""
    tx, ty, tz = two * x, two * y, two * z
    xx, yy, zz = tx * x, ty * y, tz * z
    xy, xz, yz = tx * y, tx * z, ty * z
    wx, wy, wz = tx * w, ty * w, tz * w
    flat = torch.stack(
        (
            1 - yy - zz, xy - wz, xz + wy,
            xy + wz, 1 - xx - zz, yz - wx,
            xz - wy, yz + wx, 1 - xx - yy,
        ),
        dim=-1,
    )
    return flat.reshape(flat.shape[:-1] + (3, 3))


def axis_angle_to_matrix(aa) -> torch.Tensor:
    """Rodrigues' formula, (..., 3) -> (..., 3, 3), via the half-angle quaternion.

    Twin of `rotations.axis_angle_to_matrix`: change the two together.
    """
    aa = _as_float(aa, (3,), "aa")
    x, y, z = aa.unbind(-1)
    sin_over_angle, cos_half = _half_angle_terms(x * x + y * y + z * z)
    return _quaternion_parts_to_matrix(
        cos_half, sin_over_angle * x, sin_over_angle * y, sin_over_angle * z, 2.0
    )


def axis_angle_to_quaternion(aa) -> torch.Tensor:
    """(..., 3) -> (..., 4) scalar-first unit quaternion.

    Twin of `rotations.axis_angle_to_quaternion`: change the two together.
    """
    aa = _as_float(aa, (3,), "aa")
    sin_over_angle, cos_half = _half_angle_terms(torch.sum(aa * aa, dim=-1))
    return torch.cat((cos_half[..., None], sin_over_angle[..., None] * aa), dim=-1)


def quaternion_to_axis_angle(q) -> torch.Tensor:
    """(..., 4) -> (..., 3) with the angle in [0, pi]; q and -q give the same result
    (except at w == 0, a half turn, where +aa and -aa are equally right).

    The angle is ``2 * atan2(|v|, |w|)``, well conditioned at 0 and at pi; the
    scale ``angle / |v|`` uses its series when |v| is tiny relative to w.

    Twin of `rotations.quaternion_to_axis_angle`: change the two together.
    """
    q = _as_float(q, (4,), "q")
    w, v = q[..., 0], q[..., 1:]
    abs_w = w.abs()
    norm2 = torch.sum(v * v, dim=-1)
    small = norm2 < _SMALL_TAN2 * abs_w * abs_w
    ones = torch.ones_like(norm2)
    safe_w = torch.where(small, abs_w, ones)
    safe_norm = torch.sqrt(torch.where(small, ones, norm2))
    tan2 = norm2 / (safe_w * safe_w)
    scale = torch.where(
        small,
        2 / safe_w * (1 - tan2 / 3 + tan2 * tan2 / 5),
        2 * torch.atan2(safe_norm, abs_w) / safe_norm,
    )
    return torch.where(w < 0, -scale, scale)[..., None] * v


def quaternion_to_matrix(q) -> torch.Tensor:
    """(..., 4) -> (..., 3, 3); q need not be unit (it is normalized implicitly).

    Twin of `rotations.quaternion_to_matrix`: change the two together.
    """
    q = _as_float(q, (4,), "q")
    w, x, y, z = q.unbind(-1)
    return _quaternion_parts_to_matrix(w, x, y, z, 2 / (w * w + x * x + y * y + z * z))


def matrix_to_quaternion(R) -> torch.Tensor:
    """(..., 3, 3) -> (..., 4) unit quaternion with w >= 0.

    The symmetric matrix M with ``M[i, j] = 4 q_i q_j`` is affine in R; its row
    with the largest diagonal entry (at least 1, as the diagonal sums to 4)
    divided by ``2 sqrt(M[k, k])`` gives q with no cancellation.

    Twin of `rotations.matrix_to_quaternion`: change the two together.
    """
    R = _as_float(R, (3, 3), "R")
    (r00, r01, r02), (r10, r11, r12), (r20, r21, r22) = (row.unbind(-1) for row in R.unbind(-2))
    ww = 1 + r00 + r11 + r22
    xx = 1 + r00 - r11 - r22
    yy = 1 - r00 + r11 - r22
    zz = 1 - r00 - r11 + r22
    wx, wy, wz = r21 - r12, r02 - r20, r10 - r01
    xy, xz, yz = r10 + r01, r02 + r20, r12 + r21
    M = torch.stack(
        (
            ww, wx, wy, wz,
            wx, xx, xy, xz,
            wy, xy, yy, yz,
            wz, xz, yz, zz,
        ),
        dim=-1,
    ).reshape(ww.shape + (4, 4))
    diagonal, best = M.diagonal(dim1=-2, dim2=-1).max(dim=-1, keepdim=True)
    row = torch.gather(M, -2, best[..., None].expand(best.shape + (4,))).squeeze(-2)
    q = row / (2 * torch.sqrt(diagonal))
    return torch.where(q[..., :1] < 0, -q, q)


def matrix_to_axis_angle(R) -> torch.Tensor:
    """(..., 3, 3) -> (..., 3) with the angle in [0, pi], robust at 0 and at pi.

    Twin of `rotations.matrix_to_axis_angle`: change the two together.
    """
    return quaternion_to_axis_angle(matrix_to_quaternion(R))


def matrix_to_rotation_6d(R) -> torch.Tensor:
    """(..., 3, 3) -> (..., 6): the first two rows, flattened (PyTorch3D convention).

    Returns a view of R when its layout allows (a contiguous R does), not a copy.

    Twin of `rotations.matrix_to_rotation_6d`: change the two together.
    """
    R = _as_float(R, (3, 3), "R")
    return R[..., :2, :].reshape(R.shape[:-2] + (6,))


def rotation_6d_to_matrix(d6) -> torch.Tensor:
    """(..., 6) -> (..., 3, 3) by Gram-Schmidt; the results are the ROWS b1, b2, b3.

    Twin of `rotations.rotation_6d_to_matrix`: change the two together.
    """
    d6 = _as_float(d6, (6,), "d6")
    a1, a2 = d6[..., :3], d6[..., 3:]
    b1 = a1 / torch.linalg.vector_norm(a1, dim=-1, keepdim=True)
    b2 = a2 - torch.sum(b1 * a2, dim=-1, keepdim=True) * b1
    b2 = b2 / torch.linalg.vector_norm(b2, dim=-1, keepdim=True)
    return torch.stack((b1, b2, torch.linalg.cross(b1, b2, dim=-1)), dim=-2)


def axis_angle_to_rotation_6d(aa) -> torch.Tensor:
    """(..., 3) -> (..., 6).

    Twin of `rotations.axis_angle_to_rotation_6d`: change the two together.
    """
    return matrix_to_rotation_6d(axis_angle_to_matrix(aa))


def rotation_6d_to_axis_angle(d6) -> torch.Tensor:
    """(..., 6) -> (..., 3) with the angle in [0, pi].

    Twin of `rotations.rotation_6d_to_axis_angle`: change the two together.
    """
    return matrix_to_axis_angle(rotation_6d_to_matrix(d6))
