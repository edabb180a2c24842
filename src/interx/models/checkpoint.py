"""Model checkpoints: weights in safetensors, the config in JSON beside them (`NAME.safetensors`, `NAME.json`).

Loading reads tensors and JSON only, so a checkpoint can never run code. The
JSON names the kind of model and its format version, so a checkpoint of
another model is refused with a message that says what it is. A generator's
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
from torch import nn

from interx.data.atomic import atomic_path, atomic_write_bytes
from interx.errors import FormatError, InterXError
from interx.models.autoencoder import LatentCodec
from interx.models.denoiser import Denoiser
from interx.models.generator_config import TrainingConfig


def checkpoint_paths(path: str | os.PathLike, default_name: str) -> tuple[Path, Path]:
    """(weights, config) paths of a checkpoint given as a folder, its .safetensors or its stem."""
    path = Path(path)
    if path.is_dir():
        path = path / f"{default_name}.safetensors"
    if path.suffix != ".safetensors":
        path = path.with_suffix(".safetensors")
    return path, path.with_suffix(".json")


def write_checkpoint(path: str | os.PathLike, default_name: str, kind: str, version: int, document: dict,
                     tensors: dict[str, torch.Tensor]) -> Path:
    """Write the weights and their JSON (`kind`, `version` and `document`) atomically; returns the weights path."""
    weights, meta = checkpoint_paths(path, default_name)
    with atomic_path(weights) as tmp:
        save_file({k: v.detach().cpu().contiguous() for k, v in tensors.items()}, str(tmp))
    atomic_write_bytes(meta, (json.dumps({"kind": kind, "version": version, **document}, indent=2) + "\n").encode())
    return weights


def read_checkpoint(path: str | os.PathLike, default_name: str, kind: str, version: int, made_by: str
                    ) -> tuple[Path, Path, dict, dict[str, torch.Tensor]]:
    """(weights path, JSON path, JSON document, tensors) of a checkpoint of `kind`; clear errors otherwise."""
    weights, meta = checkpoint_paths(path, default_name)
    if not weights.is_file():
        raise FormatError(weights, None, f"weights written by `{made_by}`", found="no such file")
    if not meta.is_file():
        raise FormatError(meta, None, "the JSON config beside the weights", found="no such file")
    try:
        document = json.loads(meta.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(meta, None, "JSON", found=str(exc)) from None
    if not isinstance(document, dict) or document.get("kind") != kind:
        found = document.get("kind") if isinstance(document, dict) else type(document).__name__
        raise FormatError(meta, "kind", f"{kind!r} (made by `{made_by}`)", found=repr(found))
    if document.get("version") != version:
        raise FormatError(meta, "version", f"{version} (retrain with this interx)", found=repr(document.get("version")))
    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError) as exc:
        raise FormatError(weights, None, "a safetensors file", found=str(exc)) from None
    return weights, meta, document, tensors


def load_weights(module: nn.Module, tensors: dict[str, torch.Tensor], prefix: str, weights: Path, meta: Path) -> None:
    """Load the `prefix.`-named tensors into `module`, refusing any that do not fit its config."""
    state = {k[len(prefix) + 1:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}
    try:
        missing, unexpected = module.load_state_dict(state, strict=False)
    except RuntimeError as exc:  # a tensor of another shape
        raise FormatError(weights, None, f"weights of the config in {meta.name}",
                          found=str(exc).splitlines()[-1]) from None
    if missing or unexpected:
        raise FormatError(weights, None, f"weights of the config in {meta.name}",
                          found=f"missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]}")


KIND = "interx-generator"
VERSION = 2  # 2: layouts, finger rotations, headings
STATS = ("mean", "std", "headings")


@dataclass
class Generator:
    """A loaded generator: the network (eval mode), its training config, layout statistics and headings."""

    model: Denoiser
    config: TrainingConfig
    mean: torch.Tensor
    std: torch.Tensor
    headings: torch.Tensor  # radians: P1's frame-0 facing in the training clips
    codec: LatentCodec | None = None  # latent generators: the autoencoder the network denoises in


def save_generator(path: str | os.PathLike, model: Denoiser, config, mean, std, headings,
                   codec: LatentCodec | None = None) -> Path:
    """Write `path` (.safetensors) and its .json atomically; returns the weights path."""
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    if codec is not None:
        tensors.update({f"codec.{k}": v for k, v in codec.state_dict().items()})
    for name, value in zip(STATS, (mean, std, headings)):
        tensors[f"stats.{name}"] = torch.as_tensor(np.asarray(value), dtype=torch.float32)
    return write_checkpoint(path, "generator", KIND, VERSION, {"config": config.to_dict()}, tensors)


def load_generator(path: str | os.PathLike, task: str | None = None, preset: str | None = None) -> Generator:
    """Load a generator; refuse one of another task or preset when those are given."""
    weights, meta, document, tensors = read_checkpoint(path, "generator", KIND, VERSION, "interx train generator")
    try:
        config = TrainingConfig.from_dict(document["config"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(meta, "config", "a generator training config", found=f"{type(exc).__name__}: {exc}") from None
    if task is not None and config.task != task:
        raise InterXError(f"{weights} is a {config.task} generator, not {task}: train one with "
                          f"`interx train generator --task {task}`")
    if preset is not None and config.preset != preset:
        raise InterXError(f"{weights} has the {config.preset} config, not {preset}")
    model = Denoiser(config.network)
    load_weights(model, tensors, "model", weights, meta)
    for name in STATS:
        if f"stats.{name}" not in tensors:
            raise FormatError(weights, f"stats.{name}", "the layout statistics and headings", found="absent")
    codec = None
    if config.autoencoder is not None:
        codec = LatentCodec.untrained(config.autoencoder, config.layout)
        load_weights(codec, tensors, "codec", weights, meta)
    return Generator(model.eval(), config, *(tensors[f"stats.{name}"] for name in STATS), codec=codec)
