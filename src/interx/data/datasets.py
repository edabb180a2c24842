"""PyTorch datasets over a prepared folder (`interx prepare`), one per task.

Every dataset serves windows of the 262-d features (`features/<split>.h5`,
shape `(T, 2, 262)` per id), normalized with the train statistics, cropped to
at most `max_length` frames (random start, or the start with
`random_crop=False`) and zero-padded to `max_length` with a boolean mask
(True on real frames). Clips shorter than `min_length` are left out.

The h5 file is opened lazily in each process (DataLoader workers included)
and read one window at a time, so memory stays flat on the full dataset;
only the ids, lengths and small labels are held in memory.

Tasks: `TextMotionDataset` (a random one of the sequence's captions and its
`word/POS` tokens), `ActionMotionDataset` (the action label),
`ReactionDataset` (actor and reactor apart, plus the action) and
`StyleMotionDataset` (action, familiarity 1-4 and both persons' Big-Five).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import h5py
import numpy as np
import torch
from torch.utils.data import Dataset

from interx.data.annotations import big_five_of_group, read_big_five, read_familiarity, read_interaction_order
from interx.data.ids import SequenceId
from interx.data.processed import read_processed_texts
from interx.data.splits import SPLITS
from interx.errors import FormatError
from interx.prepare.features import FEATURE_DIM
from interx.prepare.stats import read_stats

DEFAULT_MIN_LENGTH = 24  # the official evaluator drops shorter clips (30 fps frames)
DEFAULT_MAX_LENGTH = 300  # 10 s at 30 fps


class FeatureDataset(Dataset):
    """Padded, masked feature windows of one split; the base of the task datasets."""

    def __init__(
        self,
        root: str | os.PathLike,
        split: str = "train",
        *,
        min_length: int = DEFAULT_MIN_LENGTH,
        max_length: int = DEFAULT_MAX_LENGTH,
        random_crop: bool = True,
        normalize: bool = True,
    ):
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        if not 1 <= min_length <= max_length:
            raise ValueError(f"need 1 <= min_length <= max_length, got {min_length} and {max_length}")
        self.root = Path(root)
        self.path = self.root / "features" / f"{split}.h5"
        self.split, self.min_length, self.max_length = split, min_length, max_length
        self.random_crop = random_crop
        self.mean, self.std = read_stats(self.root / "features") if normalize else (None, None)
        info_path = self.root / "features" / "info.json"
        self.info = json.loads(info_path.read_text()) if info_path.is_file() else {}
        ids, lengths = [], []
        with self._open() as h5:
            for seq_id in sorted(h5.keys()):
                shape = h5[seq_id].shape
                if len(shape) != 3 or shape[1:] != (2, FEATURE_DIM):
                    raise FormatError(self.path, seq_id, f"shape (T, 2, {FEATURE_DIM})", found=f"shape {list(shape)}")
                if shape[0] >= min_length:
                    ids.append(seq_id)
                    lengths.append(shape[0])
        self.ids = ids
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self._h5: h5py.File | None = None
        self._pid: int | None = None

    def _open(self) -> h5py.File:
        if not self.path.is_file():
            raise FormatError(self.path, None, "features written by `interx prepare`", found="no such file")
        try:
            return h5py.File(self.path, "r")
        except OSError as exc:
            raise FormatError(self.path, None, "a readable HDF5 file", found=str(exc)) from None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_h5"] = None  # an open HDF5 handle neither pickles nor survives a fork
        return state

    def __len__(self) -> int:
        return len(self.ids)

    def _window(self, index: int) -> tuple[np.ndarray, int]:
        if self._h5 is None or self._pid != os.getpid():
            self._h5, self._pid = self._open(), os.getpid()
        length = int(self.lengths[index])
        size = min(length, self.max_length)
        start = int(torch.randint(0, length - size + 1, ()).item()) if self.random_crop else 0
        window = self._h5[self.ids[index]][start:start + size]
        if self.mean is not None:
            window = (window - self.mean) / self.std
        return window, size

    def __getitem__(self, index: int) -> dict:
        window, size = self._window(index)
        motion = np.zeros((self.max_length, 2, FEATURE_DIM), dtype=np.float32)
        motion[:size] = window
        mask = np.zeros(self.max_length, dtype=bool)
        mask[:size] = True
        return {"id": self.ids[index], "motion": torch.from_numpy(motion), "mask": torch.from_numpy(mask),
                "length": size}

    def persons_swapped(self, seq_id: str) -> bool:
        """Whether person 0 of this id is the raw P2 (data prepared with --reaction, P1 acting)."""
        if self.info.get("person_order") != "reactor,actor":
            return False
        return self._order().get(seq_id) == 0

    def _order(self) -> dict[str, int]:
        if not hasattr(self, "_order_cache"):
            path = self.root / "annots" / "interaction_order.pkl"
            self._order_cache = read_interaction_order(path) if path.is_file() else {}
        return self._order_cache


class TextMotionDataset(FeatureDataset):
    """Adds `text` (one of the captions at random) and `tokens` (`word/POS` joined by spaces)."""

    def __init__(self, root, split="train", **kwargs):
        super().__init__(root, split, **kwargs)
        folder = self.root / "texts_processed"
        self.texts = {}
        for seq_id in self.ids:
            path = folder / f"{seq_id}.txt"
            self.texts[seq_id] = [(t.caption, " ".join(t.tokens)) for t in read_processed_texts(path)]

    def __getitem__(self, index: int) -> dict:
        item = super().__getitem__(index)
        options = self.texts[item["id"]]
        item["text"], item["tokens"] = options[int(torch.randint(0, len(options), ()).item())]
        return item


class ActionMotionDataset(FeatureDataset):
    """Adds `action` (0-39, from the id)."""

    def __getitem__(self, index: int) -> dict:
        item = super().__getitem__(index)
        item["action"] = SequenceId.parse(item["id"]).action
        return item


class ReactionDataset(ActionMotionDataset):
    """Splits the pair: `actor` and `reactor` `(max_length, 262)` windows, plus `action`.

    Works on data prepared either way: the person order is read from
    features/info.json and the actor from annots/interaction_order.pkl.
    Ids without an actor label are left out.
    """

    def __init__(self, root, split="train", **kwargs):
        super().__init__(root, split, **kwargs)
        order = self._order()
        if not order:
            raise FormatError(self.root / "annots" / "interaction_order.pkl", None,
                              "the actor of each sequence (copied by `interx prepare`)", found="no such file")
        keep = [i for i, seq_id in enumerate(self.ids) if order.get(seq_id) in (0, 1)]
        self.ids = [self.ids[i] for i in keep]
        self.lengths = self.lengths[keep]

    def __getitem__(self, index: int) -> dict:
        item = super().__getitem__(index)
        seq_id = item["id"]
        if self.info.get("person_order") == "reactor,actor":
            actor = 1
        else:
            actor = self._order()[seq_id]
        item["actor"] = item["motion"][:, actor]
        item["reactor"] = item["motion"][:, 1 - actor]
        return item


class StyleMotionDataset(ActionMotionDataset):
    """Adds `familiarity` (1-4) and `big_five` (2, 5), in the order of the persons served.

    Ids whose group has no familiarity or Big-Five are left out.
    """

    def __init__(self, root, split="train", **kwargs):
        super().__init__(root, split, **kwargs)
        annots = self.root / "annots"
        familiarity = read_familiarity(annots / "familiarity.txt") if (annots / "familiarity.txt").is_file() else {}
        table = read_big_five(annots / "big_five.npy") if (annots / "big_five.npy").is_file() else None
        self.labels: dict[str, tuple[int, np.ndarray]] = {}
        keep = []
        for i, seq_id in enumerate(self.ids):
            group = SequenceId.parse(seq_id).group
            big_five = big_five_of_group(table, group)
            if group in familiarity and big_five is not None:
                if self.persons_swapped(seq_id):
                    big_five = big_five[::-1]
                self.labels[seq_id] = (familiarity[group], np.array(big_five, dtype=np.float32))
                keep.append(i)
        self.ids = [self.ids[i] for i in keep]
        self.lengths = self.lengths[keep]

    def __getitem__(self, index: int) -> dict:
        item = super().__getitem__(index)
        familiarity, big_five = self.labels[item["id"]]
        item["familiarity"] = familiarity
        item["big_five"] = torch.from_numpy(big_five)
        return item
