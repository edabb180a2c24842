"""Plausibility metrics on hand-made joint clips."""

import numpy as np
import pytest

from interx.body.fk import forward_kinematics
from interx.eval.plausibility import _facing, dataset_metrics, relation_errors, sequence_metrics


def standing(frames: int, x: float, yaw: float = 0.0, y: float = 0.0) -> np.ndarray:
    """[T, 22, 3] joints of a body standing with its lowest joint at height y, turned by yaw about +Y."""
    pose = np.zeros((frames, 55, 3))
    pose[:, 0, 1] = yaw
    joints = forward_kinematics(pose, np.zeros((frames, 3)))[:, :22]
    joints[..., 1] += y - joints[..., 1].min()
    joints[..., 0] += x
    return joints


def pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.stack([a, b], axis=1)


def test_apart_and_overlapping_bodies():
    apart = sequence_metrics(pair(standing(10, 0.0), standing(10, 3.0)))
    assert apart["penetration_depth"] == 0 and apart["penetration_frequency"] == 0 and apart["contact_ratio"] == 0
    same = sequence_metrics(pair(standing(10, 0.0), standing(10, 0.0)))
    assert same["penetration_frequency"] == 1.0 and same["penetration_depth"] == pytest.approx(0.22)  # 2 x 0.11
    assert same["contact_ratio"] == 1.0


def test_static_and_constant_speed_clips_have_no_jitter_or_skating():
    still = sequence_metrics(pair(standing(12, 0.0), standing(12, 2.0)))
    assert still["jitter"] == pytest.approx(0, abs=1e-9) and still["foot_skating"] == 0
    gliding = pair(standing(12, 0.0), standing(12, 2.0))
    gliding[:, :, :, 2] += np.arange(12)[:, None, None] * 0.05  # both persons slide 1.5 m/s along z
    values = sequence_metrics(gliding)
    assert values["jitter"] == pytest.approx(0, abs=1e-6)
    assert values["foot_skating"] == pytest.approx(1.5)


def test_floor_penetration_and_floating():
    sunk = sequence_metrics(pair(standing(5, 0.0, y=-0.1), standing(5, 2.0, y=-0.1)))
    assert sunk["floor_penetration"] == pytest.approx(0.1) and sunk["floating"] == 0
    high = sequence_metrics(pair(standing(5, 0.0, y=0.3), standing(5, 2.0, y=0.3)))
    assert high["floating"] == pytest.approx(0.25) and high["floor_penetration"] == 0


def test_relation_errors():
    reference = pair(standing(8, 0.0), standing(8, 1.0, yaw=np.pi))
    assert relation_errors(reference, reference) == {"relative_distance_error": 0.0, "relative_facing_error": 0.0}
    further = pair(standing(8, 0.0), standing(8, 2.0, yaw=np.pi))
    turned = pair(standing(8, 0.0), standing(8, 1.0, yaw=np.pi / 2))
    assert relation_errors(further, reference)["relative_distance_error"] == pytest.approx(1.0, abs=1e-6)
    assert relation_errors(turned, reference)["relative_facing_error"] == pytest.approx(90.0, abs=1e-4)
    np.testing.assert_allclose(_facing(standing(1, 0.0))[0], [0, 1], atol=0.05)  # rest pose faces +Z


def test_contact_ratio_counts_only_contact_categories():
    motion = np.zeros((6, 56, 6), np.float32)
    motion[:, 55, 1] = motion[:, 55, 4] = 1.28
    motion[:, 55, 3] = 0.3  # P2 0.3 m to the side: touching
    hug, wave = "G001T000A000R000", "G001T000A002R000"  # action 0 Hug, action 2 Wave
    assert "contact_ratio" in dataset_metrics([(hug, motion)])
    values = dataset_metrics([(wave, motion)], references={wave: motion})
    assert "contact_ratio" not in values and values["relative_distance_error"] == 0


def test_floor_comes_from_the_ground_truth_clip():
    motion = np.zeros((6, 56, 6), np.float32)
    motion[:, 55, 3] = 2.0  # P2 2 m away; P1's frame-0 translation at the origin: the floor is about -1.28
    sunk = motion.copy()
    sunk[:, 55, 1] -= 0.1
    sunk[:, 55, 4] -= 0.1
    seq = "G001T000A002R000"
    assert dataset_metrics([(seq, motion)])["floor_penetration"] == 0
    assert dataset_metrics([(seq, sunk)], references={seq: motion})["floor_penetration"] == pytest.approx(0.1, abs=1e-5)
