"""Task datasets over a prepared folder: shapes, masks, crops, labels, lazy reading."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from interx.data.annotations import read_interaction_order
from interx.models.layout import LAYOUTS, get_layout
from interx.prepare.stats import read_stats
from interx.train.datasets import (
    ActionMotionDataset,
    FeatureDataset,
    ReactionDataset,
    StyleMotionDataset,
    TextMotionDataset,
)


def raw_features(root, seq_id):
    with h5py.File(root / "features" / "train.h5", "r") as h5:
        return h5[seq_id][()]


def test_windows_are_cropped_padded_masked_and_normalized(prepared6):
    lengths = {}
    with h5py.File(prepared6 / "features" / "train.h5", "r") as h5:
        lengths = {k: h5[k].shape[0] for k in h5}
    short = min(lengths.values())
    data = FeatureDataset(prepared6, "train", min_length=10, max_length=short + 20, random_crop=False)
    assert len(data) == 4
    mean, std = read_stats(prepared6 / "features")
    for item in data:
        size = min(lengths[item["id"]], short + 20)
        assert item["motion"].shape == (short + 20, 2, 262) and item["mask"].dtype == torch.bool
        assert item["length"] == size and int(item["mask"].sum()) == size and bool(item["mask"][:size].all())
        assert torch.all(item["motion"][size:] == 0)
        expected = (raw_features(prepared6, item["id"])[:size] - mean) / std
        np.testing.assert_allclose(item["motion"][:size].numpy(), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("step", [1, 4])
def test_random_crops_are_windows_of_the_clip_starting_where_they_say(prepared6, step):
    data = FeatureDataset(prepared6, "train", min_length=10, max_length=16, normalize=False, crop_step=step)
    full = raw_features(prepared6, data.ids[0])
    starts = set()
    for _ in range(20):
        item = data[0]
        assert np.array_equal(full[item["start"]:item["start"] + 16], item["motion"].numpy())
        starts.add(item["start"])
    assert len(starts) > 1 and all(start % step == 0 for start in starts)
    batch = data[[0, 0]]
    for row in range(2):
        start = int(batch["start"][row])
        assert start % step == 0 and np.array_equal(full[start:start + 16], batch["motion"][row].numpy())


def test_min_length_leaves_short_clips_out(prepared6):
    with h5py.File(prepared6 / "features" / "train.h5", "r") as h5:
        longest = max(h5[k].shape[0] for k in h5)
    assert len(FeatureDataset(prepared6, "train", min_length=longest, max_length=longest)) >= 1
    assert len(FeatureDataset(prepared6, "train", min_length=longest + 1, max_length=longest + 1)) == 0
    with pytest.raises(ValueError, match="min_length"):
        FeatureDataset(prepared6, "train", min_length=50, max_length=20)


def test_task_labels(prepared6):
    text = TextMotionDataset(prepared6, "train", max_length=64)[0]
    lines = (prepared6 / "texts_processed" / f"{text['id']}.txt").read_text().splitlines()
    assert f"{text['text']}#{text['tokens']}#0.0#0.0" in lines
    action = ActionMotionDataset(prepared6, "train", max_length=64)[0]
    assert action["action"] == int(action["id"][9:12])
    order = read_interaction_order(prepared6 / "annots" / "interaction_order.pkl")
    reaction = ReactionDataset(prepared6, "train", max_length=64)
    for item in reaction:
        actor = order[item["id"]]
        assert torch.equal(item["actor"], item["motion"][:, actor])
        assert torch.equal(item["reactor"], item["motion"][:, 1 - actor])
    style = StyleMotionDataset(prepared6, "train", max_length=64)[0]
    assert style["familiarity"] in (1, 2, 3, 4) and style["big_five"].shape == (2, 5)


def test_loader_batches_with_worker_processes(prepared6):
    loader = DataLoader(TextMotionDataset(prepared6, "train", max_length=32), batch_size=2, num_workers=2)
    batches = list(loader)
    assert len(batches) == 2
    assert batches[0]["motion"].shape == (2, 32, 2, 262) and batches[0]["mask"].shape == (2, 32)
    assert len(batches[0]["text"]) == 2


@pytest.mark.parametrize("cls", [TextMotionDataset, ActionMotionDataset, ReactionDataset, StyleMotionDataset])
def test_batch_fetch_equals_the_samples(prepared6, cls):
    data = cls(prepared6, "train", max_length=40, random_crop=False)
    batch = data[[2, 0, 3]]
    for row, index in enumerate([2, 0, 3]):
        item = data[index]
        assert batch["id"][row] == item["id"] and int(batch["length"][row]) == item["length"]
        for key, value in item.items():
            if isinstance(value, torch.Tensor):
                assert torch.equal(batch[key][row], value), key
            elif key not in ("text", "tokens"):  # a random caption per draw
                assert batch[key][row] == value, key
    loaded = list(data.batch_loader(batch_size=3, shuffle=False))
    assert [b["motion"].shape for b in loaded] == [(3, 40, 2, 262), (1, 40, 2, 262)]


def test_the_data_layer_does_not_import_the_preparation_or_training_code():
    import subprocess
    import sys

    code = ("import sys, interx.data; "
            "print([m for m in sys.modules if m.startswith(('interx.prepare', 'interx.train', 'interx.models'))])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_windows_are_windows_of_the_encoded_motion(prepared6, name):
    layout = get_layout(name)
    data = ActionMotionDataset(prepared6, "train", min_length=10, max_length=32, normalize=False, layout=name)
    item = data[0]
    assert item["motion"].shape == (32, 2, layout.dim) and item["length"] == 32 and "action" in item
    full = layout.encode(data.read_motion(item["id"]))[0]
    window = item["motion"].numpy()
    assert any(np.array_equal(full[s:s + 32], window) for s in range(len(full) - 31))
    with pytest.raises(ValueError, match="served raw"):
        FeatureDataset(prepared6, "train", layout=name)


def test_layout_vectors_are_kept_up_to_the_cache_limit(prepared6):
    layout = get_layout("joints")
    data = ActionMotionDataset(prepared6, "train", min_length=10, max_length=32, normalize=False, layout="joints",
                               random_crop=False)
    for _ in range(2):  # encoded on the first pass, served from memory on the second: the same windows
        for i, seq_id in enumerate(data.ids):
            expected = layout.encode(data.read_motion(seq_id))[0][:32]
            assert np.array_equal(data[i]["motion"].numpy(), expected)
        assert sorted(data._vectors) == sorted(data.ids)
    small = ActionMotionDataset(prepared6, "train", min_length=10, max_length=32, normalize=False, layout="joints",
                                cache_bytes=data._vectors[data.ids[0]].nbytes)
    for i in range(len(small)):
        small[i]
    assert len(small._vectors) == 1  # the limit holds
