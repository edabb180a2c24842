"""What a latent generator can reach at best: a split's motions passed through its autoencoder, for `interx evaluate`.

Usage: python benchmarks/autoencoder.py RUN DATA OUT.h5 [--split test]

RUN is a latent generator's run folder (or generator.safetensors). Each clip
of the split is encoded and decoded whole, then put back where it was; the
output holds one motion per id, the layout `interx evaluate --pred` reads.
It prints the mean body-joint error in millimetres and the time taken.
"""

from __future__ import annotations

import argparse
import time

import h5py
import numpy as np
import torch

from interx.body.skeleton import NUM_BODY_JOINTS
from interx.data.atomic import atomic_path
from interx.data.processed import H5Motions
from interx.models.autoencoder import DOWNSAMPLING
from interx.models.checkpoint import load_generator
from interx.models.layout import get_layout, move_motion, pair_joints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run")
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--split", default="test")
    args = parser.parse_args()
    generator = load_generator(args.run)
    if generator.codec is None:
        raise SystemExit(f"{args.run} is not a latent generator (trained with --space latent)")
    layout = get_layout(generator.config.layout)
    errors = []
    start = time.perf_counter()
    with H5Motions(f"{args.data}/motions/{args.split}.h5") as motions, atomic_path(args.out) as tmp, \
            h5py.File(tmp, "w") as out, torch.no_grad():
        for seq_id in motions.ids():
            motion = motions.read(seq_id)
            vectors, place = layout.encode(motion)
            frames = len(vectors)
            padded = int(np.ceil(frames / DOWNSAMPLING) * DOWNSAMPLING)
            x = torch.zeros(1, padded, 2, layout.dim)
            x[0, :frames] = (torch.from_numpy(vectors) - generator.mean) / generator.std
            z = generator.codec.encode(x, torch.tensor([frames]))
            y = (generator.codec.decode(z)[0, :frames] * generator.std + generator.mean).numpy()
            rebuilt = move_motion(layout.decode(y), place.rotation, place.offset)
            out[seq_id] = rebuilt
            truth = pair_joints(motion[:len(rebuilt)])[:, :, :NUM_BODY_JOINTS]
            errors.append(np.linalg.norm(pair_joints(rebuilt)[:, :, :NUM_BODY_JOINTS] - truth, axis=-1).mean())
    print(f"{len(errors)} clips of {args.split}: mean body-joint error {1000 * np.mean(errors):.1f} mm, "
          f"{time.perf_counter() - start:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
