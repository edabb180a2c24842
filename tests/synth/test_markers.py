"""Marker skeletons derived from SMPL-X bodies: layout, rigidity, sides, rest pose."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from interx.body.fk import forward_kinematics
from interx.body.markers import BONES, FINGERS, HEAD, LEGS, USED_ROWS
from interx.body.skeleton import PARENTS
from interx.synth.markers import MARKER_JOINTS, MARKER_OFFSETS, markers_from_body

LEFT_ROWS = (*range(1, 5), *range(11, 35))
RIGHT_ROWS = (*range(5, 9), *range(35, 59))
FEET_ROWS = (3, 4, 7, 8)
# Bones whose rows ride on joints that move relative to each other: pelvis to
# the back of the spine (spine1 bends between them) and ankle to toe tip (the
# toe offset turns with the foot joint).
NON_RIGID_BONES = {(0, 9), (3, 4), (7, 8)}
# Body limits for those bones, as fractions of their rest length.
MIN_STRETCH, MAX_STRETCH = 0.6, 1.4


def random_body(frames: int, seed: int, betas=None):
    """FK of axis-angle ~ N(0, 0.3) poses under a random root turn and translation."""
    rng = np.random.default_rng(seed)
    pose = rng.normal(scale=0.3, size=(frames, 55, 3))
    pose[:, 0] = Rotation.random(frames, random_state=seed).as_rotvec()
    trans = rng.normal(scale=2.0, size=(frames, 3))
    return forward_kinematics(pose.astype(np.float32), trans.astype(np.float32), betas, return_rotations=True)


def rest_markers(betas=None) -> np.ndarray:
    joints, rots = forward_kinematics(np.zeros((1, 55, 3)), np.zeros((1, 3)), betas, return_rotations=True)
    return markers_from_body(joints, rots)[0]


def bone_lengths(markers: np.ndarray, bones) -> np.ndarray:
    a, b = np.asarray(bones).T
    return np.linalg.norm(markers[..., b, :] - markers[..., a, :], axis=-1)


def rides_rigidly(a: int, b: int) -> bool:
    """Rows on one joint, or a child row sitting on its joint whose parent joint carries the other row."""
    ja, jb = MARKER_JOINTS[a], MARKER_JOINTS[b]
    if ja == jb:
        return True
    return PARENTS[jb] == ja and not np.any(MARKER_OFFSETS[b])


@pytest.fixture(scope="module", params=[None, "shaped"])
def body(request):
    betas = None if request.param is None else np.random.default_rng(5).normal(size=10)
    joints, rots = random_body(500, seed=1, betas=betas)
    return joints, rots, markers_from_body(joints, rots), betas


def test_shape_dtype_and_unused_row(body):
    joints, _, markers, _ = body
    assert markers.shape == (len(joints), 64, 3)
    assert markers.dtype == np.float32
    assert np.all(markers[:, 63] == 0.0)
    assert np.all(np.isfinite(markers[:, :63]))


def test_every_row_but_63_rides_on_a_joint():
    assert MARKER_JOINTS[63] == -1 and not np.any(MARKER_OFFSETS[63])
    assert np.all(MARKER_JOINTS[:63] >= 0)
    assert set(USED_ROWS) | {5, 10} == set(range(63))


def test_batch_shapes_and_float64_input():
    joints, rots = random_body(24, seed=2)
    flat = markers_from_body(joints, rots)
    np.testing.assert_array_equal(markers_from_body(joints.reshape(2, 12, 55, 3), rots.reshape(2, 12, 55, 3, 3)),
                                  flat.reshape(2, 12, 64, 3))
    wide = markers_from_body(joints.astype(np.float64), rots.astype(np.float64))
    assert wide.dtype == np.float32
    np.testing.assert_allclose(wide, flat, atol=1e-6)
    assert markers_from_body(joints[:0], rots[:0]).shape == (0, 64, 3)


def test_rejects_mismatched_shapes():
    joints, rots = random_body(4, seed=3)
    with pytest.raises(ValueError, match="joints"):
        markers_from_body(joints[:, :22], rots)
    with pytest.raises(ValueError, match="rotations"):
        markers_from_body(joints, rots[:3])


def test_non_rigid_bones_are_the_documented_ones():
    assert {bone for bone in BONES if not rides_rigidly(*bone)} == NON_RIGID_BONES


def test_rigid_bones_keep_their_length(body):
    _, _, markers, _ = body
    rigid = [bone for bone in BONES if rides_rigidly(*bone)]
    lengths = bone_lengths(markers, rigid)
    spread = lengths.max(axis=0) - lengths.min(axis=0)
    assert spread.max() < 1e-5, rigid[int(spread.argmax())]
    assert lengths.min() > 0.01


def test_non_rigid_bones_stay_within_body_limits(body):
    _, _, markers, betas = body
    bones = sorted(NON_RIGID_BONES)
    rest = bone_lengths(rest_markers(betas), bones)
    lengths = bone_lengths(markers, bones)
    assert np.all(lengths >= MIN_STRETCH * rest)
    assert np.all(lengths <= MAX_STRETCH * rest)
    assert np.all(lengths.max(axis=0) - lengths.min(axis=0) > 1e-3)  # they do move


def test_markers_lie_near_their_joint(body):
    joints, _, markers, _ = body
    distance = np.linalg.norm(markers[:, :63] - joints[:, MARKER_JOINTS[:63]], axis=-1)
    assert distance.max() <= 0.08 + 1e-6


def test_markers_turn_with_the_root():
    """Turning the root about the pelvis turns every marker the same way."""
    rng = np.random.default_rng(4)
    pose = rng.normal(scale=0.3, size=(50, 55, 3))
    trans = rng.normal(size=(50, 3))
    turn = Rotation.random(50, random_state=7)
    turned = pose.copy()
    turned[:, 0] = (turn * Rotation.from_rotvec(pose[:, 0])).as_rotvec()
    before = markers_from_body(*forward_kinematics(pose, trans, return_rotations=True))
    joints, rots = forward_kinematics(turned, trans, return_rotations=True)
    after = markers_from_body(joints, rots)
    pelvis = joints[:, None, 0]
    expected = np.einsum("tij,tkj->tki", turn.as_matrix(), before[:, :63] - pelvis) + pelvis
    np.testing.assert_allclose(after[:, :63], expected, atol=1e-5)


def test_sides_in_the_rest_pose_under_any_root_turn():
    """Left rows are on the body's +X side, right rows on -X, seen from the pelvis."""
    frames = 20
    pose = np.zeros((frames, 55, 3))
    pose[:, 0] = Rotation.random(frames, random_state=8).as_rotvec()
    trans = np.random.default_rng(8).normal(size=(frames, 3))
    joints, rots = forward_kinematics(pose, trans, return_rotations=True)
    markers = markers_from_body(joints, rots)
    local = np.einsum("tji,tkj->tki", rots[:, 0], markers - joints[:, None, 0])  # pelvis frame
    assert np.all(local[:, LEFT_ROWS, 0] > 0.03)
    assert np.all(local[:, RIGHT_ROWS, 0] < -0.03)


def test_rest_layout_is_plausible():
    rest = rest_markers()
    y = rest[:, 1]
    head = list(HEAD[1:]) + [61, 62]
    assert y[head].min() > y[10] > y[0]
    assert y[61] == y[:63].max()  # top of the head
    others = [r for r in range(63) if r not in FEET_ROWS]
    assert y[list(FEET_ROWS)].max() < y[others].min()
    for leg in LEGS:
        hip, knee, ankle, toe = leg[1:]
        assert y[hip] > y[knee] > y[ankle]
        assert rest[toe, 2] > rest[ankle, 2] + 0.05  # toes point forward
    assert rest[62, 2] > rest[60, 2] + 0.05  # forehead in front of the head joint
    assert 0.12 < y[59] - y[10] < 0.25 and 0.1 < y[60] - y[59] < 0.25


def test_fingertips_extend_the_fingers():
    rest = rest_markers()
    for hand in FINGERS:
        for wrist, base, middle, last, tip in hand:
            reach = np.linalg.norm(rest[[base, middle, last, tip]] - rest[wrist], axis=-1)
            assert np.all(np.diff(reach) > 0)  # each row farther from the wrist
            segment, beyond = rest[last] - rest[middle], rest[tip] - rest[last]
            cosine = segment @ beyond / np.linalg.norm(segment) / np.linalg.norm(beyond)
            assert cosine > np.cos(np.radians(10))
            assert 0.012 < np.linalg.norm(beyond) < 0.035


def test_finger_groups_run_thumb_to_pinky():
    """FINGERS groups are thumb, index, middle, ring, pinky: bases ordered from the front to the back of the hand."""
    rest = rest_markers()
    for hand in FINGERS:
        bases = rest[[group[1] for group in hand], 2]
        assert np.all(np.diff(bases) < 0)
