"""Speed of the text-to-interaction protocol: embedding reuse against the official structure.

Usage:
  python benchmarks/evaluate.py [--ids 1708] [--replications 20] [--official-replications 1]
                                [--evaluator CKPT] [--batch-size 256]

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

With `--estimate` (for the full-size evaluator, whose complete runs take
hours on a shared 2-core machine) nothing is run in full: the plan of all
replications is drawn, the forward passes each structure needs are counted
exactly (ours: distinct crops and texts; official: every crop and text of
every batch of every replication), a random sample of `--sample` crops is
timed in each structure's batching (ours: equal-length trimmed batches of
`--batch-size`; official: batches of 32 padded to 150) and the totals are
estimated as count x measured seconds per crop (texts likewise).

Both runs follow the same drawn plan (same crops, texts and pairs, so the same
numbers). Ours embeds each distinct crop once; the official structure embeds
every batch of 32 again in every replication. The official structure's cost
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
from interx.eval.protocol import CropEmbedder, ProtocolConfig, evaluated_ids, plan_replications, run_text_protocol
from interx.prepare.evaluator_input import POS_TAGS


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
    parser.add_argument("--ids", type=int, default=1708)
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--official-replications", type=int, default=1)
    parser.add_argument("--evaluator", default=None)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--skip-official", action="store_true")
    parser.add_argument("--estimate", action="store_true")
    parser.add_argument("--sample", type=int, default=512)
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

    if args.estimate:
        estimate(evaluator, vocab, texts, gt, pred, args)
        return
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


def estimate(evaluator, vocab, texts, gt, pred, args) -> None:
    """Exact pass counts of both structures times sampled seconds per pass (see the module docstring)."""
    config = ProtocolConfig(replications=args.replications, batch_size=args.batch_size)
    ids = evaluated_ids(gt, texts)
    plans, _ = plan_replications(ids, gt, {i: len(texts[i]) for i in ids}, pred, config)
    pooled = len(ids) // config.pool * config.pool
    draws = [d for p in plans for d in [d for d, _ in p.gt[:pooled]] + p.fid + [d for d, _ in p.pred[:pooled]]
             + [d for g in p.mm for d in g]]
    distinct = sorted(set(draws), key=lambda d: (d.source, d.seq_id, d.sample, d.crop))
    official_texts = 2 * pooled * len(plans)
    ours_texts = sum(len(texts[i]) for i in ids)
    rng = np.random.default_rng(0)
    sample = [distinct[k] for k in rng.choice(len(distinct), min(args.sample, len(distinct)), replace=False)]
    embedder = CropEmbedder(evaluator, [gt, pred], args.batch_size)
    start = time.perf_counter()
    embedder.embed_unique(sample)
    ours_crop = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    for k in range(0, len(sample), config.pool):
        embedder.embed_padded(sample[k:k + config.pool])
    official_crop = (time.perf_counter() - start) / len(sample)
    token_lists = [texts[i][0] for i in ids[:args.sample]]
    start = time.perf_counter()
    evaluator.embed_tokens(token_lists, vocab)
    text_cost = (time.perf_counter() - start) / len(token_lists)
    ours = len(distinct) * ours_crop + ours_texts * text_cost
    official = len(draws) * official_crop + official_texts * text_cost
    print(f"passes: ours {len(distinct)} crops + {ours_texts} texts; official {len(draws)} crops + "
          f"{official_texts} texts")
    print(f"seconds per crop: ours {ours_crop * 1e3:.2f} ms, official batching {official_crop * 1e3:.2f} ms; "
          f"per text {text_cost * 1e3:.2f} ms")
    print(f"estimated: ours {ours:.0f} s, official structure {official:.0f} s, speed-up {official / ours:.1f}x")


if __name__ == "__main__":
    main()
