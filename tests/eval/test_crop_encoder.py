"""The shared-work crop encoder gives what the evaluator gives for each crop padded to 150 frames."""


import numpy as np
import pytest
import torch

from interx.eval.crop_encoder import CropEncoder
from interx.eval.evaluator import EvaluatorSizes, OfficialEvaluator, build_modules
from interx.eval.evaluator_input import Crop, crop_features, crop_forms

# The shortest croppable motions, uncapped and capped lengths, every remainder mod 4, and crops that end
# exactly at 148 and 150 frames.
LENGTHS = (8, 11, 24, 25, 26, 27, 61, 100, 148, 151, 152, 153, 154, 157, 300)


def _random_evaluator() -> OfficialEvaluator:
    torch.manual_seed(3)
    sizes = EvaluatorSizes(word=50, text_hidden=16, movement_hidden=40, movement_latent=24, motion_hidden=36,
                           embedding=12)
    return OfficialEvaluator(*build_modules(sizes), sizes=sizes)


def _padded_reference(evaluator, features, crops):
    padded = np.stack([crop_features(features, c) for c in crops])
    return evaluator.embed_motion(padded, [c.length for c in crops])


@pytest.mark.parametrize("weights", ["official", "random"])
def test_every_crop_form_matches_the_padded_evaluator(weights, official_evaluator_dir):
    if weights == "official":
        evaluator = OfficialEvaluator.load(official_evaluator_dir / "finest.tar")
    else:
        evaluator = _random_evaluator()
    rng = np.random.default_rng(0)
    motions = [rng.normal(size=(n, 672)).astype(np.float32) for n in LENGTHS]
    crops = [sorted(crop_forms(n)) for n in LENGTHS]
    rng.shuffle(crops[-1])  # any order in, the same order out
    encoded = CropEncoder(evaluator).encode(motions, crops)
    for features, motion_crops, got in zip(motions, crops, encoded):
        assert got.shape == (len(motion_crops), evaluator.embedding_size)
        np.testing.assert_allclose(got, _padded_reference(evaluator, features, motion_crops), atol=1e-5, rtol=0)


def test_motions_encoded_together_or_alone_agree():
    evaluator = _random_evaluator()
    rng = np.random.default_rng(1)
    motions = [rng.normal(size=(n, 672)).astype(np.float32) for n in (40, 160)]
    crops = [[Crop(2, 36), Crop(0, 40)], [Crop(7, 150)]]
    encoder = CropEncoder(evaluator)
    together = encoder.encode(motions, crops)
    for m in range(2):
        np.testing.assert_allclose(together[m], encoder.encode([motions[m]], [crops[m]])[0], atol=1e-6, rtol=0)


def test_features_need_only_reach_the_last_crop():
    evaluator = _random_evaluator()
    features = np.random.default_rng(2).normal(size=(400, 672)).astype(np.float32)
    crops = [Crop(3, 150), Crop(5, 150)]
    encoder = CropEncoder(evaluator)
    np.testing.assert_allclose(encoder.encode([features[:155]], [crops])[0], encoder.encode([features], [crops])[0],
                               atol=1e-6, rtol=0)
    shortest = [Crop(0, 4)]  # an 8-frame motion's shorter crop: only 4 frames are read
    np.testing.assert_allclose(encoder.encode([features[:4]], [shortest])[0],
                               _padded_reference(evaluator, features, shortest), atol=1e-5, rtol=0)


def test_crops_that_do_not_fit_are_refused():
    encoder = CropEncoder(_random_evaluator())
    features = np.zeros((60, 672), np.float32)
    with pytest.raises(ValueError, match=r"does not fit motion 0 of 60 frames"):
        encoder.encode([features], [[Crop(30, 40)]])
    with pytest.raises(ValueError, match="shorter than 4"):
        encoder.encode([features], [[Crop(0, 3)]])
