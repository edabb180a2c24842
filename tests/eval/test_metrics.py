"""Metric identities and small cases computed by hand."""

import warnings

import numpy as np
import pytest
from scipy import linalg

from interx.eval import metrics as M


def test_distance_matrix_by_hand():
    a = np.array([[0.0, 0.0], [3.0, 4.0]])
    b = np.array([[0.0, 0.0], [6.0, 8.0], [3.0, 0.0]])
    np.testing.assert_allclose(M.euclidean_distance_matrix(a, b), [[0, 10, 3], [5, 5, 4]], atol=1e-12)
    same = np.random.default_rng(0).normal(size=(5, 3)) * 1e3
    assert (M.euclidean_distance_matrix(same, same).diagonal() >= 0).all()  # rounding never gives NaN


def test_identical_embeddings_give_r_precision_one():
    x = np.random.default_rng(0).normal(size=(70, 8))
    np.testing.assert_array_equal(M.r_precision(x, x), [1.0, 1.0, 1.0])
    assert M.matching_score(x, x) == 0.0


def test_r_precision_small_case_by_hand():
    # pool of 3 on a line: texts at 0, 1, 2; motions at 0.9, 1.0, 5.0 (the first text's motion is 2nd nearest)
    text = np.array([[0.0], [1.0], [2.0]])
    motion = np.array([[0.9], [1.0], [5.0]])
    # text 0: order 0(0.9) 1(1.0) 2 -> rank 0; text 1: 1(0) 0(0.1) -> rank 0; text 2: 1(1.0) 0(1.1) 2(3) -> rank 2
    np.testing.assert_allclose(M.r_precision(text, motion, top_k=3, pool=3), [2 / 3, 2 / 3, 1.0])


def test_partial_pool_is_dropped_and_pool_order_matters_only_within_pools():
    rng = np.random.default_rng(3)
    text, motion = rng.normal(size=(100, 6)), rng.normal(size=(100, 6))
    full = M.r_precision(text, motion)
    np.testing.assert_array_equal(full, M.r_precision(text[:96], motion[:96]))  # 4 leftover pairs never count
    # moving whole pools around, or pairs inside a pool, changes nothing
    order = np.concatenate([np.arange(64, 96), rng.permutation(32), np.arange(32, 64)])
    np.testing.assert_allclose(M.r_precision(text[order], motion[order]), full)
    with pytest.raises(ValueError, match="full pool"):
        M.r_precision(text[:20], motion[:20])


def test_fid_identities_and_a_gaussian_case():
    x = np.random.default_rng(0).normal(size=(500, 4))
    assert M.fid(x, x) == pytest.approx(0.0, abs=1e-8)
    # diagonal Gaussians: |mu1-mu2|^2 + sum (s1 + s2 - 2 sqrt(s1 s2))
    mu1, mu2 = np.array([0.0, 1.0]), np.array([3.0, 1.0])
    s1, s2 = np.diag([1.0, 4.0]), np.diag([4.0, 1.0])
    assert M.frechet_distance(mu1, s1, mu2, s2) == pytest.approx(9 + (1 + 4 - 4) + (4 + 1 - 4))
    # a shifted copy: FID is the squared shift; scaling by s multiplies FID by s^2
    assert M.fid(x, x + [1.0, 0, 0, 2.0]) == pytest.approx(5.0)
    assert M.fid(x, x + [1.0, 0, 0, 2.0], scale=6.0) == pytest.approx(36 * 5.0)


def test_fid_trace_matches_the_matrix_square_root():
    rng = np.random.default_rng(3)
    for samples in (400, 20):  # full-rank, then singular covariances (fewer samples than dimensions)
        x = rng.normal(size=(samples, 32))
        y = rng.normal(size=(samples, 32)) @ rng.normal(size=(32, 32)) * 0.3 + 0.5
        (mu1, s1), (mu2, s2) = M.activation_statistics(x), M.activation_statistics(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            root = np.real(linalg.sqrtm(s1 @ s2))
        reference = (mu1 - mu2) @ (mu1 - mu2) + np.trace(s1) + np.trace(s2) - 2 * np.trace(root)
        assert M.frechet_distance(mu1, s1, mu2, s2) == pytest.approx(reference, rel=1e-7)


def test_fid_with_singular_covariances_stays_finite():
    x = np.zeros((10, 3))
    x[:, 0] = np.arange(10)  # rank-1 covariance
    value = M.fid(x, x + 1.0)
    assert np.isfinite(value) and value == pytest.approx(3.0, abs=1e-3)


def test_diversity_and_multimodality_by_hand():
    x = np.array([[0.0, 0.0]] * 5 + [[3.0, 4.0]] * 5)
    assert M.diversity(np.zeros((10, 2)), times=10) == 0.0
    value = M.diversity(x, times=10, seed=1)
    assert value in {k * 5.0 / 10 for k in range(11)}  # each pair is 0 or 5 apart
    assert M.diversity(x, times=10, seed=1, scale=2.0) == 2 * value
    same = np.repeat(np.random.default_rng(0).normal(size=(4, 1, 3)), 12, axis=1)
    assert M.multimodality(same, times=10) == 0.0
    spread = np.zeros((2, 10, 1))
    spread[:, 5:] = 2.0
    assert M.multimodality(spread, times=10, seed=0) in {k * 2.0 / 10 for k in range(11)}
    with pytest.raises(ValueError, match="repeats"):
        M.multimodality(np.zeros((3, 5, 2)), times=10)
    with pytest.raises(ValueError, match="at least 300"):
        M.diversity(np.zeros((299, 2)))


def test_accuracy_and_top_k():
    scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    labels = np.array([1, 1, 0])
    assert M.accuracy(scores, labels) == pytest.approx(1 / 3)
    assert M.top_k_accuracy(scores, labels, k=2) == pytest.approx(2 / 3)
    assert M.top_k_accuracy(scores, labels, k=3) == 1.0
    with pytest.raises(ValueError, match="labels"):
        M.accuracy(scores, np.array([0, 1, 3]))


def test_mean_interval_by_hand():
    mean, interval = M.mean_interval([1.0, 3.0, 1.0, 3.0])
    assert mean == 2.0 and interval == pytest.approx(1.96 * 1.0 / 2.0)


def test_nan_and_shape_errors_are_clear():
    bad = np.ones((40, 3))
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        M.r_precision(bad, np.ones((40, 3)))
    with pytest.raises(ValueError, match="same shape"):
        M.matching_score(np.ones((4, 3)), np.ones((4, 2)))


def test_every_definition_is_named_and_versioned():
    for name, definition in M.DEFINITIONS.items():
        assert definition.name == name and definition.version and definition.formula
