"""A motion autoencoder: each person's layout vectors to a short latent sequence (a quarter of the frames) and back.

Generators can denoise in its latent space instead of the layout's
(`interx train generator --space latent`). Its decoder is a stack of temporal convolutions trained
only on real motion, so whatever latent the denoiser ends on comes out as
smooth motion (its output passes a fixed low-pass, so it cannot shake from
frame to frame); a denoiser that writes layout values directly needs far
more training before its samples stop shaking than 30 minutes on 2 cores give.
The latent is also narrow (32 + 4 values per 4 frames against 4 x 442), so the
denoiser has less to learn.

Both persons go through the same weights, with a 0/1 channel per person
(the scene is canonicalized on person 0, so they differ in the data), as in
the denoiser. Training adds a little noise to the latent, so the decoder
tolerates a sample that lands slightly off the training latents.

Where each person stands and faces is not compressed (`track`): each latent
step carries the root's X, Z and facing (the mean over its 4 frames) as 4
explicit values, and the network codes the motion as seen from a frame that
follows a smooth curve through them. The action evaluator reads placement in
centimetres (0.12 sigma of root noise drops its accuracy from 0.93 to 0.23),
which a learned 32-value code left off by 7-8 cm and 13-15 degrees.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
from torch import nn
from torch.nn import functional as F

from interx.models.layout import TRACK_DIM, get_layout

DOWNSAMPLING = 4  # frames per latent step: two stride-2 stages
TRACK_SMOOTHING = DOWNSAMPLING / 2  # std in frames of the low-pass on the track between latent steps


@dataclass(frozen=True)
class AutoencoderConfig:
    """Sizes of the autoencoder and how it trains (the share of the run's time it takes)."""

    motion_dim: int = 442
    latent: int = 32
    width: int = 256
    noise: float = 0.05  # std of the noise added to the latent in training
    smoothing: float = 1.0  # std in frames of the fixed Gaussian low-pass on the decoder's output (0: none)
    window: int = 64  # training crops, frames (a multiple of DOWNSAMPLING)
    share: float = 0.3  # fraction of the run's minutes or steps spent on the autoencoder
    track: bool = True  # each latent step also carries the root's X, Z and facing, uncompressed

    def __post_init__(self):
        if self.window % DOWNSAMPLING:
            raise ValueError(f"window must be a multiple of {DOWNSAMPLING}, got {self.window}")
        if not 0.0 < self.share < 1.0:
            raise ValueError(f"share must be between 0 and 1, got {self.share}")
        if self.smoothing < 0:
            raise ValueError(f"smoothing must be at least 0, got {self.smoothing}")

    @property
    def code_dim(self) -> int:
        """Values per person and latent step: the learned code, and the track if there is one."""
        return self.latent + (TRACK_DIM if self.track else 0)

    @property
    def root_position(self) -> slice | None:
        """Where a latent step holds the person's root X and Z (the track's first values); None without a track."""
        return slice(self.latent, self.latent + 2) if self.track else None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> AutoencoderConfig:
        known = {f.name for f in fields(cls)}
        extra = set(d) - known
        if extra:
            raise ValueError(f"unknown autoencoder settings {sorted(extra)}")
        return cls(**{"track": False, **d})  # written before the track existed


class Residual(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(nn.SiLU(), nn.Conv1d(width, width, 3, padding=1), nn.SiLU(),
                                 nn.Conv1d(width, width, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.net(x)


def gaussian_low_pass(y: torch.Tensor, sigma: float) -> torch.Tensor:
    """A Gaussian low-pass over the last axis of `(..., T)` (std `sigma` frames; 0: none), ends held."""
    radius = math.ceil(3 * sigma)
    if radius == 0:
        return y
    taps = torch.exp(-0.5 * (torch.arange(-radius, radius + 1, device=y.device) / sigma) ** 2)
    flat = F.pad(y.reshape(-1, 1, y.shape[-1]), (radius, radius), mode="replicate")
    return F.conv1d(flat, (taps / taps.sum()).to(y.dtype).view(1, 1, -1)).view(y.shape)


def _unit_facing(track: torch.Tensor) -> torch.Tensor:
    facing = track[..., 2:] / track[..., 2:].norm(dim=-1, keepdim=True).clamp_min(1e-8)
    return torch.cat([track[..., :2], facing], dim=-1)


def track_steps(track: torch.Tensor) -> torch.Tensor:
    """Per-frame root track `(B, T, 2, 4)` -> its mean over each latent step `(B, T / 4, 2, 4)`."""
    return _unit_facing(track.unflatten(1, (-1, DOWNSAMPLING)).mean(dim=2))


def track_curve(steps: torch.Tensor) -> torch.Tensor:
    """Latent-step track `(B, S, 2, 4)` -> a smooth per-frame track `(B, 4S, 2, 4)`: linear between the steps'
    centres, then low-passed, so the frame it defines does not jerk at each step."""
    b, count, persons, width = steps.shape
    rows = steps.permute(0, 2, 3, 1).reshape(b * persons, width, count).float()
    frames = F.interpolate(rows, scale_factor=DOWNSAMPLING, mode="linear", align_corners=False)
    frames = gaussian_low_pass(frames, TRACK_SMOOTHING)
    return _unit_facing(frames.view(b, persons, width, -1).permute(0, 3, 1, 2))


class MotionAutoencoder(nn.Module):
    """`(B, T, 2, D)` normalized layout vectors <-> `(B, T / 4, 2, code_dim)`; T a multiple of 4.

    With a track, the network sees each person's motion relative to the smooth curve through their root track,
    normalized by `relative_mean` and `relative_std`; `mean` and `std` are the layout values' (the generator's)."""

    def __init__(self, config: AutoencoderConfig, layout: str = "joints", statistics: dict | None = None):
        super().__init__()
        self.config, self.layout = config, get_layout(layout)
        w, d, z = config.width, config.motion_dim, config.latent
        self.encoder = nn.Sequential(
            nn.Conv1d(d + 2, w, 3, padding=1), Residual(w),
            nn.Conv1d(w, w, 4, stride=2, padding=1), Residual(w),
            nn.Conv1d(w, w, 4, stride=2, padding=1), Residual(w), Residual(w),
            nn.Conv1d(w, z, 3, padding=1))
        self.decoder = nn.Sequential(
            nn.Conv1d(z + 2, w, 3, padding=1), Residual(w), Residual(w),
            nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv1d(w, w, 3, padding=1), Residual(w),
            nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv1d(w, w, 3, padding=1), Residual(w),
            nn.Conv1d(w, d, 3, padding=1))
        if config.track:
            statistics = statistics or {}
            for name, fill in (("mean", 0.0), ("std", 1.0), ("relative_mean", 0.0), ("relative_std", 1.0)):
                value = statistics.get(name, torch.full((2, d), fill))
                self.register_buffer(name, torch.as_tensor(value, dtype=torch.float32).clone())

    def smooth(self, y: torch.Tensor) -> torch.Tensor:
        """The fixed low-pass over time of `(rows, C, T)`: a convolution stack left alone writes millimetres of
        frame-to-frame noise that the losses barely see and the evaluators' joints do."""
        return gaussian_low_pass(y, self.config.smoothing)

    @staticmethod
    def _rows(x: torch.Tensor) -> torch.Tensor:
        """(B, T, 2, C) -> (2B, C + 2, T): persons as batch rows, with their 0/1 channels."""
        b, frames, _, c = x.shape
        rows = x.permute(2, 0, 3, 1).reshape(2 * b, c, frames)
        person = torch.zeros(2 * b, 2, frames, dtype=x.dtype, device=x.device)
        person[:b, 0] = 1
        person[b:, 1] = 1
        return torch.cat([rows, person], dim=1)

    @staticmethod
    def _unrows(y: torch.Tensor, b: int) -> torch.Tensor:
        """(2B, C, T) -> (B, T, 2, C)."""
        return y.view(2, b, y.shape[1], y.shape[2]).permute(1, 3, 0, 2)

    def relative(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Normalized layout vectors -> (the same relative to their track's curve, normalized; the track's steps)."""
        raw = x.float() * self.std + self.mean
        steps = track_steps(self.layout.track(raw))
        relative = self.layout.relative_to(raw, track_curve(steps))
        return (relative - self.relative_mean) / self.relative_std, steps

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] % DOWNSAMPLING:
            raise ValueError(f"{x.shape[1]} frames is not a multiple of {DOWNSAMPLING}")
        if not self.config.track:
            return self._unrows(self.encoder(self._rows(x)), x.shape[0])
        relative, steps = self.relative(x)
        z = self._unrows(self.encoder(self._rows(relative)), x.shape[0])
        return torch.cat([z, steps.to(z.dtype)], dim=-1)

    def decode(self, code: torch.Tensor) -> torch.Tensor:
        z = code[..., :self.config.latent]
        y = self._unrows(self.smooth(self.decoder(self._rows(z))), z.shape[0])
        if not self.config.track:
            return y
        raw = self.layout.absolute(y.float() * self.relative_std + self.relative_mean,
                                   track_curve(code[..., self.config.latent:]))
        return (raw - self.mean) / self.std


def edge_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """`(B, T, ...)` with each row's frames past its length replaced by its last real frame, so that padding does
    not leak into the latents of the real frames through the convolutions."""
    index = torch.minimum(torch.arange(x.shape[1], device=x.device)[None], (lengths - 1).clamp_min(0)[:, None])
    return x.gather(1, index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x))


def latent_mask(mask: torch.Tensor) -> torch.Tensor:
    """Frame mask `(B, T, ...)` -> latent-step mask `(B, T / 4, ...)`: a step is real if any of its frames is."""
    return mask.unflatten(1, (-1, DOWNSAMPLING)).any(dim=2)


def latent_known(known: torch.Tensor) -> torch.Tensor:
    """Frame flags `(B, T, 2)` of what is given -> `(B, T / 4, 2)`: a latent step is given if all its frames are."""
    return known.unflatten(1, (-1, DOWNSAMPLING)).all(dim=2)


class LatentCodec(nn.Module):
    """A frozen autoencoder and its latents' statistics: normalized layout vectors <-> normalized latents, the
    space a latent generator denoises in (per person: the canonicalized person 0 and the other differ)."""

    def __init__(self, autoencoder: MotionAutoencoder, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        self.autoencoder = autoencoder.eval().requires_grad_(False)
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))

    @classmethod
    def untrained(cls, config: AutoencoderConfig, layout: str) -> LatentCodec:
        """A codec of the config's shapes with fresh weights and unit statistics, to load weights into."""
        width = config.code_dim
        return cls(MotionAutoencoder(config, layout), torch.zeros(2, width), torch.ones(2, width))

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """`(B, T, 2, D)` -> `(B, T / 4, 2, latent)`; frames past each row's length do not count."""
        return (self.autoencoder.encode(edge_padded(x, lengths)) - self.mean) / self.std

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.autoencoder.decode(z * self.std + self.mean)
