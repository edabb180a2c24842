"""Image -> ranked HHI labels: an image encoder and a small decoder over the label vocabulary.

The encoder is a frozen CLIP vision model when the user has local weights
(`clip:/folder`, a Hugging Face CLIP or CLIP-vision model saved with
`save_pretrained`), otherwise a small convolutional network trained from
scratch. Either gives a grid of feature tokens; a two-layer transformer
decoder writes the label word by word (the words of the training labels,
`_` and `_'s` included), and beam search of width 8 gives the ranked labels.
Weights go to safetensors with a JSON config (the vocabulary, the encoder
spec; a CLIP encoder's weights stay in the user's folder).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from interx.errors import FormatError, InterXError
from interx.models.captioner import BOS, EOS, PAD, SPECIALS, Vocabulary, beam_search
from interx.models.checkpoint import load_weights, read_checkpoint, write_checkpoint

KIND = "interx-image-labeler"
VERSION = 1
CLIP_MEAN = (0.4815, 0.4578, 0.4082)
CLIP_STD = (0.2686, 0.2613, 0.2758)


class LabelVocabulary(Vocabulary):
    """The words of the training labels, split on spaces (so `_` and `_'s` are words)."""

    @classmethod
    def from_labels(cls, labels) -> LabelVocabulary:
        return cls(sorted({w for label in labels for w in label.split()}))

    def encode(self, label: str) -> list[int]:
        unknown = [w for w in label.split() if w not in self.index]
        if unknown:
            raise InterXError(f"label {label!r} has words outside the vocabulary: {unknown}")
        return [BOS, *(self.index[w] for w in label.split()), EOS]


@dataclass(frozen=True)
class ImageLabelerConfig:
    encoder: str = "small"  # "small" (trained here) or "clip:/folder" (frozen)
    image_size: int = 96
    width: int = 128
    layers: int = 2
    heads: int = 4
    dropout: float = 0.1
    max_tokens: int = 16

    def to_dict(self) -> dict:
        return asdict(self)


class SmallConvEncoder(nn.Module):
    """Four stride-2 convolution blocks: [B, 3, S, S] -> [B, (S/16)^2, width] tokens."""

    def __init__(self, width: int):
        super().__init__()
        channels = (3, 32, 64, 96, width)
        blocks = []
        for a, b in zip(channels, channels[1:]):
            blocks += [nn.Conv2d(a, b, 3, stride=2, padding=1), nn.BatchNorm2d(b), nn.GELU(),
                       nn.Conv2d(b, b, 3, padding=1), nn.BatchNorm2d(b), nn.GELU()]
        self.net = nn.Sequential(*blocks)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).flatten(2).transpose(1, 2)


class ClipEncoder(nn.Module):
    """A frozen CLIP vision tower from a local folder, its patch tokens projected to the decoder width."""

    def __init__(self, folder: str | os.PathLike, width: int):
        super().__init__()
        from transformers import CLIPVisionModel

        folder = Path(folder)
        if not folder.is_dir():
            raise InterXError(f"image encoder clip:{folder}: no such folder (a CLIP model saved with save_pretrained)")
        self.clip = CLIPVisionModel.from_pretrained(folder, local_files_only=True).eval()
        self.clip.requires_grad_(False)
        self.size = int(self.clip.config.image_size)
        self.project = nn.Linear(self.clip.config.hidden_size, width)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        if images.shape[-1] != self.size:
            images = nn.functional.interpolate(images, size=(self.size, self.size), mode="bilinear",
                                               align_corners=False)
        with torch.no_grad():
            tokens = self.clip(pixel_values=images).last_hidden_state
        return self.project(tokens)


class ImageLabeler(nn.Module):
    def __init__(self, config: ImageLabelerConfig, vocabulary_size: int):
        super().__init__()
        self.config = config
        if config.encoder == "small":
            self.encoder: nn.Module = SmallConvEncoder(config.width)
        elif config.encoder.startswith("clip:"):
            self.encoder = ClipEncoder(config.encoder[len("clip:"):], config.width)
        else:
            raise InterXError(f"unknown image encoder {config.encoder!r}: 'small' or 'clip:/path/to/folder'")
        self.words = nn.Embedding(vocabulary_size, config.width, padding_idx=PAD)
        self.position = nn.Parameter(torch.randn(config.max_tokens, config.width) * 0.02)
        layer = nn.TransformerDecoderLayer(config.width, config.heads, 4 * config.width, config.dropout,
                                           batch_first=True, norm_first=True, activation="gelu")
        self.decoder = nn.TransformerDecoder(layer, config.layers)
        self.norm = nn.LayerNorm(config.width)

    def logits(self, memory: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        causal = torch.triu(torch.full((length, length), float("-inf")), diagonal=1)
        x = self.decoder(self.words(ids) + self.position[:length], memory, tgt_mask=causal,
                         tgt_key_padding_mask=(ids == PAD).float().masked_fill(ids == PAD, float("-inf")))
        return self.norm(x) @ self.words.weight.T

    def forward(self, images: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        return self.logits(self.encoder(images), ids)


def load_image(path: str | os.PathLike, size: int) -> np.ndarray:
    """[3, size, size] float32 normalized as CLIP expects (the small encoder learns on the same scale)."""
    try:
        with Image.open(path) as image:
            rgb = image.convert("RGB").resize((size, size), Image.BILINEAR)
    except (OSError, ValueError) as exc:
        raise FormatError(path, None, "an image file", found=str(exc)) from None
    x = np.asarray(rgb, dtype=np.float32) / 255.0
    return ((x - CLIP_MEAN) / CLIP_STD).transpose(2, 0, 1).astype(np.float32)


@dataclass
class LoadedImageLabeler:
    model: ImageLabeler
    vocabulary: LabelVocabulary

    @torch.no_grad()
    def rank(self, images: np.ndarray, top: int = 8) -> list[list[str]]:
        """Up to `top` distinct labels per image ([N, 3, S, S] as `load_image` gives), best first."""
        self.model.eval()
        out = []
        for start in range(0, len(images), 64):
            memory = self.model.encoder(torch.as_tensor(images[start:start + 64]))
            for i in range(len(memory)):
                ranked = beam_search(self.model.logits, memory[i:i + 1], max(top, 8), self.model.config.max_tokens)
                labels = []
                for ids, _ in ranked:
                    label = self.vocabulary.decode(ids)
                    if label and label not in labels:
                        labels.append(label)
                out.append(labels[:top])
        return out


def save_image_labeler(path, model: ImageLabeler, vocabulary: LabelVocabulary) -> Path:
    # a CLIP encoder's frozen tower stays in the user's folder
    tensors = {f"model.{k}": v for k, v in model.state_dict().items() if not k.startswith("encoder.clip.")}
    return write_checkpoint(path, "image_labeler", KIND, VERSION,
                            {"config": model.config.to_dict(), "vocabulary": vocabulary.words[len(SPECIALS):]},
                            tensors)


def load_image_labeler(path) -> LoadedImageLabeler:
    weights, meta, document, tensors = read_checkpoint(path, "image_labeler", KIND, VERSION, "interx hhi train-images")
    try:
        config = ImageLabelerConfig(**document["config"])
        vocabulary = LabelVocabulary(document["vocabulary"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(meta, "config", "an image labeler config and vocabulary",
                          found=f"{type(exc).__name__}: {exc}") from None
    model = ImageLabeler(config, len(vocabulary))
    if isinstance(model.encoder, ClipEncoder):  # its frozen tower comes from the folder, not the checkpoint
        state = {f"model.encoder.clip.{k}": v for k, v in model.encoder.clip.state_dict().items()}
        tensors = {**tensors, **state}
    load_weights(model, tensors, "model", weights, meta)
    return LoadedImageLabeler(model.eval(), vocabulary)
