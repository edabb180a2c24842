from interx.data.check import check_dataset
from interx.data.example import write_example_release
from interx.data.raw import RawRelease
from interx.data.splits import official_split_of


def _files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_example_is_deterministic_and_seeded(tmp_path, example_root):
    again = write_example_release(tmp_path / "again", per_action=1, seed=0)
    assert _files(again) == _files(example_root)
    other = write_example_release(tmp_path / "other", per_action=1, seed=1)
    with RawRelease(other) as a, RawRelease(example_root) as b:
        assert a.ids() != b.ids()


def test_example_two_per_action_keeps_official_splits(tmp_path):
    root = write_example_release(tmp_path / "two", per_action=2, seed=3)
    with RawRelease(root) as release:
        ids = release.ids()
        assert len(ids) == 80
        split_of = official_split_of()
        for split in ("train", "val", "test"):
            assert release.ids(split) and all(split_of[i] == split for i in release.ids(split))
        lengths = [release.num_frames(i) for i in ids]
        assert min(lengths) >= 240 and max(lengths) <= 720
    assert check_dataset(root).ok
