"""`interx demo`: the README's main job runs end to end, leaves every output, and a second run reuses them."""

import json

import imageio.v3 as iio
import pytest
from PIL import Image
from typer.testing import CliRunner

from interx.cli import app
from interx.data.check import check_dataset
from interx.data.processed import H5Motions
from interx.data.raw import RawRelease
from interx.demo import DemoSettings
from interx.errors import InterXError
from interx.synth.generate import select_ids

QUICK = ["--size", "tiny", "--workers", "2",  # `make demo` runs the `small` size with longer training
         "--generator-minutes", "0.1", "--recognizer-minutes", "0.1",
         "--evaluator-epochs", "2"]


@pytest.mark.slow
def test_demo_runs_end_to_end_then_reuses_every_step(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), *QUICK], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output and "sequences per action" in result.output
    release, processed = tmp_path / "synthetic-tiny", tmp_path / "processed-tiny"
    assert (release / "motions.zip").is_file() and check_dataset(release).ok
    with RawRelease(release) as raw:
        assert raw.ids("all") == select_ids("tiny")
    with H5Motions(processed / "motions" / "test.h5") as truth, \
            H5Motions(tmp_path / "generated-t2m-test.h5") as generated:
        test_ids = truth.ids()
        assert generated.ids() == test_ids and generated.read(test_ids[0]).shape[-2:] == (56, 6)

    # the metrics: ground truth, ours and both baselines, in the printed table and in summary.md
    for row in ("ground truth", "interx tiny generator", "random baseline", "retrieval baseline"):
        assert row in result.output
        assert f"| {row} |" in (tmp_path / "summary.md").read_text()
    report = json.loads((tmp_path / "reports" / "t2m-ours.json").read_text())
    pool = min(32, len(test_ids))  # the protocol is sized for the small test split, and says so
    assert report["protocol"]["pool"] == pool and report["counts"]["evaluated_ids"] == len(test_ids)
    assert f"pools of {pool}" in (tmp_path / "summary.md").read_text()
    assert (processed / "recognizers" / "action" / "report.json").is_file()
    assert "recognizer" in result.output and "majority" in result.output

    gif = iio.imread(tmp_path / "generated-vs-truth.gif", index=None)
    assert gif.ndim == 4 and len(gif) > 5 and gif.shape[1:3] == (270, 2 * 480)  # generated beside the truth
    with Image.open(tmp_path / "categories.png") as sheet:
        assert sheet.width > 0
    assert "<script" in (tmp_path / "viewer.html").read_text()

    # a second run trains nothing and rewrites nothing it already has
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "generated-t2m-test.h5", tmp_path / "viewer.html",
                                                processed / "generators" / "t2m-tiny" / "generator.safetensors")}
    again = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), *QUICK])
    assert again.exit_code == 0, again.output
    for step in ("synthetic release", "text evaluator", "generator", "recognizer", "generated motions", "GIF"):
        assert step in again.output
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())


def test_demo_settings_reject_an_unknown_size():
    with pytest.raises(InterXError, match="tiny, small, medium, full"):
        DemoSettings(size="huge")
