"""Where a text-to-interaction FID comes from: the evaluator's main axes, and the categories that miss them.

Usage: python benchmarks/t2m_fid_breakdown.py DATA GEN.h5 [GEN.h5 ...] [--worst 8] [--axes 3]

The test clips and each generated file are embedded by the release's t2m
evaluator with one crop per clip (its first frames, as many as the protocol's
longest crop takes), so the FID printed here is close to, not equal to,
`interx evaluate`'s. For each file it prints the FID's mean and covariance
terms and, on the evaluator's principal axes (which hold most of the
variance on the synthetic release), the generated clips' mean shift and
variance ratio. It then ranks the action categories by how far their
generated clips sit from their real ones on those axes (per axis: squared
difference of means plus squared difference of standard deviations, summed),
which names the motions a generator gets wrong, and shows for each of them
what the clips do on average, real against generated, over the same frames:
how far each person travels, the closest and farthest the two pelvises come,
and the largest height gap between the pelvises (one person seated or down).
Prints the time taken.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from interx.data.annotations import official_action_names
from interx.data.processed import ProcessedRelease
from interx.eval import metrics
from interx.eval.action_evaluator import action_of
from interx.eval.evaluate import default_evaluator
from interx.eval.evaluator import OfficialEvaluator
from interx.eval.evaluator_input import MAX_MOTION_LENGTH, UNIT_LENGTH, Crop
from interx.eval.motions import GeneratedMotions, MotionSource, SplitMotions
from interx.eval.protocol import CropEmbedder, Draw, evaluated_ids
from interx.models.layout import pair_joints


def first_crop(frames: int) -> Crop:
    """The clip's first `min(T // 4 * 4, 150)` frames: the protocol's longest crop, from the start."""
    return Crop(0, min(frames // UNIT_LENGTH * UNIT_LENGTH, MAX_MOTION_LENGTH))


def embed(evaluator: OfficialEvaluator, source: MotionSource, ids: list[str]) -> np.ndarray:
    """One embedding per id: the first crop of its first sample."""
    draws = [Draw(0, i, 0, first_crop(source.num_frames(i, 0))) for i in ids]
    table = CropEmbedder(evaluator, [source]).embed_unique(draws)
    return np.stack([table[d] for d in draws])


def layout_figures(source: MotionSource, ids: list[str]) -> np.ndarray:
    """Per id, over the embedded frames: mean travel per person, closest and farthest pelvis distance (XZ) and the
    largest pelvis height gap, in metres."""
    rows = []
    for seq_id in ids:
        motion = source.read(seq_id, 0)
        pelvis = pair_joints(motion[:first_crop(len(motion)).length])[:, :, 0]
        travel = np.linalg.norm(np.diff(pelvis[:, :, [0, 2]], axis=0), axis=-1).sum(0).mean()
        apart = np.linalg.norm(pelvis[:, 0, [0, 2]] - pelvis[:, 1, [0, 2]], axis=-1)
        rows.append((travel, apart.min(), apart.max(), np.abs(pelvis[:, 0, 1] - pelvis[:, 1, 1]).max()))
    return np.array(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the processed release (its test split and t2m evaluator)")
    parser.add_argument("generated", nargs="+", help="h5 files written by `interx generate --split test`")
    parser.add_argument("--evaluator", default=None, help="default: the release's t2m evaluator")
    parser.add_argument("--axes", type=int, default=3, help="principal axes of the real embeddings to read")
    parser.add_argument("--worst", type=int, default=8, help="categories to list")
    args = parser.parse_args()
    began = time.perf_counter()
    evaluator = OfficialEvaluator.load(args.evaluator or default_evaluator(args.data, "t2m"))
    names = official_action_names()
    with ProcessedRelease(args.data) as release:
        gt = SplitMotions(release.motions("test"))
        ids = evaluated_ids(gt)
        real = embed(evaluator, gt, ids)
        real_layout = layout_figures(gt, ids)
    mean, cov = metrics.activation_statistics(real)
    variances, vectors = np.linalg.eigh(cov)
    variances, vectors = variances[::-1][:args.axes], vectors[:, ::-1][:, :args.axes]
    print(f"{len(ids)} test clips; the first {args.axes} principal axes hold "
          f"{variances.sum() / np.trace(cov):.1%} of the real embeddings' variance "
          f"({', '.join(f'{v:.1f}' for v in variances)} of {np.trace(cov):.1f})")
    actions = np.array([action_of(i) for i in ids])
    real_axes = (real - mean) @ vectors
    between = np.stack([real_axes[actions == a].mean(0) for a in np.unique(actions)]).var(0) / real_axes.var(0)
    print("share of each axis's variance between the category means: "
          + ", ".join(f"axis {k + 1} {share:.0%}" for k, share in enumerate(between)))
    for path in args.generated:
        generated = GeneratedMotions(path)
        try:
            missing = sorted(set(ids) - set(generated.ids()))
            if missing:
                raise SystemExit(f"{path}: {len(missing)} of the {len(ids)} test ids are missing (first: "
                                 f"{missing[0]}); make it with `interx generate RUN --split test {args.data}`")
            made = embed(evaluator, generated, ids)
            made_layout = layout_figures(generated, ids)
        finally:
            generated.close()
        made_mean, made_cov = metrics.activation_statistics(made)
        fid = metrics.frechet_distance(made_mean, made_cov, mean, cov)
        shift = made_mean - mean
        made_axes = (made - mean) @ vectors
        print(f"\n{path}\n  FID {fid:.3f} = mean term {shift @ shift:.3f} + covariance term {fid - shift @ shift:.3f}"
              f"; total variance {np.trace(made_cov):.1f} (real {np.trace(cov):.1f})")
        for k in range(args.axes):
            print(f"  axis {k + 1}: mean shift {made_axes[:, k].mean():+.2f}, variance ratio "
                  f"{made_axes[:, k].var(ddof=1) / variances[k]:.2f}")
        misses = []
        for action in np.unique(actions):
            rows = actions == action
            gap = ((made_axes[rows].mean(0) - real_axes[rows].mean(0)) ** 2
                   + (made_axes[rows].std(0) - real_axes[rows].std(0)) ** 2).sum()
            misses.append((gap, action))
        total = sum(gap for gap, _ in misses)
        print("  categories furthest from their real clips on these axes (share of the sum over all):")
        for gap, action in sorted(misses, reverse=True)[:args.worst]:
            rows = actions == action
            means = ", ".join(f"{m:+.1f}" for m in made_axes[rows].mean(0))
            real_means = ", ".join(f"{m:+.1f}" for m in real_axes[rows].mean(0))
            print(f"    {names[action]:<24} {gap / total:5.1%}  generated mean ({means}), real ({real_means}), "
                  f"sd {made_axes[rows].std(0).mean():.2f} against {real_axes[rows].std(0).mean():.2f}")
            for label, figures in (("real", real_layout[rows].mean(0)), ("generated", made_layout[rows].mean(0))):
                print(f"      {label:<9} travel {figures[0]:.2f} m, pelvises {figures[1]:.2f}-{figures[2]:.2f} m "
                      f"apart, height gap up to {figures[3]:.2f} m")
    print(f"\n{time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
