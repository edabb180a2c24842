"""Synthetic dataset generation speed and size.

Usage: python benchmarks/synth.py [--sizes tiny small medium] [--workers 2] [--out DIR]

Prints, per size: sequences, frames (120 fps), seconds, sequences/s,
frames/s and the disk size of the written release (folders, and with
--zip the zipped form). Target (issue 3): `full` (about 8 M frames) in
under 15 minutes on 2 cores: run with `--sizes full` to measure it.
With `--out DIR` the releases are written to DIR/<size> and kept (to reuse
them, e.g. for the prepare benchmark); otherwise a temporary folder is removed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from interx.data.raw import RawRelease
from interx.synth.generate import write_synthetic_release


def disk_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "small", "medium"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--zip", action="store_true", help="write the release's zip files instead of folders")
    parser.add_argument("--out", type=Path, help="keep the releases in OUT/<size> instead of a temporary folder")
    args = parser.parse_args()
    print(f"{'size':8} {'sequences':>9} {'frames':>11} {'seconds':>8} {'seq/s':>7} {'frames/s':>10} {'disk':>10}")
    for size in args.sizes:
        out = args.out / size if args.out else Path(tempfile.mkdtemp(prefix=f"interx-synth-{size}-"))
        try:
            start = time.perf_counter()
            report = write_synthetic_release(out, size, seed=0, as_zip=args.zip, workers=args.workers)
            seconds = time.perf_counter() - start
            with RawRelease(out) as release:
                frames = sum(release.num_frames(i) for i in release.ids("all"))
            n = len(report.written)
            print(f"{size:8} {n:9,} {frames:11,} {seconds:8.1f} {n / seconds:7.1f} {frames / seconds:10,.0f} "
                  f"{disk_size(out) / 2**20:8.1f} MB" + (f"  ({len(report.failed)} failed)" if report.failed else ""))
        finally:
            if not args.out:
                shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
