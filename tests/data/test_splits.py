"""The packaged official lists: counts, disjoint splits, and equal to the shared copies."""

import os
from importlib import resources
from pathlib import Path

import pytest

from interx.data.annotations import official_action_names
from interx.data.splits import SPLITS, official_ids, official_split_of

SHARED_LISTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "interx"
LIST_FILES = ("action_setting.txt", "all.txt", "train.txt", "val.txt", "test.txt")


def test_packaged_lists_equal_the_shared_copies():
    if not SHARED_LISTS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared official lists are missing at {SHARED_LISTS}")
        pytest.skip(f"no shared copy of the official lists at {SHARED_LISTS}")
    for name in LIST_FILES:
        packaged = resources.files("interx.resources").joinpath(name).read_bytes()
        assert packaged == (SHARED_LISTS / name).read_bytes(), f"{name} differs from {SHARED_LISTS / name}"


def test_official_counts_and_splits_are_disjoint():
    counts = {s: len(official_ids(s)) for s in SPLITS}
    assert counts == {"train": 9110, "val": 570, "test": 1708}
    all_ids = official_ids("all")
    assert len(set(all_ids)) == len(all_ids) == sum(counts.values())
    split_of = official_split_of()
    assert set(split_of) == set(all_ids)


def test_action_names():
    names = official_action_names()
    assert len(names) == 40 and names[0] == "Hug" and names[39] == "Fly kiss"


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split"):
        official_ids("dev")
