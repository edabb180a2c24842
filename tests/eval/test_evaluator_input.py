"""The evaluator's 672-d input, crop forms and text tokens, as the official evaluation makes them."""

import numpy as np
import pytest

from interx.body.rotations import axis_angle_to_matrix
from interx.data.processed import GloveVocab
from interx.errors import FormatError
from interx.eval.evaluator_input import (
    POS_INDEX,
    Crop,
    crop_features,
    crop_forms,
    evaluator_features,
    keeps_length,
    padding_frame,
    sample_crop,
    text_input,
)


def test_features_interleave_persons_per_joint_with_6d_rows():
    rng = np.random.default_rng(1)
    motion = rng.normal(scale=0.7, size=(5, 56, 6)).astype(np.float32)
    feats = evaluator_features(motion).reshape(5, 56, 12)
    rot_p2_joint7 = axis_angle_to_matrix(motion[3, 7, 3:6].astype(np.float64))
    np.testing.assert_allclose(feats[3, 7, 6:12], rot_p2_joint7[:2, :].ravel(), atol=1e-6)  # rows, not columns
    rot_p1_root = axis_angle_to_matrix(motion[0, 0, 0:3].astype(np.float64))
    np.testing.assert_allclose(feats[0, 0, 0:6], rot_p1_root[:2, :].ravel(), atol=1e-6)
    np.testing.assert_array_equal(feats[2, 55], [*motion[2, 55, :3], 0, 0, 0, *motion[2, 55, 3:], 0, 0, 0])


def test_padding_is_identity_rotation_not_zero():
    pad = padding_frame().reshape(56, 12)
    np.testing.assert_array_equal(pad[10], [1, 0, 0, 0, 1, 0] * 2)
    np.testing.assert_array_equal(pad[55], np.zeros(12))
    feats = evaluator_features(np.ones((30, 56, 6), np.float32))
    cropped = crop_features(feats, Crop(2, 24))
    assert cropped.shape == (150, 672)
    np.testing.assert_array_equal(cropped[:24], feats[2:26])
    np.testing.assert_array_equal(cropped[24:], np.broadcast_to(padding_frame(), (126, 672)))


def test_bad_motion_is_reported():
    with pytest.raises(FormatError, match=r"\[T, 56, 6\]"):
        evaluator_features(np.zeros((4, 55, 6), np.float32), name="gen.h5")
    bad = np.zeros((4, 56, 6), np.float32)
    bad[1, 2, 3] = np.nan
    with pytest.raises(FormatError, match="finite"):
        evaluator_features(bad)


def test_length_rules():
    assert not keeps_length(23) and keeps_length(24) and keeps_length(999) and not keeps_length(1000)


@pytest.mark.parametrize("frames", [24, 27, 61, 150, 153, 157, 400])
def test_crop_forms_are_the_official_distribution(frames):
    forms = crop_forms(frames)
    assert sum(forms.values()) == pytest.approx(1.0)
    full = frames // 4 * 4
    for crop in forms:
        assert crop.length in {min(full, 150), min(full - 4, 150)}
        assert crop.offset + crop.length <= frames
    # 27 frames: 24 frames at offsets 0..3 (2/3 shared) and 20 frames at offsets 0..7 (1/3 shared)
    if frames == 27:
        assert forms[Crop(3, 24)] == pytest.approx(2 / 3 / 4)
        assert forms[Crop(7, 20)] == pytest.approx(1 / 3 / 8)
        assert len(forms) == 12
    if frames == 400:  # both lengths are cut to 150: offsets 0..4 collect both chances
        assert forms[Crop(0, 150)] == pytest.approx(2 / 3 + 1 / 3 / 5)
        assert len(forms) == 5


def test_sampled_crops_follow_the_forms():
    rng = np.random.default_rng(0)
    frames = 61
    draws = [sample_crop(frames, rng) for _ in range(30000)]
    forms = crop_forms(frames)
    assert set(draws) <= set(forms)
    counts = {c: 0 for c in forms}
    for d in draws:
        counts[d] += 1
    for crop, p in forms.items():
        assert counts[crop] / len(draws) == pytest.approx(p, abs=0.012)


@pytest.fixture
def vocab():
    words = ["sos", "eos", "unk", "person", "wave", "left", "hand"]
    vectors = np.arange(len(words) * 4, dtype=np.float32).reshape(len(words), 4)
    return GloveVocab.from_words(words, vectors)


def test_text_tokens_framing_tags_and_unknown_words(vocab):
    words, pos, length = text_input(["person/NOUN", "wave/VERB", "left/ADJ", "hand/NOUN", "zebra/NOUN"], vocab)
    assert words.shape == (37, 4) and pos.shape == (37, 15) and length == 7
    np.testing.assert_array_equal(words[0], vocab.vector("sos"))
    np.testing.assert_array_equal(words[6], vocab.vector("eos"))
    np.testing.assert_array_equal(words[5], vocab.vector("unk"))  # zebra is not in the vocabulary
    np.testing.assert_array_equal(words[7:], np.broadcast_to(vocab.vector("unk"), (30, 4)))
    tags = pos.argmax(axis=1)
    assert pos.sum(axis=1).tolist() == [1.0] * 37
    assert tags[1] == POS_INDEX["NOUN"] and tags[2] == POS_INDEX["VERB"]
    assert tags[3] == POS_INDEX["Loc_VIP"] and tags[4] == POS_INDEX["Body_VIP"]  # VIP lists win over the POS tag
    assert tags[5] == POS_INDEX["OTHER"] and tags[0] == POS_INDEX["OTHER"] and tags[36] == POS_INDEX["OTHER"]


def test_unlisted_tag_is_other_and_long_texts_are_cut(vocab):
    words, pos, length = text_input(["person/PROPN"] * 50, vocab)
    assert length == 37
    assert pos[1].argmax() == POS_INDEX["OTHER"]
    np.testing.assert_array_equal(words[36], vocab.vector("eos"))


def test_vocabulary_without_special_words_is_reported():
    vocab = GloveVocab.from_words(["person", "unk"], np.zeros((2, 3), np.float32))
    with pytest.raises(FormatError, match="sos"):
        text_input(["person/NOUN"], vocab)
