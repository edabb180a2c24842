"""A small, valid raw release in the official layout, for tests and demos.

It is an example, not data: two standing people about 1 m apart facing each
other, with slow sinusoidal spine, arm and hand motion, marker skeletons
placed around the bodies, and three template texts naming the action. Ids
are real ones from the official lists and keep their official split.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from interx.data.annotations import NUM_TRAITS, official_action_names
from interx.data.atomic import atomic_write_text
from interx.data.ids import NUM_ACTIONS, NUM_GROUPS, SequenceId
from interx.data.motion import PersonMotion
from interx.data.raw import RAW_FPS, SKELETON_ROWS, Interaction, write_raw_release
from interx.data.splits import SPLITS, official_ids, official_split_of

README = """\
Inter-X layout EXAMPLE written by interx.data.example.write_example_release.

This is NOT real Inter-X data. Sequence ids and split membership come from the
official lists; motions are two standing bodies with small sinusoidal motion,
skeletons are markers placed around them, texts are templates naming the
action, and the annotations (interaction order, familiarity, Big-Five) are
random. Use it to try the tools and to test code, never to report results.
"""

# Marker skeleton rest layout in the body frame (x left, y up, z forward, pelvis
# at the origin): (row, parent row, offset from the parent in metres).
_BONES: list[tuple[int, int, tuple[float, float, float]]] = []


def _bone(row: int, parent: int, offset: tuple[float, float, float]) -> None:
    _BONES.append((row, parent, offset))


for _side, _hip, _first in ((1.0, 1, 1), (-1.0, 5, 5)):
    _bone(_first, 0, (0.09 * _side, -0.05, 0.0))
    _bone(_first + 1, _first, (0.0, -0.40, 0.0))
    _bone(_first + 2, _first + 1, (0.0, -0.42, 0.0))
    _bone(_first + 3, _first + 2, (0.0, -0.05, 0.12))
_bone(9, 0, (0.0, 0.20, 0.0))
_bone(10, 9, (0.0, 0.25, 0.0))
for _side, _start in ((1.0, 11), (-1.0, 35)):
    _bone(_start, 10, (0.15 * _side, 0.05, 0.0))
    _bone(_start + 1, _start, (0.05 * _side, -0.02, 0.0))
    _bone(_start + 2, _start + 1, (0.04 * _side, -0.28, 0.0))
    _bone(_start + 3, _start + 2, (0.02 * _side, -0.25, 0.03))
    _wrist = _start + 3
    for _finger in range(5):
        _spread = (_finger - 2) * 0.015
        _row = _wrist + 1 + 4 * _finger
        _bone(_row, _wrist, (0.01 * _side, -0.04, _spread))
        for _k in range(1, 4):
            _bone(_row + _k, _row + _k - 1, (0.0, -0.025, _spread * 0.3))
_bone(59, 10, (0.0, 0.12, 0.0))
_bone(60, 59, (0.0, 0.12, 0.02))
_bone(61, 60, (0.0, 0.06, 0.08))
_bone(62, 60, (0.0, 0.10, 0.0))
_ARM_ROWS = np.array(sorted({r for r, _, _ in _BONES if 12 <= r <= 34 or 36 <= r <= 58}))


def _rest_markers() -> np.ndarray:
    rest = np.zeros((SKELETON_ROWS, 3))
    for row, parent, offset in _BONES:
        rest[row] = rest[parent] + np.asarray(offset)
    return rest


def _yaw_matrices(yaw: np.ndarray) -> np.ndarray:
    c, s = np.cos(yaw), np.sin(yaw)
    mats = np.zeros(yaw.shape + (3, 3))
    mats[..., 0, 0], mats[..., 0, 2] = c, s
    mats[..., 1, 1] = 1.0
    mats[..., 2, 0], mats[..., 2, 2] = -s, c
    return mats


def _person(rng: np.random.Generator, frames: int, side: float, freq: float, phase: float, is_actor: bool):
    """One standing person facing the other; returns (PersonMotion, markers)."""
    t = np.arange(frames) / RAW_FPS
    wave = np.sin(2 * np.pi * freq * t + phase)
    slow = np.sin(2 * np.pi * 0.5 * freq * t + 2 * phase)
    yaw = side * np.pi / 2 + 0.05 * slow
    root_orient = np.stack([np.zeros(frames), yaw, np.zeros(frames)], axis=1)
    body = np.zeros((frames, 21, 3))
    for joint in (2, 5, 8):  # spine1-3: gentle forward bend
        body[:, joint, 0] = 0.04 + 0.03 * slow
    amplitude = 0.25 if is_actor else 0.12
    body[:, 15, 2] = -1.2 + amplitude * wave  # left shoulder: arm down, swinging
    body[:, 16, 2] = 1.2 - amplitude * wave  # right shoulder
    body[:, 17, 1] = -0.3 - 0.2 * (1 + wave) / 2  # left elbow
    body[:, 18, 1] = 0.3 + 0.2 * (1 + wave) / 2  # right elbow
    body[:, 14, 0] = 0.05 * slow  # head nod
    curl = 0.15 + 0.05 * slow
    lhand = np.zeros((frames, 15, 3))
    rhand = np.zeros((frames, 15, 3))
    lhand[:, :, 2] = curl[:, None]
    rhand[:, :, 2] = -curl[:, None]
    step = 0.04 * wave if is_actor else 0.01 * wave
    trans = np.stack([
        -side * (0.5 - step) + 0.005 * slow,
        1.28 + 0.005 * np.sin(4 * np.pi * freq * t),
        0.01 * slow,
    ], axis=1)
    betas = np.clip(rng.normal(0.0, 0.6, size=10), -2.0, 2.0)
    motion = PersonMotion(
        root_orient=root_orient.astype(np.float32),
        pose_body=body.astype(np.float32),
        pose_lhand=lhand.astype(np.float32),
        pose_rhand=rhand.astype(np.float32),
        trans=trans.astype(np.float32),
        betas=betas.astype(np.float32),
        gender="neutral",
    )
    local = np.broadcast_to(_rest_markers(), (frames, SKELETON_ROWS, 3)).copy()
    local[:, _ARM_ROWS, 2] += (0.08 * amplitude / 0.25) * wave[:, None]
    pelvis = trans + np.array([0.0, -0.35, 0.0])
    markers = np.einsum("tij,tkj->tki", _yaw_matrices(yaw), local) + pelvis[:, None, :]
    markers[:, 63] = 0.0  # unused row
    return motion, markers.astype(np.float32)


def _texts(name: str, actor: int) -> list[str]:
    who = ("the first person", "the second person")
    act, react = who[actor], who[1 - actor]
    lowered = name.lower()
    return [
        f"Two people stand facing each other and {act} starts the interaction \"{lowered}\" toward {react}.",
        f"In this {lowered} interaction, {act} acts first while {react} responds calmly.",
        f"A short clip of the category {name}: {act} moves their arms and {react} reacts in place.",
    ]


def _choose_ids(rng: np.random.Generator, per_action: int) -> list[str]:
    """`per_action` official ids per action; the first actions seed every split."""
    by_action: dict[int, list[str]] = {a: [] for a in range(NUM_ACTIONS)}
    for seq_id in official_ids("all"):
        by_action[SequenceId.parse(seq_id).action].append(seq_id)
    split_of = official_split_of()
    chosen: list[str] = []
    for action, ids in by_action.items():
        order = [ids[i] for i in rng.permutation(len(ids))]
        if action < len(SPLITS):
            wanted = SPLITS[action]
            order.sort(key=lambda i: split_of.get(i) != wanted)
        chosen.extend(order[:per_action])
    return sorted(chosen)


def write_example_release(root: str | os.PathLike, *, per_action: int = 2, seed: int = 0,
                          as_zip: bool = False) -> Path:
    """Write the example release to `root` (folder layout, or the three zips)."""
    if per_action < 1:
        raise ValueError("per_action must be at least 1")
    rng = np.random.default_rng(seed)
    names = official_action_names()
    ids = _choose_ids(rng, per_action)
    familiarity = {g: int(rng.integers(1, 5)) for g in range(1, NUM_GROUPS + 1)}
    big_five = np.round(rng.uniform(12.0, 40.0, size=(NUM_GROUPS, 2, NUM_TRAITS)), 1)
    order = {seq_id: int(rng.integers(0, 2)) for seq_id in ids}

    def interactions():
        for seq_id in ids:
            sid = SequenceId.parse(seq_id)
            frames = int(rng.integers(2 * RAW_FPS, 6 * RAW_FPS + 1))
            freq = 0.3 + 0.05 * (sid.action % 8)
            phase = float(rng.uniform(0, 2 * np.pi))
            actor = order[seq_id]
            p1, s1 = _person(rng, frames, 1.0, freq, phase, actor == 0)
            p2, s2 = _person(rng, frames, -1.0, freq, phase + np.pi / 3, actor == 1)
            yield Interaction(
                id=seq_id,
                persons=(p1, p2),
                texts=_texts(names[sid.action], actor),
                action=sid.action,
                action_name=names[sid.action],
                actor=actor,
                familiarity=familiarity[sid.group],
                big_five=big_five[sid.group - 1],
                skeletons=(s1, s2),
            )

    root = Path(root)
    write_raw_release(root, interactions(), action_names=names, order=order, familiarity=familiarity,
                      big_five=big_five, as_zip=as_zip)
    atomic_write_text(root / "README.txt", README)
    return root
