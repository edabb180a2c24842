"""Dataset statistics: counts per split and action, frames, hours, lengths, texts.

Fast on the full release: frame counts come from array headers (the `trans`
member of P1's npz, or the h5 dataset shape), never from loading motions.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from interx.data.annotations import official_action_names
from interx.data.check import detect_layout
from interx.data.ids import SequenceId
from interx.data.processed import PROCESSED_FPS, ProcessedRelease, read_processed_texts
from interx.data.raw import RAW_FPS, RawRelease
from interx.data.splits import SPLITS
from interx.errors import FormatError

HISTOGRAM_EDGES_S = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 15.0, 20.0, float("inf"))
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass
class Summary:
    """min / median / mean / max of a list of numbers (zeros when empty)."""

    count: int = 0
    min: float = 0.0
    median: float = 0.0
    mean: float = 0.0
    max: float = 0.0

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        if not values:
            return cls()
        arr = np.asarray(values, dtype=np.float64)
        return cls(len(values), float(arr.min()), float(np.median(arr)), float(arr.mean()), float(arr.max()))


@dataclass
class DatasetInfo:
    """What `interx info` shows."""

    root: Path
    layout: str
    fps: int
    split_counts: dict[str, int] = field(default_factory=dict)
    action_counts: dict[int, int] = field(default_factory=dict)
    action_names: list[str] = field(default_factory=list)
    total_frames: int = 0
    lengths: Summary = field(default_factory=Summary)  # in frames
    histogram: list[tuple[float, float, int]] = field(default_factory=list)  # (from s, to s, count)
    texts_per_sequence: Summary = field(default_factory=Summary)
    words_per_text: Summary = field(default_factory=Summary)
    num_texts: int = 0
    vocabulary_size: int = 0
    unreadable: int = 0  # sequences skipped because a file could not be read

    @property
    def sequences(self) -> int:
        return sum(self.action_counts.values())

    @property
    def hours(self) -> float:
        return self.total_frames / self.fps / 3600.0


def _histogram(lengths_s: list[float]) -> list[tuple[float, float, int]]:
    counts, _ = np.histogram(np.asarray(lengths_s, dtype=np.float64), bins=np.asarray(HISTOGRAM_EDGES_S))
    return [(HISTOGRAM_EDGES_S[i], HISTOGRAM_EDGES_S[i + 1], int(c)) for i, c in enumerate(counts)]


def _text_stats(info: DatasetInfo, texts_by_id: dict[str, list[str]]) -> None:
    words_per_text: list[float] = []
    vocabulary: set[str] = set()
    for texts in texts_by_id.values():
        for text in texts:
            words = _WORD_RE.findall(text.lower())
            words_per_text.append(float(len(text.split())))
            vocabulary.update(words)
    info.texts_per_sequence = Summary.of([float(len(t)) for t in texts_by_id.values()])
    info.words_per_text = Summary.of(words_per_text)
    info.num_texts = len(words_per_text)
    info.vocabulary_size = len(vocabulary)


def dataset_info(root: str | os.PathLike, *, progress: Callable[[int, int], None] | None = None) -> DatasetInfo:
    """Statistics of a raw or processed dataset; unreadable sequences are counted, not fatal."""
    if detect_layout(root) == "processed":
        return _processed_info(Path(root), progress)
    return _raw_info(Path(root), progress)


def _finish(info: DatasetInfo, frames: dict[str, int], texts_by_id: dict[str, list[str]]) -> DatasetInfo:
    actions = Counter(SequenceId.parse(i).action for i in frames)
    info.action_counts = {a: actions.get(a, 0) for a in range(len(info.action_names))}
    info.total_frames = int(sum(frames.values()))
    info.lengths = Summary.of([float(t) for t in frames.values()])
    info.histogram = _histogram([t / info.fps for t in frames.values()])
    _text_stats(info, texts_by_id)
    return info


def _raw_info(root: Path, progress) -> DatasetInfo:
    with RawRelease(root) as release:
        info = DatasetInfo(root, "raw", RAW_FPS, action_names=release.action_names)
        ids = release.present_ids()
        frames: dict[str, int] = {}
        texts_by_id: dict[str, list[str]] = {}
        for done, seq_id in enumerate(ids, start=1):
            try:
                frames[seq_id] = release.num_frames(seq_id)
                texts_by_id[seq_id] = release.read_texts(seq_id)
            except FormatError:
                info.unreadable += 1
            if progress is not None:
                progress(done, len(ids))
        present = set(frames)
        info.split_counts = {s: sum(1 for i in release.ids(s) if i in present) for s in SPLITS}
        return _finish(info, frames, texts_by_id)


def _processed_info(root: Path, progress) -> DatasetInfo:
    with ProcessedRelease(root) as release:
        info = DatasetInfo(root, "processed", PROCESSED_FPS, action_names=official_action_names())
        frames: dict[str, int] = {}
        texts_by_id: dict[str, list[str]] = {}
        pairs: list[tuple[str, str]] = []
        for split in release.splits():
            try:
                pairs.extend((split, i) for i in release.motions(split).ids())
            except FormatError:
                info.unreadable += 1
        counts: Counter[str] = Counter()
        for done, (split, seq_id) in enumerate(pairs, start=1):
            try:
                SequenceId.parse(seq_id)
                frames[seq_id] = release.motions(split).num_frames(seq_id)
                counts[split] += 1
                if release.text_path(seq_id).is_file():
                    texts_by_id[seq_id] = [t.caption for t in read_processed_texts(release.text_path(seq_id))]
            except FormatError:
                info.unreadable += 1
            if progress is not None:
                progress(done, len(pairs))
        info.split_counts = {s: counts.get(s, 0) for s in SPLITS}
        return _finish(info, frames, texts_by_id)
