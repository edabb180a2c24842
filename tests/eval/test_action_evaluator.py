"""The action evaluator: joints of both persons, order invariance, training, checkpoint loading."""

import numpy as np
import pytest

from interx.data.processed import ProcessedRelease
from interx.errors import FormatError
from interx.eval.action_evaluator import (
    ActionEvaluator,
    ActionTrainingConfig,
    body_joints,
    clip_input,
    swap_persons,
    train_action_evaluator,
)
from interx.eval.motions import SplitMotions
from interx.eval.protocol import GROUND_TRUTH, PREDICTION, ProtocolConfig, random_baseline, run_action_protocol


@pytest.fixture(scope="module")
def trained(make_release, tmp_path_factory):
    root = make_release(tmp_path_factory.mktemp("action") / "processed", {"train": 48, "val": 16, "test": 24},
                        actions=4, vocab_dim=6, frames=(30, 90))
    path = train_action_evaluator(root, root / "evaluators" / "action",
                                  ActionTrainingConfig(hidden=16, feature=16, epochs=30, batch_size=16))
    return root, ActionEvaluator.load(path)


def test_joints_and_clips_cover_both_persons(make_motion):
    motion = make_motion(np.random.default_rng(0), 1, 50)
    joints = body_joints(motion)
    assert joints.shape == (50, 2, 22, 3)
    clip = clip_input(joints)
    assert clip.shape == (64, 264)
    np.testing.assert_allclose(clip[0, :66], joints[0, 0].ravel(), atol=1e-6)
    np.testing.assert_allclose(clip[-1, 66:132], joints[-1, 1].ravel(), atol=1e-6)
    np.testing.assert_array_equal(swap_persons(swap_persons(clip)), clip)
    bad = motion.copy()
    bad[3, 4, 1] = np.inf
    with pytest.raises(FormatError, match="finite"):
        body_joints(bad, "gen.h5 [G001T000A001R000]")


def test_person_order_does_not_matter(make_motion, trained):
    _, evaluator = trained
    motion = make_motion(np.random.default_rng(1), 2, 60)
    swapped = np.concatenate([motion[..., 3:6], motion[..., 0:3]], axis=-1)
    a, sa = evaluator.embed([motion])
    b, sb = evaluator.embed([swapped])
    np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(sa, sb, atol=1e-4)


def test_recognizes_the_synthetic_actions_and_scores_a_protocol(trained):
    root, evaluator = trained
    with ProcessedRelease(root) as release:
        gt, train = SplitMotions(release.motions("test")), SplitMotions(release.motions("train"))
        config = ProtocolConfig(replications=2, diversity_times=10, class_mm_times=5)
        result = run_action_protocol("a2m", evaluator, gt, gt, train, config)
        assert np.mean(result.values[GROUND_TRUTH]["accuracy"]) > 0.6  # 4 well-separated synthetic actions
        np.testing.assert_allclose(result.values[PREDICTION]["fid"], 0.0, atol=1e-6)  # the test set itself
        rand = random_baseline(gt.ids(), train.ids(), train, samples=3)
        baseline = run_action_protocol("a2m", evaluator, gt, rand, train, config)
        assert np.mean(baseline.values[PREDICTION]["accuracy"]) < np.mean(result.values[PREDICTION]["accuracy"])


def test_wrong_checkpoint_is_reported(tmp_path):
    import torch
    path = tmp_path / "x.tar"
    torch.save({"text_encoder": {}}, path)
    with pytest.raises(FormatError, match="action evaluator"):
        ActionEvaluator.load(path)
