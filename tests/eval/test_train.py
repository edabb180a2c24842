"""Evaluator training: official-layout checkpoints, determinism, resume."""

import numpy as np
import pytest
import torch

from interx.errors import InterXError
from interx.eval.evaluator import OfficialEvaluator
from interx.eval.train import TextTrainingConfig, train_text_evaluator

TINY = dict(text_hidden=8, movement_hidden=8, movement_latent=8, motion_hidden=8, embedding=4, batch_size=8)


@pytest.fixture(scope="module")
def release(make_release, tmp_path_factory):
    return make_release(tmp_path_factory.mktemp("train") / "processed", {"train": 16, "val": 8, "test": 8},
                        vocab_dim=6, frames=(30, 70))


def test_checkpoint_loads_through_the_official_loader(release, tmp_path):
    finest = train_text_evaluator(release, tmp_path / "ev", TextTrainingConfig(epochs=2, **TINY))
    state = torch.load(finest, weights_only=True)
    assert {"text_encoder", "motion_encoder", "movement_encoder", "opt_text_encoder", "opt_motion_encoder",
            "epoch", "iter"} <= set(state)
    evaluator = OfficialEvaluator.load(finest)
    assert evaluator.sizes.word == 6 and evaluator.sizes.embedding == 4 and evaluator.sizes.motion_input == 672
    text = evaluator.embed_text(np.zeros((2, 5, 6)), np.eye(15)[[0] * 5][None].repeat(2, 0), [5, 3])
    assert text.shape == (2, 4) and np.isfinite(text).all()


def test_training_is_deterministic_and_resumes_exactly(release, tmp_path):
    straight = train_text_evaluator(release, tmp_path / "a", TextTrainingConfig(epochs=2, **TINY))
    train_text_evaluator(release, tmp_path / "b", TextTrainingConfig(epochs=1, **TINY))
    resumed = train_text_evaluator(release, tmp_path / "b", TextTrainingConfig(epochs=2, **TINY))
    a = torch.load(straight.parent / "latest.tar", weights_only=True)
    b = torch.load(resumed.parent / "latest.tar", weights_only=True)
    assert a["epoch"] == b["epoch"] == 2 and a["iter"] == b["iter"]
    for key in ("text_encoder", "motion_encoder", "movement_encoder"):
        for name, tensor in a[key].items():
            torch.testing.assert_close(tensor, b[key][name], msg=f"{key}.{name}")


def test_release_without_vocabulary_is_reported(release, tmp_path):
    import shutil
    copy = tmp_path / "novocab"
    shutil.copytree(release, copy)
    shutil.rmtree(copy / "glove")
    with pytest.raises(InterXError, match="glove"):
        train_text_evaluator(copy, tmp_path / "ev", TextTrainingConfig(epochs=1, **TINY))


def test_exported_first_convolution_is_the_trained_function_on_raw_features():
    from interx.eval.evaluator import EvaluatorSizes, MovementEncoder
    from interx.eval.train import TextEvaluatorTrainer

    rng = np.random.default_rng(0)
    sizes = EvaluatorSizes(word=6, text_hidden=8, movement_hidden=8, movement_latent=8, motion_hidden=8, embedding=4)
    trainer = TextEvaluatorTrainer(sizes, TextTrainingConfig(**TINY), rng.normal(size=672),
                                   rng.uniform(0.05, 2.0, size=672))
    exported = MovementEncoder(672, 8, 8)
    exported.load_state_dict(trainer.state()["movement_encoder"])
    trainer.movement_encoder.eval()
    exported.eval()
    x = torch.from_numpy(rng.normal(size=(3, 21, 672)).astype(np.float32))  # odd length: zero padding at both ends
    torch.testing.assert_close(exported(x), trainer.movement_encoder(x), atol=1e-4, rtol=1e-4)
