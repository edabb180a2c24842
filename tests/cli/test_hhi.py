"""`interx hhi label` and `interx hhi evaluate` (on the shared Waldo and Wenda half when it is there)."""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interx.cli import app

runner = CliRunner()
WALDO_AND_WENDA = Path(__file__).resolve().parents[3] / "shared" / "data" / "waldo_and_wenda" / "dev.csv"


def test_label_a_caption_or_say_there_is_no_interaction():
    result = runner.invoke(app, ["hhi", "label", "Two men shaking hands in a park."])
    assert result.exit_code == 0 and result.output.startswith("1. _ shaking hands with _")
    result = runner.invoke(app, ["hhi", "label", "A dog runs in the park."])
    assert result.exit_code == 0 and "no interaction between two people" in result.output


def test_label_a_csv_in_batch(tmp_path):
    table = tmp_path / "c.csv"
    table.write_text('id,caption\n01,"A man hugs a woman."\n02,"A dog runs."\n')
    result = runner.invoke(app, ["hhi", "label", "--csv", str(table), "--out", str(tmp_path / "l.json")])
    assert result.exit_code == 0, result.output
    labels = json.loads((tmp_path / "l.json").read_text())
    assert labels["01"][0] == "_ hugging _" and labels["02"] == []


def test_evaluate_the_caption_rules_on_waldo_and_wenda(tmp_path):
    if not WALDO_AND_WENDA.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the Waldo and Wenda file is missing at {WALDO_AND_WENDA}")
        pytest.skip(f"no Waldo and Wenda file at {WALDO_AND_WENDA} (it stays outside the repository: its licence)")
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["hhi", "evaluate", "--benchmark", str(WALDO_AND_WENDA), "--out", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text())
    assert set(scores["by_source"]) == {"cc", "coco", "ww"}
    overall = scores["overall"]
    assert overall["verb_match@1"] <= overall["verb_match@5"] <= overall["verb_match@8"]
    assert 0.1 < overall["verb_match@8"] <= 1.0  # the rules find the right verb for a fair share of captions
    means = [scores["by_source"][s]["verb_similarity@8"] for s in ("cc", "coco", "ww")]
    assert overall["verb_similarity@8"] == pytest.approx(sum(means) / 3)


def test_motion_captions_are_scored_with_the_same_evaluation(tmp_path, prepared6):
    bench, labels = tmp_path / "motions.csv", tmp_path / "labels.json"
    assert runner.invoke(app, ["hhi", "motion-benchmark", str(prepared6), str(bench), "--split", "test"]).exit_code == 0
    header, *rows = bench.read_text().splitlines()
    assert header == "source,id,label,caption" and len(rows) == 2 and ",_ " in rows[0]
    result = runner.invoke(app, ["hhi", "label", "--csv", str(bench), "--out", str(labels), "--pad"])
    assert result.exit_code == 0, result.output
    assert all(len(ranked) == 8 for ranked in json.loads(labels.read_text()).values())
    result = runner.invoke(app, ["hhi", "evaluate", "--benchmark", str(bench), "--predictions", str(labels),
                                 "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert set(json.loads((tmp_path / "s.json").read_text())["by_source"]) == {"interx-test"}
