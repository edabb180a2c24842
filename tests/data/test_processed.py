import pickle

import h5py
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interx.data.processed import (
    GloveVocab,
    H5Motions,
    H5MotionWriter,
    ProcessedRelease,
    ProcessedText,
    format_processed_line,
    parse_processed_texts,
    read_glove,
    read_processed_texts,
    write_glove,
    write_h5_motions,
    write_processed_release,
    write_processed_texts,
)
from interx.errors import FormatError, UnsafePickleError

IDS = ["G001T000A000R000", "G001T000A000R001", "G002T003A039R010"]


def _motions(seed=0):
    rng = np.random.default_rng(seed)
    return {seq_id: rng.normal(size=(5 + 3 * i, 56, 6)).astype(np.float32) for i, seq_id in enumerate(IDS)}


def test_h5_round_trip_is_exact_and_lazy(tmp_path):
    path = tmp_path / "motions" / "train.h5"
    motions = _motions()
    assert write_h5_motions(path, motions) == 3
    with h5py.File(path) as h5:
        assert sorted(h5.keys()) == IDS
        assert all(h5[k].dtype == np.float32 and h5[k].shape == motions[k].shape for k in IDS)
    with H5Motions(path) as h5:
        assert h5.ids() == IDS and len(h5) == 3 and IDS[1] in h5
        assert h5.num_frames(IDS[2]) == 11
        for seq_id, arr in motions.items():
            got = h5.read(seq_id)
            assert got.dtype == np.float32 and np.array_equal(got, arr)
        with pytest.raises(FormatError, match=r"\[G059T000A000R000\].*dataset for this id"):
            h5.read("G059T000A000R000")


def test_h5_append_and_atomic_abort(tmp_path):
    path = tmp_path / "val.h5"
    motions = _motions()
    write_h5_motions(path, {IDS[0]: motions[IDS[0]]})
    write_h5_motions(path, [(IDS[1], motions[IDS[1]])], append=True)
    with H5Motions(path) as h5:
        assert h5.ids() == IDS[:2]
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with H5MotionWriter(path, append=True) as writer:
            writer.add(IDS[2], motions[IDS[2]])
            raise RuntimeError("stop")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["val.h5"]
    with pytest.raises(ValueError, match="already"):
        write_h5_motions(path, {IDS[0]: motions[IDS[0]]}, append=True)
    with H5Motions(path) as h5:
        assert h5.ids() == IDS[:2]


def test_h5_writer_refuses_bad_data(tmp_path):
    path = tmp_path / "test.h5"
    with pytest.raises(FormatError, match=r"\[G001T000A000R000\].*shape"):
        write_h5_motions(path, {IDS[0]: np.zeros((4, 55, 6))})
    with pytest.raises(FormatError, match="floating"):
        write_h5_motions(path, {IDS[0]: np.zeros((4, 56, 6), np.int32)})
    with pytest.raises(ValueError, match="sequence id"):
        write_h5_motions(path, {"bad": np.zeros((4, 56, 6))})
    assert not path.exists()


def _h5_with(tmp_path, data, name="G001T000A000R000"):
    path = tmp_path / "train.h5"
    with h5py.File(path, "w") as h5:
        h5.create_dataset(name, data=data)
    return path


@pytest.mark.parametrize("data,expect", [
    (np.zeros((4, 56, 6), np.float64), "float32"),
    (np.zeros((4, 56, 6), np.int32), "float32"),
    (np.zeros((4, 56, 3), np.float32), "shape"),
    (np.zeros((4, 336), np.float32), "shape"),
    (np.zeros((0, 56, 6), np.float32), "T >= 1"),
])
def test_h5_bad_dataset(tmp_path, data, expect):
    path = _h5_with(tmp_path, data)
    with H5Motions(path) as h5, pytest.raises(FormatError) as info:
        h5.read("G001T000A000R000")
    message = str(info.value)
    assert str(path) in message and "[G001T000A000R000]" in message and expect in message


@pytest.mark.parametrize("value,word", [(np.nan, "NaN"), (np.inf, "Inf")])
def test_h5_non_finite(tmp_path, value, word):
    data = np.zeros((4, 56, 6), np.float32)
    data[2, 10, 3] = value
    with H5Motions(_h5_with(tmp_path, data)) as h5, pytest.raises(FormatError, match=word):
        h5.read("G001T000A000R000")


def test_truncated_and_missing_h5(tmp_path):
    path = tmp_path / "train.h5"
    write_h5_motions(path, _motions())
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(FormatError) as info:
        H5Motions(path).ids()
    assert str(path) in str(info.value) and "HDF5" in str(info.value)
    with pytest.raises(FormatError, match="no such file"):
        H5Motions(tmp_path / "none.h5").ids()


def test_processed_texts_round_trip(tmp_path):
    texts = [
        ProcessedText("One person hugs the other.", ("one/NUM", "person/NOUN", "hug/VERB", "the/DET", "other/ADJ"),
                      0.0, 0.0),
        ProcessedText("A # in the caption", ("a/DET", "in/ADP", "the/DET", "caption/NOUN"), 1.5, 3.25),
    ]
    path = tmp_path / "G001T000A000R000.txt"
    write_processed_texts(path, texts)
    assert path.read_text().splitlines()[0] == ("One person hugs the other."
                                                "#one/NUM person/NOUN hug/VERB the/DET other/ADJ#0.0#0.0")
    assert read_processed_texts(path) == texts
    assert texts[0].words == ["one", "person", "hug", "the", "other"] and texts[0].tags[2] == "VERB"


tokens = st.lists(st.tuples(st.text("abcxyz/", min_size=1, max_size=6).filter(lambda w: not w.endswith("/")),
                            st.sampled_from(["NOUN", "VERB", "ADP", "DET", "OTHER"])).map(lambda p: f"{p[0]}/{p[1]}"),
                  max_size=8)


@given(caption=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
       .filter(lambda c: c.strip() == c and c),
       tokens=tokens, start=st.floats(0, 100), end=st.floats(0, 100))
def test_processed_line_round_trip(caption, tokens, start, end):
    text = ProcessedText(caption, tuple(tokens), start, end)
    line = format_processed_line(text)
    assert parse_processed_texts(line.encode(), "x.txt") == [text]


@pytest.mark.parametrize("content,field", [
    ("", "lines"),
    ("caption only\n", "line 1"),
    ("ok#a/DET#0.0#0.0\nbad#a/DET b#0.0#0.0\n", "line 2"),
    ("x#a/DET#zero#0.0\n", "line 1"),
    ("x#a/DET#nan#0.0\n", "line 1"),
    ("#a/DET#0.0#0.0\n", "line 1"),
])
def test_processed_text_errors(tmp_path, content, field):
    path = tmp_path / "G001T000A000R000.txt"
    path.write_text(content)
    with pytest.raises(FormatError) as info:
        read_processed_texts(path)
    assert str(path) in str(info.value) and f"[{field}]" in str(info.value)


def _vocab():
    words = ["unk", "sos", "eos", "person", "hug"]
    return GloveVocab.from_words(words, np.arange(5 * 4, dtype=np.float32).reshape(5, 4))


def test_glove_round_trip(tmp_path):
    vocab = _vocab()
    write_glove(tmp_path, vocab)
    assert {p.name for p in tmp_path.iterdir()} == {"hhi_vab_data.npy", "hhi_vab_idx.pkl", "hhi_vab_words.pkl"}
    with open(tmp_path / "hhi_vab_words.pkl", "rb") as handle:
        assert pickle.load(handle) == vocab.words
    again = read_glove(tmp_path)
    assert again.words == vocab.words and again.index == vocab.index
    assert np.array_equal(again.vectors, vocab.vectors) and again.vectors.dtype == np.float32
    assert np.array_equal(again.vector("hug"), vocab.vectors[4]) and again.vector("zzz") is None


def test_glove_words_as_dict(tmp_path):
    vocab = _vocab()
    write_glove(tmp_path, vocab)
    (tmp_path / "hhi_vab_words.pkl").write_bytes(pickle.dumps(dict(enumerate(vocab.words))))
    assert read_glove(tmp_path).words == vocab.words


@pytest.mark.parametrize("damage,file,text", [
    (lambda d: (d / "hhi_vab_idx.pkl").write_bytes(pickle.dumps({"hug": 3})), "hhi_vab_idx.pkl", "row 3"),
    (lambda d: (d / "hhi_vab_idx.pkl").write_bytes(pickle.dumps({"hug": 9})), "hhi_vab_idx.pkl", "0..4"),
    (lambda d: (d / "hhi_vab_idx.pkl").write_bytes(pickle.dumps(["hug"])), "hhi_vab_idx.pkl", "dict"),
    (lambda d: (d / "hhi_vab_words.pkl").write_bytes(pickle.dumps(["a", "b"])), "hhi_vab_words.pkl", "5 words"),
    (lambda d: (d / "hhi_vab_words.pkl").write_bytes(pickle.dumps({1: "a"})), "hhi_vab_words.pkl", "rows 0..N-1"),
    (lambda d: np.save(d / "hhi_vab_data.npy", np.zeros((5, 4), np.int64)), "hhi_vab_data.npy", "floating"),
    (lambda d: np.save(d / "hhi_vab_data.npy", np.full((5, 4), np.nan)), "hhi_vab_data.npy", "NaN"),
    (lambda d: (d / "hhi_vab_data.npy").unlink(), "hhi_vab_data.npy", "no such file"),
])
def test_glove_errors(tmp_path, damage, file, text):
    write_glove(tmp_path, _vocab())
    damage(tmp_path)
    with pytest.raises(FormatError) as info:
        read_glove(tmp_path)
    assert file in str(info.value) and text in str(info.value)


def test_glove_malicious_pickle(tmp_path):
    write_glove(tmp_path, _vocab())
    (tmp_path / "hhi_vab_words.pkl").write_bytes(b"\x80\x02cos\nsystem\nq\x00"
                                                 b"X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    with pytest.raises(UnsafePickleError, match="hhi_vab_words.pkl"):
        read_glove(tmp_path)


def test_processed_release(tmp_path):
    motions = _motions()
    texts = {i: [ProcessedText(f"text {i}", ("text/NOUN",), 0.0, 0.0)] for i in IDS}
    write_processed_release(tmp_path, {"train": {i: motions[i] for i in IDS[:2]}, "test": {IDS[2]: motions[IDS[2]]}},
                            texts, _vocab())
    with ProcessedRelease(tmp_path) as release:
        assert release.splits() == ["train", "test"]
        assert release.ids("train") == IDS[:2] and release.ids("val") == [] and release.ids() == IDS
        assert release.split_of(IDS[2]) == "test"
        assert np.array_equal(release.motion(IDS[2]), motions[IDS[2]])
        assert release.texts(IDS[0]) == texts[IDS[0]]
        assert release.glove().words == _vocab().words
        with pytest.raises(FormatError):
            release.motion("G059T000A000R000")
    with pytest.raises(FormatError, match="processed"):
        ProcessedRelease(tmp_path / "texts_processed")


def test_h5_reader_pickles_for_worker_processes(tmp_path):
    path = tmp_path / "train.h5"
    motions = _motions()
    write_h5_motions(path, motions)
    with H5Motions(path) as h5:
        assert h5.ids() == IDS
        clone = pickle.loads(pickle.dumps(h5))
        assert np.array_equal(clone.read(IDS[0]), motions[IDS[0]])
        clone.close()
