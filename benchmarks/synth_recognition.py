"""Recognition probe on a synthetic release: python benchmarks/synth_recognition.py [--size medium] [--data DIR]

Generates the release (or reads `--data`), trains a linear classifier on
pooled joint features of the train split, and prints train and test
accuracy beside chance (issue 3: well above chance, not trivial).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from interx.synth.generate import write_synthetic_release
from interx.synth.probe import recognition_probe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--data", type=Path, help="an existing raw release to probe instead")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="interx-probe-") as tmp:
        root = args.data
        if root is None:
            root = Path(tmp)
            start = time.perf_counter()
            write_synthetic_release(root, args.size, seed=0, workers=args.workers)
            print(f"generated {args.size} in {time.perf_counter() - start:.0f} s")
        result = recognition_probe(root)
    print(f"train {result.train_size} sequences, test {result.test_size}")
    print(f"train accuracy {result.train_accuracy:.3f}, test accuracy {result.test_accuracy:.3f}, "
          f"chance {result.chance:.3f}")


if __name__ == "__main__":
    main()
