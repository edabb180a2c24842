"""The text protocol: embedding reuse gives the official structure's numbers; identities; bad predictions."""

import numpy as np
import pytest

from interx.data.processed import ProcessedRelease
from interx.errors import InterXError
from interx.eval.evaluator import OfficialEvaluator
from interx.eval.motions import ArrayMotions, SplitMotions
from interx.eval.protocol import (
    GROUND_TRUTH,
    PREDICTION,
    ProtocolConfig,
    random_baseline,
    retrieval_baseline,
    run_text_protocol,
    same_action_baseline,
)

SMALL = dict(replications=3, pool=8, diversity_times=10, mm_texts=4, mm_repeats=5, mm_times=3)


@pytest.fixture(scope="module")
def release(make_release, tmp_path_factory):
    root = make_release(tmp_path_factory.mktemp("eval") / "processed", {"train": 24, "test": 36}, seed=1)
    with ProcessedRelease(root) as rel:
        yield rel


@pytest.fixture(scope="module")
def parts(official_evaluator_dir, release):
    evaluator = OfficialEvaluator.load(official_evaluator_dir / "finest.tar")
    texts = {i: [t.tokens for t in release.texts(i)] for i in release.ids("test")}
    return evaluator, release.glove(), texts, SplitMotions(release.motions("test"))


def noisy_copies(gt, count, scale=0.05, seed=0):
    rng = np.random.default_rng(seed)
    return ArrayMotions({i: [gt.read(i, 0) + rng.normal(0, scale, (gt.num_frames(i, 0), 56, 6)).astype(np.float32)
                             for _ in range(count)] for i in gt.ids()})


def test_reusing_embeddings_gives_the_official_structures_numbers(parts):
    evaluator, vocab, texts, gt = parts
    pred = noisy_copies(gt, 5)
    fast = run_text_protocol(evaluator, vocab, texts, gt, pred, ProtocolConfig(**SMALL))
    slow = run_text_protocol(evaluator, vocab, texts, gt, pred, ProtocolConfig(**SMALL, reuse_embeddings=False))
    assert fast.values.keys() == slow.values.keys() == {GROUND_TRUTH, PREDICTION}
    for row in fast.values:
        assert fast.values[row].keys() == slow.values[row].keys()
        for name in fast.values[row]:
            np.testing.assert_allclose(fast.values[row][name], slow.values[row][name], atol=1e-4, err_msg=name)
    assert len(fast.values[PREDICTION]["multimodality"]) == 3
    assert fast.counts["pooled_ids"] == 32  # 36 ids, pools of 8: the last 4 are dropped


def test_ground_truth_as_prediction_scores_like_ground_truth(parts):
    evaluator, vocab, texts, gt = parts
    result = run_text_protocol(evaluator, vocab, texts, gt, gt, ProtocolConfig(**SMALL))
    # same motions, different random crops and texts: FID stays at the level of the ground truth's own
    assert np.mean(result.values[PREDICTION]["fid"]) < 5 * np.mean(result.values[GROUND_TRUTH]["fid"]) + 1e-3
    assert "multimodality" not in result.values[PREDICTION]
    assert any("MultiModality skipped" in note for note in result.notes)


def test_seed_makes_runs_repeatable(parts):
    evaluator, vocab, texts, gt = parts
    a = run_text_protocol(evaluator, vocab, texts, gt, None, ProtocolConfig(**SMALL, seed=4))
    b = run_text_protocol(evaluator, vocab, texts, gt, None, ProtocolConfig(**SMALL, seed=4))
    assert a.values == b.values


def test_missing_and_bad_predictions_are_reported(parts):
    evaluator, vocab, texts, gt = parts
    ids = gt.ids()
    partial = ArrayMotions({i: [gt.read(i, 0)] for i in ids[1:]}, name="gen.h5")
    with pytest.raises(InterXError, match=f"gen.h5: no generated motion for 1 of 36 evaluated ids, e.g. {ids[0]}"):
        run_text_protocol(evaluator, vocab, texts, gt, partial, ProtocolConfig(**SMALL))
    short = ArrayMotions({i: [gt.read(i, 0)[:5]] for i in ids}, name="gen.h5")
    with pytest.raises(InterXError, match="too short"):
        run_text_protocol(evaluator, vocab, texts, gt, short, ProtocolConfig(**SMALL))
    with pytest.raises(InterXError, match="fewer than the 300 diversity pairs"):
        run_text_protocol(evaluator, vocab, texts, gt, None, ProtocolConfig(replications=1, pool=8))


def test_baselines_use_training_motions(release, parts):
    evaluator, vocab, texts, gt = parts
    train = SplitMotions(release.motions("train"))
    train_texts = {i: [t.tokens for t in release.texts(i)] for i in release.ids("train")}
    rand = random_baseline(gt.ids(), train.ids(), train, samples=5)
    near = retrieval_baseline(texts, train_texts, train, vocab, samples=5)
    for baseline in (rand, near):
        assert set(baseline.ids()) == set(gt.ids())
        assert all(baseline.origin(i, 0)[0] in train_texts for i in gt.ids())
    # the synthetic texts name the action: the nearest training text has the same action (id field A)
    assert all(near.origin(i, 0)[0][8:12] == i[8:12] for i in gt.ids())
    result = run_text_protocol(evaluator, vocab, texts, gt, near, ProtocolConfig(**SMALL))
    assert len(result.values[PREDICTION]["multimodality"]) == 3


def test_same_action_baseline_draws_training_motions_of_each_test_action(release, parts):
    gt = parts[3]
    train = SplitMotions(release.motions("train"))
    train_ids = train.ids()
    train_actions = {t[8:12] for t in train_ids}
    test_ids = [i for i in gt.ids() if i[8:12] in train_actions]
    assert test_ids, "the fixture release must share actions between its splits"
    same = same_action_baseline(test_ids, train_ids, train, samples=4, seed=3)
    assert same.ids() == sorted(test_ids)
    for seq_id in test_ids:
        origins = [same.origin(seq_id, k)[0] for k in range(4)]
        assert all(o in train_ids and o[8:12] == seq_id[8:12] for o in origins)
    assert same.aliases == same_action_baseline(test_ids, train_ids, train, samples=4, seed=3).aliases
    absent = next(a for a in range(40) if f"A{a:03d}" not in train_actions)
    with pytest.raises(InterXError, match=f"has none of action\\(s\\) A{absent:03d}"):
        same_action_baseline([f"G001T000A{absent:03d}R000"], train_ids, train, samples=1)


def test_protocol_sizes_shrink_only_where_the_test_split_is_too_small():
    published = ProtocolConfig()
    assert published.fitted(1708) == published
    small = published.fitted(40)  # one pool of 32 scored: at most 32 diversity pairs
    assert (small.pool, small.diversity_times, small.mm_texts, small.replications) == (32, 32, 40, 20)
    assert published.fitted(20).pool == 20
    with pytest.raises(InterXError, match="at least 2"):
        published.fitted(1)
