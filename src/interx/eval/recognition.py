"""Scores of the perception tasks and their trivial baselines.

Action: top-1 and top-5 accuracy; order and familiarity: accuracy;
personality: R^2 per Big-Five trait (1 - residual / total sum of squares over
the test persons, so predicting the test mean scores 0 and worse than that
is negative). Baselines: the majority class of the training split (for
personality the training mean of each trait), and the nearest training clip
on pooled joints (each person's view averaged and spread over time,
standardized with the training statistics; the neighbour's label).
"""

from __future__ import annotations

import numpy as np

from interx.models.recognizer import TRAITS


def top_k_accuracy(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Share of rows whose label is among the k highest scores."""
    top = np.argsort(-scores, axis=1)[:, :k]
    return float(np.mean(np.any(top == labels[:, None], axis=1)))


def r_squared(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """R^2 per column of [N, C] arrays."""
    residual = np.sum((truth - predicted) ** 2, axis=0)
    total = np.sum((truth - truth.mean(axis=0)) ** 2, axis=0)
    return 1.0 - residual / np.maximum(total, 1e-12)


def task_scores(task: str, outputs: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """The task's metrics from model outputs (class scores, per-person order scores, or [N, 2, 5] traits)."""
    if task == "action":
        return {"top1": top_k_accuracy(outputs, labels, 1), "top5": top_k_accuracy(outputs, labels, 5)}
    if task in ("order", "familiarity"):
        return {"accuracy": top_k_accuracy(outputs, labels, 1)}
    if task == "personality":
        values = r_squared(outputs.reshape(-1, len(TRAITS)), labels.reshape(-1, len(TRAITS)))
        return {**{f"r2_{t}": float(v) for t, v in zip(TRAITS, values)}, "r2_mean": float(values.mean())}
    raise ValueError(f"unknown task {task!r}")


def as_outputs(task: str, predicted: np.ndarray, classes: int) -> np.ndarray:
    """Labels predicted by a baseline, as the outputs `task_scores` reads (one-hot scores for class tasks)."""
    if task == "personality":
        return predicted.astype(np.float32)
    return np.eye(classes, dtype=np.float32)[predicted]


def majority_baseline(task: str, train_labels: np.ndarray, count: int, classes: int) -> np.ndarray:
    """Outputs that always give the training split's most common label (for personality: the trait means)."""
    if task == "personality":
        return np.broadcast_to(train_labels.reshape(-1, len(TRAITS)).mean(axis=0), (count, 2, len(TRAITS))).copy()
    counts = np.bincount(train_labels, minlength=classes)
    scores = np.broadcast_to(counts.astype(np.float32), (count, classes)).copy()
    return scores  # ranked by frequency: top-5 is the five most common classes


def pooled_joints(views: np.ndarray) -> np.ndarray:
    """[N, 2, frames, size] views -> [N, 4 * size]: each person's mean and spread over time."""
    return np.concatenate([views.mean(axis=2), views.std(axis=2)], axis=-1).reshape(len(views), -1)


def nearest_neighbour_baseline(task: str, train_views: np.ndarray, train_labels: np.ndarray, test_views: np.ndarray,
                               classes: int) -> np.ndarray:
    """Outputs that give the label of the nearest training clip on standardized pooled joints."""
    train, test = pooled_joints(train_views), pooled_joints(test_views)
    mean, std = train.mean(axis=0), train.std(axis=0) + 1e-6
    train, test = (train - mean) / std, (test - mean) / std
    nearest = np.empty(len(test), dtype=np.int64)
    for start in range(0, len(test), 256):
        part = test[start:start + 256]
        distances = (part ** 2).sum(1)[:, None] - 2 * part @ train.T + (train ** 2).sum(1)[None]
        nearest[start:start + 256] = distances.argmin(axis=1)
    return as_outputs(task, train_labels[nearest], classes)
