"""The orchestration: resuming gives the same bytes, a kill leaves nothing corrupt, bad sequences are reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from typer.testing import CliRunner

from interx.cli import app
from interx.prepare.run import WORK_DIR, PrepareOptions, prepare

OUTPUT_FILES = ("motions/train.h5", "motions/test.h5", "motions/val.h5", "features/train.h5", "features/test.h5",
                "features/mean.npy", "features/std.npy")


def same_bytes(a: Path, b: Path) -> None:
    for name in OUTPUT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


class Interrupt(Exception):
    pass


def test_interrupted_then_resumed_run_writes_the_same_bytes(raw6, prepared6, tmp_path):
    out = tmp_path / "out"
    calls = []

    def stop_after_two_chunks(stage, done, total):
        calls.append(done)
        if stage == "motions" and len(calls) == 3:  # the initial call, then two saved chunks
            raise Interrupt

    with pytest.raises(Interrupt):
        prepare(raw6, out, PrepareOptions(chunk_size=2), texts=False, progress=stop_after_two_chunks)
    assert not (out / "motions").exists()  # nothing final was written
    saved = sorted(p.name for p in (out / WORK_DIR).rglob("chunk-*.npz"))
    assert len(saved) == 2
    done = []
    report = prepare(raw6, out, PrepareOptions(chunk_size=2), texts=False,
                     progress=lambda stage, d, total: done.append(d))
    assert report.ok and report.written == {"train": 4, "val": 0, "test": 2}
    assert done[0] == 4  # resumed after the 4 sequences of the two saved chunks
    same_bytes(out, prepared6)
    assert not (out / WORK_DIR / "train").exists()  # finished splits leave no chunks behind


@pytest.mark.slow
def test_killed_process_leaves_no_corrupt_output_and_two_workers_match(raw6, prepared6, tmp_path):
    out = tmp_path / "out"
    script = (
        "import sys, time\n"
        "from interx.prepare.run import PrepareOptions, prepare\n"
        "prepare(sys.argv[1], sys.argv[2], PrepareOptions(chunk_size=1), texts=False,\n"
        "        progress=lambda s, d, t: time.sleep(0.5) if d else None)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2] / "src"))
    proc = subprocess.Popen([sys.executable, "-c", script, str(raw6), str(out)], env=env)
    try:
        deadline = time.time() + 120
        while not list((out / WORK_DIR).rglob("chunk-*.npz")):
            assert proc.poll() is None and time.time() < deadline, "the run ended before saving a chunk"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert not (out / "motions" / "train.h5").exists()
    for chunk in (out / WORK_DIR).rglob("chunk-*.npz"):
        with np.load(chunk) as data:  # every saved chunk is complete
            assert "failed" in data.files
    report = prepare(raw6, out, PrepareOptions(chunk_size=2), texts=False, workers=2)
    assert report.ok
    same_bytes(out, prepared6)
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]


def test_bad_sequence_is_skipped_reported_and_retried(raw6, copy_tree, tmp_path):
    raw = copy_tree(raw6, "raw_bad")
    bad = "G003T001A006R008"
    good_bytes = (raw / "motions" / bad / "P2.npz").read_bytes()
    (raw / "motions" / bad / "P2.npz").write_bytes(b"not an npz file")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["prepare", str(raw), str(out), "--no-texts"])
    assert result.exit_code == 1
    assert bad in result.output and "1 sequences failed" in result.output and "P2.npz" in result.output
    with h5py.File(out / "motions" / "train.h5", "r") as h5:
        assert bad not in h5 and len(h5) == 3
    (raw / "motions" / bad / "P2.npz").write_bytes(good_bytes)  # fixed: the next run adds it
    result = CliRunner().invoke(app, ["prepare", str(raw), str(out), "--no-texts"])
    assert result.exit_code == 0, result.output
    with h5py.File(out / "motions" / "train.h5", "r") as h5:
        assert bad in h5 and len(h5) == 4


def test_changed_options_start_over(raw6, prepared6, tmp_path):
    out = tmp_path / "out"
    prepare(raw6, out, PrepareOptions(fps=60), splits=("test",), texts=False)
    prepare(raw6, out, PrepareOptions(chunk_size=2), splits=("test",), texts=False)
    assert (out / "motions" / "test.h5").read_bytes() == (prepared6 / "motions" / "test.h5").read_bytes()


def test_reaction_needs_the_interaction_order(raw6, copy_tree, tmp_path):
    raw = copy_tree(raw6, "raw_no_order")
    (raw / "annots" / "interaction_order.pkl").unlink()
    result = CliRunner().invoke(app, ["prepare", str(raw), str(tmp_path / "out"), "--reaction", "--no-texts"])
    assert result.exit_code == 2 and "interaction_order.pkl" in result.output


def test_zipped_release_gives_the_same_motions(example_root, example_zip_root, tmp_path):
    options = PrepareOptions(features=False)
    for name, raw in (("folders", example_root), ("zips", example_zip_root)):
        report = prepare(raw, tmp_path / name, options, splits=("val",), texts=False)
        assert report.ok and report.written["val"] >= 1
    assert ((tmp_path / "zips" / "motions" / "val.h5").read_bytes()
            == (tmp_path / "folders" / "motions" / "val.h5").read_bytes())
