"""`interx bench`: the benchmark's tables reproduced in one call, beside the published numbers.

For each task the model is loaded where the training commands put it
(DATA/generators/TASK-PRESET, DATA/recognizers/TASK, DATA/captioner) or
trained there first, the test split is generated or predicted, and the
task's own protocol scores it with its baselines. Every finished piece
(model, generated file, report) is kept, so a run that stops continues
where it stopped; after retraining a model, delete its OUT/generated and
OUT/reports files (named by task and preset) to score it again. The tables
go to OUT/bench.md and OUT/bench.json with one bar plot per task
(OUT/plots/TASK.png); published rows carry the definition they were made
under and are never merged with ours.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interx.data.atomic import atomic_path, atomic_write_text
from interx.data.processed import H5Motions
from interx.errors import InterXError
from interx.eval.published import PUBLISHED

if TYPE_CHECKING:  # the protocol imports torch: `interx --help` reads this module's task list
    from interx.eval.protocol import ProtocolConfig

GENERATIVE = {"text": "t2m", "action": "a2m", "reaction": "reaction", "style": "style", "prediction": "predict"}
RECOGNIZER_TASKS = {"recognition": "action", "order": "order", "familiarity": "familiarity",
                    "personality": "personality"}
TASKS = (*GENERATIVE, *RECOGNIZER_TASKS, "captioning")
GENERATIVE_METRICS = ("r_precision_top1", "r_precision_top2", "r_precision_top3", "matching_score", "fid",
                      "accuracy", "diversity", "multimodality")
LOWER_IS_BETTER = {"fid", "matching_score"}
PROPORTIONS = {"top1", "top5", "accuracy"}


@dataclass(frozen=True)
class BenchSettings:
    """What to run and how long each model trains when it is not there yet."""

    tasks: tuple[str, ...] = TASKS
    preset: str = "tiny"
    generator_minutes: float = 30.0
    perception_minutes: float = 30.0
    steps: int = 10
    replications: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = sorted(set(self.tasks) - set(TASKS))
        if unknown:
            raise InterXError(f"unknown tasks {unknown}; choose from {', '.join(TASKS)}")


@dataclass
class TaskTable:
    """One task's table: our rows (value, 95% interval or None) and the published rows (values)."""

    task: str
    definition: str
    metrics: list[str]
    rows: dict[str, dict[str, tuple[float, float | None]]]
    published: dict[str, dict[str, float]] = field(default_factory=dict)
    published_definition: str = ""
    notes: list[str] = field(default_factory=list)


def run_bench(data: str | os.PathLike, out: str | os.PathLike, settings: BenchSettings = BenchSettings(), *,
              progress: Callable[[str, int, int], None] | None = None) -> list[TaskTable]:
    """Every asked task's table, written to `out` as markdown, JSON and plots."""
    data, out = Path(data), Path(out)
    if not (data / "motions" / "test.h5").is_file():
        raise InterXError(f"{data}: no motions/test.h5; give a processed release (`interx prepare`)")
    step = None if progress is None else (lambda name: lambda done, total: progress(name, done, total))
    tables = []
    for task in settings.tasks:
        if task in GENERATIVE:
            tables.append(_generative_table(task, data, out, settings, step))
        elif task in RECOGNIZER_TASKS:
            tables.append(_recognizer_table(task, data, settings))
        else:
            tables.append(_captioning_table(data, settings))
        _write(tables, out, settings)
    return tables


# ------------------------------------------------- pieces the demo also uses
def trained_evaluator(kind: str, data: Path, *, epochs: int | None = None, seed: int = 0,
                      progress: Callable[[int, int], None] | None = None) -> Path:
    """DATA/evaluators/KIND/finest.tar, trained first when missing (`kind`: text or action)."""
    from interx.eval.action_evaluator import ActionTrainingConfig, train_action_evaluator
    from interx.eval.train import TextTrainingConfig, train_text_evaluator

    path = data / "evaluators" / kind / "finest.tar"
    if not path.is_file():
        schedule = {"seed": seed, **({"epochs": epochs} if epochs else {})}
        losses = None if progress is None else (lambda done, total, _loss: progress(done, total))
        if kind == "text":
            train_text_evaluator(data, path.parent, TextTrainingConfig(**schedule), progress=losses)
        else:
            train_action_evaluator(data, path.parent, ActionTrainingConfig(**schedule), progress=losses)
    return path


def trained_generator(code: str, data: Path, *, preset: str, minutes: float, seed: int = 0) -> Path:
    """DATA/generators/CODE-PRESET/generator.safetensors, trained first (for `minutes`) when missing."""
    from interx.train.generator import fit_generator, training_config

    run = data / "generators" / f"{code}-{preset}"
    if not (run / "generator.safetensors").is_file():
        fit_generator(data, run, training_config(code, preset, seed=seed), max_minutes=minutes)
    return run / "generator.safetensors"


def generated_split(weights: Path, code: str, data: Path, path: Path, *, steps: int, seed: int = 0,
                    progress: Callable[[int, int], None] | None = None) -> Path:
    """One sample per test id from the generator at `weights`, written to `path` unless it is there."""
    from interx.models.checkpoint import load_generator
    from interx.models.sampling import Sampler
    from interx.train.generate import generate_requests, split_requests

    if not path.is_file():
        sampler = Sampler(load_generator(weights, task=code))
        requests = split_requests(sampler, data, split="test", samples=1)
        generate_requests(sampler, requests, path, steps=steps, seed=seed, progress=progress)
    return path


def trained_recognizer(code: str, data: Path, *, minutes: float, seed: int = 0) -> dict:
    """The test report of DATA/recognizers/CODE, trained first when missing."""
    from interx.models.recognizer import RecognizerConfig
    from interx.train.recognizer import RecognizerTraining, fit_recognizer

    run = data / "recognizers" / code
    if not (run / "report.json").is_file():
        fit_recognizer(data, run, RecognizerConfig(task=code), RecognizerTraining(seed=seed), max_minutes=minutes)
    return json.loads((run / "report.json").read_text())


def cached_report(path: Path, code: str, data: Path, *, generated: Path | None, baseline: str | None,
                  evaluator: Path, config: ProtocolConfig,
                  progress: Callable[[int, int], None] | None = None) -> dict:
    """The protocol's report of `generated` (or of `baseline`) with `config` fitted to the test split;
    read from `path` when it is there, else scored and written there."""
    from interx.eval.evaluate import evaluate
    from interx.eval.report import write_report

    if not path.is_file():
        with H5Motions(data / "motions" / "test.h5") as h5:
            fitted = config.fitted(len(h5.ids()))
        report = evaluate(code, data, generated, evaluator=evaluator, baseline=baseline, config=fitted,
                          progress=progress, plausibility=False)
        if code == "style" and generated is not None:
            from interx.eval.style import style_correlations

            report["style_correlations"] = style_correlations(data, generated)
        write_report(path, report)
    return json.loads(path.read_text())


def report_rows(reports: dict[str, dict], ours: str) -> dict[str, dict[str, tuple[float, float | None]]]:
    """row -> metric -> (mean, 95% interval) of reports keyed "ours" or a baseline's name: the ground truth
    (from the first report), ours (labelled `ours`), then each baseline."""
    rows: dict[str, dict[str, tuple[float, float | None]]] = {}
    for name, report in reports.items():
        for row, values in report["rows"].items():
            label = "ground truth" if row == "ground truth" else (ours if name == "ours" else f"{name} baseline")
            rows.setdefault(label, {k: (v["mean"], v["interval"]) for k, v in values.items()})
    return rows


# ------------------------------------------------------------------ generative
def _generated(code: str, data: Path, out: Path, settings: BenchSettings, step) -> Path:
    """The test split generated by the task's model (trained first when missing)."""
    weights = trained_generator(code, data, preset=settings.preset, minutes=settings.generator_minutes,
                                seed=settings.seed)
    return generated_split(weights, code, data, out / "generated" / f"{code}-{settings.preset}.h5",
                           steps=settings.steps, seed=settings.seed,
                           progress=None if step is None else step(f"generating ({code})"))


def _report(code: str, name: str, data: Path, out: Path, generated: Path, settings: BenchSettings, step) -> dict:
    """The report of our generator (`name` = "ours") or a baseline, cached in OUT/reports."""
    from interx.eval.protocol import ProtocolConfig

    ours = name == "ours"
    return cached_report(out / "reports" / f"{code}-{settings.preset if ours else name}.json", code, data,
                         generated=generated if ours else None, baseline=None if ours else name,
                         evaluator=trained_evaluator("text" if code == "t2m" else "action", data, seed=settings.seed),
                         config=ProtocolConfig(replications=settings.replications, seed=settings.seed),
                         progress=None if step is None else step(f"evaluating {code} ({name})"))


def _generative_table(task: str, data: Path, out: Path, settings: BenchSettings, step) -> TaskTable:
    code = GENERATIVE[task]
    generated = _generated(code, data, out, settings, step)
    if code == "predict":
        from interx.eval.prediction import evaluate_prediction

        result = evaluate_prediction(data, generated)
        metrics = [f"{h:g} s" for h in result["horizons"]]
        rows = {("interx " + settings.preset if name == "prediction" else name):
                {f"{float(h):g} s": (value, None) for h, value in errors.items()}
                for name, errors in result["rows"].items()}
        return TaskTable(task, f"mean joint error (mm) after {result['observed_seconds']:g} s observed, "
                               f"{result['ids']} test clips", metrics, rows)
    baselines = ("random", "retrieval") if code == "t2m" else ("random",)
    reports = {name: _report(code, name, data, out, generated, settings, step) for name in ("ours", *baselines)}
    rows = report_rows(reports, f"interx {settings.preset}")
    metrics = [m for m in GENERATIVE_METRICS if any(m in r for r in rows.values())]
    first = reports["ours"]
    protocol = first["protocol"]
    definition = (f"{protocol['replications']} replications, mean ± 95% interval; pools of {protocol['pool']}, "
                  f"{protocol['diversity_times']} diversity pairs (published: 20, 32, 300; smaller only where the "
                  f"test split is); embedding scale {first['embedding_scale']:g}; evaluator "
                  f"{first['evaluator']['kind']} trained on {data}")
    published = PUBLISHED.get(task, {})
    notes = []
    if "style_correlations" in first:
        notes.append("Spearman correlation of condition and measure: " + json.dumps(first["style_correlations"]))
    return TaskTable(task, definition, metrics, rows, published.get("rows", {}), published.get("definition", ""),
                     notes)


# ------------------------------------------------------------------ perceptive
def _recognizer_table(task: str, data: Path, settings: BenchSettings) -> TaskTable:
    report = trained_recognizer(RECOGNIZER_TASKS[task], data, minutes=settings.perception_minutes,
                                seed=settings.seed)
    return _perception_table(task, report)


def _captioning_table(data: Path, settings: BenchSettings) -> TaskTable:
    from interx.train.captioner import fit_captioner

    run = data / "captioner"
    if not (run / "report.json").is_file():
        fit_captioner(data, run, max_minutes=settings.perception_minutes)
    return _perception_table("captioning", json.loads((run / "report.json").read_text()))


def _perception_table(task: str, report: dict) -> TaskTable:
    """Scores of one pass over the test split; accuracies get the 95% interval of a proportion over its clips."""
    clips = report["clips"]["test"]

    def interval(metric: str, value: float) -> float | None:
        return 1.96 * math.sqrt(value * (1.0 - value) / clips) if metric in PROPORTIONS else None

    rows = {name: {k: (v, interval(k, v)) for k, v in scores.items()} for name, scores in report["test"].items()}
    metrics = list(next(iter(report["test"].values())))
    published = PUBLISHED.get(task, {})
    return TaskTable(task, f"test split, {clips} clips, one pass; accuracies ± the 95% interval of a proportion "
                           f"over the clips (normal approximation), other scores without one; {report['minutes']} "
                           "min of training", metrics, rows, published.get("rows", {}),
                     published.get("definition", ""))


# ---------------------------------------------------------------------- output
def _cell(value: float, interval: float | None) -> str:
    return f"{value:.3f}" if interval is None else f"{value:.3f} ± {interval:.3f}"


def markdown(tables: list[TaskTable], settings: BenchSettings) -> str:
    lines = ["# interx bench", "", f"Settings: {json.dumps(asdict(settings))}", ""]
    for table in tables:
        lines += [f"## {table.task}", "", table.definition, "",
                  "| | " + " | ".join(table.metrics) + " |", "|---" * (len(table.metrics) + 1) + "|"]
        for row, values in table.rows.items():
            lines.append(f"| {row} | " + " | ".join(_cell(*values[m]) if m in values else "-"
                                                   for m in table.metrics) + " |")
        for row, values in table.published.items():
            lines.append(f"| *{row} (published)* | " + " | ".join(f"*{values[m]:g}*" if m in values else "-"
                                                                   for m in table.metrics) + " |")
        if table.published:
            lines += ["", f"Published rows: {table.published_definition}; not comparable with ours unless made "
                          "the same way."]
        lines += ["", *table.notes, "", f"![{table.task}](plots/{table.task}.png)", ""]
    return "\n".join(lines)


def plot(table: TaskTable, path: Path) -> None:
    """One panel per metric: a bar per row with its 95% interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(table.rows)
    fig, axes = plt.subplots(1, len(table.metrics), figsize=(2.2 * len(table.metrics) + 1.5, 3.2), squeeze=False)
    for ax, metric in zip(axes[0], table.metrics):
        values = [table.rows[n].get(metric, (float("nan"), None)) for n in names]
        ax.bar(range(len(names)), [v for v, _ in values], yerr=[i or 0.0 for _, i in values], capsize=3,
               color=[f"C{k}" for k in range(len(names))])
        ax.set_title(metric + (" (lower is better)" if metric in LOWER_IS_BETTER else ""), fontsize=8)
        ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    fig.suptitle(table.task)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)


def _write(tables: list[TaskTable], out: Path, settings: BenchSettings) -> None:
    for table in tables:
        plot(table, out / "plots" / f"{table.task}.png")
    atomic_write_text(out / "bench.md", markdown(tables, settings))
    atomic_write_text(out / "bench.json", json.dumps({"settings": asdict(settings),
                                                      "tables": [asdict(t) for t in tables]}, indent=1))
