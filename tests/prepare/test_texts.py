"""Processed texts (spaCy tokens by the official rules) and the GloVe vocabulary files."""

from __future__ import annotations

import numpy as np
import pytest

from interx.data.processed import read_glove, read_processed_texts
from interx.data.raw import RawRelease
from interx.prepare.texts import load_pipeline, processed_texts
from interx.prepare.vocab import SPECIAL_TOKENS, GloveVectors, build_vocab, split_compound


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()  # spaCy is a dependency: under CI a missing pipeline fails here


def tokens(nlp, caption: str) -> list[str]:
    return list(processed_texts(nlp, [("G001T000A000R000", [caption])])["G001T000A000R000"][0].tokens)


def test_official_token_rules(nlp):
    out = tokens(nlp, "The first person walks towards the other and gives a high-five with his left hand, twice (2x).")
    words = [t.split("/")[0] for t in out]
    assert "walk" in words and "walks" not in words  # verbs lemmatized
    assert "hand/NOUN" in out and "left/ADJ" in out  # "left" kept as the side
    assert "highfive" in words  # hyphen removed before tagging
    assert not any(not w.isalpha() for w in words)  # punctuation and "2x" dropped
    assert all("/" in t and t.split("/")[1].isupper() for t in out)
    assert tokens(nlp, "He left the room.")[1] == "left/VERB"  # never lemmatized to "leave"


def test_prepared_texts_and_vocabulary(raw6, prepared6):
    vocab = read_glove(prepared6 / "glove")
    assert vocab.words[:3] == list(SPECIAL_TOKENS) and vocab.vectors.shape[1] == 50
    with RawRelease(raw6) as release:
        for seq_id in release.ids():
            lines = read_processed_texts(prepared6 / "texts_processed" / f"{seq_id}.txt")
            assert [line.caption for line in lines] == release.read_texts(seq_id)
            assert all(line.start == 0.0 and line.end == 0.0 and line.tokens for line in lines)
            for line in lines:
                for word in line.words:
                    assert word in vocab.index or word.lower() in vocab.index
    text = (prepared6 / "texts_processed" / f"{release.ids()[0]}.txt").read_text()
    assert text.endswith("#0.0#0.0\n")


def test_compound_words_get_the_mean_of_their_parts():
    source = GloveVectors()
    vocab, missing = build_vocab(["The", "highfive", "qzxqzx"], source)
    parts = source.lookup(["high", "five", "the"])
    np.testing.assert_allclose(vocab.vector("highfive"), (parts["high"] + parts["five"]) / 2)
    np.testing.assert_allclose(vocab.vector("The"), parts["the"])  # looked up lower-cased
    assert missing == ["qzxqzx"] and "qzxqzx" not in vocab.index
    assert split_compound("highfive", {"high", "five", "hi", "ghfive"}) == ["high", "five"]


def test_user_glove_text_file(tmp_path):
    path = tmp_path / "glove.6B.3d.txt"
    path.write_text("sos 1 0 0\neos 0 1 0\nunk 0 0 1\nhug 1 2 3\nhand 2 2 2\nshake 0 4 0\n")
    vocab, missing = build_vocab(["hug", "handshake", "wave"], GloveVectors(path))
    assert vocab.words == ["sos", "eos", "unk", "handshake", "hug"] and missing == ["wave"]
    np.testing.assert_allclose(vocab.vector("handshake"), [1, 3, 1])
