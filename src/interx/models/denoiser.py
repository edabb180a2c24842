"""The two-person denoiser: a transformer that predicts clean motion from noisy motion and conditions.

Both persons go through the same weights (a person is a batch row); a
learned vector per person says which one the scene is canonicalized on
(person 0 stands at the origin facing +Z at frame 0, the other about a metre
away), everything else is shared, so either person can act. Time is cut
into patches of `patch` frames (one token each), which keeps attention
cheap enough to train on a laptop CPU. Each block:

  self-attention over one person's tokens (time) -> attention from each
  person's tokens to the other person's (interaction) -> attention to the
  text tokens, when the task has text -> feed-forward,

every sub-layer pre-normalized and modulated (scale, shift, gate) by one
condition vector: the noise level plus the pooled conditions (sentence
embedding, action, familiarity and Big-Five), each replaced by a learned
"absent" vector when dropped, so classifier-free guidance has an
unconditional model to contrast with.

Fixed frames (inpainting: the actor in reaction generation, the observed
seconds in prediction) enter as two extra input channels per frame and person:
the known values and a 0/1 flag. With `hold_given` (the presets), each free
frame after a given one also gets that person's last given frame added to
the output, so the network writes the change from where the given motion
stops (`held_frames`).

The output is x0 itself (no skip connection from x_t: a token is far
narrower than its patch, 192 against 4 x 442 values, so a skip would pass
noise that the network cannot cancel through its width, and low noise levels
would not train). Each token writes a window of 2 x patch frames, every value
a cubic in time, faded into its neighbours' windows (overlap-add), so the
output has no steps at patch boundaries and no frame-to-frame jitter of its
own. `init_from_basis` starts the patch embedding as the data's principal
components over patches (192 keep 99.97% of the variance of 4-frame patches
of the synthetic release), so the first layer keeps what matters from the
start.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
from torch import nn
from torch.nn import functional as F

CONDITIONS = ("text", "action", "style")
NUM_ACTIONS = 40
NUM_FAMILIARITY = 4
NUM_TRAITS = 5
TRAIT_CENTER, TRAIT_SCALE = 25.0, 10.0  # Big-Five scores lie on about 8-45: centred and scaled for the network


@dataclass(frozen=True)
class DenoiserConfig:
    """Network sizes and which conditions it reads."""

    motion_dim: int = 262
    width: int = 192
    layers: int = 4
    heads: int = 4
    ff_mult: int = 4
    patch: int = 4
    dropout: float = 0.1
    conditions: tuple[str, ...] = ()
    text_dim: int = 384
    curve_terms: int = 4  # polynomial terms per value and token window (cubic)
    hold_given: bool = False  # free frames after given ones write the change from the last given frame

    def __post_init__(self):
        unknown = set(self.conditions) - set(CONDITIONS)
        if unknown:
            raise ValueError(f"unknown conditions {sorted(unknown)}; known: {', '.join(CONDITIONS)}")
        if self.width % self.heads:
            raise ValueError(f"width {self.width} is not a multiple of heads {self.heads}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["conditions"] = list(self.conditions)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> DenoiserConfig:
        known = {f.name for f in fields(cls)}
        extra = set(d) - known
        if extra:
            raise ValueError(f"unknown denoiser settings {sorted(extra)}")
        return cls(**{**d, "conditions": tuple(d.get("conditions", ()))})


def condition_inputs(names: tuple[str, ...], batch: dict, keep) -> dict:
    """The denoiser's condition dict from a batch; `keep()` gives a fresh (B,) presence flag per condition."""
    cond = {}
    if "text" in names:
        cond.update(tokens=batch["tokens"], token_mask=batch["token_mask"], sentence=batch["sentence"],
                    text_keep=keep())
    if "action" in names or "style" in names:
        cond.update(action=batch["action"], action_keep=keep())
    if "style" in names:
        cond.update(familiarity=batch["familiarity"], big_five=batch["big_five"], style_keep=keep())
    return cond


def legendre_basis(frames: int, terms: int) -> torch.Tensor:
    """`(terms, frames)` orthonormal polynomials of degree 0 .. terms - 1 sampled at `frames` evenly spaced times."""
    times = torch.linspace(-1.0, 1.0, frames, dtype=torch.float64)
    powers = torch.stack([times ** k for k in range(terms)], dim=1)
    q, _ = torch.linalg.qr(powers)  # Gram-Schmidt of 1, t, t^2, ...: the sampled Legendre polynomials
    return (q.T * torch.sign(q[-1:].T)).float()


def held_frames(known: torch.Tensor, known_mask: torch.Tensor) -> torch.Tensor:
    """`(B, T, 2, D)`: at each frame, the person's last given frame up to it (zero before any). Added to the
    output, it makes a continuation start where the given motion stops: an untrained network predicts the
    constant pose, and training learns the change from there (prediction, completion)."""
    index = torch.arange(known.shape[1], device=known.device)[None, :, None].expand_as(known_mask)
    last = torch.where(known_mask, index, torch.full_like(index, -1)).cummax(dim=1).values
    held = known.gather(1, last.clamp_min(0)[..., None].expand_as(known))
    return held * (last >= 0)[..., None].to(known.dtype)


def sinusoid(values: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding `(..., dim)` of real values (noise levels, positions)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=values.device, dtype=torch.float32) / half)
    angles = values.float()[..., None] * freqs
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


class Modulation(nn.Module):
    """Adaptive layer norm: shift, scale and gate of one sub-layer from the condition vector."""

    def __init__(self, width: int):
        super().__init__()
        self.norm = nn.LayerNorm(width, elementwise_affine=False)
        self.proj = nn.Linear(width, 3 * width)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        shift, scale, gate = self.proj(cond)[:, None].chunk(3, dim=-1)
        return self.norm(x) * (1 + scale) + shift, gate


class Attention(nn.Module):
    """Multi-head attention with a key padding mask (True = a real key)."""

    def __init__(self, width: int, heads: int, source_width: int | None = None, dropout: float = 0.0):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.q = nn.Linear(width, width)
        self.kv = nn.Linear(source_width or width, 2 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, source: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        b, n, w = x.shape
        q = self.q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.kv(source).view(b, source.shape[1], 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        # a padded token whose pair has no real key would give NaN: it attends to everything (its output is masked)
        key_mask = key_mask | ~key_mask.any(dim=1, keepdim=True)
        # written out rather than scaled_dot_product_attention: as fast in float32 on CPU, and 5x faster in bfloat16
        scores = (q @ k.transpose(-1, -2)) * (q.shape[-1] ** -0.5)
        weights = scores.masked_fill(~key_mask[:, None, None, :], float("-inf")).softmax(dim=-1)
        if self.training and self.dropout:
            weights = F.dropout(weights, self.dropout)
        y = weights @ v
        return self.out(y.transpose(1, 2).reshape(b, n, w))


class Block(nn.Module):
    def __init__(self, config: DenoiserConfig):
        super().__init__()
        w, h = config.width, config.heads
        self.has_text = "text" in config.conditions
        self.self_mod, self.self_attn = Modulation(w), Attention(w, h, dropout=config.dropout)
        self.cross_mod, self.cross_attn = Modulation(w), Attention(w, h, dropout=config.dropout)
        if self.has_text:
            self.text_mod, self.text_attn = Modulation(w), Attention(w, h, dropout=config.dropout)
        self.ff_mod = Modulation(w)
        self.ff = nn.Sequential(nn.Linear(w, config.ff_mult * w), nn.GELU(), nn.Dropout(config.dropout),
                                nn.Linear(config.ff_mult * w, w))

    def forward(self, x, cond, token_mask, text, text_mask):
        """x `(2B, N, W)`: rows [0, B) person 0, [B, 2B) person 1 of the same pairs."""
        half = x.shape[0] // 2
        y, gate = self.self_mod(x, cond)
        x = x + gate * self.self_attn(y, y, token_mask)
        y, gate = self.cross_mod(x, cond)
        other = torch.cat([y[half:], y[:half]])
        x = x + gate * self.cross_attn(y, other, token_mask)
        if self.has_text:
            y, gate = self.text_mod(x, cond)
            x = x + gate * self.text_attn(y, text, text_mask)
        y, gate = self.ff_mod(x, cond)
        return x + gate * self.ff(y)


class Denoiser(nn.Module):
    """Predicts clean normalized motion `(B, T, 2, D)` from a noisy one at noise level t in [0, 1]."""

    def __init__(self, config: DenoiserConfig):
        super().__init__()
        self.config = config
        w, p, d = config.width, config.patch, config.motion_dim
        self.embed = nn.Linear(p * (2 * d + 1), w)
        # which person a token is: the scene is canonicalized on person 0 (at the origin, facing +Z at frame 0),
        # so the two differ in the data; everything else is shared, so either can act
        self.person = nn.Parameter(torch.zeros(2, 1, w))
        self.position = nn.Linear(w, w)  # from sinusoids; starts at zero so it does not blur the passthrough
        nn.init.zeros_(self.position.weight)
        nn.init.zeros_(self.position.bias)
        self.time = nn.Sequential(nn.Linear(w, w), nn.SiLU(), nn.Linear(w, w))
        conds = set(config.conditions)
        if "text" in conds:
            self.text_tokens = nn.Linear(config.text_dim, w)
            self.sentence = nn.Linear(config.text_dim, w)
            self.no_text = nn.Parameter(torch.zeros(w))
            self.null_token = nn.Parameter(torch.zeros(1, 1, w))  # always attendable: a dropped text reads only it
        if "action" in conds or "style" in conds:
            self.action = nn.Embedding(NUM_ACTIONS + 1, w)  # the last row: no action
        if "style" in conds:
            self.familiarity = nn.Embedding(NUM_FAMILIARITY + 1, w)  # row 0: absent (levels are 1-4)
            self.traits = nn.Linear(NUM_TRAITS, w)  # applied per person, then summed over the pair
            self.no_traits = nn.Parameter(torch.zeros(w))
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.final_mod = nn.Linear(w, 2 * w)  # scale and shift of the state, no normalization (keeps magnitudes)
        nn.init.zeros_(self.final_mod.weight)
        nn.init.zeros_(self.final_mod.bias)
        # each token writes a window of 2p frames reaching p/2 into both neighbours, faded in and out and added
        # up with them (overlap-add), so that adjacent tokens meet without a step (even patch sizes); within a
        # window each value follows a low-order polynomial in time, so nothing jitters from frame to frame
        self.overlap = p % 2 == 0
        span = 2 * p if self.overlap else p
        self.register_buffer("curves", legendre_basis(span, min(config.curve_terms, span)), persistent=False)
        self.head = nn.Linear(w, self.curves.shape[0] * d)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        fade = torch.sin(torch.pi * (torch.arange(2 * p) + 0.5) / (2 * p)) ** 2  # sums to 1 at hop p
        self.register_buffer("fade", fade, persistent=False)

    @torch.no_grad()
    def init_from_basis(self, basis: torch.Tensor) -> None:
        """Start the patch embedding as the projection onto `basis` (k <= width, patch * D: orthonormal rows over
        flattened patches, frame-major; the data's principal components), for the given values too."""
        p, d, w = self.config.patch, self.config.motion_dim, self.config.width
        k = basis.shape[0]
        if basis.shape[1] != p * d or k > w:
            raise ValueError(f"basis must be (at most {w}, {p * d}), got {tuple(basis.shape)}")
        rows = basis.view(k, p, d)
        weight = torch.zeros(w, p, 2 * d + 1)
        weight[:k, :, :d] = rows  # noisy values
        weight[:k, :, d:2 * d] = rows  # given values (inpainting): the same projection
        self.embed.weight.copy_(weight.view(w, -1))
        self.embed.bias.zero_()

    def condition_vector(self, t: torch.Tensor, cond: dict) -> torch.Tensor:
        """One `(B, W)` vector of noise level and pooled conditions; `*_keep` flags (B,) say which are present."""
        c = self.time(sinusoid(t * 1000.0, self.config.width))
        conds = self.config.conditions
        if "text" in conds:
            keep = cond["text_keep"][:, None]
            c = c + torch.where(keep, self.sentence(cond["sentence"]), self.no_text)
        if "action" in conds or "style" in conds:
            action = torch.where(cond["action_keep"], cond["action"], torch.full_like(cond["action"], NUM_ACTIONS))
            c = c + self.action(action)
        if "style" in conds:
            keep = cond["style_keep"]
            c = c + self.familiarity(torch.where(keep, cond["familiarity"], torch.zeros_like(cond["familiarity"])))
            traits = self.traits((cond["big_five"] - TRAIT_CENTER) / TRAIT_SCALE).sum(dim=1)
            c = c + torch.where(keep[:, None], traits, self.no_traits)
        return c

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, mask: torch.Tensor, known: torch.Tensor,
                known_mask: torch.Tensor, cond: dict) -> torch.Tensor:
        """x_t, known `(B, T, 2, D)`; mask `(B, T)` real frames; known_mask `(B, T, 2)`; T a multiple of patch."""
        b, frames, _, d = x_t.shape
        p = self.config.patch
        if frames % p:
            raise ValueError(f"{frames} frames is not a multiple of the patch size {p}")
        n = frames // p
        flag = known_mask[..., None].to(x_t.dtype)
        inputs = torch.cat([x_t * (1 - flag), known * flag, flag], dim=-1)  # (B, T, 2, 2D+1)
        tokens = inputs.permute(2, 0, 1, 3).reshape(2 * b, n, p * (2 * d + 1))
        x = self.embed(tokens) + self.position(sinusoid(torch.arange(n, device=x_t.device), self.config.width))
        x = x + self.person.repeat_interleave(b, dim=0)
        token_mask = mask.view(b, n, p).any(dim=-1).repeat(2, 1)
        c = self.condition_vector(t, cond).repeat(2, 1)
        text = text_mask = None
        if "text" in self.config.conditions:
            words = self.text_tokens(cond["tokens"])
            text = torch.cat([self.null_token.expand(b, 1, -1), words], dim=1).repeat(2, 1, 1)
            present = cond["token_mask"] & cond["text_keep"][:, None]
            text_mask = torch.cat([torch.ones_like(present[:, :1]), present], dim=1).repeat(2, 1)
        for block in self.blocks:
            x = block(x, c, token_mask, text, text_mask)
        scale, shift = self.final_mod(c)[:, None].chunk(2, dim=-1)
        coefficients = self.head(x * (1 + scale) + shift).unflatten(-1, (self.curves.shape[0], d))
        windows = torch.einsum("rnkd,kf->rnfd", coefficients, self.curves.to(coefficients.dtype))
        out = self.frames(windows, token_mask).view(2, b, frames, d).permute(1, 2, 0, 3)
        return out + held_frames(known, known_mask).to(out.dtype) if self.config.hold_given else out

    def frames(self, out: torch.Tensor, token_mask: torch.Tensor) -> torch.Tensor:
        """Token windows `(2B, N, span, C)` -> `(2B, N * patch, C)` frames, overlap-added when windows overlap."""
        rows, n = out.shape[:2]
        p, d = self.config.patch, out.shape[-1]
        if not self.overlap:
            return out.reshape(rows, n * p, d)
        weight = self.fade.to(out.dtype) * token_mask[:, :, None].to(out.dtype)  # padding tokens write nothing
        out = out * weight[..., None]
        total = out.new_zeros(rows, n + 1, p, d)
        total[:, :n] += out[:, :, :p]
        total[:, 1:] += out[:, :, p:]
        norm = weight.new_zeros(rows, n + 1, p)
        norm[:, :n] += weight[:, :, :p]
        norm[:, 1:] += weight[:, :, p:]
        total = total / norm.clamp_min(1e-6)[..., None]
        return total.reshape(rows, (n + 1) * p, d)[:, p // 2:p // 2 + n * p]
