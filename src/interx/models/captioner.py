"""The captioner: motion to text. The recognizer's pair encoder reads the motion, a small transformer decoder
writes words from a vocabulary built from the training texts.

The vocabulary is every word (`tokenize`) seen at least
`min_count` times in the training captions, plus padding, start, end and
unknown; it is saved in the checkpoint's JSON, so captions need nothing else.
Decoding is beam search (length-normalized log-probabilities) or sampling
(temperature, top-k).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from interx.errors import FormatError
from interx.models.checkpoint import load_weights, read_checkpoint, write_checkpoint
from interx.models.recognizer import PairEncoder, RecognizerConfig

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")
KIND = "interx-captioner"
VERSION = 1
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lowercased words and numbers; punctuation dropped (as the COCO tokenizer does)."""
    return TOKEN.findall(text.lower())


class Vocabulary:
    """Words <-> ids."""

    def __init__(self, words: Iterable[str]):
        self.words = list(SPECIALS) + [w for w in words if w not in SPECIALS]
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_count: int = 2) -> Vocabulary:
        counts = Counter(w for text in texts for w in tokenize(text))
        return cls(sorted(w for w, c in counts.items() if c >= min_count))

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """BOS, the words (unknown ones as UNK), EOS; cut to `max_tokens` in all."""
        ids = [self.index.get(w, UNK) for w in tokenize(text)][:max_tokens - 2]
        return [BOS, *ids, EOS]

    def decode(self, ids: Iterable[int]) -> str:
        words = []
        for i in ids:
            if i == EOS:
                break
            if i not in (PAD, BOS):
                words.append(self.words[i])
        return " ".join(words)


@dataclass(frozen=True)
class CaptionerConfig:
    width: int = 192
    encoder_layers: int = 3
    decoder_layers: int = 3
    heads: int = 4
    patch: int = 4
    dropout: float = 0.1
    max_tokens: int = 40

    def encoder_config(self) -> RecognizerConfig:
        return RecognizerConfig(task="action", width=self.width, layers=self.encoder_layers, heads=self.heads,
                                patch=self.patch, dropout=self.dropout)

    def to_dict(self) -> dict:
        return asdict(self)


class Captioner(nn.Module):
    """Normalized views [B, 2, frames, size] and word ids [B, L] -> next-word logits [B, L, vocabulary]."""

    def __init__(self, config: CaptionerConfig, vocabulary_size: int):
        super().__init__()
        self.config = config
        self.encoder = PairEncoder(config.encoder_config())
        self.words = nn.Embedding(vocabulary_size, config.width, padding_idx=PAD)
        self.position = nn.Parameter(torch.randn(config.max_tokens, config.width) * 0.02)
        layer = nn.TransformerDecoderLayer(config.width, config.heads, 4 * config.width, config.dropout,
                                           batch_first=True, norm_first=True, activation="gelu")
        self.decoder = nn.TransformerDecoder(layer, config.decoder_layers)
        self.norm = nn.LayerNorm(config.width)

    def memory(self, views: torch.Tensor) -> torch.Tensor:
        return self.encoder(views).flatten(1, 2)

    def logits(self, memory: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        causal = torch.ones(length, length, dtype=torch.bool, device=ids.device).triu(1)  # True: not seen
        x = self.words(ids) + self.position[:length]
        x = self.decoder(x, memory, tgt_mask=causal, tgt_key_padding_mask=ids == PAD)
        return self.norm(x) @ self.words.weight.T  # output layer tied to the word embedding

    def forward(self, views: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        return self.logits(self.memory(views), ids)


@dataclass
class LoadedCaptioner:
    model: Captioner
    vocabulary: Vocabulary
    view_mean: torch.Tensor
    view_std: torch.Tensor

    @torch.no_grad()
    def captions(self, views: np.ndarray, beam: int = 4, sample: bool = False, temperature: float = 1.0,
                 top_k: int = 0, seed: int = 0, batch_size: int = 64) -> list[str]:
        """One caption per clip of [N, 2, frames, size] views: beam search, or sampling when `sample`."""
        self.model.eval()
        generator = torch.Generator().manual_seed(seed)
        out: list[str] = []
        for start in range(0, len(views), batch_size):
            x = (torch.as_tensor(views[start:start + batch_size]) - self.view_mean) / self.view_std
            memory = self.model.memory(x)
            if sample:
                ids = self._sample(memory, temperature, top_k, generator)
            else:
                ids = [self._beam(memory[i:i + 1], beam) for i in range(len(memory))]
            out.extend(self.vocabulary.decode(seq) for seq in ids)
        return out

    def _sample(self, memory: torch.Tensor, temperature: float, top_k: int, generator) -> list[list[int]]:
        ids = torch.full((len(memory), 1), BOS, dtype=torch.long)
        done = torch.zeros(len(memory), dtype=torch.bool)
        for _ in range(self.model.config.max_tokens - 1):
            logits = self.model.logits(memory, ids)[:, -1] / max(temperature, 1e-6)
            logits[:, [PAD, BOS]] = float("-inf")
            if top_k:
                floor = logits.topk(min(top_k, logits.shape[-1])).values[:, -1:]
                logits = logits.masked_fill(logits < floor, float("-inf"))
            word = torch.multinomial(logits.softmax(-1), 1, generator=generator).squeeze(1)
            word = torch.where(done, torch.full_like(word, PAD), word)
            ids = torch.cat([ids, word[:, None]], dim=1)
            done |= word == EOS
            if done.all():
                break
        return ids[:, 1:].tolist()

    def _beam(self, memory: torch.Tensor, width: int) -> list[int]:
        return beam_search(self.model.logits, memory, width, self.model.config.max_tokens)[0][0]


def beam_search(logits_fn, memory: torch.Tensor, width: int, max_tokens: int) -> list[tuple[list[int], float]]:
    """Finished sequences (ids without BOS, ending at EOS when reached) with their length-normalized
    log-probabilities, best first. `logits_fn(memory, ids)` gives next-word logits [B, L, vocabulary];
    `memory` is one item's, [1, ...]."""
    beams = [([BOS], 0.0)]
    finished: list[tuple[list[int], float]] = []
    for _ in range(max_tokens - 1):
        ids = torch.tensor([seq for seq, _ in beams])
        logp = logits_fn(memory.expand(len(beams), *memory.shape[1:]), ids)[:, -1].log_softmax(-1)
        logp[:, [PAD, BOS]] = float("-inf")
        scores = torch.tensor([s for _, s in beams])[:, None] + logp
        top = scores.flatten().topk(min(width, scores.numel()))
        beams = []
        for score, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, word = divmod(flat, logp.shape[1])
            seq = ids[row].tolist() + [word]
            (finished if word == EOS else beams).append((seq, score))
        if not beams or len(finished) >= width:
            break
    finished.extend(beams)
    ranked = sorted(finished, key=lambda item: item[1] / (len(item[0]) - 1), reverse=True)  # per word
    return [(seq[1:], score / (len(seq) - 1)) for seq, score in ranked]


def save_captioner(path, model: Captioner, vocabulary: Vocabulary, view_mean, view_std) -> Path:
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    tensors["stats.view_mean"] = torch.as_tensor(np.asarray(view_mean), dtype=torch.float32)
    tensors["stats.view_std"] = torch.as_tensor(np.asarray(view_std), dtype=torch.float32)
    return write_checkpoint(path, "captioner", KIND, VERSION,
                            {"config": model.config.to_dict(), "vocabulary": vocabulary.words[len(SPECIALS):]},
                            tensors)


def load_captioner(path) -> LoadedCaptioner:
    weights, meta, document, tensors = read_checkpoint(path, "captioner", KIND, VERSION, "interx train captioner")
    try:
        config = CaptionerConfig(**document["config"])
        vocabulary = Vocabulary(document["vocabulary"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(meta, "config", "a captioner config and vocabulary",
                          found=f"{type(exc).__name__}: {exc}") from None
    model = Captioner(config, len(vocabulary))
    load_weights(model, tensors, "model", weights, meta)
    for name in ("view_mean", "view_std"):
        if f"stats.{name}" not in tensors:
            raise FormatError(weights, f"stats.{name}", "the input statistics", found="absent")
    return LoadedCaptioner(model.eval(), vocabulary, tensors["stats.view_mean"], tensors["stats.view_std"])
