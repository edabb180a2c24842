"""The recognition probe's features do not depend on where the scene is or which way it faces."""

from __future__ import annotations

import dataclasses

import numpy as np

from interx.body.rotations import axis_angle_to_matrix, matrix_to_axis_angle
from interx.body.template import rest_joints
from interx.synth.generate import generate_interaction, select_ids
from interx.synth.probe import canonical_joints, pooled_features
from interx.synth.subjects import make_groups


def moved(interaction, yaw: float, shift) -> object:
    """The same interaction turned about the vertical through the origin and shifted on the floor."""
    turn = axis_angle_to_matrix(np.array([0.0, yaw, 0.0]))
    persons = []
    for p in interaction.persons:
        root = matrix_to_axis_angle(turn @ axis_angle_to_matrix(p.root_orient.astype(np.float64)))
        # SMPL-X turns about the pelvis joint: keep the pelvis where the turn sends it
        pelvis = rest_joints(p.betas)[0]
        trans = (p.trans + pelvis) @ turn.T - pelvis + np.array([shift[0], 0.0, shift[1]])
        persons.append(dataclasses.replace(p, root_orient=root.astype(np.float32), trans=trans.astype(np.float32)))
    return dataclasses.replace(interaction, persons=tuple(persons))


def test_features_are_invariant_to_a_rigid_move_of_the_scene():
    seq_id = select_ids("tiny")[0]
    interaction = generate_interaction(seq_id, 0, make_groups(0))
    other = moved(interaction, 1.1, (2.0, -3.0))
    np.testing.assert_allclose(canonical_joints(other), canonical_joints(interaction), atol=1e-4)
    np.testing.assert_allclose(pooled_features(other), pooled_features(interaction), atol=1e-4)
    # P1 starts at the origin facing +Z
    joints = canonical_joints(interaction)
    np.testing.assert_allclose(joints[0, 0, 0, [0, 2]], 0.0, atol=1e-9)
    assert joints[0, 0, 1, 0] > joints[0, 0, 2, 0]  # left hip on +X
