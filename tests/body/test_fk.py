"""Forward kinematics against independent references and known body facts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from interx.body.fk import body_joints_torch, forward_kinematics, forward_kinematics_torch, pose_from_params
from interx.body.skeleton import JOINT_INDEX, NUM_JOINTS, PARENTS
from interx.body.template import rest_joints, shape_directions


def reference_fk(pose: np.ndarray, trans: np.ndarray, betas=None) -> tuple[np.ndarray, np.ndarray]:
    """Float64 FK of one frame written as the textbook recursion, with scipy rotations."""
    rest = rest_joints(betas)
    rot = np.zeros((NUM_JOINTS, 3, 3))
    joints = np.zeros((NUM_JOINTS, 3))
    for j in range(NUM_JOINTS):
        local = Rotation.from_rotvec(pose[j]).as_matrix()
        if j == 0:
            rot[0], joints[0] = local, rest[0] + trans
        else:
            p = PARENTS[j]
            rot[j] = rot[p] @ local
            joints[j] = joints[p] + rot[p] @ (rest[j] - rest[p])
    return joints, rot


def descendants(joint: int) -> set[int]:
    out = {joint}
    for j in range(NUM_JOINTS):
        if PARENTS[j] in out:
            out.add(j)
    return out


def random_pose(rng, batch=(), scale=0.5):
    return rng.normal(size=(*batch, NUM_JOINTS, 3)) * scale, rng.normal(size=(*batch, 3))


def test_rest_pose_gives_the_template_shifted_by_trans():
    trans = np.array([0.5, 1.28, -2.0])
    joints = forward_kinematics(np.zeros((NUM_JOINTS, 3)), trans)
    np.testing.assert_allclose(joints, rest_joints() + trans, atol=1e-12)


def test_rest_template_matches_published_smplx_facts():
    rest = rest_joints()
    np.testing.assert_allclose(rest[JOINT_INDEX["pelvis"]], [0.003, -0.351, 0.012], atol=2e-3)
    np.testing.assert_allclose(rest[JOINT_INDEX["head"]], [0.011, 0.268, -0.004], atol=2e-3)
    np.testing.assert_allclose(rest[JOINT_INDEX["left_wrist"]], [0.670, 0.036, -0.061], atol=2e-3)
    np.testing.assert_allclose(rest[JOINT_INDEX["left_foot"]], [0.120, -1.284, 0.063], atol=2e-3)
    # jaw below the eyes, eyes in front of the head joint and on either side
    jaw, le, re, head = (rest[JOINT_INDEX[n]] for n in ("jaw", "left_eye", "right_eye", "head"))
    assert jaw[1] < le[1] and le[2] > head[2] and le[0] > head[0] > re[0]


def test_float32_within_1e_5_of_float64_reference():
    rng = np.random.default_rng(0)
    pose, trans = random_pose(rng, (64,))
    got = forward_kinematics(pose.astype(np.float32), trans.astype(np.float32))
    assert got.dtype == np.float32
    for i in range(len(pose)):
        expected, _ = reference_fk(pose[i].astype(np.float32).astype(np.float64), trans[i].astype(np.float32))
        assert np.abs(got[i] - expected).max() < 1e-5


def test_float64_matches_reference_joints_and_rotations_with_betas():
    rng = np.random.default_rng(1)
    pose, trans = random_pose(rng, (16,), scale=1.5)  # angles beyond pi included
    betas = rng.normal(size=10) * 2
    joints, rots = forward_kinematics(pose, trans, betas, return_rotations=True)
    for i in range(len(pose)):
        ref_j, ref_r = reference_fk(pose[i], trans[i], betas)
        np.testing.assert_allclose(joints[i], ref_j, atol=1e-10)
        np.testing.assert_allclose(rots[i], ref_r, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(chosen=st.lists(st.integers(0, NUM_JOINTS - 1), min_size=1, max_size=6, unique=True),
       seed=st.integers(0, 2**31 - 1))
def test_a_joint_subset_equals_those_columns_of_the_full_result(chosen, seed):
    rng = np.random.default_rng(seed)
    pose, trans = random_pose(rng, (7,), scale=1.0)
    betas = rng.normal(size=10)
    joints, rots = forward_kinematics(pose, trans, betas, return_rotations=True)
    some, some_rots = forward_kinematics(pose, trans, betas, return_rotations=True, joints=chosen)
    np.testing.assert_array_equal(some, joints[:, chosen])
    np.testing.assert_array_equal(some_rots, rots[:, chosen])
    np.testing.assert_array_equal(forward_kinematics(pose, trans, betas, joints=chosen), joints[:, chosen])


def test_a_bad_joint_subset_is_refused():
    with pytest.raises(ValueError, match="distinct indices"):
        forward_kinematics(np.zeros((2, 55, 3)), np.zeros((2, 3)), joints=[3, 3])
    with pytest.raises(ValueError, match="distinct indices"):
        forward_kinematics(np.zeros((2, 55, 3)), np.zeros((2, 3)), joints=[55])


@settings(max_examples=40, deadline=None)
@given(joint=st.integers(1, NUM_JOINTS - 1), seed=st.integers(0, 2**31 - 1))
def test_rotating_one_joint_moves_only_its_descendants(joint, seed):
    rng = np.random.default_rng(seed)
    pose, trans = random_pose(rng)
    moved = pose.copy()
    moved[joint] = rng.normal(size=3)
    before, after = forward_kinematics(pose, trans), forward_kinematics(moved, trans)
    changed = set(np.flatnonzero(np.abs(after - before).max(axis=1) > 1e-9))
    # the joint itself does not move (it rotates in place); its children do unless they sit on it
    assert changed <= descendants(joint) - {joint}
    children = [j for j in range(NUM_JOINTS) if PARENTS[j] == joint]
    offsets = [np.linalg.norm(rest_joints()[c] - rest_joints()[joint]) for c in children]
    if any(o > 1e-3 for o in offsets):
        assert changed


def test_torch_equals_numpy_for_any_batch_shape_and_betas():
    rng = np.random.default_rng(2)
    for batch in [(), (5,), (2, 3, 4)]:
        pose, trans = random_pose(rng, batch)
        betas = rng.normal(size=(*batch, 10))
        expected, expected_rot = forward_kinematics(pose, trans, betas, return_rotations=True)
        got, got_rot = forward_kinematics_torch(
            torch.tensor(pose), torch.tensor(trans), torch.tensor(betas), return_rotations=True
        )
        np.testing.assert_allclose(got.numpy(), expected, atol=1e-10)
        np.testing.assert_allclose(got_rot.numpy(), expected_rot, atol=1e-10)
    shared = rng.normal(size=10)
    pose, trans = random_pose(rng, (7,))
    np.testing.assert_allclose(
        forward_kinematics_torch(torch.tensor(pose), torch.tensor(trans), shared).numpy(),
        forward_kinematics(pose, trans, shared),
        atol=1e-10,
    )


def test_torch_gradients_are_correct():
    rng = np.random.default_rng(3)
    pose = torch.tensor(rng.normal(size=(2, NUM_JOINTS, 3)) * 0.4, requires_grad=True)
    pose.data[0] = 0.0  # the rest pose, where Rodrigues needs its series
    trans = torch.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    betas = torch.tensor(rng.normal(size=10), requires_grad=True)
    assert torch.autograd.gradcheck(lambda p, t, b: forward_kinematics_torch(p, t, b), (pose, trans, betas))


def test_body_joints_from_matrices_equal_the_full_tree():
    from interx.body.rotations_torch import axis_angle_to_matrix

    rng = np.random.default_rng(4)
    pose, trans = random_pose(rng, (3, 5))
    expected = forward_kinematics(pose, trans)[..., :22, :]
    local = axis_angle_to_matrix(torch.tensor(pose[..., :22, :]))
    np.testing.assert_allclose(body_joints_torch(local, torch.tensor(trans)).numpy(), expected, atol=1e-10)
    with pytest.raises(ValueError, match="rotations"):
        body_joints_torch(local[..., :21, :, :], torch.tensor(trans))


def test_betas_move_joints_linearly_along_shape_directions():
    betas = np.zeros(10)
    betas[0] = 2.0
    delta = rest_joints(betas) - rest_joints()
    np.testing.assert_allclose(delta, 2.0 * shape_directions()[..., 0], atol=1e-12)
    # the first beta changes stature: the head-to-foot height changes
    height = lambda r: r[JOINT_INDEX["head"], 1] - r[JOINT_INDEX["left_foot"], 1]  # noqa: E731
    assert abs(height(rest_joints(betas)) - height(rest_joints())) > 0.01


def test_known_motions_follow_smplx_axis_conventions():
    zero = np.zeros((NUM_JOINTS, 3))
    # a turn about +Y by a makes the body face (sin a, 0, cos a)
    a = 0.7
    pose = zero.copy()
    pose[0] = [0, a, 0]
    joints = forward_kinematics(pose, np.zeros(3))
    rest = rest_joints()
    hips = joints[JOINT_INDEX["left_hip"]] - joints[JOINT_INDEX["right_hip"]]
    facing = np.cross(hips, np.array([0.0, 1.0, 0.0]))  # (left - right) x up = forward
    facing /= np.linalg.norm(facing)
    np.testing.assert_allclose(facing[[0, 2]], [np.sin(a), np.cos(a)], atol=0.05)
    # the pelvis stays put: root_orient turns about the pelvis joint
    np.testing.assert_allclose(joints[0], rest[0], atol=1e-12)
    # left elbow flexion is about -Y and brings the forearm forward (+Z)
    pose = zero.copy()
    pose[JOINT_INDEX["left_elbow"]] = [0, -np.pi / 2, 0]
    wrist = forward_kinematics(pose, np.zeros(3))[JOINT_INDEX["left_wrist"]]
    assert wrist[2] - rest[JOINT_INDEX["left_elbow"], 2] > 0.2
    # hip flexion about -X brings the left leg forward
    pose = zero.copy()
    pose[JOINT_INDEX["left_hip"]] = [-np.pi / 3, 0, 0]
    ankle = forward_kinematics(pose, np.zeros(3))[JOINT_INDEX["left_ankle"]]
    assert ankle[2] - rest[JOINT_INDEX["left_ankle"], 2] > 0.2


def test_pose_from_params_accepts_per_joint_and_flat_forms():
    rng = np.random.default_rng(4)
    root = rng.normal(size=(6, 3))
    body = rng.normal(size=(6, 21, 3))
    lh, rh = rng.normal(size=(6, 15, 3)), rng.normal(size=(6, 15, 3))
    pose = pose_from_params(root, body, lh, rh)
    assert pose.shape == (6, NUM_JOINTS, 3)
    np.testing.assert_array_equal(pose[:, 1:22], body)
    np.testing.assert_array_equal(pose[:, 22:25], 0)
    np.testing.assert_array_equal(pose[:, 25:40], lh)
    np.testing.assert_array_equal(pose_from_params(root, body.reshape(6, 63), lh.reshape(6, 45), rh), pose)
    flat_hands = pose_from_params(root, body)
    np.testing.assert_array_equal(flat_hands[:, 25:], 0)
    torch_pose = pose_from_params(torch.tensor(root), torch.tensor(body), torch.tensor(lh), torch.tensor(rh))
    np.testing.assert_array_equal(torch_pose.numpy(), pose)


def test_bad_shapes_are_refused_with_the_expected_shape():
    with pytest.raises(ValueError, match=r"\(55, 3\)"):
        forward_kinematics(np.zeros((4, 52, 3)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="trans"):
        forward_kinematics(np.zeros((4, 55, 3)), np.zeros((5, 3)))


def test_empty_batch():
    assert forward_kinematics(np.zeros((0, 55, 3), np.float32), np.zeros((0, 3))).shape == (0, 55, 3)
