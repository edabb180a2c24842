"""Where a generator loses what the evaluators read: real motions noised part-way, then denoised by the model.

Usage: python benchmarks/partial_denoising.py RUN DATA OUT.h5 --level 0.3 [--split test] [--guidance G]
       [--guidance-stop L] [--seed S]

Each clip of the split is noised to `--level` (1 is pure noise, which is plain
generation) and sampled back to clean motion with its own conditions (its
action or text), in steps of 0.1 as `interx generate --steps 10` takes them
(SDEdit). Scoring OUT.h5 with `interx evaluate` at a few levels shows which
part of the sampler's path costs the accuracy or the FID: a perfect model
gives new motions of the same kind at every level. Prints the time taken.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from interx.data.processed import ProcessedRelease
from interx.models.checkpoint import load_generator
from interx.models.sampling import Sampler
from interx.train.generate import generate_requests, split_requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a generator's run folder or generator.safetensors")
    parser.add_argument("data", help="the processed release")
    parser.add_argument("out", help="the h5 to write, for `interx evaluate --pred`")
    parser.add_argument("--level", type=float, required=True, help="noise level to start from, in (0, 1]")
    parser.add_argument("--split", default="test")
    parser.add_argument("--guidance", type=float, default=None, help="default: the model's")
    parser.add_argument("--guidance-stop", type=float, default=None, help="default: the model's")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sampler = Sampler(load_generator(args.run))
    if sampler.config.task in ("reaction", "predict"):
        raise SystemExit(f"{args.run} is a {sampler.config.task} model: it already starts from a given motion")
    start = time.perf_counter()
    requests = split_requests(sampler, args.data, split=args.split)
    with ProcessedRelease(args.data) as release:
        motions = release.motions(args.split)
        for seq_id, request in requests:
            request.motion = motions.read(seq_id)
            request.known_mask = np.zeros((len(request.motion), 2), dtype=bool)
    generate_requests(sampler, requests, args.out, steps=max(1, round(10 * args.level)), guidance=args.guidance,
                      guidance_stop=args.guidance_stop, seed=args.seed, start_level=args.level)
    print(f"{len(requests)} clips of {args.split} from noise level {args.level}: "
          f"{time.perf_counter() - start:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
