"""Evaluation metrics in numpy, each with a name, a version and its formula.

Published numbers differ partly because papers compute the "same" metric
differently (embedding scaling, pool sizes). Every function here implements one
named, versioned definition listed in `DEFINITIONS`; reports record the names,
versions and the embedding scale so that results made under different
definitions are never compared silently. Notation: t_i, m_i are the i-th
text and motion embeddings, ||.|| the Euclidean norm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONFIDENCE_Z = 1.96


@dataclass(frozen=True)
class MetricDefinition:
    """What a reported number means."""

    name: str
    version: str
    formula: str


DEFINITIONS: dict[str, MetricDefinition] = {d.name: d for d in (
    MetricDefinition("r_precision", "1",
                     "consecutive pools of `pool` (default 32) pairs in the given order, the last partial pool "
                     "dropped; in each pool rank the pool's motions by ||t_i - m_j|| (stable order on ties); "
                     "top-k = fraction of texts whose own motion is among the k nearest"),
    MetricDefinition("matching_score", "1", "MM Dist = mean_i ||t_i - m_i|| over the pooled pairs"),
    MetricDefinition("fid", "1",
                     "||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)) of Gaussian fits (mean, covariance with "
                     "n - 1) of s * embeddings; tr (S1 S2)^(1/2) is the sum of the square roots of the eigenvalues "
                     "of S1 S2 (negative rounding taken as 0), the trace scipy.linalg.sqrtm's real part gives; "
                     "if the eigensolver fails, eps = 1e-6 is added to both diagonals"),
    MetricDefinition("diversity", "1",
                     "mean_k ||s x_a(k) - s x_b(k)|| over `times` (300) pairs, a and b two draws of distinct "
                     "indices without replacement"),
    MetricDefinition("multimodality", "1",
                     "mean over texts and `times` (10) pairs of ||s x_c,a(k) - s x_c,b(k)|| within each text's "
                     "generations, a and b two draws of distinct repeats without replacement"),
    MetricDefinition("class_multimodality", "1",
                     "mean over classes with 2 or more samples of mean_k ||s x_a(k) - s x_b(k)|| over `times` (20) "
                     "pairs of distinct samples of that class, drawn with replacement across pairs"),
    MetricDefinition("accuracy", "1", "fraction of samples whose highest-scoring class is the label"),
    MetricDefinition("top_k_accuracy", "1", "fraction of samples whose label is among the k highest scores"),
    MetricDefinition("interval", "1", "replications: mean and 1.96 * std / sqrt(n), std with ddof = 0"),
)}


def _matrix(x, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"{name} must be a (N, D) array, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return x


def _pairs(a, b, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    a, b = _matrix(a, names[0]), _matrix(b, names[1])
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")
    return a, b


def euclidean_distance_matrix(a, b) -> np.ndarray:
    """(N, D), (M, D) -> (N, M) distances, sqrt(|a|^2 + |b|^2 - 2 a.b) clipped at 0 before the root."""
    a, b = _matrix(a, "a"), _matrix(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must have the same width, got {a.shape[1]} and {b.shape[1]}")
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.maximum(squared, 0.0))


def r_precision(text_emb, motion_emb, top_k: int = 3, pool: int = 32) -> np.ndarray:
    """Top-1..top_k hit fractions over consecutive pools (definition `r_precision` v1)."""
    text, motion = _pairs(text_emb, motion_emb, ("text_emb", "motion_emb"))
    pools = len(text) // pool
    if pools == 0:
        raise ValueError(f"R-precision needs at least one full pool of {pool} pairs, got {len(text)}")
    if not 1 <= top_k <= pool:
        raise ValueError(f"top_k must be in 1..{pool}, got {top_k}")
    hits = np.zeros(top_k)
    for p in range(pools):
        rows = slice(p * pool, (p + 1) * pool)
        ranks = np.argsort(euclidean_distance_matrix(text[rows], motion[rows]), axis=1, kind="stable")
        own = np.argmax(ranks == np.arange(pool)[:, None], axis=1)  # rank of each text's own motion
        hits += [(own < k).sum() for k in range(1, top_k + 1)]
    return hits / (pools * pool)


def matching_score(text_emb, motion_emb) -> float:
    """MM Dist: mean distance between each text and its own motion (definition `matching_score` v1)."""
    text, motion = _pairs(text_emb, motion_emb, ("text_emb", "motion_emb"))
    return float(np.linalg.norm(text - motion, axis=1).mean())


def activation_statistics(x, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance (rows are samples, n - 1 normalization) of `scale * x`."""
    x = _matrix(x, "activations") * scale
    if len(x) < 2:
        raise ValueError(f"activation statistics need at least 2 samples, got {len(x)}")
    return x.mean(axis=0), np.cov(x, rowvar=False)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps: float = 1e-6) -> float:
    """Frechet distance between two Gaussians (definition `fid` v1)."""
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    sigma1, sigma2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != mu1.shape * 2:
        raise ValueError(f"mismatched Gaussians: means {mu1.shape}, {mu2.shape}; covariances {sigma1.shape}, "
                         f"{sigma2.shape}")
    for name, arr in (("mu1", mu1), ("sigma1", sigma1), ("mu2", mu2), ("sigma2", sigma2)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinity")
    diff = mu1 - mu2
    try:
        trace_covmean = _trace_sqrt_product(sigma1, sigma2)
    except np.linalg.LinAlgError:  # the usual fallback: regularize both diagonals
        offset = np.eye(len(mu1)) * eps
        trace_covmean = _trace_sqrt_product(sigma1 + offset, sigma2 + offset)
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_covmean)


def _trace_sqrt_product(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """tr (S1 S2)^(1/2) from the eigenvalues of S1^(1/2) S2 S1^(1/2), which are those of S1 S2.

    The symmetric form has real, non-negative eigenvalues (rounding aside, hence the clip), so a singular
    product is no special case, and two symmetric eigendecompositions cost a few times less than a general
    matrix square root (`scipy.linalg.sqrtm`), which gives the same trace.
    """
    values, vectors = np.linalg.eigh(sigma1)
    root1 = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    product = root1 @ sigma2 @ root1
    values = np.linalg.eigvalsh((product + product.T) / 2)
    if not np.isfinite(values).all():
        raise np.linalg.LinAlgError("non-finite eigenvalues")
    return float(np.sqrt(np.clip(values, 0.0, None)).sum())


def fid(x, y, scale: float = 1.0) -> float:
    """FID between two sets of embeddings (rows), both multiplied by `scale`."""
    return frechet_distance(*activation_statistics(x, scale), *activation_statistics(y, scale))


def diversity(x, times: int = 300, seed: int | np.random.Generator = 0, scale: float = 1.0) -> float:
    """Mean distance over `times` random pairs (definition `diversity` v1)."""
    x = _matrix(x, "embeddings") * scale
    if len(x) < times:
        raise ValueError(f"diversity over {times} pairs needs at least {times} samples, got {len(x)}")
    rng = np.random.default_rng(seed)
    first = rng.choice(len(x), times, replace=False)
    second = rng.choice(len(x), times, replace=False)
    return float(np.linalg.norm(x[first] - x[second], axis=1).mean())


def multimodality(x, times: int = 10, seed: int | np.random.Generator = 0, scale: float = 1.0) -> float:
    """Mean distance within each text's generations, x of shape (texts, repeats, dim) (`multimodality` v1)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"multimodality needs (texts, repeats, dim) embeddings, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("multimodality embeddings contain NaN or infinity")
    if x.shape[1] < times:
        raise ValueError(f"multimodality over {times} pairs needs at least {times} repeats per text, got {x.shape[1]}")
    rng = np.random.default_rng(seed)
    first = rng.choice(x.shape[1], times, replace=False)
    second = rng.choice(x.shape[1], times, replace=False)
    return float(np.linalg.norm(scale * (x[:, first] - x[:, second]), axis=2).mean())


def class_multimodality(x, labels, times: int = 20, seed: int | np.random.Generator = 0,
                        scale: float = 1.0) -> float:
    """Per-class MultiModality for label-conditioned generation (definition `class_multimodality` v1)."""
    x = _matrix(x, "embeddings") * scale
    labels = np.asarray(labels)
    if labels.shape != (len(x),):
        raise ValueError(f"labels must have shape ({len(x)},), got {labels.shape}")
    rng = np.random.default_rng(seed)
    per_class = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) < 2:
            continue
        first = rng.integers(len(rows), size=times)
        second = (first + rng.integers(1, len(rows), size=times)) % len(rows)  # a different sample
        per_class.append(np.linalg.norm(x[rows[first]] - x[rows[second]], axis=1).mean())
    if not per_class:
        raise ValueError("class MultiModality needs a class with at least 2 samples")
    return float(np.mean(per_class))


def _scores_labels(scores, labels) -> tuple[np.ndarray, np.ndarray]:
    scores = _matrix(scores, "scores")
    labels = np.asarray(labels)
    if labels.shape != (len(scores),) or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be {len(scores)} integers, got shape {labels.shape} dtype {labels.dtype}")
    if len(labels) and (labels.min() < 0 or labels.max() >= scores.shape[1]):
        raise ValueError(f"labels must be in 0..{scores.shape[1] - 1}")
    return scores, labels


def accuracy(scores, labels) -> float:
    """Recognition accuracy: (N, C) scores, (N,) labels (definition `accuracy` v1)."""
    scores, labels = _scores_labels(scores, labels)
    return float((scores.argmax(axis=1) == labels).mean())


def top_k_accuracy(scores, labels, k: int = 5) -> float:
    """Fraction of labels among the k highest scores (definition `top_k_accuracy` v1)."""
    scores, labels = _scores_labels(scores, labels)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float((top == labels[:, None]).any(axis=1).mean())


def mean_interval(values) -> tuple[float, float]:
    """Replications -> (mean, 1.96 * std / sqrt(n)) (definition `interval` v1)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if len(values) == 0:
        raise ValueError("no replications to summarize")
    return float(values.mean()), float(CONFIDENCE_Z * values.std() / np.sqrt(len(values)))
