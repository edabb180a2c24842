"""Training the motion autoencoder that latent generators denoise in (`interx.models.autoencoder`).

A latent generator's run trains it first, for the config's share of the
run's time or steps, on random windows of the training clips, then trains
the denoiser with it frozen. The clips' layout vectors are encoded once and
held in memory (float16): encoding a clip costs more than a training step.
The losses weigh what the evaluators read: every value (normalized), its
velocity and acceleration (smooth output), and the body joints in metres and
their acceleration, which the normalization would otherwise let drift by
centimetres and shake by millimetres.
"""

from __future__ import annotations

from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from interx.models.autoencoder import DOWNSAMPLING, AutoencoderConfig, LatentCodec, MotionAutoencoder
from interx.models.checkpoint import load_weights, read_checkpoint, write_checkpoint
from interx.models.layout import get_layout

JOINT_TOLERANCE = 0.02  # metres: a body joint this far off costs as much as one normalized value's unit error
ACCELERATION_TOLERANCE = 0.001  # metres per frame^2: about the data's mean joint acceleration
JOINT_WEIGHT = 0.02
KIND, VERSION = "interx-motion-autoencoder", 1


class ClipWindows(Dataset):
    """A random `window`-frame crop of each clip (normalized layout vectors held in memory)."""

    def __init__(self, clips: list[np.ndarray], window: int):
        self.clips = [c for c in clips if len(c) >= window]
        if not self.clips:
            raise ValueError(f"no training clip has the autoencoder's {window} frames")
        self.window = window

    def __len__(self) -> int:
        return len(self.clips)

    def __getitem__(self, index: int) -> torch.Tensor:
        clip = self.clips[index]
        start = int(torch.randint(0, len(clip) - self.window + 1, ()))
        return torch.from_numpy(clip[start:start + self.window].astype(np.float32))


def normalized_clips(dataset, mean: np.ndarray, std: np.ndarray, limit: int = 2000) -> list[np.ndarray]:
    """Up to `limit` training clips (evenly spread) as normalized float16 layout vectors `(T, 2, dim)`."""
    return [((dataset.layout_vectors(seq_id) - mean) / std).astype(np.float16)
            for seq_id in dataset.spread_ids(limit)]


@torch.no_grad()
def relative_statistics(clips: list[np.ndarray], config: AutoencoderConfig, layout: str, mean: np.ndarray,
                        std: np.ndarray) -> dict:
    """A tracked autoencoder's statistics: the layout's `mean` and `std` and those `(2, dim)` of the values
    relative to the track's curve over `clips` (values that never vary get std 1)."""
    probe = MotionAutoencoder(config, layout, {"mean": mean, "std": std})
    relative_mean, variance = _moments(probe.relative(clip)[0][0] for clip in _whole_steps(clips))
    relative_std = variance.clamp_min(0).sqrt()
    relative_std[relative_std < 1e-6] = 1.0
    return {"mean": mean, "std": std, "relative_mean": relative_mean.float(), "relative_std": relative_std.float()}


class AutoencoderModule(pl.LightningModule):
    def __init__(self, config: AutoencoderConfig, layout: str, mean: np.ndarray, std: np.ndarray,
                 statistics: dict | None = None, learning_rate: float = 3e-4):
        super().__init__()
        self.config, self.layout, self.learning_rate = config, get_layout(layout), learning_rate
        self.model = MotionAutoencoder(config, layout, statistics)
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))

    def training_step(self, x: torch.Tensor, batch_index: int) -> torch.Tensor:
        code = self.model.encode(x)
        z = code[..., :self.config.latent]  # the track stays exact: the decoder cannot correct it
        y = self.model.decode(torch.cat([z + self.config.noise * torch.randn_like(z),
                                         code[..., self.config.latent:]], dim=-1)).float()
        joints = self.layout.positions(y * self.std + self.mean)
        true_joints = self.layout.positions(x * self.std + self.mean)
        losses = {"reconstruction": (y - x).pow(2).mean(),
                  "velocity": (y.diff(dim=1) - x.diff(dim=1)).pow(2).mean(),
                  "acceleration": (y.diff(n=2, dim=1) - x.diff(n=2, dim=1)).pow(2).mean(),
                  "joints": ((joints - true_joints) / JOINT_TOLERANCE).pow(2).mean(),
                  "joint_acceleration": ((joints.diff(n=2, dim=1) - true_joints.diff(n=2, dim=1))
                                         / ACCELERATION_TOLERANCE).pow(2).mean(),
                  "latent": z.float().pow(2).mean()}
        total = (losses["reconstruction"] + 2 * losses["velocity"] + 4 * losses["acceleration"]
                 + JOINT_WEIGHT * (losses["joints"] + losses["joint_acceleration"]) + 1e-4 * losses["latent"])
        self.log_dict({f"train/{k}": v.detach() for k, v in losses.items()}, on_step=True, batch_size=len(x))
        self.log("train/loss", total.detach(), on_step=True, prog_bar=True, batch_size=len(x))
        return total

    def configure_optimizers(self):
        return torch.optim.AdamW(self.model.parameters(), lr=self.learning_rate, weight_decay=0.0)


def fit_autoencoder(clips: list[np.ndarray], out_dir: Path, config: AutoencoderConfig, layout: str,
                    mean: np.ndarray, std: np.ndarray, *, max_minutes: float | None, max_steps: int,
                    trainer_args: dict, batch_size: int = 64, progress_bar: bool = True) -> Path:
    """Train on windows of `clips`; writes `out_dir/autoencoder.safetensors` (+ .json) and its losses
    (`out_dir/autoencoder/metrics.csv`, `losses.png`)."""
    from lightning.pytorch.callbacks import TQDMProgressBar
    from lightning.pytorch.loggers import CSVLogger

    from interx.viz.losses import plot_losses

    statistics = relative_statistics(clips, config, layout, mean, std) if config.track else None
    module = AutoencoderModule(config, layout, mean, std, statistics)
    windows = ClipWindows(clips, config.window)
    loader = DataLoader(windows, batch_size=min(batch_size, len(windows)), shuffle=True, drop_last=True)
    trainer = pl.Trainer(
        **trainer_args, max_steps=max_steps, max_epochs=-1,
        max_time={"minutes": max_minutes} if max_minutes else None,
        logger=CSVLogger(out_dir, name="autoencoder", version=""), log_every_n_steps=1 if 0 < max_steps < 100 else 10,
        callbacks=[TQDMProgressBar(refresh_rate=5)] if progress_bar else [], enable_progress_bar=progress_bar,
        enable_model_summary=False, enable_checkpointing=False, limit_val_batches=0, gradient_clip_val=1.0)
    trainer.fit(module, train_dataloaders=loader)
    path = out_dir / "autoencoder.safetensors"
    if trainer.is_global_zero:
        write_checkpoint(path, "autoencoder", KIND, VERSION, {"config": config.to_dict(), "layout": layout},
                         {f"model.{k}": v for k, v in module.model.state_dict().items()})
        plot_losses(out_dir / "autoencoder", out_dir / "autoencoder" / "losses.png")
    trainer.strategy.barrier()
    return path


def load_autoencoder(path: Path) -> MotionAutoencoder:
    """The frozen autoencoder a run trained (`fit_autoencoder`)."""
    weights, meta, document, tensors = read_checkpoint(path, "autoencoder", KIND, VERSION,
                                                       "interx train generator --space latent")
    model = MotionAutoencoder(AutoencoderConfig.from_dict(document["config"]), document["layout"])
    load_weights(model, tensors, "model", weights, meta)
    return model.eval().requires_grad_(False)


@torch.no_grad()
def latent_codec(autoencoder: MotionAutoencoder, clips: list[np.ndarray]) -> LatentCodec:
    """The autoencoder with the mean and std `(2, latent)` of its latents over `clips` (whole clips)."""
    mean, variance = _moments(autoencoder.encode(clip)[0] for clip in _whole_steps(clips))
    return LatentCodec(autoencoder, mean.float(), variance.clamp_min(1e-8).sqrt().float())


def _whole_steps(clips: list[np.ndarray]):
    """Each clip as a float32 batch of one `(1, T, 2, dim)`, cut to whole latent steps (empty ones left out)."""
    for clip in clips:
        usable = len(clip) // DOWNSAMPLING * DOWNSAMPLING
        if usable:
            yield torch.from_numpy(clip[None, :usable].astype(np.float32))


def _moments(rows) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and variance (float64) over the first axis of every tensor in `rows`, taken together."""
    total = squares = 0.0
    count = 0
    for row in rows:
        row = row.double()
        total, squares, count = total + row.sum(0), squares + (row * row).sum(0), count + len(row)
    mean = total / count
    return mean, squares / count - mean * mean
