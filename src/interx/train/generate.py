"""`interx generate`: requests from the command line or from every test id of a prepared release, into an h5.

For a split, each id gets K samples at its own length (at most the model's
maximum) and its own conditions: the captions in turn (t2m), the action
(a2m), the actor's motion (reaction), action, familiarity and Big-Five
(style), or its first second (predict, 3-second windows). The file has one
dataset per id, `[K, T, 56, 6]` (or `[T, 56, 6]` for K = 1), which
`interx evaluate`, `interx render` and `interx view` read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np

from interx.data.atomic import atomic_path
from interx.errors import InterXError
from interx.models.sampling import Request, Sampler
from interx.train.datasets import DEFAULT_MIN_LENGTH
from interx.train.generator import TASK_DATASETS


def split_requests(sampler: Sampler, data: str | os.PathLike, *, split: str = "test", samples: int = 1,
                   ids: list[str] | None = None) -> list[tuple[str, Request]]:
    """(id, request) for each id of the split and each of its `samples`."""
    config = sampler.config
    cls = TASK_DATASETS[config.task]
    # prediction needs only the observed start: every clip that has it gets the model's whole window
    predict = config.task == "predict"
    dataset = cls(data, split, min_length=config.observed_frames if predict else min(config.min_length,
                  DEFAULT_MIN_LENGTH), max_length=config.max_length, random_crop=False, normalize=False,
                  layout=config.layout)
    wanted = set(ids) if ids is not None else None
    out = []
    for index, seq_id in enumerate(dataset.ids):
        if wanted is not None and seq_id not in wanted:
            continue
        item = dataset[index]
        length = config.max_length if predict else int(item["length"])
        motion = known_mask = None
        if config.task in ("reaction", "predict"):
            motion = dataset.read_motion(seq_id)
            known_mask = np.zeros((len(motion), 2), dtype=bool)
            if config.task == "reaction":
                known_mask[:, int(item["actor_index"])] = True
            else:
                known_mask[:config.observed_frames] = True
        for k in range(samples):
            request = Request(length=length, motion=motion, known_mask=known_mask)
            if config.task == "t2m":
                options = dataset.texts[seq_id]
                request.text = options[k % len(options)][0]
            if "action" in item:
                request.action = int(item["action"])
            if config.task == "style":
                request.familiarity = int(item["familiarity"])
                request.big_five = item["big_five"].numpy()
            out.append((seq_id, request))
    if not out:
        raise InterXError(f"{data}: no {split} ids to generate for task {config.task}")
    return out


def write_generated(path: str | os.PathLike, motions: dict[str, list[np.ndarray]]) -> Path:
    """One dataset per id: `[T, 56, 6]` for one sample, `[K, T, 56, 6]` for K; written atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            for seq_id in sorted(motions):
                arrays = motions[seq_id]
                data = arrays[0] if len(arrays) == 1 else np.stack(arrays)
                h5.create_dataset(seq_id, data=np.asarray(data, dtype=np.float32))
    return path


def generate_requests(sampler: Sampler, requests: list[tuple[str, Request]], out: str | os.PathLike, *,
                      steps: int | None = None, guidance: float | None = None, guidance_stop: float | None = None,
                      seed: int = 0, batch_size: int = 32, progress: Callable[[int, int], None] | None = None,
                      start_level: float = 1.0) -> Path:
    """Sample every request (same-length ones batched together) and write the h5."""
    order = sorted(range(len(requests)), key=lambda i: requests[i][1].length)  # little padding per batch
    motions = sampler.motions([requests[i][1] for i in order], steps=steps, guidance=guidance, seed=seed,
                              batch_size=batch_size, progress=progress, guidance_stop=guidance_stop,
                              start_level=start_level)
    grouped: dict[str, list[tuple[int, np.ndarray]]] = {}
    for position, motion in zip(order, motions):
        grouped.setdefault(requests[position][0], []).append((position, motion))
    return write_generated(out, {k: [m for _, m in sorted(v, key=lambda pm: pm[0])] for k, v in grouped.items()})
