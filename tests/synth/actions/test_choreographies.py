"""Every category, a few takes each: the motion is plausible and its texts tell the truth."""

from __future__ import annotations

import re

import numpy as np
import pytest

from interx.body.skeleton import JOINT_INDEX
from interx.synth.actions import CHOREOGRAPHIES, CONTACT_ACTIONS, touch_distance
from interx.synth.checks import TORSO, interpenetration, max_speed, min_distance, motion_onset
from interx.synth.rig import CLEARANCE, yaw_matrix
from interx.synth.stage import draw_cast
from interx.synth.subjects import make_groups
from interx.synth.texts import HANDLESS_ACTIONS, describe

GROUPS = make_groups(0)
SEEDS = range(3)
ACTIONS = range(40)


def take_of(action: int, seed: int):
    rng = np.random.default_rng([action, seed, 11])
    cast = draw_cast(rng, action, GROUPS[(7 * seed + action) % 59])
    take = CHOREOGRAPHIES[action](cast)
    return take, take.actor.fk(), take.reactor.fk(), rng


def test_all_40_categories_are_registered():
    assert sorted(CHOREOGRAPHIES) == list(range(40))


@pytest.mark.parametrize("action", ACTIONS)
def test_category_is_plausible(action):
    for seed in SEEDS:
        take, a, r, _ = take_of(action, seed)
        where = f"action {action} seed {seed}"
        assert 2.0 <= len(a) / 120 <= 12.0, where
        assert motion_onset(a) < motion_onset(r), f"{where}: the actor must move first"
        if action in CONTACT_ACTIONS:
            assert take.touches, f"{where}: a contact category declares its contacts"
            for touch in take.touches:
                d = touch_distance(take, touch)[int(touch.start * 120): int(touch.end * 120) + 1]
                assert d.min() <= 0.05, f"{where}: {touch.actor_joint}-{touch.reactor_joint} {d.min():.3f} m"
        else:
            assert min_distance(a, r).min() > 0.30, f"{where}: non-contact bodies come within 30 cm"
        assert interpenetration(a, r, TORSO, TORSO).max() < 0.03, where
        assert interpenetration(a, r).max() < 0.10, where
        for body, joints in ((take.actor, a), (take.reactor, r)):
            assert max_speed(joints) < 12.0, f"{where}: a joint jumps"
            lowest = np.min(joints[..., 1] - CLEARANCE, axis=-1)
            assert lowest.min() > -0.02, f"{where}: the body sinks into the floor"
            standing = body.lift < 1e-6
            assert np.all(lowest[standing] < 0.02), f"{where}: a standing body floats"
            for joint, limit in (("elbow", 150), ("knee", 140)):
                for side in ("left", "right"):
                    bend = np.degrees(np.linalg.norm(body.pose[:, JOINT_INDEX[f"{side}_{joint}"]], axis=-1))
                    assert bend.max() <= limit + 1, f"{where}: {side} {joint} bends {bend.max():.0f} deg"


@pytest.mark.parametrize("action", ACTIONS)
def test_texts_name_the_hand_that_moves(action):
    for seed in SEEDS:
        take, a, _, rng = take_of(action, seed)
        perf = take.performance
        texts = describe(perf, rng)
        assert len(set(texts)) == 3
        if perf.hand == "both" or action in HANDLESS_ACTIONS:
            continue
        assert all(perf.hand in text.split() or f"{perf.hand}-" in text for text in texts), texts
        sides = {t.actor_joint.split("_")[0] for t in take.touches} & {"left", "right"}
        if sides:
            # the contact is made with the named hand (or foot)
            assert perf.hand in sides, f"action {action} seed {seed}: touches with {sides}, texts say {perf.hand}"
            continue
        # the named side's limbs (hand, or foot for kicks) move farther from where they started,
        # in the actor's own turning frame (so walking and turning count for both sides alike)
        facing = yaw_matrix(take.actor.yaw)
        excursion = {}
        for side in ("left", "right"):
            excursion[side] = 0.0
            for end in ("wrist", "ankle"):
                rel = np.einsum("tji,tj->ti", facing, a[:, JOINT_INDEX[f"{side}_{end}"]] - a[:, 0])
                excursion[side] += np.linalg.norm(rel - rel[:1], axis=-1).max()
        other = "left" if perf.hand == "right" else "right"
        assert excursion[perf.hand] > excursion[other], f"action {action} seed {seed}: {excursion}"


def test_hug_texts_say_where_the_arms_go():
    """Upper back or lower back, for each person, as the palms actually land."""
    seen = set()
    for seed in range(8):
        take, a, r, rng = take_of(0, seed)
        p = take.performance
        palms = [JOINT_INDEX["left_middle1"], JOINT_INDEX["right_middle1"]]
        window = slice(int(take.touches[0].start * 120), int(take.touches[0].end * 120))
        for hands, body, spot in ((a, r, p.spot), (r, a, p.reactor_spot)):
            if hands is r and p.reactor_hand == "none":
                continue
            # upper back: palms a little above the partner's spine3 joint; lower back: 6 cm below it
            height = (hands[window][:, palms, 1] - body[window][:, None, JOINT_INDEX["spine3"], 1]).mean()
            landed = "upper back" if height > -0.015 else "lower back"
            assert spot == landed, f"seed {seed}: palms {height:+.3f} m from the spine3 height, performance says {spot}"
            seen.add(landed)
        texts = " ".join(describe(p, rng))
        for other in {"upper back", "lower back"} - {p.spot, p.reactor_spot}:
            assert other not in texts, texts
    assert seen == {"upper back", "lower back"}


def test_block_texts_name_the_fist_or_foot_that_strikes():
    kinds = set()
    for seed in range(12):
        take, _, _, rng = take_of(38, seed)
        kicks = take.touches[0].actor_joint.endswith("_ankle")
        texts = describe(take.performance, rng)
        want, other = ("foot", "fist") if kicks else ("fist", "foot")
        assert all(want in t and other not in t for t in texts), texts
        assert all(("belly" if kicks else "face") in t for t in texts), texts
        kinds.add(kicks)
    assert kinds == {True, False}


def test_look_back_the_actor_calls_and_the_reactor_turns_its_head_back():
    for seed in range(3):
        take, a, _, rng = take_of(37, seed)
        p = take.performance
        wrist, shoulder = JOINT_INDEX[f"{p.hand}_wrist"], JOINT_INDEX[f"{p.hand}_shoulder"]
        assert (a[:, wrist, 1] - a[:, shoulder, 1]).max() > 0.0, f"seed {seed}: the calling hand stays low"
        _, head = take.reactor.fk(return_rotations=True, joints=[JOINT_INDEX["head"]])
        gaze = head[:, 0] @ np.array([0.0, 0.0, 1.0])
        turned = np.degrees(np.arccos(np.clip(gaze @ gaze[0], -1.0, 1.0))).max()
        assert turned > 60, f"seed {seed}: the reactor's head turns only {turned:.0f} deg"
        texts = describe(p, rng)
        assert all(re.search(r"second person (\w+ )*(twists|turns|glances)", t) for t in texts), texts
