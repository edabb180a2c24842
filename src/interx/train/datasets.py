"""PyTorch datasets over a prepared folder (`interx prepare`), one per task.

Every dataset serves windows of the 262-d features (`features/<split>.h5`,
shape `(T, 2, 262)` per id), normalized with the train statistics, cropped to
at most `max_length` frames (random start, or the start with
`random_crop=False`; a random start is a multiple of `crop_step`) and
zero-padded to `max_length` with a boolean mask (True on real frames); each
sample says where its window starts (`start`). Clips shorter than `min_length` are left out.
With `layout` (`interx.models.layout`: `joints`, `smplx`) they serve that
layout's vectors instead, made from the processed motions
(`motions/<split>.h5`) and not normalized (the generator keeps its own
statistics); a clip's vectors are kept in memory once made, up to
`cache_bytes` (2 GiB by default: all of `medium`, a third of the full
release's training split in the `joints` layout).

The h5 file is opened lazily in each process (DataLoader workers included)
and read one window at a time, so memory stays flat on the full dataset;
only the ids, lengths, offsets and small labels are held in memory.
`dataset[i]` gives one sample; `dataset[[i, j, ...]]` a collated batch built
in one array, which `batch_loader()` uses: per-sample fetching plus
`default_collate` copies every window twice.

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
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    default_collate,
    get_worker_info,
)

from interx.data.annotations import big_five_of_group, read_big_five, read_familiarity, read_interaction_order
from interx.data.ids import SequenceId
from interx.data.processed import H5Motions, read_processed_texts
from interx.data.splits import SPLITS
from interx.errors import FormatError
from interx.models.layout import get_layout
from interx.prepare.features import FEATURE_DIM
from interx.prepare.stats import read_stats

DEFAULT_MIN_LENGTH = 24  # the official evaluator drops shorter clips (30 fps frames)
DEFAULT_MAX_LENGTH = 300  # 10 s at 30 fps


_FRAME_BYTES = 2 * FEATURE_DIM * 4


def _raw_offset(node: h5py.Dataset) -> int:
    """Byte offset of a contiguous little-endian float32 dataset in its file, else -1."""
    if node.chunks is not None or node.compression is not None or node.dtype != np.dtype("<f4"):
        return -1
    offset = node.id.get_offset()
    return -1 if offset is None else int(offset)


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
        crop_step: int = 1,
        normalize: bool = True,
        layout: str | None = None,
        cache_bytes: int = 2 << 30,
    ):
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        if not 1 <= min_length <= max_length:
            raise ValueError(f"need 1 <= min_length <= max_length, got {min_length} and {max_length}")
        if layout is not None and normalize:
            raise ValueError(f"the {layout} layout is served raw: pass normalize=False (the model normalizes)")
        self.root = Path(root)
        self.layout = get_layout(layout) if layout is not None else None
        self.dim = FEATURE_DIM if self.layout is None else self.layout.dim
        self.path = self.root / ("features" if self.layout is None else "motions") / f"{split}.h5"
        self.split, self.min_length, self.max_length = split, min_length, max_length
        self.random_crop, self.crop_step = random_crop, crop_step
        self.mean, self.std = read_stats(self.root / "features") if normalize else (None, None)
        info_path = self.root / "features" / "info.json"
        self.info = json.loads(info_path.read_text()) if info_path.is_file() else {}
        ids, lengths, offsets = [], [], []
        with self._open() as h5:
            for seq_id in sorted(h5.keys()):
                node = h5[seq_id]
                if self.layout is None and (node.ndim != 3 or node.shape[1:] != (2, FEATURE_DIM)):
                    raise FormatError(self.path, seq_id, f"shape (T, 2, {FEATURE_DIM})",
                                      found=f"shape {list(node.shape)}")
                if self.layout is not None and (node.ndim != 3 or node.shape[1:] != (56, 6)):
                    raise FormatError(self.path, seq_id, "shape [T, 56, 6]", found=f"shape {list(node.shape)}")
                frames = node.shape[0] if self.layout is None else self.layout.frames(node.shape[0])
                if frames >= min_length:
                    ids.append(seq_id)
                    lengths.append(frames)
                    offsets.append(_raw_offset(node) if self.layout is None else -1)
        self.ids = ids
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self._inv_std = None if self.std is None else (1.0 / self.std).astype(np.float32)
        self._h5: h5py.File | None = None
        self._pid: int | None = None
        self._datasets: dict[str, h5py.Dataset] = {}
        self._map: np.memmap | None = None
        self._motions = H5Motions(self.path) if self.layout is not None else None
        self.cache_bytes = cache_bytes
        self._vectors: dict[str, np.ndarray] = {}
        self._cached = 0

    def _open(self) -> h5py.File:
        if not self.path.is_file():
            raise FormatError(self.path, None, f"{self.path.parent.name} written by `interx prepare`",
                              found="no such file")
        try:
            return h5py.File(self.path, "r")
        except OSError as exc:
            raise FormatError(self.path, None, "a readable HDF5 file", found=str(exc)) from None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # open file handles neither pickle nor survive a fork: reopened lazily
        state["_h5"], state["_datasets"], state["_map"] = None, {}, None
        state["_motions"] = H5Motions(self.path) if self.layout is not None else None
        state["_vectors"], state["_cached"] = {}, 0  # each worker fills its own
        return state

    def __len__(self) -> int:
        return len(self.ids)

    def spread_ids(self, limit: int) -> list[str]:
        """Up to `limit` ids evenly spread over the split: for statistics that need not read every clip."""
        picks = np.unique(np.linspace(0, len(self) - 1, min(limit, len(self))).round().astype(int))
        return [self.ids[i] for i in picks]

    def read_motion(self, seq_id: str) -> np.ndarray:
        """The processed `[T, 56, 6]` motion of an id (datasets with a layout)."""
        if self._motions is None:
            raise ValueError("only a dataset with a layout reads the processed motions")
        return self._motions.read(seq_id)

    def _read(self, index: int, start: int, size: int) -> np.ndarray:
        """Frames [start, start + size) of one clip.

        Datasets stored contiguously (as `interx prepare` writes them) are read
        through a memory map of the file at their offset, about 5x faster than
        h5py's per-call selection; other layouts go through h5py. With a
        layout, the whole motion is encoded (its canonical frame is the clip's).
        """
        if self.layout is not None:
            return self.layout_vectors(self.ids[index])[start:start + size]
        offset = int(self.offsets[index])
        if offset < 0:
            return self._dataset(self.ids[index])[start:start + size]
        if self._map is None or self._pid != os.getpid():
            self._dataset(self.ids[index])  # (re)opens the per-process handles
            self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        first = offset + start * _FRAME_BYTES
        return self._map[first:first + size * _FRAME_BYTES].view("<f4").reshape(size, 2, FEATURE_DIM)

    def layout_vectors(self, seq_id: str) -> np.ndarray:
        """The layout's vectors of a whole clip, kept in memory up to `cache_bytes` (the generator's statistics
        read them too, so a run encodes each clip once): encoding (forward kinematics and features) costs about
        8 ms a clip, 0.26 s for a batch of 32 against 0.02 s kept, a quarter of a `tiny` latent training step on
        2 cores."""
        vectors = self._vectors.get(seq_id)
        if vectors is None:
            vectors = self.layout.encode(self.read_motion(seq_id))[0]
            if self._cached + vectors.nbytes <= self.cache_bytes:
                self._vectors[seq_id] = vectors
                self._cached += vectors.nbytes
        return vectors

    def _dataset(self, seq_id: str) -> h5py.Dataset:
        """The id's h5 dataset; file and dataset handles are opened once per process."""
        if self._h5 is None or self._pid != os.getpid():
            self._h5, self._pid, self._datasets, self._map = self._open(), os.getpid(), {}, None
        node = self._datasets.get(seq_id)
        if node is None:
            node = self._datasets[seq_id] = self._h5[seq_id]
        return node

    def __getitem__(self, index):
        """One sample for an int index; a whole collated batch for a list of indices.

        The batch form fills one preallocated array instead of stacking
        per-sample tensors; use it through `batch_loader` (or a DataLoader with
        a BatchSampler as sampler and batch_size=None).
        """
        if isinstance(index, (int, np.integer)):
            seq_id, start, size, motion = self._window(int(index), None)
            mask = np.zeros(self.max_length, dtype=bool)
            mask[:size] = True
            item = {"id": seq_id, "motion": torch.from_numpy(motion), "mask": torch.from_numpy(mask), "length": size,
                    "start": start}
            item.update(self._labels(seq_id))
            return self._finish(item, [seq_id])
        indices = [int(i) for i in index]
        shape = (len(indices), self.max_length, 2, self.dim)
        # in a DataLoader worker, fill shared memory directly: sending the batch then copies nothing
        batch_motion = torch.empty(shape, dtype=torch.float32)
        if get_worker_info() is not None:
            batch_motion.share_memory_()
        motion = batch_motion.numpy()
        ids, starts, sizes = [], [], []
        for row, i in enumerate(indices):
            seq_id, start, size, _ = self._window(i, motion[row])
            ids.append(seq_id)
            starts.append(start)
            sizes.append(size)
        lengths = torch.tensor(sizes, dtype=torch.int64)
        batch = {"id": ids, "motion": batch_motion,
                 "mask": torch.arange(self.max_length)[None, :] < lengths[:, None], "length": lengths,
                 "start": torch.tensor(starts, dtype=torch.int64)}
        labels = [self._labels(seq_id) for seq_id in ids]
        if labels and labels[0]:
            batch.update(default_collate(labels))
        return self._finish(batch, ids)

    def _window(self, index: int, out: np.ndarray | None) -> tuple[str, int, int, np.ndarray]:
        """Crop, normalize and pad one clip into `out` (max_length, 2, dim), allocated if None; its id, start,
        size and `out`."""
        seq_id = self.ids[index]
        length = int(self.lengths[index])
        size = min(length, self.max_length)
        start = 0
        if self.random_crop:
            start = int(torch.randint(0, (length - size) // self.crop_step + 1, ())) * self.crop_step
        window = self._read(index, start, size)
        if out is None:
            out = np.empty((self.max_length, 2, self.dim), dtype=np.float32)
        if self.mean is None:
            out[:size] = window
        else:  # normalize straight into the padded buffer
            np.subtract(window, self.mean, out=out[:size])
            out[:size] *= self._inv_std
        out[size:] = 0
        return seq_id, start, size, out

    def _labels(self, seq_id: str) -> dict:
        """Per-task labels of one id (none here)."""
        return {}

    def _finish(self, item: dict, ids: list[str]) -> dict:
        """Per-task fields computed from the motion (none here)."""
        return item

    def batch_loader(self, batch_size: int = 64, shuffle: bool = True, drop_last: bool = False, **kwargs) -> DataLoader:
        """A DataLoader that fetches whole batches at once (the fast path); kwargs go to DataLoader."""
        base = RandomSampler(self) if shuffle else SequentialSampler(self)
        return DataLoader(self, sampler=BatchSampler(base, batch_size, drop_last), batch_size=None, **kwargs)

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

    def _labels(self, seq_id: str) -> dict:
        options = self.texts[seq_id]
        text, tokens = options[int(torch.randint(0, len(options), ()))]
        return {"text": text, "tokens": tokens}


class ActionMotionDataset(FeatureDataset):
    """Adds `action` (0-39, from the id)."""

    def _labels(self, seq_id: str) -> dict:
        return {"action": SequenceId.parse(seq_id).action}


class ReactionDataset(ActionMotionDataset):
    """Splits the pair: `actor` and `reactor` `(max_length, 262)` windows, `actor_index` (its column in
    `motion`), plus `action`.

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

    def _finish(self, item: dict, ids: list[str]) -> dict:
        motion = item["motion"]
        if self.info.get("person_order") == "reactor,actor":
            actors = [1] * len(ids)
        else:
            actors = [self._order()[seq_id] for seq_id in ids]
        if motion.ndim == 3:  # one sample
            item["actor"], item["reactor"] = motion[:, actors[0]], motion[:, 1 - actors[0]]
            item["actor_index"] = actors[0]
        else:
            actor = torch.tensor(actors)
            rows = torch.arange(len(ids))
            item["actor"] = motion[rows, :, actor]
            item["reactor"] = motion[rows, :, 1 - actor]
            item["actor_index"] = actor
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

    def _labels(self, seq_id: str) -> dict:
        familiarity, big_five = self.labels[seq_id]
        return {**super()._labels(seq_id), "familiarity": familiarity, "big_five": torch.from_numpy(big_five)}
