"""The cast's labels show in every take: familiarity and each Big-Five trait through the posture."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from interx.body.skeleton import JOINT_INDEX
from interx.synth.actions import CHOREOGRAPHIES
from interx.synth.stage import draw_cast
from interx.synth.subjects import TRAITS, make_groups

GROUP = make_groups(0)[0]


def lean_toward_partner(familiarity: int, action: int) -> float:
    """Mean over the take of how much nearer the two necks are than the two pelvises (m)."""
    group = replace(GROUP, familiarity=familiarity)
    rng = np.random.default_rng([action, 5])
    take = CHOREOGRAPHIES[action](draw_cast(rng, action, group))
    a, r = take.actor.fk(), take.reactor.fk()

    def gap(joint: str) -> np.ndarray:
        j = JOINT_INDEX[joint]
        return np.linalg.norm(a[:, j, [0, 2]] - r[:, j, [0, 2]], axis=-1)

    return float(np.mean(gap("pelvis") - gap("neck")))


@pytest.mark.parametrize("action", [2, 1])  # wave, and handshake (contact)
def test_familiar_pairs_lean_toward_each_other(action):
    # the same take (same random draws) with strangers and with the most familiar pair
    assert lean_toward_partner(4, action) > lean_toward_partner(1, action) + 0.05


def changed_rotations(before: dict, after: dict) -> set[tuple[str, int]]:
    return {(joint, k) for joint in before for k in range(3) if before[joint][k] != after[joint][k]}


def test_each_label_moves_its_own_joints():
    """Familiarity and the five traits each change a different set of joint rotations, so a recognizer can
    tell them apart in one clip."""
    base = GROUP.posture(0)
    moved = {"familiarity": changed_rotations(base, replace(GROUP, familiarity=5 - GROUP.familiarity).posture(0))}
    for t, trait in enumerate(TRAITS):
        subject = GROUP.subjects[0]
        bumped = replace(subject, big_five=subject.big_five + 6.0 * (np.arange(5) == t))
        moved[trait] = changed_rotations(base, replace(GROUP, subjects=(bumped, GROUP.subjects[1])).posture(0))
    assert all(moved.values()), moved
    labels = list(moved)
    for i, first in enumerate(labels):
        for second in labels[i + 1:]:
            assert not moved[first] & moved[second], (first, second)
