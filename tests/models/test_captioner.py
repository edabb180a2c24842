"""The captioner's vocabulary, decoding and checkpoints."""

import numpy as np
import pytest
import torch

from interx.errors import FormatError
from interx.models.captioner import (
    BOS,
    EOS,
    UNK,
    Captioner,
    CaptionerConfig,
    LoadedCaptioner,
    Vocabulary,
    load_captioner,
    save_captioner,
)
from interx.models.pair_input import VIEW_SIZE


def test_vocabulary_keeps_frequent_words_and_marks_the_rest_unknown():
    vocab = Vocabulary.from_texts(["One person hugs the other.", "one person waves", "A person waves!"], min_count=2)
    assert "person" in vocab.words and "hugs" not in vocab.words
    ids = vocab.encode("One person hugs", max_tokens=10)
    assert ids[0] == BOS and ids[-1] == EOS and ids[3] == UNK
    assert vocab.decode(ids) == "one person <unk>"
    assert len(vocab.encode("one " * 50, max_tokens=10)) == 10


def small_captioner(seed=0):
    torch.manual_seed(seed)
    vocab = Vocabulary(["one", "person", "hugs", "waves", "the", "other"])
    config = CaptionerConfig(width=32, encoder_layers=1, decoder_layers=1, heads=2, max_tokens=8)
    return Captioner(config, len(vocab)), vocab


def test_beam_and_sampling_give_words_of_the_vocabulary_within_the_length_limit():
    model, vocab = small_captioner()
    loaded = LoadedCaptioner(model.eval(), vocab, torch.zeros(VIEW_SIZE), torch.ones(VIEW_SIZE))
    views = np.random.default_rng(0).normal(size=(3, 2, 64, VIEW_SIZE)).astype(np.float32)
    for captions in (loaded.captions(views, beam=3), loaded.captions(views, sample=True, top_k=3, seed=1)):
        assert len(captions) == 3
        for text in captions:
            words = text.split()
            assert len(words) <= 7 and set(words) <= set(vocab.words[4:]) | {"<unk>"}
    assert loaded.captions(views, sample=True, seed=5) == loaded.captions(views, sample=True, seed=5)


def test_teacher_forcing_is_causal():
    model, _ = small_captioner()
    model.eval()
    views = torch.randn(1, 2, 64, VIEW_SIZE)
    ids = torch.tensor([[BOS, 4, 5, 6, 7]])
    changed = ids.clone()
    changed[0, 4] = 8
    a, b = model(views, ids), model(views, changed)
    torch.testing.assert_close(a[:, :4], b[:, :4])  # later words do not reach earlier outputs


def test_save_load_gives_the_same_captions_and_other_files_are_refused(tmp_path):
    model, vocab = small_captioner(3)
    mean, std = np.zeros(VIEW_SIZE), np.ones(VIEW_SIZE)
    path = save_captioner(tmp_path / "cap", model, vocab, mean, std)
    views = np.random.default_rng(2).normal(size=(2, 2, 64, VIEW_SIZE)).astype(np.float32)
    original = LoadedCaptioner(model.eval(), vocab, torch.zeros(VIEW_SIZE), torch.ones(VIEW_SIZE))
    loaded = load_captioner(path)
    assert loaded.vocabulary.words == vocab.words
    assert loaded.captions(views) == original.captions(views)
    path.with_suffix(".json").write_text('{"kind": "interx-recognizer", "version": 1}')
    with pytest.raises(FormatError, match="interx-captioner"):
        load_captioner(path)
