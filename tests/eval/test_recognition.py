"""Perception scores on cases worked out by hand, and the trivial baselines."""

import numpy as np
import pytest

from interx.eval.recognition import (
    majority_baseline,
    nearest_neighbour_baseline,
    r_squared,
    task_scores,
    top_k_accuracy,
)


def test_top_k_accuracy_counts_labels_among_the_k_highest_scores():
    scores = np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1], [0.2, 0.3, 0.5]])
    labels = np.array([2, 0, 0])
    assert top_k_accuracy(scores, labels, 1) == pytest.approx(1 / 3)
    assert top_k_accuracy(scores, labels, 2) == pytest.approx(2 / 3)
    assert top_k_accuracy(scores, labels, 3) == 1.0


def test_r_squared_is_one_for_the_truth_zero_for_the_mean_and_negative_when_worse():
    truth = np.array([[1.0, 2.0], [3.0, 2.5], [5.0, 4.5]])
    np.testing.assert_allclose(r_squared(truth, truth), [1.0, 1.0])
    np.testing.assert_allclose(r_squared(np.broadcast_to(truth.mean(0), truth.shape), truth), [0.0, 0.0], atol=1e-12)
    # column 0: residuals 1, 1, 1 -> 3; total (1-3)^2 + 0 + (5-3)^2 = 8 -> 1 - 3/8
    shifted = truth + [1.0, 0.0]
    assert r_squared(shifted, truth)[0] == pytest.approx(1 - 3 / 8)
    assert r_squared(truth[::-1], truth)[0] < 0


def test_personality_scores_one_r_squared_per_trait():
    rng = np.random.default_rng(0)
    truth = rng.normal(30, 5, (20, 2, 5))
    scores = task_scores("personality", truth, truth)
    assert set(scores) == {"r2_openness", "r2_conscientiousness", "r2_extraversion", "r2_agreeableness",
                           "r2_neuroticism", "r2_mean"}
    assert scores["r2_mean"] == pytest.approx(1.0)


def test_baselines_give_the_majority_class_and_the_nearest_clips_label():
    labels = np.array([3, 3, 1, 0])
    majority = majority_baseline("action", labels, 2, 5)
    assert majority.argmax(1).tolist() == [3, 3]
    assert task_scores("action", majority, np.array([3, 1]))["top1"] == 0.5
    rng = np.random.default_rng(1)
    train = rng.normal(size=(4, 2, 8, 6))
    test = train[[2, 0]] + rng.normal(0, 1e-3, (2, 2, 8, 6))
    near = nearest_neighbour_baseline("action", train, labels, test, 5)
    assert near.argmax(1).tolist() == [1, 3]
    traits = rng.normal(size=(4, 2, 5))
    np.testing.assert_allclose(nearest_neighbour_baseline("personality", train, traits, test, 0), traits[[2, 0]])
