"""The 262-d features: inverse round trip, canonical frame, invariance, symmetry."""

from __future__ import annotations

import numpy as np
import pytest

from interx.body import rotations
from interx.body.fk import forward_kinematics
from interx.body.skeleton import MIRROR
from interx.body.template import rest_joints
from interx.prepare import features as F


def random_scene(seed: int, frames: int = 30) -> np.ndarray:
    """A processed-like [T, 56, 6] motion: smooth random body poses, two persons apart, walking."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, frames)[:, None, None]
    motion = np.zeros((frames, 56, 6))
    for half, offset in ((slice(0, 3), 0.0), (slice(3, 6), 1.2)):
        base, swing = rng.normal(0, 0.3, (1, 22, 3)), rng.normal(0, 0.3, (1, 22, 3))
        pose = np.zeros((frames, 55, 3))
        pose[:, :22] = base + swing * np.sin(2 * np.pi * t)
        trans = np.stack([offset + 0.5 * t[:, 0, 0], 1.0 + 0.05 * t[:, 0, 0], rng.normal() + 0.3 * t[:, 0, 0]], -1)
        motion[:, :55, half] = pose
        motion[:, 55, half] = trans
    return motion.astype(np.float32)


def rigid_move(motion: np.ndarray, yaw: float, shift: np.ndarray) -> np.ndarray:
    """The same scene turned by `yaw` about +Y and shifted horizontally (root about the pelvis)."""
    c, s = np.cos(yaw), np.sin(yaw)
    turn = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    pelvis = rest_joints(None)[0]
    out = motion.astype(np.float64).copy()
    for half in (slice(0, 3), slice(3, 6)):
        root = rotations.axis_angle_to_matrix(out[:, 0, half])
        out[:, 0, half] = rotations.matrix_to_axis_angle(turn @ root)
        out[:, 55, half] = (out[:, 55, half] + pelvis) @ turn.T + shift - pelvis
    return out.astype(np.float32)


def scene_joints(motion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    motion = motion.astype(np.float64)
    joints = np.stack([forward_kinematics(motion[:, :55, h], motion[:, 55, h]) for h in (slice(0, 3), slice(3, 6))], 1)
    pose = np.stack([motion[:, 1:22, h] for h in (slice(0, 3), slice(3, 6))], 1)
    return joints, pose


def pair_distances(p):
    return np.linalg.norm(p[:, :, None] - p[:, None], axis=-1)


def test_layout_and_canonical_frame():
    feats = F.features_from_motion(random_scene(0))
    assert feats.shape == (29, 2, 262) and feats.dtype == np.float32
    joints = F.joints_from_features(feats)  # (30, 2, 22, 3)
    assert joints.shape == (30, 2, 22, 3)
    np.testing.assert_allclose(joints[0, 0, 0, [0, 2]], 0, atol=1e-6)  # P1's pelvis over the origin
    facing = F.facing_direction(joints[0, 0])
    np.testing.assert_allclose(facing, [0, 0, 1], atol=1e-6)
    assert joints[..., 1].min() == pytest.approx(0, abs=1e-6)  # floor at zero
    contacts = feats[..., F.FEATURE_SLICES["contacts"]]
    assert set(np.unique(contacts)) <= {0.0, 1.0}


def test_joints_are_recovered_exactly():
    motion = random_scene(1)
    joints, _ = scene_joints(motion)
    feats = F.features_from_motion(motion)
    recovered = F.joints_from_features(feats)
    # the canonical joints are the world joints moved rigidly: compare all pairwise distances
    world = joints[:, :, :22].reshape(30, 44, 3)
    canon = recovered.reshape(30, 44, 3)
    np.testing.assert_allclose(pair_distances(canon), pair_distances(world), atol=1e-5)


def test_inverse_round_trip_below_1e5():
    feats = F.features_from_motion(random_scene(2))
    pose, trans = F.params_from_features(feats)
    assert pose.shape == (29, 2, 55, 3) and trans.shape == (29, 2, 3)
    np.testing.assert_array_equal(pose[..., 22:, :], 0)  # hands, jaw, eyes are not recoverable
    joints = forward_kinematics(pose, trans)[..., :22, :]
    np.testing.assert_allclose(joints, F.joints_from_features(feats)[:-1], atol=1e-5)
    rebuilt = np.zeros((29, 56, 6))
    rebuilt[:, :55, :3], rebuilt[:, 55, :3] = pose[:, 0], trans[:, 0]
    rebuilt[:, :55, 3:], rebuilt[:, 55, 3:] = pose[:, 1], trans[:, 1]
    again = F.features_from_motion(rebuilt)
    # rebuilt is already canonical: features agree on its first 28 frames
    assert np.abs(again - feats[:-1]).max() < 1e-5


@pytest.mark.parametrize("yaw, shift", [(0.7, (1.5, 0.0, -2.0)), (-2.9, (-0.3, 0.0, 4.0)), (np.pi, (0.0, 0.0, 0.0))])
def test_rigid_move_of_the_scene_gives_the_same_features(yaw, shift):
    motion = random_scene(3)
    moved = rigid_move(motion, yaw, np.array(shift))
    assert np.abs(moved[:, 55] - motion[:, 55]).max() > 0.1 or yaw == np.pi
    np.testing.assert_allclose(F.features_from_motion(moved), F.features_from_motion(motion), atol=1e-4)


def test_mirroring_the_scene_mirrors_the_features():
    joints, pose = scene_joints(random_scene(4))
    mirrored_joints = joints[:, :, MIRROR] * np.array([-1.0, 1.0, 1.0])
    mirrored_pose = pose[:, :, MIRROR[1:22] - 1] * np.array([1.0, -1.0, -1.0])
    feats = F.features_from_joints(joints, pose)
    expected = F.mirror_features(feats)
    np.testing.assert_allclose(F.features_from_joints(mirrored_joints, mirrored_pose), expected, atol=1e-5)
    np.testing.assert_allclose(F.mirror_features(expected), feats, atol=1e-6)
    # left and right contacts trade places
    np.testing.assert_array_equal(expected[..., 258:260], feats[..., 260:262])


def test_swapping_persons_recentres_on_the_other_and_keeps_the_pair():
    joints, pose = scene_joints(random_scene(5))
    feats = F.features_from_joints(joints, pose)
    swapped = F.features_from_joints(joints[:, ::-1], pose[:, ::-1])
    a, b = F.joints_from_features(feats), F.joints_from_features(swapped)
    np.testing.assert_allclose(b[0, 0, 0, [0, 2]], 0, atol=1e-6)  # the former P2 is now at the origin
    np.testing.assert_allclose(F.facing_direction(b[0, 0]), [0, 0, 1], atol=1e-6)
    # the same two bodies: same distances between every pair of joints of the pair, same rotations
    flat_a, flat_b = a.reshape(30, 44, 3), b[:, ::-1].reshape(30, 44, 3)
    np.testing.assert_allclose(pair_distances(flat_b), pair_distances(flat_a), atol=1e-5)
    np.testing.assert_allclose(swapped[:, ::-1, 132:262], feats[..., 132:262], atol=1e-6)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\[T, 56, 6\]"):
        F.features_from_motion(np.zeros((10, 55, 6)))
    with pytest.raises(ValueError, match="at least 2 frames"):
        F.features_from_motion(np.zeros((1, 56, 6)))
