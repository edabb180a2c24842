"""`interx bench`: trains what is missing, writes one table per task beside the published rows, and resumes."""

import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from interx.cli import app
from interx.prepare.run import prepare
from interx.synth.generate import write_synthetic_release

TASKS = "text,prediction,order,captioning"
QUICK = ["--tasks", TASKS, "--generator-minutes", "0.1", "--perception-minutes", "0.1", "--replications", "2",
         "--steps", "2"]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    write_synthetic_release(root / "raw", "tiny", workers=2)
    assert prepare(root / "raw", root / "processed", workers=2).ok
    return root / "processed"


@pytest.mark.slow
def test_bench_writes_every_table_and_reuses_what_it_made(processed, tmp_path):
    out = tmp_path / "bench"
    result = CliRunner().invoke(app, ["bench", "--data", str(processed), "--out", str(out), *QUICK],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    tables = {t["task"]: t for t in json.loads((out / "bench.json").read_text())["tables"]}
    assert list(tables) == TASKS.split(",")
    text = tables["text"]
    assert {"ground truth", "interx tiny", "random baseline", "retrieval baseline"} <= set(text["rows"])
    assert text["rows"]["interx tiny"]["fid"][1] is not None  # an interval from the replications
    assert "InterMask" in text["published"] and "Guo et al." in text["published_definition"]
    assert {"constant pose", "constant velocity", "interx tiny"} == set(tables["prediction"]["rows"])
    assert {"recognizer", "majority"} <= set(tables["order"]["rows"]) and "ST-GCN" in tables["order"]["published"]
    accuracy, interval = tables["order"]["rows"]["recognizer"]["accuracy"]
    clips = json.loads((processed / "recognizers" / "order" / "report.json").read_text())["clips"]["test"]
    assert interval == pytest.approx(1.96 * (accuracy * (1 - accuracy) / clips) ** 0.5)
    assert "bleu4" in tables["captioning"]["metrics"] and "TM2T" in tables["captioning"]["published"]
    page = (out / "bench.md").read_text()
    for task in TASKS.split(","):
        assert f"## {task}" in page
        with Image.open(out / "plots" / f"{task}.png") as picture:
            assert picture.width > 100
    assert "| *InterMask (published)* |" in page and "InterMask" in result.output

    reports = sorted((out / "reports").glob("*.json"))
    stamps = [p.stat().st_mtime_ns for p in reports]
    again = CliRunner().invoke(app, ["bench", "--data", str(processed), "--out", str(out), *QUICK])
    assert again.exit_code == 0, again.output
    assert [p.stat().st_mtime_ns for p in reports] == stamps  # nothing scored or trained twice


def test_bench_names_an_unknown_task(processed, tmp_path):
    result = CliRunner().invoke(app, ["bench", "--data", str(processed), "--tasks", "text,dancing"])
    assert result.exit_code == 2 and "dancing" in result.output and "captioning" in result.output
