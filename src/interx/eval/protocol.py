"""The published evaluation protocols, their replications and the reference baselines.

Text-to-interaction (Guo et al. protocol as in the official evaluation): per
replication, a ground-truth pass (shuffled ids, a random text and a random crop
each) gives R-precision, MM Dist and Diversity; a second ground-truth pass gives
the real statistics for FID; the generated motions go through the same pass;
MultiModality compares `mm_repeats` generations of `mm_texts` ids. 20
replications, reported as mean and 1.96 * std / sqrt(n).

All random choices of every replication are drawn first (a plan). Then each
distinct crop of each motion is embedded once, the crops of one motion sharing
their convolutions (`CropEncoder`), and every replication reads its embeddings
from that table: the crops take only a handful of forms per motion, so this is
exact and many times cheaper than the official structure, which embeds every
batch again in every replication. The official structure is kept
(`reuse_embeddings=False`) to check that claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from interx.data.processed import GloveVocab
from interx.errors import InterXError
from interx.eval import metrics as M
from interx.eval.action_evaluator import ActionEvaluator, action_of
from interx.eval.crop_encoder import CropEncoder
from interx.eval.evaluator import OfficialEvaluator
from interx.eval.evaluator_input import (
    UNIT_LENGTH,
    Crop,
    crop_features,
    evaluator_features,
    keeps_length,
    sample_crop,
    text_input,
)
from interx.eval.motions import AliasMotions, MotionSource

Progress = Callable[[int, int], None]
GROUND_TRUTH = "ground truth"
PREDICTION = "prediction"


@dataclass(frozen=True)
class ProtocolConfig:
    """The protocol's sizes (published defaults) and the options that change numbers."""

    replications: int = 20
    pool: int = 32
    top_k: int = 3
    diversity_times: int = 300
    mm_texts: int = 100
    mm_repeats: int = 30
    mm_times: int = 10
    class_mm_times: int = 20  # pairs per class for the label-conditioned tasks
    embedding_scale: float = 1.0  # multiplies embeddings for FID, Diversity and MultiModality
    seed: int = 0
    batch_size: int = 512  # crops per CropEncoder call
    reuse_embeddings: bool = True

    def __post_init__(self) -> None:
        for name in ("replications", "pool", "top_k", "diversity_times", "mm_texts", "mm_repeats", "mm_times",
                     "class_mm_times", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.mm_times > self.mm_repeats:
            raise ValueError(f"mm_times ({self.mm_times}) cannot exceed mm_repeats ({self.mm_repeats})")
        if not self.embedding_scale > 0:
            raise ValueError(f"embedding_scale must be positive, got {self.embedding_scale}")

    def fitted(self, test_ids: int) -> ProtocolConfig:
        """These sizes, shrunk where a test split of `test_ids` ids is too small for them (pools of at most
        the ids, diversity pairs at most the ids in whole pools, MultiModality ids at most the ids)."""
        if test_ids < 2:
            raise InterXError(f"the test split has {test_ids} sequence; the protocols need at least 2")
        pool = min(self.pool, test_ids)
        return replace(self, pool=pool, diversity_times=min(self.diversity_times, test_ids // pool * pool),
                       mm_texts=min(self.mm_texts, test_ids))


@dataclass(frozen=True)
class Draw:
    """One crop of one sample of one motion of one source."""

    source: int
    seq_id: str
    sample: int
    crop: Crop


@dataclass
class Replication:
    """The random choices of one replication."""

    gt: list[tuple[Draw, int]]  # (motion draw, text index), in pool order
    fid: list[Draw]
    pred: list[tuple[Draw, int]] = field(default_factory=list)
    mm: list[list[Draw]] = field(default_factory=list)  # per chosen id, its mm_repeats draws


@dataclass
class ProtocolResult:
    """Per-row, per-metric values of every replication, with the counts and notes behind them."""

    task: str
    config: ProtocolConfig
    values: dict[str, dict[str, list[float]]]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, tuple[float, float]]]:
        return {row: {name: M.mean_interval(v) for name, v in metrics.items()} for row, metrics in self.values.items()}


# ------------------------------------------------------------------ embedding
class CropEmbedder:
    """Embeds motion draws, reading each motion only when a batch needs it."""

    def __init__(self, evaluator: OfficialEvaluator, sources: Sequence[MotionSource], batch_size: int = 512,
                 progress: Progress | None = None):
        self.evaluator = evaluator
        self.encoder = CropEncoder(evaluator)
        self.sources = sources
        self.batch_size = batch_size
        self.progress = progress

    def embed_unique(self, draws: Sequence[Draw]) -> dict[Draw, np.ndarray]:
        """Embed each distinct draw once: motions with similar crop lengths together, about `batch_size`
        crops at a time, each motion's crops sharing its convolutions (`CropEncoder`)."""
        crops_of: dict[tuple[int, str, int], list[Crop]] = defaultdict(list)
        for d in sorted(set(draws), key=lambda d: d.crop):
            crops_of[(d.source, d.seq_id, d.sample)].append(d.crop)
        keys = sorted(crops_of, key=lambda k: (-max(c.length for c in crops_of[k]), k))
        table: dict[Draw, np.ndarray] = {}
        total, done, start = sum(map(len, crops_of.values())), 0, 0
        while start < len(keys):
            stop, count = start, 0
            while stop < len(keys) and (count == 0 or count + len(crops_of[keys[stop]]) <= self.batch_size):
                count += len(crops_of[keys[stop]])
                stop += 1
            chunk = keys[start:stop]
            motions = [self._crop_span(key, crops_of[key]) for key in chunk]
            for key, rows in zip(chunk, self.encoder.encode(motions, [crops_of[k] for k in chunk])):
                for crop, row in zip(crops_of[key], rows):
                    table[Draw(*key, crop)] = row
            done, start = done + count, stop
            if self.progress:
                self.progress(done, total)
        return table

    def _crop_span(self, key: tuple[int, str, int], crops: Sequence[Crop]) -> np.ndarray:
        """The evaluator features of the frames the crops cover (from the first frame)."""
        source, seq_id, sample = key
        end = max(c.offset + c.length for c in crops)
        return evaluator_features(self.sources[source].read(seq_id, sample)[:end],
                                  f"{self.sources[source].name} [{seq_id}]")

    def embed_padded(self, draws: Sequence[Draw]) -> np.ndarray:
        """The official structure: one batch as given, every crop made from its motion, padded to 150 and
        embedded by the evaluator's modules."""
        motions = np.stack([crop_features(evaluator_features(self.sources[d.source].read(d.seq_id, d.sample),
                                                             f"{self.sources[d.source].name} [{d.seq_id}]"), d.crop)
                            for d in draws])
        return self.evaluator.embed_motion(motions, [d.crop.length for d in draws])


# ------------------------------------------------------------------ the plan
def _check_lengths(source: MotionSource, ids: Sequence[str], what: str) -> None:
    short = [(i, s) for i in ids for s in range(source.num_samples(i)) if source.num_frames(i, s) < 2 * UNIT_LENGTH]
    if short:
        listed = ", ".join(f"{i}[{s}]" for i, s in short[:5])
        raise InterXError(f"{source.name}: {len(short)} {what} samples have fewer than {2 * UNIT_LENGTH} frames "
                          f"(too short to crop): {listed}")


def evaluated_ids(gt: MotionSource, texts: Mapping[str, Sequence] | None = None) -> list[str]:
    """Ground-truth ids the official evaluation keeps (24 <= T < 1000; with texts when texts are needed)."""
    ids = [i for i in gt.ids() if keeps_length(gt.num_frames(i, 0))]
    if texts is not None:
        missing = [i for i in ids if not texts.get(i)]
        if missing:
            raise InterXError(f"no texts for {len(missing)} evaluated ids: {', '.join(missing[:5])}")
    return ids


def check_prediction_ids(pred: MotionSource, ids: Sequence[str]) -> None:
    """Every evaluated id needs at least one generated sample."""
    missing = [i for i in ids if pred.num_samples(i) < 1]
    if missing:
        raise InterXError(f"{pred.name}: no generated motion for {len(missing)} of {len(ids)} evaluated ids, e.g. "
                          f"{', '.join(missing[:5])}")
    _check_lengths(pred, ids, "generated")


def plan_replications(ids: Sequence[str], gt: MotionSource, num_texts: Mapping[str, int] | None,
                      pred: MotionSource | None, config: ProtocolConfig) -> tuple[list[Replication], list[str]]:
    """Draw every random choice of every replication (sources: 0 = ground truth, 1 = prediction)."""
    notes: list[str] = []
    mm_ids: list[str] = []
    if pred is not None:
        mm_ids = [i for i in ids if pred.num_samples(i) >= config.mm_repeats]
        if not mm_ids:
            notes.append(f"MultiModality skipped: no id has {config.mm_repeats} generated samples")
        elif len(mm_ids) < config.mm_texts:
            notes.append(f"MultiModality over {len(mm_ids)} ids (fewer than {config.mm_texts} have "
                         f"{config.mm_repeats} samples)")
    gt_frames = {i: gt.num_frames(i, 0) for i in ids}
    plans = []
    for rep in range(config.replications):
        rng = np.random.default_rng([config.seed, rep])

        def text_of(seq_id: str) -> int:
            return int(rng.integers(num_texts[seq_id])) if num_texts is not None else 0

        order = rng.permutation(len(ids))
        gt_pass = [(Draw(0, ids[k], 0, sample_crop(gt_frames[ids[k]], rng)), text_of(ids[k])) for k in order]
        fid_pass = [Draw(0, i, 0, sample_crop(gt_frames[i], rng)) for i in ids]
        plan = Replication(gt_pass, fid_pass)
        if pred is not None:
            for k in rng.permutation(len(ids)):
                seq_id = ids[k]
                sample = int(rng.integers(pred.num_samples(seq_id)))
                crop = sample_crop(pred.num_frames(seq_id, sample), rng)
                plan.pred.append((Draw(1, seq_id, sample, crop), text_of(seq_id)))
            if mm_ids:
                chosen = rng.choice(len(mm_ids), min(config.mm_texts, len(mm_ids)), replace=False)
                for k in chosen:
                    seq_id = mm_ids[k]
                    samples = rng.choice(pred.num_samples(seq_id), config.mm_repeats, replace=False)
                    plan.mm.append([Draw(1, seq_id, int(s), sample_crop(pred.num_frames(seq_id, int(s)), rng))
                                    for s in samples])
        plans.append(plan)
    return plans, notes


# ------------------------------------------------------------ text protocol
def run_text_protocol(evaluator: OfficialEvaluator, vocab: GloveVocab, texts: Mapping[str, Sequence[Sequence[str]]],
                      gt: MotionSource, pred: MotionSource | None, config: ProtocolConfig = ProtocolConfig(),
                      progress: Progress | None = None) -> ProtocolResult:
    """Text-to-interaction: the ground-truth row and, with `pred`, the prediction's row."""
    ids = evaluated_ids(gt, texts)
    if len(ids) < config.pool:
        raise InterXError(f"{gt.name}: {len(ids)} evaluated ids, fewer than one pool of {config.pool}")
    if len(ids) < config.diversity_times:
        raise InterXError(f"{gt.name}: {len(ids)} evaluated ids, fewer than the {config.diversity_times} "
                          "diversity pairs")
    if pred is not None:
        check_prediction_ids(pred, ids)
    plans, notes = plan_replications(ids, gt, {i: len(texts[i]) for i in ids}, pred, config)
    embedder = CropEmbedder(evaluator, [gt] + ([pred] if pred is not None else []), config.batch_size, progress)

    pooled = len(ids) // config.pool * config.pool  # the last partial pool is never scored
    everything = [d for p in plans for d in ([d for d, _ in p.gt[:pooled]] + p.fid + [d for d, _ in p.pred[:pooled]]
                                              + [d for group in p.mm for d in group])]
    text_keys = [(i, j) for i in ids for j in range(len(texts[i]))]
    if config.reuse_embeddings:
        text_table = dict(zip(text_keys, evaluator.embed_tokens([texts[i][j] for i, j in text_keys], vocab)))
        motion_table = embedder.embed_unique(everything)

        def embed_pass(pairs):
            return (np.stack([text_table[(d.seq_id, j)] for d, j in pairs]),
                    np.stack([motion_table[d] for d, _ in pairs]))

        def embed_motions(draws):
            return np.stack([motion_table[d] for d in draws])

        embed_fid_pass = embed_motions
    else:
        def embed_pass(pairs):
            text_rows, motion_rows = [], []
            for start in range(0, len(pairs), config.pool):
                batch = pairs[start:start + config.pool]
                parts = [text_input(texts[d.seq_id][j], vocab) for d, j in batch]
                text_rows.append(evaluator.embed_text(np.stack([p[0] for p in parts]), np.stack([p[1] for p in parts]),
                                                      [p[2] for p in parts]))
                motion_rows.append(embedder.embed_padded([d for d, _ in batch]))
            return np.concatenate(text_rows), np.concatenate(motion_rows)

        def embed_motions(draws):
            return np.concatenate([embedder.embed_padded(draws[s:s + config.pool])
                                   for s in range(0, len(draws), config.pool)])

        def embed_fid_pass(draws):  # the official FID pass embeds each batch's texts too, then drops them
            return embed_pass([(d, 0) for d in draws])[1]

    scale = config.embedding_scale
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for rep, plan in enumerate(plans):
        rng = np.random.default_rng([config.seed, rep, 1])
        fid_stats = M.activation_statistics(embed_fid_pass(plan.fid), scale)
        rows = [(GROUND_TRUTH, plan.gt)] + ([(PREDICTION, plan.pred)] if pred is not None else [])
        for row, pairs in rows:
            text_emb, motion_emb = embed_pass(pairs[:pooled])
            top = M.r_precision(text_emb, motion_emb, config.top_k, config.pool)
            for k in range(config.top_k):
                values[row][f"r_precision_top{k + 1}"].append(float(top[k]))
            values[row]["matching_score"].append(M.matching_score(text_emb, motion_emb))
            values[row]["fid"].append(M.frechet_distance(*M.activation_statistics(motion_emb, scale), *fid_stats))
            values[row]["diversity"].append(M.diversity(motion_emb, config.diversity_times, rng, scale))
        if plan.mm:
            groups = np.stack([embed_motions(group) for group in plan.mm])
            values[PREDICTION]["multimodality"].append(M.multimodality(groups, config.mm_times, rng, scale))
    counts = {"evaluated_ids": len(ids), "pooled_ids": pooled, "replications": config.replications,
              "motion_crops_scored": len(everything), "distinct_crops": len(set(everything)),
              "mm_ids": len(plans[0].mm) if plans else 0}
    return ProtocolResult("t2m", config, {r: dict(v) for r, v in values.items()}, counts, notes)


# ---------------------------------------------------------- action protocols
ACTION_TASKS = ("a2m", "reaction", "style")


def _action_embed(evaluator: ActionEvaluator, source: MotionSource, keys: Sequence[tuple[str, int]],
                  progress: Progress | None, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
    feats, scores = [], []
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        f, s = evaluator.embed([source.read(i, k) for i, k in part], [f"{source.name} [{i}]" for i, _ in part])
        feats.append(f)
        scores.append(s)
        if progress:
            progress(min(start + chunk, len(keys)), len(keys))
    return np.concatenate(feats), np.concatenate(scores)


def run_action_protocol(task: str, evaluator: ActionEvaluator, gt: MotionSource, pred: MotionSource | None,
                        train: MotionSource | None = None, config: ProtocolConfig = ProtocolConfig(),
                        progress: Progress | None = None) -> ProtocolResult:
    """Action-conditioned tasks: FID of the recognizer's features, accuracy, Diversity, per-class MultiModality.

    Every motion is embedded once (no crops); replications redraw which sample of each id is scored and the
    random pairs. The ground-truth row's FID compares the test split with the training split (when given).
    """
    if task not in ACTION_TASKS:
        raise ValueError(f"task must be one of {', '.join(ACTION_TASKS)}, got {task!r}")
    ids = [i for i in gt.ids() if gt.num_frames(i, 0) >= 2]
    if len(ids) < config.diversity_times:
        raise InterXError(f"{gt.name}: {len(ids)} evaluated ids, fewer than the {config.diversity_times} "
                          "diversity pairs")
    labels = np.array([action_of(i) for i in ids])
    gt_feats, gt_scores = _action_embed(evaluator, gt, [(i, 0) for i in ids], progress)
    notes = []
    train_feats = None
    if train is not None and len(train.ids()) >= 2:
        train_feats = _action_embed(evaluator, train, [(i, 0) for i in train.ids()], progress)[0]
    else:
        notes.append("ground-truth FID skipped: no training split to compare the test split with")
    pred_keys: list[tuple[str, int]] = []
    if pred is not None:
        check_prediction_ids(pred, ids)
        pred_keys = [(i, k) for i in ids for k in range(pred.num_samples(i))]
        pred_feats, pred_scores = _action_embed(evaluator, pred, pred_keys, progress)
        row_of = {key: n for n, key in enumerate(pred_keys)}
        pred_labels = np.array([action_of(i) for i, _ in pred_keys])
    scale = config.embedding_scale
    gt_stats = M.activation_statistics(gt_feats, scale)
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for rep in range(config.replications):
        rng = np.random.default_rng([config.seed, rep])
        row = values[GROUND_TRUTH]
        if train_feats is not None:
            row["fid"].append(M.frechet_distance(*M.activation_statistics(train_feats, scale), *gt_stats))
        row["accuracy"].append(M.accuracy(gt_scores, labels))
        row["diversity"].append(M.diversity(gt_feats, config.diversity_times, rng, scale))
        row["class_multimodality"].append(M.class_multimodality(gt_feats, labels, config.class_mm_times, rng, scale))
        if pred is not None:
            chosen = np.array([row_of[(i, int(rng.integers(pred.num_samples(i))))] for i in ids])
            row = values[PREDICTION]
            row["fid"].append(M.frechet_distance(*M.activation_statistics(pred_feats[chosen], scale), *gt_stats))
            row["accuracy"].append(M.accuracy(pred_scores[chosen], labels))
            row["diversity"].append(M.diversity(pred_feats[chosen], config.diversity_times, rng, scale))
            row["class_multimodality"].append(M.class_multimodality(pred_feats, pred_labels, config.class_mm_times,
                                                                    rng, scale))
    counts = {"evaluated_ids": len(ids), "replications": config.replications, "generated_samples": len(pred_keys)}
    return ProtocolResult(task, config, {r: dict(v) for r, v in values.items()}, counts, notes)


# ----------------------------------------------------------------- baselines
def random_baseline(test_ids: Sequence[str], train_ids: Sequence[str], train: MotionSource, samples: int,
                    seed: int = 0) -> AliasMotions:
    """Random training motions in place of generations (the text is ignored)."""
    if not train_ids:
        raise InterXError("the random baseline needs training motions; the train split is empty")
    rng = np.random.default_rng(seed)
    aliases = {i: _draw(train_ids, samples, rng) for i in test_ids}
    return AliasMotions(train, aliases, "random baseline (training motions)")


def _draw(pool: Sequence[str], samples: int, rng: np.random.Generator) -> list[str]:
    """`samples` ids of `pool` at random, repeating only when the pool is smaller."""
    return [pool[k] for k in rng.choice(len(pool), samples, replace=len(pool) < samples)]


def same_action_baseline(test_ids: Sequence[str], train_ids: Sequence[str], train: MotionSource, samples: int,
                         seed: int = 0) -> AliasMotions:
    """Random training motions of each test id's action (its `Aaaa` field): a generator that gets the action
    right and draws the rest from the training data, which bounds what knowing the category alone is worth."""
    by_action: dict[int, list[str]] = defaultdict(list)
    for seq_id in train_ids:
        by_action[action_of(seq_id)].append(seq_id)
    missing = sorted({action_of(i) for i in test_ids} - set(by_action))
    if missing:
        raise InterXError(f"{train.name}: the same-action baseline needs training motions of every test action, "
                          f"and this train split has none of action(s) {', '.join(f'A{a:03d}' for a in missing)}; "
                          f"use --baseline random, or a release whose train split holds every test action")
    rng = np.random.default_rng(seed)
    aliases = {i: _draw(by_action[action_of(i)], samples, rng) for i in test_ids}
    return AliasMotions(train, aliases, "same-action baseline (training motions of the test id's action)")


def bag_of_words(tokens: Sequence[str], vocab: GloveVocab) -> np.ndarray:
    """Mean word vector of a text's known words (zeros when none is known), unit length."""
    rows = [vocab.index[t.rpartition("/")[0]] for t in tokens if t.rpartition("/")[0] in vocab.index]
    vector = vocab.vectors[rows].mean(axis=0) if rows else np.zeros(vocab.vectors.shape[1])
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


def retrieval_baseline(test_texts: Mapping[str, Sequence[Sequence[str]]],
                       train_texts: Mapping[str, Sequence[Sequence[str]]], train: MotionSource, vocab: GloveVocab,
                       samples: int) -> AliasMotions:
    """The motions of the nearest training texts (cosine of mean word vectors; independent of the evaluator).

    Sample k of a test id is the motion of its k-th nearest training text (one per training id).
    """
    train_ids = [i for i, lines in train_texts.items() if lines]
    if not train_ids:
        raise InterXError("the retrieval baseline needs training texts; none were found")
    bank = np.stack([np.mean([bag_of_words(t, vocab) for t in train_texts[i]], axis=0) for i in train_ids])
    aliases = {}
    for seq_id, lines in test_texts.items():
        query = bag_of_words(lines[0], vocab)
        nearest = np.argsort(-(bank @ query), kind="stable")[:samples]
        aliases[seq_id] = [train_ids[k] for k in nearest]
    return AliasMotions(train, aliases, "retrieval baseline (nearest training text)")
