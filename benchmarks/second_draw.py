"""A second draw of a synthetic release's test set: the same ids, actions and choreographies from another seed.

Usage: python benchmarks/second_draw.py OUT [--size medium] [--seed 1]

Then `interx prepare OUT OUT-prepared --splits test` and `interx evaluate --task t2m --data DATA --pred
OUT-prepared/motions/test.h5`: what a generator that reproduced the synthetic data's own distribution exactly
would score (the floor of FID for new motions, which the t2m target sits just above).
"""

from __future__ import annotations

import argparse

from interx.data.splits import official_split_of
from interx.synth.generate import select_ids, write_synthetic_release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1, help="any seed but the release's own (0 by default)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    split = official_split_of()
    ids = [seq_id for seq_id in select_ids(args.size) if split.get(seq_id) == "test"]
    report = write_synthetic_release(args.out, args.size, args.seed, ids=ids, workers=args.workers)
    print(f"{len(report.written)} test ids drawn with seed {args.seed} into {args.out}; failed: {len(report.failed)}")


if __name__ == "__main__":
    main()
