"""Running trained perception models on any motion source `interx render` reads (`interx predict`, `interx caption`).

A source's clips are drawn at 30 fps with the body model's joints; the
recognizer and captioner read both persons' first 22 joints through
`interx.models.pair_input`. Marker skeletons carry no body joints and are refused.
"""

from __future__ import annotations

import os

import numpy as np

from interx.body.skeleton import NUM_BODY_JOINTS
from interx.data.annotations import official_action_names
from interx.errors import InterXError
from interx.models.pair_input import CLIP_FRAMES, pair_views
from interx.models.recognizer import TRAITS, LoadedRecognizer


def source_views(path: str | os.PathLike, seq_id: str | None = None, *, frames: int = CLIP_FRAMES,
                 smplx_model: str | os.PathLike | None = None) -> tuple[list[str], np.ndarray]:
    """(ids, views [N, 2, frames, size]) of one sequence of the source, or of all of them."""
    from interx.viz.sources import MarkerSource, open_source

    with open_source(path, smplx_model=smplx_model) as source:
        if isinstance(source, MarkerSource):
            raise InterXError(f"{path}: a marker skeleton has no body joints: give a release, a processed folder "
                              "or a motion h5 (or fit it first with `interx fit`)")
        ids = [source.check_id(seq_id)] if seq_id is not None else source.ids
        views = []
        for i in ids:
            clip = source.clip(i, 30.0)
            if clip.num_persons != 2 or clip.joints.shape[2] < NUM_BODY_JOINTS:
                raise InterXError(f"{path} [{i}]: needs two persons' body joints, got {clip.num_persons} person(s) "
                                  f"with {clip.joints.shape[2]} joints")
            views.append(pair_views(np.moveaxis(clip.joints[:, :, :NUM_BODY_JOINTS], 0, 1), frames))
    return ids, np.stack(views)


def describe(recognizer: LoadedRecognizer, outputs: np.ndarray, *, top: int = 5) -> list[dict]:
    """Readable predictions per clip: ranked labels with probabilities, the actor, or the traits."""
    task = recognizer.config.task
    results = []
    for out in outputs:
        if task == "action":
            names = official_action_names()
            order = np.argsort(-out)[:top]
            results.append({"top": [{"label": names[i], "index": int(i), "probability": float(out[i])} for i in order]})
        elif task == "familiarity":
            order = np.argsort(-out)
            results.append({"top": [{"label": f"level {i + 1}", "index": int(i) + 1, "probability": float(out[i])}
                                    for i in order]})
        elif task == "order":
            results.append({"actor": f"P{int(np.argmax(out)) + 1}", "probability": {"P1": float(out[0]),
                                                                                 "P2": float(out[1])}})
        else:
            results.append({f"P{p + 1}": {t: float(v) for t, v in zip(TRAITS, out[p])} for p in range(2)})
    return results
