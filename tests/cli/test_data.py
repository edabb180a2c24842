import re

import pytest
from typer.testing import CliRunner

from interx.cli import app
from interx.data.check import check_dataset
from interx.data.raw import RawRelease

ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def runner():
    return CliRunner()


def test_check_good_dataset_exits_0(runner, example_root, example_zip_root):
    for root in (example_root, example_zip_root):
        result = runner.invoke(app, ["check", str(root)], env=ENV)
        assert result.exit_code == 0, result.output
        assert "40 sequences checked" in result.output and "no problems found" in result.output


def test_check_lists_every_problem_and_exits_1(plant_raw_problems, runner, small_release):
    expected = plant_raw_problems(small_release)
    result = runner.invoke(app, ["check", str(small_release)], env=ENV)
    assert result.exit_code == 1, result.output
    out = result.stdout
    report = check_dataset(small_release)
    assert len(report.problems) >= len(expected)
    assert f"{len(report.problems)} problems" in out
    for problem in report.problems:  # every message is shown whole, brackets included
        assert problem.message.split(",")[0] in " ".join(out.split()) or problem.message[:40] in out
    for kind, seq_id, file, _ in expected:
        assert re.search(rf"^\W*{kind}\W+\d+", out, re.M), f"no summary row for {kind}"
        assert file.split("/")[-1] in out
        if seq_id:
            assert seq_id in out


def test_check_max_rows_truncates_per_kind(plant_raw_problems, runner, small_release):
    plant_raw_problems(small_release)
    result = runner.invoke(app, ["check", str(small_release), "--max-rows", "1"], env=ENV)
    assert result.exit_code == 1
    assert "and 3 more motion problems" in result.stdout


def test_check_not_a_dataset_exits_2(runner, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path)], env=ENV)
    assert result.exit_code == 2
    assert "neither" in result.output


def test_info_prints_the_expected_counts(runner, example_root):
    with RawRelease(example_root) as release:
        counts = {s: len(release.ids(s)) for s in ("train", "val", "test")}
        frames = sum(release.num_frames(i) for i in release.ids())
    result = runner.invoke(app, ["info", str(example_root)], env=ENV)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"sequences\s*│\s*40\s", out)
    for split, count in counts.items():
        assert re.search(rf"{split}\s*│\s*{count}\s", out), split
    assert f"{frames:,}" in out
    assert f"{frames / 120 / 3600:.2f}" in out
    assert re.search(r"000\s*│\s*Hug\s*│\s*1\s", out) and re.search(r"039\s*│\s*Fly kiss\s*│\s*1\s", out)
    assert re.search(r"texts\s*│\s*120\s", out)
    assert "3 / 3.00 / 3" in out


def test_example_command(runner, tmp_path):
    out = tmp_path / "ex"
    result = runner.invoke(app, ["example", str(out), "--per-action", "1", "--zip"], env=ENV)
    assert result.exit_code == 0, result.output
    assert (out / "motions.zip").is_file()
    assert runner.invoke(app, ["check", str(out)], env=ENV).exit_code == 0


def test_help_texts(runner):
    for command, words in (("check", "Exit status"), ("info", "Counts per split"), ("example", "not real data")):
        result = runner.invoke(app, [command, "--help"], env=ENV)
        assert result.exit_code == 0 and words in result.output
