"""Caption metrics: BLEU@1 and @4, ROUGE-L, CIDEr-D and a MiniLM similarity, each against several references.

- BLEU (sacrebleu, corpus level) over the words of each text (lowercased,
  punctuation dropped, as the COCO caption evaluation does, so a captioner
  that writes no commas is not penalized for it), 0-100.
- ROUGE-L (rouge-score): F-measure with the best reference per caption,
  averaged over captions, 0-100.
- CIDEr-D as defined for COCO captions (Vedantam et al. 2015, the coco-caption
  variant): n-grams 1-4 weighted by tf-idf with document frequencies over the
  reference sets of the evaluated corpus, candidate counts clipped by each
  reference's, a Gaussian length penalty (sigma 6), averaged over references
  and n, times 10. Computed here (no package runs offline); tokens as `tokenize`.
- MiniLM similarity: cosine of all-MiniLM-L6-v2 sentence embeddings between a
  caption and its most similar reference, averaged. It is not BERTScore.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from interx.models.captioner import tokenize


def _ngrams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def cider_d(candidates: Sequence[str], references: Sequence[Sequence[str]], sigma: float = 6.0) -> float:
    """Corpus CIDEr-D of `candidates[i]` against `references[i]` (one or more texts each)."""
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"need as many reference sets as candidates, got {len(candidates)} and {len(references)}")
    cand_words = [tokenize(c) for c in candidates]
    ref_words = [[tokenize(r) for r in refs] for refs in references]
    count = len(candidates)
    total = np.zeros(count)
    for n in range(1, 5):
        frequency: Counter = Counter()
        for refs in ref_words:
            frequency.update({gram for words in refs for gram in _ngrams(words, n)})
        log_count = math.log(count)

        def vector(words):
            grams = _ngrams(words, n)
            weights = {g: tf * (log_count - math.log(max(1.0, frequency[g]))) for g, tf in grams.items()}
            return grams, weights, math.sqrt(sum(w * w for w in weights.values()))

        for i in range(count):
            c_grams, c_vec, c_norm = vector(cand_words[i])
            score = 0.0
            for words in ref_words[i]:
                r_grams, r_vec, r_norm = vector(words)
                # CIDEr-D clips the candidate's counts by the reference's
                dot = sum(min(c_vec[g], r_vec[g]) * r_vec[g] for g in c_vec if g in r_vec)
                cosine = dot / (c_norm * r_norm) if c_norm and r_norm else 0.0
                delta = len(cand_words[i]) - len(words)
                score += cosine * math.exp(-delta * delta / (2 * sigma * sigma))
            total[i] += score / max(len(ref_words[i]), 1) / 4
    return float(total.mean() * 10)


def words_only(text: str) -> str:
    """The text as `tokenize` reads it: lowercased words joined by spaces (punctuation is not scored)."""
    return " ".join(tokenize(text))


def bleu(candidates: Sequence[str], references: Sequence[Sequence[str]], order: int) -> float:
    """Corpus BLEU with n-grams up to `order` (sacrebleu) over the words of each text, 0-100."""
    from sacrebleu.metrics import BLEU

    streams = max(len(refs) for refs in references)
    # sacrebleu reads reference streams of equal length: repeat a caption's first reference (no effect on BLEU)
    padded = [[words_only(r) for r in refs] + [words_only(refs[0])] * (streams - len(refs)) for refs in references]
    candidates = [words_only(c) for c in candidates]
    metric = BLEU(max_ngram_order=order, lowercase=True, effective_order=order < 4)
    return float(metric.corpus_score(list(candidates), [list(s) for s in zip(*padded)]).score)


def rouge_l(candidates: Sequence[str], references: Sequence[Sequence[str]]) -> float:
    """Mean ROUGE-L F-measure with each caption's best reference (rouge-score), 0-100."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"])
    scores = [scorer.score_multi(list(refs), cand)["rougeL"].fmeasure for cand, refs in zip(candidates, references)]
    return float(np.mean(scores) * 100)


def minilm_similarity(candidates: Sequence[str], references: Sequence[Sequence[str]], encoder=None) -> float:
    """Mean cosine of all-MiniLM-L6-v2 sentence embeddings between each caption and its closest reference."""
    from interx.models.text import TextEncoder

    encoder = encoder or TextEncoder()

    def unit(texts):
        vectors = np.stack([s for _, s in encoder.encode(list(texts))])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    cand = unit(candidates)
    return float(np.mean([np.max(unit(refs) @ c) for c, refs in zip(cand, references)]))


def caption_scores(candidates: Sequence[str], references: Sequence[Sequence[str]], encoder=None) -> dict[str, float]:
    """Every caption metric of the module docstring."""
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"need as many reference sets as candidates, got {len(candidates)} and {len(references)}")
    return {"bleu1": bleu(candidates, references, 1), "bleu4": bleu(candidates, references, 4),
            "rouge_l": rouge_l(candidates, references), "cider_d": cider_d(candidates, references),
            "minilm_similarity": minilm_similarity(candidates, references, encoder)}
