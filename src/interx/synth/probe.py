"""A recognition probe: are the categories of a dataset learnable, and not trivially?

Pooled joint features (both persons, in the first person's starting frame,
at 30 fps) and a linear softmax classifier. Far above chance means the
motion carries the category; clearly below perfect means it is not a
lookup of one trivial cue (such as the sequence length).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from interx.body.fk import forward_kinematics, pose_from_params
from interx.body.skeleton import NUM_BODY_JOINTS
from interx.data.raw import Interaction, RawRelease


def canonical_joints(interaction: Interaction, step: int = 4) -> np.ndarray:
    """Body joints `(T, 2, 22, 3)` of both persons, every `step`-th frame, in P1's frame at frame 0.

    Origin under P1's pelvis at frame 0, P1 facing +Z there.
    """
    joints = []
    for person in interaction.persons:
        pose = pose_from_params(person.root_orient[::step], person.pose_body[::step])
        joints.append(forward_kinematics(pose, person.trans[::step], person.betas)[:, :NUM_BODY_JOINTS])
    joints = np.stack(joints, axis=1).astype(np.float64)
    hips = joints[0, 0, 1] - joints[0, 0, 2]  # left hip - right hip of P1 at frame 0
    yaw = np.arctan2(-hips[2], hips[0])  # turn that brings the hip line onto +X
    c, s = np.cos(yaw), np.sin(yaw)
    turn = np.array([[c, 0, -s], [0, 1, 0], [s, 0, c]])
    origin = joints[0, 0, 0] * np.array([1.0, 0.0, 1.0])
    return (joints - origin) @ turn.T


def pooled_features(interaction: Interaction) -> np.ndarray:
    """Mean, spread, extremes and speed of every joint coordinate, plus the persons' distance."""
    joints = canonical_joints(interaction)
    frames = joints.reshape(len(joints), -1)
    distance = np.linalg.norm(joints[:, 0, 0] - joints[:, 1, 0], axis=-1)[:, None]
    speed = np.linalg.norm(np.diff(joints, axis=0), axis=-1).reshape(max(len(joints) - 1, 0), -1)
    if len(speed) == 0:
        speed = np.zeros((1, 2 * NUM_BODY_JOINTS))
    parts = [frames, distance]
    pooled = [f(x, axis=0) for x in parts for f in (np.mean, np.std, np.min, np.max)]
    pooled += [speed.mean(axis=0), speed.max(axis=0)]
    return np.concatenate(pooled)


@dataclass
class ProbeResult:
    train_accuracy: float
    test_accuracy: float
    chance: float
    train_size: int
    test_size: int


def load_features(
    root, split: str, progress: Callable[[int, int], None] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    with RawRelease(root) as release:
        ids = release.ids(split)
        features, labels = [], []
        for k, seq_id in enumerate(ids, start=1):
            interaction = release.load(seq_id)
            features.append(pooled_features(interaction))
            labels.append(interaction.action)
            if progress:
                progress(k, len(ids))
    return np.stack(features), np.asarray(labels)


def recognition_probe(root, seed: int = 0, epochs: int = 400) -> ProbeResult:
    """Train the linear probe on the train split of a raw release and score its test split."""
    x_train, y_train = load_features(root, "train")
    x_test, y_test = load_features(root, "test")
    mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 1e-6
    torch.manual_seed(seed)
    xt = torch.tensor((x_train - mean) / std, dtype=torch.float32)
    xv = torch.tensor((x_test - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y_train)
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    model = torch.nn.Linear(xt.shape[1], num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        train_acc = (model(xt).argmax(1) == yt).float().mean().item()
        test_acc = (model(xv).argmax(1).numpy() == y_test).mean()
    return ProbeResult(train_acc, float(test_acc), 1.0 / num_classes, len(y_train), len(y_test))
