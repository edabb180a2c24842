"""The command line's shared pieces: one error path, the progress bars, and running the module as a script."""

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from interx.cli import app, exits_on_error
from interx.errors import FormatError, InterXError
from interx.progress import loss_bar, progress_bar, stage_bars

ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}
CLI = Path(__file__).resolve().parents[2] / "src" / "interx" / "cli.py"
ERRORS = {
    "format": lambda path: FormatError(path, "trans", "a (T, 3) array", found="(T, 2)"),
    "interx": lambda path: InterXError(f"{path}: holds no sequences"),
    "value": lambda path: ValueError(f"{path}: --big-five needs 10 numbers"),
    "key": lambda path: KeyError(f"{path}: no caption for G001T000A000R000"),
    "os": lambda path: FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)),
}


def _failing_app(error: Exception) -> typer.Typer:
    tiny = typer.Typer()

    @tiny.command()
    @exits_on_error
    def fail(name: str = typer.Option("x", help="Kept by the decorator: typer still sees the options.")) -> None:
        raise error

    return tiny


@pytest.mark.parametrize("kind", ERRORS)
def test_every_error_type_prints_one_red_line_naming_the_file_and_exits_2(kind, tmp_path):
    path = tmp_path / "motions" / "P1.npz"
    result = CliRunner().invoke(_failing_app(ERRORS[kind](path)), ["--name", "y"], env=ENV)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and str(path) in result.output
    assert isinstance(result.exception, SystemExit)
    if kind == "key":  # the message itself, not the repr str(KeyError) gives
        assert not result.output.startswith("error: '")


def test_other_exceptions_are_not_swallowed():
    result = CliRunner().invoke(_failing_app(ZeroDivisionError("a bug")), [])
    assert isinstance(result.exception, ZeroDivisionError)


def test_a_real_command_names_the_missing_file(tmp_path):
    missing = tmp_path / "captions.json"
    result = CliRunner().invoke(app, ["hhi", "motion-benchmark", str(tmp_path), str(tmp_path / "b.csv"),
                                      "--captions", str(missing)], env=ENV)
    assert result.exit_code == 2 and str(missing) in result.output


def _recording_console() -> Console:
    return Console(file=io.StringIO(), record=True, width=120, force_terminal=True)


def test_progress_bar_reports_done_of_total():
    console = _recording_console()
    with progress_bar("checking", console=console) as progress:
        progress(3, 4)
    text = console.export_text()
    assert "checking" in text and "3/4" in text


def test_loss_bar_shows_the_last_loss():
    console = _recording_console()
    with loss_bar("training", console=console) as progress:
        progress(2, 5, 0.25)
    assert "2/5" in (text := console.export_text()) and "loss 0.250" in text


def test_stage_bars_keep_one_bar_per_stage():
    console = _recording_console()
    with stage_bars(console=console) as progress:
        progress("motions train", 1, 2)
        progress("texts", 7, 9)
        progress("motions train", 2, 2)
    text = console.export_text()
    assert "motions train" in text and "2/2" in text and "texts" in text and "7/9" in text


def _command_names() -> list[str]:
    names = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    return names + [g.name for g in app.registered_groups]


@pytest.mark.parametrize("argv", [[sys.executable, "-m", "interx"], [sys.executable, str(CLI)]],
                         ids=["module", "script"])
def test_help_lists_every_command(argv):
    result = subprocess.run(argv + ["--help"], capture_output=True, text=True, env={**os.environ, **ENV},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    for name in _command_names():
        assert f" {name} " in result.stdout, name
    assert "generate" in _command_names() and "plot-losses" in _command_names()  # the last commands of the module


def test_the_last_command_runs_as_a_script():
    result = subprocess.run([sys.executable, str(CLI), "generate", "--help"], capture_output=True, text=True,
                            env={**os.environ, **ENV}, timeout=120)
    assert result.returncode == 0 and "--samples" in result.stdout, result.stderr


def test_check_tables_show_paths_relative_to_the_root_and_truncate(tmp_path):
    from interx.data.check import CheckReport
    from interx.data.report import check_tables

    report = CheckReport(tmp_path, "raw (motions: folder)", sequences=3)
    for i in range(3):
        report.add("motion", tmp_path / "motions" / f"G001T000A000R00{i}" / "P1.npz", "expected [trans]", f"id{i}")
    console = _recording_console()
    console.print(check_tables(report, max_rows=1))
    text = console.export_text()
    assert "3 problems" in text and "motions/G001T000A000R000/P1.npz" in text and str(tmp_path) + "/motions" not in text
    assert "and 2 more motion problems" in text

