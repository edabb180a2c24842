"""One Levenberg-Marquardt step per frame for a body whose markers hang on a kinematic tree.

The unknowns of a frame are the translation (node 0) and a small world-frame
turn of every fitted joint (node k, joint `params[k - 1]`). A marker moves
with the translation and with the turn of every joint above it, so the
normal matrix has a 3x3 block only where one node lies above the other.
Eliminating nodes from the leaves up then fills nothing in: a frame costs
the sum of its squared depths in 3x3 blocks (about 3,000 for the whole body
with hands) instead of a dense 160 x 160 factorization, and the blocks come
from sums over the markers below each node rather than from a Jacobian.
The whole step is one compiled loop, parallel over frames.
"""

from __future__ import annotations

import numba
import numpy as np

from interx.body.markers import NUM_MARKER_ROWS
from interx.body.skeleton import NUM_JOINTS, PARENTS


class Tree:
    """The node layout for the fitted joints `params` (each with all its ancestors fitted too)."""

    def __init__(self, params: np.ndarray, marker_joints: np.ndarray):
        self.params = np.asarray(params, dtype=np.int64)
        if np.any(np.diff(self.params) <= 0):  # a parent precedes its children in SMPL-X, so nodes stay in tree order
            raise ValueError(f"params must be ascending joint indices, got {self.params.tolist()}")
        node = {int(j): k + 1 for k, j in enumerate(self.params)}
        self.size = len(self.params) + 1
        depth = 1 + max(len(_ancestors(j)) for j in range(NUM_JOINTS))
        # per node, the nodes above it in ascending order (node 0, the translation, is above every other)
        self.chains = np.zeros((self.size, depth), dtype=np.int64)
        self.chain_lengths = np.zeros(self.size, dtype=np.int64)
        for k, j in enumerate(self.params, start=1):
            above = [0] + sorted(node[a] for a in _ancestors(j))
            self.chains[k, :len(above)] = above
            self.chain_lengths[k] = len(above)
        # per marker row, the nodes it moves with (node 0 and every fitted joint from its own up)
        self.row_nodes = np.zeros((NUM_MARKER_ROWS, depth + 1), dtype=np.int64)
        self.row_lengths = np.zeros(NUM_MARKER_ROWS, dtype=np.int64)
        for r, j in enumerate(marker_joints):
            if j < 0:
                continue
            moves = [0] + sorted(node[a] for a in [int(j), *_ancestors(int(j))] if a in node)
            self.row_nodes[r, :len(moves)] = moves
            self.row_lengths[r] = len(moves)

    def steps(self, markers, weight, predicted, joints, damping, rotation_extra, gradient_extra) -> np.ndarray:
        """Per frame, the step `(T, size, 3)`: node 0 a shift, the others world-frame rotation vectors.

        markers, predicted `(T, 64, 3)`; weight `(T, 64)`; joints `(T, 55, 3)`;
        damping `(T,)` scales the diagonal (Marquardt); `rotation_extra` is added
        to every rotation node's diagonal and `gradient_extra` `(T, size, 3)` to
        the right-hand side (priors)."""
        centres = np.zeros((len(weight), self.size, 3))
        centres[:, 1:] = joints[:, self.params]
        out = np.empty((len(weight), self.size, 3))
        _steps_kernel(np.ascontiguousarray(markers, dtype=np.float64), np.ascontiguousarray(weight, dtype=np.float64),
                      np.ascontiguousarray(predicted, dtype=np.float64), centres, self.row_nodes, self.row_lengths,
                      self.chains, self.chain_lengths, np.ascontiguousarray(damping, dtype=np.float64),
                      float(rotation_extra), np.ascontiguousarray(gradient_extra, dtype=np.float64), out)
        return out


def _ancestors(j: int) -> list[int]:
    out, a = [], PARENTS[j]
    while a >= 0:
        out.append(int(a))
        a = PARENTS[a]
    return out


@numba.njit(inline="always")
def _inverse3(m, out):
    a, b, c = m[0, 0], m[0, 1], m[0, 2]
    d, e, f = m[1, 0], m[1, 1], m[1, 2]
    g, h, i = m[2, 0], m[2, 1], m[2, 2]
    co0, co1, co2 = e * i - f * h, f * g - d * i, d * h - e * g
    inv_det = 1.0 / (a * co0 + b * co1 + c * co2)
    out[0, 0], out[0, 1], out[0, 2] = co0 * inv_det, (c * h - b * i) * inv_det, (b * f - c * e) * inv_det
    out[1, 0], out[1, 1], out[1, 2] = co1 * inv_det, (a * i - c * g) * inv_det, (c * d - a * f) * inv_det
    out[2, 0], out[2, 1], out[2, 2] = co2 * inv_det, (b * g - a * h) * inv_det, (a * e - b * d) * inv_det


@numba.njit(parallel=True, cache=True)
def _steps_kernel(markers, weight, predicted, centres, row_nodes, row_lengths, chains, chain_lengths, damping,
                  rotation_extra, gradient_extra, out):
    frames, rows = weight.shape
    size = chains.shape[0]
    for t in numba.prange(frames):
        # sums over the markers below each node: w, w p, w p p^T, e, p x e (e = w (m - p))
        s0 = np.zeros(size)
        s1 = np.zeros((size, 3))
        s2 = np.zeros((size, 3, 3))
        total = np.zeros((size, 3))
        moment = np.zeros((size, 3))
        for r in range(rows):
            w = weight[t, r]
            if w == 0.0:
                continue
            p = predicted[t, r]
            e0, e1, e2 = w * (markers[t, r, 0] - p[0]), w * (markers[t, r, 1] - p[1]), w * (markers[t, r, 2] - p[2])
            x0, x1, x2 = p[1] * e2 - p[2] * e1, p[2] * e0 - p[0] * e2, p[0] * e1 - p[1] * e0
            for k in range(row_lengths[r]):
                nd = row_nodes[r, k]
                s0[nd] += w
                for c in range(3):
                    s1[nd, c] += w * p[c]
                    for d in range(3):
                        s2[nd, c, d] += w * p[c] * p[d]
                total[nd, 0] += e0
                total[nd, 1] += e1
                total[nd, 2] += e2
                moment[nd, 0] += x0
                moment[nd, 1] += x1
                moment[nd, 2] += x2
        normal = np.zeros((size, size, 3, 3))
        gradient = np.zeros((size, 3))
        q = np.empty((3, 3))
        for c in range(3):
            normal[0, 0, c, c] = s0[0]
            gradient[0, c] = total[0, c]
        for b in range(1, size):
            jb = centres[t, b]
            v0, v1, v2 = s1[b, 0] - s0[b] * jb[0], s1[b, 1] - s0[b] * jb[1], s1[b, 2] - s0[b] * jb[2]
            # translation-rotation: -skew(v) above, skew(v) below
            normal[0, b, 0, 1], normal[0, b, 0, 2], normal[0, b, 1, 2] = v2, -v1, v0
            normal[0, b, 1, 0], normal[0, b, 2, 0], normal[0, b, 2, 1] = -v2, v1, -v0
            for c in range(3):
                for d in range(3):
                    normal[b, 0, c, d] = normal[0, b, d, c]
            gradient[b, 0] = moment[b, 0] - (jb[1] * total[b, 2] - jb[2] * total[b, 1])
            gradient[b, 1] = moment[b, 1] - (jb[2] * total[b, 0] - jb[0] * total[b, 2])
            gradient[b, 2] = moment[b, 2] - (jb[0] * total[b, 1] - jb[1] * total[b, 0])
            for k in range(1, chain_lengths[b] + 1):
                a = chains[b, k] if k < chain_lengths[b] else b
                ja = centres[t, a]
                # sum over the markers below b of (p - j_a)(p - j_b)^T; the block is tr(q) I - q^T
                for c in range(3):
                    for d in range(3):
                        q[c, d] = s2[b, c, d] - ja[c] * s1[b, d] - s1[b, c] * jb[d] + s0[b] * ja[c] * jb[d]
                trace = q[0, 0] + q[1, 1] + q[2, 2]
                for c in range(3):
                    for d in range(3):
                        value = (trace if c == d else 0.0) - q[d, c]
                        normal[a, b, c, d] = value
                        normal[b, a, d, c] = value
        for nd in range(size):
            for c in range(3):
                normal[nd, nd, c, c] += damping[t] * (normal[nd, nd, c, c] + 1e-4) + (rotation_extra if nd else 0.0)
                gradient[nd, c] += gradient_extra[t, nd, c]
        # eliminate from the leaves up (a node's index is above its descendants'), then substitute back
        inverses = np.zeros((size, 3, 3))
        coupling = np.empty((3, 3))
        for x in range(size - 1, 0, -1):
            _inverse3(normal[x, x], inverses[x])
            for i in range(chain_lengths[x]):
                ci = chains[x, i]
                for c in range(3):
                    for d in range(3):
                        coupling[c, d] = (normal[ci, x, c, 0] * inverses[x, 0, d] + normal[ci, x, c, 1]
                                          * inverses[x, 1, d] + normal[ci, x, c, 2] * inverses[x, 2, d])
                for j in range(chain_lengths[x]):
                    cj = chains[x, j]
                    for c in range(3):
                        for d in range(3):
                            normal[ci, cj, c, d] -= (coupling[c, 0] * normal[x, cj, 0, d] + coupling[c, 1]
                                                     * normal[x, cj, 1, d] + coupling[c, 2] * normal[x, cj, 2, d])
                for c in range(3):
                    gradient[ci, c] -= (coupling[c, 0] * gradient[x, 0] + coupling[c, 1] * gradient[x, 1]
                                        + coupling[c, 2] * gradient[x, 2])
        _inverse3(normal[0, 0], inverses[0])
        rhs = np.empty(3)
        for x in range(size):
            for c in range(3):
                rhs[c] = gradient[x, c]
            for i in range(chain_lengths[x]):
                ci = chains[x, i]
                for c in range(3):
                    rhs[c] -= normal[x, ci, c, 0] * out[t, ci, 0] + normal[x, ci, c, 1] * out[t, ci, 1] \
                        + normal[x, ci, c, 2] * out[t, ci, 2]
            for c in range(3):
                out[t, x, c] = inverses[x, c, 0] * rhs[0] + inverses[x, c, 1] * rhs[1] + inverses[x, c, 2] * rhs[2]


@numba.njit(inline="always")
def _quaternion(v0, v1, v2):
    angle = np.sqrt(v0 * v0 + v1 * v1 + v2 * v2)
    half = 0.5 * angle
    scale = np.sin(half) / angle if angle > 1e-8 else 0.5 - angle * angle / 48.0
    return np.cos(half), v0 * scale, v1 * scale, v2 * scale


@numba.njit(parallel=True, cache=True)
def _turn_kernel(pose, rots, params, step, out):
    for t in numba.prange(pose.shape[0]):
        for k in range(params.shape[0]):
            j = params[k]
            w = step[t, k + 1]
            r = rots[t, j]
            # the turn in the joint's own frame: R^T w
            u0 = r[0, 0] * w[0] + r[1, 0] * w[1] + r[2, 0] * w[2]
            u1 = r[0, 1] * w[0] + r[1, 1] * w[1] + r[2, 1] * w[2]
            u2 = r[0, 2] * w[0] + r[1, 2] * w[1] + r[2, 2] * w[2]
            aw, ax, ay, az = _quaternion(pose[t, j, 0], pose[t, j, 1], pose[t, j, 2])
            bw, bx, by, bz = _quaternion(u0, u1, u2)
            qw = aw * bw - ax * bx - ay * by - az * bz
            qx = aw * bx + ax * bw + ay * bz - az * by
            qy = aw * by - ax * bz + ay * bw + az * bx
            qz = aw * bz + ax * by - ay * bx + az * bw
            if qw < 0.0:
                qw, qx, qy, qz = -qw, -qx, -qy, -qz
            norm = np.sqrt(qx * qx + qy * qy + qz * qz)
            scale = 2.0 * np.arctan2(norm, qw) / norm if norm > 1e-8 else 2.0 / qw
            out[t, j, 0], out[t, j, 1], out[t, j, 2] = qx * scale, qy * scale, qz * scale


def turn(pose: np.ndarray, rots: np.ndarray, params: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The pose `(T, 55, 3)` after the world-frame turns `step[:, 1:]` at the `params` joints (world rotations
    `rots`): local_a <- local_a exp(R_a^T w_a). Other joints keep their rotation."""
    out = np.array(pose, dtype=np.float64, copy=True)
    _turn_kernel(np.ascontiguousarray(pose, dtype=np.float64), np.ascontiguousarray(rots, dtype=np.float64),
                 np.asarray(params, dtype=np.int64), np.ascontiguousarray(step, dtype=np.float64), out)
    return out
