"""A recognizer's test scores split by whether the clip's group (its two subjects) appears in training.

Usage: python benchmarks/unseen_subjects.py DATA RUN [RUN ...]

The official splits share subjects between train and test, so a familiarity or
personality head can score well by recognizing the subjects. The clips of
groups that training never saw tell whether it reads the labels' cues instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from interx.data.ids import SequenceId
from interx.eval.recognition import majority_baseline, task_scores
from interx.models.recognizer import load_recognizer
from interx.train.recognizer import CLASSES, load_pair_clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="processed release")
    parser.add_argument("runs", nargs="+", help="recognizer run folders (holding recognizer.safetensors)")
    args = parser.parse_args()
    for run in args.runs:
        recognizer = load_recognizer(Path(run) / "recognizer.safetensors")
        task = recognizer.config.task
        train = load_pair_clips(args.data, "train", task, recognizer.config.frames)
        test = load_pair_clips(args.data, "test", task, recognizer.config.frames)
        seen = {SequenceId.parse(i).group for i in train.ids}
        unseen = np.array([SequenceId.parse(i).group not in seen for i in test.ids])
        outputs = recognizer.outputs(test.views)
        print(f"{run} ({task}):")
        for name, rows in (("seen groups", ~unseen), ("unseen groups", unseen)):
            groups = len({SequenceId.parse(i).group for i, k in zip(test.ids, rows) if k})
            if not rows.any():
                print(f"  {name}: no test clips")
                continue
            model = task_scores(task, outputs[rows], test.labels[rows])
            majority = task_scores(task, majority_baseline(task, train.labels, int(rows.sum()), CLASSES[task]),
                                   test.labels[rows])
            show = ", ".join(f"{k} {v:.3f} (majority {majority[k]:.3f})" for k, v in model.items())
            print(f"  {name}: {rows.sum()} clips of {groups} groups: {show}")


if __name__ == "__main__":
    main()
