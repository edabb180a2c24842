"""Touch choreographies: timing, real contact on the named body parts, no interpenetration,
grounded bodies, smooth motion, the actor first, and a Performance that matches the motion."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import interx.synth.actions.touch  # noqa: F401  (registers the choreographies)
from interx.body.skeleton import JOINT_INDEX
from interx.synth.actions import CHOREOGRAPHIES, CONTACT_ACTIONS, touch_distance
from interx.synth.checks import TORSO, interpenetration, max_speed, motion_onset
from interx.synth.rig import CLEARANCE, FPS
from interx.synth.stage import draw_cast
from interx.synth.subjects import make_groups

SEEDS = range(8)
# category -> (actor body parts, reactor body parts) its touches must use
PARTS = {
    11: ({"middle1"}, {"spine3"}),  # palm on the upper back
    30: ({"middle1"}, {"head"}),  # palm on the cheek
    32: ({"middle1"}, {"head"}),  # palm on the crown
    36: ({"middle1"}, {"head"}),  # palm on the mouth (and the back of the head)
    26: ({"middle1"}, {"spine3"}),  # palms on the tops of the shoulders
    22: ({"middle1"}, {"elbow"}),  # palm on the forearm of the reactor's bent arm
    23: ({"collar", "middle1"}, {"collar", "spine2"}),  # shoulder against shoulder, a hand round the back
    19: ({"middle1"}, {"spine2", "shoulder"}),  # palms on the back and on the upper arm
    18: ({"head"}, {"head"}),  # lips at the ear
    34: ({"head", "middle1"}, {"head", "shoulder"}),  # lips on the cheek, a hand on the upper arm
    27: ({"middle1"}, {"hip", "knee"}),  # palms on the thigh (hip's frame) and the shin (knee's frame)
}


@cache
def takes(action: int):
    groups = make_groups(0)
    out = []
    for seed in SEEDS:
        rng = np.random.default_rng([action, seed, 7])
        cast = draw_cast(rng, action, groups[(seed * 7 + action) % len(groups)])
        take = CHOREOGRAPHIES[action](cast)
        out.append((take, take.actor.fk(), take.reactor.fk()))
    return out


def _part(joint: str) -> str:
    return joint.removeprefix("left_").removeprefix("right_")


@pytest.mark.parametrize("action", sorted(PARTS))
def test_duration_and_contact(action):
    assert action in CONTACT_ACTIONS
    actor_parts, reactor_parts = PARTS[action]
    for take, _, _ in takes(action):
        assert 2.0 <= take.actor.num_frames / FPS <= 12.0
        assert take.touches
        for touch in take.touches:
            assert _part(touch.actor_joint) in actor_parts and _part(touch.reactor_joint) in reactor_parts
            window = slice(int(touch.start * FPS), int(touch.end * FPS) + 1)
            assert touch_distance(take, touch)[window].min() <= 0.05, touch


@pytest.mark.parametrize("action", sorted(PARTS))
def test_plausible_motion(action):
    for _, a, r in takes(action):
        assert interpenetration(a, r, TORSO, TORSO).max() < 0.03
        assert interpenetration(a, r).max() < 0.10
        for joints in (a, r):
            # grounded: the lowest body point rests on the floor in every frame
            np.testing.assert_allclose((joints[..., 1] - CLEARANCE).min(axis=-1), 0.0, atol=1e-6)
            assert max_speed(joints) < 12.0
        assert motion_onset(a) < motion_onset(r)


@pytest.mark.parametrize("action", sorted(PARTS))
def test_joint_ranges(action):
    for take, _, _ in takes(action):
        for body in (take.actor, take.reactor):
            for side in ("left", "right"):
                assert np.linalg.norm(body.pose[:, JOINT_INDEX[f"{side}_elbow"]], axis=-1).max() <= np.radians(150)
                assert np.linalg.norm(body.pose[:, JOINT_INDEX[f"{side}_knee"]], axis=-1).max() <= np.radians(140)


@pytest.mark.parametrize("action", sorted(PARTS))
def test_performance_matches_motion(action):
    seen = set()
    for take, a, _ in takes(action):
        p = take.performance
        assert p.action == action
        sides = {"left", "right"} if p.hand == "both" else {p.hand}
        # the declared hand (or shoulder) makes the contacts ...
        assert {t.actor_joint.split("_")[0] for t in take.touches if "_" in t.actor_joint} <= sides
        # ... and moves most relative to the body
        if p.hand != "both":
            travel = {s: np.ptp(np.linalg.norm(a[:, JOINT_INDEX[f"{s}_wrist"]] - a[:, 0], axis=-1))
                      for s in ("left", "right")}
            assert travel[p.hand] >= travel["right" if p.hand == "left" else "left"]
        seen.add((p, take.actor.num_frames))
    assert len(seen) == len(SEEDS)  # no two takes alike
