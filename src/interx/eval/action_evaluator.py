"""The action evaluator: a skeleton recognition network over both persons, for the label-conditioned tasks.

Action-to-interaction, reaction and stylized generation are scored with an
action recognizer (FID of its features, accuracy of its predictions, Diversity,
per-class MultiModality). Its input is skeletal: forward kinematics of the
processed motion (neutral body, `interx.body.fk`) gives both persons' 22 body
joints; each clip is resampled uniformly in time to 64 frames (so any length
works and batches are plain arrays); per frame it reads both persons' joint
positions and velocities (2 x 22 x 3 x 2 = 264 values), normalized with the
training statistics stored in the checkpoint. A temporal convolution network
with global average pooling gives a 256-d feature, a linear layer the 40
class scores. Person order is irrelevant by construction: training swaps the
persons at random and evaluation averages both orders, so the reactor-first
layout of reaction generation scores like the actor-first one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from interx.data.atomic import atomic_path
from interx.data.ids import NUM_ACTIONS, SequenceId
from interx.data.processed import ProcessedRelease
from interx.errors import FormatError, InterXError
from interx.models.pair_input import body_joints

log = logging.getLogger(__name__)
BODY_JOINTS = 22
CLIP_FRAMES = 64
INPUT_SIZE = 2 * BODY_JOINTS * 3 * 2
MODULE_KEYS = ("encoder", "classifier")


def action_of(seq_id: str) -> int:
    """The action label of an id (its `Aaaa` field)."""
    return SequenceId.parse(seq_id).action


def clip_input(joints: np.ndarray, start: float = 0.0, stop: float = 1.0) -> np.ndarray:
    """[T, 2, 22, 3] joints -> [64, 264]: the part [start, stop) of the clip resampled to 64 frames."""
    frames = len(joints)
    times = np.linspace(start * (frames - 1), stop * (frames - 1), CLIP_FRAMES)
    low = np.floor(times).astype(int)
    high = np.minimum(low + 1, frames - 1)
    weight = (times - low)[:, None, None, None]
    positions = (1 - weight) * joints[low] + weight * joints[high]
    velocity = np.diff(positions, axis=0, prepend=positions[:1]) * (CLIP_FRAMES / max(frames, 2))
    return np.concatenate([positions.reshape(CLIP_FRAMES, -1), velocity.reshape(CLIP_FRAMES, -1)], axis=1)


def swap_persons(x: np.ndarray | torch.Tensor):
    """Exchange the persons in [..., 264] clip inputs."""
    half = BODY_JOINTS * 3
    parts = [x[..., half:2 * half], x[..., :half], x[..., 3 * half:], x[..., 2 * half:3 * half]]
    return torch.cat(parts, -1) if isinstance(x, torch.Tensor) else np.concatenate(parts, -1)


class ActionEncoder(nn.Module):
    """Temporal convolutions and average pooling: [B, 64, 264] -> [B, feature]."""

    def __init__(self, input_size: int = INPUT_SIZE, hidden: int = 128, feature: int = 256, dropout: float = 0.2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(input_size, hidden, 5, padding=2), nn.BatchNorm1d(hidden), nn.ReLU(),
            nn.Conv1d(hidden, hidden, 5, stride=2, padding=2), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Conv1d(hidden, feature, 3, stride=2, padding=1), nn.BatchNorm1d(feature), nn.ReLU(),
        )
        self.register_buffer("mean", torch.zeros(input_size))
        self.register_buffer("std", torch.ones(input_size))

    def forward(self, clips: torch.Tensor) -> torch.Tensor:
        return self.net(((clips - self.mean) / self.std).permute(0, 2, 1)).mean(dim=2)


class ActionEvaluator:
    """Features and class scores of two-person motions, independent of person order."""

    def __init__(self, encoder: ActionEncoder, classifier: nn.Linear):
        self.encoder = encoder.eval()
        self.classifier = classifier.eval()

    @classmethod
    def load(cls, path: str | os.PathLike) -> ActionEvaluator:
        path = Path(path)
        if not path.is_file():
            raise FormatError(path, None, "an existing action evaluator checkpoint", found="no such file")
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:  # torch raises many types for damaged or unsafe files
            raise FormatError(path, None, "a torch checkpoint loadable with weights_only=True",
                              found=type(exc).__name__) from None
        if not isinstance(state, dict) or any(not isinstance(state.get(k), dict) for k in MODULE_KEYS):
            raise FormatError(path, None, f"an action evaluator checkpoint (keys {', '.join(MODULE_KEYS)})",
                              found=f"keys {sorted(state) if isinstance(state, dict) else type(state).__name__}")
        try:
            first, last = state["encoder"]["net.0.weight"], state["encoder"]["net.7.weight"]
            weight = state["classifier"]["weight"]
            encoder = ActionEncoder(first.shape[1], first.shape[0], last.shape[0])
            classifier = nn.Linear(weight.shape[1], weight.shape[0])
            encoder.load_state_dict(state["encoder"])
            classifier.load_state_dict(state["classifier"])
        except (KeyError, RuntimeError, AttributeError, IndexError) as exc:
            raise FormatError(path, "encoder/classifier", "the action evaluator's modules",
                              found=str(exc).splitlines()[0]) from None
        return cls(encoder, classifier)

    @torch.no_grad()
    def features_and_scores(self, clips: np.ndarray, batch_size: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """[N, 64, 264] clip inputs -> (features [N, F], class scores [N, C]), both person orders averaged."""
        feats, scores = [], []
        for start in range(0, len(clips), batch_size):
            x = torch.as_tensor(clips[start:start + batch_size], dtype=torch.float32)
            f = (self.encoder(x) + self.encoder(swap_persons(x))) / 2
            feats.append(f.numpy())
            scores.append(self.classifier(f).numpy())
        return np.concatenate(feats), np.concatenate(scores)

    def embed(self, motions: Sequence[np.ndarray], names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Processed [T, 56, 6] motions -> (features, class scores)."""
        names = names or [f"motion {i}" for i in range(len(motions))]
        clips = np.stack([clip_input(body_joints(m, n)) for m, n in zip(motions, names)])
        return self.features_and_scores(clips)


@dataclass(frozen=True)
class ActionTrainingConfig:
    hidden: int = 128
    feature: int = 256
    epochs: int = 40
    batch_size: int = 64
    learning_rate: float = 1e-3
    seed: int = 0


def _release_clips(release: ProcessedRelease, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    h5 = release.motions(split)
    ids = [i for i in h5.ids() if h5.num_frames(i) >= 2]
    joints = [body_joints(h5.read(i), f"{h5.path} [{i}]") for i in ids]
    return joints, np.array([action_of(i) for i in ids])


def train_action_evaluator(data_root: str | os.PathLike, out_dir: str | os.PathLike,
                           config: ActionTrainingConfig = ActionTrainingConfig(), *,
                           progress: Callable[[int, int, float], None] | None = None) -> Path:
    """Train on the train split (random time crops of 80-100%, random person swap); writes OUT/finest.tar.

    The checkpoint with the best validation accuracy (or the last one without a val split) is kept.
    """
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    with ProcessedRelease(data_root) as release:
        joints, labels = _release_clips(release, "train")
        val = _release_clips(release, "val") if "val" in release.splits() else ([], np.zeros(0, int))
    if len(joints) < 2:
        raise InterXError(f"{data_root}: {len(joints)} training motions, too few to train an action evaluator")
    encoder = ActionEncoder(INPUT_SIZE, config.hidden, config.feature)
    classifier = nn.Linear(config.feature, NUM_ACTIONS)
    sample = np.stack([clip_input(j) for j in joints])
    encoder.mean.copy_(torch.from_numpy(sample.reshape(-1, INPUT_SIZE).mean(0)))
    encoder.std.copy_(torch.from_numpy(sample.reshape(-1, INPUT_SIZE).std(0) + 1e-3))
    val_clips = np.stack([clip_input(j) for j in val[0]]) if len(val[0]) else None
    params = list(encoder.parameters()) + list(classifier.parameters())
    optimizer = torch.optim.Adam(params, lr=config.learning_rate)
    out = Path(out_dir) / "finest.tar"
    best = -1.0
    for epoch in range(config.epochs):
        encoder.train()
        classifier.train()
        order = rng.permutation(len(joints))
        losses = []
        for start in range(0, len(order), config.batch_size):
            rows = order[start:start + config.batch_size]
            if len(rows) < 2:
                continue
            clips = []
            for r in rows:
                span = rng.uniform(0.8, 1.0)
                begin = rng.uniform(0, 1 - span)
                clip = clip_input(joints[r], begin, begin + span)
                clips.append(swap_persons(clip) if rng.random() < 0.5 else clip)
            logits = classifier(encoder(torch.from_numpy(np.stack(clips)).float()))
            loss = F.cross_entropy(logits, torch.from_numpy(labels[rows]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        if val_clips is not None:
            evaluator = ActionEvaluator(encoder, classifier)
            score = float((evaluator.features_and_scores(val_clips)[1].argmax(1) == val[1]).mean())
        else:
            score = float(epoch)
        if score > best:
            best = score
            with atomic_path(out) as tmp:
                torch.save({"encoder": encoder.state_dict(), "classifier": classifier.state_dict(),
                            "optimizer": optimizer.state_dict(), "epoch": epoch + 1, "val_accuracy": score,
                            "config": asdict(config)}, tmp)
        if progress:
            progress(epoch + 1, config.epochs, float(np.mean(losses)) if losses else float("nan"))
    return out
