"""Strike choreographies (Grab, Hit, Kick, Push, Pull, Slap, Knock over, Step on foot, Hand wrestling, Block):
contact really lands on the named body parts, bodies stay plausible, the actor moves first."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import interx.synth.actions.strike  # noqa: F401  (registers the choreographies)
from interx.body.skeleton import JOINT_INDEX
from interx.synth.actions import CHOREOGRAPHIES, CONTACT_ACTIONS, touch_distance
from interx.synth.checks import TORSO, interpenetration, max_speed, motion_onset
from interx.synth.rig import CLEARANCE
from interx.synth.stage import draw_cast
from interx.synth.subjects import make_groups

SEEDS = range(8)
# action -> (actor joint suffixes that may touch, reactor joint names or prefixes they touch)
PARTS = {
    3: (("middle1",), ("wrist", "elbow")),  # the palm closes on the wrist or the forearm (an elbow offset)
    4: (("middle1",), ("spine3", "left_shoulder", "right_shoulder")),
    5: (("ankle",), ("hip",)),  # the instep into the thigh or the hip (offsets of the hip joint's frame)
    7: (("middle1",), ("spine3", "left_shoulder", "right_shoulder")),
    8: (("middle1",), ("wrist", "elbow")),
    10: (("middle1",), ("head",)),  # palm on the cheek (a point of the head's frame)
    14: (("middle1",), ("spine3", "left_shoulder", "right_shoulder")),
    15: (("foot",), ("foot",)),
    28: (("middle1",), ("middle1",)),  # right palm in right palm
    38: (("middle1", "ankle"), ("elbow", "middle1")),  # fist on the blocking forearm, or foot on the parrying palm
}
ACTIONS = sorted(PARTS)


@cache
def takes(action: int):
    groups = make_groups(0)
    out = []
    for seed in SEEDS:
        cast = draw_cast(np.random.default_rng([action, seed, 7]), action, groups[(5 * seed + action) % len(groups)])
        take = CHOREOGRAPHIES[action](cast)
        out.append((take, take.actor.fk(), take.reactor.fk()))
    return out


def _window(take, touch):
    d = touch_distance(take, touch)
    return d[int(touch.start * 120): int(touch.end * 120) + 1]


@pytest.mark.parametrize("action", ACTIONS)
def test_duration_and_registration(action):
    assert action in CONTACT_ACTIONS
    for _, ja, _ in takes(action):
        assert 2.0 <= len(ja) / 120 <= 12.0


@pytest.mark.parametrize("action", ACTIONS)
def test_touches_land_on_the_named_parts(action):
    actor_parts, reactor_parts = PARTS[action]
    for take, _, _ in takes(action):
        assert take.touches
        for touch in take.touches:
            assert _window(take, touch).min() <= 0.05, touch
            assert touch.actor_joint.split("_", 1)[-1] in actor_parts, touch
            assert touch.reactor_joint in reactor_parts or touch.reactor_joint.split("_", 1)[-1] in reactor_parts


def _deepest(ja, jr, joints=None) -> float:
    """`interpenetration(...).max()`, evaluated only on frames where some joints are within 0.25 m
    (no two spheres are larger together), in chunks whose temporaries fit in cache: same result, faster."""
    a = ja if joints is None else ja[:, joints]
    b = jr if joints is None else jr[:, joints]
    squared = (a * a).sum(-1)[:, :, None] + (b * b).sum(-1)[:, None, :] - 2.0 * a @ np.swapaxes(b, 1, 2)
    near = np.flatnonzero(squared.min(axis=(1, 2)) < 0.25**2)
    chunks = [near[i:i + 64] for i in range(0, len(near), 64)]
    return max((float(interpenetration(ja[f], jr[f], joints, joints).max()) for f in chunks), default=0.0)


@pytest.mark.parametrize("action", ACTIONS)
def test_no_interpenetration(action):
    for _, ja, jr in takes(action):
        assert _deepest(ja, jr, TORSO) < 0.03
        assert _deepest(ja, jr) < 0.10


@pytest.mark.parametrize("action", ACTIONS)
def test_lowest_point_on_the_floor(action):
    for _, ja, jr in takes(action):
        for joints in (ja, jr):
            lowest = (joints[..., 1] - CLEARANCE).min(axis=-1)
            assert np.abs(lowest).max() < 1e-4


@pytest.mark.parametrize("action", ACTIONS)
def test_smooth_and_actor_first(action):
    for _, ja, jr in takes(action):
        assert max_speed(ja) < 12.0 and max_speed(jr) < 12.0
        assert motion_onset(ja) < motion_onset(jr)


@pytest.mark.parametrize("action", ACTIONS)
def test_joint_angles_within_human_range(action):
    """Elbow flexion up to 150 degrees and knee flexion up to 140, measured between the bones; the thigh
    within 125 degrees of the trunk's downward axis (hip flexion, with a little spine flexion)."""
    chains = {"elbow": (("shoulder", "elbow", "wrist"), 150), "knee": (("hip", "knee", "ankle"), 140)}
    for _, ja, jr in takes(action):
        for joints in (ja, jr):
            down = joints[:, JOINT_INDEX["pelvis"]] - joints[:, JOINT_INDEX["spine3"]]
            for side in ("left", "right"):
                thigh = joints[:, JOINT_INDEX[f"{side}_knee"]] - joints[:, JOINT_INDEX[f"{side}_hip"]]
                cos = np.sum(thigh * down, -1) / np.linalg.norm(thigh, axis=-1) / np.linalg.norm(down, axis=-1)
                assert np.degrees(np.arccos(np.clip(cos, -1, 1))).max() <= 125
            for (a, b, c), limit in chains.values():
                for side in ("left", "right"):
                    upper = joints[:, JOINT_INDEX[f"{side}_{b}"]] - joints[:, JOINT_INDEX[f"{side}_{a}"]]
                    lower = joints[:, JOINT_INDEX[f"{side}_{c}"]] - joints[:, JOINT_INDEX[f"{side}_{b}"]]
                    cos = np.sum(upper * lower, -1) / np.linalg.norm(upper, axis=-1) / np.linalg.norm(lower, axis=-1)
                    assert np.degrees(np.arccos(np.clip(cos, -1, 1))).max() <= limit


@pytest.mark.parametrize("action", ACTIONS)
def test_declared_hand_is_the_touching_one(action):
    for take, _, _ in takes(action):
        hand = take.performance.hand
        sides = {touch.actor_joint.split("_")[0] for touch in take.touches}
        assert sides == ({"left", "right"} if hand == "both" else {hand})


def test_block_is_up_before_the_blow():
    """The blocking hand is already in place (barely moving) a moment before each impact."""
    for take, _, _ in takes(38):
        side = take.performance.reactor_hand
        wrist = take.reactor.point(f"{side}_wrist")
        for touch in take.touches:
            f = int((touch.start - 0.07) * 120)
            assert np.linalg.norm(wrist[f] - wrist[f + 10]) < 0.05


def test_stepping_foot_rests_on_top_of_the_other():
    """While stepped on, the two foot joints are within 5 cm and the actor's is the higher one."""
    for take, ja, jr in takes(15):
        (touch,) = take.touches
        frames = slice(int(touch.start * 120) + 1, int(touch.end * 120))
        a = ja[frames, JOINT_INDEX[touch.actor_joint]]
        r = jr[frames, JOINT_INDEX[touch.reactor_joint]]
        assert np.linalg.norm(a - r, axis=-1).max() <= 0.05
        assert (a[:, 1] > r[:, 1] + 0.02).all()


def test_hand_wrestling_clasp_goes_side_to_side():
    """Right hands stay clasped while the clasp swings across at least 15 cm, as many times as declared."""
    for take, ja, _ in takes(28):
        (touch,) = take.touches
        assert take.performance.hand == take.performance.reactor_hand == "right"
        frames = slice(int(touch.start * 120), int(touch.end * 120))
        hand = ja[frames, JOINT_INDEX["right_middle1"]]
        side = np.cross([0.0, 1.0, 0.0], take.actor.facing()[frames])
        lateral = np.sum((hand - hand.mean(axis=0)) * side, axis=-1)
        assert np.ptp(lateral) > 0.15
        crossings = np.count_nonzero(np.diff(np.sign(lateral - np.median(lateral))) != 0)
        assert crossings >= take.performance.repetitions


def test_pulled_reactor_is_drawn_forward():
    for take, _, _ in takes(8):
        r = take.reactor
        moved = (r.floor_xz[-1] - r.floor_xz[0]) @ r.facing()[0, [0, 2]]
        assert moved > 0.15


def test_knocked_over_reactor_ends_on_the_floor():
    """Sitting or lying at the end: the pelvis is low and the body stays grounded (nothing below the floor)."""
    for _, _, jr in takes(14):
        assert jr[-1, 0, 1] < 0.35
        assert (jr[..., 1] - CLEARANCE).min() > -1e-6


@pytest.mark.parametrize("action", ACTIONS)
def test_takes_vary(action):
    records = {(t.performance, len(ja)) for t, ja, _ in takes(action)}
    assert len(records) == len(SEEDS)
