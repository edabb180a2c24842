import shutil

import h5py
import numpy as np
import pytest

from interx.data.check import check_dataset, detect_layout
from interx.data.info import dataset_info
from interx.data.processed import ProcessedText, write_processed_release
from interx.data.raw import RawRelease
from interx.data.splits import official_ids
from interx.errors import FormatError


def assert_found(report, expected):
    for kind, seq_id, file, text in expected:
        matches = [p for p in report.problems
                   if p.kind == kind and p.id == seq_id and p.file.endswith(file) and text in p.message]
        assert matches, f"missing {kind} problem for {seq_id} {file} {text!r}; got {report.problems}"


def test_good_raw_release(example_root, example_zip_root):
    for root in (example_root, example_zip_root):
        calls = []
        report = check_dataset(root, progress=lambda done, total: calls.append((done, total)))
        assert report.ok, report.problems
        assert report.sequences == 40 and report.layout.startswith("raw")
        assert calls[-1] == (40, 40) and len(calls) == 40


def test_every_planted_problem_is_reported(plant_raw_problems, small_release):
    expected = plant_raw_problems(small_release)
    report = check_dataset(small_release)
    assert not report.ok
    assert_found(report, expected)
    assert set(report.by_kind()) == {"annotation", "split", "id", "missing", "motion", "length", "skeleton", "text"}
    with RawRelease(small_release) as release:
        assert report.bad_ids() == set(release.ids()) | {"G059T005A039R029"}


def test_truncated_zip_is_reported_and_check_goes_on(tmp_path, example_zip_root):
    root = tmp_path / "z"
    shutil.copytree(example_zip_root, root)
    path = root / "texts.zip"
    path.write_bytes(path.read_bytes()[:100])
    report = check_dataset(root)
    archive = report.by_kind()["archive"]
    assert len(archive) == 1 and archive[0].file == str(path) and "zip" in archive[0].message
    assert report.sequences == 40 and set(report.by_kind()) == {"archive"}


def test_split_list_problems(small_release):
    splits = small_release / "splits"
    train = (splits / "train.txt").read_text().split()
    test = (splits / "test.txt").read_text().split()
    (splits / "test.txt").write_text("\n".join(test + train[:1]))
    (splits / "val.txt").write_text("G001T000A000R000\nG001T000A0\n")
    report = check_dataset(small_release)
    split = report.by_kind()["split"]
    assert any("both train.txt and test.txt" in p.message for p in split)
    assert any(p.file.endswith("val.txt") and "line 2" in p.message for p in split)


def test_missing_annotation_entries(small_release):
    with RawRelease(small_release) as release:
        order = dict(release.interaction_order)
        first = release.ids()[0]
    del order[first]
    from interx.data.annotations import write_interaction_order

    write_interaction_order(small_release / "annots" / "interaction_order.pkl", order)
    report = check_dataset(small_release)
    assert [(p.kind, p.id) for p in report.problems] == [("annotation", first)]


def test_not_a_dataset(tmp_path):
    with pytest.raises(FormatError, match="neither"):
        detect_layout(tmp_path)
    with pytest.raises(FormatError, match="no such folder"):
        check_dataset(tmp_path / "nothing")


def _processed(root):
    ids = {s: official_ids(s)[:3] for s in ("train", "val", "test")}
    rng = np.random.default_rng(1)
    motions = {s: {i: rng.normal(size=(8 + k, 56, 6)).astype(np.float32) for k, i in enumerate(v)}
               for s, v in ids.items()}
    texts = {i: [ProcessedText(f"Person {n} waves.", ("person/NOUN", "wave/VERB"), 0.0, 0.0) for n in range(3)]
             for v in ids.values() for i in v}
    write_processed_release(root, motions, texts)
    return ids


def test_good_processed_release(tmp_path):
    _processed(tmp_path)
    assert detect_layout(tmp_path) == "processed"
    report = check_dataset(tmp_path)
    assert report.ok, report.problems
    assert report.sequences == 9
    info = dataset_info(tmp_path)
    assert info.fps == 30 and info.split_counts == {"train": 3, "val": 3, "test": 3}
    assert info.total_frames == 3 * (8 + 9 + 10) and info.texts_per_sequence.mean == 3


def test_processed_problems(tmp_path):
    ids = _processed(tmp_path)
    train = tmp_path / "motions" / "train.h5"
    with h5py.File(train, "a") as h5:
        h5[ids["train"][0]][1, 2, 3] = np.nan
        del h5[ids["train"][1]]
        h5.create_dataset(ids["train"][1], data=np.zeros((4, 55, 6), np.float32))
        h5.create_dataset("bad_name", data=np.zeros((4, 56, 6), np.float32))
        h5.create_dataset(ids["test"][1], data=np.zeros((4, 56, 6), np.float32))
        h5.create_dataset(official_ids("train")[5], data=np.zeros((4, 56, 6), np.float64))
    (tmp_path / "texts_processed" / f"{ids['train'][2]}.txt").write_text("no separators\n")
    (tmp_path / "texts_processed" / f"{ids['test'][0]}.txt").unlink()
    val = tmp_path / "motions" / "val.h5"
    val.write_bytes(val.read_bytes()[:2000])
    report = check_dataset(tmp_path)
    assert_found(report, [
        ("motion", ids["train"][0], "train.h5", "NaN"),
        ("motion", ids["train"][1], "train.h5", "shape"),
        ("id", None, "train.h5", "bad_name"),
        ("split", ids["test"][1], "test.h5", "also in train.h5"),
        ("split", ids["test"][1], "train.h5", "officially in test"),
        ("motion", official_ids("train")[5], "train.h5", "float32"),
        ("text", ids["train"][2], f"{ids['train'][2]}.txt", "line 1"),
        ("missing", official_ids("train")[5], f"{official_ids('train')[5]}.txt", "no texts_processed"),
        ("missing", ids["test"][0], f"{ids['test'][0]}.txt", "no texts_processed"),
        ("archive", None, "val.h5", "HDF5"),
    ])
