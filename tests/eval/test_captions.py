"""Caption metrics on cases worked out by hand."""

import math

import pytest

from interx.eval.captions import bleu, caption_scores, cider_d, rouge_l, tokenize


def test_tokens_are_lowercased_words_without_punctuation():
    assert tokenize("One person hugs the other, tightly.") == ["one", "person", "hugs", "the", "other", "tightly"]


def test_cider_d_by_hand():
    # n=1 and n=2: every n-gram occurs in one of the two reference sets, idf log(2); item 1 matches exactly
    # (cosine 1, no length penalty), item 2 shares nothing; n=3, 4 have no n-grams -> (2 / 4) / 2 * 10
    assert cider_d(["a b", "c d"], [["a b"], ["e f"]]) == pytest.approx(2.5)
    # an n-gram found in every reference set weighs nothing (idf log(2) - log(2) = 0)
    assert cider_d(["a", "a"], [["a"], ["a"]]) == 0.0
    # a length difference of one word costs exp(-1 / 72); every n-gram has idf log(2), unseen ones too.
    # item 1, "a b x" vs "a b": unigram cosine 2 / sqrt(6), bigram 1 / sqrt(2); item 2, "c" vs "c d": unigram
    # 1 / sqrt(2), no bigram
    penalty = math.exp(-1 / 72)
    item1 = (2 / math.sqrt(6) + 1 / math.sqrt(2)) * penalty / 4
    item2 = (1 / math.sqrt(2)) * penalty / 4
    assert cider_d(["a b x", "c"], [["a b"], ["c d"]]) == pytest.approx((item1 + item2) / 2 * 10)


def test_bleu_and_rouge_l_by_hand():
    refs = [["the cat sat on the mat"]]
    assert bleu(["the cat sat on the mat"], refs, 4) == pytest.approx(100.0)
    # unigram precision 4/4 with brevity penalty exp(1 - 6/4)
    assert bleu(["the cat sat on"], refs, 1) == pytest.approx(100 * 2.718281828 ** (1 - 6 / 4), rel=1e-6)
    # LCS "the cat on the mat" (5): precision 5/6, recall 5/6
    assert rouge_l(["the cat lay on the mat"], refs) == pytest.approx(100 * 5 / 6)
    # the best of several references counts
    assert rouge_l(["a b"], [["c d", "a b"]]) == pytest.approx(100.0)


def test_all_scores_reward_the_right_caption():
    refs = [["one person hugs the other", "two people hug"], ["a person waves at another", "one waves hello"]]
    right = caption_scores(["one person hugs the other", "a person waves at another"], refs)
    wrong = caption_scores(["a person waves at another", "one person hugs the other"], refs)
    for metric in ("bleu1", "bleu4", "rouge_l", "cider_d", "minilm_similarity"):
        assert right[metric] > wrong[metric], metric
    assert right["minilm_similarity"] == pytest.approx(1.0, abs=1e-5)
