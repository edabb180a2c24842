"""`interx train-evaluator` and `interx evaluate` end to end on a tiny processed release."""

import json

import h5py
import numpy as np
import pytest
from typer.testing import CliRunner

from interx.cli import app
from interx.data.processed import ProcessedRelease

SMALL = ["--replications", "2", "--pool", "8", "--diversity-pairs", "10", "--mm-texts", "3", "--mm-repeats", "4",
         "--mm-pairs", "2"]


@pytest.fixture(scope="module")
def release(make_release, tmp_path_factory):
    root = make_release(tmp_path_factory.mktemp("cli") / "processed", {"train": 32, "val": 8, "test": 24},
                        actions=4, vocab_dim=6, frames=(30, 80))
    runner = CliRunner()
    result = runner.invoke(app, ["train-evaluator", "text", str(root), "--epochs", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["train-evaluator", "action", str(root), "--epochs", "2"])
    assert result.exit_code == 0, result.output
    return root


def write_generated(path, release_root, samples=4, drop=0):
    with ProcessedRelease(release_root) as rel, h5py.File(path, "w") as h5:
        for seq_id in rel.ids("test")[drop:]:
            motion = rel.motion(seq_id)
            h5[seq_id] = np.stack([motion + 0.01 * k for k in range(samples)])


def test_text_evaluation_writes_a_report_with_both_rows(release, tmp_path):
    gen = tmp_path / "gen.h5"
    write_generated(gen, release)
    result = CliRunner().invoke(app, ["evaluate", "--task", "t2m", "--data", str(release), "--pred", str(gen),
                                      "--embedding-scale", "6", *SMALL])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "gen.t2m.json").read_text())
    assert set(report["rows"]) == {"ground truth", "prediction"}
    assert report["embedding_scale"] == 6.0 and report["protocol"]["pool"] == 8
    assert report["definitions"]["fid"]["definition"] == "fid" and report["definitions"]["fid"]["version"]
    top3 = report["rows"]["prediction"]["r_precision_top3"]
    assert len(top3["values"]) == 2 and top3["mean"] == pytest.approx(np.mean(top3["values"]))
    assert "multimodality" in report["rows"]["prediction"]
    physical = report["plausibility"]["rows"]
    assert physical["prediction"]["relative_distance_error"] < 0.05  # the ground truth nudged by 1 cm at most
    assert physical["ground truth"]["jitter"] >= 0
    assert "top-1" in result.output and "ground" in result.output and "gen.t2m.json" in result.output.replace("\n", "")


def test_baselines_and_action_tasks(release, tmp_path):
    out = tmp_path / "retrieval.json"
    result = CliRunner().invoke(app, ["evaluate", "--data", str(release), "--baseline", "retrieval", "--out",
                                      str(out), *SMALL])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["inputs"]["baseline"] == "retrieval"
    out = tmp_path / "same-action.json"
    result = CliRunner().invoke(app, ["evaluate", "--task", "a2m", "--data", str(release), "--baseline",
                                      "same-action", "--out", str(out), *SMALL])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["inputs"]["baseline"] == "same-action"
    gen = tmp_path / "gen.h5"
    write_generated(gen, release, samples=2)
    result = CliRunner().invoke(app, ["evaluate", "--task", "reaction", "--data", str(release), "--pred", str(gen),
                                      *SMALL])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "gen.reaction.json").read_text())
    assert {"fid", "accuracy", "diversity", "class_multimodality"} <= set(report["rows"]["prediction"])


def test_missing_ids_and_missing_evaluator_fail_clearly(release, tmp_path):
    gen = tmp_path / "partial.h5"
    write_generated(gen, release, drop=2)
    result = CliRunner().invoke(app, ["evaluate", "--data", str(release), "--pred", str(gen), *SMALL])
    assert result.exit_code == 2
    assert "partial.h5" in result.output and "no generated motion for 2 of 24" in result.output
    result = CliRunner().invoke(app, ["evaluate", "--data", str(release), "--pred", str(gen), "--evaluator",
                                      str(tmp_path / "none.tar"), *SMALL])
    assert result.exit_code == 2 and "train-evaluator" in result.output


def test_nan_in_generated_motion_is_named(release, tmp_path):
    gen = tmp_path / "nan.h5"
    write_generated(gen, release, samples=1)
    with h5py.File(gen, "a") as h5:
        first = sorted(h5)[0]
        data = h5[first][()]
        data[0, 3, 2, 1] = np.nan
        del h5[first]
        h5[first] = data
    result = CliRunner().invoke(app, ["evaluate", "--data", str(release), "--pred", str(gen), *SMALL])
    assert result.exit_code == 2 and "nan.h5" in result.output and first in result.output and "finite" in result.output
