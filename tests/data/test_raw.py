import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from interx.data.arrays import npz_bytes
from interx.data.motion import motion_npz_bytes
from interx.data.raw import Interaction, RawRelease, parse_texts, write_raw_release
from interx.data.splits import SPLITS, official_split_of
from interx.errors import FormatError

MOTION_KEYS = ("root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans", "betas")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _same_interaction(a: Interaction, b: Interaction) -> None:
    assert a.id == b.id and a.texts == b.texts and a.action == b.action and a.action_name == b.action_name
    assert a.actor == b.actor and a.familiarity == b.familiarity
    assert np.array_equal(a.big_five, b.big_five)
    for pa, pb in zip(a.persons, b.persons):
        for key in MOTION_KEYS:
            x, y = getattr(pa, key), getattr(pb, key)
            assert x.dtype == y.dtype and np.array_equal(x, y), key
        assert pa.gender == pb.gender
    if a.skeletons is not None:
        for x, y in zip(a.skeletons, b.skeletons):
            assert x.dtype == y.dtype and np.array_equal(x, y)


def test_example_release_layout(example_root):
    names = {p.name for p in example_root.iterdir()}
    assert {"annots", "splits", "motions", "skeletons", "texts", "README.txt"} <= names
    assert {p.name for p in (example_root / "annots").iterdir()} == {
        "action_setting.txt", "big_five.npy", "familiarity.txt", "interaction_order.pkl"}
    assert "not real" in (example_root / "README.txt").read_text().lower()


def test_ids_follow_official_splits(example_root):
    with RawRelease(example_root) as release:
        all_ids = release.ids()
        assert len(all_ids) == 40 and release.ids("all") == all_ids
        split_of = official_split_of()
        seen = []
        for split in SPLITS:
            ids = release.ids(split)
            assert ids, f"example has no {split} ids"
            assert all(split_of[i] == split for i in ids)
            seen += ids
        assert sorted(seen) == sorted(all_ids)
        assert sorted(int(i[9:12]) for i in all_ids) == list(range(40))


def test_ids_fall_back_to_packaged_lists(small_release):
    with RawRelease(small_release) as release:
        expected = {s: release.ids(s) for s in ("all",) + SPLITS}
    shutil.rmtree(small_release / "splits")
    with RawRelease(small_release) as release:
        assert release.split_list("train") is None
        assert {s: release.ids(s) for s in ("all",) + SPLITS} == expected


def test_load_gives_everything(example_root):
    with RawRelease(example_root) as release:
        seq_id = release.ids()[3]
        item = release.load(seq_id, skeletons=True)
        assert item.id == seq_id and item.action == int(seq_id[9:12])
        assert item.action_name == release.action_names[item.action]
        assert len(item.texts) == 3 and all(item.action_name.lower() in t.lower() for t in item.texts)
        assert item.actor == release.interaction_order[seq_id]
        assert item.familiarity in (1, 2, 3, 4)
        assert item.big_five.shape == (2, 5)
        t = item.num_frames
        assert 240 <= t <= 720 and item.p2.num_frames == t
        assert [s.shape for s in item.skeletons] == [(t, 64, 3), (t, 64, 3)]
        assert item.p1.pose_body.shape == (t, 21, 3) and item.p1.betas.shape == (10,)
        assert release.load(seq_id).skeletons is None
        assert release.num_frames(seq_id) == t


def test_example_bodies_are_plausible(example_interactions):
    item = example_interactions[0]
    p1, p2 = item.persons
    assert abs(float(p1.trans[:, 1].mean()) - 1.28) < 0.05
    distance = np.linalg.norm(p1.trans[:, [0, 2]] - p2.trans[:, [0, 2]], axis=1)
    assert np.all((distance > 0.8) & (distance < 1.2))
    # facing each other: yaw +pi/2 (towards +x) for P1 on the left, -pi/2 for P2
    assert np.allclose(p1.root_orient[:, 1], np.pi / 2, atol=0.1)
    assert np.allclose(p2.root_orient[:, 1], -np.pi / 2, atol=0.1)
    assert np.abs(np.diff(p1.pose_body, axis=0)).max() < 0.05  # smooth
    skel = item.skeletons[0]
    assert np.linalg.norm(skel[:, :63].mean(axis=(0, 1))[[0, 2]] - p1.trans[:, [0, 2]].mean(axis=0)) < 0.3


def test_folder_and_zip_load_identically(example_root, example_zip_root):
    with RawRelease(example_root) as folder, RawRelease(example_zip_root) as zipped:
        assert folder.ids() == zipped.ids()
        for seq_id in folder.ids()[:5]:
            _same_interaction(folder.load(seq_id, skeletons=True), zipped.load(seq_id, skeletons=True))


def test_zip_release_is_read_in_place(example_zip_root):
    assert not (example_zip_root / "motions").exists()
    with zipfile.ZipFile(example_zip_root / "motions.zip") as archive:
        assert all(n.startswith("motions/") for n in archive.namelist())


@pytest.mark.parametrize("as_zip", [False, True])
def test_raw_round_trip_is_bit_exact(tmp_path, example_root, example_zip_root, example_interactions, as_zip):
    with RawRelease(example_root) as source:
        out = tmp_path / "out"
        written = write_raw_release(out, example_interactions, action_names=source.action_names,
                                    order=source.interaction_order, familiarity=source.familiarity,
                                    big_five=source.big_five, as_zip=as_zip)
    assert written == [i.id for i in example_interactions]
    original = example_zip_root if as_zip else example_root
    assert _files(out) == {k: v for k, v in _files(original).items() if k != "README.txt"}
    with RawRelease(out) as again:
        for item in example_interactions:
            _same_interaction(item, again.load(item.id, skeletons=True))


def test_zip_without_top_folder(tmp_path, example_zip_root):
    root = tmp_path / "flat"
    shutil.copytree(example_zip_root, root)
    for part in ("motions", "skeletons", "texts"):
        members = _zip_members(example_zip_root / f"{part}.zip")
        with zipfile.ZipFile(root / f"{part}.zip", "w") as archive:
            for name, data in members.items():
                archive.writestr(name.split("/", 1)[1], data)
    with RawRelease(root) as flat, RawRelease(example_zip_root) as normal:
        assert flat.ids() == normal.ids()
        seq_id = flat.ids()[0]
        _same_interaction(flat.load(seq_id, skeletons=True), normal.load(seq_id, skeletons=True))


def test_load_is_lazy(small_release):
    with RawRelease(small_release) as release:
        first, second = release.ids()[:2]
    (small_release / "motions" / second / "P1.npz").write_bytes(b"garbage")
    with RawRelease(small_release) as release:
        assert release.load(first).id == first
        with pytest.raises(FormatError, match=second):
            release.load(second)


def test_length_mismatch_between_persons(small_release, example_interactions):
    item = example_interactions[0]
    p2 = item.p2
    arrays = {k: getattr(p2, k)[:-10] for k in ("root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans")}
    short = type(p2)(**arrays, betas=p2.betas, gender=p2.gender)
    (small_release / "motions" / item.id / "P2.npz").write_bytes(motion_npz_bytes(short))
    with RawRelease(small_release) as release, pytest.raises(FormatError) as info:
        release.load(item.id)
    message = str(info.value)
    assert f"{item.id}/P2.npz" in message and f"{item.id}/P1.npz" in message and "[trans]" in message
    with pytest.raises(FormatError, match="same number of frames"):
        Interaction(item.id, (item.p1, short), item.texts, item.action, item.action_name)


def test_skeleton_length_and_shape_checked(small_release, example_interactions):
    item = example_interactions[1]
    np.save(small_release / "skeletons" / item.id / "P1.npy", item.skeletons[0][:-1])
    with RawRelease(small_release) as release:
        with pytest.raises(FormatError, match=r"P1\.npy \[shape\].*T = "):
            release.load(item.id, skeletons=True)
        assert release.load(item.id).id == item.id
    np.save(small_release / "skeletons" / item.id / "P1.npy", np.zeros((5, 63, 3), np.float32))
    with RawRelease(small_release) as release, pytest.raises(FormatError, match=r"\(T, 64, 3\)"):
        release.load(item.id, skeletons=True)


@pytest.mark.parametrize("content,found", [
    (b"", "empty file"),
    (b"\n\n  \n", "empty file"),
    (b"one\ntwo\n", "2 lines"),
    (b"one\ntwo\nthree\nfour\n", "4 lines"),
    (b"\xff\xfe\x00bad", "UTF-8"),
])
def test_bad_text_file(small_release, content, found):
    with RawRelease(small_release) as release:
        seq_id = release.ids()[0]
    path = small_release / "texts" / f"{seq_id}.txt"
    path.write_bytes(content)
    with RawRelease(small_release) as release, pytest.raises(FormatError) as info:
        release.load(seq_id)
    assert str(path) in str(info.value) and found in str(info.value)


def test_missing_text_file(small_release):
    with RawRelease(small_release) as release:
        seq_id = release.ids()[0]
    path = small_release / "texts" / f"{seq_id}.txt"
    path.unlink()
    with RawRelease(small_release) as release, pytest.raises(FormatError) as info:
        release.load(seq_id)
    assert str(path) in str(info.value) and "no such file" in str(info.value)


def test_texts_tolerate_crlf_bom_and_no_trailing_newline():
    assert parse_texts("\ufeffa b\r\nc d\r\ne f".encode(), "t.txt") == ["a b", "c d", "e f"]
    assert parse_texts(b"a\n\nb\nc\n\n", "t.txt") == ["a", "b", "c"]


@pytest.mark.parametrize("part", ["motions", "texts", "skeletons"])
def test_truncated_zip(tmp_path, example_zip_root, part):
    root = tmp_path / "zipped"
    shutil.copytree(example_zip_root, root)
    path = root / f"{part}.zip"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FormatError) as info:
        with RawRelease(root) as release:
            seq_id = release.ids()[0] if part != "motions" else "G001T000A000R000"
            release.load(seq_id, skeletons=True)
    assert str(path) in str(info.value) and "zip" in str(info.value)


def test_corrupt_zip_member(tmp_path, example_zip_root):
    root = tmp_path / "zipped"
    shutil.copytree(example_zip_root, root)
    members = _zip_members(example_zip_root / "texts.zip")
    with RawRelease(example_zip_root) as release:
        seq_id = release.ids()[0]
    name = f"texts/{seq_id}.txt"
    with zipfile.ZipFile(root / "texts.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    raw = bytearray((root / "texts.zip").read_bytes())
    with zipfile.ZipFile(root / "texts.zip") as archive:
        info = archive.getinfo(name)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start:start + 4] = b"\x00\x00\x00\x00"
    (root / "texts.zip").write_bytes(bytes(raw))
    with RawRelease(root) as release, pytest.raises(FormatError) as err:
        release.read_texts(seq_id)
    assert f"texts.zip:{name}" in str(err.value)


def test_malformed_id_and_missing_release(tmp_path, example_root):
    with RawRelease(example_root) as release, pytest.raises(FormatError, match="GgggTtttAaaaRrrr"):
        release.load("G001T000A000")
    with pytest.raises(FormatError, match="motions"):
        RawRelease(tmp_path)
    with pytest.raises(FormatError, match="no such folder"):
        RawRelease(tmp_path / "none")


def test_writer_refuses_bad_input(tmp_path, example_interactions):
    item = example_interactions[0]
    with pytest.raises(ValueError, match="twice"):
        write_raw_release(tmp_path / "a", [item, item])
    bad = Interaction(item.id, item.persons, ["one", "two", "three\nfour"], item.action, item.action_name)
    with pytest.raises(ValueError, match="single-line"):
        write_raw_release(tmp_path / "b", [bad], as_zip=True)
    assert not (tmp_path / "b" / "motions.zip").exists()


def test_writer_defaults(tmp_path, example_interactions):
    out = tmp_path / "d"
    write_raw_release(out, example_interactions[:3])
    with RawRelease(out) as release:
        assert release.ids() == [i.id for i in example_interactions[:3]]
        assert release.interaction_order == {i.id: i.actor for i in example_interactions[:3]}
        assert release.familiarity is None and release.big_five is None
        item = release.load(example_interactions[0].id)
        assert item.familiarity is None and item.big_five is None


def test_npz_writer_is_deterministic():
    arrays = {"a": np.arange(3.0), "b": np.array("x")}
    assert npz_bytes(arrays) == npz_bytes(dict(arrays))


def test_release_pickles_for_worker_processes(example_zip_root):
    import pickle

    with RawRelease(example_zip_root) as release:
        seq_id = release.ids()[0]
        first = release.load(seq_id)
        clone = pickle.loads(pickle.dumps(release))
        again = clone.load(seq_id)
        assert np.array_equal(first.p1.trans, again.p1.trans)
        assert release.split_of(seq_id) == official_split_of()[seq_id]
        assert first.sequence_id.action == first.action
        clone.close()
