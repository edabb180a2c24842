"""`interx evaluate`: load the data, the generated motions (or a baseline) and the evaluator, run, report."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from interx.data.processed import ProcessedRelease
from interx.errors import InterXError
from interx.eval.action_evaluator import ActionEvaluator
from interx.eval.evaluator import OfficialEvaluator
from interx.eval.motions import GeneratedMotions, MotionSource, SplitMotions
from interx.eval.plausibility import VERSION as PLAUSIBILITY_VERSION
from interx.eval.plausibility import dataset_metrics
from interx.eval.protocol import (
    ACTION_TASKS,
    GROUND_TRUTH,
    PREDICTION,
    Progress,
    ProtocolConfig,
    evaluated_ids,
    random_baseline,
    retrieval_baseline,
    run_action_protocol,
    run_text_protocol,
    same_action_baseline,
)
from interx.eval.report import build_report

TASKS = ("t2m",) + ACTION_TASKS
BASELINES = ("random", "same-action", "retrieval")


def default_evaluator(data: str | os.PathLike, task: str) -> Path:
    """Where `interx train-evaluator` puts its checkpoint for a task's evaluator."""
    return Path(data) / "evaluators" / ("text" if task == "t2m" else "action") / "finest.tar"


def _texts(release: ProcessedRelease, ids) -> dict[str, list[tuple[str, ...]]]:
    return {i: [t.tokens for t in release.texts(i)] for i in ids}


def evaluate(task: str, data: str | os.PathLike, pred: str | os.PathLike | None = None, *,
             evaluator: str | os.PathLike | None = None, baseline: str | None = None,
             config: ProtocolConfig = ProtocolConfig(), progress: Progress | None = None,
             plausibility: bool = True) -> dict:
    """Run a task's protocol on the test split of a processed release; returns the report dict.

    With `plausibility`, the report also holds the plausibility metrics of the ground truth and of the
    first sample of each generated id (relation errors against the ground truth of the same id).
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    if pred is not None and baseline is not None:
        raise ValueError("give generated motions (--pred) or a baseline (--baseline), not both")
    if baseline is not None and baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}, got {baseline!r}")
    checkpoint = Path(evaluator) if evaluator is not None else default_evaluator(data, task)
    if not checkpoint.is_file():
        raise InterXError(f"no evaluator at {checkpoint}: pass --evaluator, or train one with "
                          f"`interx train-evaluator {'text' if task == 't2m' else 'action'} {data}`")
    with ProcessedRelease(data) as release:
        if "test" not in release.splits():
            raise InterXError(f"{data}: no motions/test.h5 to evaluate against")
        gt = SplitMotions(release.motions("test"))
        train = SplitMotions(release.motions("train")) if "train" in release.splits() else None
        generated: MotionSource | None = GeneratedMotions(pred) if pred is not None else None
        try:
            if task == "t2m":
                vocab = release.glove()
                if vocab is None:
                    raise InterXError(f"{data}: no glove/ vocabulary, needed to embed the texts")
                model = OfficialEvaluator.load(checkpoint)
                texts = _texts(release, [i for i in gt.ids()])
                ids = evaluated_ids(gt, texts)
                if baseline is not None:
                    generated = _baseline(baseline, release, train, ids, texts, vocab, config)
                result = run_text_protocol(model, vocab, texts, gt, generated, config, progress)
                described = {"path": str(checkpoint), "kind": "text-motion (official layout)",
                             "sizes": asdict(model.sizes)}
            else:
                model = ActionEvaluator.load(checkpoint)
                if baseline is not None:
                    generated = _baseline(baseline, release, train, gt.ids(), None, None, config)
                result = run_action_protocol(task, model, gt, generated, train, config, progress)
                described = {"path": str(checkpoint), "kind": "action recognizer (both persons' joints)"}
            physical = _plausibility(gt, generated) if plausibility else None
        finally:
            if isinstance(generated, GeneratedMotions):
                generated.close()
    inputs = {"data": str(data), "pred": str(pred) if pred is not None else None, "baseline": baseline}
    report = build_report(result, inputs, described)
    if physical is not None:
        report["plausibility"] = physical
    return report


def _plausibility(gt: MotionSource, generated: MotionSource | None) -> dict:
    ids = [i for i in gt.ids() if gt.num_frames(i, 0) >= 4]
    rows = {GROUND_TRUTH: dataset_metrics((i, gt.read(i, 0)) for i in ids)}
    if generated is not None:
        references = LazyReferences(gt)
        rows[PREDICTION] = dataset_metrics(((i, generated.read(i, 0)) for i in ids if generated.num_samples(i)),
                                           references)
    return {"version": PLAUSIBILITY_VERSION, "rows": rows}


class LazyReferences:
    """Ground-truth motions read on demand (a mapping for `dataset_metrics`)."""

    def __init__(self, gt: MotionSource):
        self.gt = gt

    def __contains__(self, seq_id: str) -> bool:
        return self.gt.num_samples(seq_id) > 0

    def __getitem__(self, seq_id: str):
        return self.gt.read(seq_id, 0)


def _baseline(kind: str, release: ProcessedRelease, train: SplitMotions | None, ids, texts, vocab,
              config: ProtocolConfig) -> MotionSource:
    if train is None:
        raise InterXError(f"{release.root}: the {kind} baseline needs motions/train.h5")
    samples = config.mm_repeats
    if kind == "random":
        return random_baseline(ids, train.ids(), train, samples, config.seed)
    if kind == "same-action":
        return same_action_baseline(ids, train.ids(), train, samples, config.seed)
    if texts is None:
        raise InterXError("the retrieval baseline needs texts: it is defined for t2m only")
    return retrieval_baseline({i: texts[i] for i in ids}, _texts(release, train.ids()), train, vocab, samples)
