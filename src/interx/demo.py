"""The demo: the toolkit's main job end to end on built-in data, as one library call.

Makes the synthetic release (zipped, official layout), summarizes, checks and
prepares it, trains the text evaluator, a `tiny` text-to-interaction
generator and an action recognizer, generates a motion for every test id,
scores it with the text protocol beside the ground truth and the random and
retrieval baselines, renders a generated interaction beside its ground truth
as a GIF, exports the viewer page and writes `summary.md`.

Every step keeps what it made: run again, a step whose output is there is
reused (training included), so a second run takes seconds. A step that finds
a problem stops the demo, and the result says how far it got.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from interx.bench import (
    cached_report,
    generated_split,
    report_rows,
    trained_evaluator,
    trained_generator,
    trained_recognizer,
)
from interx.data.atomic import atomic_write_text
from interx.data.check import CheckReport, check_dataset
from interx.data.info import DatasetInfo, dataset_info
from interx.data.processed import H5Motions
from interx.errors import InterXError
from interx.prepare.run import PrepareReport, prepare
from interx.synth.generate import SIZES, SynthReport, write_synthetic_release
from interx.viz.render import RenderOptions, per_action_sheet, render
from interx.viz.sources import open_source

FPS = 30.0
TASK = "t2m"
BASELINES = ("random", "retrieval")
SUMMARY_METRICS = {"r_precision_top3": "R-precision top-3", "fid": "FID", "matching_score": "MM Dist",
                   "diversity": "Diversity"}


@dataclass(frozen=True)
class DemoSettings:
    """How much the demo does; the defaults fit 2 CPU cores in about a quarter of an hour."""

    size: str = "small"
    workers: int = 2
    generator_minutes: float = 6.0
    recognizer_minutes: float = 2.0
    sampling_steps: int = 10
    evaluator_epochs: int = 30
    # the protocol's sizes for a test split of tens of ids (published: 20 replications, pools of 32, 300 pairs);
    # pools and pairs shrink further when the test split has fewer ids
    replications: int = 5
    pool: int = 32
    diversity_pairs: int = 40
    seed: int = 0

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise InterXError(f"--size must be one of {', '.join(SIZES)}, got {self.size!r}")


@dataclass
class DemoResult:
    """What the demo made; a step that did not run (an earlier one found a problem) stays None or empty."""

    out_dir: Path
    release: Path
    processed: Path
    reused: list[str] = field(default_factory=list)  # steps whose output was already there
    synthetic: SynthReport | None = None
    info: DatasetInfo | None = None
    check: CheckReport | None = None
    prepared: PrepareReport | None = None
    sheet: Path | None = None
    evaluator: Path | None = None
    generator: Path | None = None
    recognizer_report: dict | None = None
    generated: Path | None = None
    reports: dict[str, dict] = field(default_factory=dict)  # ours and each baseline -> the evaluation report
    gif: Path | None = None
    gif_id: str | None = None
    viewer: Path | None = None
    summary: Path | None = None

    def metrics_rows(self) -> dict[str, dict[str, tuple[float, float]]]:
        """row -> metric -> (mean, 95% interval) of the summary's metrics: the ground truth, our generator,
        then each baseline."""
        return {row: {k: v for k, v in metrics.items() if k in SUMMARY_METRICS}
                for row, metrics in report_rows(self.reports, "interx tiny generator").items()}


def run_demo(out_dir: str | os.PathLike, settings: DemoSettings = DemoSettings(), *,
             progress: Callable[[str, int, int], None] | None = None) -> DemoResult:
    """Run (or reuse) every step into `out_dir`; `progress(step, done, total)` per step."""
    out_dir = Path(out_dir)
    result = DemoResult(out_dir, out_dir / f"synthetic-{settings.size}", out_dir / f"processed-{settings.size}")

    def step(name: str) -> Callable[[int, int], None] | None:
        return None if progress is None else lambda done, total: progress(name, done, total)

    if not _data_steps(result, settings, step, progress):
        return result
    _model_steps(result, settings, step)
    _evaluate_steps(result, settings, step)
    _picture_steps(result, step)
    result.summary = write_summary(result, settings)
    return result


def _data_steps(result: DemoResult, settings: DemoSettings, step, progress) -> bool:
    """Release, summary, check, prepared release, category sheet and one video; False if a problem stops it."""
    if (result.release / "README.txt").is_file():  # written last: the release is complete
        result.reused.append("synthetic release")
    else:
        result.synthetic = write_synthetic_release(result.release, size=settings.size, seed=settings.seed,
                                                   as_zip=True, workers=settings.workers, progress=step("generating"))
        if result.synthetic.failed:
            return False
    result.info = dataset_info(result.release, progress=step("reading"))
    result.check = check_dataset(result.release, progress=step("checking"))
    if not result.check.ok:
        return False
    result.prepared = prepare(result.release, result.processed, workers=settings.workers, progress=progress)
    if not result.prepared.ok:
        return False
    result.sheet = result.out_dir / "categories.png"
    if _note_reuse(result, result.sheet, "category sheet"):
        return True
    with open_source(result.release) as source:
        per_action_sheet(source, result.sheet, width=320, height=240, fps=FPS, progress=step("rendering actions"))
    return True


def _model_steps(result: DemoResult, settings: DemoSettings, step) -> None:
    """The text evaluator, the tiny generator and the action recognizer, each trained once."""
    data = result.processed
    _note_reuse(result, data / "evaluators" / "text" / "finest.tar", "text evaluator")
    result.evaluator = trained_evaluator("text", data, epochs=settings.evaluator_epochs, seed=settings.seed,
                                         progress=step("training the text evaluator"))
    _note_reuse(result, data / "generators" / f"{TASK}-tiny" / "generator.safetensors", "generator")
    result.generator = trained_generator(TASK, data, preset="tiny", minutes=settings.generator_minutes,
                                         seed=settings.seed)
    _note_reuse(result, data / "recognizers" / "action" / "report.json", "recognizer")
    result.recognizer_report = trained_recognizer("action", data, minutes=settings.recognizer_minutes,
                                                  seed=settings.seed)


def _evaluate_steps(result: DemoResult, settings: DemoSettings, step) -> None:
    """One motion per test id from the generator, then the text protocol on it and on the baselines."""
    from interx.eval.protocol import ProtocolConfig

    data = result.processed
    path = result.out_dir / f"generated-{TASK}-test.h5"
    _note_reuse(result, path, "generated motions")
    result.generated = generated_split(result.generator, TASK, data, path, steps=settings.sampling_steps,
                                       seed=settings.seed, progress=step("generating motions"))
    config = ProtocolConfig(replications=settings.replications, pool=settings.pool,
                            diversity_times=settings.diversity_pairs, mm_texts=10, mm_repeats=5, mm_times=5,
                            seed=settings.seed)
    for name in ("ours", *BASELINES):
        path = result.out_dir / "reports" / f"{TASK}-{name}.json"
        _note_reuse(result, path, f"evaluation ({name})")
        ours = name == "ours"
        result.reports[name] = cached_report(path, TASK, data, generated=result.generated if ours else None,
                                             baseline=None if ours else name, evaluator=result.evaluator,
                                             config=config, progress=step(f"evaluating ({name})"))


def _picture_steps(result: DemoResult, step) -> None:
    """A GIF of the first generated interaction beside its ground truth, and the viewer page of both."""
    from interx.viz.server import ViewerData, export_page

    with H5Motions(result.generated) as h5:
        ids = h5.ids()
    if not ids:
        raise InterXError(f"{result.generated}: the generator wrote no motion")
    result.gif_id = ids[0]
    result.gif = result.out_dir / "generated-vs-truth.gif"
    if not _note_reuse(result, result.gif, "GIF"):
        with open_source(result.processed) as truth, open_source(result.generated) as generated:
            clips = [generated.clip(result.gif_id, 15.0), truth.clip(result.gif_id, 15.0)]
            render(clips, result.gif, RenderOptions(width=480, height=270), progress=step("rendering the GIF"))
    result.viewer = result.out_dir / "viewer.html"
    if not _note_reuse(result, result.viewer, "viewer page"):
        with open_source(result.generated) as generated, open_source(result.processed) as truth:
            page = export_page(ViewerData([truth, generated]), ids[:10], progress=step("exporting the viewer"))
        atomic_write_text(result.viewer, page)


def _note_reuse(result: DemoResult, path: Path, name: str) -> bool:
    """Whether step `name`'s output is already there (then it is listed as reused)."""
    if path.is_file():
        result.reused.append(name)
        return True
    return False


def write_summary(result: DemoResult, settings: DemoSettings) -> Path:
    """`summary.md`: the metrics tables (text protocol, recognizer) and where each output is."""
    first = next(iter(result.reports.values()))
    protocol = first["protocol"]
    lines = [f"# interx demo ({settings.size} synthetic release)", "",
             f"Text to interaction on the test split ({first['counts']['evaluated_ids']} ids): mean ± 95% interval "
             f"over {protocol['replications']} replications, R-precision in pools of {protocol['pool']}, Diversity "
             f"over {protocol['diversity_times']} pairs (the published protocol: 20 replications, pools of 32, 300 "
             f"pairs; MultiModality needs several samples "
             f"per id and is not measured here). Evaluator trained on the same synthetic release.", "",
             "| | " + " | ".join(SUMMARY_METRICS.values()) + " |", "|---" * (len(SUMMARY_METRICS) + 1) + "|"]
    for row, metrics in result.metrics_rows().items():
        cells = [f"{metrics[k][0]:.3f} ± {metrics[k][1]:.3f}" if k in metrics else "-" for k in SUMMARY_METRICS]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    recognizer = result.recognizer_report
    lines += ["", f"Action recognition on the test split ({recognizer['clips']['test']} clips, "
              f"{recognizer['minutes']} min of training):", "", "| | top-1 | top-5 |", "|---|---|---|"]
    for row, scores in recognizer["test"].items():
        lines.append(f"| {row} | {scores.get('top1', float('nan')):.3f} | {scores.get('top5', float('nan')):.3f} |")
    lines += ["", "Outputs:", "",
              f"- raw release: `{result.release}`; processed release: `{result.processed}`",
              f"- generator: `{result.generator}`; generated test motions: `{result.generated}`",
              f"- reports: `{result.out_dir / 'reports'}`; GIF ({result.gif_id}, generated left, ground truth right): "
              f"`{result.gif}`",
              f"- category sheet: `{result.sheet}`; viewer page (opens offline): `{result.viewer}`"]
    path = result.out_dir / "summary.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path
