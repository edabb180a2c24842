"""Two-person motion prediction: joint error at fixed horizons after the observed start, and two baselines.

The ground truth is the test split's motions (`motions/test.h5`, posed
through the neutral body, what `interx render` shows): the first `observed`
frames are given, the error at horizon h seconds is the mean Euclidean
distance (mm) over both persons' 22 joints at frame observed - 1 + h * 30.
Predictions are `[T, 56, 6]` motions in the same frame, as `interx generate
--split test` writes them for a predict model. Baselines:
constant pose (the last observed frame held) and constant velocity (the last
observed velocity kept).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from interx.data.processed import H5Motions
from interx.errors import InterXError
from interx.eval.motions import GeneratedMotions
from interx.models.pair_input import body_joints

FPS = 30
HORIZONS = (0.5, 1.0, 2.0)
OBSERVED = 30


def horizon_errors(truth: np.ndarray, pred: np.ndarray, observed: int = OBSERVED,
                   horizons=HORIZONS) -> dict[float, float]:
    """Mean joint error (mm) per horizon between `(T, 2, 22, 3)` clips (metres)."""
    out = {}
    for h in horizons:
        frame = observed - 1 + int(round(h * FPS))
        out[h] = float(np.linalg.norm(truth[frame] - pred[frame], axis=-1).mean() * 1000)
    return out


def constant_pose(truth: np.ndarray, observed: int = OBSERVED) -> np.ndarray:
    out = truth.copy()
    out[observed:] = truth[observed - 1]
    return out


def constant_velocity(truth: np.ndarray, observed: int = OBSERVED) -> np.ndarray:
    out = truth.copy()
    velocity = truth[observed - 1] - truth[observed - 2]
    steps = np.arange(1, len(truth) - observed + 1)[:, None, None, None]
    out[observed:] = truth[observed - 1] + steps * velocity
    return out


def evaluate_prediction(data: str | os.PathLike, pred: str | os.PathLike | None = None, *,
                        observed: int = OBSERVED, horizons=HORIZONS) -> dict:
    """Rows (constant pose, constant velocity, and the prediction when given) of mean errors per horizon."""
    needed = observed - 1 + int(round(max(horizons) * FPS)) + 1
    path = Path(data) / "motions" / "test.h5"
    if not path.is_file():
        raise InterXError(f"{path}: no test motions (run `interx prepare`)")
    rows: dict[str, list[dict[float, float]]] = {"constant pose": [], "constant velocity": []}
    generated = GeneratedMotions(pred) if pred is not None else None
    if generated is not None:
        rows["prediction"] = []
    try:
        with H5Motions(path) as motions:
            ids = [k for k in motions.ids() if motions.num_frames(k) >= needed]
            if not ids:
                raise InterXError(f"{path}: no test clip has the {needed} frames the horizons need")
            for seq_id in ids:
                truth = body_joints(motions.read(seq_id)[:needed], seq_id)
                rows["constant pose"].append(horizon_errors(truth, constant_pose(truth, observed), observed, horizons))
                rows["constant velocity"].append(horizon_errors(truth, constant_velocity(truth, observed), observed,
                                                                horizons))
                if generated is not None:
                    if not generated.num_samples(seq_id):
                        raise InterXError(f"{generated.name}: no prediction for test id {seq_id}")
                    guess = body_joints(generated.read(seq_id, 0), seq_id)
                    if len(guess) < needed:
                        raise InterXError(f"{generated.name}: {seq_id} has {len(guess)} frames, the horizons need "
                                          f"{needed}")
                    rows["prediction"].append(horizon_errors(truth, guess[:needed], observed, horizons))
    finally:
        if generated is not None:
            generated.close()
    return {"observed_seconds": observed / FPS, "horizons": list(horizons), "ids": len(ids),
            "rows": {name: {str(h): float(np.mean([r[h] for r in values])) for h in horizons}
                     for name, values in rows.items()}}
