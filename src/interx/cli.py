"""The `interx` command line: parses arguments and calls the library."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from interx.errors import InterXError

app = typer.Typer(
    help="interx: read, prepare, evaluate and look at two-person interaction motion (Inter-X).",
    no_args_is_help=True,
    add_completion=False,
)

ROOT_HELP = ("Dataset folder: a raw release (motions/ or motions.zip, texts/, skeletons/, annots/, splits/) "
             "or a processed one (motions/{train,val,test}.h5, texts_processed/, glove/).")


@app.callback()
def main() -> None:
    """Toolkit for the Inter-X two-person motion dataset."""


def _progress(console: Console, label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def _fail(console: Console, error: Exception) -> None:
    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def check(
    root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT"),
    max_rows: int = typer.Option(10, "--max-rows", "-n", min=1, help="Rows shown per kind of problem."),
) -> None:
    """Validate every file of a dataset and list every problem found.

    Keeps going past bad sequences. Exit status: 0 when the dataset is clean,
    1 when any problem was found, 2 when ROOT is not a dataset.
    """
    from interx.data.check import KINDS, check_dataset

    out, err = Console(), Console(stderr=True)
    try:
        with _progress(err, "checking") as bar:
            task = bar.add_task("check", total=None)
            report = check_dataset(root, progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InterXError as exc:
        _fail(err, exc)
    out.print(f"[bold]{escape(str(root))}[/]: {report.layout}, {report.sequences} sequences checked", highlight=False)
    if report.ok:
        out.print("[green]no problems found[/]")
        return
    groups = report.by_kind()
    summary = Table(title=f"{len(report.problems)} problems", title_justify="left")
    summary.add_column("kind")
    summary.add_column("count", justify="right")
    summary.add_column("what")
    for kind, problems in groups.items():
        summary.add_row(kind, str(len(problems)), KINDS.get(kind, ""))
    out.print(summary)
    for kind, problems in groups.items():
        table = Table(title=f"{kind} ({len(problems)})", title_justify="left", show_lines=False)
        table.add_column("id", no_wrap=True)
        table.add_column("file", overflow="fold")
        table.add_column("problem", overflow="fold")
        for problem in problems[:max_rows]:
            table.add_row(problem.id or "-", escape(_relative(problem.file, root)), escape(problem.message))
        out.print(table)
        if len(problems) > max_rows:
            out.print(f"  ... and {len(problems) - max_rows} more {kind} problems (use --max-rows)")
    raise typer.Exit(1)


@app.command()
def info(root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT")) -> None:
    """Counts per split and action, frames and hours, lengths and text statistics."""
    from interx.data.info import dataset_info

    out, err = Console(), Console(stderr=True)
    try:
        with _progress(err, "reading") as bar:
            task = bar.add_task("info", total=None)
            stats = dataset_info(root, progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InterXError as exc:
        _fail(err, exc)

    out.print(f"[bold]{escape(str(root))}[/]: {stats.layout} release, {stats.fps} fps", highlight=False)
    overview = Table(title="overview", title_justify="left", show_header=False)
    overview.add_column("")
    overview.add_column("", justify="right")
    overview.add_row("sequences", f"{stats.sequences:,}")
    for split, count in stats.split_counts.items():
        overview.add_row(f"  {split}", f"{count:,}")
    overview.add_row("frames", f"{stats.total_frames:,}")
    overview.add_row("hours", f"{stats.hours:.2f}")
    if stats.unreadable:
        overview.add_row("[red]unreadable sequences[/]", f"{stats.unreadable:,}")
    out.print(overview)

    lengths = Table(title="sequence length", title_justify="left")
    for column in ("", "min", "median", "mean", "max"):
        lengths.add_column(column, justify="right")
    s = stats.lengths
    lengths.add_row("frames", f"{s.min:.0f}", f"{s.median:.1f}", f"{s.mean:.1f}", f"{s.max:.0f}")
    lengths.add_row("seconds", *(f"{v / stats.fps:.2f}" for v in (s.min, s.median, s.mean, s.max)))
    out.print(lengths)

    histogram = Table(title="length histogram", title_justify="left")
    histogram.add_column("seconds")
    histogram.add_column("sequences", justify="right")
    histogram.add_column("")
    peak = max((c for _, _, c in stats.histogram), default=0) or 1
    for low, high, count in stats.histogram:
        label = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
        histogram.add_row(label, str(count), "#" * round(30 * count / peak))
    out.print(histogram)

    texts = Table(title="texts", title_justify="left", show_header=False)
    texts.add_column("")
    texts.add_column("", justify="right")
    texts.add_row("texts", f"{stats.num_texts:,}")
    t, w = stats.texts_per_sequence, stats.words_per_text
    texts.add_row("texts per sequence (min/mean/max)", f"{t.min:.0f} / {t.mean:.2f} / {t.max:.0f}")
    texts.add_row("words per text (min/mean/max)", f"{w.min:.0f} / {w.mean:.1f} / {w.max:.0f}")
    texts.add_row("vocabulary (distinct words)", f"{stats.vocabulary_size:,}")
    out.print(texts)

    actions = Table(title="sequences per action", title_justify="left")
    actions.add_column("action", justify="right")
    actions.add_column("name")
    actions.add_column("sequences", justify="right")
    for action, count in stats.action_counts.items():
        actions.add_row(f"{action:03d}", escape(stats.action_names[action]), str(count))
    out.print(actions)


@app.command()
def example(
    out_dir: Path = typer.Argument(..., help="Folder to write the example release into.", show_default=False,
                                  metavar="OUT"),
    per_action: int = typer.Option(2, "--per-action", min=1, help="Sequences per action (40 actions)."),
    seed: int = typer.Option(0, help="Random seed."),
    as_zip: bool = typer.Option(False, "--zip", help="Write motions.zip, skeletons.zip, texts.zip instead of folders."),
) -> None:
    """Write a small VALID raw release in the official layout (an example, not real data)."""
    from interx.data.example import write_example_release

    write_example_release(out_dir, per_action=per_action, seed=seed, zip=as_zip)
    Console().print(f"wrote an example raw release with {40 * per_action} sequences to {escape(str(out_dir))}",
                    highlight=False)


@app.command()
def synth(
    out_dir: Path = typer.Argument(..., help="Folder to write the synthetic release into.", show_default=False,
                                  metavar="OUT"),
    size: str = typer.Option("small", help="tiny (2 per action), small (10), medium (50) or full (every official id)."),
    seed: int = typer.Option(0, help="Dataset seed: same seed, same bytes."),
    as_zip: bool = typer.Option(False, "--zip", help="Write motions.zip, skeletons.zip, texts.zip as the release does."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Generate a procedural two-person interaction dataset in the exact Inter-X release layout."""
    from interx.synth.generate import SIZES, write_synthetic_release

    err = Console(stderr=True)
    if size not in SIZES:
        _fail(err, InterXError(f"--size must be one of {', '.join(SIZES)}, got {size!r}"))
    with _progress(err, "generating") as bar:
        task = bar.add_task("synth", total=None)
        report = write_synthetic_release(
            out_dir, size, seed, zip=as_zip, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    Console().print(f"wrote {len(report.written)} synthetic sequences to {escape(str(out_dir))}", highlight=False)
    if report.failed:
        for seq_id, error in report.failed.items():
            err.print(f"[red]failed[/] {seq_id}: {escape(error)}", highlight=False)
        err.print(f"[bold red]{len(report.failed)} sequences failed[/]; the others were written")
        raise typer.Exit(1)


@app.command()
def demo(
    out_dir: Path = typer.Option(Path("demo-output"), "--out", help="Folder for everything the demo writes."),
    size: str = typer.Option("small", help="Synthetic dataset size: tiny, small, medium or full."),
    workers: int = typer.Option(2, min=1, help="Worker processes."),
) -> None:
    """The main job on built-in data: generate the synthetic release (zipped, official layout), summarize and check it."""
    release = out_dir / f"synthetic-{size}"
    synth(release, size=size, seed=0, as_zip=True, workers=workers)
    info(release)
    check(release, max_rows=10)

if __name__ == "__main__":
    app()


@app.command()
def evaluate(
    task: str = typer.Option("t2m", "--task", help="t2m (text), a2m (action), reaction or style."),
    data: Path = typer.Option(..., "--data", help="Processed release whose test split is the ground truth.",
                              show_default=False),
    pred: Path = typer.Option(None, "--pred", help="Generated motions: h5 with one dataset per test id, "
                              "[T, 56, 6] or [S, T, 56, 6] for S samples (MultiModality).", show_default=False),
    evaluator: Path = typer.Option(None, "--evaluator", help="Evaluator checkpoint (official finest.tar works for "
                                   "t2m). Default: DATA/evaluators/{text,action}/finest.tar.", show_default=False),
    baseline: str = typer.Option(None, "--baseline", help="Score a reference generator instead of --pred: random "
                                 "(random training motions) or retrieval (motion of the nearest training text).",
                                 show_default=False),
    out: Path = typer.Option(None, "--out", "-o", help="JSON report. Default: next to --pred (PRED.TASK.json) or "
                             "DATA/reports/TASK-BASELINE.json.", show_default=False),
    replications: int = typer.Option(20, min=1, help="Replications (published: 20)."),
    embedding_scale: float = typer.Option(1.0, help="Multiply embeddings for FID, Diversity and MultiModality "
                                          "(some papers use 6); recorded in the report."),
    seed: int = typer.Option(0, help="Seed of every random choice of the protocol."),
    pool: int = typer.Option(32, min=2, help="R-precision pool size (published: 32)."),
    diversity_pairs: int = typer.Option(300, min=1, help="Diversity pairs (published: 300)."),
    mm_texts: int = typer.Option(100, min=1, help="MultiModality ids (published: 100)."),
    mm_repeats: int = typer.Option(30, min=2, help="MultiModality samples per id (published: 30)."),
    mm_pairs: int = typer.Option(10, min=1, help="MultiModality pairs per id (published: 10)."),
    plausibility: bool = typer.Option(True, "--plausibility/--no-plausibility",
                                      help="Also measure interpenetration, contact, foot skating, floor, jitter, "
                                      "relative distance and facing (joints of both persons)."),
) -> None:
    """Score generated motions with the published protocol; writes a JSON report and prints a table.

    Text: R-precision top-1/2/3 (pools of 32), MM Dist, FID, Diversity (300 pairs), MultiModality (100 x 30).
    Action, reaction, style: FID, accuracy, Diversity and per-class MultiModality of the action evaluator.
    Each row is the mean and 95% interval over the replications; the ground-truth row comes first.
    """
    from interx.eval.evaluate import evaluate as run_evaluation
    from interx.eval.protocol import ProtocolConfig
    from interx.eval.report import plausibility_table, report_table, write_report

    out_console, err = Console(), Console(stderr=True)
    if out is None:
        out = (pred.with_name(f"{pred.stem}.{task}.json") if pred is not None
               else data / "reports" / f"{task}-{baseline or 'ground-truth'}.json")
    try:
        config = ProtocolConfig(replications=replications, embedding_scale=embedding_scale, seed=seed, pool=pool,
                                diversity_times=diversity_pairs, mm_texts=mm_texts, mm_repeats=mm_repeats,
                                mm_times=mm_pairs)
        with _progress(err, "embedding") as bar:
            job = bar.add_task("embed", total=None)
            report = run_evaluation(task, data, pred, evaluator, baseline, config,
                                    progress=lambda done, total: bar.update(job, completed=done, total=total),
                                    plausibility=plausibility)
        write_report(out, report)
    except (InterXError, ValueError) as exc:
        _fail(err, exc)
    out_console.print(report_table(report))
    if (physical := plausibility_table(report)) is not None:
        out_console.print(physical)
    for note in report["notes"]:
        out_console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    out_console.print(f"report: {escape(str(out))}", highlight=False)


@app.command("train-evaluator")
def train_evaluator(
    kind: str = typer.Argument(..., help="text (text-motion evaluator for t2m) or action (recognizer for a2m, "
                               "reaction, style).", show_default=False, metavar="KIND"),
    data: Path = typer.Argument(..., help="Processed release (motions/, texts_processed/, glove/).",
                                show_default=False, metavar="DATA"),
    out_dir: Path = typer.Option(None, "--out", "-o", help="Folder for finest.tar. Default: "
                                 "DATA/evaluators/KIND (where `interx evaluate` looks).", show_default=False),
    epochs: int = typer.Option(None, min=1, help="Epochs (default: 30 text, 40 action).", show_default=False),
    seed: int = typer.Option(0, help="Seed (training is deterministic for a seed)."),
    full_size: bool = typer.Option(False, "--full-size", help="Text: the official sizes (512/1024) instead of the "
                                   "small CPU-friendly evaluator."),
) -> None:
    """Train an evaluator on the train split; checkpoints in the official layout, resumable (text)."""
    from interx.eval.action_evaluator import ActionTrainingConfig, train_action_evaluator
    from interx.eval.train import TextTrainingConfig, train_text_evaluator

    out, err = Console(), Console(stderr=True)
    if kind not in ("text", "action"):
        _fail(err, ValueError(f"KIND must be text or action, got {kind!r}"))
    out_dir = out_dir or data / "evaluators" / kind
    try:
        with Progress(TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
                      TimeRemainingColumn(), console=err, transient=True) as bar:
            job = bar.add_task("train", total=None, loss="-")

            def progress(done: int, total: int, loss: float) -> None:
                bar.update(job, completed=done, total=total, loss=f"{loss:.3f}")

            if kind == "text":
                sizes = dict(text_hidden=512, movement_hidden=512, movement_latent=512, motion_hidden=1024,
                             embedding=512) if full_size else {}
                config = TextTrainingConfig(**sizes, seed=seed, **({"epochs": epochs} if epochs else {}))
                path = train_text_evaluator(data, out_dir, config, progress=progress)
            else:
                config = ActionTrainingConfig(seed=seed, **({"epochs": epochs} if epochs else {}))
                path = train_action_evaluator(data, out_dir, config, progress=progress)
    except (InterXError, ValueError) as exc:
        _fail(err, exc)
    out.print(f"evaluator: {escape(str(path))}", highlight=False)
