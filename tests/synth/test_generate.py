"""`interx synth`: the official layout, determinism, workers, zips, failures reported."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from interx.cli import app
from interx.data.check import check_dataset
from interx.data.ids import SequenceId
from interx.data.raw import RawRelease
from interx.data.splits import official_split_of
from interx.synth import actions
from interx.synth.generate import generate_interaction, select_ids, write_synthetic_release
from interx.synth.subjects import make_groups

# three categories keep these tests fast; every category is covered by actions/test_choreographies.py
FEW = [i for i in select_ids("tiny") if SequenceId.parse(i).action in (0, 1, 2)]


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_sizes_take_official_ids_per_action_with_their_splits():
    split_of = official_split_of()
    for size, per_action in (("tiny", 2), ("small", 10), ("medium", 50)):
        ids = select_ids(size)
        actions_of = [SequenceId.parse(i).action for i in ids]
        assert all(actions_of.count(a) == per_action for a in range(40)), size
        splits = {split_of[i] for i in ids}
        assert splits == {"train", "val", "test"}, size
    assert set(select_ids("tiny")) <= set(select_ids("small")) <= set(select_ids("medium"))
    assert len(select_ids("full")) == len(split_of)
    with pytest.raises(ValueError, match="size must be one of"):
        select_ids("huge")


def test_release_passes_check_raw_and_zipped(tmp_path):
    for as_zip in (False, True):
        out = tmp_path / f"zip{as_zip}"
        report = write_synthetic_release(out, "tiny", seed=3, ids=FEW, as_zip=as_zip)
        assert report.written == FEW and not report.failed
        result = check_dataset(out)
        assert result.ok, result.problems
        assert (out / "motions.zip").is_file() == as_zip
        assert "SYNTHETIC" in (out / "README.txt").read_text()


def test_same_seed_same_bytes_whatever_the_workers(tmp_path):
    write_synthetic_release(tmp_path / "a", "tiny", seed=7, ids=FEW, workers=1)
    write_synthetic_release(tmp_path / "b", "tiny", seed=7, ids=FEW, workers=2)
    write_synthetic_release(tmp_path / "c", "tiny", seed=8, ids=FEW, workers=1)
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    motions = [k for k in a if k.startswith("motions/")]
    assert all(a[k] != c[k] for k in motions)


def test_loaded_sequences_carry_labels_texts_and_skeletons(tmp_path):
    write_synthetic_release(tmp_path, "tiny", seed=0, ids=FEW)
    groups = make_groups(0)
    with RawRelease(tmp_path) as release:
        for seq_id in FEW:
            seq = release.load(seq_id, skeletons=True)
            group = groups[seq.sequence_id.group - 1]
            assert seq.familiarity == group.familiarity
            np.testing.assert_allclose(seq.big_five, [s.big_five for s in group.subjects])
            assert seq.actor in (0, 1) and len(set(seq.texts)) == 3
            assert seq.skeletons[0].shape == (seq.num_frames, 64, 3)
            assert 2.0 <= seq.num_frames / 120 <= 12.0
            # P1 and P2 are the group's two fixed subjects
            np.testing.assert_allclose(seq.p1.betas, group.subjects[0].betas)
            assert seq.p2.gender == group.subjects[1].gender


def test_generated_parameters_are_what_was_written(tmp_path):
    write_synthetic_release(tmp_path, "tiny", seed=0, ids=FEW[:1])
    direct = generate_interaction(FEW[0], 0, make_groups(0))
    with RawRelease(tmp_path) as release:
        loaded = release.load(FEW[0])
    np.testing.assert_array_equal(loaded.p1.pose_body, direct.p1.pose_body)
    np.testing.assert_array_equal(loaded.p2.trans, direct.p2.trans)
    assert loaded.texts == direct.texts


def test_a_failing_sequence_is_reported_and_the_rest_written(tmp_path, monkeypatch):
    def broken(cast):
        raise RuntimeError("choreography exploded")

    monkeypatch.setitem(actions.CHOREOGRAPHIES, 1, broken)
    report = write_synthetic_release(tmp_path, "tiny", seed=0, ids=FEW)
    bad = [i for i in FEW if SequenceId.parse(i).action == 1]
    assert sorted(report.failed) == bad
    assert all("choreography exploded" in message for message in report.failed.values())
    assert report.written == [i for i in FEW if i not in bad]
    assert check_dataset(tmp_path).ok


def test_cli_synth_writes_and_reports(tmp_path, monkeypatch):
    monkeypatch.setattr("interx.synth.generate.select_ids", lambda size: FEW)
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "ok"), "--size", "tiny", "--zip"])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(FEW)} synthetic sequences" in result.output
    monkeypatch.setitem(actions.CHOREOGRAPHIES, 2, lambda cast: 1 / 0)
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "bad"), "--size", "tiny"])
    assert result.exit_code == 1
    assert "ZeroDivisionError" in result.output and "sequences failed" in result.output
    bad = CliRunner().invoke(app, ["synth", str(tmp_path / "x"), "--size", "huge"])
    assert bad.exit_code == 2 and "--size must be one of" in bad.output
