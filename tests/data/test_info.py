import numpy as np
import pytest

import interx.data.raw as raw_module
from interx.data.info import HISTOGRAM_EDGES_S, dataset_info
from interx.data.raw import RawRelease


def test_raw_info_counts(example_root, example_interactions):
    info = dataset_info(example_root)
    lengths = [i.num_frames for i in example_interactions]
    assert info.layout == "raw" and info.fps == 120 and info.sequences == 40
    assert info.action_counts == {a: 1 for a in range(40)}
    assert info.action_names[0] == "Hug"
    with RawRelease(example_root) as release:
        assert info.split_counts == {s: len(release.ids(s)) for s in ("train", "val", "test")}
    assert info.total_frames == sum(lengths)
    assert info.hours == pytest.approx(sum(lengths) / 120 / 3600)
    assert (info.lengths.min, info.lengths.max) == (min(lengths), max(lengths))
    assert info.lengths.median == pytest.approx(np.median(lengths))
    assert sum(c for _, _, c in info.histogram) == 40 and len(info.histogram) == len(HISTOGRAM_EDGES_S) - 1
    assert info.num_texts == 120 and info.texts_per_sequence.min == info.texts_per_sequence.max == 3
    words = [len(t.split()) for i in example_interactions for t in i.texts]
    assert (info.words_per_text.min, info.words_per_text.max) == (min(words), max(words))
    assert info.vocabulary_size > 20
    assert info.unreadable == 0


def test_info_reads_headers_not_arrays(example_zip_root, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("info must not load motion arrays")

    monkeypatch.setattr(raw_module, "read_motion_npz", refuse)
    info = dataset_info(example_zip_root)
    assert info.sequences == 40 and info.total_frames > 0


def test_info_counts_unreadable_sequences(small_release):
    with RawRelease(small_release) as release:
        seq_id = release.ids()[0]
    (small_release / "motions" / seq_id / "P1.npz").write_bytes(b"broken")
    info = dataset_info(small_release)
    assert info.unreadable == 1 and info.sequences == 5
