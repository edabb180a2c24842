"""Stylized generation: does the conditioning show in the motion? Correlations with distance and tempo.

For every test id with a familiarity and both persons' Big-Five, two motion
measures (both persons' joints, neutral body): the interpersonal distance
(mean horizontal pelvis-to-pelvis distance, m) and the tempo (mean joint
speed, m/s). Spearman correlations of familiarity and of the pair's mean
extraversion with each, in the ground truth and in generated motions
(first sample per id), side by side.
"""

from __future__ import annotations

import os

import numpy as np
from scipy.stats import spearmanr

from interx.data.annotations import big_five_of_group, read_big_five, read_familiarity
from interx.data.ids import SequenceId
from interx.data.processed import ProcessedRelease
from interx.errors import InterXError
from interx.eval.motions import GeneratedMotions, SplitMotions
from interx.models.pair_input import body_joints

FPS = 30
EXTRAVERSION = 2  # trait order: openness, conscientiousness, extraversion, agreeableness, neuroticism


def motion_measures(motion: np.ndarray, name: str = "motion") -> tuple[float, float]:
    """(distance m, tempo m/s) of a `[T, 56, 6]` motion."""
    joints = body_joints(motion, name)
    distance = np.linalg.norm(joints[:, 0, 0, [0, 2]] - joints[:, 1, 0, [0, 2]], axis=-1).mean()
    tempo = np.linalg.norm(np.diff(joints, axis=0), axis=-1).mean() * FPS
    return float(distance), float(tempo)


def style_correlations(data: str | os.PathLike, pred: str | os.PathLike | None = None) -> dict:
    """{"ground truth": {...}, "prediction": {...}}, each naming condition~measure -> Spearman rho."""
    annots = os.path.join(data, "annots")
    familiarity = read_familiarity(os.path.join(annots, "familiarity.txt"))
    table = read_big_five(os.path.join(annots, "big_five.npy"))
    sources = {}
    with ProcessedRelease(data) as release:
        sources["ground truth"] = SplitMotions(release.motions("test"))
        generated = GeneratedMotions(pred) if pred is not None else None
        if generated is not None:
            sources["prediction"] = generated
        try:
            labels = {}
            for seq_id in sources["ground truth"].ids():
                group = SequenceId.parse(seq_id).group
                traits = big_five_of_group(table, group)
                if group in familiarity and traits is not None:
                    labels[seq_id] = (familiarity[group], float(traits[:, EXTRAVERSION].mean()))
            if len(labels) < 3:
                raise InterXError(f"{data}: fewer than 3 test ids with familiarity and Big-Five")
            out = {"ids": len(labels)}
            for name, source in sources.items():
                ids = [i for i in labels if source.num_samples(i)]
                if len(ids) < len(labels):
                    raise InterXError(f"{source.name}: {len(labels) - len(ids)} test ids missing")
                measures = np.array([motion_measures(source.read(i, 0), i) for i in ids])
                fam = np.array([labels[i][0] for i in ids])
                extra = np.array([labels[i][1] for i in ids])
                out[name] = {
                    "familiarity~distance": float(spearmanr(fam, measures[:, 0]).statistic),
                    "familiarity~tempo": float(spearmanr(fam, measures[:, 1]).statistic),
                    "extraversion~distance": float(spearmanr(extra, measures[:, 0]).statistic),
                    "extraversion~tempo": float(spearmanr(extra, measures[:, 1]).statistic),
                    "mean distance (m)": float(measures[:, 0].mean()),
                    "mean tempo (m/s)": float(measures[:, 1].mean()),
                }
        finally:
            if generated is not None:
                generated.close()
    return out
