"""Sampling a trained generator: requests in, SMPL-X motions in the processed layout out.

A request is one clip to make: its length, its conditions (text, action,
familiarity and Big-Five) and optionally a fixed part (features and a
(T, 2) mask: the actor, the observed start). Requests are batched, sampled
with the few-step flow sampler and classifier-free guidance, and turned into
`[T, 56, 6]` motions (body rotations from the 6D rows, the root fitted to the
joints, hands and face zero) in the canonical frame of the features.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from interx.models import flow
from interx.models.checkpoint import Generator
from interx.models.denoiser import condition_inputs
from interx.models.text import TextEncoder, pad_tokens
from interx.prepare.features import params_from_features


@dataclass
class Request:
    """One clip to generate. `known` (T, 2, D) raw features and `known_mask` (T, 2) fix a part of it."""

    length: int
    text: str | None = None
    action: int | None = None
    familiarity: int | None = None
    big_five: np.ndarray | None = None  # (2, 5)
    known: np.ndarray | None = None
    known_mask: np.ndarray | None = None


def motion_from_features(features: np.ndarray) -> np.ndarray:
    """(T, 2, 262) raw features -> `[T, 56, 6]` float32 motion (rows 0-54 pose, row 55 translation)."""
    pose, trans = params_from_features(features)  # (T, 2, 55, 3), (T, 2, 3)
    motion = np.zeros((features.shape[0], 56, 6), dtype=np.float32)
    for person in range(2):
        motion[:, :55, 3 * person:3 * person + 3] = pose[:, person]
        motion[:, 55, 3 * person:3 * person + 3] = trans[:, person]
    return motion


class Sampler:
    """Batched sampling of one generator."""

    def __init__(self, generator: Generator, encoder: TextEncoder | None = None):
        self.generator = generator
        self.config = generator.config
        needs_text = "text" in self.config.network.conditions
        self.encoder = encoder if encoder is not None or not needs_text else TextEncoder(self.config.text_encoder)

    def check(self, request: Request) -> None:
        """Refuse what the model cannot do, before any sampling."""
        conds = self.config.network.conditions
        if not 1 <= request.length <= self.config.max_length:
            raise ValueError(f"length must be 1-{self.config.max_length} frames for this model "
                             f"({self.config.max_length / 30:.1f} s), got {request.length}")
        if "text" in conds:
            if not request.text:
                raise ValueError(f"this {self.config.task} model needs a text (--text)")
            self.encoder.check_length(request.text)
        if ("action" in conds or "style" in conds) and request.action is None:
            raise ValueError(f"this {self.config.task} model needs an action (--action)")
        if "style" in conds and (request.familiarity is None or request.big_five is None):
            raise ValueError("this style model needs a familiarity (1-4) and both persons' Big-Five")
        if self.config.task in ("reaction", "predict") and request.known is None:
            raise ValueError(f"this {self.config.task} model needs the given motion (the actor or the observed start)")

    def features(self, requests: Sequence[Request], steps: int | None = None, guidance: float | None = None,
                 seed: int = 0, batch_size: int = 32, progress: Callable[[int, int], None] | None = None
                 ) -> list[np.ndarray]:
        """Raw (length, 2, D) features per request; fixed parts come back exactly as given."""
        steps = steps or self.config.sampling_steps
        guidance = self.config.guidance if guidance is None else guidance
        for request in requests:
            self.check(request)
        generator = torch.Generator().manual_seed(seed)
        out: list[np.ndarray] = []
        for start in range(0, len(requests), batch_size):
            chunk = requests[start:start + batch_size]
            out.extend(self._batch(chunk, steps, guidance, generator))
            if progress is not None:
                progress(len(out), len(requests))
        return out

    def motions(self, requests: Sequence[Request], **kwargs) -> list[np.ndarray]:
        """`[T, 56, 6]` motions per request (see `features` for the arguments)."""
        return [motion_from_features(f) for f in self.features(requests, **kwargs)]

    @torch.no_grad()
    def _batch(self, requests: Sequence[Request], steps: int, guidance: float, generator: torch.Generator):
        g = self.generator
        dim, patch = self.config.network.motion_dim, self.config.network.patch
        b = len(requests)
        frames = int(math.ceil(max(r.length for r in requests) / patch) * patch)
        mask = torch.zeros(b, frames, dtype=torch.bool)
        known = torch.zeros(b, frames, 2, dim)
        fixed = torch.zeros(b, frames, 2, dtype=torch.bool)
        for i, r in enumerate(requests):
            mask[i, :r.length] = True
            if r.known is not None:
                given = torch.as_tensor(np.asarray(r.known[:r.length], dtype=np.float32))
                known[i, :len(given)] = (given - g.mean) / g.std
                fixed[i, :len(given)] = torch.as_tensor(np.asarray(r.known_mask[:r.length], dtype=bool))
        batch = {"motion": known}
        conds = self.config.network.conditions
        if "text" in conds:
            batch.update(pad_tokens(self.encoder.encode([r.text for r in requests])))
        if "action" in conds or "style" in conds:
            batch["action"] = torch.tensor([r.action for r in requests])
        if "style" in conds:
            batch["familiarity"] = torch.tensor([r.familiarity for r in requests])
            batch["big_five"] = torch.tensor(np.stack([r.big_five for r in requests]), dtype=torch.float32)
        cond_on = condition_inputs(conds, batch, lambda: torch.ones(b, dtype=torch.bool))
        cond_off = condition_inputs(conds, batch, lambda: torch.zeros(b, dtype=torch.bool))

        def predict(x_t, t, conditional):
            return g.model(x_t, t, mask, known, fixed, cond_on if conditional else cond_off)

        use_guidance = guidance if conds else 1.0
        x = flow.sample(predict, (b, frames, 2, dim), steps, use_guidance, known, fixed[..., None].expand(-1, -1, -1, dim),
                        generator=generator)
        x = x * g.std + g.mean
        return [x[i, :r.length].numpy() for i, r in enumerate(requests)]

