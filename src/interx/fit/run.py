"""`interx fit`: marker skeletons -> SMPL-X motions in the raw release layout.

SOURCE is one marker file (`P1.npy`), a sequence folder (`skeletons/<id>/`
with P1.npy and P2.npy), or a raw release (every id of `--split`). Outputs
go to `OUT/motions/<id>/P1.npz` and `P2.npz` with the release's keys and
shapes. Finished ids are skipped on a rerun (the job is resumable), and a
sequence that fails is reported at the end while the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from interx.data.motion import write_motion_npz
from interx.data.raw import RawRelease, read_skeleton
from interx.errors import FormatError, InterXError
from interx.fit.solver import FitOptions, FitResult, fit_markers

PERSONS = ("P1", "P2")


@dataclass
class FitReport:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # done by an earlier run
    failed: dict[str, str] = field(default_factory=dict)
    residual_mm: dict[str, float] = field(default_factory=dict)
    missing_rows: dict[str, list[int]] = field(default_factory=dict)


def fit_file(path: str | os.PathLike, out: str | os.PathLike, options: FitOptions = FitOptions()) -> FitResult:
    """Fit one marker file and write the motion npz to `out`."""
    result = fit_markers(read_skeleton(path), options, name=str(path))
    write_motion_npz(out, result.motion)
    return result


def _copy_labels(root: Path, out: Path) -> None:
    """The release's annotations and split lists beside the fitted motions, so OUT reads as a release
    (actor order and familiarity included)."""
    import shutil

    for folder in ("annots", "splits"):
        if (root / folder).is_dir():
            for path in (root / folder).iterdir():
                target = out / folder / path.name
                if path.is_file() and not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)


def _done(out: Path, seq_id: str) -> bool:
    return all((out / "motions" / seq_id / f"{p}.npz").is_file() for p in PERSONS)


def _fit_sequence(job: tuple[str, str, str, FitOptions]) -> tuple[str, dict[str, float], dict[str, list[int]]]:
    """Fit both persons of one id of a release; P2 is written last, so a finished id has both."""
    root, seq_id, out, options = job
    residual, missing = {}, {}
    with RawRelease(root) as release:
        skeletons = [release.read_skeleton(seq_id, person) for person in PERSONS]
    for person, markers in zip(PERSONS, skeletons):
        result = fit_markers(markers, options, name=f"{root} skeletons/{seq_id}/{person}.npy")
        write_motion_npz(Path(out) / "motions" / seq_id / f"{person}.npz", result.motion)
        residual[person], missing[person] = result.residual_mm, result.missing_rows
    return seq_id, residual, missing


def fit_release(root: str | os.PathLike, out: str | os.PathLike, *, split: str = "all", ids: list[str] | None = None,
                options: FitOptions = FitOptions(), workers: int = 1,
                progress: Callable[[int, int], None] | None = None) -> FitReport:
    """Fit every id (of `split`, or the given `ids`) of a raw release into `out`."""
    out = Path(out)
    report = FitReport()
    with RawRelease(root) as release:
        wanted = ids if ids is not None else release.ids(split)
        for seq_id in wanted:
            if not release.has_skeletons(seq_id):
                raise InterXError(f"{root}: no marker skeletons for {seq_id} (skeletons/{seq_id}/P1.npy, P2.npy)")
    todo = []
    for seq_id in wanted:
        (report.skipped if _done(out, seq_id) else todo).append(seq_id)
    _copy_labels(Path(root), out)
    jobs = [(str(root), seq_id, str(out), options) for seq_id in todo]
    done = len(report.skipped)
    if progress:
        progress(done, len(wanted))

    def record(seq_id, outcome):
        nonlocal done
        done += 1
        if isinstance(outcome, Exception):
            report.failed[seq_id] = str(outcome)
        else:
            _, residual, missing = outcome
            report.written.append(seq_id)
            report.residual_mm[seq_id] = float(np.mean(list(residual.values())))
            if any(missing.values()):
                report.missing_rows[seq_id] = sorted({r for rows in missing.values() for r in rows})
        if progress:
            progress(done, len(wanted))

    if workers <= 1:
        for job in jobs:
            try:
                record(job[1], _fit_sequence(job))
            except (FormatError, InterXError, ValueError, np.linalg.LinAlgError) as exc:
                record(job[1], exc)
    else:
        with ProcessPoolExecutor(workers) as pool:
            futures = {pool.submit(_fit_sequence, job): job[1] for job in jobs}
            for future, seq_id in futures.items():
                try:
                    record(seq_id, future.result())
                except (FormatError, InterXError, ValueError, np.linalg.LinAlgError) as exc:
                    record(seq_id, exc)
    return report
