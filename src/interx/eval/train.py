"""Train the text-motion evaluator on any processed release (the official training code is not public).

The published recipe: a contrastive loss with margin 10 on Euclidean
distances, a text and its own motion pulled together, the text and the motion
of another item of the batch (the batch shifted by a random offset) pushed
beyond the margin. Inputs are made exactly as in evaluation (random text,
official crop, identity padding), so the evaluator sees what it will score.
Unlike the published two-stage recipe (a movement autoencoder first, then
frozen), the movement encoder trains jointly here, with its own optimizer
state (`opt_movement_encoder`); official loaders ignore that extra key.

The raw 672-d features vary very little between motions (most are 6D
rotations near identity), which leaves the margin loss on a flat saddle where
every text and motion collapse to two points 5 apart. Training therefore
reparametrizes the first convolution on standardized inputs (training-split
mean and standard deviation); the exported weights are
`W = V / std` and `b = c - sum(V * mean / std)`, which is exactly the same
function of the raw features (zero padding included), so the checkpoint reads
raw features like the official one.

Checkpoints use the official layout (`text_encoder`, `motion_encoder`,
`movement_encoder`, `opt_*`, `epoch`, `iter`) and are written atomically:
`latest.tar` after every epoch (a stopped run resumes from it) and
`finest.tar` whenever the validation loss improves.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from interx.data.atomic import atomic_path
from interx.data.processed import ProcessedRelease
from interx.errors import InterXError
from interx.eval.evaluator import CHECKPOINT_MODULES, EvaluatorSizes, build_modules, load_checkpoint
from interx.eval.evaluator_input import (
    POS_TAGS,
    UNIT_LENGTH,
    crop_features,
    evaluator_features,
    keeps_length,
    sample_crop,
    text_input,
)

log = logging.getLogger(__name__)
Progress = Callable[[int, int, float], None]  # epoch done, epochs, last loss


@dataclass(frozen=True)
class TextTrainingConfig:
    """Sizes and schedule; the defaults are a small evaluator that trains on CPU."""

    text_hidden: int = 128
    movement_hidden: int = 128
    movement_latent: int = 128
    motion_hidden: int = 256
    embedding: int = 128
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 1e-3
    margin: float = 10.0
    seed: int = 0


def contrastive_loss(text: torch.Tensor, motion: torch.Tensor, negative: torch.Tensor, margin: float) -> torch.Tensor:
    """Mean of d(t, m)^2 over positives and max(0, margin - d(t, m'))^2 over negatives."""
    positive = F.pairwise_distance(text, motion).pow(2).mean()
    negatives = torch.clamp(margin - F.pairwise_distance(text, negative), min=0).pow(2).mean()
    return (positive + negatives) / 2


class StandardizedInputConv(nn.Module):
    """The movement encoder's first convolution, trained on standardized inputs, applied to raw ones."""

    def __init__(self, conv: nn.Conv1d, mean: np.ndarray, std: np.ndarray):
        super().__init__()
        self.weight_std = nn.Parameter(conv.weight.detach().clone())
        self.bias_std = nn.Parameter(conv.bias.detach().clone())
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))
        self.stride, self.padding = conv.stride, conv.padding

    def raw(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Weight and bias of the equivalent convolution over raw features."""
        weight = self.weight_std / self.std[None, :, None]
        bias = self.bias_std - (weight * self.mean[None, :, None]).sum(dim=(1, 2))
        return weight, bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight, bias = self.raw()
        return F.conv1d(x, weight, bias, stride=self.stride, padding=self.padding)


class TextMotionPairs:
    """A split's kept motions and their processed texts, with batches drawn as the evaluation draws them."""

    def __init__(self, release: ProcessedRelease, split: str, word_size: int):
        vocab = release.glove()
        if vocab is None:
            raise InterXError(f"{release.root}: no glove/ vocabulary (run `interx prepare` with texts)")
        if vocab.vectors.shape[1] != word_size:
            raise InterXError(f"{release.root}/glove: {vocab.vectors.shape[1]}-d vectors, the evaluator needs "
                              f"{word_size}-d")
        h5 = release.motions(split)
        self.ids = [i for i in h5.ids() if keeps_length(h5.num_frames(i))]
        self.motions = [h5.read(i) for i in self.ids]
        self.texts = [[text_input(t.tokens, vocab) for t in release.texts(i)] for i in self.ids]

    def __len__(self) -> int:
        return len(self.ids)

    def feature_statistics(self, step: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation (floored at 0.01) of the 672-d features over every `step`-th frame."""
        frames = np.concatenate([evaluator_features(m[::step]) for m in self.motions])
        return frames.mean(axis=0), np.maximum(frames.std(axis=0), 0.01)

    def batch(self, rows: np.ndarray, rng: np.random.Generator) -> tuple[torch.Tensor, ...]:
        texts = [self.texts[r][rng.integers(len(self.texts[r]))] for r in rows]
        motions, lengths = [], []
        for r in rows:
            crop = sample_crop(len(self.motions[r]), rng)
            part = self.motions[r][crop.offset:crop.offset + crop.length]
            motions.append(crop_features(evaluator_features(part), type(crop)(0, crop.length)))
            lengths.append(crop.length)
        return (torch.from_numpy(np.stack([t[0] for t in texts])), torch.from_numpy(np.stack([t[1] for t in texts])),
                torch.tensor([t[2] for t in texts]), torch.from_numpy(np.stack(motions)), torch.tensor(lengths))


class TextEvaluatorTrainer:
    """Holds the modules and optimizers; one call to `epoch` is one pass over the training ids."""

    def __init__(self, sizes: EvaluatorSizes, config: TextTrainingConfig, feature_mean: np.ndarray,
                 feature_std: np.ndarray):
        torch.manual_seed(config.seed)
        self.config = config
        self.sizes = sizes
        self.text_encoder, self.motion_encoder, self.movement_encoder = build_modules(sizes)
        self.movement_encoder.main[0] = StandardizedInputConv(self.movement_encoder.main[0], feature_mean, feature_std)
        self.optimizers = {
            "opt_text_encoder": torch.optim.Adam(self.text_encoder.parameters(), lr=config.learning_rate),
            "opt_motion_encoder": torch.optim.Adam(self.motion_encoder.parameters(), lr=config.learning_rate),
            "opt_movement_encoder": torch.optim.Adam(self.movement_encoder.parameters(), lr=config.learning_rate),
        }
        self.epoch_done = 0
        self.iteration = 0
        self.best_val = float("inf")

    def modules(self):
        return dict(zip(CHECKPOINT_MODULES, (self.text_encoder, self.motion_encoder, self.movement_encoder)))

    def _loss(self, words, pos, cap_lens, motions, m_lens, rng: np.random.Generator) -> torch.Tensor:
        text = self.text_encoder(words, pos, cap_lens)
        motion = self.motion_encoder(self.movement_encoder(motions), m_lens // UNIT_LENGTH)
        shift = int(rng.integers(1, len(text))) if len(text) > 1 else 0
        negative = torch.roll(motion, shifts=shift, dims=0)
        return contrastive_loss(text, motion, negative, self.config.margin)

    def epoch(self, data: TextMotionPairs, rng: np.random.Generator) -> float:
        for module in self.modules().values():
            module.train()
        order = rng.permutation(len(data))
        losses = []
        for start in range(0, len(order) - self.config.batch_size + 1, self.config.batch_size):
            batch = data.batch(order[start:start + self.config.batch_size], rng)
            loss = self._loss(*batch, rng)
            for opt in self.optimizers.values():
                opt.zero_grad()
            loss.backward()
            for module in self.modules().values():
                torch.nn.utils.clip_grad_norm_(module.parameters(), 0.5)
            for opt in self.optimizers.values():
                opt.step()
            losses.append(loss.item())
            self.iteration += 1
        self.epoch_done += 1
        return float(np.mean(losses)) if losses else float("nan")

    @torch.no_grad()
    def validation_loss(self, data: TextMotionPairs, seed: int) -> float:
        for module in self.modules().values():
            module.eval()
        rng = np.random.default_rng(seed)
        rows = np.arange(len(data))
        losses = [float(self._loss(*data.batch(rows[s:s + self.config.batch_size], rng), rng))
                  for s in range(0, len(rows) - 1, self.config.batch_size)
                  if len(rows[s:s + self.config.batch_size]) > 1]
        return float(np.mean(losses)) if losses else float("nan")

    def _official_movement_state(self) -> dict:
        state = {k: v for k, v in self.movement_encoder.state_dict().items() if not k.startswith("main.0.")}
        weight, bias = self.movement_encoder.main[0].raw()
        state["main.0.weight"], state["main.0.bias"] = weight.detach().clone(), bias.detach().clone()
        return state

    def state(self) -> dict:
        state = {key: module.state_dict() for key, module in self.modules().items()}
        state["train_movement_encoder"] = state["movement_encoder"]  # standardized first conv, for resuming
        state["movement_encoder"] = self._official_movement_state()
        state.update({key: opt.state_dict() for key, opt in self.optimizers.items()})
        state.update(epoch=self.epoch_done, iter=self.iteration, best_val=self.best_val,
                     config={k: v for k, v in asdict(self.config).items()})
        return state

    def save(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            torch.save(self.state(), tmp)

    def restore(self, path: Path) -> None:
        state = load_checkpoint(path)
        state["movement_encoder"] = state["train_movement_encoder"]
        for key, module in self.modules().items():
            module.load_state_dict(state[key])
        for key, opt in self.optimizers.items():
            if key in state:
                opt.load_state_dict(state[key])
        self.epoch_done, self.iteration = int(state["epoch"]), int(state["iter"])
        self.best_val = float(state.get("best_val", float("inf")))


def train_text_evaluator(data_root: str | os.PathLike, out_dir: str | os.PathLike,
                         config: TextTrainingConfig = TextTrainingConfig(), *, resume: bool = True,
                         progress: Progress | None = None) -> Path:
    """Train on `train`, keep the best `val` loss in OUT/finest.tar (OUT/latest.tar every epoch); returns finest."""
    out_dir = Path(out_dir)
    with ProcessedRelease(data_root) as release:
        vocab = release.glove()
        if vocab is None:
            raise InterXError(f"{data_root}: no glove/ vocabulary (run `interx prepare` with texts)")
        sizes = EvaluatorSizes(word=vocab.vectors.shape[1], pos=len(POS_TAGS), text_hidden=config.text_hidden,
                               movement_hidden=config.movement_hidden, movement_latent=config.movement_latent,
                               motion_hidden=config.motion_hidden, embedding=config.embedding)
        train = TextMotionPairs(release, "train", sizes.word)
        if len(train) < config.batch_size:
            raise InterXError(f"{data_root}: {len(train)} training motions, "
                              f"fewer than one batch of {config.batch_size}")
        val = TextMotionPairs(release, "val", sizes.word) if "val" in release.splits() else None
    trainer = TextEvaluatorTrainer(sizes, config, *train.feature_statistics())
    latest, finest = out_dir / "latest.tar", out_dir / "finest.tar"
    if resume and latest.exists():
        trainer.restore(latest)
        log.info("resuming from %s at epoch %d", latest, trainer.epoch_done)
    while trainer.epoch_done < config.epochs:
        rng = np.random.default_rng([config.seed, trainer.epoch_done])
        torch.manual_seed(config.seed * 100_003 + trainer.epoch_done)  # dropout: resumed runs repeat exactly
        loss = trainer.epoch(train, rng)
        score = trainer.validation_loss(val, config.seed) if val is not None and len(val) > 1 else loss
        if score < trainer.best_val or not finest.exists():
            trainer.best_val = min(score, trainer.best_val)
            trainer.save(finest)
        trainer.save(latest)
        if progress:
            progress(trainer.epoch_done, config.epochs, loss)
    return finest
