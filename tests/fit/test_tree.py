"""The tree-shaped Levenberg-Marquardt step: the same step as dense least squares, and turns composed exactly."""

import numpy as np
from scipy.spatial.transform import Rotation

from interx.body.fk import forward_kinematics
from interx.fit.solver import FACE, _predict, marker_mask
from interx.fit.tree import Tree, turn
from interx.synth.markers import MARKER_JOINTS, MARKER_OFFSETS, markers_from_body


def predict(pose, trans):
    return _predict(pose, trans, None, MARKER_OFFSETS)


def random_frames(rng, frames=3):
    pose = np.zeros((frames, 55, 3))
    pose[:, :22] = rng.normal(0, 0.3, (frames, 22, 3))
    pose[:, 25:] = rng.normal(0, 0.2, (frames, 30, 3))
    return pose, rng.normal(0, 0.1, (frames, 3))


def test_turn_composes_each_local_rotation_with_the_world_turn_seen_from_the_joint():
    rng = np.random.default_rng(0)
    pose, _ = random_frames(rng, 4)
    rots = Rotation.random(4 * 55, random_state=1).as_matrix().reshape(4, 55, 3, 3)
    params = np.arange(22)
    step = rng.normal(0, 0.5, (4, 23, 3))
    out = turn(pose, rots, params, step)
    for j in params:
        local = np.einsum("tji,tj->ti", rots[:, j], step[:, j + 1])
        expected = Rotation.from_rotvec(pose[:, j]) * Rotation.from_rotvec(local)
        np.testing.assert_allclose((expected.inv() * Rotation.from_rotvec(out[:, j])).magnitude(), 0, atol=1e-9)
    np.testing.assert_array_equal(out[:, 22:], pose[:, 22:])


def test_tree_step_equals_the_dense_damped_least_squares_step():
    rng = np.random.default_rng(3)
    truth_pose, truth_trans = random_frames(rng)
    joints, rots = forward_kinematics(truth_pose, truth_trans, None, return_rotations=True)
    markers = markers_from_body(joints, rots).astype(np.float64)
    mask = marker_mask(markers) & (rng.random(markers.shape[:2]) > 0.1)
    pose, trans = truth_pose + rng.normal(0, 0.05, truth_pose.shape), truth_trans + 0.02
    for params in (np.array([j for j in range(55) if j not in FACE]), np.arange(22)):
        tree = Tree(params, MARKER_JOINTS)
        predicted, joints, rots = predict(pose, trans)
        # the Jacobian of the markers with respect to each node's turn, by central differences
        eps, frames = 1e-6, len(pose)
        jac = np.zeros((frames, 64 * 3, tree.size * 3))
        for node in range(tree.size):
            for c in range(3):
                step = np.zeros((frames, tree.size, 3))
                step[:, node, c] = eps
                plus = predict(turn(pose, rots, params, step), trans + step[:, 0])[0]
                minus = predict(turn(pose, rots, params, -step), trans - step[:, 0])[0]
                jac[:, :, 3 * node + c] = ((plus - minus) * mask[..., None]).reshape(frames, -1) / (2 * eps)
        residual = ((markers - predicted) * mask[..., None]).reshape(frames, -1)
        extra = rng.normal(0, 1e-3, (frames, tree.size, 3))
        normal = np.swapaxes(jac, 1, 2) @ jac
        damping = np.array([0.0, 0.01, 1.0])
        diagonal = np.diagonal(normal, axis1=1, axis2=2)
        normal = normal + np.stack([np.diag(d * (x + 1e-4) + np.r_[np.zeros(3), np.full(3 * tree.size - 3, 1e-3)])
                                    for d, x in zip(damping, diagonal)])
        rhs = (np.swapaxes(jac, 1, 2) @ residual[..., None])[..., 0] + extra.reshape(frames, -1)
        expected = np.linalg.solve(normal, rhs[..., None])[..., 0]
        got = tree.steps(markers, mask.astype(float), predicted, joints, damping, 1e-3, extra).reshape(frames, -1)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * np.abs(expected).max())
