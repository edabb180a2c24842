"""Pseudo-label weights as published: rare labels count more, repeated captions count once.

w(item) = frequency(label)^-0.25, rescaled so the weights average 1, then
divided by the number of items that share the item's caption.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def pseudo_label_weights(labels: Sequence[str], captions: Sequence[str], power: float = 0.25) -> np.ndarray:
    """One weight per (label, caption) item."""
    if len(labels) != len(captions):
        raise ValueError(f"need one caption per label, got {len(labels)} labels and {len(captions)} captions")
    if not labels:
        return np.zeros(0)
    label_counts, caption_counts = Counter(labels), Counter(captions)
    weights = np.array([label_counts[label] ** -power for label in labels], dtype=np.float64)
    weights /= weights.mean()
    return weights / np.array([caption_counts[caption] for caption in captions], dtype=np.float64)
