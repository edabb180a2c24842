"""Generator speed: interactions per second (5 s clips, batch 32) at 10 and 50 steps, and training samples per second.

Usage: python benchmarks/generate.py [--configs tiny base] [--spaces motion latent] [--threads 2]

Weights are freshly initialized (speed does not depend on their values, and a
latent model's autoencoder is a fresh one too); the
network is the action-conditioned one (a2m), with guidance 2 (two network
calls per step, as sampling with classifier-free guidance does). Training
is timed on random 5 s batches with every loss term, after two warm-up steps,
in the precision a run picks on this machine (`training_precision`: bfloat16
mixed where the CPU has bfloat16 instructions; then also in float32). A latent
config's batches carry their latents, encoded once as a run does
(`latent_cache`), and compute the geometric losses on a quarter of the batch:
it is also timed with them on every row, and without them.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import torch

from interx.models.autoencoder import LatentCodec
from interx.models.checkpoint import Generator
from interx.models.layout import get_layout
from interx.models.sampling import Request, Sampler
from interx.train.generator import GeneratorModule, training_config, training_precision

FRAMES = 150  # 5 s at 30 fps
BATCH = 32


def fresh_module(config) -> GeneratorModule:
    """Fresh weights, with the statistics of a still rest pose (so the zero-initialized output decodes to valid
    rotations)."""
    vectors, _ = get_layout(config.layout).encode(np.zeros((FRAMES, 56, 6), np.float32))
    mean = vectors.mean(axis=0).astype(np.float32)  # (2, dim)
    codec = None if config.autoencoder is None else LatentCodec.untrained(config.autoencoder, config.layout)
    return GeneratorModule(config, mean, np.ones_like(mean), np.zeros(1, np.float32), codec=codec)


def sampling_rate(config, steps: int) -> float:
    """Interactions/s, decoding to `[T, 56, 6]` and placing included."""
    module = fresh_module(config)
    sampler = Sampler(Generator(module.ema.eval(), config, module.mean, module.std, module.headings, module.codec))
    requests = [Request(length=FRAMES, action=i % 40) for i in range(BATCH)]
    sampler.motions(requests[:2], steps=1)  # warm-up
    start = time.perf_counter()
    sampler.motions(requests, steps=steps, guidance=2.0, batch_size=BATCH)
    return BATCH / (time.perf_counter() - start)


def training_rate(config, precision: str, iterations: int = 4) -> float:
    module = fresh_module(config)
    module.log = module.log_dict = lambda *a, **k: None
    optimizer = torch.optim.AdamW(module.model.parameters(), lr=1e-4)
    frames = int(np.ceil(FRAMES / config.frames_per_token) * config.frames_per_token)
    batch = {"motion": torch.randn(config.batch_size, frames, 2, get_layout(config.layout).dim),
             "length": torch.full((config.batch_size,), FRAMES), "action": torch.randint(0, 40, (config.batch_size,))}
    batch["mask"] = torch.arange(batch["motion"].shape[1])[None] < batch["length"][:, None]
    if module.codec is not None:
        with torch.no_grad():
            batch["latent"] = module.codec.encode(module.normalize(batch["motion"]), batch["length"])
    times = []
    for i in range(iterations + 2):
        start = time.perf_counter()
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16-mixed"):
            loss = module.training_step(batch, i)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return config.batch_size / float(np.mean(times[2:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=["tiny", "base"])
    parser.add_argument("--spaces", nargs="+", default=["motion", "latent"], choices=["motion", "latent"])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    precision = training_precision(gpu=False)
    print(f"{args.threads} threads, 5 s clips, batch {BATCH}; training in {precision}")
    for name, space in [(name, space) for name in args.configs for space in args.spaces]:
        config = training_config("a2m", name, space=space)
        module = fresh_module(config)
        params = sum(p.numel() for p in module.model.parameters())
        frozen = sum(p.numel() for p in module.codec.parameters()) if module.codec is not None else 0
        extra = f" (+ {frozen / 1e6:.1f} M in the autoencoder)" if frozen else ""
        print(f"{name}, {space}: {params / 1e6:.1f} M parameters{extra}")
        for steps in (10, 50):
            print(f"  sampling, {steps} steps: {sampling_rate(config, steps):.2f} interactions/s")
        print(f"  training (batch {config.batch_size}, {precision}): {training_rate(config, precision):.1f} samples/s")
        if precision != "32-true":
            print(f"  training, float32: {training_rate(config, '32-true'):.1f} samples/s")
        if config.geometry_rows:  # what computing the geometric losses on a part of the batch saves
            every = replace(config, geometry_rows=0)
            print(f"  training, geometric losses on every row: {training_rate(every, precision):.1f} samples/s")
            print(f"  training, no geometric losses: "
                  f"{training_rate(replace(config, geometric_weight=0.0), precision):.1f} samples/s")

if __name__ == "__main__":
    main()
