"""The official-layout evaluator: fixture reproduction, input order, bad checkpoints."""

from pathlib import Path

import numpy as np
import pytest
import torch

from interx.errors import FormatError
from interx.eval.evaluator import OfficialEvaluator


@pytest.fixture(scope="module")
def evaluator(official_evaluator_dir) -> OfficialEvaluator:
    return OfficialEvaluator.load(official_evaluator_dir / "finest.tar")


@pytest.fixture(scope="module")
def case(official_evaluator_dir) -> dict:
    with np.load(official_evaluator_dir / "case.npz") as data:
        return {k: data[k] for k in data.files}


def test_sizes_are_read_from_the_state_dict(evaluator):
    s = evaluator.sizes
    assert (s.motion_input, s.word, s.pos, s.text_hidden, s.movement_hidden, s.movement_latent, s.motion_hidden,
            s.embedding) == (672, 300, 15, 24, 32, 20, 28, 16)


def test_reproduces_the_official_embeddings(evaluator, case):
    text = evaluator.embed_text(case["word_embs"], case["pos_ohot"], case["cap_lens"])
    motion = evaluator.embed_motion(case["motions"], case["m_lens"])
    np.testing.assert_allclose(text, case["text_embedding"], atol=1e-5, rtol=0)
    np.testing.assert_allclose(motion, case["motion_embedding"], atol=1e-5, rtol=0)


def test_embeddings_follow_input_order(evaluator, case):
    order = np.array([3, 6, 0, 5, 1, 4, 2])  # texts and motions no longer sorted by length
    text = evaluator.embed_text(case["word_embs"][order], case["pos_ohot"][order], case["cap_lens"][order])
    motion = evaluator.embed_motion(case["motions"][order], case["m_lens"][order])
    np.testing.assert_allclose(text, case["text_embedding"][order], atol=1e-5, rtol=0)
    np.testing.assert_allclose(motion, case["motion_embedding"][order], atol=1e-5, rtol=0)


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FormatError, match="finest.tar"):
        OfficialEvaluator.load(tmp_path / "finest.tar")


def test_checkpoint_without_a_module_is_rejected(official_evaluator_dir, tmp_path):
    state = torch.load(official_evaluator_dir / "finest.tar", weights_only=True)
    del state["movement_encoder"]
    path = tmp_path / "broken.tar"
    torch.save(state, path)
    with pytest.raises(FormatError, match="movement_encoder"):
        OfficialEvaluator.load(path)


def test_checkpoint_with_inconsistent_sizes_is_rejected(official_evaluator_dir, tmp_path):
    state = torch.load(official_evaluator_dir / "finest.tar", weights_only=True)
    state["motion_encoder"]["input_emb.weight"] = torch.zeros(28, 21)
    path = tmp_path / "sizes.tar"
    torch.save(state, path)
    with pytest.raises(FormatError, match="consistent module sizes"):
        OfficialEvaluator.load(path)


def test_checkpoint_with_arbitrary_objects_is_refused(tmp_path):
    path = tmp_path / "evil.tar"
    torch.save({"text_encoder": {}, "motion_encoder": {}, "movement_encoder": {}, "extra": Path("x")}, path)
    with pytest.raises(FormatError, match="weights_only"):
        OfficialEvaluator.load(path)


def test_bad_inputs_are_reported(evaluator, case):
    motions = case["motions"].copy()
    motions[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        evaluator.embed_motion(motions, case["m_lens"])
    with pytest.raises(ValueError, match="shape"):
        evaluator.embed_motion(case["motions"][..., :600], case["m_lens"])
    with pytest.raises(ValueError, match="lengths"):
        evaluator.embed_text(case["word_embs"], case["pos_ohot"], case["cap_lens"][:3])


def test_raw_captions_are_embedded_through_a_tagger(make_vocab, evaluator):

    from interx.eval.evaluator import embed_captions

    vocab = make_vocab(300)

    def tagger(captions):
        return [tuple(f"{w.lower()}/NOUN" for w in caption.split()) for caption in captions]

    captions = ["The person waves", "The other one hugs"]
    direct = evaluator.embed_tokens([("the/NOUN", "person/NOUN", "waves/NOUN"), ("the/NOUN", "other/NOUN",
                                                                                  "one/NOUN", "hugs/NOUN")], vocab)
    np.testing.assert_allclose(embed_captions(evaluator, captions, vocab, tagger), direct, atol=1e-6)
    with pytest.raises(ValueError, match="tagger"):
        embed_captions(evaluator, captions, vocab, lambda c: [()])


def test_token_lists_embed_as_the_padded_text_batch(make_vocab, evaluator):

    from interx.eval.evaluator_input import text_input

    vocab = make_vocab(300)
    rng = np.random.default_rng(4)
    words = [f"{w}/{tag}" for w in ("person", "waves", "hugs", "left", "hand", "zebra") for tag in ("NOUN", "VERB")]
    texts = [tuple(rng.choice(words, size=rng.integers(1, 45))) for _ in range(40)]  # beyond 35 tokens too
    texts += [texts[0][:3], texts[0][:3] + ("hand/NOUN",), ()]  # shared prefixes and an empty text
    padded = [text_input(t, vocab) for t in texts]
    expected = evaluator.embed_text(np.stack([p[0] for p in padded]), np.stack([p[1] for p in padded]),
                                    [p[2] for p in padded])
    np.testing.assert_allclose(evaluator.embed_tokens(texts, vocab), expected, atol=1e-5, rtol=0)
    assert evaluator.embed_tokens([], vocab).shape == (0, evaluator.embedding_size)
