"""Sampling a trained generator: requests in, SMPL-X motions in the processed layout out.

A request is one clip to make: its length, its conditions (text, action,
familiarity and Big-Five) and optionally a given motion with a (T, 2) mask
of what is fixed in it (the actor, the observed start). Requests are
batched, sampled with the few-step flow sampler and classifier-free
guidance (in the autoencoder's latent space for a latent model, then
decoded by it), decoded by the model's layout and placed as the processed release
places a scene: a given motion's clip comes back in that motion's frame
(the fixed part exactly as given, up to float rounding); a clip made from
nothing is turned to a heading drawn from the training clips', put on the
floor, and P1's first translation is taken off.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from interx.models import flow
from interx.models.autoencoder import latent_known, latent_mask
from interx.models.checkpoint import Generator
from interx.models.denoiser import condition_inputs
from interx.models.layout import get_layout, move_motion, to_processed_frame
from interx.models.text import TextEncoder, pad_tokens


@dataclass
class Request:
    """One clip to generate, `length` frames. `motion` `[T, 56, 6]` (processed layout) and `known_mask` (T, 2)
    fix a part of it: the persons and frames marked True. `length` may run past the given motion (prediction):
    those frames are generated freely."""

    length: int
    text: str | None = None
    action: int | None = None
    familiarity: int | None = None
    big_five: np.ndarray | None = None  # (2, 5)
    motion: np.ndarray | None = None
    known_mask: np.ndarray | None = None


class Sampler:
    """Batched sampling of one generator."""

    def __init__(self, generator: Generator, encoder: TextEncoder | None = None):
        self.generator = generator
        self.config = generator.config
        self.layout = get_layout(self.config.layout)
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
        if self.config.task in ("reaction", "predict") and request.motion is None:
            raise ValueError(f"this {self.config.task} model needs the given motion (the actor or the observed start)")
        if request.motion is not None:
            if self.layout.frames(len(request.motion)) < 1:
                raise ValueError(f"the given motion has {len(request.motion)} frames, too few for the "
                                 f"{self.layout.name} layout")
            if request.known_mask is None or np.shape(request.known_mask) != (len(request.motion), 2):
                raise ValueError(f"known_mask must be ({len(request.motion)}, 2) for the given motion, got "
                                 f"{None if request.known_mask is None else np.shape(request.known_mask)}")

    def motions(self, requests: Sequence[Request], steps: int | None = None, guidance: float | None = None,
                seed: int = 0, batch_size: int = 32, progress: Callable[[int, int], None] | None = None,
                guidance_stop: float | None = None, start_level: float = 1.0) -> list[np.ndarray]:
        """`[length, 56, 6]` motions per request; the same seed gives the same motions. Unset sampling settings
        are the model's. `start_level` < 1 makes variations of the requests' given motions (`flow.sample`)."""
        steps = steps or self.config.sampling_steps
        guidance = self.config.guidance if guidance is None else guidance
        guidance_stop = self.config.guidance_stop if guidance_stop is None else guidance_stop
        for request in requests:
            self.check(request)
            if start_level < 1.0 and request.motion is None:
                raise ValueError("start_level below 1 varies a given motion: every request needs one")
        generator = torch.Generator().manual_seed(seed)
        out: list[np.ndarray] = []
        for start in range(0, len(requests), batch_size):
            chunk = requests[start:start + batch_size]
            out.extend(self._batch(chunk, steps, guidance, guidance_stop, generator, start_level))
            if progress is not None:
                progress(len(out), len(requests))
        return out

    @torch.no_grad()
    def _batch(self, requests: Sequence[Request], steps: int, guidance: float, guidance_stop: float,
               generator: torch.Generator, start_level: float):
        g = self.generator
        dim, patch = self.layout.dim, self.config.frames_per_token
        b = len(requests)
        frames = int(math.ceil(max(r.length for r in requests) / patch) * patch)
        mask = torch.zeros(b, frames, dtype=torch.bool)
        known = torch.zeros(b, frames, 2, dim)
        fixed = torch.zeros(b, frames, 2, dtype=torch.bool)
        given_lengths = torch.ones(b, dtype=torch.int64)
        places = []
        for i, r in enumerate(requests):
            mask[i, :r.length] = True
            if r.motion is None:
                places.append(None)
                continue
            vectors, place = self.layout.encode(r.motion)
            places.append(place)
            given = min(r.length, len(vectors))  # frames past the given motion are free (prediction runs past it)
            known[i, :given] = (torch.from_numpy(vectors[:given]) - g.mean) / g.std
            fixed[i, :given] = torch.as_tensor(np.asarray(r.known_mask, dtype=bool)[:given])
            given_lengths[i] = given
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

        steps_mask, target_known, target_fixed = mask, known, fixed  # frames, or latent steps
        if g.codec is not None:
            steps_mask, target_known, target_fixed = (latent_mask(mask), g.codec.encode(known, given_lengths),
                                                      latent_known(fixed))

        def predict(x_t, t, conditional):
            return g.model(x_t, t, steps_mask, target_known, target_fixed, cond_on if conditional else cond_off)

        use_guidance = guidance if conds else 1.0
        width = target_known.shape[-1]
        x = flow.sample(predict, tuple(target_known.shape), steps, use_guidance, guidance_stop, target_known,
                        target_fixed[..., None].expand(-1, -1, -1, width), generator=generator,
                        start_level=start_level)
        if g.codec is not None:
            x = g.codec.decode(x)
        x = (x * g.std + g.mean).numpy()
        headings = g.headings[torch.randint(0, len(g.headings), (b,), generator=generator)].tolist()
        out = []
        for i, (r, place) in enumerate(zip(requests, places)):
            motion = self.layout.decode(x[i, :r.length])
            if place is None:
                out.append(to_processed_frame(motion, headings[i]))
            else:  # back in the given motion's frame, its fixed rows copied as given
                motion = move_motion(motion, place.rotation, place.offset)
                given = np.asarray(r.known_mask, dtype=bool)[:r.length]
                for p in range(2):
                    rows = np.flatnonzero(given[:, p])
                    motion[rows, :, 3 * p:3 * p + 3] = r.motion[rows, :, 3 * p:3 * p + 3]
                out.append(motion)
        return out
