"""Flow matching on a straight path from clean motion (t = 0) to Gaussian noise (t = 1).

x_t = (1 - t) x0 + t e. The network predicts x0 (clean motion), which is what
the geometric losses need; the sampler turns that prediction into the noise
estimate e = (x_t - (1 - t) x0) / t and steps deterministically to a lower t
(the straight-path DDIM update), so any number of steps works with one model.
Classifier-free guidance mixes the conditional and unconditional x0
predictions, and only while the noise level is at least `guidance_stop`:
guiding the last, low-noise steps pushes the fine detail off the data
(a2m: accuracy 0.650 and FID 32 guiding every step at scale 2, 0.766 and
16 guiding at scale 6 down to level 0.8; docs/results.md). Fixed entries
(inpainting) are written into every prediction, so they come out exactly as
given.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

MIN_T = 1e-3


def noisy(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """The path point at level `t` (B,) between `x0` and `noise` (B, ...)."""
    t = t.view(-1, *([1] * (x0.dim() - 1)))
    return (1 - t) * x0 + t * noise


def sample_levels(batch: int, location: float = 0.0, generator: torch.Generator | None = None,
                  device=None) -> torch.Tensor:
    """Training noise levels: logit-normal (mass in the middle, where the task is hardest; a positive `location`
    moves it towards noise, where the sampler decides which motion it makes), clipped off 0."""
    u = torch.randn(batch, generator=generator, device=device) + location
    return torch.sigmoid(u).clamp(MIN_T, 1.0)


def sample(predict: Callable[[torch.Tensor, torch.Tensor, bool], torch.Tensor], shape: tuple[int, ...],
           steps: int, guidance: float = 1.0, guidance_stop: float = 0.0, known: torch.Tensor | None = None,
           known_mask: torch.Tensor | None = None, generator: torch.Generator | None = None,
           device=None, start_level: float = 1.0) -> torch.Tensor:
    """Clean motion of `shape` in `steps` steps from noise.

    `predict(x_t, t, conditional)` gives the network's x0; with guidance != 1
    it is called twice per step (conditional and not) at levels t >= `guidance_stop`. `known`/`known_mask`
    (broadcast to `shape`) fix entries of the result. `start_level` < 1 starts from `known` noised to that
    level (SDEdit): a variation that keeps the given motion's broad lines, and a probe of which noise levels
    lose what (`benchmarks/partial_denoising.py`).
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if not 0.0 <= guidance_stop <= 1.0:
        raise ValueError(f"guidance_stop must be a noise level in [0, 1], got {guidance_stop}")
    if not 0.0 < start_level <= 1.0:
        raise ValueError(f"start_level must be a noise level in (0, 1], got {start_level}")
    if start_level < 1.0 and known is None:
        raise ValueError("start_level below 1 varies a given motion: pass it as `known`")
    x = torch.randn(shape, generator=generator, device=device)
    if start_level < 1.0:
        x = (1 - start_level) * known.expand(shape) + start_level * x
    levels = torch.linspace(start_level, 0.0, steps + 1, device=device)
    fixed = None if known_mask is None else known_mask.to(x.dtype)
    for i in range(steps):
        t, t_next = levels[i], levels[i + 1]
        t_batch = t.expand(shape[0])
        x0 = predict(x, t_batch, True)
        if guidance != 1.0 and t >= guidance_stop - 1e-6:  # levels are float32: 0.7 may come out a hair under
            unconditional = predict(x, t_batch, False)
            x0 = unconditional + guidance * (x0 - unconditional)
        if fixed is not None:
            x0 = fixed * known + (1 - fixed) * x0
        eps = (x - (1 - t) * x0) / t
        x = (1 - t_next) * x0 + t_next * eps
    return x

