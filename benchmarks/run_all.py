"""Run every performance benchmark and keep their figures in one page (docs/performance.md).

Usage: python benchmarks/run_all.py [--size small] [--only fk markers ...] [--out docs/performance.md]

Each script prints its own figures; this runs them one after another (never
two at once: they time the same cores), with the synthetic release of
`--size` written once for the ones that read a release (synth, prepare, fit),
and writes a table of what ran, how long it took and whether it passed,
then each script's figures as it printed them, under the machine they ran
on. The recognition probe (synth_recognition.py) measures the data, not
speed, and is not run here.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks(release: Path, size: str) -> dict[str, list[str]]:
    """name -> the script and its arguments; `release` is written by the synth benchmark, which runs first."""
    return {
        "synth": ["synth.py", "--sizes", size, "--workers", "2", "--zip", "--out", str(release.parent)],
        "fk": ["fk.py"],
        "markers": ["markers.py"],
        "render": ["render.py"],
        "prepare": ["prepare.py", str(release), "--workers", "2"],
        "evaluate": ["evaluate.py"],
        "generate": ["generate.py", "--configs", "tiny", "base"],
        "fit": ["fit.py", str(release), "--sequences", "4", "--seconds", "10"],
    }


def machine() -> list[str]:
    """What the figures depend on: processor, cores this process may use, memory, library versions."""
    import numpy
    import torch

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- processor: {platform.processor() or platform.machine()}, {cores} usable cores, {memory:.0f} GiB memory",
        f"- system: {platform.platform()}",
        f"- python {platform.python_version()}, numpy {numpy.__version__}, torch {torch.__version__} "
        f"({'CUDA' if torch.cuda.is_available() else 'CPU only'})",
    ]


def run(script: list[str]) -> tuple[int, float, str]:
    """Exit status, wall seconds and everything the script printed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / script[0]), *script[1:]], capture_output=True, text=True)
    return done.returncode, time.perf_counter() - start, (done.stdout + done.stderr).strip()


def page(rows: list[tuple[str, list[str], int, float, str]], size: str, scratch: Path) -> str:
    """The markdown page; `scratch` (the temporary folder of the release) is shown as TMP."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Performance", "",
             f"Made by `python benchmarks/run_all.py --size {size}` on {when}. Machine:", "", *machine(), "",
             "| benchmark | command | wall time | status |", "|---|---|---:|---|"]
    for name, script, status, seconds, _ in rows:
        command = " ".join(["python benchmarks/" + script[0], *script[1:]]).replace(str(scratch), "TMP")
        lines.append(f"| {name} | `{command}` | {seconds:.0f} s | {'ok' if status == 0 else f'failed ({status})'} |")
    for name, _, _, _, output in rows:
        lines += ["", f"## {name}", "", "```", output, "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", help="synthetic release for synth, prepare and fit")
    parser.add_argument("--only", nargs="+", help="run only these benchmarks (synth always runs first)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        release = Path(tmp) / args.size
        table = benchmarks(release, args.size)
        names = list(table) if not args.only else ["synth", *[n for n in args.only if n != "synth"]]
        unknown = sorted(set(names) - set(table))
        if unknown:
            parser.error(f"unknown benchmarks {unknown}; choose from {', '.join(table)}")
        rows = []
        for name in names:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            status, seconds, output = run(table[name])
            rows.append((name, table[name], status, seconds, output))
            print(f"  {name}: {seconds:.0f} s, {'ok' if status == 0 else f'exit {status}'}", file=sys.stderr)
    tmp_out = args.out.with_suffix(".tmp")
    tmp_out.write_text(page(rows, args.size, release.parent))
    tmp_out.replace(args.out)
    print(f"wrote {args.out}")
    if any(status for _, _, status, _, _ in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
