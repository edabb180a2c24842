"""Whole-body choreographies (interx.synth.actions.move): plausibility over several casts, and the
Performance's hand agreeing with the motion."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import interx.synth.actions.move  # noqa: F401  (registers the choreographies)
from interx.synth.actions import CHOREOGRAPHIES, CONTACT_ACTIONS, touch_distance
from interx.synth.checks import RADIUS, TORSO, interpenetration, max_speed, min_distance, motion_onset
from interx.synth.rig import CLEARANCE, FPS, J
from interx.synth.stage import draw_cast
from interx.synth.subjects import make_groups

SEEDS = range(8)
POSING, SIT_ON_LEG, WALK_TOWARDS, CHASE, DANCE, BEND, CARRY, HELP_UP, LOOK_BACK = 6, 9, 13, 17, 21, 24, 25, 35, 37
ACTIONS = (POSING, SIT_ON_LEG, WALK_TOWARDS, CHASE, DANCE, BEND, CARRY, HELP_UP, LOOK_BACK)
# bodies that are not standing on their own feet during part of the take (grounded another way)
SUPPORTED = {SIT_ON_LEG: "actor", CARRY: "reactor"}


@functools.cache
def _takes(action: int):
    groups = make_groups(0)
    out = []
    for seed in SEEDS:
        rng = np.random.default_rng([action, seed, 11])
        cast = draw_cast(rng, action, groups[(7 * seed + action) % len(groups)])
        take = CHOREOGRAPHIES[action](cast)
        out.append((take, take.actor.fk(), take.reactor.fk()))
    return out


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Joint-to-joint distances `(T, 55, 55)`: the same as the checks' broadcasting, via a matrix product (faster)."""
    square = (a**2).sum(-1)[:, :, None] + (b**2).sum(-1)[:, None, :] - 2.0 * a @ np.swapaxes(b, 1, 2)
    return np.sqrt(np.maximum(square, 0.0))


def _lowest(joints: np.ndarray) -> np.ndarray:
    """Per frame, how far the body's lowest point is above the floor (its clearance taken off)."""
    return (joints[..., 1] - CLEARANCE).min(axis=-1)


@pytest.mark.parametrize("action", ACTIONS)
def test_registered(action):
    assert action in CHOREOGRAPHIES
    assert (action in CONTACT_ACTIONS) == (action in (POSING, SIT_ON_LEG, DANCE, CARRY, HELP_UP))


@pytest.mark.parametrize("action", ACTIONS)
def test_plausible(action):
    for take, actor, reactor in _takes(action):
        duration = len(actor) / FPS
        assert 2.0 <= duration <= 12.0
        distance = _distances(actor, reactor)
        if action in CONTACT_ACTIONS:
            assert take.touches
            for touch in take.touches:
                window = slice(int(touch.start * FPS), int(touch.end * FPS) + 1)
                assert touch_distance(take, touch)[window].min() <= 0.05, touch
        else:
            assert distance.min() > 0.30  # min_distance
        assert interpenetration(actor, reactor, TORSO, TORSO).max() < 0.03
        assert (RADIUS[:, None] + RADIUS[None, :] - distance).max() < 0.10  # interpenetration over all joints
        for role, joints in (("actor", actor), ("reactor", reactor)):
            lowest = _lowest(joints)
            if SUPPORTED.get(action) == role:
                assert lowest.min() > -0.01  # nothing below the floor
                assert abs(lowest[0]) < 1e-6 and abs(lowest[-1]) < 1e-6  # starts and ends standing
            else:
                assert np.abs(lowest).max() < 1e-6
            assert max_speed(joints) < 12.0
        assert motion_onset(actor) < motion_onset(reactor)


def _moved(joints: np.ndarray, side: str) -> float:
    """How far a hand travels relative to the pelvis over the take (max distance from its start)."""
    hand = joints[:, J[f"{side}_wrist"]] - joints[:, J["pelvis"]]
    return float(np.linalg.norm(hand - hand[0], axis=-1).max())


def _leading_foot(body, joints: np.ndarray) -> str:
    """The foot ahead (along the facing) when the pelvis has covered its first 0.25 m."""
    travelled = np.linalg.norm(body.floor_xz - body.floor_xz[0], axis=-1)
    f = int(np.argmax(travelled > 0.25))
    facing = body.facing()[f]
    ahead = {s: joints[f, J[f"{s}_ankle"]] @ facing for s in ("left", "right")}
    return max(ahead, key=ahead.get)


@pytest.mark.parametrize("action", ACTIONS)
def test_hand_matches_motion(action):
    for take, actor, _ in _takes(action):
        hand = take.performance.hand
        sides = ("left", "right") if hand == "both" else (hand,)
        if action in (WALK_TOWARDS, CHASE):
            assert _leading_foot(take.actor, actor) == hand
        elif action in CONTACT_ACTIONS:
            used = {t.actor_joint.split("_")[0] for t in take.touches if t.actor_joint.endswith("middle1")}
            assert used == set(sides), (used, hand)
        elif hand != "both":
            other = "left" if hand == "right" else "right"
            assert _moved(actor, hand) > _moved(actor, other) + 0.1
        if action == LOOK_BACK:  # the calling hand goes up beside the head
            assert actor[:, J[f"{hand}_wrist"], 1].max() > actor[:, J["neck"], 1].min()


def test_fast_distances_match_checks():
    take, actor, reactor = _takes(POSING)[0]
    distance = _distances(actor, reactor)
    assert np.allclose(distance.min(axis=(1, 2)), min_distance(actor, reactor), atol=1e-6)
    overlap = np.maximum((RADIUS[:, None] + RADIUS[None, :] - distance).max(axis=(1, 2)), 0.0)
    assert np.allclose(overlap, interpenetration(actor, reactor), atol=1e-6)


def test_variety():
    """No two takes alike: different lengths or different motion, and more than one kind of performance."""
    for action in ACTIONS:
        takes = _takes(action)
        for i, (_, a, _) in enumerate(takes):
            for _, b, _ in takes[:i]:
                assert len(a) != len(b) or np.abs(a - b).max() > 0.05
        assert len({t.performance for t, _, _ in takes}) > 1
