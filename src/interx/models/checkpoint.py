"""Generator checkpoints: weights in safetensors, the config in JSON beside them (`NAME.safetensors`, `NAME.json`).

Loading reads tensors and JSON only, so a checkpoint can never run code. The
weights are the EMA copy of the network plus the feature statistics the
model was trained with (motions come out in the units they went in).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from interx.data.atomic import atomic_path, atomic_write_bytes
from interx.errors import FormatError, InterXError
from interx.models.denoiser import Denoiser

KIND = "interx-generator"
VERSION = 2  # 2: layouts, finger rotations, headings
STATS = ("mean", "std", "headings")


@dataclass
class Generator:
    """A loaded generator: the network (eval mode), its training config, layout statistics and headings."""

    model: Denoiser
    config: "TrainingConfig"  # noqa: F821 (interx.train.generator, imported lazily)
    mean: torch.Tensor
    std: torch.Tensor
    headings: torch.Tensor  # radians: P1's frame-0 facing in the training clips


def _paths(path: str | os.PathLike) -> tuple[Path, Path]:
    path = Path(path)
    if path.is_dir():
        path = path / "generator.safetensors"
    if path.suffix != ".safetensors":
        path = path.with_suffix(".safetensors")
    return path, path.with_suffix(".json")


def save_generator(path: str | os.PathLike, model: Denoiser, config, mean, std, headings) -> Path:
    """Write `path` (.safetensors) and its .json atomically; returns the weights path."""
    weights, meta = _paths(path)
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    for name, value in zip(STATS, (mean, std, headings)):
        tensors[f"stats.{name}"] = torch.as_tensor(np.asarray(value), dtype=torch.float32).contiguous()
    with atomic_path(weights) as tmp:
        save_file(tensors, str(tmp))
    document = {"kind": KIND, "version": VERSION, "config": config.to_dict()}
    atomic_write_bytes(meta, (json.dumps(document, indent=2) + "\n").encode())
    return weights


def load_generator(path: str | os.PathLike, task: str | None = None, preset: str | None = None) -> Generator:
    """Load a generator; refuse one of another task or preset when those are given."""
    from interx.train.generator import TrainingConfig

    weights, meta = _paths(path)
    if not weights.is_file():
        raise FormatError(weights, None, "generator weights written by `interx train generator`", found="no such file")
    if not meta.is_file():
        raise FormatError(meta, None, "the generator's JSON config beside its weights", found="no such file")
    try:
        document = json.loads(meta.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(meta, None, "JSON", found=str(exc)) from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise FormatError(meta, "kind", repr(KIND), found=repr(document.get("kind") if isinstance(document, dict)
                                                               else type(document).__name__))
    if document.get("version") != VERSION:
        raise FormatError(meta, "version", f"{VERSION} (retrain a generator of an older interx)",
                          found=repr(document.get("version")))
    try:
        config = TrainingConfig.from_dict(document["config"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(meta, "config", "a generator training config", found=f"{type(exc).__name__}: {exc}") from None
    if task is not None and config.task != task:
        raise InterXError(f"{weights} is a {config.task} generator, not {task}: train one with "
                          f"`interx train generator --task {task}`")
    if preset is not None and config.preset != preset:
        raise InterXError(f"{weights} has the {config.preset} config, not {preset}")
    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError) as exc:
        raise FormatError(weights, None, "a safetensors file", found=str(exc)) from None
    model = Denoiser(config.network)
    state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
    except RuntimeError as exc:  # a tensor of another shape
        raise FormatError(weights, None, f"weights of the config in {meta.name}", found=str(exc).splitlines()[-1]) from None
    if missing or unexpected:
        raise FormatError(weights, None, f"weights of the config in {meta.name}",
                          found=f"missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]}")
    for name in STATS:
        if f"stats.{name}" not in tensors:
            raise FormatError(weights, f"stats.{name}", "the layout statistics and headings", found="absent")
    return Generator(model.eval(), config, *(tensors[f"stats.{name}"] for name in STATS))
