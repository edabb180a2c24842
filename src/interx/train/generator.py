"""Training the generative models: tasks, size presets, the Lightning module and data module.

One model family for every task; a task decides the conditions and what is
fixed (inpainted) during training and sampling:

  t2m       text (MiniLM tokens and sentence)            nothing fixed
  a2m       action label                                  nothing fixed
  reaction  none besides the actor                        the actor, every frame
  style     action, familiarity, both persons' Big-Five   nothing fixed
  predict   none besides the observed start               both persons' first second

Generative tasks also see a random fixed part now and then (one person, or a
start), so any model completes motion. A latent config (`space="latent"`)
first trains a motion autoencoder and then denoises its latents
(`interx.train.autoencoder`). Conditions are dropped at random for
classifier-free guidance.
"""

from __future__ import annotations

import copy
import json
import math
import os
import time
from dataclasses import replace
from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler

from interx.data.atomic import atomic_write_bytes
from interx.errors import InterXError
from interx.models import flow
from interx.models.autoencoder import DOWNSAMPLING, AutoencoderConfig, LatentCodec, latent_known, latent_mask
from interx.models.denoiser import Denoiser, DenoiserConfig, condition_inputs
from interx.models.generator_config import (
    FPS,
    OBSERVED_SECONDS,
    PREDICTED_SECONDS,
    TASK_CONDITIONS,
    TASKS,
    TrainingConfig,
)
from interx.models.geometry import geometric_losses, kinematic_consistency
from interx.models.layout import LAYOUTS, get_layout, heading_of
from interx.models.text import TextEncoder, pad_tokens
from interx.train.datasets import (
    ActionMotionDataset,
    FeatureDataset,
    ReactionDataset,
    StyleMotionDataset,
    TextMotionDataset,
)

TASK_DATASETS = {"t2m": TextMotionDataset, "a2m": ActionMotionDataset, "reaction": ReactionDataset,
                 "style": StyleMotionDataset, "predict": FeatureDataset}


PRESETS = {
    # trains on 2 CPU cores: 4-frame patches keep attention short
    "tiny": dict(network=dict(width=192, layers=4, heads=4, patch=4, dropout=0.0, hold_given=True), batch_size=32,
                 learning_rate=5e-4, warmup_steps=50),
    "base": dict(network=dict(width=512, layers=6, heads=8, patch=2, hold_given=True), batch_size=64,
                 learning_rate=2e-4),
    # the published scale (InterGen: 8 layers, width 1024), one token per frame
    "paper": dict(network=dict(width=1024, layers=8, heads=16, patch=1, hold_given=True), batch_size=64,
                  learning_rate=1e-4),
}


SPACES = ("motion", "latent")
GUIDANCE = {"a2m": 6.0, "t2m": 4.0, "style": 6.0}  # latent models' sampling scales, as measured (docs/results.md)
# latent models trained on noisier levels and with their root X, Z weighted up, as measured (docs/results.md)
LATENT_TRAINING = {"a2m": dict(level_location=0.3, track_weight=4.0)}


def training_config(task: str, preset: str, layout: str = "joints", space: str = "motion",
                    **overrides) -> TrainingConfig:
    """The preset's config for a task, layout and space; `overrides` set TrainingConfig fields.

    `space="latent"`: the network denoises the latents of a motion autoencoder trained first in the same run
    (one token per latent step, i.e. per 4 frames), and the geometric losses see a quarter of each batch."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    if preset not in PRESETS:
        raise ValueError(f"config must be one of {', '.join(PRESETS)}, got {preset!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if space not in SPACES:
        raise ValueError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
    spec = copy.deepcopy(PRESETS[preset])
    network = spec.pop("network")
    autoencoder = None
    dim = get_layout(layout).dim
    if space == "latent":
        autoencoder = AutoencoderConfig(motion_dim=dim)
        network.update(patch=1)
        dim = autoencoder.code_dim
        # a quarter of the rows through the decoder for the geometric losses: `tiny` trains at 51.7 samples/s
        # instead of 22.3 on 2 cores, a2m accuracy 0.725 instead of 0.57-0.60 in the same minutes (docs/results.md)
        spec.update(geometry_rows=spec["batch_size"] // 4)
        # strong guidance over the first steps only (noise levels 1-0.8): a2m accuracy 0.766 against 0.650, t2m
        # FID 1.23 against 2.41 at the same top-3, style FID 15.5 against 44.0 (docs/results.md)
        if task in GUIDANCE:
            spec.update(guidance=GUIDANCE[task], guidance_stop=0.8)
        # training levels drawn noisier, where the network decides which motion it makes, and the root X, Z weighted
        # up, which the last steps misplaced: a2m accuracy 0.804 against 0.760 over three sampling seeds
        spec.update(LATENT_TRAINING.get(task, {}))
    network = DenoiserConfig(conditions=TASK_CONDITIONS[task], motion_dim=dim, **network)
    if task == "predict":  # windows of the observed and the predicted seconds only
        spec.update(max_length=int((OBSERVED_SECONDS + PREDICTED_SECONDS) * FPS), min_length=int(
            (OBSERVED_SECONDS + PREDICTED_SECONDS) * FPS))
    return replace(TrainingConfig(task=task, preset=preset, network=network, layout=layout, autoencoder=autoencoder,
                                  **spec), **overrides)


# ----------------------------------------------------------------- fixed parts
def known_mask(config: TrainingConfig, batch: dict, generator: torch.Generator | None = None) -> torch.Tensor:
    """(B, T, 2) True where the motion is given: the task's fixed part, plus random completion cases."""
    motion = batch["motion"]
    b, frames = motion.shape[:2]
    known = torch.zeros(b, frames, 2, dtype=torch.bool)
    if config.task == "reaction":
        known[torch.arange(b), :, batch["actor_index"]] = True
    elif config.task == "predict":
        known[:, :config.observed_frames] = True
    else:
        pick = torch.rand(b, generator=generator) < config.completion_probability
        for row in torch.nonzero(pick).flatten().tolist():
            if torch.rand((), generator=generator) < 0.5:
                known[row, :, int(torch.randint(0, 2, (), generator=generator))] = True
            else:
                length = int(batch["length"][row])
                known[row, :int(torch.randint(1, max(2, length // 2), (), generator=generator))] = True
    return known


# ----------------------------------------------------------------- the module
class GeneratorModule(pl.LightningModule):
    """The denoiser, its EMA copy, the layout's statistics and the training headings; trains with flow matching
    plus geometry. Batches hold raw layout vectors; the module normalizes them."""

    def __init__(self, config: TrainingConfig, mean: np.ndarray, std: np.ndarray, headings: np.ndarray,
                 basis: np.ndarray | None = None, codec: LatentCodec | None = None):
        super().__init__()
        if (codec is None) != (config.autoencoder is None):
            raise ValueError("a latent config needs its autoencoder (codec), and only a latent config takes one")
        self.config = config
        self.layout = get_layout(config.layout)
        self.model = Denoiser(config.network)
        if basis is not None:
            self.model.init_from_basis(torch.as_tensor(basis, dtype=torch.float32))
        self.ema = copy.deepcopy(self.model).requires_grad_(False)
        self.codec = codec  # frozen: its weights stay out of the optimizer
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))
        self.register_buffer("headings", torch.as_tensor(headings, dtype=torch.float32))

    def conditions(self, batch: dict) -> dict:
        """The condition inputs of a batch, each dropped at the configured rate."""
        b, device = batch["motion"].shape[0], batch["motion"].device
        return condition_inputs(self.config.network.conditions, batch,
                                lambda: torch.rand(b, device=device) >= self.config.condition_dropout)

    def training_step(self, batch: dict, batch_index: int) -> torch.Tensor:
        raw, mask = batch["motion"], batch["mask"]
        x0 = torch.where(mask[:, :, None, None], self.normalize(raw), torch.zeros_like(raw))
        known = known_mask(self.config, {k: v.cpu() if torch.is_tensor(v) else v for k, v in batch.items()}
                           ).to(x0.device) & mask[..., None]
        target, real, given = x0, mask, known  # what the network denoises: frames, or latent steps
        if self.codec is not None:
            target = batch["latent"].to(x0.dtype)  # encoded once per run (`latent_cache`)
            real, given = latent_mask(mask), latent_known(known)
        t = flow.sample_levels(x0.shape[0], location=self.config.level_location, device=x0.device)
        x_t = flow.noisy(target, t, torch.randn_like(target))
        pred = self.model(x_t, t, real, target, given, self.conditions(batch))
        free = (real[..., None] & ~given)[..., None].to(target.dtype)
        channels = torch.ones(target.shape[-1], dtype=target.dtype, device=target.device)
        if self.codec is not None and self.config.autoencoder.track:
            channels[self.config.autoencoder.root_position] = self.config.track_weight
        weight = free * channels
        losses = {"reconstruction": ((pred - target).pow(2) * weight).sum() / weight.sum().clamp_min(1)}
        geometry = {}
        if self.config.geometric_weight > 0:
            # geometry on the prediction with the fixed part written in, as the sampler outputs it, weighed by
            # (1 - t)^2: at high noise the best guess is a blurred mean, whose velocity error would otherwise
            # dominate and teach the network to hold still. `geometry_rows` takes a random subset of the rows, an
            # unbiased estimate at a fraction of the cost (decoding and forward kinematics are two thirds of a
            # `tiny` latent step on 2 cores)
            rows = slice(None)
            if 0 < self.config.geometry_rows < len(x0):
                rows = torch.randperm(len(x0), device=x0.device)[:self.config.geometry_rows]
            composed = torch.where(given[rows, ..., None], target[rows], pred[rows])
            if self.codec is not None:  # decoded by the frozen autoencoder (gradients reach the network through it)
                composed = self.codec.decode(composed).to(x0.dtype)
            x0_rows, mask_rows = x0[rows], mask[rows]
            composed = self.denormalize(torch.where(known[rows, ..., None], x0_rows, composed))
            weight = (1 - t[rows]) ** 2
            with torch.autocast(x0.device.type, enabled=False):  # FK and distances in float32
                composed = composed.float()
                with torch.no_grad():  # padding holds the mean, which poses (raw zeros are no rotation)
                    target_joints = self.layout.positions(self.denormalize(x0_rows).float())
                geometry = geometric_losses(self.layout.positions(composed), target_joints, mask_rows, weight)
                if self.config.layout == "joints":
                    geometry["kinematic"] = kinematic_consistency(composed, mask_rows, weight)
            losses.update(geometry)
        total = losses["reconstruction"] + self.config.geometric_weight * sum(geometry.values())
        self.log_dict({f"train/{k}": v.detach() for k, v in losses.items()}, on_step=True, prog_bar=False,
                      batch_size=x0.shape[0])
        self.log("train/loss", total.detach(), on_step=True, prog_bar=True, batch_size=x0.shape[0])
        return total

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def denormalize(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.std + self.mean

    def on_train_batch_end(self, outputs, batch, batch_index) -> None:
        step = self.global_step
        decay = min(self.config.ema_decay, (1 + step) / (10 + step))  # short runs: the average starts young
        with torch.no_grad():
            for ema, live in zip(self.ema.parameters(), self.model.parameters()):
                ema.lerp_(live, 1 - decay)

    def configure_optimizers(self):
        decay, no_decay = [], []
        for name, param in self.model.named_parameters():
            (no_decay if param.ndim < 2 or "norm" in name else decay).append(param)
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": self.config.weight_decay},
                                       {"params": no_decay, "weight_decay": 0.0}], lr=self.config.learning_rate)
        warmup = max(1, self.config.warmup_steps)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}


# ------------------------------------------------------------------ the data
class LengthBuckets(BatchSampler):
    """Batches of similar lengths: pools of `pool` batches drawn in the sampler's order are sorted by length, cut
    into batches and shuffled, so a batch is padded to little more than its own clips (a third less compute than
    random batches on Inter-X's lengths). Lightning swaps in a distributed sampler under DDP."""

    def __init__(self, sampler, batch_size: int, drop_last: bool, lengths: np.ndarray, pool: int = 50):
        super().__init__(sampler, batch_size, drop_last)
        self.lengths, self.pool = np.asarray(lengths), pool

    def __iter__(self):
        order = list(self.sampler)
        size = self.batch_size * self.pool
        for start in range(0, len(order), size):
            chunk = sorted(order[start:start + size], key=lambda i: self.lengths[i])
            batches = [chunk[k:k + self.batch_size] for k in range(0, len(chunk), self.batch_size)]
            if self.drop_last and len(batches[-1]) < self.batch_size:
                batches.pop()
            for k in torch.randperm(len(batches)).tolist():
                yield batches[k]


def layout_statistics(dataset: FeatureDataset, limit: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and std `(2, dim)` of each person's layout values (all frames) and P1's frame-0 headings, over up to
    `limit` training clips evenly spread; values that never vary get std 1. Per person: the scene is
    canonicalized on person 0, so their placements differ (the other stands about a metre away)."""
    total = np.zeros((2, dataset.dim))
    squares = np.zeros((2, dataset.dim))
    count = 0
    headings = []
    for seq_id in dataset.spread_ids(limit):
        vectors = dataset.layout_vectors(seq_id).astype(np.float64)
        total += vectors.sum(0)
        squares += (vectors * vectors).sum(0)
        count += len(vectors)
        headings.append(heading_of(dataset.read_motion(seq_id)))
    mean = total / count
    std = np.sqrt(np.maximum(squares / count - mean * mean, 0.0))
    std[std < 1e-6] = 1.0
    return mean.astype(np.float32), std.astype(np.float32), np.asarray(headings, dtype=np.float32)


def patch_basis(dataset: FeatureDataset, mean: np.ndarray, std: np.ndarray, patch: int, size: int,
                limit: int = 400) -> np.ndarray:
    """The `size` leading principal directions (of the second moment) of one person's normalized `patch`-frame
    windows over up to `limit` training clips: `(size, patch * dim)`, for `Denoiser.init_from_basis`."""
    windows = []
    for seq_id in dataset.spread_ids(limit):
        vectors = (dataset.layout_vectors(seq_id) - mean) / std
        usable = len(vectors) // patch * patch
        windows.append(vectors[:usable].reshape(usable // patch, patch, 2, -1).transpose(0, 2, 1, 3)
                       .reshape(-1, patch * dataset.dim))
    _, _, directions = np.linalg.svd(np.concatenate(windows).astype(np.float64), full_matrices=False)
    return directions[:size].astype(np.float32)


@torch.no_grad()
def latent_cache(dataset: FeatureDataset, codec: LatentCodec, mean: np.ndarray, std: np.ndarray,
                 batch_size: int = 32) -> dict[str, torch.Tensor]:
    """Every training clip's normalized latents `(ceil(T / 4), 2, code_dim)`, each clip encoded whole by the frozen
    codec: encoding each batch again took a quarter of a `tiny` latent step on 2 cores. A window's latents are
    then a slice, which sees the motion around the window where encoding the window alone would not (the
    encoder reaches about 6 latent steps, 24 frames). Clips go through in batches of similar lengths, each
    edge-padded past its end as in training."""
    ids = [dataset.ids[i] for i in np.argsort(dataset.lengths, kind="stable")]
    cache = {}
    for first in range(0, len(ids), batch_size):
        chunk = ids[first:first + batch_size]
        clips = [torch.from_numpy(((dataset.layout_vectors(seq_id) - mean) / std).astype(np.float32))
                 for seq_id in chunk]
        lengths = torch.tensor([len(clip) for clip in clips])
        frames = int(math.ceil(int(lengths.max()) / DOWNSAMPLING) * DOWNSAMPLING)
        codes = codec.encode(torch.stack([_fit(clip, frames) for clip in clips]), lengths)
        for seq_id, code, length in zip(chunk, codes, lengths.tolist()):
            cache[seq_id] = code[:math.ceil(length / DOWNSAMPLING)].clone()
    return cache


class GeneratorData(pl.LightningDataModule):
    """The task's training dataset in the config's layout, batches of similar lengths trimmed to their longest
    clip, text features looked up in a cache, and for a latent config (once `latents` is set by
    `latent_cache`) each window's latents; its random crops then start on whole latent steps."""

    def __init__(self, root: str | os.PathLike, config: TrainingConfig, num_workers: int = 0):
        super().__init__()
        self.root, self.config, self.num_workers = Path(root), config, num_workers
        self.dataset: FeatureDataset | None = None
        self.encoder: TextEncoder | None = None
        self.latents: dict[str, torch.Tensor] | None = None

    def setup(self, stage: str | None = None) -> None:
        if self.dataset is not None:
            return
        cls = TASK_DATASETS[self.config.task]
        self.dataset = cls(self.root, "train", min_length=self.config.min_length, max_length=self.config.max_length,
                           normalize=False, layout=self.config.layout,
                           crop_step=DOWNSAMPLING if self.config.autoencoder else 1)
        if len(self.dataset) == 0:
            raise InterXError(f"{self.root}: no training clips of at least {self.config.min_length} frames for "
                              f"task {self.config.task}")
        if "text" in self.config.network.conditions:
            self.encoder = TextEncoder(self.config.text_encoder)
            self.encoder.encode([text for options in self.dataset.texts.values() for text, _ in options])

    def train_dataloader(self) -> DataLoader:
        size = min(self.config.batch_size, len(self.dataset))
        batches = LengthBuckets(RandomSampler(self.dataset), size, len(self.dataset) >= self.config.batch_size,
                                np.minimum(self.dataset.lengths, self.config.max_length))
        return DataLoader(self.dataset, batch_sampler=batches, collate_fn=self.collate,
                          num_workers=self.num_workers, persistent_workers=self.num_workers > 0)

    def collate(self, items: list[dict]) -> dict:
        return collate(items, self.config, self.encoder, self.latents)


def collate(items: list[dict], config: TrainingConfig, encoder: TextEncoder | None,
            latents: dict[str, torch.Tensor] | None = None) -> dict:
    """Stack samples, trimmed to the longest clip rounded up to the patch size; add text features, and the
    windows' latents from `latents` (`latent_cache`) when given."""
    patch = config.frames_per_token
    longest = max(int(item["length"]) for item in items)
    frames = int(math.ceil(longest / patch) * patch)
    batch = {"id": [item["id"] for item in items],
             "motion": torch.stack([_fit(item["motion"], frames) for item in items]),
             "mask": torch.stack([_fit(item["mask"], frames) for item in items]),
             "length": torch.tensor([int(item["length"]) for item in items])}
    for key in ("action", "familiarity"):
        if key in items[0]:
            batch[key] = torch.tensor([int(item[key]) for item in items])
    if "big_five" in items[0]:
        batch["big_five"] = torch.stack([item["big_five"] for item in items])
    if latents is not None:
        windows = []
        for item in items:
            first = int(item["start"]) // DOWNSAMPLING
            windows.append(latents[item["id"]][first:first + math.ceil(int(item["length"]) / DOWNSAMPLING)])
        batch["latent"] = torch.stack([_fit(window, frames // DOWNSAMPLING) for window in windows])
    if "actor_index" in items[0]:
        batch["actor_index"] = torch.tensor([int(item["actor_index"]) for item in items])
    if "text" in items[0]:
        batch["text"] = [item["text"] for item in items]
        if encoder is not None:
            batch.update(pad_tokens(encoder.encode(batch["text"])))
    return batch


def _fit(x: torch.Tensor, frames: int) -> torch.Tensor:
    """Cut or zero-pad the first axis to `frames`."""
    if x.shape[0] >= frames:
        return x[:frames]
    return torch.cat([x, x.new_zeros((frames - x.shape[0], *x.shape[1:]))])



# ------------------------------------------------------------------ the run
def training_precision(gpu: bool) -> str:
    """bfloat16 mixed precision on GPUs and on CPUs with bfloat16 instructions (AVX512-BF16 or AMX: a `tiny`
    latent run on 2 AMD EPYC cores makes 1.45 times the steps in the same minutes), float32 elsewhere (bfloat16
    emulated in software is slower than float32)."""
    if gpu:
        return "bf16-mixed"
    supported = [getattr(torch.cpu, name, lambda: False)() for name in
                 ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return "bf16-mixed" if any(supported) else "32-true"


def fit_generator(root: str | os.PathLike, out_dir: str | os.PathLike, config: TrainingConfig, *,
                  max_minutes: float | None = None, max_steps: int = -1, devices: int = 1,
                  accelerator: str = "auto", num_nodes: int = 1, resume: bool = True,
                  progress_bar: bool = True, num_workers: int = 0) -> Path:
    """Train, checkpointing into `out_dir`; returns the exported `generator.safetensors`.

    A latent config first trains its autoencoder (`autoencoder.safetensors`,
    kept for a continued run) for its share of the minutes or `share *
    max_steps` steps, then the network for the remaining minutes or
    `max_steps` steps.

    `out_dir` holds `run.json` (the config), `checkpoints/last.ckpt` (resumable
    state: weights, EMA, optimizer, step), `metrics.csv` (losses per step; earlier parts of a continued run in
    `metrics-1.csv`, ...),
    `losses.png`, and the exported weights with their JSON config. A run
    continues from `last.ckpt` when there is one, and refuses to continue with
    another config.
    """
    from lightning.pytorch.callbacks import ModelCheckpoint, TQDMProgressBar
    from lightning.pytorch.loggers import CSVLogger

    from interx.models.checkpoint import save_generator
    from interx.viz.losses import plot_losses

    out_dir = Path(out_dir)
    run_file = out_dir / "run.json"
    last = out_dir / "checkpoints" / "last.ckpt"
    if run_file.is_file():
        previous = TrainingConfig.from_dict(json.loads(run_file.read_text()))
        if previous != config:
            changed = sorted(k for k, v in config.to_dict().items() if previous.to_dict().get(k) != v)
            raise InterXError(f"{out_dir} holds a run of another config ({previous.task}, {previous.preset}; "
                              f"differs in {', '.join(changed)}): use a new --out folder")
    pl.seed_everything(config.seed, workers=True, verbose=False)
    data = GeneratorData(root, config, num_workers=num_workers)
    data.setup()
    mean, std, headings = layout_statistics(data.dataset)
    gpu = accelerator in ("gpu", "cuda") or (accelerator == "auto" and torch.cuda.is_available())
    strategy = "auto"
    if devices > 1 or num_nodes > 1:
        from lightning.pytorch.strategies import DDPStrategy

        strategy = DDPStrategy(process_group_backend="nccl" if gpu else "gloo")
    trainer_args = dict(default_root_dir=out_dir, accelerator=accelerator, devices=devices, num_nodes=num_nodes,
                        strategy=strategy, precision=training_precision(gpu))
    codec = None
    if config.autoencoder is not None:
        codec, max_minutes = _trained_codec(data.dataset, out_dir, config, mean, std, max_minutes, max_steps,
                                            trainer_args, progress_bar)
        started = time.monotonic()
        data.latents = latent_cache(data.dataset, codec, mean, std)
        if max_minutes:  # the encoding counts against the run's minutes
            max_minutes = max(0.1, max_minutes - (time.monotonic() - started) / 60)
    basis = None if resume and last.is_file() or codec is not None else patch_basis(
        data.dataset, mean, std, config.network.patch, config.network.width)
    module = GeneratorModule(config, mean, std, headings, basis, codec)
    trainer = pl.Trainer(
        **trainer_args, max_steps=max_steps, max_epochs=-1 if max_steps > 0 or
        max_minutes else 100, max_time={"minutes": max_minutes} if max_minutes else None,
        logger=CSVLogger(out_dir, name="", version=""), log_every_n_steps=1 if 0 < max_steps < 100 else 10,
        callbacks=[ModelCheckpoint(dirpath=out_dir / "checkpoints", save_last=True, save_top_k=0,
                                   every_n_train_steps=100, save_on_train_epoch_end=True)]
        + ([TQDMProgressBar(refresh_rate=5)] if progress_bar else []),  # a light bar: rich's redraws cost CPU
        enable_progress_bar=progress_bar, enable_model_summary=False, limit_val_batches=0,
        gradient_clip_val=1.0,
    )
    continuing = resume and last.is_file()
    if trainer.is_global_zero:
        out_dir.mkdir(parents=True, exist_ok=True)
        if continuing and (out_dir / "metrics.csv").is_file():  # the CSV logger starts a new file: keep the old
            parts = len(list(out_dir.glob("metrics-*.csv")))
            (out_dir / "metrics.csv").rename(out_dir / f"metrics-{parts + 1}.csv")
        atomic_write_bytes(run_file, (json.dumps(config.to_dict(), indent=2) + "\n").encode())
    trainer.fit(module, datamodule=data, ckpt_path=str(last) if continuing else None,
                weights_only=True)
    weights = out_dir / "generator.safetensors"
    # the final state with the optimizer, for a later run to continue (every rank takes part)
    trainer.save_checkpoint(last, weights_only=False)
    if trainer.is_global_zero:
        save_generator(weights, module.ema, config, module.mean, module.std, module.headings, codec)
        plot_losses(out_dir, out_dir / "losses.png")
    return weights


def _trained_codec(dataset: FeatureDataset, out_dir: Path, config: TrainingConfig, mean: np.ndarray, std: np.ndarray,
                   max_minutes: float | None, max_steps: int, trainer_args: dict, progress_bar: bool
                   ) -> tuple[LatentCodec, float | None]:
    """The run's autoencoder (trained now unless a continued run has it) with its latent statistics, and the
    minutes it left to the network."""
    from interx.train.autoencoder import fit_autoencoder, latent_codec, load_autoencoder, normalized_clips

    share = config.autoencoder.share
    clips = normalized_clips(dataset, mean, std)
    path = out_dir / "autoencoder.safetensors"
    if not path.is_file():
        fit_autoencoder(clips, out_dir, config.autoencoder, config.layout, mean, std,
                        max_minutes=max_minutes * share if max_minutes else None,
                        max_steps=max(1, round(max_steps * share)) if max_steps > 0 else -1,
                        trainer_args=trainer_args, progress_bar=progress_bar)
        if max_minutes:
            max_minutes *= 1 - share
    return latent_codec(load_autoencoder(path), clips), max_minutes
