"""Gesture choreographies: Point finger at, High-five, Rock-paper-scissors, Chat, Thumb up, Imitate, Fly kiss."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import interx.synth.actions.gesture  # noqa: F401  (registers the choreographies)
from interx.body.skeleton import JOINT_INDEX as J
from interx.synth.actions import CHOREOGRAPHIES, CONTACT_ACTIONS, touch_distance
from interx.synth.checks import TORSO, interpenetration, max_speed, min_distance, motion_onset
from interx.synth.rig import CLEARANCE, OTHER
from interx.synth.stage import draw_cast
from interx.synth.subjects import make_groups

POINT, HIGH_FIVE, RPS, CHAT, THUMB_UP, IMITATE, FLY_KISS = 12, 16, 20, 29, 31, 33, 39
ACTIONS = (POINT, HIGH_FIVE, RPS, CHAT, THUMB_UP, IMITATE, FLY_KISS)
SEEDS = range(8)
GROUPS = make_groups(0)


@cache
def take(action: int, seed: int):
    rng = np.random.default_rng([action, seed, 7])
    cast = draw_cast(rng, action, GROUPS[(7 * seed + action) % len(GROUPS)])
    result = CHOREOGRAPHIES[action](cast)
    return result, result.actor.fk(), result.reactor.fk()


def single(joints: np.ndarray) -> np.ndarray:
    """Float32 copy: the pairwise checks run twice as fast and centimetres survive."""
    return joints.astype(np.float32)


def hand_travel(body, joints: np.ndarray, side: str) -> float:
    """Farthest the wrist gets from where it started, relative to the pelvis in the body's own frame."""
    rel = joints[:, J[f"{side}_wrist"]] - joints[:, J["pelvis"]]
    c, s = np.cos(body.yaw), np.sin(body.yaw)
    local = np.stack([c * rel[:, 0] - s * rel[:, 2], rel[:, 1], s * rel[:, 0] + c * rel[:, 2]], axis=-1)
    return float(np.linalg.norm(local - local[:1], axis=-1).max())


def test_registered():
    for action in ACTIONS:
        assert action in CHOREOGRAPHIES
    assert HIGH_FIVE in CONTACT_ACTIONS
    assert not CONTACT_ACTIONS & {POINT, RPS, CHAT, THUMB_UP, IMITATE, FLY_KISS}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("action", ACTIONS)
def test_plausible(action: int, seed: int):
    result, a, r = take(action, seed)
    duration = len(a) / 120.0
    assert 2.0 <= duration <= 12.0
    if action in CONTACT_ACTIONS:
        assert result.touches
        for touch in result.touches:
            window = touch_distance(result, touch)[int(touch.start * 120): int(touch.end * 120) + 1]
            assert window.min() <= 0.05
    else:
        assert not result.touches
        assert min_distance(single(a), single(r)).min() > 0.30
    assert interpenetration(a, r, TORSO, TORSO).max() < 0.03
    assert interpenetration(single(a), single(r)).max() < 0.10
    for joints in (a, r):  # standing bodies: the lowest point is on the floor in every frame
        np.testing.assert_allclose(np.min(joints[..., 1] - CLEARANCE, axis=-1), 0.0, atol=1e-6)
        assert max_speed(joints) < 12.0
    assert motion_onset(a) < motion_onset(r)
    for body in (result.actor, result.reactor):
        for side in ("left", "right"):
            assert np.degrees(np.linalg.norm(body.pose[:, J[f"{side}_elbow"]], axis=-1)).max() <= 150
            assert np.degrees(np.linalg.norm(body.pose[:, J[f"{side}_knee"]], axis=-1)).max() <= 140


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("action", ACTIONS)
def test_declared_hands_move(action: int, seed: int):
    """The hands the Performance names are the ones that gesture."""
    result, a, r = take(action, seed)
    p = result.performance
    for body, joints, hand in ((result.actor, a, p.hand), (result.reactor, r, p.reactor_hand)):
        if hand == "none":
            continue
        travel = {side: hand_travel(body, joints, side) for side in ("left", "right")}
        if hand == "both":
            assert min(travel.values()) > 0.1  # hands on hips travel little
        else:
            assert travel[hand] > 0.15
            assert travel[hand] > travel[OTHER[hand]] + 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_high_five_palms_meet_above_the_heads(seed: int):
    result, a, r = take(HIGH_FIVE, seed)
    p = result.performance
    sides = ("left", "right") if p.hand == "both" else (p.hand,)
    assert {t.actor_joint for t in result.touches} == {f"{s}_middle1" for s in sides}
    for touch in result.touches:
        # right meets right (diagonal); with both hands each meets its mirror twin
        expected = OTHER[touch.actor_joint.split("_")[0]] if p.hand == "both" else p.hand
        assert touch.reactor_joint == f"{expected}_middle1"
        d = touch_distance(result, touch)
        frame = int(np.argmin(d))
        palm = a[frame, J[touch.actor_joint]]
        assert palm[1] >= min(a[frame, J["head"], 1], r[frame, J["head"], 1])


@pytest.mark.parametrize("seed", SEEDS)
def test_imitation_is_a_mirror_image(seed: int):
    p = take(IMITATE, seed)[0].performance
    assert p.reactor_hand == ("both" if p.hand == "both" else OTHER[p.hand])
    assert p.repetitions in (2, 3)


def test_pointing_hand_shape():
    """Index extended, the other fingers curled, while the arm is up."""
    result, a, _ = take(POINT, 0)
    side = result.performance.hand
    frame = int(np.argmax(np.linalg.norm(a[:, J[f"{side}_wrist"]] - a[:, J["pelvis"]], axis=-1)))
    pose = result.actor.pose[frame]
    curl = {f: np.linalg.norm(pose[J[f"{side}_{f}2"]]) for f in ("index", "middle", "ring", "pinky")}
    assert curl["index"] < 0.2
    assert min(curl["middle"], curl["ring"], curl["pinky"]) > 1.2


def test_variation():
    for action in ACTIONS:
        facts = {(take(action, s)[0].performance, len(take(action, s)[1])) for s in SEEDS}
        assert len(facts) == len(SEEDS)
