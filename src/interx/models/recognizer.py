"""The recognizer: a transformer over both persons' views of a two-person motion, with one head per task.

Tokens are short time patches of each person's view (`interx.models.pair_input`);
attention runs over all of them at once, so within a person, across the
persons and over time. The weights are the same for both persons and no token
says which person it belongs to, so the network is equivariant to swapping
the persons by construction: the pair heads (action, familiarity) pool the
persons symmetrically and do not change under a swap, the person heads
(order: one score per person, softmax over the two; personality: five traits
per person) swap with them. Mirroring and small turns are left to training
augmentation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from interx.data.ids import NUM_ACTIONS
from interx.errors import FormatError, InterXError
from interx.models.checkpoint import load_weights, read_checkpoint, write_checkpoint
from interx.models.pair_input import CLIP_FRAMES, VIEW_SIZE

FAMILIARITY_LEVELS = 4
TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
# task -> (outputs per item, whether the head reads each person or the pair)
TASKS = {"action": (NUM_ACTIONS, "pair"), "order": (1, "person"), "familiarity": (FAMILIARITY_LEVELS, "pair"),
         "personality": (len(TRAITS), "person")}


@dataclass(frozen=True)
class RecognizerConfig:
    task: str = "action"
    width: int = 128
    layers: int = 3
    heads: int = 4
    patch: int = 4
    dropout: float = 0.1
    frames: int = CLIP_FRAMES

    def __post_init__(self):
        if self.task not in TASKS:
            raise ValueError(f"unknown recognition task {self.task!r}: choose from {', '.join(TASKS)}")
        if self.frames % self.patch or self.width % self.heads:
            raise ValueError(f"frames ({self.frames}) must be a multiple of patch ({self.patch}) and width "
                             f"({self.width}) of heads ({self.heads})")

    def to_dict(self) -> dict:
        return asdict(self)


class PairEncoder(nn.Module):
    """[B, 2, frames, VIEW_SIZE] normalized views -> tokens [B, 2, frames / patch, width]."""

    def __init__(self, config: RecognizerConfig):
        super().__init__()
        self.config = config
        steps = config.frames // config.patch
        self.embed = nn.Linear(config.patch * VIEW_SIZE, config.width)
        self.time = nn.Parameter(torch.randn(steps, config.width) * 0.02)
        layer = nn.TransformerEncoderLayer(config.width, config.heads, 4 * config.width, config.dropout,
                                           batch_first=True, norm_first=True, activation="gelu")
        self.blocks = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(config.width)

    def forward(self, views: torch.Tensor) -> torch.Tensor:
        b, persons, frames, size = views.shape
        steps = frames // self.config.patch
        tokens = self.embed(views.reshape(b, persons, steps, self.config.patch * size)) + self.time
        tokens = self.blocks(tokens.reshape(b, persons * steps, -1))
        return self.norm(tokens).reshape(b, persons, steps, -1)


class Recognizer(nn.Module):
    """Views -> the task's outputs: [B, classes] for pair tasks, [B, 2] (order) or [B, 2, 5] (personality)."""

    def __init__(self, config: RecognizerConfig):
        super().__init__()
        self.config = config
        outputs, self.reads = TASKS[config.task]
        self.encoder = PairEncoder(config)
        self.head = nn.Linear(2 * config.width if self.reads == "pair" else config.width, outputs)

    def features(self, views: torch.Tensor) -> torch.Tensor:
        """Per-person features [B, 2, width], pooled over time."""
        return self.encoder(views).mean(dim=2)

    def forward(self, views: torch.Tensor) -> torch.Tensor:
        persons = self.features(views)
        if self.reads == "pair":  # symmetric in the persons
            return self.head(torch.cat([persons.mean(dim=1), persons.amax(dim=1)], dim=-1))
        out = self.head(persons)
        return out.squeeze(-1) if self.config.task == "order" else out


KIND = "interx-recognizer"
VERSION = 1
STATS = ("view_mean", "view_std", "target_mean", "target_std")


@dataclass
class LoadedRecognizer:
    """A recognizer with the input statistics it was trained with (and the trait scale, for personality)."""

    model: Recognizer
    view_mean: torch.Tensor
    view_std: torch.Tensor
    target_mean: torch.Tensor
    target_std: torch.Tensor

    @property
    def config(self) -> RecognizerConfig:
        return self.model.config

    @torch.no_grad()
    def outputs(self, views: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """[N, 2, frames, VIEW_SIZE] views -> outputs in the task's units: class probabilities [N, classes]
        (action, familiarity), the actor's probability per person [N, 2] (order), traits [N, 2, 5] (personality)."""
        self.model.eval()
        out = []
        for start in range(0, len(views), batch_size):
            x = (torch.as_tensor(views[start:start + batch_size]) - self.view_mean) / self.view_std
            y = self.model(x)
            if self.config.task == "personality":
                y = y * self.target_std + self.target_mean
            else:
                y = y.softmax(dim=-1)
            out.append(y.numpy())
        return np.concatenate(out)


def save_recognizer(path, model: Recognizer, view_mean, view_std, target_mean, target_std) -> Path:
    """Write `path` (.safetensors) and its .json; returns the weights path."""
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    for name, value in zip(STATS, (view_mean, view_std, target_mean, target_std)):
        tensors[f"stats.{name}"] = torch.as_tensor(np.asarray(value), dtype=torch.float32)
    return write_checkpoint(path, "recognizer", KIND, VERSION, {"config": model.config.to_dict()}, tensors)


def load_recognizer(path, task: str | None = None) -> LoadedRecognizer:
    """Load a recognizer; refuse one of another task when `task` is given."""
    weights, meta, document, tensors = read_checkpoint(path, "recognizer", KIND, VERSION, "interx train recognizer")
    try:
        config = RecognizerConfig(**document["config"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(meta, "config", "a recognizer config", found=f"{type(exc).__name__}: {exc}") from None
    if task is not None and config.task != task:
        raise InterXError(f"{weights} is a recognizer for {config.task}, not {task}: train one with "
                          f"`interx train recognizer --task {task}`")
    model = Recognizer(config)
    load_weights(model, tensors, "model", weights, meta)
    for name in STATS:
        if f"stats.{name}" not in tensors:
            raise FormatError(weights, f"stats.{name}", "the input statistics", found="absent")
    return LoadedRecognizer(model.eval(), *(tensors[f"stats.{name}"] for name in STATS))
