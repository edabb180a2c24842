"""Speed of the text-to-interaction protocol: embedding reuse against the official structure.

Usage:
  python benchmarks/evaluate.py [--ids 1708] [--replications 20] [--official-replications 1]
                                [--evaluator CKPT] [--batch-size 512] [--skip-official]

The data are synthetic stand-ins of a full-size test split: `--ids` official
test ids, random processed motions with Inter-X-like lengths (log-normal
around 180 frames at 30 fps, 30..999), three random texts each, and generated
motions with 30 samples for the first 100 ids (MultiModality 100 x 30) and one
for the rest; each motion is a window of a shared random pool chosen by a
hash of (id, sample), so nothing large is held in memory and reading costs
about what reading an h5 dataset does. The evaluator is the full-size architecture
(hidden 512/1024, embedding 512, random weights: speed does not depend on the
weights) or, with `--evaluator`, a checkpoint (for example the small one
`interx train-evaluator text` makes).

Both runs follow the same drawn plan (same crops, texts and pairs, so the same
numbers). Ours embeds each distinct crop once, the crops of one motion
sharing their convolutions (`interx.eval.crop_encoder`); the official
structure makes every crop from its motion and embeds every batch of 32 again,
padded to 150 frames, in every replication. The official structure's cost
is the same in every replication, so it is timed over
`--official-replications` and multiplied by `replications / official-replications`
(the setup outside the replications, texts and plan drawing, is negligible
and included once). Prints seconds for both and the ratio.
"""

from __future__ import annotations

import argparse
import os
import time
import zlib

import numpy as np
import torch

from interx.data.processed import GloveVocab
from interx.data.splits import official_ids
from interx.eval.evaluator import EvaluatorSizes, OfficialEvaluator, build_modules
from interx.eval.evaluator_input import POS_TAGS
from interx.eval.protocol import ProtocolConfig, run_text_protocol


class RandomMotions:
    """Deterministic random [T, 56, 6] motions, each a window of one shared random pool.

    Reading one is a slice, about as cheap as reading a dataset of an h5 file, so
    neither structure is timed making random numbers.
    """

    def __init__(self, ids: list[str], samples: dict[str, int], seed: int, name: str):
        self.name = name
        self._ids = ids
        self._samples = samples
        rng = np.random.default_rng(seed)
        self._frames = {(i, s): int(np.clip(rng.lognormal(np.log(180), 0.45), 30, 999))
                        for i in ids for s in range(samples[i])}
        self._pool = rng.normal(0, 0.3, (4000, 56, 6)).astype(np.float32)
        self._seed = seed

    def ids(self) -> list[str]:
        return self._ids

    def num_samples(self, seq_id: str) -> int:
        return self._samples.get(seq_id, 0)

    def num_frames(self, seq_id: str, sample: int) -> int:
        return self._frames[(seq_id, sample)]

    def read(self, seq_id: str, sample: int) -> np.ndarray:
        frames = self._frames[(seq_id, sample)]
        start = zlib.crc32(f"{self._seed} {seq_id} {sample}".encode()) % (len(self._pool) - frames)
        return self._pool[start:start + frames]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ids", type=int, default=1708, help="test ids (the full-size split has 1708)")
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--official-replications", type=int, default=1,
                        help="replications timed for the official structure (its cost per replication is fixed)")
    parser.add_argument("--evaluator", default=None, help="checkpoint; default: full-size random weights")
    parser.add_argument("--batch-size", type=int, default=512, help="crops per shared-work call (ours)")
    parser.add_argument("--skip-official", action="store_true", help="time ours only")
    args = parser.parse_args()

    torch.manual_seed(0)
    if args.evaluator:
        evaluator = OfficialEvaluator.load(args.evaluator)
    else:
        sizes = EvaluatorSizes()
        evaluator = OfficialEvaluator(*build_modules(sizes), sizes=sizes)
    rng = np.random.default_rng(0)
    words = ["sos", "eos", "unk"] + [f"w{k}" for k in range(300)]
    vocab = GloveVocab.from_words(words, rng.normal(size=(len(words), evaluator.sizes.word)).astype(np.float32))
    ids = official_ids("test")[:args.ids]
    texts = {i: [tuple(f"w{k}/{POS_TAGS[k % len(POS_TAGS)]}" for k in rng.integers(300, size=rng.integers(10, 36)))
                 for _ in range(3)] for i in ids}
    gt = RandomMotions(ids, {i: 1 for i in ids}, seed=1, name="ground truth")
    pred = RandomMotions(ids, {i: 30 if n < 100 else 1 for n, i in enumerate(ids)}, seed=2, name="generated")
    print(f"{len(ids)} ids, {args.replications} replications, MultiModality 100 x 30, evaluator sizes "
          f"{evaluator.sizes}, torch threads {torch.get_num_threads()}, cpus {os.cpu_count()}")

    small = dict(diversity_times=min(300, len(ids)))  # only below 300 ids (quick trials)
    config = ProtocolConfig(replications=args.replications, batch_size=args.batch_size, **small)
    start = time.perf_counter()
    ours = run_text_protocol(evaluator, vocab, texts, gt, pred, config)
    ours_s = time.perf_counter() - start
    print(f"ours: {ours_s:.1f} s for {args.replications} replications "
          f"({ours.counts['distinct_crops']} distinct crops embedded)")
    if args.skip_official:
        return
    official_config = ProtocolConfig(replications=args.official_replications, reuse_embeddings=False, **small)
    start = time.perf_counter()
    official = run_text_protocol(evaluator, vocab, texts, gt, pred, official_config)
    official_s = time.perf_counter() - start
    total = official_s * args.replications / args.official_replications
    for name in ("r_precision_top3", "fid", "matching_score"):  # same plan: replication 0 agrees
        a, b = ours.values["prediction"][name][0], official.values["prediction"][name][0]
        assert abs(a - b) < 1e-3 * max(1.0, abs(a)), (name, a, b)
    print(f"official structure: {official_s:.1f} s for {args.official_replications} replications, "
          f"extrapolated {total:.1f} s for {args.replications}")
    print(f"speed-up: {total / ours_s:.1f}x")


if __name__ == "__main__":
    main()
