"""Small processed releases and texts for the evaluation tests (no spaCy: hand-written tags)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interx.data.processed import GloveVocab, ProcessedText, write_processed_release

ACTION_WORDS = ["wave", "hug", "push", "kick", "bow", "pat", "pull", "sit"]
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "official_evaluator"


def make_vocab(dim: int, seed: int = 0) -> GloveVocab:
    words = ["sos", "eos", "unk", "the", "person", "other", "one", "and", "slowly", "left", "hand"] + ACTION_WORDS
    return GloveVocab.from_words(words, np.random.default_rng(seed).normal(size=(len(words), dim)).astype(np.float32))


def sequence_id(index: int, action: int) -> str:
    return f"G{1 + index % 59:03d}T{index // 59:03d}A{action:03d}R{index % 7:03d}"


def make_motion(rng: np.random.Generator, action: int, frames: int) -> np.ndarray:
    """A two-person motion whose rotations oscillate at an action-specific frequency."""
    t = np.arange(frames)[:, None, None] / 30.0
    phase = rng.uniform(0, 2 * np.pi, size=(1, 56, 6))
    amplitude = 0.2 + 0.05 * (action % 4)
    motion = amplitude * np.sin(2 * np.pi * (0.5 + 0.4 * action) * t + phase) + rng.normal(0, 0.01, (frames, 56, 6))
    motion[:, 55, :] = 0.2 * t[:, 0] * np.array([1, 0, 0, -1, 0, 0]) * (1 + action % 3)
    motion[:, 55, 1] += 1.0
    motion[:, 55, 4] += 1.0
    return motion.astype(np.float32)


def make_texts(rng: np.random.Generator, action: int) -> list[ProcessedText]:
    word = ACTION_WORDS[action % len(ACTION_WORDS)]
    lines = []
    for k in range(3):
        tokens = ["the/DET", "person/NOUN", f"{word}/VERB"] + (["slowly/ADV"] if k == 1 else []) + \
                 ["the/DET", "other/ADJ", "one/NOUN"]
        lines.append(ProcessedText(" ".join(t.split("/")[0] for t in tokens), tuple(tokens)))
    return lines


def make_release(root: Path, per_split: dict[str, int], actions: int = 8, vocab_dim: int = 300,
                 seed: int = 0, frames: tuple[int, int] = (40, 200)) -> Path:
    """A processed release with `per_split[split]` sequences, the actions cycling through `actions`."""
    rng = np.random.default_rng(seed)
    motions, texts, index = {}, {}, 0
    for split, count in per_split.items():
        motions[split] = {}
        for k in range(count):
            action = k % actions
            seq_id = sequence_id(index, action)
            index += 1
            motions[split][seq_id] = make_motion(rng, action, int(rng.integers(*frames)))
            texts[seq_id] = make_texts(rng, action)
    write_processed_release(root, motions, texts, make_vocab(vocab_dim, seed))
    return root
