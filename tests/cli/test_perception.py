"""`interx train recognizer|captioner`, `interx predict` and `interx caption` end to end on a tiny release."""

import json

import pytest
from typer.testing import CliRunner

from interx.cli import app

runner = CliRunner()


@pytest.mark.parametrize("task", ["action", "order"])
def test_train_recognizer_then_predict(tmp_path, prepared6, task):
    out = tmp_path / task
    result = runner.invoke(app, ["train", "recognizer", str(prepared6), "--task", task, "--out", str(out),
                                 "--epochs", "2", "--width", "16", "--layers", "1", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert set(report["test"]) == {"recognizer", "majority", "nearest neighbour"}
    assert report["clips"]["test"] == 2 and report["steps"] == 4
    assert (out / "recognizer.safetensors").is_file() and (out / "losses.png").is_file()
    result = runner.invoke(app, ["predict", str(out), str(prepared6 / "motions" / "test.h5"),
                                 "--json", str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    predictions = json.loads((tmp_path / "p.json").read_text())
    assert len(predictions) == 2
    first = next(iter(predictions.values()))
    if task == "action":
        assert len(first["top"]) == 5 and abs(sum(e["probability"] for e in first["top"])) <= 1.0 + 1e-6
    else:
        assert first["actor"] in ("P1", "P2")
        assert sum(first["probability"].values()) == pytest.approx(1.0, abs=1e-5)
    other = runner.invoke(app, ["caption", str(out / "recognizer.safetensors"), str(prepared6)])
    assert other.exit_code == 2 and "interx-captioner" in other.output


def test_train_captioner_then_caption(tmp_path, prepared6):
    out = tmp_path / "cap"
    result = runner.invoke(app, ["train", "captioner", str(prepared6), "--out", str(out), "--epochs", "1",
                                 "--width", "16", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert set(report["test"]["captioner (beam 4)"]) == {"bleu1", "bleu4", "rouge_l", "cider_d", "minilm_similarity"}
    captions = json.loads((out / "captions.json").read_text())
    assert len(captions) == 2 and all(len(c["references"]) >= 1 for c in captions.values())
    one = next(iter(captions))
    result = runner.invoke(app, ["caption", str(out), str(prepared6), "--id", one, "--sample", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{one}: ")
    scored = runner.invoke(app, ["caption", str(out), str(prepared6), "--score", "test", "--json",
                                 str(tmp_path / "s.json")])
    assert scored.exit_code == 0, scored.output
    scores = json.loads((tmp_path / "s.json").read_text())["scores"]
    assert set(scores) == {"captioner (beam 4)", "nearest training text"}
    assert scores["captioner (beam 4)"] == report["test"]["captioner (beam 4)"]  # the same captions and metrics
