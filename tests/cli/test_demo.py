"""`interx demo`: the README's main job runs end to end and leaves a valid release, prepared and rendered."""

import imageio.v3 as iio
from PIL import Image
from typer.testing import CliRunner

from interx.cli import app
from interx.data.check import check_dataset
from interx.data.processed import H5Motions
from interx.data.raw import RawRelease
from interx.synth.generate import select_ids

SOME = select_ids("tiny")[::10]  # a subset keeps the test short; `make demo` runs the whole size


def test_demo_writes_a_checked_synthetic_release(tmp_path, monkeypatch):
    monkeypatch.setattr("interx.synth.generate.select_ids", lambda size: SOME)
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--size", "tiny", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output and "sequences per action" in result.output
    release = tmp_path / "synthetic-tiny"
    assert (release / "motions.zip").is_file() and not (release / "motions").exists()
    assert check_dataset(release).ok
    with RawRelease(release) as raw:
        assert raw.ids("all") == SOME
    processed = tmp_path / "processed-tiny"
    with H5Motions(processed / "motions" / "train.h5") as train:
        assert set(train.ids()) <= set(SOME) and train.ids()
    assert (processed / "glove" / "hhi_vab_data.npy").is_file()
    with Image.open(tmp_path / "categories.png") as sheet:
        assert sheet.width > 0 and sheet.height > 0
    frames = iio.imread(tmp_path / "sequence.mp4", index=None)
    assert frames.ndim == 4 and len(frames) > 10
