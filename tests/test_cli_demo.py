"""`interx demo`: the README's main job runs end to end and leaves a valid release."""

from typer.testing import CliRunner

from interx.cli import app
from interx.data.check import check_dataset
from interx.data.raw import RawRelease


def test_demo_writes_a_checked_release(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--per-action", "1"])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output
    release = tmp_path / "example-release"
    assert (release / "motions.zip").is_file() and not (release / "motions").exists()
    assert check_dataset(release).ok
    with RawRelease(release) as raw:
        assert len(raw.ids("all")) == 40
