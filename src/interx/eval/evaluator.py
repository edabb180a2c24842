"""The text-motion evaluator of the Inter-X text-to-interaction benchmark (Guo et al. architecture).

Three modules, with the official state-dict names so an official `finest.tar`
loads as it is and a checkpoint trained here loads in official code:

- movement encoder: two 1-D convolutions (kernel 4, stride 2, padding 1) over
  time, each followed by dropout and LeakyReLU(0.2), then a linear layer; it
  quarters the time axis of the [B, T, 672] features;
- motion encoder: linear input embedding, a bidirectional GRU (learned initial
  state) over the first `m_len // 4` movement frames, then
  Linear-LayerNorm-LeakyReLU-Linear on the concatenated last states;
- text encoder: word vector + Linear(part-of-speech one-hot), a linear input
  embedding, a bidirectional GRU over the caption length, the same head.

Every size is read from the state dict. Unlike the official wrapper, which
reorders a batch by motion length, `embed_text` and `embed_motion` return
embeddings in input order. The protocol embeds its many crops through
`interx.eval.crop_encoder`, which gives the same numbers with shared work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from interx.data.processed import GloveVocab
from interx.errors import FormatError
from interx.eval.evaluator_input import UNIT_LENGTH, check_special_words, text_tokens, token_input
from interx.eval.folded_gru import FoldedBiGRU

CHECKPOINT_MODULES = ("text_encoder", "motion_encoder", "movement_encoder")


class MovementEncoder(nn.Module):
    """Two strided convolutions over time: [B, T, D] -> [B, T // 4, latent]."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int, dropout: float = 0.2):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv1d(input_size, hidden_size, 4, 2, 1), nn.Dropout(dropout), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(hidden_size, output_size, 4, 2, 1), nn.Dropout(dropout), nn.LeakyReLU(0.2, inplace=True),
        )
        self.out_net = nn.Linear(output_size, output_size)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.out_net(self.main(features.permute(0, 2, 1)).permute(0, 2, 1))


def _head(hidden_size: int, output_size: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(hidden_size * 2, hidden_size), nn.LayerNorm(hidden_size),
                         nn.LeakyReLU(0.2, inplace=True), nn.Linear(hidden_size, output_size))


class _BiGRUEncoder(nn.Module):
    """Bidirectional GRU from a learned initial state; the head reads both last states."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int):
        super().__init__()
        self.input_emb = nn.Linear(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True, bidirectional=True)
        self.output_net = _head(hidden_size, output_size)
        self.hidden = nn.Parameter(torch.randn((2, 1, hidden_size), requires_grad=True))

    def _encode(self, inputs: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        embedded = self.input_emb(inputs)
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, last = self.gru(packed, self.hidden.repeat(1, inputs.shape[0], 1))
        return self.output_net(torch.cat([last[0], last[1]], dim=-1))


class MotionEncoder(_BiGRUEncoder):
    """Movement frames [B, T', latent] and their lengths -> [B, E]."""

    def forward(self, movements: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self._encode(movements, lengths)


class TextEncoder(_BiGRUEncoder):
    """Word vectors [B, L, W], POS one-hot [B, L, P] and lengths -> [B, E]."""

    def __init__(self, word_size: int, pos_size: int, hidden_size: int, output_size: int):
        super().__init__(word_size, hidden_size, output_size)
        self.pos_emb = nn.Linear(pos_size, word_size)

    def forward(self, word_embs: torch.Tensor, pos_ohot: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self._encode(word_embs + self.pos_emb(pos_ohot), lengths)


@dataclass(frozen=True)
class EvaluatorSizes:
    """Every size of the three modules (the official full-size model in the defaults)."""

    motion_input: int = 672
    word: int = 300
    pos: int = 15
    text_hidden: int = 512
    movement_hidden: int = 512
    movement_latent: int = 512
    motion_hidden: int = 1024
    embedding: int = 512

    @classmethod
    def from_state(cls, state: dict, path: str) -> EvaluatorSizes:
        """Read the sizes from the state dict shapes (never assumed)."""

        def shape(module: str, key: str, ndim: int) -> tuple[int, ...]:
            tensor = state[module].get(key)
            if not isinstance(tensor, torch.Tensor) or tensor.ndim != ndim:
                found = "none" if tensor is None else f"shape {tuple(getattr(tensor, 'shape', ()))}"
                raise FormatError(path, f"{module}.{key}", f"a {ndim}-d tensor", found=found)
            return tuple(tensor.shape)

        conv0 = shape("movement_encoder", "main.0.weight", 3)
        conv3 = shape("movement_encoder", "main.3.weight", 3)
        pos = shape("text_encoder", "pos_emb.weight", 2)
        text_in = shape("text_encoder", "input_emb.weight", 2)
        text_out = shape("text_encoder", "output_net.3.weight", 2)
        motion_in = shape("motion_encoder", "input_emb.weight", 2)
        motion_out = shape("motion_encoder", "output_net.3.weight", 2)
        sizes = cls(motion_input=conv0[1], word=pos[0], pos=pos[1], text_hidden=text_in[0],
                    movement_hidden=conv0[0], movement_latent=conv3[0], motion_hidden=motion_in[0],
                    embedding=text_out[0])
        if conv3[1] != conv0[0] or motion_in[1] != conv3[0] or text_in[1] != pos[0] or motion_out[0] != text_out[0]:
            raise FormatError(path, "state dict", "consistent module sizes (conv chain, word size, embedding size)",
                              found=f"{sizes} with motion output {motion_out[0]}")
        return sizes


def build_modules(sizes: EvaluatorSizes) -> tuple[TextEncoder, MotionEncoder, MovementEncoder]:
    return (TextEncoder(sizes.word, sizes.pos, sizes.text_hidden, sizes.embedding),
            MotionEncoder(sizes.movement_latent, sizes.motion_hidden, sizes.embedding),
            MovementEncoder(sizes.motion_input, sizes.movement_hidden, sizes.movement_latent))


def load_checkpoint(path: str | os.PathLike, map_location: str | torch.device = "cpu") -> dict:
    """Read a checkpoint safely (`weights_only=True`) and check it has the official modules."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, None, "an existing evaluator checkpoint (finest.tar)", found="no such file")
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # torch raises many types for damaged or unsafe files
        raise FormatError(path, None, "a torch checkpoint loadable with weights_only=True",
                          found=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    if not isinstance(state, dict):
        raise FormatError(path, None, "a dict of state dicts", found=type(state).__name__)
    for key in CHECKPOINT_MODULES:
        if not isinstance(state.get(key), dict):
            raise FormatError(path, key, "a module state dict", found="none" if key not in state else
                              type(state[key]).__name__)
    return state


class OfficialEvaluator:
    """The text and motion encoders of an official-layout checkpoint, ready to embed."""

    def __init__(self, text_encoder: TextEncoder, motion_encoder: MotionEncoder, movement_encoder: MovementEncoder,
                 sizes: EvaluatorSizes, device: str | torch.device = "cpu", unit_length: int = UNIT_LENGTH):
        self.device = torch.device(device)
        self.text_encoder = text_encoder.to(self.device).eval()
        self.motion_encoder = motion_encoder.to(self.device).eval()
        self.movement_encoder = movement_encoder.to(self.device).eval()
        self.sizes = sizes
        self.unit_length = unit_length

    @classmethod
    def load(cls, path: str | os.PathLike, device: str | torch.device = "cpu") -> OfficialEvaluator:
        """Load `finest.tar` (official or trained here); sizes come from the state dict."""
        state = load_checkpoint(path)
        sizes = EvaluatorSizes.from_state(state, str(path))
        modules = build_modules(sizes)
        for key, module in zip(CHECKPOINT_MODULES, modules):
            try:
                module.load_state_dict(state[key])
            except RuntimeError as exc:
                raise FormatError(path, key, "a state dict matching the official module",
                                  found=str(exc).splitlines()[0]) from None
        return cls(*modules, sizes=sizes, device=device)

    @property
    def embedding_size(self) -> int:
        return self.sizes.embedding

    def _tensor(self, x, dtype=torch.float32) -> torch.Tensor:
        return torch.as_tensor(np.asarray(x), dtype=dtype, device=self.device)

    @torch.no_grad()
    def embed_text(self, word_embs, pos_ohot, cap_lens) -> np.ndarray:
        """(B, L, W) word vectors, (B, L, P) one-hot, (B,) lengths -> (B, E) embeddings, input order."""
        words, pos = self._tensor(word_embs), self._tensor(pos_ohot)
        lengths = torch.as_tensor(np.asarray(cap_lens), dtype=torch.int64)
        _check_batch("embed_text", words, (self.sizes.word,), lengths, words.shape[1] if words.ndim == 3 else 0)
        if pos.shape != words.shape[:2] + (self.sizes.pos,):
            raise ValueError(f"embed_text: pos_ohot must have shape {tuple(words.shape[:2]) + (self.sizes.pos,)}, "
                             f"got {tuple(pos.shape)}")
        return self.text_encoder(words, pos, lengths).cpu().numpy()

    @torch.no_grad()
    def embed_motion(self, motions, m_lens) -> np.ndarray:
        """(B, T, 672) evaluator features and (B,) frame counts -> (B, E) embeddings, input order.

        The GRU reads `m_len // unit_length` movement frames, as the official wrapper does.
        """
        motions = self._tensor(motions)
        lengths = torch.as_tensor(np.asarray(m_lens), dtype=torch.int64)
        _check_batch("embed_motion", motions, (self.sizes.motion_input,), lengths,
                     motions.shape[1] if motions.ndim == 3 else 0)
        if (lengths < self.unit_length).any():
            raise ValueError(f"embed_motion: every m_len must be at least {self.unit_length}, got {lengths.tolist()}")
        return self._embed_checked(motions, lengths)

    @torch.no_grad()
    def _embed_checked(self, motions: torch.Tensor, lengths: torch.Tensor) -> np.ndarray:
        movements = self.movement_encoder(motions)
        return self.motion_encoder(movements, lengths // self.unit_length).cpu().numpy()

    @torch.no_grad()
    def embed_tokens(self, token_lists: Sequence[Sequence[str]], vocab: GloveVocab) -> np.ndarray:
        """Embed processed texts (lists of `word/POS` tokens) with a vocabulary (`glove/` of a processed release).

        Each distinct token's input is made once and the GRU runs over the trie of the texts (`FoldedBiGRU`);
        equal to `embed_text` on the padded inputs (`text_input`) up to float rounding.
        """
        if vocab.vectors.shape[1] != self.sizes.word:
            raise FormatError("glove vocabulary", "vectors", f"{self.sizes.word}-d word vectors (the evaluator's)",
                              found=f"{vocab.vectors.shape[1]}-d")
        check_special_words(vocab)
        if not token_lists:
            return np.zeros((0, self.embedding_size), dtype=np.float32)
        rows: dict[str, int] = {}
        texts = [[rows.setdefault(token, len(rows)) for token in text_tokens(tokens)] for tokens in token_lists]
        vectors, pos = zip(*(token_input(token, vocab) for token in rows))
        pos_emb = self.text_encoder.pos_emb
        inputs = self._tensor(np.stack(vectors)) + (pos_emb.weight.T[self._tensor(pos, torch.int64)] + pos_emb.bias)
        lengths = np.array([len(t) for t in texts])
        sequences = np.zeros((len(texts), lengths.max()), dtype=np.int64)
        for row, text in zip(sequences, texts):
            row[:len(text)] = text
        gru = FoldedBiGRU(self.text_encoder)
        return gru.embed(gru.gates(inputs), sequences, lengths).cpu().numpy()


def embed_captions(evaluator: OfficialEvaluator, captions: Sequence[str], vocab: GloveVocab,
                   tagger: Callable[[Sequence[str]], Sequence[Sequence[str]]]) -> np.ndarray:
    """Embed raw captions: `tagger` turns them into `word/POS` tokens (the release's own tokenizer, e.g. the
    spaCy tagger of `interx prepare`, so the tokens match the processed texts the evaluator was trained on)."""
    tokens = tagger(list(captions))
    if len(tokens) != len(captions):
        raise ValueError(f"the tagger returned {len(tokens)} token lists for {len(captions)} captions")
    return evaluator.embed_tokens(tokens, vocab)


def _check_batch(where: str, x: torch.Tensor, tail: tuple[int, ...], lengths: torch.Tensor, steps: int) -> None:
    if x.ndim != 2 + len(tail) or tuple(x.shape[2:]) != tail:
        raise ValueError(f"{where}: expected shape (B, T, {', '.join(map(str, tail))}), got {tuple(x.shape)}")
    if lengths.shape != (x.shape[0],):
        raise ValueError(f"{where}: expected {x.shape[0]} lengths, got shape {tuple(lengths.shape)}")
    if (lengths < 1).any() or (lengths > steps).any():
        raise ValueError(f"{where}: lengths must be in 1..{steps}, got {lengths.tolist()}")
    if not torch.isfinite(x).all():
        raise ValueError(f"{where}: inputs contain NaN or infinity")
